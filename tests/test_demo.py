"""The demo programme has what the issue asks of it (counted by SQL on the built database)."""

from dashboard import database, demo, queries, reach
from dashboard.filters import Filters


def overview(con) -> reach.Overview:
    return reach.overview(
        con, Filters(), queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    )


def test_demo_programme_shape(demo_con):
    con = demo_con
    o = overview(con)
    kpis = o.kpis
    assert 280 <= kpis["participants"] <= 320
    assert kpis["events"] >= 4
    assert kpis["repeat_participants"] > 0

    no_shows = con.execute("select count(*) from pair_facts where is_registered and minutes is null").fetchall()[0][0]
    assert no_shows > 0
    rejoin_pairs, overlapping_pairs = con.execute("""
        select count(*) filter (where n > 1), count(*) filter (where has_overlap)
        from (select person_id, event_id, count(*) as n,
                bool_or(joined_at < lag_left) as has_overlap
              from (select *, lag(left_at) over (partition by person_id, event_id order by joined_at) as lag_left
                    from attendance where not is_staff)
              group by all)""").fetchall()[0]
    assert rejoin_pairs > 0 and overlapping_pairs > 0

    by_country = o.by_country
    cis = {r[0] for r in con.execute("select iso2 from countries where cis_status is not null").fetchall()}
    assert len(set(by_country["country"]) & cis) >= 8
    stage_1 = by_country.loc[by_country["stage"] == 1, "participants"].sum()
    assert stage_1 > kpis["participants"] / 2

    roles = set(o.by_role["role"])
    assert {"executive", "scientist", "economist", "student"} <= roles
    assert roles & {"other", "unknown"}
    staff = con.execute("select count(*) from attendance where is_staff").fetchall()[0][0]
    assert staff > 0


def test_demo_is_deterministic():
    def figures(seed):
        con = database.connect_memory()
        demo.build_demo(con, participants=300, seed=seed)
        return overview(con).kpis, con.execute("select count(*), sum(epoch(left_at)) from attendance").fetchall()

    assert figures(7) == figures(7)
    assert figures(7) != figures(8)


def test_large_programmes_spread_over_more_webinars():
    con = database.connect_memory()
    demo.build_demo(con, participants=20_000, seed=1)
    kpis = overview(con).kpis
    rows = con.execute("select count(*) from attendance where not is_staff").fetchall()[0][0]
    assert kpis["events"] == 60
    assert 19_000 <= kpis["participants"] <= 20_000
    assert 8 <= rows / kpis["participants"] <= 12  # about ten attendance rows per participant
