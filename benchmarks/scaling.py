"""Benchmark: cost curves — how the overview, the facts rebuild, live ingest and memory grow
with the programme's size (10,000, 100,000 and 1,000,000 participants).

For each size it uses a demo database (`reach demo --participants N --seed 1`; built into
benchmarks/out/scale_N.duckdb when missing; 1,000,000 reuses benchmarks/out/large.duckdb, the
database of benchmarks/overview.py, never modified) and measures, one thing at a time, each in
a fresh process so that its peak memory is its own:

- overview: the whole overview computation (every query plus figure building, no browser;
  `whole_overview` of benchmarks/overview.py), all and the typical filter, median of 5 after a
  warm-up, on the database opened read-only; the process's peak RSS and the file's size;
- throughput: uncached overviews per second from one process, 4 sessions (threads) at once,
  each asking for another selection every time, for 10 s;
- rebuild: a whole rebuild of the facts (`database.refresh` in a transaction), median of 3, on
  a copy of the file in /tmp; the process's peak RSS;
- replica: the read side (every table but `attendance` and `registrations`) written into a new
  file, as a writer would publish it for read-only app servers (docs/scaling.md); the overview
  computed from that file alone, its KPIs compared with the whole file's;
- ingest: `reach serve` on another copy in /tmp, then the throughput and check-in bursts of
  benchmarks/live.py (4 concurrent senders × 1,000 signed events in batches of 20; 300 phones
  checking in four at a time), three runs, the median run kept; the server's peak RSS.

The load average (1 minute) is recorded before and after each measurement: the machine may be
shared (`--quiet L` waits, at most 10 minutes per measure, for it to fall below L). Results go to
benchmarks/out/scaling.json, the plot to docs/screenshots/scaling.png and a Markdown table to
standard output. Run: `python benchmarks/scaling.py` (about 25 minutes on 2 cores, most of it
the 1M ingest runs; `--only`, `--sizes` choose; `--plot-only` redraws from the JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
RESULTS = OUT / "scaling.json"
PLOT = ROOT / "docs" / "screenshots" / "scaling.png"
SIZES = (10_000, 100_000, 1_000_000)
SECRET = "benchmark-secret"
# A measurement that would take longer than this is skipped, and the table says so.
BUDGET_S = 300


def database_for(participants: int) -> Path:
    return OUT / "large.duckdb" if participants == 1_000_000 else OUT / f"scale_{participants}.duckdb"


def load() -> float:
    return round(os.getloadavg()[0], 2)


QUIET = {"below": None, "max_wait_s": 600}


def wait_for_quiet() -> float:
    """With --quiet L: wait (at most 10 minutes) until the 1-minute load average is below L, so
    that a measurement does not share the cores with someone else's run; the load then."""
    if QUIET["below"] is not None:
        started = time.monotonic()
        while load() >= QUIET["below"] and time.monotonic() - started < QUIET["max_wait_s"]:
            time.sleep(5)
    return load()


def run_child(args: list[str], timeout: float) -> tuple[dict | None, float, str | None]:
    """Run this script as a child measuring one thing; (its JSON, its peak RSS in MB, error)."""
    process = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=ROOT, text=True)  # fmt: skip
    try:
        out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        return None, 0.0, f"skipped: over {timeout:.0f} s"
    if process.returncode != 0:
        return None, 0.0, f"failed: {err.strip().splitlines()[-1] if err.strip() else process.returncode}"
    result = json.loads(out.strip().splitlines()[-1])
    return result, result.pop("peak_rss_mb"), None


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---- children: each measures one thing and prints one line of JSON -------------------------


