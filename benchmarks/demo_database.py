"""A fresh demo database of a chosen size for a benchmark (or a copy of one given), and the options."""

from __future__ import annotations

import argparse
import shutil
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


def database_option(default: int, name: str) -> tuple[Path, str]:
    """--participants N (a demo database built for the benchmark) or --db PATH (a copy of an
    existing database, e.g. benchmarks/out/large.duckdb): the file to use, and what it is."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=default)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    if args.db is None:
        return build(args.participants, name), f"demo database, {args.participants:,} participants"
    copy = Path(tempfile.mkdtemp()) / f"{name}.duckdb"
    shutil.copy(args.db, copy)
    return copy, str(args.db)
