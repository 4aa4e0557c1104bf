"""Benchmark: the whole overview for a grid of filter combinations, and the worst of them.

Issue 12's target is every filter path ≤ 150 ms at 1,000,000 participants. This sweeps person
filters (none, two countries, one small country, a role, two countries and a role) × webinar
filters (all, one series, a date range of one season, one webinar) × a minimum of minutes (none,
30) on benchmarks/out/large.duckdb (build it with benchmarks/overview.py), the overview computed
and its charts drawn as the page does (no results kept between runs: dashboard/results.py is
bypassed), median of --runs each after a warm-up. Prints the grid's worst and every row.
Run: `python benchmarks/filters.py [--runs 3] [--db PATH]`.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from datetime import date
from pathlib import Path

from dashboard import cli, database, figures, reach
from dashboard.filters import Filters

DB = Path(__file__).resolve().parent / "out" / "large.duckdb"
PERSONS = {
    "everyone": {},
    "RU+KZ": {"countries": ("RU", "KZ")},
    "AM (small)": {"countries": ("AM",)},
    "executive": {"roles": ("executive",)},
    "RU+KZ, executive": {"countries": ("RU", "KZ"), "roles": ("executive",)},
}
WEBINARS = {
    "all webinars": {},
    "one series": {"series": ("Industrial clusters, season 2",)},
    "one season by dates": {"date_from": date(2026, 11, 5), "date_to": date(2026, 12, 10)},
    "one webinar": {"events": ("clusters-02-3",)},
}
MINIMUM = {"no minimum": {}, "≥ 30 min": {"min_minutes": 30.0}}


def overview_ms(con, filters: Filters, countries, roles, runs: int) -> float:
    def once() -> float:
        began = time.perf_counter()
        o = reach.overview(con, filters, countries, roles)
        figures.overview_charts(o, countries, roles, "ru")
        figures.webinar_table(o.webinars, "ru")
        return time.perf_counter() - began

    once()
    return statistics.median(once() for _ in range(runs)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, default=DB)
    args = parser.parse_args()
    con, _ = database.open_for_reading(args.db)
    countries, roles = cli.reference_tables(con)
    rows = []
    for (p, pf), (w, wf), (m, mf) in itertools.product(PERSONS.items(), WEBINARS.items(), MINIMUM.items()):
        rows.append((p, w, m, overview_ms(con, Filters(**pf, **wf, **mf), countries, roles, args.runs)))
    worst = max(rows, key=lambda r: r[3])
    quick = max((r for r in rows if r[2] == "no minimum"), key=lambda r: r[3])
    print(f"{len(rows)} combinations, median of {args.runs} each after a warm-up.\n")
    print(f"Worst: {worst[3]:.0f} ms ({worst[0]}; {worst[1]}; {worst[2]}).")
    print(f"Worst without a minimum of minutes: {quick[3]:.0f} ms ({quick[0]}; {quick[1]}).\n")
    print("| persons | webinars | minimum | whole overview |")
    print("|---|---|---|---:|")
    for p, w, m, ms in rows:
        print(f"| {p} | {w} | {m} | {ms:.0f} ms{' ✗' if ms > 150 else ''} |")
    con.close()


if __name__ == "__main__":
    main()
