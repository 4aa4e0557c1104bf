"""The oracle (tests/oracle.py) against hand-worked numbers, then production against the oracle.

(a) On the hand-made programme (tests/programme.py) the oracle gives the numbers worked out by
    hand in tests/test_metrics.py, written here again as literals.
(b) dashboard.reach gives the oracle's figures, whole, on that programme and on the demo, for
    many selections.
(c) The same with live events: joins, leaves and rejoins written by hand into a copy of the
    hand-made programme, then the facts update.
Then rows at the edges of the definitions, and what docs/metrics.md is changing now: a join
never left after the planned end, the facts update after a late event, ties, rehearsals.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from dashboard import database, queries, reach
from dashboard.filters import Filters
from dashboard.live.events import parse_batch
from dashboard.live.store import store
from tests.oracle import Oracle


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


def plain(value):
    """A pandas/numpy cell as a plain Python value (NaN and NA as None)."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def production_overview(con, filters: Filters) -> dict:
    """dashboard.reach.overview in the oracle's shape."""
    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    o = reach.overview(con, filters, countries, roles)
    return {
        **{k: plain(v) for k, v in o.kpis.items()},
        "by_country": {r.country: plain(r.participants) for r in o.by_country.itertuples()},
        "by_role": {r.role: plain(r.participants) for r in o.by_role.itertuples()},
        "matrix": {(r.country, r.role): plain(r.participants) for r in o.matrix.itertuples()},
        "stage_coverage": {
            plain(r.stage): {
                "countries_in_stage": plain(r.countries_in_stage),
                "countries_reached": plain(r.countries_reached),
                "coverage": plain(r.coverage),
            }
            for r in o.stage_coverage.itertuples()
        },
        "cumulative": [
            {
                "event_key": r.event_key,
                "participants": plain(r.participants),
                "new_participants": plain(r.new_participants),
                "cumulative_participants": plain(r.cumulative_participants),
                "new_countries": plain(r.new_countries),
                "cumulative_countries": plain(r.cumulative_countries),
            }
            for r in o.cumulative.itertuples()
        ],
        "webinars": {
            r.event_key: {
                "registrants": plain(r.registrants),
                "participants": plain(r.participants),
                "registered_attended": plain(r.registered_attended),
                "attendance_rate": plain(r.attendance_rate),
                "minutes_total": plain(r.minutes_total),
                "median_minutes": plain(r.median_minutes),
                "peak_concurrent": plain(r.peak_concurrent),
                "sources": r.sources,
            }
            for r in o.webinars.itertuples()
        },
        "deltas": {k: plain(v) for k, v in reach.kpi_deltas(o.cumulative, o.webinars).items()},
    }


def production_report(con, filters: Filters) -> dict:
    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    return reach.report(con, filters, countries, roles)


def production_live(con, event_key: str) -> dict:
    """dashboard.reach.live_figures (the live view's figures) in the oracle's shape."""
    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    live = reach.live_figures(con, event_key, countries, roles)
    return {
        "connected_now": live.connected_now,
        "joined_total": live.joined_total,
        "countries": live.countries,
        "by_role": {r.role: plain(r.participants) for r in live.overview.by_role.itertuples()},
        "by_country": {r.country: plain(r.participants) for r in live.overview.by_country.itertuples()},
        "peak_concurrent": live.peak_concurrent,
    }


