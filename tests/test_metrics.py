"""The figures of docs/metrics.md on the hand-made programme (tests/programme.py).

Every expected number below is worked out by hand from the rows listed in that module.
"""

import json
from datetime import UTC, date, datetime

import duckdb
import pandas as pd
import pytest

from dashboard import database, figures, queries, reach
from dashboard.filters import Filters
from dashboard.imports.loader import import_file
from dashboard.live.checkin import checkin_event
from dashboard.live.events import parse_batch
from dashboard.live.store import store
from tests import programme


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def overview(con, filters: Filters | None = None) -> reach.Overview:
    filters = filters or Filters()
    return reach.overview(con, filters, queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters()))


def test_headline_figures_of_the_whole_programme(tiny):
    assert overview(tiny).kpis == {
        "participants": 5,  # P1 P2 P3 P4 P6; host P5 is staff, P7 never came
        "registrants": 4,  # P1 P3 P4 P7
        "attendance_rate": pytest.approx(4 / 6),  # 6 registrations, 4 attended the same webinar
        "attendances": 6,
        "repeat_participants": 1,  # P1 (w1 and w2)
        "countries": 4,  # RU BY AM KZ; P4 is unknown
        "cis_countries": 4,
        "minutes_total": pytest.approx(250.0),  # 60 + 45 + 50 + 30 + 5 + 60
        "median_minutes": pytest.approx(47.5),  # 5 30 45 | 50 60 60
        "events": 3,
    }


def test_person_attributes_follow_the_rules(tiny):
    rows = tiny.execute("select person_id, country, role from participants order by person_id").fetchall()
    assert rows == [
        (1, "RU", "scientist"),  # declared RU at w1; the latest stated role is scientist (w2)
        (2, "BY", "unknown"),  # KZ once, BY once: tie -> the latest row (BY)
        (3, "AM", "student"),  # w2 states no role: the earlier statement stands
        (4, None, "official"),  # no country declared or reported
        (5, "RU", "unknown"),  # staff; reported RU on both rows
        (6, "KZ", "unknown"),
        (7, "UZ", "economist"),
    ]


def test_identity_keys_are_normalised(tiny):
    keys = [r[0] for r in tiny.execute("select identity_key from participants order by person_id").fetchall()]
    assert keys == [
        "email:ann@x.org",
        "name:елкина мария",
        "email:bob@y.org",
        "email:cara@z.org",
        "email:host@perm.ru",
        "email:dan@q.kz",
        "email:eve@w.org",
    ]


