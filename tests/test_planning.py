"""Webinars planned ahead (platforms with no attendance export): validation, `reach webinar add`."""

from datetime import datetime

import pytest

from dashboard import cli, database, planning


@pytest.fixture
def con(tmp_path):
    connection = database.connect(tmp_path / "plan.duckdb")  # programme zone Asia/Yekaterinburg (UTC+5)
    yield connection
    connection.close()


def test_a_planned_webinar_is_stored_in_utc_with_its_platform(con):
    plan = planning.Plan("  Фотоника:   итоги года ", "2026-12-15 14:30", 75, "tolk", "Фотоника")
    key = planning.plan_webinar(con, plan, "Asia/Yekaterinburg")
    row = con.execute("select event_key, title, series, starts_at, planned_minutes, platform, origin "
                      "from events").fetchall()  # fmt: skip
    assert row == [(key, "Фотоника: итоги года", "Фотоника", datetime(2026, 12, 15, 9, 30), 75, "tolk", "planned")]
    assert key == "фотоника-итоги-года-2026-12-15"


@pytest.mark.parametrize(("plan", "field", "code"), [
    (planning.Plan("", "2026-12-15 14:30", 60, "tolk"), "title", "no_title"),
    (planning.Plan("x" * 201, "2026-12-15 14:30", 60, "tolk"), "title", "long_title"),
    (planning.Plan("W", "15.12.2026 14:30", 60, "tolk"), "start", "bad_start"),
    (planning.Plan("W", "2026-02-30 14:30", 60, "tolk"), "start", "bad_start"),
    (planning.Plan("W", "2026-12-15 14:30", 0, "tolk"), "minutes", "bad_minutes"),
    (planning.Plan("W", "2026-12-15 14:30", 1441, "tolk"), "minutes", "bad_minutes"),
    (planning.Plan("W", "2026-12-15 14:30", 60, "skype"), "platform", "bad_platform"),
    (planning.Plan("W", "2026-12-15 14:30", 60, "tolk", "s" * 101), "series", "long_series"),
])  # fmt: skip
def test_what_is_wrong_is_named_and_nothing_is_written(con, plan, field, code):
    with pytest.raises(planning.PlanProblem) as problem:
        planning.plan_webinar(con, plan, "Asia/Yekaterinburg")
    assert (problem.value.field, problem.value.code) == (field, code)
    assert con.execute("select count(*) from events").fetchall() == [(0,)]


def test_reach_webinar_add_and_the_same_webinar_twice(tmp_path, capsys):
    db = str(tmp_path / "cli.duckdb")
    argv = ["webinar", "add", "--title", "Кластеры в Телемосте", "--start", "2026-12-01 11:00", "--minutes", "90",
            "--platform", "telemost", "--db", db]  # fmt: skip
    assert cli.main(argv) == 0
    assert capsys.readouterr().out.startswith(
        "Webinar кластеры-в-телемосте-2026-12-01 planned (telemost, 2026-12-01 11:00 Asia/Yekaterinburg, 90 min).")
    assert cli.main(argv) == 2
    assert capsys.readouterr().err == (
        "reach webinar: --title: a webinar of this title on this day exists already (key "
        "кластеры-в-телемосте-2026-12-01): registrations and check-ins go to it\n")  # fmt: skip
    assert cli.main([*argv[:5], "2026-12-01", *argv[6:]]) == 2
    assert "--start: the start '2026-12-01' does not read: expected YYYY-MM-DD HH:MM" in capsys.readouterr().err