def approx_tree(value):
    """The value with every float compared approximately (sums may be added in another order)."""
    if isinstance(value, dict):
        return {k: approx_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [approx_tree(v) for v in value]
    if isinstance(value, float):
        return pytest.approx(value)
    return value


def assert_agree(con, filters: Filters, oracle: Oracle | None = None) -> None:
    """Production's overview and report are the oracle's, whole."""
    oracle = oracle or Oracle(con)
    assert production_overview(con, filters) == approx_tree(oracle.overview(filters))
    assert production_report(con, filters) == oracle.report(filters)


# -- (a) the oracle reproduces the hand-worked numbers ----------------------------------------


def test_oracle_headline_figures_of_the_whole_programme(tiny):
    o = Oracle(tiny).overview(Filters())
    headline = {
        "participants": 5,  # P1 P2 P3 P4 P6; host P5 is staff, P7 never came
        "registrants": 4,  # P1 P3 P4 P7
        "attendance_rate": pytest.approx(4 / 6),
        "attendances": 6,
        "repeat_participants": 1,  # P1
        "countries": 4,  # RU BY AM KZ
        "cis_countries": 4,
        "minutes_total": 250.0,  # 60 + 45 + 50 + 30 + 5 + 60
        "median_minutes": 47.5,  # 5 30 45 | 50 60 60
        "events": 3,
    }
    assert {k: o[k] for k in headline} == headline
    assert o["by_country"] == {"AM": 1, "BY": 1, "KZ": 1, "RU": 1, "unknown": 1}
    assert o["by_role"] == {"scientist": 1, "student": 1, "official": 1, "unknown": 2}
    assert o["matrix"] == {
        ("AM", "student"): 1,
        ("BY", "unknown"): 1,
        ("KZ", "unknown"): 1,
        ("RU", "scientist"): 1,
        ("unknown", "official"): 1,
    }
    assert o["stage_coverage"] == {
        1: {"countries_in_stage": 5, "countries_reached": 4, "coverage": 0.8},
        2: {"countries_in_stage": 5, "countries_reached": 0, "coverage": 0.0},
    }


def test_oracle_person_attributes(tiny):
    persons = Oracle(tiny).persons
    assert {pid: (p.country, p.role, p.stage) for pid, p in persons.items()} == {
        1: ("RU", "scientist", 1),  # declared RU at w1; latest stated role scientist (w2)
        2: ("BY", "unknown", 1),  # KZ once, BY once: tie -> the latest row
        3: ("AM", "student", 1),
        4: (None, "official", None),
        5: ("RU", "unknown", 1),  # staff rows count for the country
        6: ("KZ", "unknown", 1),
        7: ("UZ", "economist", 2),
    }


def webinar_row(registrants, participants, registered_attended, rate, **minutes_and_peak) -> dict:
    counts = {"registrants": registrants, "participants": participants, "registered_attended": registered_attended}
    return {**counts, "attendance_rate": rate, **minutes_and_peak}


def cumulative_row(key, participants, *, new, total, new_countries, total_countries) -> dict:
    return {
        "event_key": key,
        "participants": participants,
        "new_participants": new,
        "cumulative_participants": total,
        "new_countries": new_countries,
        "cumulative_countries": total_countries,
    }


ZOOM = ("zoom",)


def test_oracle_webinar_table_and_cumulative_reach(tiny):
    o = Oracle(tiny).overview(Filters())
    assert o["webinars"] == {
        "w1": webinar_row(2, 2, 1, 0.5, minutes_total=110.0, median_minutes=55.0, peak_concurrent=2, sources=ZOOM),
        "w2": webinar_row(3, 3, 3, 1.0, minutes_total=80.0, median_minutes=30.0, peak_concurrent=2, sources=ZOOM),
        "w3": webinar_row(1, 1, 0, 0.0, minutes_total=60.0, median_minutes=60.0, peak_concurrent=1, sources=ZOOM),
    }  # w2: see test_metrics; every row of the programme is stored with source 'zoom' and no import
    assert o["cumulative"] == [
        cumulative_row("w1", 2, new=2, total=2, new_countries=2, total_countries=2),  # P1 P2, RU BY
        cumulative_row("w2", 3, new=2, total=4, new_countries=1, total_countries=3),  # P3 P4, AM
        cumulative_row("w3", 1, new=1, total=5, new_countries=1, total_countries=4),  # P6, KZ
    ]
    assert o["deltas"] == {
        "participants": 1,
        "countries": 1,
        "attendance_rate": -1.0,
        "median_minutes": 30.0,
        "latest_event": "w3",
        "previous_event": "w2",
    }


FILTER_FIGURES = ("participants", "registrants", "attendance_rate", "attendances", "repeat_participants")
FILTER_FIGURES += ("countries", "minutes_total", "events")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(countries=("RU",)), (1, 1, 1.0, 2, 1, 1, 105.0, 3)),  # P1 only
        (Filters(countries=("unknown",)), (1, 1, 1.0, 1, 0, 0, 5.0, 3)),  # P4 only
        (Filters(roles=("unknown",)), (2, 0, None, 2, 0, 2, 110.0, 3)),  # P2 P6, not registered
        (Filters(stages=(1,)), (4, 2, 0.75, 5, 1, 4, 245.0, 3)),
        (Filters(stages=(2,)), (0, 1, 0.0, 0, 0, 0, 0.0, 3)),  # P7 registered, did not come
        (Filters(date_from=date(2026, 10, 16)), (1, 1, 0.0, 1, 0, 1, 60.0, 1)),  # w3: the 16th in Perm
        (Filters(date_to=date(2026, 10, 15)), (4, 3, 0.8, 5, 1, 3, 190.0, 2)),
        (Filters(events=("w2",)), (3, 3, 1.0, 3, 0, 2, 80.0, 1)),
        (Filters(series=("T",)), (1, 1, 0.0, 1, 0, 1, 60.0, 1)),
        (Filters(min_minutes=40), (3, 4, 2 / 6, 4, 1, 3, 215.0, 3)),
        (Filters(countries=("RU", "KZ"), roles=("scientist",)), (1, 1, 1.0, 2, 1, 1, 105.0, 3)),
    ],
)
def test_oracle_filters(tiny, filters, expected):
    o = Oracle(tiny).overview(filters)
    assert tuple(o[k] for k in FILTER_FIGURES) == approx_tree(expected)


