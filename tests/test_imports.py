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
from dashboard.imports.parsing import header_fields, header_signature, mappable_fields, parse, question_fields
from dashboard.imports.problems import FileRejected

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
        "select p.identity_key, r.source, r.country from registrations r join participants p using (person_id)"
        " order by 1, 2"
    ).fetchall()
    # each file keeps its own registrations (removing one import leaves the other's); Armen's
    # registration report declares AM, Zoom's own country column is not a declaration
    assert declared == [
        ("email:anna@example.ru", "zoom-attendee", None),
        ("email:anna@example.ru", "zoom-registration", "RU"),
        ("email:armen@example.am", "zoom-attendee", None),
        ("email:armen@example.am", "zoom-registration", "AM"),
        ("email:erzhan@example.kz", "zoom-attendee", None),
        ("email:leyla@example.az", "zoom-registration", "AZ"),
        ("email:olga@example.by", "zoom-attendee", None),
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
    countries = dict(
        con.execute(
            "select identity_key, country from participants where person_id in (select person_id from registrations)"
        ).fetchall()
    )
    # the form's declared countries are the persons' countries; Armen and Olga declared none, and
    # Olga's comes from where Zoom saw her (BY)
    assert countries == {
        "email:anna@example.ru": "RU",
        "email:erzhan@example.kz": "KZ",
        "email:armen@example.am": None,
        "email:olga@example.by": "BY",
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


# Cells as spreadsheets and other exporters write them: Excel's ="…", empty markers in any case,
# blanks around values, CRLF lines, a second byte-order mark, Unicode blanks after a section's
# marker; and times and durations in layouts DuckDB does not read (the Python readers do).
AWKWARD_ZOOM = "\ufeff" + (
    (FIXTURES / "zoom_attendee_current.csv")
    .read_text(encoding="utf-8-sig")
    .replace("Anna@Example.RU", '="Anna@Example.RU"')
    .replace(",ПНИПУ,", ',="ПНИПУ",')
    .replace("Ержан Ахметов,Ержан", " Ержан Ахметов ,Ержан")
    .replace("--,--,--,No,ЕГУ", "N/A,--,NONE,No,ЕГУ")
    .replace(",Kyrgyzstan,", ",  ,")
    .replace('"Oct 01, 2026 11:05:00"', "01.10.2026 11:05")
    .replace('"Oct 01, 2026 11:10:00","Oct 01, 2026 11:15:00",5', '"Oct 01, 2026 11:10:00",,"1:05:00"')
    .replace("Other Attended,", "Other Attended,\u00a0")
    .replace("\n", "\r\n")
)


@pytest.mark.parametrize(
    "text",
    [
        (FIXTURES / "zoom_attendee_current.csv").read_text(encoding="utf-8-sig"),
        (FIXTURES / "zoom_attendee_report_2020.csv").read_text(encoding="utf-8"),
        BROKEN_ZOOM,
        (FIXTURES / "zoom_attendee_questions.csv").read_text(encoding="utf-8-sig"),
        AWKWARD_ZOOM,
    ],
    ids=["current", "real-2020", "broken", "questions", "awkward"],
)
def test_bulk_zoom_sections_follow_the_same_rules(text, monkeypatch):
    """A large Attendee Details section is read by DuckDB (zoom_bulk); the row parser and the
    bulk reader must give the same records and the same problems. (Read in this process, where
    the patched MIN_ROWS holds; loader.analyse reads in a child process.)"""
    from dashboard.imports import analysis, zoom_bulk

    def analysed(min_rows):
        monkeypatch.setattr(zoom_bulk, "MIN_ROWS", min_rows)
        parsed = analysis.parse_file(text.encode(), "Europe/Moscow")
        table = parsed.arrow().sort_by([("line", "ascending"), ("is_registration", "descending")])
        return table.to_pylist(), [(p.code, p.line, p.column) for p in parsed.problems], parsed.rows_read

    by_rows, in_bulk = analysed(10**9), analysed(0)
    assert in_bulk == by_rows


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1251"])
def test_a_zoom_report_in_any_encoding_is_read_in_bulk(encoding, monkeypatch):
    """The bulk reader finds the sections in the report's bytes (UTF-8) or in its decoded text
    (any other encoding): the same records as the row parser, and the encoding as decode names it."""
    from dashboard.imports import analysis, zoom_bulk

    text = (FIXTURES / "zoom_attendee_current.csv").read_text(encoding="utf-8-sig")
    data = text.encode(encoding)
    monkeypatch.setattr(zoom_bulk, "MIN_ROWS", 0)
    in_bulk = analysis.parse_file(data, MOSCOW)
    monkeypatch.setattr(zoom_bulk, "MIN_ROWS", 10**9)
    by_rows = analysis.parse_file(data, MOSCOW)
    assert in_bulk.table is not None and by_rows.table is None
    order = [("line", "ascending"), ("is_registration", "descending")]
    assert in_bulk.arrow().sort_by(order).to_pylist() == by_rows.arrow().sort_by(order).to_pylist()
    assert (in_bulk.encoding, in_bulk.rows_read) == (by_rows.encoding, by_rows.rows_read)


@pytest.mark.parametrize(
    "data",
    [
        b"plain",
        "Ёж".encode(),
        b"\xed\xa0\x80",
        b"\xc0\xaf",
        b"\xf4\x90\x80\x80",
        b"\xe2\x82",
        b"\xff",
        b"\xef\xbb\xbfA",
        b"",
    ],
)
def test_utf8_is_checked_as_python_decodes(data):
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    assert reading.is_utf8(data) is valid


def test_identity_keys_of_plain_emails_are_computed_as_in_python():
    """loader._identities reads printable-ASCII e-mails in DuckDB and every other in Python: the
    keys are identity.identity_key's either way."""
    import duckdb
    import pyarrow as pa

    from dashboard.identity import identity_key, normalise_email
    from dashboard.imports import loader

    emails = ["Anna@Example.RU", "anna@example.ru", " anna@example.ru ", "a@b", "a@@b.c", "a@b.c@d.e", "@b.c",
              "a@.c", "a@b.", "a.b@c.d", "x y@b.c", "a@b.c\n", "a\x1c@b.c", "İ@b.c", "ß@B.C", "a@b.c\u00a0", "гость",
              "A@B.C\x7f", "a\t@b.c", "", None]  # fmt: skip
    names = ["Анна", None, "  Ёлкин  Ж ", ""]
    pairs = [(e, n) for e in emails for n in names]
    con = duckdb.connect()
    con.register("raw_records", pa.table({"email": pa.array([e for e, _ in pairs], pa.string()),
                                          "name": pa.array([n for _, n in pairs], pa.string())}))  # fmt: skip
    got = {(r["email"], r["name"]): (r["identity_key"], r["email_norm"]) for r in loader._identities(con).to_pylist()}
    assert got == {(e, n): (identity_key(e, n), normalise_email(e)) for e, n in pairs}


def test_webex_with_russian_headers_in_utf16_without_bom(con):
    result = load(con, "webex_attendance_ru_utf16le_nobom.csv", zone=MOSCOW)
    assert (result.status, result.format, result.encoding, result.records) == ("imported", "webex", "UTF-16 LE", 3)
    got = report(con)
    # Anna 65 min, Farhod 25 min from "25 мин" with no leave time; the organiser is staff
    assert (got["participants"], got["minutes_total"], got["by_country"]) == (2, 90.0, {"unknown": 2})


# ---------------------------------------------------------------- registration questions


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        ("What is your occupation? (student, researcher, manager…)", ("occupation",)),
        ("Сфера деятельности / должность", ("occupation",)),
        ("Ваша  должность?", ("occupation",)),
        ("Род деятельности:", ("occupation",)),
        ("Профессия", ("occupation",)),
        ("Занятость", ("occupation",)),
        ("Current job title", ("occupation",)),
        ("Position / Должность", ("occupation",)),
        ("Role in organisation", ("occupation",)),
        ("Роль в организации", ("occupation",)),
        ("Статус (студент / преподаватель / сотрудник)", ("occupation",)),
        ("Status (student, employed, retired)", ("occupation",)),
        ("Должность в организации", ("occupation",)),  # the field named first decides
        ("Country of residence", ("country",)),
        ("Страна проживания (для статистики)", ("country",)),
        ("В какой стране вы живёте?", ("country",)),
        ("Государство", ("country",)),
        ("Country of your organisation", ("country",)),
        ("Organization name", ("organisation",)),
        ("Место работы (организация)", ("organisation",)),
        ("Name of your university", ("organisation",)),
        ("Employer", ("organisation",)),
        ("Учреждение / ВУЗ", ("organisation",)),
        ("Место  работы/учёбы", ("organisation",)),
        ("Место работы, должность", ("organisation", "occupation")),  # one answer feeds both
        ("Company and job title", ("organisation", "occupation")),
        ("Организация и страна", ("organisation",)),  # a country is never read from a combined answer
        # not questions about the person, or the platform's meeting role
        ("Role", ()),
        ("Роль", ()),
        ("User Role", ()),
        ("Роль участника", ()),
        ("Approval Status", ()),
        ("Статус заявки", ()),
        ("Title", ()),  # an exact synonym of the occupation, never a word of a question
        ("Webinar title", ()),
        ("Role in Purchase Process", ()),
        ("No. of Employees", ()),
        ("Company size", ()),
        ("Размер компании", ()),
        ("Тип организации (вуз, НКО, бизнес)", ()),
        ("Код страны", ()),
        ("Phone (with country code)", ()),
        ("E-mail организации", ()),
        ("Industry", ()),
        ("Страница ВКонтакте", ()),
        ("Государственный служащий?", ()),
        ("Профессиональные интересы", ()),
        ("Is Guest", ()),
        ("Source Name", ()),
        ("Как вы узнали о вебинаре?", ()),
        ("Страна " + "." * 300, ()),  # a long cell of text is not a header
    ],
)
def test_question_fields(header, fields):
    assert question_fields(header) == fields


