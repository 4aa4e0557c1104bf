"""AppTest: the overview renders, filters change KPIs and the URL, bad URL values show a note."""

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.settings import APP_SCRIPT


@pytest.fixture
def app(tiny_db_file, monkeypatch):
    monkeypatch.setenv("REACH_DB", str(tiny_db_file))

    def start(**params) -> AppTest:
        at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        return at.run()

    return start


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_in_russian_by_default(app):
    at = app()
    assert not at.exception
    assert at.title[0].value == "Охват программы вебинаров"
    assert metrics(at) == {
        "Участники": "5",
        "Страны СНГ": "4 из 10",
        "Вебинары": "3",
        "Явка": "67\u00a0%",
        "Повторные участники": "1",
        "Медиана минут": "48",
        "Этап 1: охвачено стран": "4 из 5",
        "Этап 2: охвачено стран": "0 из 5",
    }
    # participants' delta: w3 added one person
    assert at.metric[0].delta == "+1 новых"


def test_overview_in_english(app):
    at = app(lang="en")
    assert not at.exception
    assert at.title[0].value == "Webinar programme reach"
    assert metrics(at)["Participants"] == "5"
    assert metrics(at)["Attendance rate"] == "67%"


def test_a_filter_changes_kpis_and_the_url(app):
    at = app(lang="en")
    at.multiselect(key="f_countries").select("RU").select("KZ").run()
    assert not at.exception
    assert metrics(at)["Participants"] == "2"  # P1 (RU) and P6 (KZ)
    assert metrics(at)["Repeat participants"] == "1"
    assert dict(at.query_params) == {"lang": "en", "country": ["RU", "KZ"]}


def test_a_link_reproduces_the_view(app):
    at = app(lang="en", role="unknown")
    assert not at.exception
    assert at.multiselect(key="f_roles").value == ["unknown"]
    assert metrics(at)["Participants"] == "2"
    assert not at.warning


def test_bad_url_values_show_a_note_and_are_ignored(app):
    at = app(country=["XX", "RU"], stage="9", **{"from": "yesterday"})
    assert not at.exception
    assert len(at.warning) == 1
    assert "country=XX" in at.warning[0].value and "stage=9" in at.warning[0].value
    assert "from=yesterday" in at.warning[0].value
    assert metrics(at)["Участники"] == "1"  # RU kept


def test_an_empty_selection_shows_an_empty_state(app):
    at = app(stage="2", lang="en")  # stage 2: only P7, who never came
    assert not at.exception
    assert metrics(at)["Participants"] == "0"
    assert "No participants match" in at.info[0].value


def test_an_empty_database_says_how_to_import_and_offers_the_demo(tmp_path, monkeypatch):
    from dashboard import database

    path = tmp_path / "empty.duckdb"
    database.connect(path).close()
    monkeypatch.setenv("REACH_DB", str(path))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert metrics(at) == {}  # no cards of zeros for a programme that holds nothing yet
    assert [i.value for i in at.info] == [
        f"This programme holds no data yet. Import platform exports and registration sheets on the Data page "
        f"(or with `reach import --db {path} FILES`): the figures appear as soon as they are imported."
    ]
    assert [b.label for b in at.button] == ["Load the demo programme into this database", "Reset filters"]
    at.button[0].click().run()  # on purpose: the demo, 300 participants (docs: `reach demo`)
    assert not at.exception
    assert metrics(at)["Participants"] == "300"


def test_a_filter_that_matches_nobody_says_so(app):
    at = app(lang="en", country="UZ")  # Eve (UZ) registered for w3 and never came
    assert not at.exception
    assert metrics(at)["Participants"] == "0"
    assert [i.value for i in at.info] == ["No participants match the selected filters. Change or reset the filters."]