def child_overview(db: str, runs: int) -> dict:
    sys.path.insert(0, str(BENCH))
    from overview import TYPICAL, whole_overview  # benchmarks/overview.py: the same computation

    from dashboard import database, queries
    from dashboard.filters import Filters

    rss_before = current_rss_mb()  # Python, pandas, plotly, DuckDB imported; nothing read yet
    con = database.connect(db, read_only=True)
    con.execute("set enable_progress_bar = false")
    countries = queries.run(con, "countries", Filters())
    roles = queries.run(con, "roles", Filters())
    counts = {
        name: con.execute(f"select count(*) from {table}").fetchall()[0][0]
        for name, table in (("participants_rows", "participants"), ("attendance_rows", "attendance"),
                            ("pair_facts_rows", "pair_facts"), ("person_facts_rows", "person_facts"))
    }  # fmt: skip
    counts["participants"] = con.execute(
        "select count(*) from person_facts where n_attended > 0 and not is_rehearsal"
    ).fetchall()[0][0]
    result = dict(counts)
    for label, filters in (("all", Filters()), ("typical", TYPICAL)):
        whole_overview(con, filters, countries, roles)  # warm-up: file cache, query plans
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            whole_overview(con, filters, countries, roles)
            times.append((time.perf_counter() - started) * 1000)
        result[f"overview_{label}_ms"] = statistics.median(times)
        result[f"overview_{label}_runs_ms"] = [round(t, 1) for t in times]
    con.close()
    result["rss_after_imports_mb"] = rss_before
    result["peak_rss_mb"] = peak_rss_mb()
    return result


# What a read-only app server needs: the facts and the small tables beside them, not the imported
# rows (attendance, registrations: the writer's, for rebuilds and the Data page's questions).
WRITER_ONLY = ("attendance", "registrations")


