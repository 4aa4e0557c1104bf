"""Benchmark: ingest throughput, check-in bursts and event-to-screen latency of the live view.

Serves a fresh demo database (`--participants N`, default 300) with the ingest API, then
(1) sends 4 × 1,000 events in signed batches of 20 from four concurrent senders and reports
events per second; (2) checks in 300 phones, four at a time (each: open the form, submit),
and reports check-ins per second and the slowest submission; (3) opens the live view in
headless Chromium, posts one join at a time and measures how long until "Connected now"
(read from the events) and "Peak concurrent" (from the rebuilt figures) show it (median of
several); (4) with the live view already open on a webinar key nobody has used yet (as a
presenter opens it before the session), posts that webinar's first event and measures how long
until its figures show it (median of 5: the first event of a new webinar, issue 12's ≤ 3 s).
Run: `python benchmarks/live.py [--participants 10000 | --db PATH]` (--db: serve a copy of an
existing database, e.g. benchmarks/out/large.duckdb, instead of building one).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from demo_database import database_option
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


def check_in(url: str, phone: int) -> float:
    """One phone: open the form, submit; the seconds the submission took."""
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    connection.request("GET", "/checkin?event=bench-checkin")
    response = connection.getresponse()
    cookie = response.getheader("set-cookie").split(";")[0]
    response.read()
    session = cookie.split("=", 1)[1]
    body = f"session={session}&country={COUNTRIES[phone % len(COUNTRIES)]}&role=student"
    started = time.perf_counter()
    connection.request("POST", "/checkin?event=bench-checkin", body=body, headers={
        "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    response = connection.getresponse()
    response.read()
    assert response.status == 303, response.status
    connection.close()
    return time.perf_counter() - started


COUNTRIES = ["RU", "KZ", "BY", "AM", "KG", "UZ", "TJ", "AZ", "MD", "TM"]


def checkins(url: str, phones: int = 300) -> tuple[float, list[float]]:
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    post(url, [{"id": "c-host", "event": "bench-checkin", "type": "join", "at": now, "email": "h@example.org"}])
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        durations = list(pool.map(lambda n: check_in(url, n), range(phones)))
    return phones / (time.perf_counter() - started), durations


def metric(label: str) -> str:
    """A JavaScript predicate: the card `label` shows the number n."""
    return (
        "n => [...document.querySelectorAll(\"[data-testid='stMetric']\")].some(m => m.innerText.includes("
        f"'{label}') && m.querySelector(\"[data-testid='stMetricValue']\").innerText.trim() === String(n))"
    )


def latency(url: str, runs: int) -> tuple[list[float], list[float]]:
    """Seconds from acceptance to the figure on screen: (connected now, peak concurrent)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    connected, peak = [], []
    with sync_playwright() as pw:
        flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        post(url, [{"id": "l-0", "event": "bench-latency", "type": "join", "at": now, "email": "l0@example.org"}])
        page.goto(f"{url}/live?event=bench-latency&lang=en")
        page.wait_for_function(metric("Peak concurrent"), arg=1, timeout=120_000)
        for n in range(1, runs + 1):
            sent = time.perf_counter()
            post(url, [{"id": f"l-{n}", "event": "bench-latency", "type": "join", "at": now,
                        "email": f"l{n}@example.org"}])  # fmt: skip
            page.wait_for_function(metric("Connected now"), arg=n + 1, timeout=120_000)
            connected.append(time.perf_counter() - sent)
            page.wait_for_function(metric("Peak concurrent"), arg=n + 1, timeout=120_000)
            peak.append(time.perf_counter() - sent)
        browser.close()
    return connected, peak


def first_event(url: str, runs: int) -> list[float]:
    """Seconds from the first event of a webinar nobody has used yet to its figures on screen, with
    the live view already open on that webinar's key."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    delays = []
    with sync_playwright() as pw:
        flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=flags)
        for n in range(runs):
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            page.goto(f"{url}/live?event=bench-first-{n}&lang=en")
            page.wait_for_function(metric("Joined so far"), arg=0, timeout=120_000)
            sent = time.perf_counter()
            post(url, [{"id": f"f-{n}", "event": f"bench-first-{n}", "type": "join", "at": now,
                        "email": f"f{n}@example.org", "country": "KZ", "role": "student"}])  # fmt: skip
            page.wait_for_function(metric("Joined so far"), arg=1, timeout=120_000)
            delays.append(time.perf_counter() - sent)
            page.close()
        browser.close()
    return delays


def main() -> None:
    db, where = database_option(300, "live")
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "REACH_INGEST_SECRET": SECRET, "REACH_CHECKIN_LIMIT": "100000",
                                   # 300 phones on one address and a webinar of one: no limit may refuse them
                                   "REACH_CHECKIN_PAGE_LIMIT": "100000", "REACH_CHECKIN_FLOOR": "100000"})  # fmt: skip
    url = f"http://localhost:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{url}/api/v1/health", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        rate = throughput(url)
        checkin_rate, submissions = checkins(url)
        connected, peak = latency(url, runs=7)
        firsts = first_event(url, runs=5)
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(db.parent, ignore_errors=True)
    print(f"| ingest, 4 concurrent senders × 1,000 events in batches of 20 ({where}) | {rate:.0f} events/s |")
    print(f"| check-in, 300 phones 4 at a time ({where}) | {checkin_rate:.0f} check-ins/s; submission median "
          f"{statistics.median(submissions) * 1000:.0f} ms, max {max(submissions) * 1000:.0f} ms |")  # fmt: skip
    shown = (("connected now", connected), ("peak concurrent", peak), ("a new webinar's figures", firsts))
    for name, delays in shown:
        print(f"| event accepted → {name} on screen (median of {len(delays)}) | {statistics.median(delays):.2f} s "
              f"(max {max(delays):.2f} s) |")  # fmt: skip


if __name__ == "__main__":
    main()
