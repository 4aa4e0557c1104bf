"""A fresh demo database of a chosen size for a benchmark, and the --participants option."""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path


def participants_option(default: int) -> int:
    """The benchmark's --participants N."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=default)
    return parser.parse_args().participants


def build(participants: int, name: str) -> Path:
    """`reach demo --participants N` into a new temporary file; its path."""
    db = Path(tempfile.mkdtemp()) / f"{name}.duckdb"
    demo = [sys.executable, "-m", "dashboard.cli", "demo", "--db", str(db), "--participants", str(participants)]
    subprocess.run(demo, check=True, stdout=subprocess.DEVNULL)
    return db
