"""Benchmark: the overview in a real browser, against the floor Streamlit itself sets.

Serves (1) a bare Streamlit page holding one Plotly bar chart, (2) the overview of the demo
programme and (3) of the 1,000,000-participant programme (benchmarks/out/large.duckdb, when
built), one after another on this machine, and opens each in headless Chromium: a new page per
load (a new browser session, as a new visitor), timed from navigation until the script has
finished and the page's charts are drawn (the overview: KPI cards, the map's country shapes and
the role bars). Then, on the overview, a filter change: a click on a role bar (which sets the
role filter) until the KPI cards show the new selection. Medians of --runs after a warm-up.
Run: `python benchmarks/browser.py [--runs 7] [--skip-large]`.
"""

from __future__ import annotations

import argparse
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
OVERVIEW_DRAWN = ["[data-testid='stMetric']", "path.choroplethlocation", ".js-plotly-plot .bars path"]
SCRIPT_DONE = ("() => document.querySelector(\"[data-testid='stApp']\")"
               "?.getAttribute('data-test-script-state') === 'notRunning'")  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(command: list[str], port: int, env: dict | None = None) -> subprocess.Popen:
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    for _ in range(240):
        try:
            urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"the server on port {port} did not start")


def ready(browser, url: str, drawn: list[str]) -> float:
    """Seconds from navigation until the script finished and every selector in `drawn` is there."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    began = time.perf_counter()
    page.goto(url)
    for selector in drawn:
        page.wait_for_selector(selector, state="attached", timeout=120_000)
    page.wait_for_function(SCRIPT_DONE, timeout=120_000)
    took = time.perf_counter() - began
    page.close()
    return took


def filter_change(browser, url: str) -> float:
    """Seconds from a click on a role bar until the KPI cards show the filtered selection."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .bars path", state="attached", timeout=120_000)
    page.wait_for_function(SCRIPT_DONE, timeout=120_000)
    before = page.inner_text("[data-testid='stMetricValue']")
    bar = page.locator("[data-testid='stPlotlyChart']").nth(1).locator(".bars path").first
    began = time.perf_counter()
    bar.click(force=True)
    page.wait_for_function(
        "before => { const v = document.querySelector(\"[data-testid='stMetricValue']\"); "
        "return v && v.innerText !== before; }", arg=before, timeout=60_000)  # fmt: skip
    page.wait_for_function(SCRIPT_DONE, timeout=60_000)
    took = time.perf_counter() - began
    page.close()
    return took


def median_of(runs: int, measure) -> float:
    measure()  # warm-up: the server's first run imports and caches what every later run shares
    return statistics.median(measure() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-large", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        bare = Path(folder) / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        port = free_port()
        server = start([sys.executable, "-m", "streamlit", "run", str(bare), "--server.headless", "true",
                        "--server.port", str(port), "--browser.gatherUsageStats", "false"], port)  # fmt: skip
        try:
            floor = median_of(args.runs, lambda: ready(browser, f"http://localhost:{port}/",
                                                       [".js-plotly-plot .bars path"]))  # fmt: skip
        finally:
            server.terminate()
            server.wait(10)
        rows.append(("bare Streamlit page, one Plotly bar chart", floor, None))
        demo = Path(folder) / "demo.duckdb"
        subprocess.run([sys.executable, "-m", "dashboard.cli", "demo", "--db", str(demo)], check=True,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        programmes = [("demo programme (300 participants)", demo)]
        if LARGE.exists() and not args.skip_large:
            programmes.append(("1,000,000 participants", LARGE))
        for name, db in programmes:
            port = free_port()
            env = {**os.environ, "REACH_DB": str(db)}
            server = start([sys.executable, "-m", "dashboard.cli", "serve", "--db", str(db), "--port", str(port)],
                           port, env)  # fmt: skip
            url = f"http://localhost:{port}/?lang=ru"
            try:
                page = median_of(args.runs, lambda u=url: ready(browser, u, OVERVIEW_DRAWN))
                click = median_of(args.runs, lambda u=url: filter_change(browser, u))
            finally:
                server.terminate()
                server.wait(10)
            rows.append((f"overview, {name}", page, click))
        browser.close()
    print(f"Medians of {args.runs} after a warm-up; each load a new browser page (1440×900).\n")
    print("| page | ready (script finished, charts drawn) | × the bare page | filter change redrawn |")
    print("|---|---:|---:|---:|")
    for name, page, click in rows:
        print(f"| {name} | {page:.2f} s | {page / floor:.2f}× | {'' if click is None else f'{click * 1000:.0f} ms'} |")


if __name__ == "__main__":
    main()
