"""The figures of docs/metrics.md on the hand-made programme (tests/programme.py).

Every expected number below is worked out by hand from the rows listed in that module.
"""

from datetime import date

import pandas as pd
import pytest

from dashboard import queries, reach
from dashboard.filters import Filters


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
