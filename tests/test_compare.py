"""Compare two selections, on the hand-made programme (tests/programme.py), by hand.

A = webinar w1: P1 (60 min, registered), P2 (50, not registered); registrations P1, P3 (no-show).
B = webinar w2: P1 (45), P3 (30), P4 (5), all registered.
"""

from dashboard import cli, compare, reach, retention
from dashboard.filters import Filters


def sides(con):
    countries, roles = cli.reference_tables(con)
    oa = reach.overview(con, Filters(events=("w1",)), countries, roles)
    ob = reach.overview(con, Filters(events=("w2",)), countries, roles)
    ra = retention.retention(con, Filters(events=("w1",)), oa.cumulative, oa.webinars)
    rb = retention.retention(con, Filters(events=("w2",)), ob.cumulative, ob.webinars)
    return oa, ob, ra, rb, roles


def test_every_kpi_side_by_side_with_the_difference(tiny):
    oa, ob, *_ = sides(tiny)
    table = compare.kpi_table(oa, ob, "en")
    assert table.values.tolist() == [
        ["Participants", 2, 3, 1],
        ["Registrants", 2, 3, 1],
        ["Attendance rate, %", 50.0, 100.0, 50.0],  # w1: P1 of P1, P3; w2: all three
        ["Attendances", 2, 3, 1],
        ["Webinars", 1, 1, 0],
        ["Countries reached (all)", 2, 2, 0],  # w1: RU (P1), BY (P2); w2: RU (P1), AM (P3); P4 unknown
        ["Repeat participants", 0, 0, 0],
        ["Median minutes", 55.0, 30.0, -25.0],  # (50 + 60) / 2; 5, 30, 45
        ["Minutes (total)", 110.0, 80.0, -30.0],
    ]


def test_the_role_split_as_shares(tiny):
    oa, ob, _, _, roles = sides(tiny)
    # A: P1 scientist, P2 unknown; B: P1 scientist, P3 student, P4 official
    shares = compare.role_shares(oa, ob, roles)
    assert shares.to_dict("list") == {
        "role": ["scientist", "student", "official", "unknown"],
        "A": [1, 0, 0, 1], "B": [1, 1, 1, 0],
        "share_A": [0.5, 0.0, 0.0, 0.5], "share_B": [1 / 3, 1 / 3, 1 / 3, 0.0],
    }  # fmt: skip


def test_retention_side_by_side(tiny):
    oa, ob, ra, rb, _ = sides(tiny)
    # one webinar each: everyone attended one, nobody came back within the selection
    assert compare.retention_table(ra, rb, oa, ob, "en").values.tolist() == [
        ["Webinars per participant (mean)", 1.0, 1.0, 0.0],
        ["Attended two or more, %", 0.0, 0.0, 0.0],
        ["Came back to a later webinar, % of attendances", 0.0, 0.0, 0.0],
    ]