def child_replica(db: str, target: str, runs: int) -> dict:
    """Write the read side of `db` into a new file, as a writer would publish a generation for
    read-only app servers; then compute the whole overview from that file alone."""
    sys.path.insert(0, str(BENCH))
    import duckdb
    from overview import TYPICAL, whole_overview

    from dashboard import database, queries, reach
    from dashboard.filters import Filters

    started = time.perf_counter()
    database.connect(target).close()  # an empty programme: schema, constraints, macros (sql/)
    facts = {table for table, _, _ in database.FACTS}
    con = duckdb.connect(":memory:")  # the source read-only, the new file read-write
    con.execute("set enable_progress_bar = false")
    con.execute(f"attach '{db}' as source (read_only)")
    con.execute(f"attach '{target}' as replica")
    sql = "select table_name from duckdb_tables() where database_name = 'source' and not temporary"
    tables = [r[0] for r in con.execute(sql).fetchall() if r[0] not in WRITER_ONLY]
    con.execute("begin transaction")
    for table in tables:
        if table in facts:  # laid out as the writer laid them out (insertion order is kept)
            con.execute(f"create or replace table replica.{table} as select * from source.{table}")
        else:  # canonical and reference tables keep their keys
            con.execute(f"delete from replica.{table}")
            con.execute(f"insert into replica.{table} by name select * from source.{table}")
    con.execute("commit")
    con.execute("detach replica")
    written_s = time.perf_counter() - started
    con.close()
    size_mb = Path(target).stat().st_size / 2**20
    con = database.connect(target, read_only=True)
    countries = queries.run(con, "countries", Filters())
    roles = queries.run(con, "roles", Filters())
    result = {"replica_write_s": written_s, "replica_file_mb": size_mb, "replica_tables": len(tables)}
    source = database.connect(db, read_only=True)
    same = all(
        reach.overview(source, f, countries, roles).kpis == reach.overview(con, f, countries, roles).kpis
        for f in (Filters(), TYPICAL)
    )
    source.close()
    result["replica_same_kpis"] = same
    for label, filters in (("all", Filters()), ("typical", TYPICAL)):
        whole_overview(con, filters, countries, roles)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            whole_overview(con, filters, countries, roles)
            times.append((time.perf_counter() - started) * 1000)
        result[f"replica_overview_{label}_ms"] = statistics.median(times)
    started = time.perf_counter()
    con.close()
    con = database.connect(target, read_only=True)
    whole_overview(con, Filters(), countries, roles)  # a reader opening a new generation: cold
    result["replica_first_overview_ms"] = (time.perf_counter() - started) * 1000
    con.close()
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def child_throughput(db: str, threads: int, seconds: float) -> dict:
    """Uncached overviews per second from one process: `threads` sessions at once, each asking
    for another selection every time (no result is reused), as Streamlit runs each session's
    script on a thread of one process. The data work only: Streamlit's own rerun is not in it."""
    import itertools
    import threading

    sys.path.insert(0, str(BENCH))
    from overview import whole_overview

    from dashboard import database, queries
    from dashboard.filters import Filters

    con = database.connect(db, read_only=True)
    con.execute("set enable_progress_bar = false")
    countries = queries.run(con, "countries", Filters())
    roles = queries.run(con, "roles", Filters())
    codes = ("RU", "KZ", "BY", "UZ", "KG", "AM", "AZ", "TJ")
    role_codes = [r for r in roles["code"] if r != "unknown"]
    selections = [Filters()] + [Filters(countries=(c,)) for c in codes] + [Filters(roles=(r,)) for r in role_codes]
    selections += [
        Filters(countries=pair, roles=(r,)) for pair in itertools.combinations(codes[:4], 2) for r in role_codes
    ]
    whole_overview(con, Filters(), countries, roles)  # warm-up
    chosen = itertools.cycle(selections)
    lock = threading.Lock()
    durations: list[float] = []
    deadline = time.perf_counter() + seconds

    def session() -> None:
        while time.perf_counter() < deadline:
            with lock:
                filters = next(chosen)
            started = time.perf_counter()
            whole_overview(con, filters, countries, roles)
            with lock:
                durations.append(time.perf_counter() - started)

    started = time.perf_counter()
    workers = [threading.Thread(target=session) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.perf_counter() - started
    con.close()
    return {"throughput_per_s": len(durations) / elapsed, "throughput_threads": threads,
            "throughput_latency_median_ms": statistics.median(durations) * 1000,
            "throughput_selections": len(selections), "peak_rss_mb": peak_rss_mb()}  # fmt: skip


def child_rebuild(db: str, runs: int) -> dict:
    from dashboard import database

    con = database.connect(db)  # a copy in /tmp: facts are current, so opening rebuilds nothing
    con.execute("set enable_progress_bar = false")
    times, loads = [], []
    for _ in range(runs):
        loads.append(load())
        started = time.perf_counter()
        with database.transaction(con):
            database.refresh(con)
        times.append(time.perf_counter() - started)
    con.close()
    return {"rebuild_s": statistics.median(times), "rebuild_runs_s": [round(t, 2) for t in times],
            "rebuild_runs_load": loads, "peak_rss_mb": peak_rss_mb()}  # fmt: skip


# ---- the measurements, from the parent -------------------------------------------------------


def build(participants: int) -> dict:
    """`reach demo` into benchmarks/out/scale_N.duckdb; seconds and the command's peak RSS."""
    path = database_for(participants)
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)
    command = [sys.executable, "-m", "dashboard.cli", "demo", "--db", str(path),
               "--participants", str(participants), "--seed", "1"]  # fmt: skip
    before = wait_for_quiet()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"reach demo --participants {participants} failed")
    return {"build_s": seconds, "build_peak_rss_mb": usage.ru_maxrss / 1024, "build_load": [before, load()]}


