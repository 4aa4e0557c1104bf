"""Importing each format; expected figures worked out by hand from the fixture files.

The fixtures are in tests/fixtures (see its README). Times in the hand-written Zoom and Webex
files are read in Europe/Moscow (UTC+3); the programme's zone stays Asia/Yekaterinburg.
"""

from pathlib import Path

import pytest

from dashboard import database, queries, reach
from dashboard.filters import Filters
from dashboard.imports import reading
from dashboard.imports.loader import import_file
from dashboard.imports.parsing import parse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MOSCOW = "Europe/Moscow"


@pytest.fixture
def con():
    connection = database.connect_memory()
    yield connection
    connection.close()


def load(con, name: str, **options):
    return import_file(con, (FIXTURES / name).read_bytes(), name, **options)


def report(con, **filters) -> dict:
    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    return reach.report(con, Filters(**filters), countries, roles)


def test_real_zoom_report_2020(con):
    """The real anonymised export (MIT). Figures checked by hand with a separate csv-module
    script over its sections: 455 distinct attendee e-mails + 4 'Other Attended' names."""
    result = load(con, "zoom_attendee_report_2020.csv", zone="America/New_York")
    assert (result.status, result.format, result.encoding, result.rows_read) == (
        "imported",
        "zoom-attendee",
        "UTF-8",
        1018,
    )
    got = report(con)
    assert {
        k: got[k]
        for k in (
            "participants",
            "registrants",
            "attendance_rate",
            "attendances",
            "events",
            "minutes_total",
            "median_minutes",
            "peak_concurrent",
        )
    } == {
        "participants": 459,  # the report itself says 446 unique viewers
        "registrants": 469,
        "attendance_rate": 0.9701,  # 455 of 469 registrants came
        "attendances": 459,
        "events": 1,
        "minutes_total": 63098.6,  # union of each person's intervals
        "median_minutes": 66.6,
        "peak_concurrent": {"zoom-328972509": 172},  # the report says 0 max concurrent views
    }
    assert got["by_country"]["US"] == 330 and "unknown" not in got["by_country"]  # DR Congo's long form maps
    stated = con.execute("select figure, value from platform_figures order by figure").fetchall()
    assert stated == [("max_concurrent", 0), ("registered", 461), ("total_users", 991), ("unique_viewers", 446)]


def test_zoom_current_layout(con):
    result = load(con, "zoom_attendee_current.csv", zone=MOSCOW)
    assert (result.status, result.encoding, result.rows_read, result.records, result.persons) == (
        "imported",
        "UTF-8 (BOM)",
        9,
        12,
        8,
    )
    assert report(con) == {
        "participants": 5,  # Anna, Erzhan, the guest, Olga, the stream viewer; host and panelist are staff
        "registrants": 4,  # Anna, Erzhan, Armen (no-show), Olga
        "attendance_rate": 0.75,
        "attendances": 5,
        "events": 1,
        "countries": 4,  # "Марс" is not a country: listed for review, counted unknown
        "repeat_participants": 0,
        "minutes_total": 210.0,  # Anna 11:00-12:10 (rejoin overlaps) 70, Erzhan 60, guest 30, Olga 5, viewer 45
        "median_minutes": 45.0,
        "by_country": {"BY": 1, "KG": 1, "KZ": 1, "RU": 1, "unknown": 1},
        "by_role": {"executive": 1, "student": 1, "official": 1, "unknown": 2},  # "специалист министерства экономики"
        "peak_concurrent": {"zoom-9012345678": 4},
    }
    stated = dict(con.execute("select figure, value from platform_figures").fetchall())
    assert stated == {"registered": 4, "unique_viewers": 5, "max_concurrent": 9, "total_users": 7}
    starts = con.execute("select event_key, title, starts_at from events").fetchall()
    assert [(k, t, str(s)) for k, t, s in starts] == [("zoom-9012345678", "Понятие кластера", "2026-10-01 08:00:00")]


def test_registration_report_joins_the_same_webinar(con):
    load(con, "zoom_attendee_current.csv", zone=MOSCOW)
    result = load(con, "zoom_registration.csv", zone=MOSCOW)
    assert (result.format, result.records, result.new_persons, result.events) == ("zoom-registration", 3, 1, 1)
    got = report(con)
    assert (got["events"], got["registrants"], got["participants"], got["attendance_rate"]) == (1, 5, 5, 0.6)
    declared = con.execute(
        "select p.identity_key, r.country from registrations r join participants p using (person_id)"
        " where r.source = 'zoom-attendee' or r.country is not null order by 1"
    ).fetchall()
    # Armen's registration gains the country he declared; Zoom's own column is not a declaration
    assert declared == [
        ("email:anna@example.ru", "RU"),
        ("email:armen@example.am", "AM"),
        ("email:erzhan@example.kz", None),
        ("email:leyla@example.az", "AZ"),
        ("email:olga@example.by", None),
    ]


