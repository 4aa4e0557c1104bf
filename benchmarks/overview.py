"""Benchmark: the overview's computation at 1,000,000 participants (~10M attendance rows).

For "all" and a typical filter (two countries, one role) it times each overview query and the
whole overview (every query plus figure building, no browser), median of several runs, and
the same figures computed with plain pandas on the same facts as the baseline a user would
otherwise write. It also times the demo programme. Run: `make bench` (or
`python benchmarks/overview.py --participants 1000000 --runs 5`); paste the output into
BENCHMARKS.md with the machine description it prints.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import database, demo, figures, queries, reach, retention
from dashboard.filters import Filters

OUT = Path(__file__).resolve().parent / "out"
TYPICAL = Filters(countries=("RU", "KZ"), roles=("executive",))
# Other paths, timed as a whole overview: a webinar selection (bitstrings) and a minimum of
# minutes (from pairs and segments).
OTHER_PATHS = {
    "one season of the series (bitstrings)": Filters(date_from=date(2026, 9, 24), date_to=date(2026, 10, 29)),
    "minimum 30 minutes (pairs)": Filters(min_minutes=30),
}
# The steps of reach.overview, each timed on its own.
STEPS = {
    "reach cube (`reach_cube.sql`)": lambda con, f, w: queries.run(con, "reach_cube", f),
    "webinar figures (`webinar_figures.sql`)": lambda con, f, w: queries.run(con, "webinar_figures", f),
    "median minutes (`minutes_histogram.sql` + `minutes_exact.sql`)": lambda con, f, w: reach.median_minutes(con, f),
    "peak concurrent (stored, or `audience_segments.sql` + numpy)": lambda con, f, w: reach.peak_concurrent(con, f, w),
    "sources per webinar (`webinar_sources.sql`)": lambda con, f, w: queries.run(con, "webinar_sources", f),
}


def median_ms(fn, runs: int) -> float:
    fn()  # warm-up: file cache, query plans
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def whole_overview(con, filters: Filters, countries: pd.DataFrame, roles: pd.DataFrame) -> None:
    o = reach.overview(con, filters, countries, roles)
    for lang in ("ru",):
        figures.overview_charts(o, countries, roles, lang)
        figures.webinar_table(o.webinars, lang)


def retention_page(con, filters: Filters, countries: pd.DataFrame, roles: pd.DataFrame) -> None:
    """The Retention page: the series reach it starts from, its three questions and four figures."""
    _, webinars, r = retention.of_selection(con, filters)  # what the page computes
    figures.new_returning_bars(r.new_returning, "ru")
    figures.cohort_heatmap(r.cohorts, webinars, "ru")
    figures.webinars_per_person_bars(r.per_person, "ru")
    figures.funnel_bars(r.funnel, "ru")


def pandas_overview(pe: pd.DataFrame, seg: pd.DataFrame, filters: Filters) -> dict:
    """The same figures in plain pandas, on the same facts (person_event, segment_facts)."""
    sel = pe
    if filters.countries:
        sel = sel[sel["country"].isin(filters.countries)]
    if filters.roles:
        sel = sel[sel["role"].isin(filters.roles)]
    attended = sel[sel["minutes"].notna()]
    registered = sel[sel["is_registered"]]
    per_person = attended.groupby("person_id").agg(
        n=("event_id", "size"), country=("country", "first"), role=("role", "first")
    )
    kpis = {
        "participants": len(per_person),
        "registrants": registered["person_id"].nunique(),
        "attendance_rate": registered["minutes"].notna().mean(),
        "attendances": len(attended),
        "repeat": int((per_person["n"] >= 2).sum()),
        "countries": per_person.loc[per_person["country"] != "unknown", "country"].nunique(),
        "minutes_total": attended["minutes"].sum(),
        "median_minutes": attended["minutes"].median(),
    }
    matrix = per_person.groupby(["country", "role"]).size()
    first = attended.sort_values("slot").drop_duplicates("person_id")
    cumulative = first.groupby("event_id").size().sort_index().cumsum()
    per_event = sel.groupby("event_id").agg(
        registrants=("is_registered", "sum"),
        participants=("minutes", "count"),
        median_minutes=("minutes", "median"),
    )
    s = seg
    if filters.countries:
        s = s[s["country"].isin(filters.countries)]
    if filters.roles:
        s = s[s["role"].isin(filters.roles)]
    changes = pd.concat(
        [
            pd.DataFrame({"event_id": s["event_id"], "at": s["seg_start"], "d": 1}),
            pd.DataFrame({"event_id": s["event_id"], "at": s["seg_end"], "d": -1}),
        ]
    )
    net = changes.groupby(["event_id", "at"], sort=True)["d"].sum()
    peak = net.groupby(level=0).cumsum().groupby(level=0).max()
    return {"kpis": kpis, "matrix": matrix, "cumulative": cumulative, "per_event": per_event, "peak": peak}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GB RAM, {platform.system()} {platform.release()}"


def build(path: Path, participants: int, seed: int) -> tuple[float, float]:
    """Build the programme with `reach demo`; returns seconds and the command's peak memory (GB)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)
    start = time.perf_counter()
    command = [sys.executable, "-m", "dashboard.cli", "demo", "--db", str(path),
               "--participants", str(participants), "--seed", str(seed)]  # fmt: skip
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
    return time.perf_counter() - start, peak_gb


