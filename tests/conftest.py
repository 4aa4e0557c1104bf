import os
import shutil
from pathlib import Path

import pytest

from dashboard import database, demo
from tests import programme


@pytest.fixture
def tiny():
    """An in-memory database holding the hand-made programme of tests/programme.py."""
    con = programme.build(database.connect_memory())
    yield con
    con.close()


@pytest.fixture(scope="session")
def demo_con():
    """The demo programme (300 participants, fixed seed), built once per test session."""
    con = database.connect_memory()
    demo.build_demo(con)
    yield con
    con.close()


@pytest.fixture
def tiny_db_file(tmp_path) -> Path:
    """The hand-made programme in a database file (for the CLI and the app)."""
    path = tmp_path / "tiny.duckdb"
    con = database.connect(path)
    programme.build(con)
    con.close()
    return path


def chromium_path() -> str | None:
    return shutil.which("chromium") or (os.path.exists("/usr/bin/chromium") and "/usr/bin/chromium") or None