def test_webex_utf16_with_excel_wrapped_cells(con):
    result = load(con, "webex_attendance_utf16.csv", zone=MOSCOW)
    assert (result.status, result.format, result.encoding, result.records) == ("imported", "webex", "UTF-16 LE", 4)
    got = report(con)
    assert (got["participants"], got["minutes_total"], got["by_country"]) == (
        3,
        115.0,
        {"KZ": 1, "RU": 1, "UZ": 1},
    )  # 65 + 30 (from "30 mins") + 20; the host is staff
    ((key, starts),) = con.execute("select event_key, starts_at::varchar from events").fetchall()
    assert (key, starts) == (
        "кластерная-политика-2026-10-08",
        "2026-10-08 08:00:00",
    )  # its Start Time, not the host's join


def test_one_person_across_platforms(con):
    load(con, "zoom_attendee_current.csv", zone=MOSCOW)
    result = load(con, "webex_attendance_utf16.csv", zone=MOSCOW)
    assert (result.persons, result.new_persons) == (4, 1)  # Anna, Erzhan (ERZHAN@…) and the host are known
    got = report(con)
    assert (got["participants"], got["repeat_participants"], got["events"]) == (6, 2, 2)  # Anna and Erzhan came twice


def test_registration_sheet_in_windows_1251(con):
    load(con, "zoom_attendee_current.csv", zone=MOSCOW)
    result = load(con, "registration_form_cp1251.csv")
    assert (result.format, result.encoding, result.events, result.new_persons) == ("sheet", "cp1251", 1, 2)
    got = report(con)
    # matched to the Zoom webinar by title and date; registrants Anna, Erzhan, Armen, Olga from Zoom
    # and Aigul, Yan from the form: 6 registrations, of which Anna, Erzhan and Olga came
    assert (got["events"], got["registrants"], got["attendance_rate"]) == (1, 6, 0.5)
    declared = dict(
        con.execute(
            "select p.identity_key, r.country from registrations r join participants p using (person_id)"
        ).fetchall()
    )
    # the form's declared countries fill the Zoom registrations of the same people
    assert declared == {
        "email:anna@example.ru": "RU",
        "email:erzhan@example.kz": "KZ",
        "email:armen@example.am": None,
        "email:olga@example.by": None,
        "email:aigul@example.kg": "KG",
        "email:yan@example.by": "BY",
    }


@pytest.mark.parametrize("name", ["mts_link_participants.xlsx", "mts_link_participants.xls"])
def test_mts_link_excel(con, name):
    result = load(con, name)
    assert (result.status, result.format, result.encoding[:3], result.records, result.persons) == (
        "imported",
        "mts-link",
        "xls",
        5,
        4,
    )
    got = report(con)
    assert {k: got[k] for k in ("participants", "minutes_total", "by_country", "by_role", "events")} == {
        "participants": 3,  # Anna, the guest ("гость" is no e-mail), Timur; the moderator is staff
        "minutes_total": 155.0,  # Anna 60, guest 30, Timur 11:05-12:10 merged 65
        "by_country": {"KG": 1, "RU": 1, "TJ": 1},
        "by_role": {"executive": 1, "scientist": 1, "unknown": 1},
        "events": 1,
    }
    assert con.execute("select title, starts_at::varchar from events").fetchall() == [
        ("Экономический эффект кластеров", "2026-10-15 05:45:00")
    ]  # earliest join, 10:45 in Yekaterinburg


def test_formula_like_cells_are_kept_as_text(con):
    data = 'ФИО;Должность;Вебинар;Дата\nИванова;=HYPERLINK("http://example.org");Вебинар 1;01.10.2026\n'.encode()
    assert import_file(con, data, "form.csv").status == "imported"
    assert con.execute("select role_raw, role from registrations").fetchall() == [
        ('=HYPERLINK("http://example.org")', "other")
    ]


def test_excel_sheet_with_a_formula_cell(con):
    result = load(con, "attendance_sheet.xlsx")  # the second row's occupation is a formula with no value
    assert (result.status, result.format, result.records) == ("imported", "sheet", 2)
    assert con.execute("select role_raw, role, country from attendance order by role_raw").fetchall() == [
        ("CEO", "executive", "RU"),
        (None, None, "KZ"),
    ]


