"""AppTest of the Data page on a database with imports."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import database
from dashboard.imports.loader import import_file

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def imported_db(tmp_path, monkeypatch):
    path = tmp_path / "imports.duckdb"
    con = database.connect(path)
    import_file(con, (FIXTURES / "zoom_attendee_current.csv").read_bytes(), "zoom_attendee_current.csv",
                zone="Europe/Moscow")  # fmt: skip
    con.close()
    monkeypatch.setenv("REACH_DB", str(path))
    return path


def test_data_page_in_english(imported_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert at.title[0].value == "Data: import and quality"
    assert [tab.label for tab in at.tabs] == ["Import files", "Data quality", "Import log"]
    assert at.metric[0].label == "Records merged into persons" and at.metric[0].value == "12 → 8"
    editor, platform, log = (df.value for df in at.dataframe)
    assert editor.iloc[0].tolist()[:3] == ["Марс", 1, 1]  # unmatched country, rows, persons
    assert platform.iloc[0].tolist() == ["Понятие кластера", 4, 4, 5, 5, 9, 4]  # stated beside ours
    assert log.iloc[0]["File"] == "zoom_attendee_current.csv" and log.iloc[0]["Encoding"] == "UTF-8 (BOM)"


def test_data_page_in_russian_lists_unmatched_values(imported_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert at.title[0].value == "Данные: импорт и качество"
    assert [h.value for h in at.subheader][:2] == [
        "Нераспознанные страны",
        "Нераспознанные должности (считаются «Другие роли»)",
    ]
    assert at.dataframe[0].value["country_raw"].tolist() == ["Марс"]
