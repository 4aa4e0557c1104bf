"""One truth on every screen: the regression tests of the cases users reproduced (issue 8).

Every expected number is worked out by hand from tests/programme.py and the events written here.
"""

import json
import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli, database, queries, reach, writes
from dashboard.filters import ALL, Filters
from dashboard.imports.loader import import_file
from dashboard.live.events import parse_batch
from dashboard.live.store import RehearsalRefused, store
from dashboard.network import is_loopback
from dashboard.settings import APP_SCRIPT
from tests import programme

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def batch(*events, rehearsal: bool = False) -> list:
    """Live events as the ingest API parses them; ids e0, e1, … unless given."""
    items = [{"id": f"e{n}", **e} for n, e in enumerate(events)]
    return parse_batch(json.dumps({"rehearsal": rehearsal, "events": items}).encode())


def join(event: str, at: str, **person) -> dict:
    return {"event": event, "type": "join", "at": at, **person}


def leave(event: str, at: str, **person) -> dict:
    return {"event": event, "type": "leave", "at": at, **person}


def references(con) -> tuple:
    return queries.run(con, "countries", ALL), queries.run(con, "roles", ALL)


def live(db: database.Database, key: str) -> reach.LiveFigures:
    db.bring_facts_up_to_date()
    with db.snapshot() as snapshot:
        return reach.live_figures(snapshot, key, *references(db.con))


# 1. The live view contradicted itself: connected now above the peak, joined so far below the role bars.
def test_live_figures_agree_with_each_other_after_joins_past_the_planned_end(tiny):
    db = database.Database(None, con=tiny)
    # w3 ran 20:00-21:30 UTC (Dan [20:00, 21:00)); four people join after its planned end and never
    # leave; the fourth also has a leave at the very second of the join (a leave at t comes first).
    store(tiny, batch(
        join("w3", "2026-10-15T22:00:00Z", email="p1@x.org", country="KZ", role="student"),
        join("w3", "2026-10-15T22:05:00Z", email="p2@x.org", country="UZ", role="student"),
        join("w3", "2026-10-15T22:10:00Z", email="p3@x.org", role="scientist"),
        leave("w3", "2026-10-15T22:20:00Z", email="p4@x.org"),
        join("w3", "2026-10-15T22:20:00Z", email="p4@x.org", country="AM", role="economist"),
    ), refresh=False)  # fmt: skip
    figures = live(db, "w3")
    # all four are connected; their joins last to the end of the second of the latest event,
    # 22:20:01, so at 22:20 all four are connected at once: the peak is 4, never below
    assert (figures.connected_now, figures.peak_concurrent) == (4, 4)
    # joined so far: Dan (imported) and the four = the role bars = the countries
    assert figures.joined_total == 5 and figures.countries == 3  # KZ (Dan, p1), UZ, AM; p3 unknown
    assert dict(zip(figures.overview.by_role["role"], figures.overview.by_role["participants"], strict=True)) == {
        "student": 2, "scientist": 1, "economist": 1, "unknown": 1}  # fmt: skip
    assert dict(zip(figures.overview.by_country["country"], figures.overview.by_country["participants"],
                    strict=True)) == {"KZ": 2, "AM": 1, "UZ": 1, "unknown": 1}  # fmt: skip
    # the background update reached every person whose interval the late events lengthened
    caught_up = {t: tiny.execute(f"select * from {t} order by all").fetchall() for t, _, _ in database.FACTS}
    with database.transaction(tiny):
        database.refresh(tiny)
    assert caught_up == {t: tiny.execute(f"select * from {t} order by all").fetchall() for t, _, _ in database.FACTS}


