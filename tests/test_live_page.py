"""The live view: figures of the chosen webinar from live events, country and role only."""

import json
import re
from datetime import date, time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import database
from dashboard.live.events import parse_batch
from dashboard.live.store import store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
EVENTS = [
    {"id": "1", "event": "live-1", "event_title": "Кластеры онлайн", "type": "join", "at": "2026-10-01T11:00:00+05:00",
     "email": "secret.person@example.org", "name": "Тайное Имя", "country": "KZ", "role": "CEO"},
    {"id": "2", "event": "live-1", "type": "join", "at": "2026-10-01T11:01:00+05:00", "name": "Другое Имя",
     "country": "Армения", "role": "студент"},
    {"id": "3", "event": "live-1", "type": "leave", "at": "2026-10-01T11:20:00+05:00", "name": "Другое Имя"},
]  # fmt: skip


@pytest.fixture
def live_db(tmp_path, monkeypatch):
    path = tmp_path / "live.duckdb"
    con = database.connect(path)
    store(con, parse_batch(json.dumps({"events": EVENTS}).encode()))
    con.close()
    monkeypatch.setenv("REACH_DB", str(path))
    return path


def test_live_view_shows_the_webinar_without_names(live_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["event"] = "live-1"
    at.switch_page("views/live.py").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "Connected now": "1",  # the second person left
        "Joined so far": "2",
        "Countries": "2",
        "Peak concurrent": "2",  # both between 11:01 and 11:20
    }
    (arrivals,) = [m.value for m in at.markdown if "<div class='reach-arrivals'>" in m.value]
    rows = re.findall(r"<tr><td>[^<]*</td><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td></tr>", arrivals)
    assert rows == [("Armenia", "Students and postgraduates"), ("Kazakhstan", "Heads of enterprises and organisations")]
    page_text = repr(at)  # the whole element tree of the page
    for private in ("Тайное", "Другое", "secret.person", "example.org"):
        assert private not in page_text


def test_a_presenter_starts_a_webinar_from_the_live_view(tmp_path, monkeypatch):
    from dashboard.live import api

    path = tmp_path / "empty.duckdb"
    database.connect(path).close()
    monkeypatch.setenv("REACH_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.switch_page("views/live.py").run()
    assert [i.value for i in at.info] == ["No webinars yet."]
    at.button[0].click().run()  # the empty title is refused, in the page's language
    assert [e.value for e in at.error] == ["Title: enter 1 to 200 characters."]
    at.text_input[0].input("  Кластеры   в зале ")
    at.date_input[0].set_value(date(2026, 11, 26))
    at.time_input[0].set_value(time(15, 0))  # Asia/Yekaterinburg, UTC+5
    at.number_input[0].set_value(120)
    at.button[0].click().run()
    assert not at.exception
    assert at.query_params["event"] == "live-20261126-1000"
    assert at.selectbox[0].value == "live-20261126-1000"
    assert api.owner().facts_update.wait(30)  # its facts, updated in the background
    con = api.connection().cursor()
    rows = con.execute("select event_key, title, starts_at::varchar, planned_minutes, platform from events").fetchall()
    assert rows == [("live-20261126-1000", "Кластеры в зале", "2026-11-26 10:00:00", 120, "live")]
    assert not database.facts_are_stale(con)


def test_while_an_import_rebuilds_the_live_view_shows_the_figures_it_has_and_says_so(live_db, monkeypatch):
    """A join committed while an import runs (database.loading): the view does not
    wait for the import; it shows the figures without that join and says why."""
    owner = database.Database(live_db)  # the server's, open before the join (opening catches up)
    monkeypatch.setitem(database._databases, live_db.resolve(), owner)
    late = {"id": "4", "event": "live-1", "type": "join", "at": "2026-10-01T11:30:00+05:00", "name": "Третье Имя",
            "country": "BY"}  # fmt: skip
    store(owner.cursor(), parse_batch(json.dumps({"events": [late]}).encode()), refresh=False)
    monkeypatch.setattr(database.loading, "is_set", lambda: True)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["event"] = "live-1"
    at.switch_page("views/live.py").run()
    assert not at.exception
    # as before the join: the third person is pending, in no figure yet
    assert {m.label: m.value for m in at.metric}["Joined so far"] == "2"
    assert "the newest arrivals join the figures when the import finishes" in " ".join(c.value for c in at.caption)
    owner.con.close()


def test_screens_showing_one_webinar_share_its_figures_until_an_event_commits(live_db, monkeypatch):
    """The projector, the presenter's laptop and a manager's screen each refresh every 2 s: the
    first to refresh reads the figures, the others take what it read (results.LIVE), until a
    live batch commits — before the facts catch up with it, since "connected now" and the
    arrivals are read from the events themselves."""
    from dashboard import reach, results

    owner = database.Database(live_db)  # the server's
    monkeypatch.setitem(database._databases, live_db.resolve(), owner)
    reads = []
    read = reach.live_figures
    monkeypatch.setattr(reach, "live_figures", lambda *args: reads.append(1) or read(*args))
    results.LIVE.clear()
    screens = []
    for lang in ("en", "ru"):  # two screens in two languages
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params["lang"] = lang
        at.query_params["event"] = "live-1"
        screens.append(at.switch_page("views/live.py").run())
    assert len(reads) == 1
    assert [m.value for m in screens[1].metric] == ["1", "2", "2", "2"]  # the Russian screen: the same figures
    third = {"id": "4", "event": "live-1", "type": "join", "at": "2026-10-01T11:30:00+05:00", "name": "Третье Имя",
             "country": "BY", "role": "student"}  # fmt: skip
    store(owner.cursor(), parse_batch(json.dumps({"events": [third]}).encode()), refresh=False)
    screens[0].run()
    assert not screens[0].exception
    assert {m.label: m.value for m in screens[0].metric} == {
        "Connected now": "2",  # the first and the third person
        "Joined so far": "3",
        "Countries": "3",  # KZ, AM, BY
        "Peak concurrent": "2",  # 11:01–11:20 and again from 11:30
    }
    screens[1].run()
    assert (len(reads), [m.value for m in screens[1].metric]) == (2, ["2", "3", "3", "2"])
    owner.con.close()


def test_every_commit_counts_as_a_write_and_a_rollback_does_not():
    con = database.connect_memory()
    before = database.committed_writes()
    with database.transaction(con, facts=False):  # a live batch: the facts catch up later
        con.execute("select 1")
    with database.transaction(con, canonical=False):
        con.execute("select 1")
    with pytest.raises(RuntimeError), database.transaction(con):
        raise RuntimeError
    assert database.committed_writes() == before + 2
    con.close()