def report(con, label: str, runs: int, with_pandas: bool) -> None:
    countries = queries.run(con, "countries", Filters())
    roles = queries.run(con, "roles", Filters())
    rows = con.execute("select count(*) from attendance").fetchall()[0][0]
    persons = reach.overview(con, Filters(), countries, roles).kpis["participants"]
    print(f"\n## {label}: {persons:,} participants, {rows:,} attendance rows\n")
    print("| measure | all | typical filter (RU+KZ, executive) |")
    print("|---|---:|---:|")
    webinars = {f: queries.run(con, "webinar_figures", f) for f in (Filters(), TYPICAL)}
    for name, step in STEPS.items():
        a = median_ms(lambda s=step: s(con, Filters(), webinars[Filters()]), runs)
        b = median_ms(lambda s=step: s(con, TYPICAL, webinars[TYPICAL]), runs)
        print(f"| {name} | {a:.0f} ms | {b:.0f} ms |")
    a = median_ms(lambda: whole_overview(con, Filters(), countries, roles), runs)
    b = median_ms(lambda: whole_overview(con, TYPICAL, countries, roles), runs)
    print(f"| **whole overview** (queries + figures) | **{a:.0f} ms** | **{b:.0f} ms** |")
    ra = median_ms(lambda: retention_page(con, Filters(), countries, roles), runs)
    rb = median_ms(lambda: retention_page(con, TYPICAL, countries, roles), runs)
    print(f"| retention page (series reach + three questions + four figures) | {ra:.0f} ms | {rb:.0f} ms |")
    for name, filters in OTHER_PATHS.items():
        ms = median_ms(lambda f=filters: whole_overview(con, f, countries, roles), runs)
        print(f"| whole overview, {name} | {ms:.0f} ms | |")
    if with_pandas:
        pe = con.execute("select * from pair_facts").df()
        seg = con.execute(
            "select event_id, start_offset_s as seg_start, end_offset_s as seg_end, country, role from segment_facts"
        ).df()
        pa = median_ms(lambda: pandas_overview(pe, seg, Filters()), runs)
        pb = median_ms(lambda: pandas_overview(pe, seg, TYPICAL), runs)
        print(f"| pandas baseline (same facts, in memory) | {pa:.0f} ms | {pb:.0f} ms |")
        print(f"| speed-up over pandas | {pa / a:.1f}x | {pb / b:.1f}x |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="reuse benchmarks/out/large.duckdb if present")
    parser.add_argument("--demo-only", action="store_true", help="only the 300-participant demo")
    args = parser.parse_args()

    print(f"Machine: {machine()}; Python {platform.python_version()}")
    import duckdb
    import plotly
    import streamlit

    print(
        f"DuckDB {duckdb.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
        f"plotly {plotly.__version__}, streamlit {streamlit.__version__}"
    )

    demo_con = database.connect_memory()
    demo.build_demo(demo_con)
    report(demo_con, "Demo programme", args.runs, with_pandas=False)

    if args.demo_only:
        return
    path = OUT / "large.duckdb"
    if not (args.reuse and path.exists()):
        seconds, peak = build(path, args.participants, args.seed)
        print(f"\n`reach demo --participants {args.participants}`: {seconds:.0f} s, peak memory {peak:.1f} GB")
    con = database.connect(path, read_only=True)
    con.execute("set TimeZone = 'UTC'")
    report(con, "Benchmark programme", args.runs, with_pandas=True)


if __name__ == "__main__":
    main()