def names(row: list, **mapping) -> dict[str, str]:
    """header_fields as field -> header, for reading the expectations."""
    return {f: row[i] for f, i in header_fields(row, mapping or None).items()}


def test_exact_synonyms_come_before_the_words_of_a_question():
    zoom = ["Attended", "User Name (Original Name)", "Email", "Organization name", "Job Title", "Организация",
            "Country/Region", "Is Guest", "Country/Region Name"]  # fmt: skip
    assert names(zoom) == {
        "attended": "Attended",
        "name": "User Name (Original Name)",
        "email": "Email",
        "occupation": "Job Title",
        "organisation": "Организация",  # an exact synonym, although "Organization name" comes first
        "country": "Country/Region",  # a registration field: declared, before Zoom's Country/Region Name
    }
    mts_link = ["Имя", "Фамилия", "Email", "Роль", "Место работы (организация)", "Сфера деятельности / должность",
                "Страна проживания (для статистики)"]  # fmt: skip
    assert names(mts_link) == {
        "first_name": "Имя",
        "last_name": "Фамилия",
        "email": "Email",
        "meeting_role": "Роль",  # the platform's meeting role, never the occupation
        "organisation": "Место работы (организация)",
        "occupation": "Сфера деятельности / должность",
        "country": "Страна проживания (для статистики)",
    }
    assert names(["Name", "Email", "Title", "What is your occupation?"]) == {
        "name": "Name",
        "email": "Email",
        "occupation": "Title",  # as before: Title alone is the occupation
    }
    assert names(["Name", "User Role", "Country/Region Name"]) == {
        "name": "Name",
        "meeting_role": "User Role",
        "country": "Country/Region Name",  # Zoom's own column, when no other names a country
    }


