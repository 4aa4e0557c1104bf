"""AppTest of the Data page on a database with imports."""

from datetime import date, datetime, time
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
    assert [tab.label for tab in at.tabs] == ["Import files", "Webinars and platforms", "Data quality", "Import log"]
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
    assert [h.value for h in at.subheader][:4] == [
        "Запланировать вебинар",
        "МТС Линк: загрузка по API",
        "Нераспознанные страны",
        "Нераспознанные должности (считаются «Другие роли»)",
    ]
    assert at.dataframe[0].value["country_raw"].tolist() == ["Марс"]


def plan(at: AppTest, title: str, day, at_time, minutes: int) -> AppTest:
    """Fill the plan form (the Webinars tab; the pull form shows no inputs without a token) and submit."""
    at.text_input[0].input(title)
    at.date_input[0].set_value(day)
    at.time_input[0].set_value(at_time)
    at.number_input[0].set_value(minutes)
    return at.button[0].click().run()


def test_an_analyst_plans_a_webinar_for_a_platform_without_export(imported_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.switch_page("views/data.py").run()
    assert "No MTS Link API token is set" in at.info[0].value  # the pull form says how to set one
    plan(at, "  Кластеры  и регионы ", date(2026, 12, 1), time(11, 0), 90)
    assert not at.exception
    assert at.success[0].value.startswith("Webinar “Кластеры и регионы” planned (key кластеры-и-регионы-2026-12-01)")
    con = database.connect(imported_db)
    rows = con.execute("select event_key, title, starts_at, planned_minutes, platform, origin from events "
                       "where origin = 'planned'").fetchall()  # fmt: skip
    con.close()
    # 11:00 in the programme's zone, Asia/Yekaterinburg (UTC+5): 06:00 UTC; Yandex Telemost is the default
    assert rows == [("кластеры-и-регионы-2026-12-01", "Кластеры и регионы", datetime(2026, 12, 1, 6, 0), 90,
                     "telemost", "planned")]  # fmt: skip
    plan(at, "Без времени", date(2026, 12, 2), None, 60)  # no start time: said, nothing written
    assert at.error[0].value == "Start: give the start's date and time"
    plan(at, "Кластеры и регионы", date(2026, 12, 1), time(15, 0), 60)  # the same title that day again
    assert at.error[0].value == ("Title: a webinar of this title on this day exists already (key "
                                 "кластеры-и-регионы-2026-12-01): registrations and check-ins go to it")  # fmt: skip
