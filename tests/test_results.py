"""Results kept while the facts stay the same (dashboard/results.py): a rerun that asks the same
recomputes nothing; a change of the facts, and only that, makes the next run compute again."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import database, figures, reach
from dashboard.results import RESULTS, Results
from dashboard.settings import APP_SCRIPT


def test_a_result_is_computed_once_per_key():
    kept = Results(kept=10)
    calls = []
    for _ in range(3):
        assert kept.get(("db", 1, "q"), lambda: calls.append(1) or "answer") == "answer"
    assert (calls, kept.computed) == ([1], 1)


def test_the_oldest_result_goes_first_and_memory_stays_bounded():
    kept = Results(kept=2)
    kept.get(("db", 1, "a"), lambda: "A")
    kept.get(("db", 1, "b"), lambda: "B")
    kept.get(("db", 1, "a"), lambda: "A again")  # used: now the newest
    kept.get(("db", 1, "c"), lambda: "C")  # "b" goes
    assert len(kept) == 2
    assert kept.get(("db", 1, "a"), lambda: "recomputed") == "A"
    assert kept.get(("db", 1, "b"), lambda: "recomputed") == "recomputed"


def test_a_new_generation_drops_the_older_results_of_its_database_only():
    kept = Results(kept=10)
    kept.get(("one.duckdb", 1, "a"), lambda: "old")
    kept.get(("two.duckdb", 1, "a"), lambda: "other file")
    assert kept.get(("one.duckdb", 2, "a"), lambda: "new") == "new"
    assert len(kept) == 2  # one.duckdb's generation 1 is gone, two.duckdb's stays
    assert kept.get(("two.duckdb", 1, "a"), lambda: "recomputed") == "other file"


def test_only_transactions_that_may_change_the_facts_start_a_generation():
    con = database.connect_memory()
    before = database.facts_generation()
    with database.transaction(con, facts=False):  # e.g. a session, an audit entry, live events
        con.execute("select 1")
    assert database.facts_generation() == before
    with database.transaction(con, canonical=False):  # the facts update after live events
        con.execute("select 1")
    assert database.facts_generation() == before + 1
    with pytest.raises(RuntimeError), database.transaction(con):  # rolled back: nothing changed
        raise RuntimeError
    assert database.facts_generation() == before + 1
    con.close()


@pytest.fixture
def counted(monkeypatch):
    """How many times the overview and its charts are computed."""
    calls = {"overview": 0, "charts": 0}
    compute_overview, compute_charts = reach.overview, figures.overview_charts

    def overview(*args, **kwargs):
        calls["overview"] += 1
        return compute_overview(*args, **kwargs)

    def charts(*args, **kwargs):
        calls["charts"] += 1
        return compute_charts(*args, **kwargs)

    monkeypatch.setattr(reach, "overview", overview)
    monkeypatch.setattr(figures, "overview_charts", charts)
    RESULTS.clear()
    return calls


def test_a_rerun_that_asks_the_same_computes_nothing(tiny_db_file, monkeypatch, counted):
    monkeypatch.setenv("REACH_DB", str(tiny_db_file))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60).run()
    assert counted == {"overview": 1, "charts": 1}
    at.run()  # the same page again: nothing computed
    assert counted == {"overview": 1, "charts": 1}
    at.button_group(key="lang").set_value("en").run()  # another language: the charts only
    assert (counted, at.title[0].value) == ({"overview": 1, "charts": 2}, "Webinar programme reach")
    at.multiselect(key="f_countries").select("RU").run()  # another selection: both
    assert counted == {"overview": 2, "charts": 3}
    assert {m.label: m.value for m in at.metric}["Participants"] == "1"
    at.multiselect(key="f_countries").unselect("RU").run()  # back to everyone: kept
    assert counted == {"overview": 2, "charts": 3}


def test_a_change_of_the_facts_is_shown_on_the_next_run(tiny_db_file, monkeypatch, counted):
    from dashboard.live.store import store
    from tests.test_catch_up import batch

    monkeypatch.setenv("REACH_DB", str(tiny_db_file))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert {m.label: m.value for m in at.metric}["Participants"] == "5"
    # a new person joins w3 live; the page brings the facts up to date on its next run
    from dashboard.ui import database_owner

    owner = database_owner()
    store(owner.con, batch([{"person": "new1@n.org", "event": "w3", "type": "join", "minute": 5, "country": "AM",
                             "role": None}], 0), refresh=False)  # fmt: skip
    at.run()
    assert {m.label: m.value for m in at.metric}["Participants"] == "6"
    assert counted["overview"] == 2


def test_the_server_leaves_its_libraries_out_of_the_collection_after_every_run():
    """Streamlit collects garbage after every script run; the objects of the libraries the server
    imported (pandas, plotly, DuckDB, Streamlit) are frozen out of it (dashboard/server.py)."""
    import subprocess
    import sys

    libraries = "('pandas', 'plotly.graph_objects', 'duckdb')"
    probe = "import gc, sys; import dashboard.server; " + (
        f"print(gc.get_freeze_count(), *(m in sys.modules for m in {libraries}))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120)
    frozen, *imported = out.stdout.split()
    assert int(frozen) > 50_000 and imported == ["True", "True", "True"]