# 2. A rehearsal polluted the programme.
def test_a_rehearsal_is_kept_apart_shown_live_and_cleared(tiny):
    db = database.Database(None, con=tiny)
    before = reach.report(tiny, ALL, *references(tiny))
    with pytest.raises(RehearsalRefused):  # w1 holds real data
        store(tiny, batch(join("w1", "2026-10-01T06:10:00Z", email="r@x.org"),
                          rehearsal=True))  # fmt: skip
    assert tiny.execute("select count(*) from live_events").fetchall() == [(0,)]
    store(tiny, batch(
        join("reh-1", "2026-11-20T10:00:00Z", email="r@x.org", country="TJ"),
        join("reh-1", "2026-11-20T10:01:00Z", email="ann@x.org", country="BY"),
        leave("reh-1", "2026-11-20T10:30:00Z", email="r@x.org"),
        rehearsal=True,
    ), refresh=False)  # fmt: skip
    db.bring_facts_up_to_date()
    assert reach.report(tiny, ALL, *references(tiny)) == before  # the programme does not see it
    assert "reh-1" not in set(queries.run(tiny, "webinar_list", ALL)["event_key"])
    with_rehearsals = reach.report(tiny, Filters(rehearsals=True), *references(tiny))
    assert (with_rehearsals["participants"], with_rehearsals["events"]) == (7, 4)  # 5 + the two rehearsal persons
    counted = with_rehearsals["by_country"]
    assert (counted["TJ"], counted["BY"]) == (1, 2)  # BY: Maria and the rehearsal's Ann
    figures = live(db, "reh-1")
    shown = (figures.has_rehearsal, figures.joined_total, figures.connected_now, figures.peak_concurrent)
    assert shown == (True, 2, 1, 2)
    # the rehearsal's Ann is not the real Ann: her country stays RU
    anns = "select identity_key, country from participants where identity_key like '%ann@x.org' order by 1"
    assert tiny.execute(anns).fetchall() == [("email:ann@x.org", "RU"), ("rehearsal:email:ann@x.org", "BY")]
    with database.transaction(tiny):
        removed = writes.clear_rehearsals(tiny)
        writes.refresh_after_removal(tiny)
    assert (removed.rows, removed.persons, removed.webinars) == (3, 2, 1)
    assert tiny.execute("select (select count(*) from participants), (select count(*) from events), "
                        "(select count(*) from live_events)").fetchall() == [(7, 3, 0)]  # fmt: skip
    assert reach.report(tiny, Filters(rehearsals=True), *references(tiny)) == before


def test_simulate_is_refused_for_a_webinar_with_real_data_in_one_sentence(monkeypatch, capsys):
    from dashboard.live import simulate

    def refuse(url, secret, events):
        raise simulate.HoldsRealData(events[0]["event"])

    monkeypatch.setenv("REACH_INGEST_SECRET", "x")
    monkeypatch.setattr(simulate, "post", refuse)
    assert cli.main(["live", "simulate", "--event", "clusters-01-6", "--duration", "1"]) == 2
    assert capsys.readouterr().err == (
        "reach live: webinar clusters-01-6 holds real data, so a rehearsal may not be sent to it; rehearse under a "
        "new key, e.g. --event rehearsal-clusters-01-6\n"
    )


def test_clear_rehearsals_command(tmp_path, capsys):
    path = tmp_path / "p.duckdb"
    con = programme.build(database.connect(path))
    store(con, batch(join("reh-2", "2026-11-20T10:00:00Z", name="Тест"), rehearsal=True))
    con.close()
    assert cli.main(["live", "clear-rehearsals", "--db", str(path)]) == 0
    assert capsys.readouterr().out == "Rehearsal data removed: 1 live events, 1 persons, 1 webinars.\n"
    assert cli.main(["live", "clear-rehearsals", "--event", "nope", "--db", str(path)]) == 2
    assert capsys.readouterr().err == "reach live: no webinar nope in the database\n"