def test_webinar_table(tiny):
    table = overview(tiny).webinars
    expected = pd.DataFrame(
        {
            "event_key": ["w1", "w2", "w3"],
            "event_date": [date(2026, 10, 1), date(2026, 10, 8), date(2026, 10, 16)],  # w3: 01:00 in Perm
            "registrants": [2, 3, 1],
            "participants": [2, 3, 1],
            "attendance_rate": [0.5, 1.0, 0.0],
            "median_minutes": [55.0, 30.0, 60.0],
            # w1: P1 and P2 together 06:10-06:50. w2: at 06:05 P4 leaves as P3 joins: still 2, not 3.
            "peak_concurrent": [2, 2, 1],
        }
    )
    got = table[expected.columns].assign(event_date=lambda d: pd.to_datetime(d["event_date"]).dt.date)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_reach_by_country_keeps_unknown(tiny):
    got = overview(tiny).by_country
    expected = pd.DataFrame(
        {
            "country": ["AM", "BY", "KZ", "RU", "unknown"],
            "stage": [1, 1, 1, 1, None],
            "participants": [1, 1, 1, 1, 1],
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_reach_by_role(tiny):
    got = overview(tiny).by_role
    expected = pd.DataFrame({"role": ["scientist", "student", "official", "unknown"], "participants": [1, 1, 1, 2]})
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_matrix_of_countries_and_roles(tiny):
    expected = pd.DataFrame(
        {
            "country": ["AM", "BY", "KZ", "RU", "unknown"],
            "role": ["student", "unknown", "unknown", "scientist", "official"],
            "participants": [1, 1, 1, 1, 1],
        }
    )
    pd.testing.assert_frame_equal(overview(tiny).matrix, expected, check_dtype=False)


def test_reach_cube_splits_persons(tiny):
    cube = queries.run(tiny, "reach_cube", Filters())
    got = [
        tuple(None if pd.isna(v) else v for v in row)
        for row in cube[
            ["country", "role", "first_slot", "is_participant", "is_repeat", "is_registrant", "persons"]
        ].itertuples(index=False)
    ]
    assert got == [
        ("AM", "student", 1, True, False, True, 1),  # P3: no-show at w1, came to w2
        ("BY", "unknown", 0, True, False, False, 1),  # P2
        ("KZ", "unknown", 2, True, False, False, 1),  # P6
        ("RU", "scientist", 0, True, True, True, 1),  # P1
        ("UZ", "economist", None, False, False, True, 1),  # P7: registrant only
        ("unknown", "official", 1, True, False, True, 1),  # P4
    ]


def test_cumulative_reach(tiny):
    got = overview(tiny).cumulative
    expected = pd.DataFrame(
        {
            "event_key": ["w1", "w2", "w3"],
            "participants": [2, 3, 1],
            "new_participants": [2, 2, 1],  # P1 P2 | P3 P4 | P6
            "cumulative_participants": [2, 4, 5],
            "new_countries": [2, 1, 1],  # RU BY | AM (P4 is unknown) | KZ
            "cumulative_countries": [2, 3, 4],
        }
    )
    pd.testing.assert_frame_equal(got[expected.columns], expected, check_dtype=False)


def test_stage_coverage(tiny):
    countries = queries.run(tiny, "countries", Filters())
    got = reach.stage_coverage(overview(tiny).by_country, countries)
    expected = pd.DataFrame(
        {
            "stage": [1, 2],
            "countries_in_stage": [5, 5],
            "countries_reached": [4, 0],
            "coverage": [0.8, 0.0],
        }
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            Filters(countries=("RU",)),  # P1 only
            dict(
                participants=1,
                registrants=1,
                attendance_rate=1.0,
                attendances=2,
                repeat_participants=1,
                countries=1,
                minutes_total=105.0,
                events=3,
            ),
        ),
        (
            Filters(countries=("unknown",)),  # P4 only
            dict(
                participants=1,
                registrants=1,
                attendance_rate=1.0,
                attendances=1,
                repeat_participants=0,
                countries=0,
                minutes_total=5.0,
                events=3,
            ),
        ),
        (
            Filters(roles=("unknown",)),  # P2 and P6, neither registered
            dict(
                participants=2,
                registrants=0,
                attendance_rate=None,
                attendances=2,
                repeat_participants=0,
                countries=2,
                minutes_total=110.0,
                events=3,
            ),
        ),
        (
            Filters(stages=(1,)),  # RU BY AM KZ: P1 P2 P3 P6; P7 (UZ) is stage 2, P4 unknown
            dict(
                participants=4,
                registrants=2,
                attendance_rate=0.75,
                attendances=5,
                repeat_participants=1,
                countries=4,
                minutes_total=245.0,
                events=3,
            ),
        ),
        (
            Filters(stages=(2,)),  # P7 (UZ) registered and did not come
            dict(
                participants=0,
                registrants=1,
                attendance_rate=0.0,
                attendances=0,
                repeat_participants=0,
                countries=0,
                minutes_total=0.0,
                events=3,
            ),
        ),
        (
            Filters(date_from=date(2026, 10, 16)),  # w3 only: its local date is the 16th
            dict(
                participants=1,
                registrants=1,
                attendance_rate=0.0,
                attendances=1,
                repeat_participants=0,
                countries=1,
                minutes_total=60.0,
                events=1,
            ),
        ),
        (
            Filters(date_to=date(2026, 10, 15)),  # w1 and w2
            dict(
                participants=4,
                registrants=3,
                attendance_rate=0.8,
                attendances=5,
                repeat_participants=1,
                countries=3,
                minutes_total=190.0,
                events=2,
            ),
        ),
        (
            Filters(events=("w2",)),
            dict(
                participants=3,
                registrants=3,
                attendance_rate=1.0,
                attendances=3,
                repeat_participants=0,
                countries=2,
                minutes_total=80.0,
                events=1,
            ),
        ),
        (
            Filters(series=("T",)),
            dict(
                participants=1,
                registrants=1,
                attendance_rate=0.0,
                attendances=1,
                repeat_participants=0,
                countries=1,
                minutes_total=60.0,
                events=1,
            ),
        ),
        (
            Filters(min_minutes=40),  # P1w1 60, P1w2 45, P2w1 50, P6w3 60 count; regs attended: P1w1 P1w2
            dict(
                participants=3,
                registrants=4,
                attendance_rate=2 / 6,
                attendances=4,
                repeat_participants=1,
                countries=3,
                minutes_total=215.0,
                events=3,
            ),
        ),
        (
            Filters(countries=("RU", "KZ"), roles=("scientist",)),  # P1
            dict(
                participants=1,
                registrants=1,
                attendance_rate=1.0,
                attendances=2,
                repeat_participants=1,
                countries=1,
                minutes_total=105.0,
                events=3,
            ),
        ),
    ],
)
def test_filters(tiny, filters, expected):
    got = overview(tiny, filters).kpis
    got = {k: got[k] for k in expected}
    assert got == {k: (pytest.approx(v) if isinstance(v, float) else v) for k, v in expected.items()}


