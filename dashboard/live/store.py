"""Writing a validated batch of live events durably: one transaction, each id once."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import pyarrow as pa

from dashboard import database
from dashboard.identity import normalise_email
from dashboard.live.events import LiveEvent


def store(con: duckdb.DuckDBPyConnection, events: list[LiveEvent], *, refresh: bool = True) -> tuple[int, int]:
    """Commit the batch (new webinars and persons included) and, unless `refresh` is False
    (the server rebuilds in the background: dashboard/live/refresher.py), refresh the figures
    in the same transaction. Returns (accepted, duplicates): an id already stored is a
    duplicate and changes nothing."""
    if not events:
        return 0, 0
    batch = pa.table({
        "id": [e.id for e in events], "event_key": [e.event_key for e in events],
        "event_title": [e.event_title for e in events], "type": [e.type for e in events],
        "occurred_at": pa.array([e.at for e in events], pa.timestamp("s")),
        "identity_key": [e.identity_key for e in events], "name": [e.name for e in events],
        "email": [normalise_email(e.email) for e in events],
        "country": [e.country for e in events], "country_raw": [e.country_raw for e in events],
        "role": [e.role for e in events], "role_raw": [e.role_raw for e in events],
    })  # fmt: skip
    with database.transaction(con, facts=refresh):
        con.register("live_batch", batch)
        try:
            accepted = _write(con)
            if accepted and not refresh:  # the background update brings these persons' facts up to date
                con.execute("""
                    insert into facts_pending
                    select distinct p.person_id from live_batch b join participants p using (identity_key)
                """)
        finally:
            con.unregister("live_batch")
        if accepted and refresh:
            database.refresh(con)

    return accepted, len(events) - accepted


def _write(con: duckdb.DuckDBPyConnection) -> int:
    # an unknown webinar key creates the webinar, titled by event_title, starting at its first event
    con.execute("""
        insert into events (event_id, event_key, title, starts_at, platform)
        select (select coalesce(max(event_id), 0) from events) + row_number() over (order by event_key),
               event_key, coalesce(any_value(event_title), event_key), min(occurred_at), 'live'
        from live_batch
        where event_key not in (select event_key from events)
        group by event_key
    """)
    con.execute("""
        insert into participants (person_id, identity_key, display_name, email)
        select (select coalesce(max(person_id), 0) from participants) + row_number() over (order by identity_key),
               identity_key, any_value(name), any_value(email)
        from live_batch
        where identity_key not in (select identity_key from participants)
        group by identity_key
    """)
    before = con.execute("select count(*) from live_events").fetchall()[0][0]
    con.execute("""
        insert into live_events (id, event_id, person_id, type, occurred_at, country, country_raw, role, role_raw,
                                 received_at)
        select b.id, e.event_id, p.person_id, b.type, b.occurred_at, b.country, b.country_raw, b.role, b.role_raw, $now
        from live_batch b
        join events e using (event_key)
        join participants p using (identity_key)
        on conflict (id) do nothing
    """, {"now": datetime.now(UTC).replace(tzinfo=None)})  # fmt: skip
    return con.execute("select count(*) from live_events").fetchall()[0][0] - before