# 3. `reach report` was silently stale after a crash.
def test_report_counts_events_the_stored_figures_missed_and_says_so(tmp_path, capsys):
    path = tmp_path / "killed.duckdb"
    con = programme.build(database.connect(path))
    joins = [join("w1", "2026-10-01T06:05:00Z", email=f"k{i}@x.org") for i in range(3)]
    store(con, batch(*joins), refresh=False)  # committed; the facts update never ran
    con.close()
    assert cli.main(["report", "--db", str(path), "--event", "w1", "--json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["participants"] == 5  # Ann and Maria, and the three
    assert err == ("reach report: the stored figures were behind the stored events (3 persons not yet counted: the "
                   "server stopped before updating them); these figures were brought up to date in memory, the file "
                   "is unchanged\n")  # fmt: skip
    con = database.connect(path, read_only=True)
    assert database.facts_are_stale(con)  # the reader wrote nothing
    con.close()


# 4. The Data page's figures disagreed with each other and with the overview.
def test_import_result_quality_panel_and_overview_agree(tmp_path, monkeypatch):
    path = tmp_path / "zoom.duckdb"
    con = database.connect(path)
    result = import_file(con, (FIXTURES / "zoom_attendee_report_2020.csv").read_bytes(), "zoom.csv", zone="UTC")
    quality = queries.run(con, "data_quality", ALL).iloc[0].to_dict()
    report = reach.report(con, ALL, *references(con))
    con.close()
    assert (result.records, result.persons) == (1473, 495)
    assert quality == {"records": 1473, "persons": 495, "attended": 459, "registered_only": 14, "staff_only": 22,
                       "participants": 459, "unknown_country": 0, "unknown_role": 459}  # fmt: skip
    assert report["participants"] == 459 and report["by_role"] == {"unknown": 459}
    monkeypatch.setenv("REACH_DB", str(path))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.query_params["lang"] = "en"
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "Records merged into persons": "1473 → 495",
        "Participants without a country": "0 of 459",
        "Participants without a role": "459 of 459",
    }
    captions = [c.value for c in at.caption]
    assert "Everything matched." in captions  # countries: every text matched, nobody unknown
    assert ("No unmatched texts, but 459 participants have no role stated at all: their data has no such column or "
            "answer. If a column holds it under another name, map it in the import preview.") in captions  # fmt: skip
    assert captions.count("Everything matched.") == 1


# 5. A database path that did not exist got the demo.
def test_serve_on_a_new_path_creates_an_empty_programme(tmp_path, monkeypatch, capsys):
    class Served(Exception):
        pass

    def exec_instead(*args):
        raise Served()

    monkeypatch.setattr(os, "execve", exec_instead)
    path = tmp_path / "new.duckdb"
    with pytest.raises(Served):
        cli.main(["serve", "--db", str(path)])
    assert capsys.readouterr().out.startswith(f"New empty programme at {path}: import exports on the Data page")
    con = database.connect(path, read_only=True)
    assert con.execute("select (select count(*) from events), (select count(*) from participants)").fetchall() == [
        (0, 0)]  # fmt: skip
    con.close()


# 7. /live?event=KEY before the webinar's first event was rewritten to another webinar.
def test_the_live_view_follows_its_key_before_and_after_the_first_event(tiny_db_file, monkeypatch):
    monkeypatch.setenv("REACH_DB", str(tiny_db_file))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["event"] = "future-1"
    at.switch_page("views/live.py").run()
    assert not at.exception
    assert at.selectbox[0].value == "future-1" and at.query_params["event"] == "future-1"
    assert [i.value for i in at.info] == [
        "Webinar “future-1”: waiting for the first participant. Figures appear with its first event."]
    db = database.for_process(tiny_db_file)
    first = join("future-1", "2026-11-27T10:00:00Z", name="Гость", country="KG")
    store(db.cursor(), batch(first), refresh=False)
    at.run()
    assert not at.exception and at.selectbox[0].value == "future-1"
    assert {m.label: m.value for m in at.metric} == {
        "Connected now": "1", "Joined so far": "1", "Countries": "1", "Peak concurrent": "1"}  # fmt: skip


# 8. The dashboard at 127.0.0.1 showed only the live view: IPv4-mapped loopback was "another computer".
@pytest.mark.parametrize(("address", "local"), [
    (None, True), ("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True), ("::ffff:127.0.0.1", True),
    ("localhost", True), ("::1%lo", True), ("10.0.0.5", False), ("::ffff:10.0.0.5", False), ("192.168.1.20", False),
    ("fe80::1", False), ("", False), ("example.org", False),
])  # fmt: skip
def test_loopback_addresses_are_this_computer(address, local):
    assert is_loopback(address) is local


# 9. An empty selection gave 0 participants but non-zero peaks.
def test_an_empty_selection_has_no_peaks(tiny):
    for empty in (Filters(countries=()), Filters(roles=()), Filters(stages=())):
        o = reach.overview(tiny, empty, *references(tiny))
        assert o.kpis["participants"] == 0
        peaks = dict(zip(o.webinars["event_key"], o.webinars["peak_concurrent"], strict=True))
        assert peaks == {"w1": 0, "w2": 0, "w3": 0}
    assert Filters(countries=()).stored_peaks is False and Filters().stored_peaks is True


# Undo: removing an import, a webinar.
def test_removing_an_import_takes_back_exactly_what_it_brought(tmp_path):
    con = database.connect_memory()
    sheet = (FIXTURES / "registration_form_cp1251.csv").read_bytes()
    zoom = (FIXTURES / "zoom_attendee_current.csv").read_bytes()
    import_file(con, zoom, "zoom.csv", zone="Europe/Moscow")
    only_zoom = reach.report(con, ALL, *references(con))
    tables = "select (select count(*) from participants), (select count(*) from events), " \
             "(select count(*) from attendance)"
    counts_zoom = con.execute(tables).fetchall()
    second = import_file(con, sheet, "form.csv", zone="Europe/Moscow")
    assert second.status == "imported" and reach.report(con, ALL, *references(con)) != only_zoom
    with database.transaction(con):
        removed = writes.remove_import(con, second.import_id)
        writes.refresh_after_removal(con)
    assert removed.rows > 0
    assert reach.report(con, ALL, *references(con)) == only_zoom and con.execute(tables).fetchall() == counts_zoom
    again = import_file(con, sheet, "form.csv", zone="Europe/Moscow")
    assert again.status == "imported"  # not "unchanged": the removal forgot it
    con.close()


def test_two_imports_registering_one_person_keep_a_registration_each():
    con = programme.build(database.connect_memory())
    sheet = "ФИО;E-mail;Страна;Должность;Вебинар;Дата\nАнна;ann@x.org;Россия;директор;Webinar two;08.10.2026\n"
    other = "ФИО;E-mail;Страна;Должность;Вебинар;Дата\nАнна И.;ANN@x.org;Россия;директор;Webinar two;08.10.2026\n"
    first = import_file(con, sheet.encode(), "a.csv", zone="Asia/Yekaterinburg")
    second = import_file(con, other.encode(), "b.csv", zone="Asia/Yekaterinburg")
    assert (first.status, second.status) == ("imported", "imported")
    rows = "select count(*) from registrations r join participants p using (person_id) where p.email = 'ann@x.org' " \
           "and r.event_id = 2"
    assert con.execute(rows).fetchall() == [(3,)]  # the hand-made one and one per file
    with database.transaction(con):
        writes.remove_import(con, first.import_id)
        writes.refresh_after_removal(con)
    assert con.execute(rows).fetchall() == [(2,)]
    assert reach.report(con, Filters(events=("w2",)), *references(con))["registrants"] == 3  # Ann, Bob, Cara
    con.close()


def test_removing_a_webinar_started_by_mistake(tiny):
    from datetime import UTC, datetime

    from dashboard.live.webinars import new_webinar

    key = new_webinar(tiny, "Ошибка", datetime(2026, 11, 27, 10, 0, tzinfo=UTC), 60)
    store(tiny, batch({"event": key, "type": "join", "at": "2026-11-27T10:01:00Z", "name": "Гость"}))
    with database.transaction(tiny):
        removed = writes.remove_webinar(tiny, key)
        writes.refresh_after_removal(tiny)
    assert (removed.rows, removed.persons, removed.webinars) == (1, 1, 1)
    assert tiny.execute("select count(*) from events").fetchall() == [(3,)]
    with pytest.raises(writes.HoldsImports), database.transaction(tiny):
        writes.remove_webinar(tiny, "w1")  # its rows are imported: remove its imports instead


# Grain: each facts table's key is unique (the "Grain:" headers of sql/facts/, checked).
FACT_KEYS = {
    "event_facts": "event_id", "pair_facts": "person_id, event_id", "person_facts": "person_id",
    "event_cell_facts": "event_id, country, role", "cohort_cell_facts": "event_id, country, role, first_slot",
    "minutes_histogram": "event_id, country, role, whole_minute",
    "segment_facts": "person_id, event_id, start_offset_s", "event_peaks": "event_id",
}  # fmt: skip


def test_every_facts_table_is_named_with_its_key():
    assert set(FACT_KEYS) == {table for table, _, _ in database.FACTS}


@pytest.fixture(scope="module")
def busy_programme():
    """The hand-made programme with live events of every kind: rejoins, a new webinar, a rehearsal."""
    con = programme.build(database.connect_memory())
    store(con, batch(
        join("w1", "2026-10-01T06:05:00Z", email="g@x.org"),
        leave("w1", "2026-10-01T06:25:00Z", email="g@x.org"),
        join("w1", "2026-10-01T06:25:00Z", email="g@x.org"),
        join("new-live", "2026-11-01T06:05:00Z", email="g@x.org", country="AM"),
    ))  # fmt: skip
    store(con, batch(join("reh-3", "2026-11-01T06:05:00Z", email="g@x.org"),
                     rehearsal=True))  # fmt: skip
    yield con
    con.close()


@pytest.mark.parametrize("table", sorted(FACT_KEYS))
@pytest.mark.parametrize("which", ["busy_programme", "demo_con"])
def test_facts_keys_are_unique(table, which, request):
    con = request.getfixturevalue(which)
    rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
    duplicates = con.execute(f"select count(*) from (select {FACT_KEYS[table]} from {table} "
                             f"group by all having count(*) > 1)").fetchall()  # fmt: skip
    assert rows > 0 and duplicates == [(0,)]


def test_report_minutes_are_the_exact_total_rounded_however_the_seconds_are_split():
    """81 s is 1.35 minutes: reported 1.4 whether it came as 1 s + 80 s or as one 81 s attendance
    (a float sum of 1/60 + 80/60 used to round to 1.3). Found by the state machine."""
    from datetime import datetime

    for intervals in ([("06:00:00", "06:00:01"), ("06:10:00", "06:11:20")], [("06:00:00", "06:01:21")]):
        con = database.connect_memory()
        con.execute("insert into events (event_id, event_key, title, starts_at) "
                    "values (1, 'w', 'W', '2026-10-01 06:00')")
        con.execute("insert into participants (person_id, identity_key) values (1, 'name:a')")
        for joined, left in intervals:
            con.execute("insert into attendance (person_id, event_id, joined_at, left_at) values (1, 1, $j, $l)",
                        {"j": datetime.fromisoformat(f"2026-10-01 {joined}"),
                         "l": datetime.fromisoformat(f"2026-10-01 {left}")})  # fmt: skip
        with database.transaction(con):
            database.refresh(con)
        assert reach.report(con, ALL, *references(con))["minutes_total"] == 1.4
        con.close()


def test_a_webinar_rehearsed_under_its_key_then_run_shows_only_its_real_figures(tiny):
    """Found by the state machine: counted together, a rehearsal join at 10:00 and a real join at
    12:00 showed connected now 2 beside a peak of 1 (each kind's open joins end at its own
    latest event). Once real data arrives, the live view counts only it and says the rest is hidden."""
    db = database.Database(None, con=tiny)
    store(tiny, batch(join("reh-2", "2026-11-20T10:00:00Z", email="r@x.org"), rehearsal=True), refresh=False)
    assert live(db, "reh-2").rehearsal_shown is True
    store(tiny, batch(join("reh-2", "2026-11-20T12:00:00Z", email="real@x.org", id="real-1")), refresh=False)
    figures = live(db, "reh-2")
    shown = (figures.connected_now, figures.joined_total, figures.peak_concurrent)
    assert (figures.has_rehearsal, figures.rehearsal_shown, shown) == (True, False, (1, 1, 1))


def test_a_saved_mapping_holds_for_every_spelling_and_for_later_live_events(tiny):
    """Found by the state machine: a mapping updated only the exact text, and live events ignored it."""
    from dashboard.imports import review

    store(tiny, batch(join("w1", "2026-10-01T06:05:00Z", email="m1@x.org", country="марс"),
                      join("w1", "2026-10-01T06:06:00Z", email="m2@x.org", country="Марс")))  # fmt: skip
    review.save_country(tiny, "Марс", "KG")
    store(tiny, batch(join("w1", "2026-10-01T06:07:00Z", email="m3@x.org", country="МАРС", id="later")))
    rows = tiny.execute("select country_raw, country from live_events order by id").fetchall()
    assert rows == [("марс", "KG"), ("Марс", "KG"), ("МАРС", "KG")]


def test_removing_the_import_that_made_a_rehearsal_webinar_real_makes_it_a_rehearsal_again():
    con = programme.build(database.connect_memory())
    store(con, batch(join("reh-3", "2026-10-08T10:00:00Z", email="r@x.org", event_title="Кластерная политика"),
                     rehearsal=True))  # fmt: skip
    sheet = "ФИО;E-mail;Вебинар;Дата\nАнна;ann@x.org;Кластерная политика;08.10.2026\n"
    result = import_file(con, sheet.encode(), "a.csv", zone="Asia/Yekaterinburg")
    flag = "select is_rehearsal from events where event_key = 'reh-3'"
    assert result.status == "imported" and con.execute(flag).fetchall() == [(False,)]  # matched: real now
    with database.transaction(con):
        writes.remove_import(con, result.import_id)
        writes.refresh_after_removal(con)
    assert con.execute(flag).fetchall() == [(True,)]
    assert reach.report(con, ALL, *references(con))["events"] == 3  # the programme's three, not reh-3
    con.close()


def test_the_facts_update_after_check_ins_equals_a_whole_rebuild(tiny):
    """Check-ins carry what a whole rebuild derives from them (minutes unknown, the check-in
    source) through the facts update of their persons alone; a later live event that moves the
    webinar's end moves theirs too."""
    from datetime import UTC, datetime

    from dashboard.live.checkin import checkin_event

    def every_fact() -> dict:
        return {table: tiny.execute(f"select * from {table} order by all").fetchall()  # noqa: S608
                for table, _, _ in database.FACTS}  # fmt: skip

    store(tiny, [checkin_event("w1", "session-aaaaaaaaaaaa", "TJ", "student", datetime(2026, 10, 1, 6, 20, tzinfo=UTC)),
                 checkin_event("w2", "session-bbbbbbbbbbbb", "KZ", "other", datetime(2026, 10, 8, 6, 20, tzinfo=UTC))],
          refresh=False)  # fmt: skip
    store(tiny, batch(join("w1", "2026-10-01T07:50:00Z", email="late@x.org")), refresh=False)
    with database.transaction(tiny, canonical=False):
        database.catch_up(tiny)
    caught_up = every_fact()
    known = "select event_key, minutes, minutes_known, sources from pair_facts where person_id >= 8 order by all"
    # w1 ends at the late join's second, 07:50:01: the check-in [06:20, 07:50:01) is presence, not minutes
    assert tiny.execute(known).fetchall() == [
        ("w1", 1 / 60, True, 128),  # the late join: one second, live feed
        ("w1", 90 + 1 / 60, False, 256),
        ("w2", 70.0, False, 256),
    ]
    with database.transaction(tiny):
        database.refresh(tiny)
    assert every_fact() == caught_up
