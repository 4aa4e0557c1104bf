"""Benchmark: how many viewers one server holds at 1,000,000 participants (issue 12, "Many viewers").

Copies benchmarks/out/large.duckdb to a temporary folder (the server writes to it: live events,
the facts update, sign-ins), adds a viewer account, serves it with `reach serve` and drives real
Chromium pages against it, each page a browser context of its own (a separate Streamlit session):

1. Cost of one rerun on one page: a click on each role bar, then the reset button, measured by
   the server's CPU time (utime + stime from /proc) — first for selections nobody asked before
   (the figures computed), then again (the results kept by dashboard/results.py).
2. A ramp of overview viewers (1, 2, 4, …): each changes a filter (a click on a role bar, then
   the reset button) every --think seconds (uniform 0.5–1.5×). Per step: the server's CPU per
   rerun, its resident memory per open session, and the redraw time (click until the KPI cards
   show the new selection and the script finished, as benchmarks/browser.py times it), p95.
3. A ramp of live viewers on /live?event=bench-viewers while live events arrive (--event-rate
   joins a second, signed as benchmarks/live.py signs them): each page reruns its figures every
   2 s by itself. Per step: server CPU per second per viewer (beyond the events' own cost,
   measured with no viewer), memory per session, and the redraw time of each refresh (the
   script running → finished, seen by the page), p95.
4. Soak: --soak sessions opened (the overview and the live view in turn, until drawn) and closed,
   --soak-parallel at a time; the server's RSS after a warm-up and an idle wait, after the soak,
   and after another idle wait longer than Streamlit's server.disconnectedSessionTTL (120 s: a
   closed session is kept that long in case its browser reconnects). Passes within 10%.

The browsers run on the same two cores as the server: the direct test shows what this machine
drives, and the capacity is also derived from the CPU per rerun. The load average is recorded
with every measurement. Prints Markdown tables and saves benchmarks/out/viewers.json.
Run: `python benchmarks/viewers.py [--quick] [--sessions 1,2,4,8,16] [--soak 500]`.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from live import SECRET, free_port, post  # benchmarks/live.py: one signed batch
from playwright.async_api import async_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LARGE = HERE / "out" / "large.duckdb"
OUT = HERE / "out" / "viewers.json"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOGIN, PASSWORD = "bench-viewer", "bench-viewer-password"
LIVE_KEY = "bench-viewers"
COUNTRIES = ["RU", "KZ", "BY", "AM", "KG", "UZ", "TJ", "AZ", "MD", "TM"]
ROLES = ["executive", "scientist", "economist", "student", "official", "other"]
TICK = os.sysconf("SC_CLK_TCK")
DISCONNECTED_TTL = 120  # Streamlit's server.disconnectedSessionTTL default, seconds
APP = "document.querySelector(\"[data-testid='stApp']\")"
SCRIPT_DONE = f"() => {APP}?.getAttribute('data-test-script-state') === 'notRunning'"
FIRST_METRIC = "document.querySelector(\"[data-testid='stMetricValue']\")"
METRIC_CHANGED = f"before => {{ const v = {FIRST_METRIC}; return v && v.innerText !== before; }}"
# Every script run the page sees (a rerun or a fragment's refresh), in the page's own clock.
WATCH_RUNS = f"""() => {{
  window.__runs = []; const app = {APP}; let began = null;
  new MutationObserver(() => {{
    const state = app.getAttribute('data-test-script-state');
    if (state === 'running' && began === null) began = performance.now();
    if (state === 'notRunning' && began !== null) {{ window.__runs.push(performance.now() - began); began = null; }}
  }}).observe(app, {{attributes: true, attributeFilter: ['data-test-script-state']}});
}}"""
# The second chart of the overview is the role bars (st.plotly_chart or a component: both Plotly).
ROLE_BARS = ".js-plotly-plot >> nth=1 >> .bars path"
ALL_ROLES = "() => document.querySelectorAll('.js-plotly-plot')[1]?.querySelectorAll('.bars path').length > 1"
RESET = "[data-testid='stSidebar'] button:has-text('Сбросить')"


# --- the server process ---------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the process, all its threads, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Window:
    """What the server (and the machine) spent between start and stop."""

    def __init__(self, pid: int):
        self.pid = pid
        self.cpu, self.wall, self.ticks, self.load = (
            cpu_seconds(pid),
            time.perf_counter(),
            machine_ticks(),
            load_average(),
        )

    def stop(self) -> dict:
        cpu, wall, (busy, total) = cpu_seconds(self.pid), time.perf_counter(), machine_ticks()
        seconds = wall - self.wall
        return {
            "seconds": seconds,
            "server_cpu_s": cpu - self.cpu,
            "server_cores": (cpu - self.cpu) / seconds,
            "machine_busy_pct": 100 * (busy - self.ticks[0]) / max(1, total - self.ticks[1]),
            "load_before": self.load,
            "load_after": load_average(),
        }


def wait_healthy(url: str, server: subprocess.Popen) -> None:
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit("the server stopped while starting")
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def committed_code(folder: Path) -> Path:
    """The committed tree (git archive HEAD), so that a change in progress in the checkout does not
    move the figures; the server imports `dashboard` from it (PYTHONPATH comes before the venv)."""
    code = folder / "code"
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "HEAD"], capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(code, filter="data")
    return code


def serve(source: Path, folder: Path, accounts: bool, code: Path) -> tuple[subprocess.Popen, str]:
    """A copy of `source` (the server writes to it) served on a free port, with a viewer account,
    by the dashboard in `code`."""
    env = {**os.environ, "PYTHONPATH": str(code), "REACH_INGEST_SECRET": SECRET}
    db = folder / "large.duckdb"
    shutil.copyfile(source, db)
    if source.with_suffix(".duckdb.wal").exists():  # committed changes not yet checkpointed
        shutil.copyfile(source.with_suffix(".duckdb.wal"), folder / "large.duckdb.wal")
    if accounts:
        subprocess.run([sys.executable, "-m", "dashboard.cli", "users", "add", LOGIN, "--role", "viewer",
                        "--password-stdin", "--db", str(db)], input=PASSWORD + "\n", text=True, check=True,
                       stdout=subprocess.DEVNULL, cwd=code, env=env)  # fmt: skip
    port = free_port()
    env["REACH_DB"] = str(db)
    server = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=code)  # fmt: skip
    url = f"http://localhost:{port}"
    wait_healthy(url, server)
    return server, url


# --- live events ----------------------------------------------------------------------------------


def joins(first: int, n: int) -> list[dict]:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return [{"id": f"viewers-{i}", "event": LIVE_KEY, "type": "join", "at": now, "email": f"viewer{i}@example.org",
             "country": COUNTRIES[i % len(COUNTRIES)], "role": ROLES[i % len(ROLES)]}
            for i in range(first, first + n)]  # fmt: skip


class EventFeed:
    """Joins arriving at `rate` a second, posted every 2 s in one signed batch, while it runs."""

    def __init__(self, url: str, rate: float, first: int):
        self.url, self.rate, self.sent = url, rate, first
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> EventFeed:
        if self.rate > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(30)

    def _run(self) -> None:
        owed = 0.0
        while not self._stop.wait(2):
            owed += 2 * self.rate
            if owed >= 1:
                post(self.url, joins(self.sent, int(owed)))
                self.sent += int(owed)
                owed -= int(owed)


# --- browser pages --------------------------------------------------------------------------------


@dataclass
class Viewer:
    context: object
    page: object
    redraws: list[float] = field(default_factory=list)


async def signed_in_state(browser, url: str, accounts: bool) -> dict | None:
    """Cookies of one sign-in, shared by every context (each context is still its own session)."""
    if not accounts:
        return None
    context = await browser.new_context()
    page = await context.new_page()
    await page.goto(f"{url}/login?next=/")
    await page.fill("#login", LOGIN)
    await page.fill("#password", PASSWORD)
    await page.click("button[type=submit]")
    await page.wait_for_selector("[data-testid='stMetric']", timeout=300_000)
    state = await context.storage_state()
    await context.close()
    return state


def page_url(url: str, kind: str) -> str:
    return f"{url}/live?event={LIVE_KEY}" if kind == "live" else f"{url}/"


async def open_viewer(browser, url: str, kind: str, state: dict | None, charts: bool = True) -> Viewer:
    """A new browser context (a new Streamlit session) on the page, its script done and (unless not
    `charts`: the soak, which needs the server's session, not the drawing) its charts drawn."""
    size = {"width": 1920, "height": 1080} if kind == "live" else {"width": 1440, "height": 900}
    context = await browser.new_context(viewport=size, storage_state=state)
    page = await context.new_page()
    await page.goto(page_url(url, kind), timeout=300_000)
    drawn = "[data-testid='stMetric']" if not charts else ".js-plotly-plot" if kind == "live" else ROLE_BARS
    await page.wait_for_selector(drawn, state="attached", timeout=300_000)
    await page.wait_for_function(SCRIPT_DONE, timeout=300_000)
    await page.evaluate(WATCH_RUNS)
    return Viewer(context, page)


async def timed(page, action) -> float:
    """Seconds from the action until the KPI cards changed and the script finished."""
    before = await page.inner_text("[data-testid='stMetricValue'] >> nth=0")
    began = time.perf_counter()
    await action()
    await page.wait_for_function(METRIC_CHANGED, arg=before, timeout=120_000)
    await page.wait_for_function(SCRIPT_DONE, timeout=120_000)
    return time.perf_counter() - began


async def filter_changes(viewer: Viewer, number: int, deadline: float, think: float, rng: random.Random) -> None:
    """One filter change every `think` seconds on average until the deadline: a click on a role bar
    when every role is shown, else the reset button."""
    page, bar = viewer.page, number
    await asyncio.sleep(rng.uniform(0, think))  # the viewers do not click in step
    while time.perf_counter() < deadline:
        if await page.evaluate(ALL_ROLES):
            bars = page.locator(ROLE_BARS)
            target = bars.nth(bar % await bars.count())
            bar += 1
            viewer.redraws.append(await timed(page, lambda t=target: t.click(force=True)))
        else:
            viewer.redraws.append(await timed(page, lambda: page.locator(RESET).click()))
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def script_runs(viewer: Viewer) -> list[float]:
    """Seconds of each script run the page saw since the last call."""
    runs = await viewer.page.evaluate("() => window.__runs.splice(0)")
    return [r / 1000 for r in runs]


async def close_all(viewers: list[Viewer]) -> None:
    await asyncio.gather(*(v.context.close() for v in viewers))
    viewers.clear()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def idle_rate(pid: int, seconds: float) -> float:
    """Server CPU seconds per second with no page doing anything (a background to subtract)."""
    window = Window(pid)
    time.sleep(seconds)
    return window.stop()["server_cores"]


# --- 1. one rerun on one page -------------------------------------------------------------------


async def rerun_cost(browser, url: str, pid: int, state: dict | None) -> dict:
    """Server CPU per filter change on one page: selections nobody asked yet, then the same again."""
    viewer = await open_viewer(browser, url, "overview", state)
    bars = await viewer.page.locator(ROLE_BARS).count()
    result = {}
    for name in ("computed", "kept"):
        window, redraws = Window(pid), []
        for bar in range(bars):
            await viewer.page.wait_for_function(ALL_ROLES, timeout=120_000)
            target = viewer.page.locator(ROLE_BARS).nth(bar)
            redraws.append(await timed(viewer.page, lambda t=target: t.click(force=True)))
            redraws.append(await timed(viewer.page, lambda: viewer.page.locator(RESET).click()))
        spent = window.stop()
        runs = len(await script_runs(viewer))
        result[name] = {**spent, "reruns": runs, "cpu_per_rerun_s": spent["server_cpu_s"] / runs,
                        "redraw_median_s": statistics.median(redraws)}  # fmt: skip
    await viewer.context.close()
    return result


# --- 2, 3. the ramps ------------------------------------------------------------------------------


async def ramp(browser, url: str, pid: int, state: dict | None, kind: str, counts: list[int], args) -> list[dict]:
    """Sessions added step by step; at each, a window of the kind's workload."""
    viewers: list[Viewer] = []
    rng = random.Random(12)
    steps = []
    background = idle_rate(pid, args.idle_window)  # with the event feed on for the live view
    rss_empty = rss_mb(pid)
    for count in counts:
        opening = time.perf_counter()
        try:
            while len(viewers) < count:
                batch = min(4, count - len(viewers))
                viewers += await asyncio.gather(*(open_viewer(browser, url, kind, state) for _ in range(batch)))
        except Exception as exc:  # noqa: BLE001 - the machine could not drive more pages: say so, stop
            steps.append({"sessions": count, "failed": f"{type(exc).__name__}: {str(exc)[:200]}"})
            break
        opened_s = time.perf_counter() - opening
        await asyncio.sleep(3)
        for viewer in viewers:
            await script_runs(viewer)  # the runs of the page loads are not the workload's
            viewer.redraws.clear()
        rss = rss_mb(pid)
        window = Window(pid)
        if kind == "overview":
            deadline = time.perf_counter() + args.window
            ended = await asyncio.gather(*(filter_changes(v, i, deadline, args.think, rng)
                                           for i, v in enumerate(viewers)), return_exceptions=True)  # fmt: skip
            failed = [f"{type(e).__name__}" for e in ended if isinstance(e, Exception)]
            spent = window.stop()
            runs = [r for v in viewers for r in await script_runs(v)]
            redraws = [r for v in viewers for r in v.redraws]
        else:
            await asyncio.sleep(args.window)
            spent = window.stop()
            runs = [r for v in viewers for r in await script_runs(v)]
            redraws, failed = runs, []
        own_cpu = spent["server_cpu_s"] - background * spent["seconds"]
        step = {
            "sessions": count, **spent, "open_s": opened_s, "background_cores": background,
            "reruns": len(runs), "reruns_per_s": len(runs) / spent["seconds"],
            "cpu_per_rerun_s": own_cpu / max(1, len(runs)),
            "cpu_per_viewer_per_s": own_cpu / spent["seconds"] / count,
            "rss_mb": rss, "rss_empty_mb": rss_empty, "rss_per_session_mb": (rss - rss_empty) / count,
            "viewers_failed": failed, "redraws": len(redraws),
            "redraw_median_s": statistics.median(redraws) if redraws else None,
            "redraw_p95_s": p95(redraws) if redraws else None, "redraw_max_s": max(redraws, default=None),
        }  # fmt: skip
        steps.append(step)
        print(f"  {kind} {count:>3} sessions: p95 {step['redraw_p95_s'] or 0:.2f} s, "
              f"server {spent['server_cores']:.2f} cores, machine {spent['machine_busy_pct']:.0f}% busy, "
              f"load {spent['load_after']}", flush=True)  # fmt: skip
        if step["redraw_p95_s"] is None or step["redraw_p95_s"] > args.stop_at:
            break
    await close_all(viewers)
    return steps


# --- 4. soak --------------------------------------------------------------------------------------


async def soak(browser, url: str, pid: int, state: dict | None, args) -> dict:
    """Sessions opened and closed; the server's memory before, after and after an idle wait."""
    warm = [await open_viewer(browser, url, kind, state) for kind in ("overview", "live") * 4]
    await close_all(warm)
    time.sleep(args.idle)
    before, load_before = rss_mb(pid), load_average()
    began, failures, opened = time.perf_counter(), 0, 0
    queue = iter(range(args.soak))

    async def worker() -> None:
        nonlocal failures, opened
        for n in queue:
            try:
                viewer = await open_viewer(browser, url, ("overview", "live")[n % 2], state, charts=False)
                await viewer.context.close()
                opened += 1
            except Exception:  # noqa: BLE001 - counted: a session that did not draw
                failures += 1

    await asyncio.gather(*(worker() for _ in range(args.soak_parallel)))
    took = time.perf_counter() - began
    after, load_after = rss_mb(pid), load_average()
    time.sleep(args.idle)
    settled = rss_mb(pid)
    return {"sessions": args.soak, "opened": opened, "failed": failures, "seconds": took,
            "parallel": args.soak_parallel, "idle_s": args.idle, "rss_before_mb": before, "rss_after_mb": after,
            "rss_after_idle_mb": settled, "change_pct": 100 * (settled - before) / before,
            "passed": settled <= before * 1.10, "load_before": load_before, "load_after": load_after,
            "load_after_idle": load_average()}  # fmt: skip


# --- capacity and report --------------------------------------------------------------------------


def capacity(cpu_per_rerun: float, reruns_per_s: float, cores: float = 2.0) -> float:
    """Viewers one server holds if every core did nothing but their reruns."""
    return cores / (cpu_per_rerun * reruns_per_s)


def report(result: dict, args) -> None:
    print(f"\n{result['machine']}; load average at start {result['load_start']}; database {result['database']}; "
          f"accounts {'on (a viewer signed in)' if args.accounts else 'off'}.\n")  # fmt: skip
    cost = result.get("rerun_cost", {})
    print("| one page, one filter change | server CPU per rerun | redraw (median) | load |")
    print("|---|---:|---:|---|")
    for name, text in (("computed", "selection nobody asked yet (figures computed)"),
                       ("kept", "the same again (results kept)")):  # fmt: skip
        if name not in cost:
            continue
        c = cost[name]
        print(f"| {text} | {c['cpu_per_rerun_s'] * 1000:.0f} ms | {c['redraw_median_s'] * 1000:.0f} ms "
              f"| {c['load_before']} → {c['load_after']} |")  # fmt: skip
    for kind in ("overview", "live"):
        if kind not in result:
            continue
        steps = result[kind]
        work = (f"a filter change every ~{args.think:g} s per viewer" if kind == "overview"
                else f"a refresh every 2 s, {args.event_rate:g} joins/s arriving")  # fmt: skip
        print(f"\n**{kind}** ({work}; windows of {args.window:g} s)\n")
        print("| sessions | reruns/s | server CPU per rerun | server cores | machine busy | RSS per session "
              "| redraw median | p95 | max | load |")  # fmt: skip
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        for s in steps:
            if "failed" in s:
                print(f"| {s['sessions']} | could not open: {s['failed']} |||||||||")
                continue
            print(f"| {s['sessions']} | {s['reruns_per_s']:.2f} | {s['cpu_per_rerun_s'] * 1000:.0f} ms "
                  f"| {s['server_cores']:.2f} | {s['machine_busy_pct']:.0f}% | {s['rss_per_session_mb']:.1f} MB "
                  f"| {s['redraw_median_s']:.2f} s | {s['redraw_p95_s']:.2f} s | {s['redraw_max_s']:.2f} s "
                  f"| {s['load_before']} → {s['load_after']} |")  # fmt: skip
    d = result.get("derived", {})
    print("\n| viewers of one 2-core server (derived: 2 cores ÷ (CPU per rerun × reruns per viewer per s)) | all CPU "
          "| at 70% |")  # fmt: skip
    print("|---|---:|---:|")
    for name, row in d.items():
        print(f"| {name} ({row['cpu_per_rerun_s'] * 1000:.0f} ms × {row['reruns_per_s']:.2f}/s) "
              f"| {row['viewers']:.0f} | {row['viewers'] * 0.7:.0f} |")  # fmt: skip
    s = result.get("soak")
    if s:
        print(f"\nSoak: {s['opened']} of {s['sessions']} sessions opened and closed ({s['parallel']} at a time, "
              f"{s['seconds']:.0f} s, {s['failed']} failed); server RSS {s['rss_before_mb']:.0f} MB before (after a "
              f"warm-up and {s['idle_s']:.0f} s idle), {s['rss_after_mb']:.0f} MB after, {s['rss_after_idle_mb']:.0f} "
              f"MB after {s['idle_s']:.0f} s idle: {s['change_pct']:+.1f}% — "
              f"{'passed' if s['passed'] else 'NOT passed'} (≤ +10%). Load {s['load_before']} → {s['load_after']} "
              f"→ {s['load_after_idle']}.")  # fmt: skip


def derive(result: dict, think: float) -> dict:
    """Capacity from the per-rerun cost: the median over the ramp's steps. For the live view, only
    the steps whose pages refreshed at least 0.4 times a second each (of 0.5): where they could not,
    the browsers starved and the cost per refresh counts what the server did meanwhile anyway (the
    events' facts updates, a refresh that catches the facts up itself)."""

    def median_of(kind: str, key: str) -> float:
        steps = [s for s in result[kind] if "failed" not in s]
        if kind == "live":
            steps = [s for s in steps if s["reruns_per_s"] >= 0.4 * s["sessions"]] or steps[:1]
        return statistics.median(s[key] for s in steps)

    overview_rate = 1 / think
    derived = {}
    computed = result["rerun_cost"]["computed"]["cpu_per_rerun_s"]
    for name, cpu in (("overview viewers, every selection computed", computed),
                      ("overview viewers, results kept", median_of("overview", "cpu_per_rerun_s"))):  # fmt: skip
        derived[name] = {"cpu_per_rerun_s": cpu, "reruns_per_s": overview_rate,
                         "viewers": capacity(cpu, overview_rate)}  # fmt: skip
    live_cpu = median_of("live", "cpu_per_rerun_s")
    derived["live viewers"] = {"cpu_per_rerun_s": live_cpu, "reruns_per_s": 0.5, "viewers": capacity(live_cpu, 0.5)}
    return derived


async def run(args) -> dict:
    result = {"machine": f"{os.cpu_count()} cores, {os.uname().machine}", "load_start": load_average(),
              "database": str(args.db), "args": {k: str(v) for k, v in vars(args).items()}}  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="reach-viewers-") as folder:
        code = ROOT if args.code == "checkout" else committed_code(Path(folder))
        result["code"] = (
            args.code
            + " "
            + subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
            ).stdout.strip()
        )
        server, url = serve(args.db, Path(folder), args.accounts, code)
        pid = server.pid
        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
                state = await signed_in_state(browser, url, args.accounts)
                result["rss_started_mb"] = rss_mb(pid)
                if "overview" in args.parts:
                    print("one page, each role bar then reset …", flush=True)
                    result["rerun_cost"] = await rerun_cost(browser, url, pid, state)
                    print("overview viewers …", flush=True)
                    result["overview"] = await ramp(browser, url, pid, state, "overview", args.sessions, args)
                if "live" in args.parts or "soak" in args.parts:  # the live view needs its webinar's events
                    print("live webinar: first events …", flush=True)
                    post(url, joins(0, 300))
                    first = await open_viewer(browser, url, "live", state)  # waits for the facts to catch up
                    await first.context.close()
                if "live" in args.parts:
                    with EventFeed(url, args.event_rate, 300):
                        print("live viewers …", flush=True)
                        result["live"] = await ramp(browser, url, pid, state, "live", args.sessions, args)
                if {"overview", "live"} <= set(args.parts):
                    result["derived"] = derive(result, args.think)
                if args.soak and "soak" in args.parts:
                    print(f"soak: {args.soak} sessions …", flush=True)
                    result["soak"] = await soak(browser, url, pid, state, args)
                await browser.close()
        finally:
            server.terminate()
            server.wait(30)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=LARGE)
    parser.add_argument("--sessions", default="1,2,4,8,16", help="the ramp's session counts, comma-separated")
    parser.add_argument("--window", type=float, default=30, help="seconds of workload at each step")
    parser.add_argument("--think", type=float, default=5, help="seconds between an overview viewer's filter changes")
    parser.add_argument("--event-rate", type=float, default=1, help="live joins a second during the live ramp")
    parser.add_argument("--stop-at", type=float, default=10, help="end a ramp once its p95 redraw passes this")
    parser.add_argument("--idle-window", type=float, default=8, help="seconds to measure the background CPU")
    parser.add_argument("--soak", type=int, default=500, help="sessions opened and closed (0: no soak)")
    parser.add_argument("--soak-parallel", type=int, default=4)
    parser.add_argument("--idle", type=float, default=DISCONNECTED_TTL + 20, help="seconds idle around the soak")
    parser.add_argument("--no-accounts", dest="accounts", action="store_false", help="serve with no account")
    parser.add_argument("--quick", action="store_true", help="1,2,4 sessions, 15 s windows, a soak of 60")
    parser.add_argument(
        "--code",
        choices=("head", "checkout"),
        default="head",
        help="serve the committed tree (default) or the checkout as it is, changes included",
    )
    parser.add_argument("--parts", default="overview,live,soak", help="what to measure, comma-separated")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--report", type=Path, help="print a saved JSON again, measuring nothing")
    args = parser.parse_args()
    if args.quick:
        args.sessions, args.window, args.soak = "1,2,4", 15, min(args.soak, 60)
    args.sessions = [int(n) for n in str(args.sessions).split(",")]
    args.parts = str(args.parts).split(",")
    if args.report:  # print a saved run again (the capacity derived as this version derives it)
        result = json.loads(args.report.read_text(encoding="utf-8"))
        result["derived"] = derive(result, args.think)
        report(result, args)
        return
    if not args.db.exists():
        sys.exit(f"{args.db} is missing: build it with `reach demo --participants 1000000 --db {args.db}`")
    result = asyncio.run(run(args))
    report(result, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(f"\nSaved {args.out}")


if __name__ == "__main__":
    main()