def test_oracle_minimum_minutes_applies_to_peak_concurrent(tiny):
    webinars = Oracle(tiny).overview(Filters(min_minutes=40))["webinars"]
    # w2: only P1 (45 min) counts; P3 (30) and P4 (5) do not
    assert {k: (w["participants"], w["peak_concurrent"]) for k, w in webinars.items()} == {
        "w1": (2, 2),
        "w2": (1, 1),
        "w3": (1, 1),
    }


def test_oracle_report_json(tiny):
    assert Oracle(tiny).report(Filters()) == {
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


# -- (b) production agrees with the oracle ------------------------------------------------------

TINY_SELECTIONS = {
    "all": Filters(),
    "one country": Filters(countries=("RU",)),
    "unknown country": Filters(countries=("unknown",)),
    "two roles": Filters(roles=("scientist", "unknown")),
    "a stage": Filters(stages=(1,)),
    "other stage": Filters(stages=(2,)),
    "one webinar": Filters(events=("w2",)),
    "a series": Filters(series=("S",)),
    "a date range": Filters(date_from=date(2026, 10, 2), date_to=date(2026, 10, 16)),
    "min 10": Filters(min_minutes=10),
    "min 45": Filters(min_minutes=45),
    "no webinars": Filters(events=()),
    "no countries": Filters(countries=()),
    "no roles": Filters(roles=()),
    "no stages": Filters(stages=()),
    "countries and minimum": Filters(countries=("RU", "AM", "unknown"), series=("S",), min_minutes=10),
    "stages, roles and dates": Filters(
        stages=(1, 2), roles=("student", "scientist", "unknown"), date_to=date(2026, 10, 8)
    ),
}
DEMO_SELECTIONS = {
    "all": Filters(),
    "one country": Filters(countries=("KZ",)),
    "unknown country": Filters(countries=("unknown",)),
    "two roles": Filters(roles=("scientist", "student")),
    "a stage": Filters(stages=(2,)),
    "one webinar": Filters(events=("clusters-01-3",)),
    "a series": Filters(series=("Industrial clusters",)),
    "a date range": Filters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 15)),
    "min 10": Filters(min_minutes=10),
    "min 45": Filters(min_minutes=45),
    "min 60": Filters(min_minutes=60),
    "no webinars": Filters(events=()),
    "no countries": Filters(countries=()),
    "countries, role, minimum": Filters(countries=("RU", "BY", "unknown"), roles=("executive",), min_minutes=45),
    "stage, webinars, minimum": Filters(stages=(1,), events=("clusters-01-2", "clusters-01-5"), min_minutes=10),
    "dates and roles": Filters(date_from=date(2026, 10, 8), roles=("economist", "official", "other")),
}


