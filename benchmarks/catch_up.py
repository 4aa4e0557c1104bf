"""Benchmark: bringing the facts up to date after a batch of live events, against a whole rebuild.

Builds a demo database (`--participants N`, default 1,000,000), then times a whole rebuild of
the facts (median of 3), the catch-up after a batch of 20 joins of existing participants
to the latest webinar (median of 7), and the first batch of a webinar nobody imported (20 joins,
half of them new persons; median of 5): storing it and bringing the facts up to date, which is
what the live view waits for before it shows the new webinar's figures (then at most one
refresh, 2 s) — dated after every webinar, and dated before the planned second half (nobody
attended yet) of a programme half-way through its schedule.
Run: `python benchmarks/catch_up.py [--participants N | --db PATH]` (--db: a copy of an existing
database, e.g. benchmarks/out/large.duckdb, instead of building one).
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from datetime import timedelta

from demo_database import database_option

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


def new_webinar_batch(run: int, emails: list[str], after, name: str = "new") -> list:
    """The first 20 joins of a webinar nobody imported, `run` + 1 days after `after`: 10 known
    persons, 10 new."""
    at = (after + timedelta(days=1 + run)).strftime("%Y-%m-%dT%H:%M:%SZ")
    people = [*emails[140 + run * 10 : 150 + run * 10], *(f"{name}-{run}-{i}@example.org" for i in range(10))]
    items = [{"id": f"{name}-{run}-{i}", "event": f"bench-{name}-{run}", "type": "join", "email": email, "at": at,
              "country": "KZ", "role": "student"} for i, email in enumerate(people)]  # fmt: skip
    return parse_batch(json.dumps({"events": items}).encode())


def first_batches_before_planned_webinars(con, emails: list[str]) -> list[float]:
    """A programme half-way through its schedule: from its middle webinar on, webinars are planned
    (nobody registered or attended yet). The first batch of a webinar nobody planned, dated a few
    days before them, moves their slots; nobody counts in them, so no person is rebuilt for it."""
    middle = con.execute("select count(*) // 2 from event_facts").fetchall()[0][0]
    planned = con.execute(
        "select starts_at from event_facts order by slot limit 1 offset $m", {"m": middle}
    ).fetchall()[0][0]
    for table in ("attendance", "registrations", "live_events"):
        con.execute(f"delete from {table} where event_id in (select event_id from events where starts_at >= $p)",
                    {"p": planned})  # fmt: skip
    whole_rebuild(con)
    times = []
    for run in range(5):
        batch = new_webinar_batch(run, emails, planned - timedelta(days=7), name="unplanned")
        times.append(timed(lambda: (store(con, batch, refresh=False), catch_up(con))))  # noqa: B023 - called at once
    return times


def main() -> None:
    db, what = database_option(1_000_000, "catch_up")
    con = database.connect(db)
    con.execute("set enable_progress_bar = false")
    database.initialise(con)
    event_key, starts = con.execute(
        "select event_key, starts_at from events order by starts_at desc limit 1"
    ).fetchall()[0]
    emails = [r[0] for r in con.execute("select email from participants where email is not null limit 200").fetchall()]
    whole = [timed(lambda: whole_rebuild(con)) for _ in range(3)]
    partial = []
    for run in range(7):
        items = [{"id": f"bench-{run}-{i}", "event": event_key, "type": "join", "email": emails[run * 20 + i],
                  "at": starts.strftime("%Y-%m-%dT%H:%M:%SZ"), "country": "KZ", "role": "student"}
                 for i in range(20)]  # fmt: skip
        store(con, parse_batch(json.dumps({"events": items}).encode()), refresh=False)
        partial.append(timed(lambda: catch_up(con)))
    first = []
    for run in range(5):
        batch = new_webinar_batch(run, emails, starts)
        first.append(timed(lambda: (store(con, batch, refresh=False), catch_up(con))))  # noqa: B023 - called at once
    webinars = con.execute("select count(*) from event_facts").fetchall()[0][0]
    ahead = first_batches_before_planned_webinars(con, emails)
    con.close()
    shutil.rmtree(db.parent, ignore_errors=True)
    print(
        f"| {what} | whole rebuild {statistics.median(whole):.2f} s | catch-up after 20 events "
        f"{statistics.median(partial):.2f} s (max {max(partial):.2f} s) | first batch of a new webinar, stored "
        f"and caught up {statistics.median(first):.2f} s (max {max(first):.2f} s; {webinars} webinars after) | "
        f"the same before the planned half {statistics.median(ahead):.2f} s (max {max(ahead):.2f} s) |"
    )  # fmt: skip


if __name__ == "__main__":
    main()
