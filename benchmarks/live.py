"""Benchmark: ingest throughput and event-to-screen latency of the live view.

Serves a fresh demo database with the ingest API, then (1) sends 4 × 1,000 events in signed
batches of 20 from four concurrent senders and reports events per second, and (2) opens the
live view in headless Chromium, posts one join at a time and measures how long until the
"Connected now" figure shows it (median of several). Run: `python benchmarks/live.py`.
"""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from playwright.sync_api import sync_playwright

from dashboard.live.signing import sign

SECRET = "benchmark-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(url: str, items: list[dict]) -> dict:
    body = json.dumps({"events": items}).encode()
    stamp = int(time.time())
    request = urllib.request.Request(f"{url}/api/v1/events", data=body, method="POST", headers={
        "X-Reach-Timestamp": str(stamp), "X-Reach-Signature": sign(SECRET, stamp, body),
        "Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def throughput(url: str) -> float:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())

    def sender(n: int) -> int:
        accepted = 0
        for b in range(50):
            items = [
                {"id": f"t{n}-{b}-{i}", "event": "bench-live", "type": "join", "at": now,
                 "email": f"t{n}-{b}-{i}@example.org", "country": "RU", "role": "student"}
                for i in range(20)
            ]  # fmt: skip
            accepted += post(url, items)["accepted"]
        return accepted

    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        accepted = sum(pool.map(sender, range(4)))
    return accepted / (time.perf_counter() - started)


def latency(url: str, runs: int) -> list[float]:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    results = []
    with sync_playwright() as pw:
        flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        post(url, [{"id": "l-0", "event": "bench-latency", "type": "join", "at": now, "email": "l0@example.org"}])
        page.goto(f"{url}/live?event=bench-latency&lang=en")
        page.wait_for_selector("[data-testid='stMetricValue']", timeout=60_000)
        for n in range(1, runs + 1):
            sent = time.perf_counter()
            post(url, [{"id": f"l-{n}", "event": "bench-latency", "type": "join", "at": now,
                        "email": f"l{n}@example.org"}])  # fmt: skip
            page.wait_for_function(
                "n => [...document.querySelectorAll(\"[data-testid='stMetricValue']\")]"
                ".some(e => e.innerText.trim() === String(n))", arg=n + 1, timeout=30_000)  # fmt: skip
            results.append(time.perf_counter() - sent)
        browser.close()
    return results


def main() -> None:
    db = Path(tempfile.mkdtemp()) / "live.duckdb"
    subprocess.run(
        [sys.executable, "-m", "dashboard.cli", "demo", "--db", str(db)], check=True, stdout=subprocess.DEVNULL
    )
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "REACH_INGEST_SECRET": SECRET})  # fmt: skip
    url = f"http://localhost:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/v1/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        rate = throughput(url)
        delays = latency(url, runs=7)
    finally:
        server.terminate()
        server.wait(10)
    print(f"| ingest, 4 concurrent senders × 1,000 events in batches of 20 (demo database) | {rate:.0f} events/s |")
    print(f"| event accepted → figure on screen (median of {len(delays)}) | {statistics.median(delays):.2f} s "
          f"(max {max(delays):.2f} s) |")  # fmt: skip


if __name__ == "__main__":
    main()
