"""Retention on the hand-made programme (tests/programme.py), worked out by hand.

Participants: P1 attends w1 (60 min) and w2 (45); P2 w1 (50); P3 w2 (30); P4 w2 (5); P6 w3 (60).
Registrations: w1 P1, P3 (no-show); w2 P1, P3, P4; w3 P7 (no-show). Every webinar plans 90 min.
"""

import pandas as pd

from dashboard import cli, reach, retention
from dashboard.filters import Filters


def figures_of(con, filters: Filters) -> retention.Retention:
    countries, roles = cli.reference_tables(con)
    o = reach.overview(con, filters, countries, roles)
    return retention.retention(con, filters, o.cumulative, o.webinars)


def records(frame: pd.DataFrame) -> list[dict]:
    return [{k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}
            for row in frame.to_dict("records")]  # fmt: skip


def test_new_and_returning_per_webinar(tiny):
    # w1: P1, P2 new; w2: P3, P4 new, P1 returning; w3: P6 new
    assert records(figures_of(tiny, Filters()).new_returning[["event_key", "new", "returning"]]) == [
        {"event_key": "w1", "new": 2, "returning": 0},
        {"event_key": "w2", "new": 2, "returning": 1},
        {"event_key": "w3", "new": 1, "returning": 0},
    ]


def test_cohorts_share_present_later(tiny):
    # cohort w1 = {P1, P2}: at w2 only P1 → 1/2; cohort w2 = {P3, P4}; cohort w3 = {P6}
    assert records(figures_of(tiny, Filters()).cohorts) == [
        {"first_key": "w1", "event_key": "w1", "size": 2, "persons": 2, "share": 1.0},
        {"first_key": "w1", "event_key": "w2", "size": 2, "persons": 1, "share": 0.5},
        {"first_key": "w2", "event_key": "w2", "size": 2, "persons": 2, "share": 1.0},
        {"first_key": "w3", "event_key": "w3", "size": 1, "persons": 1, "share": 1.0},
    ]


def test_how_many_webinars_each_participant_attended(tiny):
    assert records(figures_of(tiny, Filters()).per_person) == [
        {"webinars": 1, "persons": 4}, {"webinars": 2, "persons": 1}]  # fmt: skip


def test_the_funnel_per_webinar(tiny):
    # stayed half: ≥ 45 of 90 planned — w1 P1 60, P2 50; w2 P1 45 (P3 30, P4 5 did not); w3 P6 60.
    # came back: P1 from w1 to w2; nobody after w2 or w3.
    assert records(figures_of(tiny, Filters()).funnel.drop(columns=["title", "event_date"])) == [
        {"event_key": "w1", "registered": 2, "attended": 2, "stayed_half": 2, "came_back": 1},
        {"event_key": "w2", "registered": 3, "attended": 3, "stayed_half": 1, "came_back": 0},
        {"event_key": "w3", "registered": 1, "attended": 1, "stayed_half": 1, "came_back": 0},
    ]


def test_a_selection_changes_who_is_new(tiny):
    # Only w2 and w3 selected: P1 is new at w2 (w1 is not in the selection), so nobody returns
    f = Filters(events=("w2", "w3"))
    assert records(figures_of(tiny, f).new_returning[["event_key", "new", "returning"]]) == [
        {"event_key": "w2", "new": 3, "returning": 0},
        {"event_key": "w3", "new": 1, "returning": 0},
    ]
    assert records(figures_of(tiny, f).funnel[["event_key", "came_back"]]) == [
        {"event_key": "w2", "came_back": 0}, {"event_key": "w3", "came_back": 0}]  # fmt: skip


def test_a_minimum_of_minutes_applies_to_retention(tiny):
    # at least 46 minutes: P1 w1 (60) counts, P1 w2 (45) does not; P2 50; P6 60
    r = figures_of(tiny, Filters(min_minutes=46))
    assert records(r.per_person) == [{"webinars": 1, "persons": 3}]
    assert records(r.funnel[["event_key", "attended", "came_back"]]) == [
        {"event_key": "w1", "attended": 2, "came_back": 0},
        {"event_key": "w2", "attended": 0, "came_back": 0},
        {"event_key": "w3", "attended": 1, "came_back": 0},
    ]


def test_a_live_return_moves_the_stored_cohorts_and_funnel():
    """The usual view reads cohorts and the funnel from stored cells; a live join of P2 to w3
    (P2 had only w1) must move them once the facts catch up."""
    from dashboard import database
    from dashboard.live.store import store
    from tests import programme
    from tests.test_catch_up import batch

    con = programme.build(database.connect_memory())
    store(con, batch([{"person": "Ёлкина Мария", "event": "w3", "type": "join", "minute": 5, "country": None,
                       "role": None}], 0), refresh=False)  # fmt: skip
    with database.transaction(con, canonical=False):
        database.catch_up(con)
    r = figures_of(con, Filters())
    # cohort w1 = {P1, P2}: P1 at w2, P2 now at w3 → 1/2 each
    assert records(r.cohorts[r.cohorts["first_key"] == "w1"]) == [
        {"first_key": "w1", "event_key": "w1", "size": 2, "persons": 2, "share": 1.0},
        {"first_key": "w1", "event_key": "w2", "size": 2, "persons": 1, "share": 0.5},
        {"first_key": "w1", "event_key": "w3", "size": 2, "persons": 1, "share": 0.5},
    ]
    # came back after w1: P1 (w2) and P2 (w3); w3 now has P6 and P2
    assert records(r.funnel[["event_key", "attended", "came_back"]]) == [
        {"event_key": "w1", "attended": 2, "came_back": 2},
        {"event_key": "w2", "attended": 3, "came_back": 0},
        {"event_key": "w3", "attended": 2, "came_back": 0},
    ]
    assert records(r.per_person) == [{"webinars": 1, "persons": 3}, {"webinars": 2, "persons": 2}]
    con.close()


def test_stored_cells_bitstrings_and_pairs_agree(tiny):
    """Three ways to the same figures: the stored cells and counts (all webinars), the bitstrings
    (every webinar named), the pairs (a minimum of 0 minutes, which removes nobody)."""
    for person_filter in ({}, {"countries": ("RU", "unknown")}, {"roles": ("student", "executive")}):
        stored = figures_of(tiny, Filters(**person_filter))
        for other in (Filters(events=("w1", "w2", "w3"), **person_filter), Filters(min_minutes=0, **person_filter)):
            again = figures_of(tiny, other)
            for part in ("cohorts", "per_person", "funnel", "new_returning"):
                assert records(getattr(again, part)) == records(getattr(stored, part)), (person_filter, other, part)