QUESTIONS = "zoom_attendee_questions.csv"


def test_zoom_attendee_questions_are_read_for_each_record():
    """A registration gets the country the person declared; an attendance the country Zoom saw."""
    parsed = parse(reading.read((FIXTURES / QUESTIONS).read_bytes()), MOSCOW)
    records = parsed.arrow().to_pylist()
    assert [
        (r["line"], r["is_registration"], r["occupation_raw"], r["organisation"], r["country_raw"],
         r["is_country_declared"])
        for r in records
    ] == [
        (7, False, None, None, "Russian Federation", False),  # host
        (10, False, None, None, "Russian Federation", False),  # panelist
        (13, True, "PhD student", "Al-Farabi KazNU", "Казахстан", True),
        (13, False, "PhD student", "Al-Farabi KazNU", "Kazakhstan", False),
        (14, False, "PhD student", "Al-Farabi KazNU", "Kazakhstan", False),  # rejoin, no registration time
        (15, True, "Researcher, Institute of Economics", "NAS RA Institute of Economics", "Армения", True),
        (15, False, "Researcher, Institute of Economics", "NAS RA Institute of Economics", "Armenia", False),
        (16, True, "Head of investment department", "Uzinvest", "Узбекистан", True),
        (16, False, "Head of investment department", "Uzinvest", "Russian Federation", False),  # seen elsewhere
        (17, False, "Head of investment department", "Uzinvest", "Russian Federation", False),
        (18, True, "экономист банка", "Беларусбанк", "Беларусь", True),
        (18, False, "экономист банка", "Беларусбанк", "Belarus", False),
        (19, True, None, None, None, True),  # answered nothing
        (19, False, None, None, "Kyrgyzstan", False),
        (20, True, "manager", "SOCAR", "Азербайджан", True),  # registered, did not come
        (21, False, None, None, "Tajikistan", False),  # guest
        (24, False, None, None, "Turkmenistan", False),  # Other Attended
    ]  # fmt: skip
    assert parsed.mapping == {
        "attended": "Attended",
        "name": "User Name (Original Name)",
        "first_name": "First Name",
        "last_name": "Last Name",
        "email": "Email",
        "registered_at": "Registration Time",
        "join": "Join Time",
        "leave": "Leave Time",
        "duration": "Time in Session (minutes)",
        "occupation": "What is your occupation? (student, researcher, manager…)",
        "country": "Страна проживания (для статистики)",
        "organisation": "Organization name",
    }
    assert parsed.extra_headers == ["Approval Status", "Is Guest", "Source Name"]  # Country/Region Name is used


