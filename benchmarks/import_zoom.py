"""Benchmark: importing a 1,000,000-row Zoom attendee report (current layout).

Writes benchmarks/out/zoom_1m.csv (deterministic), then runs `reach import` on it into a fresh
database several times and reports the median wall time and the command's peak memory.
Run: `python benchmarks/import_zoom.py [--rows 1000000] [--runs 3] [--stages]`; with --stages, one
more import in this process says where its time went (the reading in the sandbox's child, the
writing of the records, the refresh of the facts).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
COUNTRIES = ("Russian Federation", "Kazakhstan", "Belarus", "Armenia", "Kyrgyzstan", "Uzbekistan", "Tajikistan",
             "Azerbaijan", "Moldova, Republic of", "Turkmenistan", "Georgia")  # fmt: skip
JOBS = ("Генеральный директор", "научный сотрудник", "экономист", "студент", "специалист министерства", "инженер", "")
HEADER = (
    "Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Approval Status,"
    "Join Time,Leave Time,Time in Session (minutes),Is Guest,Организация,Должность,Country/Region Name,Source Name"
)


def write_report(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 10, 1, 11, 0)
    people = max(1, rows // 3)  # about three rows per person: rejoins
    fmt = "%b %d, %Y %H:%M:%S"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        f.write('Attendee Report,\nReport Generated:,"Oct 02, 2026 10:00 AM"\n')
        f.write("Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,# Cancelled,Unique Viewers,"
                "Total Users,Max Concurrent Views\n")  # fmt: skip
        f.write(f'Кластеры,987 654 3210,"{start:{fmt}}",240,{people},0,{people},{rows},{people}\n')
        f.write("Attendee Details,\n" + HEADER + "\n")
        for i in range(rows):
            p = rng.randrange(people)
            joined = start + timedelta(seconds=rng.randrange(0, 4 * 3600))
            left = joined + timedelta(seconds=rng.randrange(60, 3600))
            registered = f'"{start - timedelta(days=1, seconds=p):{fmt}}"' if i % 3 == 0 else "--"
            f.write(f'Yes,Участник {p},Участник,{p},person{p}@example.org,{registered},approved,"{joined:{fmt}}",'
                    f'"{left:{fmt}}",{(left - joined).seconds // 60},No,Организация {p % 500},{JOBS[p % len(JOBS)]},'
                    f'"{COUNTRIES[p % len(COUNTRIES)]}",\n')  # fmt: skip


def stages(report: Path) -> None:
    """One import as `reach import` does it (the file read in the sandbox's child), each stage timed."""
    started = time.perf_counter()
    from dashboard import database
    from dashboard.imports import loader, sandbox

    spent: dict[str, float] = {"Python imports": time.perf_counter() - started}

    def timed(module, name: str, label: str) -> None:
        function = getattr(module, name)

        def wrapper(*args, **kwargs):
            begun = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.perf_counter() - begun

        setattr(module, name, wrapper)

    timed(loader, "content_hash", "hash of the file")
    timed(sandbox, "_run", "reading and parsing (sandbox child, with its start)")
    timed(sandbox, "_answer", "  of which: the answer unpickled")
    timed(loader, "_write", "records written (identities, persons, attendance, registrations)")
    timed(database, "refresh", "facts refreshed (database.refresh)")
    db = OUT / "import_stages.duckdb"
    db.unlink(missing_ok=True)
    begun = time.perf_counter()
    con = database.connect(db)
    spent["database opened"] = time.perf_counter() - begun
    begun = time.perf_counter()
    result = loader.import_file(con, report.read_bytes(), report.name, zone="Europe/Moscow")
    spent["import_file in all"] = time.perf_counter() - begun
    con.close()
    db.unlink(missing_ok=True)
    print(result.summary())
    for label, seconds in spent.items():
        print(f"| {label} | {seconds:.2f} s |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stages", action="store_true", help="then one import here, each stage timed")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    report = OUT / f"zoom_{args.rows}.csv"
    if not report.exists():
        write_report(report, args.rows)
    print(f"{report.name}: {report.stat().st_size / 2**20:.0f} MB, {args.rows:,} attendee rows")
    times = []
    for run in range(args.runs):
        db = OUT / f"import_{run}.duckdb"
        db.unlink(missing_ok=True)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dashboard.cli", "import", str(report), "--db", str(db),
                        "--timezone", "Europe/Moscow"], check=True)  # fmt: skip
        times.append(time.perf_counter() - started)
        db.unlink(missing_ok=True)
    if times:
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 2**20
        print(f"| import of {args.rows:,} rows | median {statistics.median(times):.1f} s "
              f"(runs: {', '.join(f'{t:.1f}' for t in times)}) | peak memory {peak:.2f} GB |")  # fmt: skip
    if args.stages:
        stages(report)


if __name__ == "__main__":
    main()
