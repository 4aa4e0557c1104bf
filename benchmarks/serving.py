"""Benchmark: the serving process on the 1,000,000-participant programme.

Starts `reach serve` on benchmarks/out/large.duckdb (build it first with overview.py), opens
the overview in headless Chromium for "all" and the typical filter several times, and reports
the time until the page's script finished (median) and the server's peak resident memory
(VmHWM from /proc). Run: `python benchmarks/serving.py [--runs 5]`.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

DB = Path(__file__).resolve().parent / "out" / "large.duckdb"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWS = {"all": "", "typical filter (RU+KZ, executive)": "&country=RU&country=KZ&role=executive"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_mb(pid: int) -> dict[str, float]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            fields[key] = int(value.split()[0]) / 1024
    return fields


def render_seconds(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_selector("[data-testid='stMetric']", timeout=120_000)
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stApp']\")"
        ".getAttribute('data-test-script-state') === 'notRunning'",
        timeout=120_000,
    )
    page.wait_for_selector("path.choroplethlocation", timeout=120_000)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=DB)
    args = parser.parse_args()
    if not args.db.exists():
        sys.exit(f"{args.db} is missing: run benchmarks/overview.py first")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve", "--db", str(args.db), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            render_seconds(page, f"http://localhost:{port}/?lang=ru")  # warm-up
            print("| view | page ready (median) |")
            print("|---|---:|")
            for name, query in VIEWS.items():
                times = [render_seconds(page, f"http://localhost:{port}/?lang=ru{query}") for _ in range(args.runs)]
                print(f"| {name} | {statistics.median(times):.2f} s |")
            browser.close()
        mem = memory_mb(server.pid)
        print(f"\nServer memory after {1 + args.runs * len(VIEWS)} page loads: "
              f"peak {mem['VmHWM']:.0f} MB, now {mem['VmRSS']:.0f} MB")  # fmt: skip
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