def test_minimum_minutes_applies_to_peak_concurrent(tiny):
    table = overview(tiny, Filters(min_minutes=40)).webinars
    # w2: only P1 (45 min) counts; P3 (30) and P4 (5) do not
    assert table[["event_key", "participants", "peak_concurrent"]].values.tolist() == [
        ["w1", 2, 2],
        ["w2", 1, 1],
        ["w3", 1, 1],
    ]


def test_report_json_shape(tiny):
    countries, roles = queries.run(tiny, "countries", Filters()), queries.run(tiny, "roles", Filters())
    assert reach.report(tiny, Filters(), countries, roles) == {
        "participants": 5,
        "registrants": 4,
        "attendance_rate": 0.6667,
        "attendances": 6,
        "events": 3,
        "countries": 4,
        "repeat_participants": 1,
        "minutes_total": 250.0,
        "median_minutes": 47.5,
        "by_country": {"AM": 1, "BY": 1, "KZ": 1, "RU": 1, "unknown": 1},
        "by_role": {"scientist": 1, "student": 1, "official": 1, "unknown": 2},
        "peak_concurrent": {"w1": 2, "w2": 2, "w3": 1},
    }


def test_kpi_deltas_compare_the_latest_webinar_with_the_previous(tiny):
    o = overview(tiny)
    deltas = reach.kpi_deltas(o.cumulative, o.webinars)
    assert deltas == {
        "participants": 1,  # w3 added P6
        "countries": 1,  # and KZ
        "attendance_rate": pytest.approx(-1.0),  # 0.0 at w3 against 1.0 at w2
        "median_minutes": pytest.approx(30.0),  # 60 against 30
        "latest_event": "w3",
        "previous_event": "w2",
    }


def test_peak_paths_agree_stored_and_computed(tiny):
    webinars = overview(tiny).webinars
    stored = reach.peak_concurrent(tiny, Filters(), webinars)  # no person filter: stored at load time
    computed = reach.peaks_from_segments(queries.run(tiny, "audience_segments", Filters()))
    assert stored.to_dict() == {"w1": 2, "w2": 2, "w3": 1}
    assert computed.to_dict() == {0: 2, 1: 2, 2: 1}  # by slot


def test_audience_segments_are_merged_and_relative_to_the_start(tiny):
    segments = queries.run(tiny, "audience_segments", Filters(events=("w1",)))
    # w1 starts 06:00. P1 [06:00,06:50) (two overlapping rows merged) and [07:00,07:10);
    # P2 [06:10,06:40) and [06:40,07:00) touch, so they are one segment.
    assert sorted(segments.itertuples(index=False, name=None)) == [(0, 0, 3000), (0, 600, 3600), (0, 3600, 4200)]


def test_peaks_from_segments():
    segments = pd.DataFrame(
        {
            "slot": [0, 0, 0, 2, 2],
            "start_offset_s": [0, 10, 20, -5, 5],
            "end_offset_s": [20, 30, 40, 5, 6],  # slot 0: at 20 one leaves as one joins
        }
    )
    assert reach.peaks_from_segments(segments).to_dict() == {0: 2, 2: 1}
    assert reach.peaks_from_segments(segments.iloc[0:0]).empty