@pytest.mark.parametrize("filters", TINY_SELECTIONS.values(), ids=TINY_SELECTIONS.keys())
def test_production_agrees_on_the_tiny_programme(tiny, filters):
    assert_agree(tiny, filters)


@pytest.fixture(scope="module")
def demo_oracle(demo_con):
    return Oracle(demo_con)


@pytest.mark.parametrize("filters", DEMO_SELECTIONS.values(), ids=DEMO_SELECTIONS.keys())
def test_production_agrees_on_the_demo(demo_con, demo_oracle, filters):
    assert_agree(demo_con, filters, demo_oracle)


# -- (c) with live events ---------------------------------------------------------------------

CHECKIN = 8  # a person known only by an audience check-in
LIVE = [  # id, person, webinar, type, at (UTC), country, role
    # w1 (06:00, planned end 07:30): P1 rejoins over their imported rows -> [06:00, 07:10) = 70 min
    ("a", 1, 1, "join", "2026-10-01 06:45", None, None),
    ("b", 1, 1, "leave", "2026-10-01 07:05", None, None),
    # w2 (06:00, planned end 07:30): P3 joins, leaves, rejoins and never leaves -> to 07:30
    ("c", 3, 2, "join", "2026-10-08 06:40", None, None),
    ("d", 3, 2, "leave", "2026-10-08 06:50", None, None),
    ("e", 3, 2, "join", "2026-10-08 07:00", None, None),
    ("f", 4, 2, "leave", "2026-10-08 06:20", None, None),  # a leave with no join opens nothing
    # two joins then one leave: two intervals ending at that leave, [06:00, 06:20) = 20 min;
    # reported KZ twice more, P2 becomes KZ (3 rows) rather than BY (1)
    ("g", 2, 2, "join", "2026-10-08 06:00", "KZ", None),
    ("h", 2, 2, "join", "2026-10-08 06:05", "KZ", None),
    ("i", 2, 2, "leave", "2026-10-08 06:20", None, None),
    ("j", CHECKIN, 2, "join", "2026-10-08 06:30", "TJ", "student"),  # a check-in: present to 07:30, minutes unknown
    # w3 (20:00, planned end 21:30): a leave at the same second as a join does not close it
    ("k", 7, 3, "leave", "2026-10-15 20:10", None, None),
    ("l", 7, 3, "join", "2026-10-15 20:10", "UZ", None),
    ("m", 7, 3, "leave", "2026-10-15 20:40", None, None),
    ("n", 6, 3, "join", "2026-10-15 20:30", None, "official"),  # never left: [20:00, 21:30) with the import
    # w1: a leave and a join at one second: the join is the later, P4 is connected, [07:00, 07:30)
    ("o", 4, 1, "leave", "2026-10-01 07:00", None, None),
    ("p", 4, 1, "join", "2026-10-01 07:00", None, None),
]
LIVE_SELECTIONS = {
    "all": Filters(),
    "stage 2": Filters(stages=(2,)),
    "one webinar": Filters(events=("w2",)),
    "two roles": Filters(roles=("official", "student")),
    "min 45": Filters(min_minutes=45),
    "country KZ, min 10": Filters(countries=("KZ",), min_minutes=10),
    "check-in's country, min 0": Filters(countries=("TJ",), min_minutes=0),
    "check-in's country, min 1": Filters(countries=("TJ",), min_minutes=1),
}