def copy_to_tmp(db: Path) -> Path:
    target = Path(tempfile.mkdtemp(prefix="reach-scaling-")) / db.name
    shutil.copyfile(db, target)
    return target


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ingest(db: Path) -> dict:
    """benchmarks/live.py's ingest and check-in bursts against `reach serve` on a copy of `db`."""
    sys.path.insert(0, str(BENCH))
    import live  # benchmarks/live.py: throughput() and checkins(), the same requests

    copy = copy_to_tmp(db)
    port = free_port()
    env = {**os.environ, "REACH_INGEST_SECRET": SECRET, "REACH_CHECKIN_LIMIT": "100000",
           "REACH_CHECKIN_PAGE_LIMIT": "100000", "REACH_CHECKIN_FLOOR": "100000"}  # fmt: skip
    server = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--db", str(copy), "--port", str(port)],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
    url = f"http://localhost:{port}"
    try:
        started = time.monotonic()
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/v1/health", timeout=2)
                break
            except OSError:
                if time.monotonic() - started > BUDGET_S or server.poll() is not None:
                    return {"ingest_error": "server did not start"}
                time.sleep(0.5)
        ready_s = time.monotonic() - started
        rss_ready = server_peak_rss_mb(server.pid)
        rate = live.throughput(url)
        checkin_rate, submissions = live.checkins(url)
        peak = server_peak_rss_mb(server.pid)
    finally:
        server.terminate()
        server.wait(30)
        shutil.rmtree(copy.parent, ignore_errors=True)
    return {"ingest_events_per_s": rate, "checkins_per_s": checkin_rate,
            "checkin_submission_median_ms": statistics.median(submissions) * 1000,
            "checkin_submission_max_ms": max(submissions) * 1000,
            "server_ready_s": ready_s, "server_rss_ready_mb": rss_ready, "server_peak_rss_mb": peak}  # fmt: skip


def measure(participants: int, runs: int, rebuild_runs: int, ingest_runs: int, what: set[str], results: dict) -> None:
    row = results.setdefault(str(participants), {"participants_requested": participants})
    db = database_for(participants)
    if not db.exists():
        if participants == 1_000_000:
            raise SystemExit(f"{db} is missing: build it with `python benchmarks/overview.py` first")
        print(f"building {db.name} …", file=sys.stderr)
        row.update(build(participants))
        save(results)
    row["file_mb"] = db.stat().st_size / 2**20
    row["database"] = str(db.relative_to(ROOT))

    def child(step: str, args: list[str], budget: float, peak_key: str | None = None) -> None:
        """One measured step in a child process, after the machine is quiet; its figures into the row."""
        before = wait_for_quiet()
        print(f"{participants:,}: {step} (load {before}) …", file=sys.stderr)
        result, peak, error = run_child(["--child", step, *args], budget)
        row.update(result or {f"{step}_error": error})
        if peak_key:
            row[peak_key] = peak or None
        row[f"{step}_load"] = [before, load()]
        save(results)

    if "overview" in what:
        child("overview", ["--db", str(db), "--runs", str(runs)], BUDGET_S, "overview_peak_rss_mb")

    if "throughput" in what:
        child("throughput", ["--db", str(db)], BUDGET_S)

    if "rebuild" in what:
        started = time.perf_counter()
        copy = copy_to_tmp(db)
        row["file_copy_s"] = time.perf_counter() - started
        try:
            child(
                "rebuild",
                ["--db", str(copy), "--runs", str(rebuild_runs)],
                BUDGET_S * rebuild_runs,
                "rebuild_peak_rss_mb",
            )
        finally:
            shutil.rmtree(copy.parent, ignore_errors=True)

    if "replica" in what:
        target = Path(tempfile.mkdtemp(prefix="reach-replica-")) / "replica.duckdb"
        try:
            child(
                "replica",
                ["--db", str(db), "--target", str(target), "--runs", str(runs)],
                BUDGET_S,
                "replica_peak_rss_mb",
            )
        finally:
            shutil.rmtree(target.parent, ignore_errors=True)

    if "ingest" in what:
        # the most contended measure on a shared machine (the server, its background rebuild and
        # four senders on two cores): several runs, each on a fresh copy; the median run is kept
        runs = []
        for _ in range(ingest_runs):
            before = wait_for_quiet()
            print(f"{participants:,}: ingest (load {before}) …", file=sys.stderr)
            run = ingest(db)
            run["ingest_load"] = [before, load()]
            runs.append(run)
        ok = [r for r in runs if "ingest_events_per_s" in r]
        if ok:
            median = sorted(ok, key=lambda r: r["ingest_events_per_s"])[(len(ok) - 1) // 2]
            row.update(median)
            row["ingest_runs"] = [
                {k: round(r[k], 2) if isinstance(r[k], float) else r[k] for k in
                 ("ingest_events_per_s", "checkins_per_s", "checkin_submission_median_ms", "ingest_load")}
                for r in ok
            ]  # fmt: skip
        else:
            row.update(runs[-1])
        save(results)


def save(results: dict) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")


def machine() -> dict:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    import duckdb
    import plotly

    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(mem_gb),
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "duckdb": duckdb.__version__, "plotly": plotly.__version__,
            "date": time.strftime("%Y-%m-%d")}  # fmt: skip


