"""The reach command: report as JSON and text, clear errors with a non-zero exit."""

import json

from dashboard import cli


def test_report_json(tiny_db_file, capsys):
    assert cli.main(["report", "--db", str(tiny_db_file), "--json", "--country", "ru", "--country", "KZ"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "participants": 2,
        "registrants": 1,
        "attendance_rate": 1.0,
        "attendances": 3,
        "events": 3,
        "countries": 2,
        "repeat_participants": 1,
        "minutes_total": 165.0,
        "median_minutes": 60.0,
        "by_country": {"KZ": 1, "RU": 1},
        "by_role": {"scientist": 1, "unknown": 1},
        "peak_concurrent": {"w1": 1, "w2": 1, "w3": 1},
    }


def test_report_text(tiny_db_file, capsys):
    assert cli.main(["report", "--db", str(tiny_db_file), "--event", "w2"]) == 0
    out = capsys.readouterr().out
    assert "Participants         3" in out
    assert "Attendance rate      100.0%" in out


def test_report_rejects_unknown_values(tiny_db_file, capsys):
    assert cli.main(["report", "--db", str(tiny_db_file), "--role", "wizard", "--json"]) == 2
    assert capsys.readouterr().err == "reach report: unknown role code: wizard\n"


def test_report_without_database(tmp_path, capsys):
    assert cli.main(["report", "--db", str(tmp_path / "none.duckdb")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reach report: no database at ") and "reach demo" in err


def test_demo_builds_a_database(tmp_path, capsys):
    path = tmp_path / "demo.duckdb"
    assert cli.main(["demo", "--db", str(path), "--seed", "3"]) == 0
    assert "participants" in capsys.readouterr().out
    assert cli.main(["report", "--db", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert 280 <= report["participants"] <= 320


def test_demo_rejects_a_bad_size(tmp_path, capsys):
    assert cli.main(["demo", "--db", str(tmp_path / "x.duckdb"), "--participants", "0"]) == 2
    assert "positive" in capsys.readouterr().err


def test_report_on_a_database_held_by_a_server(tiny_db_file, capsys):
    """A running server holds the file; the report says so instead of a traceback."""
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; con = duckdb.connect({str(tiny_db_file)!r}); "
            "print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        assert cli.main(["report", "--db", str(tiny_db_file)]) == 2
        err = capsys.readouterr().err
        assert "is in use by another process" in err and "reach serve" in err
    finally:
        holder.kill()
        holder.wait()


def test_import_each_file_on_its_own(tmp_path, capsys):
    from pathlib import Path

    fixtures = Path(__file__).resolve().parent / "fixtures"
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    db = tmp_path / "imports.duckdb"
    code = cli.main(["import", str(fixtures / "zoom_attendee_current.csv"), str(bad), str(tmp_path / "none.csv"),
                     "--db", str(db), "--timezone", "Europe/Moscow"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 1  # some file was rejected
    assert out.startswith("zoom_attendee_current.csv: imported — format zoom-attendee, encoding UTF-8 (BOM), rows 9,")
    assert "bad.csv: not imported, problems: 1\n  bad.csv: format not recognised" in err
    assert "none.csv: no such file" in err
    assert cli.main(["report", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["participants"] == 5  # the good file landed


def test_import_with_a_mapping_file(tmp_path, capsys):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Участник;Почта;Пришёл;Ушёл\nИванова;anna@example.ru;01.10.2026 11:00;01.10.2026 12:00\n")
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"columns": {"name": "Участник", "email": "Почта", "join": "Пришёл",
                                               "leave": "Ушёл"}, "event_title": "Понятие кластера"}))  # fmt: skip
    db = str(tmp_path / "m.duckdb")
    assert cli.main(["import", str(sheet), "--db", db, "--mapping", str(mapping)]) == 0
    capsys.readouterr()
    assert cli.main(["report", "--db", db, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["participants"], report["minutes_total"]) == (1, 60.0)


def test_import_rejects_bad_options(tmp_path, capsys):
    assert cli.main(["import", "x.csv", "--db", str(tmp_path / "d.duckdb"), "--timezone", "Mars/Olympus"]) == 2
    assert "unknown time zone 'Mars/Olympus'" in capsys.readouterr().err
    (tmp_path / "m.json").write_text("[1, 2]")
    assert cli.main(["import", "x.csv", "--db", str(tmp_path / "d.duckdb"), "--mapping", str(tmp_path / "m.json")]) == 2
    assert "must hold" in capsys.readouterr().err