def add_live_events(con, rows) -> None:
    """Live events (and the persons they introduce) written by hand, then the facts update."""
    with database.transaction(con):
        con.execute(
            "insert into participants (person_id, identity_key) values ($id, 'checkin:session-1')", {"id": CHECKIN}
        )
        con.executemany(
            "insert into live_events (id, person_id, event_id, type, occurred_at, country, role, received_at)"
            " values (?, ?, ?, ?, ?, ?, ?, ?)",
            [(i, p, e, kind, ts(at), c, r, ts(at)) for i, p, e, kind, at, c, r in rows],
        )
        database.refresh(con)


@pytest.fixture
def tiny_live(tiny):
    add_live_events(tiny, LIVE)
    return tiny


def test_oracle_live_intervals(tiny_live):
    o = Oracle(tiny_live)
    minutes = {pair: m for pair, (m, _) in o.pairs[False].items()}
    assert minutes == {
        (1, 1): 70.0,
        (2, 1): 50.0,
        (4, 1): 30.0,
        (1, 2): 45.0,
        (2, 2): 20.0,
        (3, 2): 30.0 + 10.0 + 30.0,  # imported [06:05, 06:35), [06:40, 06:50), [07:00, 07:30)
        (4, 2): 5.0,
        (CHECKIN, 2): None,  # a check-in: present [06:30, 07:30), but of unknown minutes
        (6, 3): 90.0,
        (7, 3): 30.0,
    }
    assert {pid: (p.country, p.role) for pid, p in o.persons.items() if pid in (2, 6, 7, CHECKIN)} == {
        2: ("KZ", "unknown"),
        6: ("KZ", "official"),
        7: ("UZ", "economist"),
        CHECKIN: ("TJ", "student"),
    }
    assert o.live("w2") == {
        "connected_now": 2,  # P3 (rejoined) and the check-in; P2 and P4 left
        "joined_total": 5,  # P1 P2 P3 P4 and the check-in
        "countries": 4,  # RU KZ AM TJ; P4 unknown
        "by_role": {"scientist": 1, "student": 2, "official": 1, "unknown": 1},
        "by_country": {"AM": 1, "KZ": 1, "RU": 1, "TJ": 1, "unknown": 1},
        "peak_concurrent": 3,  # at 06:05: P1 P2 P3 (P4 leaves as P3 joins); at 06:30: P1 P3 check-in
    }
    assert o.live("w1")["connected_now"] == 1  # P4: a leave and a join at 07:00, the join is the later
    for key in ("w1", "w2", "w3"):
        live = o.live(key)
        assert live["joined_total"] == sum(live["by_role"].values()) == sum(live["by_country"].values())


def test_oracle_counts_a_check_in_as_a_participant_of_unknown_minutes(tiny_live):
    o = Oracle(tiny_live)
    w2 = o.overview(Filters(events=("w2",)))
    figures = {k: w2[k] for k in ("participants", "attendances", "countries", "minutes_total", "median_minutes")}
    # P1 45, P2 20, P3 70, P4 5 and the check-in (unknown): median of 5 20 | 45 70
    assert figures == {"participants": 5, "attendances": 5, "countries": 4, "minutes_total": 140.0,
                       "median_minutes": 32.5}  # fmt: skip
    # the check-in is in the room from 06:30 to the planned end: P1 P3 and the check-in at 06:30
    assert w2["webinars"]["w2"]["peak_concurrent"] == 3
    assert w2["webinars"]["w2"]["sources"] == ("zoom", "live", "checkin")  # P2 and P3 joined live
    at_least_one = o.overview(Filters(events=("w2",), min_minutes=1))
    assert (at_least_one["participants"], at_least_one["by_country"]) == (4, {"AM": 1, "KZ": 1, "RU": 1, "unknown": 1})
    assert o.overview(Filters(events=("w2",), min_minutes=0))["participants"] == 5