def test_the_same_content_again_changes_nothing(con):
    first = load(con, "zoom_attendee_current.csv", zone=MOSCOW)
    counts = con.execute("select (select count(*) from attendance), (select count(*) from imports)").fetchall()
    again = load(con, "zoom_attendee_current.csv", zone=MOSCOW)
    assert (first.status, again.status, again.import_id) == ("imported", "unchanged", first.import_id)
    assert con.execute("select (select count(*) from attendance), (select count(*) from imports)").fetchall() == counts
    assert again.summary("ru") == "zoom_attendee_current.csv: уже импортирован ранее, ничего не изменилось"


def test_import_log(con):
    load(con, "zoom_attendee_current.csv", zone=MOSCOW)
    (row,) = con.execute(
        "select file_name, format, encoding, time_zone, rows_read, records, persons, new_persons, events, skipped_rows"
        " from imports"
    ).fetchall()
    assert row == ("zoom_attendee_current.csv", "zoom-attendee", "UTF-8 (BOM)", MOSCOW, 9, 12, 8, 8, 1, 0)


BAD_SHEET = (
    "ФИО;E-mail;Вебинар;Время входа;Время выхода\n"
    "Иванова Анна;anna@example.ru;Вебинар 1;01.10.2026 11:00;01.10.2026 12:00\n"
    "Петров Пётр;petr@example.ru;Вебинар 1;вчера;01.10.2026 12:00\n"
    "Сидоров;;Вебинар 1\n"
    "Козлова Мария;maria@example.ru;Вебинар 1;01.10.2026 11:30;01.10.2026 11:00\n"
).encode()


def test_bad_rows_reject_the_file_with_every_problem(con):
    result = import_file(con, BAD_SHEET, "attendance.csv")
    assert result.status == "rejected"
    assert [p.text("attendance.csv", "en") for p in result.problems] == [
        "attendance.csv, line 3, column 'Время входа': cannot read the time 'вчера'; "
        "expected e.g. 28.03.2026 14:05 or Mar 28, 2026 14:05:00",
        "attendance.csv, line 4: the row has 3 fields, expected 5",
        "attendance.csv, line 5, column 'Время выхода': "
        "leave time 01.10.2026 11:00 is before join time 01.10.2026 11:30",
    ]
    assert (
        result.problems[0]
        .text("attendance.csv", "ru")
        .startswith("attendance.csv, строка 3, колонка «Время входа»: не удалось прочитать время «вчера»")
    )
    assert con.execute("select (select count(*) from participants), (select count(*) from events)").fetchall() == [
        (0, 0)
    ]


def test_skip_bad_rows_imports_the_rest_and_lists_them(con):
    result = import_file(con, BAD_SHEET, "attendance.csv", skip_bad_rows=True)
    assert (result.status, result.records, len(result.problems)) == ("imported", 1, 3)
    assert report(con)["participants"] == 1
    assert con.execute("select skipped_rows from imports").fetchall() == [(3,)]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b",", "empty"),  # found by the random-bytes property test
        (b",,,\r\n,,\r\n", "empty"),
        (b"\x00\x01\x02\x03binary\x00\xff", "binary"),
        (b"PK\x03\x04not really a workbook", "damaged_workbook"),
        ("ФИО;E-mail;Вебинар\n".encode(), "header_only"),
        (b"a,b,c\n1,2,3\n", "unrecognised"),
        ('ФИО;E-mail;Вебинар\n"Иванова;anna@example.ru;Вебинар 1\n'.encode(), "unterminated_quote"),
    ],
)
def test_unusable_files_are_rejected_and_write_nothing(con, data, code):
    result = import_file(con, data, "file.csv")
    assert (result.status, [p.code for p in result.problems]) == ("rejected", [code])
    assert con.execute("select count(*) from imports").fetchall() == [(0,)]


def test_a_mapping_overrides_the_columns():
    data = "Участник;Почта;Пришёл;Ушёл\nИванова;anna@example.ru;01.10.2026 11:00;01.10.2026 12:00\n".encode()
    mapping = {
        "columns": {"name": "Участник", "email": "Почта", "join": "Пришёл", "leave": "Ушёл"},
        "event_title": "Понятие кластера",
    }
    parsed = parse(reading.read(data), "Europe/Moscow", mapping)
    assert (parsed.format, len(parsed), parsed.problems, parsed.events[0].title) == ("sheet", 1, [], "Понятие кластера")
    assert parsed.mapping == {"name": "Участник", "email": "Почта", "join": "Пришёл", "leave": "Ушёл"}