def test_stored_and_computed_paths_agree_on_the_demo(demo_con):
    """Each question has a fast path over stored facts and general paths; on the demo they must
    give the same figures. Every webinar selected by a date before the series forces the
    bitstring path; a minimum of 0 minutes forces the path over pairs and segments."""
    fast = overview(demo_con)
    by_bitstrings = overview(demo_con, Filters(date_from=date(2000, 1, 1)))
    by_pairs = overview(demo_con, Filters(min_minutes=0))
    for other in (by_bitstrings, by_pairs):
        assert other.kpis == fast.kpis
        pd.testing.assert_frame_equal(other.matrix, fast.matrix)
        pd.testing.assert_frame_equal(other.cumulative, fast.cumulative)
        pd.testing.assert_frame_equal(other.webinars, fast.webinars)


def test_median_targets_and_exact_values():
    histogram = pd.DataFrame({"event_key": ["a", "a", "b"], "whole_minute": [5, 7, 7], "pairs": [1, 2, 1]})
    targets = reach.median_targets(histogram)
    # a: minutes 5,7,7 -> n=3, rank 2 is the 1st value in minute 7; all: 5,7,7,7 -> ranks 2 and 3
    assert targets == {"a": [(7, 1), (7, 1)], "b": [(7, 1), (7, 1)], None: [(7, 1), (7, 2)]}
    exact = pd.DataFrame(
        {
            "event_key": ["a", "a", "b"],
            "whole_minute": [7, 7, 7],
            "minutes": [7.25, 7.5, 7.0],
            "pairs": [1, 1, 1],
        }
    )
    assert reach.medians_from_exact(targets, exact) == {"a": 7.25, "b": 7.0, None: 7.125}  # all: 7.0, 7.25


# -- check-ins: participants of unknown minutes ---------------------------------------------------


def checkin_webinar() -> duckdb.DuckDBPyConnection:
    """One webinar, 06:00-07:00 UTC as planned: Ann [06:00, 06:30) and Bob [06:00, 06:50) in the
    Zoom report (30 and 50 minutes), and three audience check-ins at 06:10, 06:20 and 06:40, which
    never leave: present to the planned end, 07:00, but of unknown minutes."""
    con = database.connect_memory()
    database.set_programme_setting(con, "timezone", programme.TZ)
    con.execute(
        "insert into events (event_id, event_key, title, starts_at, planned_minutes, platform)"
        " values (1, 'm', 'Mixed', '2026-10-01 06:00', 60, 'Zoom')"
    )
    con.execute(
        "insert into participants (person_id, identity_key) values (1, 'email:ann@x.org'), (2, 'email:bob@y.org')"
    )
    con.executemany(
        "insert into attendance (person_id, event_id, joined_at, left_at, country, source)"
        " values (?, 1, ?, ?, ?, 'zoom')",
        [
            (1, ts("2026-10-01 06:00"), ts("2026-10-01 06:30"), "RU"),
            (2, ts("2026-10-01 06:00"), ts("2026-10-01 06:50"), "KZ"),
        ],
    )
    database.reset_sequences(con)
    with database.transaction(con):
        database.refresh(con)
    store(con, [
        checkin_event("m", "session-aaaaaaaaaaaa", "AM", "student", datetime(2026, 10, 1, 6, 10, tzinfo=UTC)),
        checkin_event("m", "session-bbbbbbbbbbbb", "AM", "official", datetime(2026, 10, 1, 6, 20, tzinfo=UTC)),
        checkin_event("m", "session-cccccccccccc", "TJ", "student", datetime(2026, 10, 1, 6, 40, tzinfo=UTC)),
    ])  # fmt: skip
    return con


def test_check_ins_are_participants_whose_minutes_are_unknown():
    con = checkin_webinar()
    o = overview(con)
    assert o.kpis == {
        "participants": 5,  # Ann, Bob and the three check-ins
        "registrants": 0,
        "attendance_rate": None,
        "attendances": 5,
        "repeat_participants": 0,
        "countries": 4,  # RU KZ AM TJ: the check-ins' countries count
        "cis_countries": 4,
        "minutes_total": pytest.approx(80.0),  # 30 + 50; the check-ins' minutes are unknown
        "median_minutes": pytest.approx(40.0),  # of 30 and 50 only
        "events": 1,
    }
    row = o.webinars.iloc[0]
    # at 06:20 Ann, Bob and two check-ins; at 06:40 Bob and three (Ann left at 06:30): the room is there
    assert (row["participants"], row["minutes_total"], row["median_minutes"], row["peak_concurrent"]) == (
        5, pytest.approx(80.0), pytest.approx(40.0), 4)  # fmt: skip
    assert row["sources"] == ("zoom", "checkin")
    assert o.by_role.to_dict("list") == {"role": ["student", "official", "unknown"], "participants": [2, 1, 2]}
    con.close()