@pytest.mark.parametrize("filters", LIVE_SELECTIONS.values(), ids=LIVE_SELECTIONS.keys())
def test_production_agrees_with_live_events(tiny_live, filters):
    assert_agree(tiny_live, filters)


@pytest.mark.parametrize("event_key", ["w1", "w2", "w3"])
def test_production_live_view_agrees(tiny_live, event_key):
    assert production_live(tiny_live, event_key) == Oracle(tiny_live).live(event_key)


# -- rows at the edges of the definitions --------------------------------------------------


def add_edge_rows(con) -> None:
    """Rows at the edges of the definitions, none of them disputed."""
    with database.transaction(con):
        # no series, no planned length: a join never left ends at its start + 90 minutes
        con.execute(
            "insert into events (event_id, event_key, title, starts_at) values (4, 'w4', 'U', '2026-10-22 06:00')"
        )
        con.executemany(
            "insert into attendance (person_id, event_id, joined_at, left_at, is_staff, source)"
            " values (?, ?, ?, ?, false, 'zoom')",
            [
                # an empty row: attended, 0 minutes, never concurrent
                (7, 1, ts("2026-10-01 06:30"), ts("2026-10-01 06:30")),
                # the host, in the audience of w3
                (5, 3, ts("2026-10-15 20:10"), ts("2026-10-15 20:20")),
            ],
        )
        # a registration of unknown time still declares a country
        con.execute(
            "insert into registrations (person_id, event_id, registered_at, source, country)"
            " values (6, 3, null, 'form', 'KG')"
        )
        con.execute(
            "insert into live_events (id, person_id, event_id, type, occurred_at, received_at)"
            " values ('w4-a', 3, 4, 'join', $at, $at)",  # never left: to 07:30
            {"at": ts("2026-10-22 06:10")},
        )
        database.refresh(con)


def test_oracle_on_edge_rows(tiny):
    add_edge_rows(tiny)
    o = Oracle(tiny)
    assert (o.pairs[False][7, 1][0], o.pairs[False][5, 3][0], o.pairs[False][3, 4][0]) == (0.0, 10.0, 80.0)
    assert (o.persons[5].country, o.persons[6].country) == ("RU", "KG")
    figures = o.overview(Filters())
    assert figures["webinars"]["w1"]["participants"] == 3 and figures["webinars"]["w1"]["peak_concurrent"] == 2
    assert figures["webinars"]["w3"]["attendance_rate"] == 0.5  # P6 registered and came, P7 did not


@pytest.mark.parametrize(
    "filters",
    [Filters(), Filters(min_minutes=0), Filters(min_minutes=1), Filters(series=("S",)), Filters(stages=(1,))],
    ids=["all", "min 0", "min 1", "a series", "a stage"],
)
def test_production_agrees_on_edge_rows(tiny, filters):
    add_edge_rows(tiny)
    assert_agree(tiny, filters)


# -- effective end, ties and rehearsals ------------------------------------------------------

AFTER_THE_PLANNED_END = [  # w1: planned end 07:30
    ("late-1", 6, 1, "join", "2026-10-01 07:45", None, None),  # never left: to 08:00:01
    ("late-2", 4, 1, "join", "2026-10-01 07:50", None, None),
    ("late-3", 4, 1, "leave", "2026-10-01 08:00", None, None),  # the webinar's latest live event
]


def test_production_agrees_on_a_join_after_the_planned_end(tiny):
    add_live_events(tiny, LIVE + AFTER_THE_PLANNED_END)
    assert Oracle(tiny).pairs[False][6, 1][0] == pytest.approx(15 + 1 / 60)  # [07:45, 08:00:01)
    assert_agree(tiny, Filters())


def send(con, *events: tuple[str, str, str, str, str], rehearsal: bool = False) -> None:
    """Live events through the ingest path (id, webinar key, type, at, e-mail), then the facts
    update of the server: only the persons it marks as behind are rebuilt."""
    items = [
        {"id": i, "event": key, "type": kind, "at": at + "Z", "email": email} for i, key, kind, at, email in events
    ]
    store(con, parse_batch(json.dumps({"events": items, "rehearsal": rehearsal}).encode()), refresh=False)
    with database.transaction(con, canonical=False):
        database.catch_up(con)


