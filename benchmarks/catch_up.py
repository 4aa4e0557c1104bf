"""Benchmark: bringing the facts up to date after a batch of live events, against a whole rebuild.

Builds a demo database (`--participants N`, default 1,000,000), then times a whole rebuild of
the facts (median of 3) and the catch-up after a batch of 20 joins of existing participants
to the latest webinar (median of 7). Run: `python benchmarks/catch_up.py [--participants N]`.
"""

from __future__ import annotations

import json
import statistics
import time

from demo_database import build, participants_option

from dashboard import database
from dashboard.live.events import parse_batch
from dashboard.live.store import store


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def whole_rebuild(con) -> None:
    with database.transaction(con):
        database.refresh(con)


def catch_up(con) -> None:
    with database.transaction(con, canonical=False):
        database.catch_up(con)


def main() -> None:
    participants = participants_option(1_000_000)
    db = build(participants, "catch_up")
    con = database.connect(db)
    con.execute("set enable_progress_bar = false")
    event_key, starts = con.execute(
        "select event_key, starts_at from events order by starts_at desc limit 1"
    ).fetchall()[0]
    emails = [r[0] for r in con.execute("select email from participants where email is not null limit 140").fetchall()]
    whole = [timed(lambda: whole_rebuild(con)) for _ in range(3)]
    partial = []
    for run in range(7):
        items = [{"id": f"bench-{run}-{i}", "event": event_key, "type": "join", "email": emails[run * 20 + i],
                  "at": starts.strftime("%Y-%m-%dT%H:%M:%SZ"), "country": "KZ", "role": "student"}
                 for i in range(20)]  # fmt: skip
        store(con, parse_batch(json.dumps({"events": items}).encode()), refresh=False)
        partial.append(timed(lambda: catch_up(con)))
    con.close()
    print(f"| {participants:,} participants | whole rebuild {statistics.median(whole):.2f} s | catch-up after 20 "
          f"events {statistics.median(partial):.2f} s (max {max(partial):.2f} s) |")  # fmt: skip


if __name__ == "__main__":
    main()
