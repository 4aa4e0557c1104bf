"""BigBlueButton's Learning Dashboard "Download Session Data" CSV; expected figures worked out by hand.

The two fixtures are made to the layout of bbb-learning-dashboard's UserService.js (makeUserCSVData):
a header in the browser's language, every value quoted, CRLF, one row per person, the anonymous poll
answers' row last. Times carry no zone; they are read in Asia/Yekaterinburg (UTC+5, no summer time),
so 10:00 in the file is 05:00 UTC. Each person is one interval [Join, Join + Duration), cut at Left.
"""

import os
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import database, queries, reach
from dashboard.filters import Filters
from dashboard.imports import reading
from dashboard.imports.loader import import_file
from dashboard.imports.parsing import detect, parse
from dashboard.imports.problems import FileRejected

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RU = "LearningDashboard_Кластеры-Пермь_2026-11-20.csv"
EN = "LearningDashboard_Industrial-clusters_2026-11-20.csv"
ZONE = "Asia/Yekaterinburg"
NNBSP = "\u202f"  # the narrow no-break space newer browsers put before AM/PM


@pytest.fixture
def con():
    connection = database.connect_memory()
    yield connection
    connection.close()


def text(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def parsed_from(data: str, file_name: str | None = RU, mapping: dict | None = None):
    return parse(reading.read(data.encode("utf-8")), ZONE, mapping, file_name=file_name)


def quoted(*cells: str) -> str:
    """A row as the Learning Dashboard writes it: every value in double quotes."""
    return ",".join(f'"{c}"' for c in cells)


def records(parsed) -> list[tuple]:
    return [
        (r["line"], r["name"], r["email"], r["staff_role"], r["is_registration"], r["joined_at"], r["left_at"],
         r["country_raw"])
        for r in parsed.arrow().to_pylist()
    ]  # fmt: skip


def report(con) -> dict:
    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    return reach.report(con, Filters(), countries, roles)


# Russian headers, dd.mm.yyyy times. Ольга is a moderator (staff). Ержан left at 11:30 but was in the
# meeting 01:05 in all (he left and came back): [10:05, 11:10). Дина was still in it (Left "-").
RU_RECORDS = [
    (2, "Ольга Смирнова", None, "co-host", False, datetime(2026, 11, 20, 4, 50), datetime(2026, 11, 20, 6, 35), None),
    (3, "Айгуль Исмаилова", None, None, False, datetime(2026, 11, 20, 5, 0), datetime(2026, 11, 20, 6, 30), None),
    (4, "Ержан Ахметов", None, None, False, datetime(2026, 11, 20, 5, 5), datetime(2026, 11, 20, 6, 10), None),
    (5, "Дина Сейткали", None, None, False, datetime(2026, 11, 20, 5, 20), datetime(2026, 11, 20, 6, 32, 30), None),
]
# en-US times: 11:50 AM is 06:50 UTC, 12:00 PM is noon (07:00 UTC), 12:05:30 PM is 07:05:30 UTC.
EN_RECORDS = [
    (2, "Host Perm", None, "co-host", False, datetime(2026, 11, 20, 6, 50), datetime(2026, 11, 20, 8, 40), None),
    (3, "Anna Ivanova", None, None, False, datetime(2026, 11, 20, 7, 0), datetime(2026, 11, 20, 8, 30), None),
    (4, "Dilnoza Karimova", None, None, False, datetime(2026, 11, 20, 7, 5, 30), datetime(2026, 11, 20, 7, 47), None),
]


def test_russian_session_data():
    parsed = parsed_from(text(RU))
    assert (parsed.format, parsed.encoding, parsed.delimiter, parsed.rows_read, parsed.problems) == (
        "bbb", "UTF-8", ",", 4, [])  # fmt: skip
    assert records(parsed) == RU_RECORDS  # the "Анонимно" row (lines 6-8, poll answers on three lines) is no person
    assert parsed.mapping == {
        "name": "Имя",
        "meeting_role": "Модератор",
        "join": "Вошел",
        "leave": "Вышел",
        "duration": "Duration",
    }
    assert parsed.extra_headers == [  # engagement and the poll: not used, a poll about a country included
        "Activity Score", "Время разговора", "Время с веб-камерой", "Сообщений", "Реакции", "Варианты ответов",
        "Поднятых рук", "Из какой вы страны?",
    ]  # fmt: skip
    ((title, starts_at, local_date, platform),) = [
        (e.title, e.starts_at, e.local_date, e.platform) for e in parsed.events
    ]
    # the title and date from the file name, the start at the earliest join (Ольга's 09:50)
    assert (title, starts_at, local_date, platform) == (
        "Кластеры Пермь",
        datetime(2026, 11, 20, 4, 50),
        "2026-11-20",
        "bbb",
    )


def test_english_session_data_with_am_pm():
    parsed = parsed_from(text(EN), EN)
    assert (parsed.format, parsed.rows_read, parsed.problems) == ("bbb", 3, [])
    assert records(parsed) == EN_RECORDS  # the "Anonymous" row skipped
    assert parsed.extra_headers == [
        "Activity Score", "Talk time", "Webcam Time", "Messages", "Reactions", "Poll Votes", "Raise Hands",
        "Was the pace right?",
    ]  # fmt: skip
    event = parsed.events[0]
    assert (event.title, event.starts_at, event.local_date) == (
        "Industrial clusters",
        datetime(2026, 11, 20, 6, 50),  # the host's 11:50 AM
        "2026-11-20",
    )


def test_detected_by_its_header():
    assert [detect(reading.read(text(name).encode())) for name in (RU, EN)] == ["bbb", "bbb"]
    # "Talk Time" as the source's default messages write it, in any case
    older = text(EN).replace("Talk time", "TALK TIME").replace("Activity Score", "activity score")
    assert detect(reading.read(older.encode())) == "bbb"


def test_a_plain_space_before_am_pm_reads_the_same():
    assert records(parsed_from(text(EN).replace(NNBSP, " "), EN)) == EN_RECORDS


EN_GB = {  # the same file downloaded by a browser in en-GB: day/month/year, 24-hour clock
    f"11/20/2026, 11:50:00{NNBSP}AM": "20/11/2026, 11:50:00",
    f"11/20/2026, 01:40:00{NNBSP}PM": "20/11/2026, 13:40:00",
    f"11/20/2026, 12:00:00{NNBSP}PM": "20/11/2026, 12:00:00",
    f"11/20/2026, 01:30:00{NNBSP}PM": "20/11/2026, 13:30:00",
    f"11/20/2026, 12:05:30{NNBSP}PM": "20/11/2026, 12:05:30",
    f"11/20/2026, 12:47:00{NNBSP}PM": "20/11/2026, 12:47:00",
}


def en_gb() -> str:
    data = text(EN)
    for us, gb in EN_GB.items():
        assert us in data
        data = data.replace(us, gb)
    return data


def test_en_gb_dates_are_day_first():
    assert records(parsed_from(en_gb(), EN)) == EN_RECORDS


def test_bad_values_are_named_by_line_and_column():
    data = (
        en_gb()
        .replace('"20/11/2026, 12:00:00"', f'"20/11/2026, 12:00:00{NNBSP}PM"')  # AM/PM: month first, and 20 is no month
        .replace('"20/11/2026, 12:47:00"', '"20/11/2026, 12:47"')  # no seconds: still a time
        .replace('"TRUE"', '"ДА"')
    )
    parsed = parsed_from(data, EN)
    assert [p.text(EN, "en") for p in parsed.problems] == [
        f"{EN}, line 2, column 'Moderator': cannot read 'ДА'; expected TRUE or FALSE",
        f"{EN}, line 3, column 'Join': cannot read the time '20/11/2026, 12:00:00{NNBSP}PM'; "
        "expected a time as a browser writes it, e.g. 27.11.2026, 10:02:13, 27/11/2026, 10:02:13 "
        "or 11/27/2026, 10:02:13 AM",
    ]
    assert records(parsed) == EN_RECORDS[2:]  # Dilnoza, left at 12:47
    russian = text(RU).replace('"20.11.2026, 11:30:00","01:05:00"', '"31.11.2026, 11:30:00","1 ч 5 мин"')
    problems = parsed_from(russian).problems
    assert [p.text(RU, "ru") for p in problems] == [
        f"{RU}, строка 4, колонка «Вышел»: не удалось прочитать время «31.11.2026, 11:30:00»; ожидалось время, "
        "записанное браузером, например 27.11.2026, 10:02:13, 27/11/2026, 10:02:13 или 11/27/2026, 10:02:13 AM",
    ]
    russian = text(RU).replace('"20.11.2026, 11:30:00","01:05:00"', '"20.11.2026, 11:30:00","1 ч 5 мин"')
    assert [(p.code, p.line, p.column, p.values) for p in parsed_from(russian).problems] == [
        ("bad_clock", 4, "Duration", {"value": "1 ч 5 мин"})
    ]


def test_duration_longer_than_the_stay_is_cut_at_left():
    row = quoted("Тимур Рахимов", "FALSE", "0", "-", "-", "0", "0", "0", "0", "20.11.2026, 10:10:00",
                 "20.11.2026, 10:40:00", "00:45:00", "-")  # fmt: skip
    data = text(RU).replace('\r\n"Анонимно"', "\r\n" + row + '\r\n"Анонимно"')
    last = records(parsed_from(data))[-1]
    assert last == (6, "Тимур Рахимов", None, None, False, datetime(2026, 11, 20, 5, 10), datetime(2026, 11, 20, 5, 40),
                    None)  # fmt: skip


RENAMED_EN = (
    "a BigBlueButton webinar's title and date come from the file name, and this one is not the name the browser "
    "saved: LearningDashboard_<meeting-name-with-hyphens>_<YYYY-MM-DD>.csv (e.g. "
    "LearningDashboard_Industrial-clusters_2026-11-20.csv). Give the file that name back, or name the webinar "
    "in the column mapping"
)


@pytest.mark.parametrize("name", ["session-data.csv", "LearningDashboard_Кластеры-Пермь.csv",
                                  "LearningDashboard_Кластеры-Пермь_2026-13-40.csv", None])  # fmt: skip
def test_a_renamed_file_is_refused(name):
    parsed = parsed_from(text(RU), name)
    assert (len(parsed), parsed.events, parsed.rows_read) == (0, [], 4)  # read, but no webinar to hold the rows
    assert [p.text("x.csv", "en") for p in parsed.problems] == ["x.csv: " + RENAMED_EN]
    assert (
        parsed.problems[0]
        .text("x.csv", "ru")
        .startswith("x.csv: название и дата вебинара BigBlueButton берутся из имени файла")
    )


@pytest.mark.parametrize("skip_bad_rows", [False, True])
def test_a_renamed_file_is_refused_by_the_loader_and_writes_nothing(con, skip_bad_rows):
    result = import_file(con, (FIXTURES / RU).read_bytes(), "выгрузка.csv", zone=ZONE, skip_bad_rows=skip_bad_rows)
    assert (result.status, [p.code for p in result.problems]) == ("rejected", ["bbb_file_name"])
    assert con.execute("select (select count(*) from events), (select count(*) from imports)").fetchall() == [(0, 0)]


def test_a_renamed_file_with_a_mapped_title(con):
    mapping = {"event_title": "Кластеры: Пермь"}
    parsed = parsed_from(text(RU), "выгрузка.csv", mapping)
    assert records(parsed) == RU_RECORDS
    event = parsed.events[0]
    # no date in the name: the webinar's date is its start's, the earliest join
    assert (event.title, event.starts_at, event.local_date) == ("Кластеры: Пермь", datetime(2026, 11, 20, 4, 50), None)
    result = import_file(con, (FIXTURES / RU).read_bytes(), "выгрузка.csv", zone=ZONE, mapping=mapping)
    assert (result.status, result.records) == ("imported", 4)
    assert con.execute("select event_key, title, starts_at, platform from events").fetchall() == [
        ("кластеры-пермь-2026-11-20", "Кластеры: Пермь", datetime(2026, 11, 20, 4, 50), "bbb")
    ]


@pytest.mark.parametrize(
    "name",
    [
        "LearningDashboard_Кластеры-Пермь_2026-11-20 (1).csv",  # a second download
        "LearningDashboard_Кластеры-Пермь_2026-11-20(2).csv",
        "downloads/LearningDashboard_Кластеры-Пермь_2026-11-20.csv",
        "C:\\Users\\anna\\Downloads\\LearningDashboard_Кластеры-Пермь_2026-11-20.CSV",
    ],
)
def test_names_a_browser_gives(name):
    event = parsed_from(text(RU), name).events[0]
    assert (event.title, event.local_date) == ("Кластеры Пермь", "2026-11-20")


def test_only_the_anonymous_row_is_header_only():
    header, *_ = text(RU).split("\r\n")
    data = header + '\r\n"Анонимно","","","","","","","","","","","",""'
    with pytest.raises(FileRejected) as rejected:
        parsed_from(data)
    assert [p.code for p in rejected.value.problems] == ["header_only"]


def test_a_person_called_anonymous_is_a_person():
    row = quoted("Anonymous", "FALSE", "0", "-", "-", "0", "0", "0", "0", "11/20/2026, 12:10:00 PM",
                 "11/20/2026, 12:20:00 PM", "00:10:00", "-")  # fmt: skip
    data = text(EN).replace('\r\n"Anonymous",""', "\r\n" + row + '\r\n"Anonymous",""')
    last = records(parsed_from(data, EN))[-1]
    assert last == (
        5,
        "Anonymous",
        None,
        None,
        False,
        datetime(2026, 11, 20, 7, 10),
        datetime(2026, 11, 20, 7, 20),
        None,
    )


def test_imported_into_a_fresh_database(con):
    result = import_file(con, (FIXTURES / RU).read_bytes(), RU, zone=ZONE)
    assert (result.status, result.format, result.encoding, result.rows_read, result.records, result.persons) == (
        "imported", "bbb", "UTF-8", 4, 4, 4)  # fmt: skip
    assert report(con) == {
        "participants": 3,  # Айгуль, Ержан, Дина; Ольга is a moderator (staff)
        "registrants": 0,  # BBB knows no registrations
        "attendance_rate": None,
        "attendances": 3,
        "events": 1,
        "countries": 0,  # no country in the file
        "repeat_participants": 0,
        "minutes_total": 227.5,  # Айгуль 90 + Ержан 65 (BBB's Duration, not 85) + Дина 72.5
        "median_minutes": 72.5,
        "by_country": {"unknown": 3},
        "by_role": {"unknown": 3},
        "peak_concurrent": {"кластеры-пермь-2026-11-20": 3},  # all three in from 05:20 to 06:10 UTC
    }
    staff = con.execute(
        "select p.identity_key, a.is_staff, a.staff_role from attendance a join participants p using (person_id)"
        " order by 1"
    ).fetchall()
    assert staff == [  # no e-mail: each person is known by name
        ("name:айгуль исмаилова", False, None),
        ("name:дина сейткали", False, None),
        ("name:ержан ахметов", False, None),
        ("name:ольга смирнова", True, "co-host"),
    ]
    assert con.execute("select event_key, title, starts_at::varchar, platform from events").fetchall() == [
        ("кластеры-пермь-2026-11-20", "Кластеры Пермь", "2026-11-20 04:50:00", "bbb")
    ]


def test_english_file_imported(con):
    result = import_file(con, (FIXTURES / EN).read_bytes(), EN, zone=ZONE)
    assert (result.status, result.records, result.persons) == ("imported", 3, 3)
    got = report(con)
    assert {
        k: got[k] for k in ("participants", "attendances", "minutes_total", "median_minutes", "peak_concurrent")
    } == {
        "participants": 2,  # Anna and Dilnoza; the host is a moderator
        "attendances": 2,
        "minutes_total": 131.5,  # 90 + 41.5
        "median_minutes": 65.8,  # (41.5 + 90) / 2 = 65.75, to one decimal
        "peak_concurrent": {"industrial-clusters-2026-11-20": 2},
    }


def test_a_poll_is_not_read_unless_mapped():
    """A poll asking the occupation is still a poll: not read, listed as not used; the mapping editor may
    name it for the occupation (the host did not answer: "-")."""
    data = text(EN).replace("Was the pace right?", "What is your occupation?")
    data = data.replace('"Yes"', '"PhD student"').replace('"No"', '"economist"')
    assert [r["occupation_raw"] for r in parsed_from(data, EN).arrow().to_pylist()] == [None, None, None]
    assert parsed_from(data, EN).extra_headers[-1] == "What is your occupation?"
    mapped = parsed_from(data, EN, {"columns": {"occupation": "What is your occupation?"}})
    assert [(r["name"], r["occupation_raw"]) for r in mapped.arrow().to_pylist()] == [
        ("Host Perm", None),
        ("Anna Ivanova", "PhD student"),
        ("Dilnoza Karimova", "economist"),
    ]
    assert (mapped.mapping["occupation"], mapped.extra_headers[-1]) == ("What is your occupation?", "Raise Hands")


def test_a_poll_question_with_a_comma_is_harmless():
    """BBB does not quote its header: the question spreads over two header cells."""
    parsed = parsed_from(text(EN).replace("Was the pace right?", "Was the pace right, or too fast?"), EN)
    assert (records(parsed), parsed.problems, parsed.extra_headers[-2:]) == (
        EN_RECORDS, [], ["Was the pace right", "or too fast?"])  # fmt: skip


SAMPLES = [(FIXTURES / RU).read_bytes(), (FIXTURES / EN).read_bytes()]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=bool(os.environ.get("CI")))  # fmt: skip
@given(
    st.sampled_from(SAMPLES),
    st.lists(st.tuples(st.integers(min_value=0), st.binary(min_size=1, max_size=6)), max_size=4),
)
def test_damaged_session_data_is_imported_or_refused_never_a_bug(sample, edits):
    data = bytearray(sample)
    for position, replacement in edits:
        at = position % len(data)
        data[at : at + len(replacement)] = replacement
    con = database.connect_memory()
    try:
        result = import_file(con, bytes(data), RU, zone=ZONE)
        assert result.status in ("imported", "rejected")
        if result.status == "rejected":
            assert result.problems and not {p.code for p in result.problems} & {"internal", "reader_crashed"}
            assert con.execute("select count(*) from imports").fetchall() == [(0,)]
    finally:
        con.close()