def test_the_facts_update_after_a_late_event_agrees(tiny):
    # w1 ends as planned at 07:30; ann (P1) and a newcomer join and never leave
    open_joins = [
        ("z1", "w1", "join", "2026-10-01T06:10:00", "zed@x.org"),
        ("z2", "w1", "join", "2026-10-01T07:20:00", "ann@x.org"),
    ]
    send(tiny, *open_joins)
    assert_agree(tiny, Filters())
    # an event after the planned end moves the end of both open joins, though they sent nothing
    late = [
        ("z3", "w1", "join", "2026-10-01T07:50:00", "yan@x.org"),
        ("z4", "w1", "leave", "2026-10-01T08:00:00", "yan@x.org"),
    ]
    send(tiny, *late)
    o = Oracle(tiny)
    assert o.overview(Filters())["webinars"]["w1"]["peak_concurrent"] == 3  # zed, ann, yan at 07:50
    assert_agree(tiny, Filters(), o)
    assert_agree(tiny, Filters(min_minutes=45), o)


TIES = 9, 10  # a person declaring two countries at one time; one reported two at one time


def add_ties(con) -> None:
    with database.transaction(con):
        con.execute(
            "insert into participants (person_id, identity_key) values (9, 'email:tie@x.org'), (10, 'email:tie@y.org')"
        )
        con.executemany(
            "insert into registrations (person_id, event_id, registered_at, source, country, role)"
            " values (?, ?, ?, 'form', ?, ?)",
            [(9, 1, ts("2026-09-20 10:00"), "AM", "economist"), (9, 2, ts("2026-09-20 10:00"), "BY", "student")],
        )
        con.executemany(
            "insert into attendance (person_id, event_id, joined_at, left_at, is_staff, country, role, source)"
            " values (?, ?, ?, ?, false, ?, ?, 'zoom')",
            [
                (9, 1, ts("2026-10-01 06:00"), ts("2026-10-01 06:10"), None, None),
                (10, 1, ts("2026-10-01 06:00"), ts("2026-10-01 06:05"), "KZ", "economist"),
                (10, 1, ts("2026-10-01 06:00"), ts("2026-10-01 06:20"), "UZ", "scientist"),
            ],
        )
        database.refresh(con)


def test_production_breaks_ties_by_the_greatest_code(tiny):
    add_ties(tiny)
    o = Oracle(tiny)
    assert {pid: (o.persons[pid].country, o.persons[pid].role) for pid in TIES} == {
        9: ("BY", "student"),
        10: ("UZ", "scientist"),
    }
    stored = tiny.execute("select person_id, country, role from participants where person_id in (9, 10)").fetchall()
    assert sorted(stored) == [(9, "BY", "student"), (10, "UZ", "scientist")]
    assert_agree(tiny, Filters())


def add_rehearsal(con) -> None:
    """A rehearsal (`reach live simulate`): its own webinar, and one of its persons sent to w2 (the
    ingest now refuses a rehearsal of a webinar holding real data, but one of a planned webinar
    that has none yet leaves rehearsal persons in a real webinar just the same)."""
    with database.transaction(con):
        for table in ("live_events", "participants", "events"):  # present once production has them
            con.execute(f"alter table {table} add column if not exists is_rehearsal boolean default false")
        con.execute(
            "insert into events (event_id, event_key, title, starts_at, is_rehearsal)"
            " values (4, 'rehearsal-1', 'Rehearsal', '2026-10-20 10:00', true)"
        )
        con.execute(
            "insert into participants (person_id, identity_key, is_rehearsal)"
            " values (9, 'rehearsal:run-0', true), (10, 'rehearsal:run-1', true)"
        )
        con.executemany(
            "insert into live_events (id, person_id, event_id, type, occurred_at, country, role, received_at,"
            " is_rehearsal) values (?, ?, ?, ?, ?, ?, ?, ?, true)",
            [
                ("run-0", 9, 4, "join", ts("2026-10-20 10:00"), "TJ", "student", ts("2026-10-20 10:00")),
                ("run-1", 10, 4, "join", ts("2026-10-20 10:01"), "MD", "other", ts("2026-10-20 10:01")),
                ("run-2", 10, 4, "leave", ts("2026-10-20 10:30"), None, None, ts("2026-10-20 10:30")),
                ("run-3", 9, 2, "join", ts("2026-10-08 06:50"), "AZ", "economist", ts("2026-10-08 06:50")),
            ],
        )
        database.refresh(con)