@pytest.mark.parametrize(
    ("minimum", "participants", "countries", "peak"),
    [
        (None, 5, 4, 4),  # no minimum: everyone, as before
        (0, 5, 4, 4),  # a minimum of 0 is passed by any attendance, even one of unknown length
        (1, 2, 2, 2),  # Ann and Bob; a check-in's unknown minutes pass no minimum above 0
        (40, 1, 1, 1),  # Bob (50)
    ],
)
def test_a_minimum_of_minutes_leaves_check_ins_out(minimum, participants, countries, peak):
    con = checkin_webinar()
    o = overview(con, Filters(min_minutes=minimum))
    got = (o.kpis["participants"], o.kpis["attendances"], o.kpis["countries"], int(o.webinars["peak_concurrent"][0]))
    assert got == (participants, participants, countries, peak)
    # the minutes are those of Ann and Bob either way (Ann's 30 fall below 40)
    expected_minutes = (30.0, 50.0) if minimum is None or minimum < 30 else (50.0,)
    assert o.kpis["minutes_total"] == pytest.approx(sum(expected_minutes))
    assert o.kpis["median_minutes"] == pytest.approx(sum(expected_minutes) / len(expected_minutes))
    con.close()


def test_a_webinar_known_only_from_check_ins_has_participants_and_no_minutes():
    con = checkin_webinar()
    con.execute("delete from attendance")
    with database.transaction(con):
        database.refresh(con)
    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    report = reach.report(con, Filters(), countries, roles)
    keys = ("participants", "attendances", "minutes_total", "median_minutes", "peak_concurrent")
    picked = {k: report[k] for k in keys}
    assert picked == {
        "participants": 3,
        "attendances": 3,
        "minutes_total": 0.0,  # nothing measured
        "median_minutes": None,  # shown as —
        "peak_concurrent": {"m": 3},  # from 06:40 all three are in the room
    }
    assert queries.run(con, "minutes_histogram", Filters()).empty
    con.close()


# -- the source of each webinar's figures ------------------------------------------------------------

SOURCES_SHEET = """ФИО;E-mail;Вебинар;Дата
Анна;ann@x.org;Телемост;22.10.2026
Новый Гость;guest@n.org;Телемост;22.10.2026
Боб;bob@y.org;Толк;29.10.2026
""".encode()


@pytest.fixture
def sources_programme(tiny):
    """The hand-made programme (w1-w3 from a Zoom report) and four webinars more: 'telemost' on a
    platform that exports no attendance (a registration sheet, then three check-ins), 'tolk' with
    the sheet's registrations only, 'plan' with nothing yet; then one check-in at w1 and one live
    join at w3."""
    tiny.executemany(
        "insert into events (event_id, event_key, series, title, starts_at, planned_minutes, platform, origin)"
        " values (?, ?, 'S', ?, ?, 60, ?, 'planned')",
        [
            (4, "telemost", "Телемост", ts("2026-10-22 06:00"), "Яндекс Телемост"),
            (5, "tolk", "Толк", ts("2026-10-29 06:00"), "Контур.Толк"),
            (6, "plan", "План", ts("2026-11-05 06:00"), None),
        ],
    )
    database.reset_sequences(tiny)
    assert import_file(tiny, SOURCES_SHEET, "registrations.csv", zone=programme.TZ).status == "imported"
    at = datetime(2026, 10, 22, 6, 5, tzinfo=UTC)
    store(tiny, [
        checkin_event("telemost", "session-aaaaaaaaaaaa", "KZ", "student", at),
        checkin_event("telemost", "session-bbbbbbbbbbbb", "RU", "executive", at),
        checkin_event("telemost", "session-cccccccccccc", "BY", "other", at),
        checkin_event("w1", "session-dddddddddddd", "KZ", "student", datetime(2026, 10, 1, 6, 15, tzinfo=UTC)),
    ])  # fmt: skip
    live_join = {"id": "j1", "event": "w3", "type": "join", "at": "2026-10-15T20:30:00Z", "email": "zed@x.org"}
    store(tiny, parse_batch(json.dumps({"events": [live_join]}).encode()))
    return tiny