def test_decode_reports_the_encoding():
    text = "ФИО;Страна\nИванова;Россия\n"
    assert [
        reading.decode(b)[1]
        for b in (
            text.encode("utf-8"),
            b"\xef\xbb\xbf" + text.encode("utf-8"),
            text.encode("cp1251"),
            b"\xff\xfe" + text.encode("utf-16-le"),
            b"\xfe\xff" + text.encode("utf-16-be"),
            text.encode("utf-16-le"),
        )
    ] == ["UTF-8", "UTF-8 (BOM)", "cp1251", "UTF-16 LE", "UTF-16 BE", "UTF-16 LE"]


@pytest.mark.parametrize(
    ("text", "zone", "utc"),
    [
        ("Mar 28, 2020 08:07:27", "UTC", "2020-03-28 08:07:27"),
        ("Mar 28, 2020 2:20 PM", "UTC", "2020-03-28 14:20:00"),
        ("Mar 28, 2020 12:05 AM", "UTC", "2020-03-28 00:05:00"),
        ("01.10.2026 11:00", "Europe/Moscow", "2026-10-01 08:00:00"),
        ("01.10.2026", "Asia/Yekaterinburg", "2026-09-30 19:00:00"),
        ("2026-10-01T11:00:00+03:00", "Asia/Yekaterinburg", "2026-10-01 08:00:00"),  # an offset wins over the zone
        ("10/08/2026 11:02 AM", "Europe/Moscow", "2026-10-08 08:02:00"),
    ],
)
def test_parse_time(text, zone, utc):
    from dashboard.imports.times import parse_time

    assert str(parse_time(text, zone)) == utc


@pytest.mark.parametrize(
    "text", ["вчера", "Mar 32, 2020 08:00:00", "Foo 28, 2020 08:00:00", "31.02.2026 10:00", "Mar 28, 2020 13:05 PM"]
)
def test_parse_time_refuses(text):
    from dashboard.imports.times import parse_time

    with pytest.raises(ValueError):
        parse_time(text, "UTC")


BROKEN_ZOOM = (
    (FIXTURES / "zoom_attendee_current.csv")
    .read_text(encoding="utf-8-sig")
    .replace('"Oct 01, 2026 11:05:00"', '"Oct 01, 2026 25:05:00"')
    .replace(  # bad join time
        '"Oct 01, 2026 11:15:00"', '"Oct 01, 2026 11:00:00"'
    )
    .replace(  # Olga: leave before join
        "Yes,Гость Без Почты,,,,", "Yes,,,,,"
    )
    .replace(  # nobody
        '"Sep 28, 2026 10:00:00"', '"someday"'
    )
)  # bad registration time


def test_broken_zoom_problems():
    parsed = parse(reading.read(BROKEN_ZOOM.encode()), "Europe/Moscow")
    assert [(p.code, p.line, p.column) for p in parsed.problems] == [
        ("bad_time", 15, "Join Time"),
        ("no_person", 17, None),
        ("bad_time", 18, "Registration Time"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        (FIXTURES / "zoom_attendee_current.csv").read_text(encoding="utf-8-sig"),
        (FIXTURES / "zoom_attendee_report_2020.csv").read_text(encoding="utf-8"),
        BROKEN_ZOOM,
    ],
    ids=["current", "real-2020", "broken"],
)
def test_bulk_zoom_sections_follow_the_same_rules(text, monkeypatch):
    """A large Attendee Details section is read by DuckDB (zoom_bulk); the row parser and the
    bulk reader must give the same records and the same problems."""
    from dashboard.imports import loader, zoom_bulk

    def analysed(min_rows):
        monkeypatch.setattr(zoom_bulk, "MIN_ROWS", min_rows)
        parsed = loader.analyse(text.encode(), "Europe/Moscow")
        table = parsed.arrow().sort_by([("line", "ascending"), ("is_registration", "descending")])
        return table.to_pylist(), [(p.code, p.line, p.column) for p in parsed.problems], parsed.rows_read

    by_rows, in_bulk = analysed(10**9), analysed(0)
    assert in_bulk == by_rows


def test_webex_with_russian_headers_in_utf16_without_bom(con):
    result = load(con, "webex_attendance_ru_utf16le_nobom.csv", zone=MOSCOW)
    assert (result.status, result.format, result.encoding, result.records) == ("imported", "webex", "UTF-16 LE", 3)
    got = report(con)
    # Anna 65 min, Farhod 25 min from "25 мин" with no leave time; the organiser is staff
    assert (got["participants"], got["minutes_total"], got["by_country"]) == (2, 90.0, {"unknown": 2})
