"""Benchmark: `reach export` of the whole programme (aggregates, no personal data) in each format.

Times the function the CLI calls (`dashboard.exports.export`: the figures, then the file) end to
end in-process, for the whole programme with no filter in all four formats and for the typical
filter (Russia and Kazakhstan, heads of enterprises) in xlsx and html; median of several runs
after one warm-up, Russian (the CLI's default). It also times the content alone
(`exports.build`: the overview's queries and the tables) so that the rest is the writer
(for pptx: kaleido drawing the five pictures in the local chromium). Issue 11's target: the
whole 1,000,000-participant programme ≤ 10 s for xlsx and html.

Run: `python benchmarks/exports.py` (the demo programme, then benchmarks/out/large.duckdb, made
by `python benchmarks/overview.py` or `reach demo --participants 1000000 --db …`), or
`--db PATH` for any other database, `--demo-only` for the demo alone. The database is opened
read-only, as `reach export` opens it; paste the output into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from dashboard import database, demo, exports
from dashboard.filters import ALL, Filters
from dashboard.team_api import validated_filters

sys.path.insert(0, str(Path(__file__).resolve().parent))
from overview import OUT, machine  # noqa: E402 - the sibling benchmark's machine line and folder

FORMATS = ("xlsx", "csv", "html", "pptx")
TYPICAL_FORMATS = ("xlsx", "html")
TARGET_S = 10.0  # issue 11: xlsx and html of the whole 1M programme


def size_of(path: Path) -> int:
    """Bytes of the file, or of every file in the folder (csv)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir())
    return path.stat().st_size


def human(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size / 2**10:.0f} KB"


def timed(fn, runs: int) -> tuple[float, list[float]]:
    """Median seconds of `runs` calls after one warm-up, and every run's seconds."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), times


def one_export(con, fmt: str, filters: Filters, lang: str, folder: Path) -> Path:
    """`reach export`'s work: exports.export to a fresh path (csv: a folder)."""
    out = folder / f"reach.{fmt}"
    if out.is_dir():
        shutil.rmtree(out)
    else:
        out.unlink(missing_ok=True)
    return exports.export(con, fmt, out, filters, lang)


def report(con, label: str, runs: int, lang: str) -> None:
    participants = exports.content.build(con, ALL, lang).overview.kpis["participants"]
    rows = con.execute("select count(*) from attendance").fetchall()[0][0]
    typical = validated_filters(con, ["RU", "KZ"], ["executive"], [])
    print(f"\n## {label}: {participants:,} participants, {rows:,} attendance rows "
          f"(lang {lang}, median of {runs} after a warm-up)\n")
    print("| format | selection | export (median) | runs | of which content (`exports.build`) | size |")
    print("|---|---|---:|---|---:|---:|")
    cases = [(fmt, "whole programme", ALL) for fmt in FORMATS]
    cases += [(fmt, "typical filter (RU+KZ, executive)", typical) for fmt in TYPICAL_FORMATS]
    content_s = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for fmt, name, filters in cases:
            if filters not in content_s:
                content_s[filters], _ = timed(lambda f=filters: exports.content.build(con, f, lang), runs)
            median, times = timed(lambda m=fmt, f=filters: one_export(con, m, f, lang, folder), runs)
            size = size_of(folder / f"reach.{fmt}")
            mark = " (over 10 s)" if fmt in TYPICAL_FORMATS and median > TARGET_S else ""
            each = ", ".join(f"{s:.2f}" for s in times)
            content = content_s[filters]
            print(f"| {fmt} | {name} | **{median:.2f} s**{mark} | {each} | {content:.2f} s | {human(size)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--lang", choices=["ru", "en"], default="ru")
    parser.add_argument("--db", type=Path, help="time this database instead of benchmarks/out/large.duckdb")
    parser.add_argument("--demo-only", action="store_true", help="only the 300-participant demo (in memory)")
    args = parser.parse_args()

    from importlib.metadata import version

    print(f"Machine: {machine()}; Python {platform.python_version()}")
    print(", ".join(f"{name} {version(name)}" for name in ("duckdb", "plotly", "kaleido", "openpyxl", "python-pptx")))

    demo_con = database.connect_memory()
    demo.build_demo(demo_con)
    report(demo_con, "Demo programme", args.runs, args.lang)
    demo_con.close()
    if args.demo_only:
        return

    path = args.db or OUT / "large.duckdb"
    if not path.exists():
        sys.exit(f"no database at {path}: build it with `python benchmarks/overview.py` or `reach demo "
                 f"--participants 1000000 --db {path}`")  # fmt: skip
    start = time.perf_counter()
    con, note = database.open_for_reading(path)  # as `reach export` opens it
    opened = time.perf_counter() - start
    print(f"\nOpened {path.name} read-only in {opened:.2f} s" + (f" ({note})" if note else ""))
    report(con, f"{path.name}", args.runs, args.lang)
    con.close()


if __name__ == "__main__":
    main()
