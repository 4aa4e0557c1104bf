"""Benchmark: the overview in a real browser, against the floor Streamlit itself sets.

Serves (1) a bare Streamlit page holding one Plotly bar chart, (2) the overview of the demo
programme and (3) of the 1,000,000-participant programme (benchmarks/out/large.duckdb, when
built; `--also CHECKOUT`: the demo's overview served from another checkout, say HEAD's, for a
before and after), all at once on this machine, and opens each in turn, run by run, in headless
Chromium (so that a change in the machine's load reaches every page alike): a new page per
load (a new browser session, as a new visitor), timed from navigation until the script has
finished and the page's charts are drawn (the overview: KPI cards, the map's country shapes and
the role bars). Then, on the overview, a filter change: a click on a role bar (which sets the
role filter) until the KPI cards show the new selection, the script has finished and the role
chart shows the one role. Medians of --runs after a warm-up.
`--where` adds, per page, where the time went (medians, ms from navigation): the script
finished, the KPI cards, role bars and map drawn, plotly.js and the map's shapes received, and
the main thread's long tasks in all.
Run: `python benchmarks/browser.py [--runs 7] [--skip-large] [--where] [--also CHECKOUT]`.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
LARGE = HERE / "out" / "large.duckdb"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
BARE = """import plotly.graph_objects as go
import streamlit as st