def test_each_webinar_says_where_its_figures_come_from(sources_programme):
    o = overview(sources_programme)
    got = o.webinars[["event_key", "registrants", "participants", "sources"]]
    assert got.values.tolist() == [
        ["w1", 2, 3, ("zoom", "checkin")],  # the Zoom report's rows and one check-in
        ["w2", 3, 3, ("zoom",)],
        ["w3", 1, 2, ("zoom", "live")],  # Dan in the report, zed joined live
        ["telemost", 2, 3, ("checkin",)],  # the registrations do not show beside attendance
        ["tolk", 1, 0, ("registrations",)],  # registrations, no attendance
        ["plan", 0, 0, ("planned",)],  # nothing yet
    ]
    shown = figures.webinar_table(o.webinars, "en")["Source"].tolist()
    assert shown == ["Zoom file + check-in", "Zoom file", "Zoom file + live feed", "check-in", "registrations only",
                     "planned, no data yet"]  # fmt: skip
    assert figures.webinar_table(o.webinars, "ru")["Источник"].tolist() == [
        "файл Zoom + отметка слушателей", "файл Zoom", "файл Zoom + события эфира", "отметка слушателей",
        "только регистрации", "запланирован, данных нет"]  # fmt: skip


def test_no_attendance_rate_where_attendance_cannot_be_matched_to_registrants(sources_programme):
    """A check-in is anonymous and registrations alone measure nothing: 'telemost' and 'tolk' have
    no rate, and their registrations stay out of the programme's rate. By hand: w1 registrations
    P1, P3 → P1 came (1 of 2); w2 P1, P3, P4 → all came (3 of 3); w3 P7 → no-show (0 of 1): 4 of 6."""
    o = overview(sources_programme)
    rates = dict(zip(o.webinars["event_key"], o.webinars["attendance_rate"], strict=True))
    assert {k: (None if pd.isna(v) else round(v, 4)) for k, v in rates.items()} == {
        "w1": 0.5, "w2": 1.0, "w3": 0.0, "telemost": None, "tolk": None, "plan": None}  # fmt: skip
    assert round(o.kpis["attendance_rate"], 4) == round(4 / 6, 4)
    only_unmeasured = overview(sources_programme, Filters(events=("tolk", "telemost")))
    assert (only_unmeasured.kpis["registrants"], only_unmeasured.kpis["attendance_rate"]) == (3, None)


@pytest.mark.parametrize(
    "filters",
    [Filters(countries=("UZ",)), Filters(min_minutes=45), Filters(events=("tolk", "telemost"))],
    ids=["a country", "a minimum", "two webinars"],
)
def test_the_source_describes_the_webinar_not_the_selection(sources_programme, filters):
    everyone = overview(sources_programme).webinars.set_index("event_key")["sources"]
    selected = overview(sources_programme, filters).webinars.set_index("event_key")["sources"]
    assert selected.to_dict() == everyone[selected.index].to_dict()


def test_rehearsal_data_is_no_source(tiny):
    rehearsal = {"id": "r1", "event": "plan", "type": "join", "at": "2026-11-05T06:05:00Z", "email": "r@x.org",
                 "event_title": "План"}  # fmt: skip
    store(tiny, parse_batch(json.dumps({"events": [rehearsal], "rehearsal": True}).encode()))
    sources = overview(tiny, Filters(rehearsals=True)).webinars.set_index("event_key")["sources"]
    assert sources.to_dict() == {"w1": ("zoom",), "w2": ("zoom",), "w3": ("zoom",), "plan": ("planned",)}


@pytest.mark.parametrize(
    ("import_format", "source"),
    [("zoom-attendee", "zoom"), ("webex", "webex"), ("mts-link", "mts-link"), ("bbb", "bbb"), ("sheet", "sheet"),
     ("mts-link-api", "mts-link-api"), ("a-new-format", "file")],
)  # fmt: skip
def test_an_imported_file_is_named_by_its_format(tiny, import_format, source):
    tiny.execute(
        "insert into imports values (1, 'f', 'sha', $format, 'utf-8', 'UTC', 1, 1, 1, 0, 1, 0, now()::timestamp, 0.1)",
        {"format": import_format},
    )
    tiny.execute("update attendance set import_id = 1 where event_id = 2")
    with database.transaction(tiny):
        database.refresh(tiny)
    sources = overview(tiny).webinars.set_index("event_key")["sources"]
    assert sources.to_dict() == {"w1": ("zoom",), "w2": (source,), "w3": ("zoom",)}