def test_oracle_leaves_rehearsals_out_unless_asked(tiny):
    before = Oracle(tiny).overview(Filters())
    add_rehearsal(tiny)
    o = Oracle(tiny)
    assert o.overview(Filters()) == before
    with_rehearsals = o.overview(Filters(rehearsals=True))
    assert (with_rehearsals["participants"], with_rehearsals["events"]) == (7, 4)
    # P9: one join from TJ (20 Oct), one from AZ (8 Oct): tie -> the latest
    assert with_rehearsals["by_country"] == {"AM": 1, "BY": 1, "KZ": 1, "MD": 1, "RU": 1, "TJ": 1, "unknown": 1}
    assert o.live("rehearsal-1")["joined_total"] == 2
    assert o.live("rehearsal-1", rehearsals=False) == {
        "connected_now": 0,
        "joined_total": 0,
        "countries": 0,
        "by_role": {},
        "by_country": {},
        "peak_concurrent": 0,
    }
    assert o.live("w2", rehearsals=False)["connected_now"] == 0
    assert o.live("w2")["connected_now"] == 1  # the rehearsal person who joined w2


def test_production_leaves_rehearsals_out(tiny):
    add_rehearsal(tiny)
    assert_agree(tiny, Filters())


def test_production_counts_rehearsals_when_asked(tiny):
    add_rehearsal(tiny)
    assert_agree(tiny, Filters(rehearsals=True))


@pytest.mark.parametrize("event_key", ["rehearsal-1", "w2"])
def test_production_live_view_of_a_rehearsal(tiny, event_key):
    add_rehearsal(tiny)
    # the live view counts a rehearsal only while its webinar holds no real data (w2 holds imports)
    o = Oracle(tiny)
    assert production_live(tiny, event_key) == o.live(event_key, rehearsals=not o.holds_real(event_key))


def test_real_data_makes_a_rehearsal_webinar_real(tiny):
    # a rehearsal creates its own webinar; its persons are never the real ann and bob
    dress_rehearsal = [
        ("r1", "dress", "join", "2026-10-20T10:00:00", "ann@x.org"),
        ("r2", "dress", "join", "2026-10-20T10:05:00", "bob@y.org"),
        ("r3", "dress", "leave", "2026-10-20T10:20:00", "bob@y.org"),
    ]
    send(tiny, *dress_rehearsal, rehearsal=True)
    o = Oracle(tiny)
    assert (o.overview(Filters())["events"], o.overview(Filters(rehearsals=True))["participants"]) == (3, 7)
    for filters in (Filters(), Filters(rehearsals=True), Filters(events=("dress",), rehearsals=True)):
        assert_agree(tiny, filters, o)
    assert production_live(tiny, "dress") == o.live("dress")
    # a real person joins: the webinar is real from now on, the rehearsal persons still are not
    send(tiny, ("d1", "dress", "join", "2026-10-20T10:10:00", "cara@z.org"))
    o = Oracle(tiny)
    assert o.overview(Filters(events=("dress",)))["participants"] == 1
    for filters in (Filters(), Filters(events=("dress",)), Filters(rehearsals=True)):
        assert_agree(tiny, filters, o)
    # now that it holds real data, the live view shows only the real figures
    assert production_live(tiny, "dress") == o.live("dress", rehearsals=False)
