"""Benchmark: live batches sent while an import runs — how long until each is acknowledged.

Serves a copy of a database (`--db`, default benchmarks/out/scale_100000.duckdb) with the ingest
API and an analyst's API token, then imports a Zoom attendee report of `--rows` rows through
`POST /api/v1/imports` and, meanwhile, sends signed live batches of 20 joins one after another
(a new batch 0.2 s after the last was answered) until the import has answered. Reports the
import's time and the acknowledgement times of the batches sent during it (median, max).
Target (issue 12): every batch acknowledged within 1 s.
Run: `python benchmarks/ingest_during_import.py [--db PATH] [--rows 200000]`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from import_zoom import write_report
from live import SECRET, free_port, post

HERE = Path(__file__).resolve().parent


def reach(*args: str, db: Path, stdin: str | None = None) -> str:
    command = [sys.executable, "-m", "dashboard.cli", *args, "--db", str(db)]
    return subprocess.run(command, input=stdin, capture_output=True, text=True, check=True).stdout


def serve(db: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "REACH_INGEST_SECRET": SECRET}
    server = subprocess.Popen([sys.executable, "-m", "dashboard.cli", "serve", "--db", str(db), "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)  # fmt: skip
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://localhost:{port}/api/v1/health", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not start")


def import_report(url: str, token: str, report: Path, answer: dict) -> None:
    headers = {"Authorization": f"Bearer {token}", "X-Reach-Filename": report.name}
    request = urllib.request.Request(f"{url}/api/v1/imports?timezone=UTC", data=report.read_bytes(), method="POST",
                                     headers=headers)  # fmt: skip
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=1800) as response:
        answer.update(json.loads(response.read()))
    answer["wall_s"] = time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=HERE / "out" / "scale_100000.duckdb")
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="reach-during-import-"))
    try:
        db = work / "served.duckdb"
        shutil.copy(args.db, db)
        report = work / "zoom_during_import.csv"
        write_report(report, args.rows, seed=11)
        reach("users", "add", "bench-analyst", "--role", "analyst", "--password-stdin", db=db,
              stdin="a long benchmark password\n")  # fmt: skip
        token = reach("users", "token", "bench-analyst", db=db).strip().splitlines()[-1]
        port = free_port()
        server = serve(db, port)
        url = f"http://localhost:{port}"
        try:
            answer: dict = {}
            importer = threading.Thread(target=import_report, args=(url, token, report, answer))
            importer.start()
            time.sleep(1.0)  # the import is under way (reading the file)
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            acks, n = [], 0
            while importer.is_alive():
                items = [{"id": f"d{n}-{i}", "event": "during-import", "type": "join", "at": now, "country": "KZ",
                          "email": f"d{n}-{i}@during.example", "role": "student"} for i in range(20)]  # fmt: skip
                sent = time.perf_counter()
                assert post(url, items)["accepted"] == 20
                acks.append(time.perf_counter() - sent)
                n += 1
                time.sleep(0.2)
            importer.join()
        finally:
            server.terminate()
            server.wait(30)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        f"| {args.db.name} + a {args.rows:,}-row Zoom report | import {answer.get('wall_s', 0):.1f} s "
        f"({answer.get('status')}) | {len(acks)} batches during it | acknowledged median "
        f"{statistics.median(acks) * 1000:.0f} ms, max {max(acks) * 1000:.0f} ms | load {os.getloadavg()[0]:.1f} |"
    )


if __name__ == "__main__":
    main()