# ---- the table and the plot ------------------------------------------------------------------


def fmt(value, spec: str, unit: str = "") -> str:
    return "—" if value is None else f"{value:{spec}}{unit}"


# The rows of the table: (label, key, format spec, unit); the spec "loads", "yes/no" or "runs"
# names a cell that is not one number.
TABLE_ROWS = (
    ("participants (attended)", "participants", ","),
    ("attendance rows", "attendance_rows", ","),
    ("pair_facts rows", "pair_facts_rows", ","),
    ("database file", "file_mb", ",.0f", " MB"),
    ("**whole overview, all** (median of 5)", "overview_all_ms", ",.0f", " ms"),
    ("**whole overview, typical filter** (median of 5)", "overview_typical_ms", ",.0f", " ms"),
    ("peak RSS of the overview process", "overview_peak_rss_mb", ",.0f", " MB"),
    ("… of which after imports, before opening", "rss_after_imports_mb", ",.0f", " MB"),
    ("load average (1 min) before → after", "overview_load", "loads"),
    ("**uncached overviews per second**, one process, 4 sessions at once", "throughput_per_s", ",.1f", " /s"),
    ("… each overview's time under that load, median", "throughput_latency_median_ms", ",.0f", " ms"),
    ("load average before → after", "throughput_load", "loads"),
    ("**whole facts rebuild** (median of 3, copy in /tmp)", "rebuild_s", ",.2f", " s"),
    ("peak RSS of the rebuild process", "rebuild_peak_rss_mb", ",.0f", " MB"),
    ("load average before → after", "rebuild_load", "loads"),
    ("replica file: the read side only (no attendance, registrations)", "replica_file_mb", ",.0f", " MB"),
    ("… written in (create table as select, from the read-only file)", "replica_write_s", ",.1f", " s"),
    ("whole overview from the replica, all", "replica_overview_all_ms", ",.0f", " ms"),
    ("whole overview from the replica, typical filter", "replica_overview_typical_ms", ",.0f", " ms"),
    ("same KPIs from the replica as from the whole file (all, typical)", "replica_same_kpis", "yes/no"),
    ("first overview after opening a new generation (cold)", "replica_first_overview_ms", ",.0f", " ms"),
    ("copy of the whole file (to /tmp)", "file_copy_s", ",.1f", " s"),
    ("load average before → after", "replica_load", "loads"),
    ("**live ingest** (4 × 1,000 events, batches of 20; median run)", "ingest_events_per_s", ",.0f", " events/s"),
    ("… every run, events/s (check-ins/s)", "ingest_runs", "runs"),
    ("check-ins (300 phones, 4 at a time)", "checkins_per_s", ",.0f", " /s"),
    ("check-in submission, median", "checkin_submission_median_ms", ",.0f", " ms"),
    ("check-in submission, max", "checkin_submission_max_ms", ",.0f", " ms"),
    ("server start until healthy", "server_ready_s", ",.1f", " s"),
    ("server peak RSS during ingest", "server_peak_rss_mb", ",.0f", " MB"),
    ("load average before → after", "ingest_load", "loads"),
    ("`reach demo` build", "build_s", ",.0f", " s"),
    ("`reach demo` peak RSS", "build_peak_rss_mb", ",.0f", " MB"),
)  # fmt: skip


def cell(value, spec: str, unit: str = "") -> str:
    """One cell of the table: a number, a load average's before → after, yes/no, or every run's rates."""
    if value is None or value == []:
        return "—"
    if spec == "loads":
        return "{:.1f} → {:.1f}".format(*value)
    if spec == "yes/no":
        return "yes" if value else "**no**"
    if spec == "runs":
        return ", ".join(f"{x['ingest_events_per_s']:.0f} ({x['checkins_per_s']:.0f})" for x in value)
    return fmt(value, spec, unit)