def test_zoom_attendee_questions_give_roles(con):
    result = load(con, QUESTIONS, zone=MOSCOW)
    assert (result.status, result.rows_read, result.records, result.persons) == ("imported", 12, 17, 10)
    persons = con.execute("select identity_key, role from participants order by identity_key").fetchall()
    assert persons == [
        ("email:aibek@example.kg", "unknown"),  # answered nothing
        ("email:bakhrom@example.uz", "executive"),  # Head of …
        ("email:dina@example.kz", "student"),  # PhD student
        ("email:gayane@example.am", "scientist"),  # Researcher, …
        ("email:host@perm.example", "unknown"),
        ("email:olga.k@example.by", "economist"),  # экономист банка
        ("email:rashad@example.az", "other"),  # manager: no rule, listed for review
        ("email:speaker@perm.example", "unknown"),
        ("name:гость без регистрации", "unknown"),
        ("name:зритель трансляции", "unknown"),
    ]
    got = report(con)
    # participants: Dina, Gayane, Bakhrom, Olga, Aibek, the guest, the viewer (Rashad did not come)
    assert {k: got[k] for k in ("participants", "registrants", "minutes_total", "by_role")} == {
        "participants": 7,
        "registrants": 6,
        "minutes_total": 368.0,  # Dina 20+35, Gayane 68, Bakhrom 15:05-16:05 merged 60, Olga 30, Aibek 75, 30, 50
        "by_role": {"economist": 1, "executive": 1, "scientist": 1, "student": 1, "unknown": 3},
    }
    seen = con.execute(
        "select distinct p.identity_key, a.country from attendance a join participants p using (person_id)"
        " where p.identity_key like 'email:b%' or p.identity_key like 'email:d%'  order by 1"
    ).fetchall()
    assert seen == [("email:bakhrom@example.uz", "RU"), ("email:dina@example.kz", "KZ")]  # where Zoom saw them


def test_zoom_attendee_declared_country_is_the_persons_country(con):
    load(con, QUESTIONS, zone=MOSCOW)
    persons = con.execute("select identity_key, country from participants order by identity_key").fetchall()
    assert persons == [
        ("email:aibek@example.kg", "KG"),  # declared nothing: where Zoom saw him
        ("email:bakhrom@example.uz", "UZ"),  # declared Узбекистан; Zoom saw Russian Federation
        ("email:dina@example.kz", "KZ"),
        ("email:gayane@example.am", "AM"),
        ("email:host@perm.example", "RU"),
        ("email:olga.k@example.by", "BY"),
        ("email:rashad@example.az", "AZ"),  # did not come: only his declaration
        ("email:speaker@perm.example", "RU"),
        ("name:гость без регистрации", "TJ"),
        ("name:зритель трансляции", "TM"),
    ]