st.title("Bare page")
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[3, 1, 2])))
"""
BARE_NAME = "bare Streamlit page, one Plotly bar chart"
BARE_DRAWN = [".js-plotly-plot .bars path"]
OVERVIEW_DRAWN = ["[data-testid='stMetric']", "path.choroplethlocation", ".js-plotly-plot .bars path"]
ROLE_BARS = ".js-plotly-plot >> nth=1"  # beside the map: the role split (st.plotly_chart or reach's own)
# Milestones recorded in the page from its first byte on (for --where).
WATCH = """(drawn) => {
    const reach = (window.__reach = { seen: {}, long: 0 });
    const check = () => {
        const state = document.querySelector("[data-testid='stApp']")?.getAttribute('data-test-script-state');
        if (state === 'running') reach.ran = true;
        if (reach.ran && state === 'notRunning' && !reach.seen.script) reach.seen.script = performance.now();
        for (const [name, selector] of Object.entries(drawn))
            if (!reach.seen[name] && document.querySelector(selector)) reach.seen[name] = performance.now();
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
    new PerformanceObserver((list) => list.getEntries().forEach((e) => { window.__reach.long += e.duration; }))
        .observe({ type: 'longtask', buffered: true });
}"""
MILESTONES = {"kpis": "[data-testid='stMetric']", "role bars": ".js-plotly-plot .bars path",
              "map": "path.choroplethlocation"}  # fmt: skip
RESOURCES = """() => Object.fromEntries(performance.getEntriesByType('resource')
    .filter((e) => /plotly|PlotlyChart|world_50m/.test(e.name))
    .map((e) => [/world_50m/.test(e.name) ? 'shapes' : 'plotly.js', e.responseEnd]))"""
SCRIPT_DONE = ("() => document.querySelector(\"[data-testid='stApp']\")"
               "?.getAttribute('data-test-script-state') === 'notRunning'")  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command: list[str], port: int, env: dict | None = None, cwd: Path | None = None) -> subprocess.Popen:
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server on port {port} did not start")


def ready(browser, url: str, drawn: list[str], where: list | None = None, timeout: int = 120_000) -> float:
    """Seconds from navigation until the script finished and every selector in `drawn` is there;
    with `where`, this load's milestones (ms from navigation) are appended to it."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    if where is not None:
        page.add_init_script(f"({WATCH})({json.dumps(MILESTONES)})")
    began = time.perf_counter()
    page.goto(url)
    for selector in drawn:
        page.wait_for_selector(selector, state="attached", timeout=timeout)
    page.wait_for_function(SCRIPT_DONE, timeout=timeout)
    took = time.perf_counter() - began
    if where is not None:
        page.wait_for_timeout(300)  # the last long task ends
        seen = page.evaluate("() => ({...window.__reach.seen, 'long tasks (sum)': window.__reach.long})")
        where.append(seen | page.evaluate(RESOURCES))
    page.close()
    return took


def filter_change(browser, url: str) -> float:
    """Seconds from a click on a role bar until the KPI cards show the filtered selection, the
    script has finished and the role chart is redrawn with the one role."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .bars path", state="attached", timeout=120_000)
    page.wait_for_function(SCRIPT_DONE, timeout=120_000)
    before = page.inner_text("[data-testid='stMetricValue']")
    bar = page.locator(ROLE_BARS).locator(".bars path").first
    began = time.perf_counter()
    bar.click(force=True)
    page.wait_for_function(
        "before => { const v = document.querySelector(\"[data-testid='stMetricValue']\"); "
        "return v && v.innerText !== before; }", arg=before, timeout=60_000)  # fmt: skip
    page.wait_for_function(SCRIPT_DONE, timeout=60_000)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot')[1]?.querySelectorAll('.bars path')"
                           ".length === 1", timeout=60_000)  # fmt: skip
    took = time.perf_counter() - began
    page.close()
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--where", action="store_true", help="where the time went, per page")
    parser.add_argument("--also", type=Path, help="another checkout (e.g. `git archive HEAD`) whose overview of "
                        "the demo is measured beside this one's: before and after in one run")  # fmt: skip
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        servers, pages = [], []  # every server runs from the start: the pages are loaded in turn, run by run
        try:
            bare = Path(folder) / "bare.py"
            bare.write_text(BARE, encoding="utf-8")
            port = free_port()
            command = [sys.executable, "-m", "streamlit", "run", str(bare), "--server.headless", "true",
                       "--server.port", str(port), "--browser.gatherUsageStats", "false"]  # fmt: skip
            servers.append(start(command, port))
            pages.append((BARE_NAME, f"http://localhost:{port}/", BARE_DRAWN, False))
            for name, db, tree in programmes(Path(folder), args):
                port = free_port()
                env = {**os.environ, "REACH_DB": str(db)} | ({"PYTHONPATH": str(tree)} if tree else {})
                servers.append(start([sys.executable, "-m", "dashboard.cli", "serve", "--db", str(db), "--port",
                                      str(port)], port, env, tree))  # fmt: skip
                pages.append((f"overview, {name}", f"http://localhost:{port}/?lang=ru", OVERVIEW_DRAWN, True))
            results = measure(browser, pages, args.runs, args.where)
        finally:
            for server in servers:
                server.terminate()
                server.wait(10)
        browser.close()
    report(results, args.runs, args.where)


def programmes(folder: Path, args) -> list[tuple[str, Path, Path | None]]:
    """(name, database, checkout to serve from or None: this one) of each overview measured."""

    def demo(name: str, tree: Path | None = None) -> Path:
        """The same seeded programme, built by the code that serves it (run in its checkout: `-m`
        looks in the working folder first); each server needs a database of its own."""
        path = folder / name
        env = {**os.environ, "PYTHONPATH": str(tree)} if tree else None
        command = [sys.executable, "-m", "dashboard.cli", "demo", "--db", str(path)]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, cwd=tree)
        return path

    chosen = [("demo programme (300 participants)", demo("demo.duckdb"), None)]
    if args.also:
        tree = args.also.resolve()
        chosen.append((f"demo programme, {args.also.name}", demo("demo-also.duckdb", tree), tree))
    if LARGE.exists() and not args.skip_large:
        chosen.append(("1,000,000 participants", LARGE, None))
    return chosen


def measure(browser, pages: list, runs: int, where: bool) -> dict:
    """Per page: the loads' seconds, the filter changes' seconds, the milestones; a warm-up first.
    The pages take turns within each run, so a change in the machine's load reaches all alike."""
    results = {name: {"ready": [], "click": [], "where": [], "load": []} for name, *_ in pages}
    for run in range(runs + 1):
        for name, url, drawn, overview in pages:
            found = results[name]
            # the warm-up may wait for a facts update of a database built by older code
            took = ready(browser, url, drawn, found["where"] if where and run else None, 120_000 if run else 900_000)
            if overview:
                click = filter_change(browser, url)
            if run:  # run 0 warms up: the server's first run imports and caches what every later run shares
                found["ready"].append(took)
                found["load"].append(load_average())
                if overview:
                    found["click"].append(click)
    return results


def report(results: dict, runs: int, where: bool) -> None:
    floor = statistics.median(results[BARE_NAME]["ready"])
    print(f"Medians of {runs} after a warm-up; each load a new browser page (1440×900); the pages in turn.\n")
    print("| page | ready (script finished, charts drawn) | × the bare page | filter change redrawn | load average |")
    print("|---|---:|---:|---:|---:|")
    for name, found in results.items():
        page, click = statistics.median(found["ready"]), found["click"]
        loads = f"{min(found['load']):.1f}–{max(found['load']):.1f}"
        click_ms = f"{statistics.median(click) * 1000:.0f} ms" if click else ""
        print(f"| {name} | {page:.2f} s | {page / floor:.2f}× | {click_ms} | {loads} |")
    if where:
        print_where({name: found["where"] for name, found in results.items()})


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def print_where(where: dict[str, list[dict]]) -> None:
    """Medians of each milestone per page, in ms from navigation."""
    names = ["script", "kpis", "plotly.js", "shapes", "role bars", "map", "long tasks (sum)"]
    print("\n| page | " + " | ".join(names) + " |\n|---|" + "---:|" * len(names))
    for page, loads in where.items():
        cells = [statistics.median(v) if (v := [w[n] for w in loads if n in w]) else None for n in names]
        print(f"| {page} | " + " | ".join("" if c is None else f"{c:.0f}" for c in cells) + " |")


if __name__ == "__main__":
    main()