def table(results: dict) -> str:
    rows = [results[str(n)] for n in SIZES if str(n) in results]
    head = "| measure | " + " | ".join(f"{r['participants_requested']:,}" for r in rows) + " |"
    lines = [head, "|---|" + "---:|" * len(rows)]

    for label, key, spec, *unit in TABLE_ROWS:
        lines.append(f"| {label} | " + " | ".join(cell(r.get(key), spec, *unit) for r in rows) + " |")
    return "\n".join(lines)


# The panels of the plot: (title, unit, series); a series is (key, name at the line's end, colour,
# where its values go, vertical shift of its name in px).
PANELS = (
    ("Overview: every query and chart, no browser", "milliseconds", (
        ("overview_all_ms", "whole programme", "#1f5fa8", ["top center", "top center", "bottom center"], -9),
        ("overview_typical_ms", "typical filter", "#6fa8dc", ["bottom center", "bottom center", "top center"], 9))),
    ("Rebuild of all stored figures (after an import)", "seconds", (
        ("rebuild_s", "whole rebuild", "#c0392b", ["top left", "top left", "bottom right"], 0),)),
    ("Live ingest into one server", "per second", (
        ("ingest_events_per_s", "events/s", "#1e8449", "top center", 0),
        ("checkins_per_s", "check-ins/s", "#7dcea0", ["bottom center", "bottom center", "top right"], 0))),
    ("Memory and data size", "megabytes", (
        ("server_peak_rss_mb", "server during ingest", "#117a65", "top center", 12),
        ("rebuild_peak_rss_mb", "rebuild", "#e67e22", ["middle left", "bottom right", "bottom center"], -16),
        ("file_mb", "database file", "#555555", ["top left", "bottom right", "top left"], 0),
        ("overview_peak_rss_mb", "overview only", "#8e44ad", "bottom center", 0))),
)  # fmt: skip
# Targets already set for the project (BENCHMARKS.md): the overview at 1M, the serving process.
TARGETS = {0: (300, "target ≤ 300 ms"), 3: (2048, "serving target 2 GB")}