def test_zoom_registration_report_questions(con):
    text = (FIXTURES / "zoom_registration.csv").read_text(encoding="utf-8")
    text = text.replace(",Страна,Должность", ',Country of residence,"Сфера деятельности / должность"')
    result = import_file(con, text.encode(), "registration.csv", zone=MOSCOW)
    assert (result.status, result.format, result.records) == ("imported", "zoom-registration", 3)
    assert con.execute(
        "select p.identity_key, r.country, r.role from registrations r join participants p using (person_id) order by 1"
    ).fetchall() == [
        ("email:anna@example.ru", "RU", "executive"),
        ("email:armen@example.am", "AM", "scientist"),
        ("email:leyla@example.az", "AZ", "economist"),
    ]


def quoted(*cells: str) -> str:
    """A row as the older Zoom layout writes it, every cell in quotes."""
    return ",".join(f'"{c}"' for c in cells)


OLDER_LAYOUT = "\n".join([
    "Attendee Report,",
    'Report Generated:,"Apr 09, 2020 8:50 PM"',
    "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,"
    "Total Users,Max Concurrent Views",
    'Кластеры,328-972-509,"Mar 28, 2020 8:00 AM", 60, 2, 0,2,2,2',
    "Attendee Details,",
    quoted("Attended", "First Name", "Last Name", "Email", "Registration Time", "Approval Status", "Join Time",
           "Leave Time", "Time in Session (minutes)", "Country/Region Name",
           "Род деятельности (студент, преподаватель…)", "Country of residence"),
    quoted("Yes", "Anna", "Ivanova", "anna@example.ru", "Mar 20, 2020 10:00:00", "approved", "Mar 28, 2020 08:00:00",
           "Mar 28, 2020 09:00:00", "60", "Russian Federation", "аспирант", "Russia"),
    quoted("Yes", "Ержан", "Ахметов", "erzhan@example.kz", "Mar 21, 2020 10:00:00", "approved",
           "Mar 28, 2020 08:10:00", "Mar 28, 2020 08:40:00", "30", "Russian Federation", "доцент", "Kazakhstan"),
])  # fmt: skip


def test_zoom_older_layout_questions():
    parsed = parse(reading.read(OLDER_LAYOUT.encode()), "UTC")
    assert [
        (r["line"], r["is_registration"], r["occupation_raw"], r["country_raw"], r["is_country_declared"])
        for r in parsed.arrow().to_pylist()
    ] == [
        (7, True, "аспирант", "Russia", True),
        (7, False, "аспирант", "Russian Federation", False),
        (8, True, "доцент", "Kazakhstan", True),
        (8, False, "доцент", "Russian Federation", False),
    ]


# ---------------------------------------------------------------- an analyst's mapping, any format

RENAMED_ZOOM = (
    (FIXTURES / "zoom_attendee_current.csv")
    .read_text(encoding="utf-8-sig")
    .replace(",Организация,Должность,", ",Где вы работаете?,Должность,")
)


def attendee_people(parsed) -> list[tuple]:
    return sorted({(r["line"], r["organisation"], r["occupation_raw"]) for r in parsed.arrow().to_pylist()
                   if 13 <= r["line"] <= 18})  # fmt: skip


def test_a_mapping_names_a_zoom_column():
    rows = reading.read(RENAMED_ZOOM.encode())
    unmapped = parse(rows, MOSCOW)
    assert ("organisation" in unmapped.mapping, unmapped.extra_headers) == (
        False,
        ["Approval Status", "Is Guest", "Где вы работаете?", "Source Name"],
    )
    mapping = {"columns": {"organisation": "Где вы работаете?", "occupation": None}}  # None: no column
    parsed = parse(rows, MOSCOW, mapping)
    assert (parsed.format, parsed.problems, parsed.extra_headers) == (
        "zoom-attendee",
        [],
        ["Approval Status", "Is Guest", "Должность", "Source Name"],
    )
    assert attendee_people(parsed) == [
        (13, "ПНИПУ", None),
        (14, "ПНИПУ", None),
        (15, "КазНУ", None),
        (16, "ЕГУ", None),
        (17, None, None),
        (18, "Минэкономики", None),
    ]
    with pytest.raises(FileRejected) as rejected:
        parse(rows, MOSCOW, {"columns": {"organisation": "Организация"}})
    assert [(p.code, p.column) for p in rejected.value.problems] == [("bad_mapping", "Организация")]


def webex(*rows: list[str]) -> bytes:
    """A Webex attendance report as Webex writes it: UTF-16 with a BOM, tabs, cells as ="…"."""
    lines = ["\t".join(f'="{c}"' for c in row) for row in rows]
    return "\r\n".join(lines).encode("utf-16")


WEBEX_WITH_A_QUESTION = webex(
    ["Meeting Name", "Start Time", "Name", "Email", "Join time", "Leave time", "Duration", "Role", "Country",
     "Чем вы занимаетесь?"],
    ["Кластеры", "10/08/2026 11:00 AM", "Anna Ivanova", "anna@example.ru", "10/08/2026 11:02 AM",
     "10/08/2026 12:07 PM", "65 mins", "Attendee", "Russia", "преподаватель вуза"],
    ["Кластеры", "10/08/2026 11:00 AM", "Host Perm", "host@perm.example", "10/08/2026 10:50 AM",
     "10/08/2026 12:30 PM", "100 mins", "Host", "Russia", ""],
    ["Кластеры", "10/08/2026 11:00 AM", "Dilnoza Karimova", "dilnoza@example.uz", "10/08/2026 11:10 AM",
     "10/08/2026 11:40 AM", "30 mins", "Attendee", "Uzbekistan", "студентка"],
)  # fmt: skip


def test_a_mapped_webex_column_gives_the_roles(con):
    assert parse(reading.read(WEBEX_WITH_A_QUESTION), MOSCOW).extra_headers == ["Чем вы занимаетесь?"]
    assert mappable_fields("webex") == ("name", "email", "country", "organisation", "occupation")
    # the report's own columns (join, leave…) stay as they are, whatever a mapping says of them
    mapping = {"columns": {"occupation": "Чем вы занимаетесь?", "join": "Leave time"}}
    result = import_file(con, WEBEX_WITH_A_QUESTION, "webex.csv", zone=MOSCOW, mapping=mapping)
    assert (result.status, result.format, result.records) == ("imported", "webex", 3)
    assert con.execute("select identity_key, role from participants order by 1").fetchall() == [
        ("email:anna@example.ru", "scientist"),
        ("email:dilnoza@example.uz", "student"),
        ("email:host@perm.example", "unknown"),
    ]
    assert report(con)["minutes_total"] == 95.0  # 65 + 30, joins read from Join time; the host is staff


def test_a_webex_mapping_of_a_missing_column_is_refused(con):
    mapping = {"columns": {"occupation": "Род занятий"}}
    result = import_file(con, WEBEX_WITH_A_QUESTION, "webex.csv", zone=MOSCOW, mapping=mapping)
    assert (result.status, [(p.code, p.column) for p in result.problems]) == (
        "rejected",
        [("bad_mapping", "Род занятий")],
    )


def test_a_mapping_names_mts_link_columns_below_its_title_lines():
    rows = reading.read((FIXTURES / "mts_link_participants.xlsx").read_bytes())
    swapped = {"columns": {"organisation": "Должность", "occupation": "Организация"}}
    parsed = parse(rows, MOSCOW, swapped)
    assert (parsed.format, parsed.mapping["organisation"], parsed.mapping["occupation"]) == (
        "mts-link",
        "Должность",
        "Организация",
    )
    assert sorted({(r["email"], r["organisation"], r["occupation_raw"]) for r in parsed.arrow().to_pylist()}) == [
        ("anna@example.ru", "Генеральный директор", "ПНИПУ"),
        ("moderator@programme.example", None, None),
        ("timur@example.tj", "доцент", "ТТУ"),
        ("гость", None, None),  # "гость" is no e-mail: the loader knows the guest by name
    ]


def test_header_signature():
    parsed = parse(reading.read((FIXTURES / "zoom_attendee_current.csv").read_bytes()), MOSCOW)
    assert header_signature(parsed) == (
        "Attended|Country/Region Name|Email|First Name|Join Time|Last Name|Leave Time|Registration Time|"
        "Time in Session (minutes)|User Name (Original Name)|Должность|Организация|Approval Status|Is Guest|Source Name"
    )
    sheet = parse(reading.read("ФИО;E-mail;Откуда узнали;Вебинар;Дата\nИванова;a@example.org;друзья;В1;01.10.2026\n"
                               .encode()), MOSCOW)  # fmt: skip
    assert header_signature(sheet) == "E-mail|Вебинар|Дата|ФИО|Откуда узнали"