def plot(results: dict, path: Path) -> None:
    """Four log-log panels against participants, each with a dotted line of slope 1 (cost in
    proportion to size) through its first point, and three decades of height so that slopes
    compare across panels."""
    import math

    import plotly.graph_objects as go
    import plotly.io as pio
    from plotly.subplots import make_subplots

    rows = [results[str(n)] for n in SIZES if str(n) in results]
    x = [r["participants_requested"] for r in rows]
    fig = make_subplots(rows=2, cols=2, subplot_titles=[p[0] for p in PANELS],
                        horizontal_spacing=0.1, vertical_spacing=0.2)  # fmt: skip
    for i, (_, unit, series) in enumerate(PANELS):
        r, c = divmod(i, 2)
        where = {"row": r + 1, "col": c + 1}
        values = [v for key, *_ in series for v in (row.get(key) for row in rows) if v]
        for key, name, colour, position, shift in series:
            ys = [row.get(key) for row in rows]
            if all(v is None for v in ys):
                continue
            fig.add_trace(go.Scatter(
                x=x, y=ys, mode="lines+markers+text", text=[_short(v) for v in ys], textposition=position,
                textfont={"size": 12, "color": colour}, line={"color": colour, "width": 3}, marker={"size": 8},
                showlegend=False, cliponaxis=False), **where)  # fmt: skip
            last = max(j for j, v in enumerate(ys) if v is not None)
            fig.add_annotation(x=math.log10(x[last]), y=math.log10(ys[last]), text=f"<b>{name}</b>", xanchor="left",
                               xshift=30, yshift=shift, showarrow=False, font={"size": 12, "color": colour},
                               **where)  # fmt: skip
        first = rows[0].get(series[0][0])
        if first and unit != "per second":  # a rate is not a cost: no proportional guide there
            guide = [first * n / x[0] for n in x]
            fig.add_trace(go.Scatter(x=x, y=guide, mode="lines", showlegend=False, hoverinfo="skip",
                                     line={"color": "#b0b0b0", "dash": "dot", "width": 2}), **where)  # fmt: skip
            values += guide
        if i in TARGETS:
            level, label = TARGETS[i]
            fig.add_trace(go.Scatter(x=[x[0] * 0.6, x[-1] * 1.15], y=[level, level], mode="lines", showlegend=False,
                                     line={"color": "#c0392b", "dash": "dash", "width": 1}), **where)  # fmt: skip
            fig.add_annotation(
                x=math.log10(x[0] * 0.62),
                y=math.log10(level),
                text=label,
                xanchor="left",
                yanchor="bottom",
                showarrow=False,
                font={"size": 11, "color": "#c0392b"},
                **where,
            )
            values.append(level)
        low, high = math.log10(min(values)), math.log10(max(values))
        middle = (low + high) / 2
        span = max(3.0, high - low + 0.5)
        fig.update_yaxes(type="log", range=[middle - span / 2, middle + span / 2], title_text=f"{unit} (log scale)",
                         title_standoff=4, **where)  # fmt: skip
        fig.update_xaxes(type="log", range=[math.log10(x[0]) - 0.25, math.log10(x[-1]) + 1.05], tickvals=x,
                         ticktext=[f"{n:,}" for n in x], title_text="participants (log scale)", title_standoff=2,
                         **where)  # fmt: skip
    m = results.get("machine", {})
    fig.add_annotation(xref="paper", yref="paper", x=1, y=-0.13, xanchor="right", showarrow=False,
                       font={"size": 11, "color": "#666666"},
                       text="Dotted grey: cost growing in proportion to the number of participants. "
                            "Red dashed: the project's targets.")  # fmt: skip
    fig.update_layout(
        title={"text": "reach: what one server spends as a programme grows from 10,000 to 1,000,000 participants"
                       f"<br><sup>Measured {m.get('date', '')} on one server with {m.get('cores', 2)} cores and "
                       f"{m.get('ram_gb', '')} GB RAM (shared with other work); benchmarks/scaling.py, "
                       "BENCHMARKS.md \"Cost curves\"</sup>",
               "x": 0.5, "font": {"size": 19}},
        font={"family": "DejaVu Sans, Arial, sans-serif", "size": 12},
        template="plotly_white", margin={"t": 100, "b": 80, "l": 70, "r": 30},
    )  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    pio.write_image(fig, str(path), width=1200, height=700, scale=1)


def _short(v) -> str:
    if v is None:
        return ""
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.0f}"
    return f"{v:.2g}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", choices=("overview", "throughput", "rebuild", "replica"))
    parser.add_argument("--db")
    parser.add_argument("--target")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild-runs", type=int, default=3)
    parser.add_argument("--ingest-runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--only", nargs="*", choices=("overview", "throughput", "rebuild", "replica", "ingest"),
                        default=["overview", "throughput", "rebuild", "replica", "ingest"])  # fmt: skip
    parser.add_argument("--plot-only", action="store_true")
    parser.add_argument("--quiet", type=float, help="wait until the 1-minute load average is below this")
    args = parser.parse_args()
    QUIET["below"] = args.quiet
    sys.path.insert(0, str(ROOT))

    if args.child == "overview":
        print(json.dumps(child_overview(args.db, args.runs)))
        return
    if args.child == "rebuild":
        print(json.dumps(child_rebuild(args.db, args.runs)))
        return
    if args.child == "throughput":
        print(json.dumps(child_throughput(args.db, 4, 10.0)))
        return
    if args.child == "replica":
        print(json.dumps(child_replica(args.db, args.target, args.runs)))
        return

    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if not args.plot_only:
        results["machine"] = machine()
        for n in args.sizes:
            measure(n, args.runs, args.rebuild_runs, args.ingest_runs, set(args.only), results)
    plot(results, PLOT)
    print(table(results))
    size_kb = PLOT.stat().st_size / 1024
    print(f"\nplot: {PLOT.relative_to(ROOT)} ({size_kb:.0f} KB); results: {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
