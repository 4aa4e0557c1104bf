"""Writing a validated batch of live events durably: one transaction, each id once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import duckdb
import pyarrow as pa

from dashboard import database, writes
from dashboard.identity import normalise_email
from dashboard.imports.loader import saved_aliases
from dashboard.imports.normalise import match_country, match_role
from dashboard.live.events import LiveEvent
from dashboard.writes import rehearsal_identity


class RehearsalRefused(Exception):
    """A rehearsal was sent to a webinar that holds real data (the message names the webinar)."""

    def __init__(self, event_key: str):
        super().__init__(event_key)
        self.event_key = event_key


class TooManyWebinars(Exception):
    """A batch, or the last hour's batches, would create more new webinars than allowed."""


class OutsideWebinar(Exception):
    """An event's time lies far outside its webinar; `field` names the event."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


# A holder of the ingest secret could otherwise create thousands of webinars and make every page
# slow for everyone (issue 9): new webinars are few in a real programme.
MAX_NEW_WEBINARS_PER_BATCH = 5
MAX_NEW_WEBINARS_PER_HOUR = 30
# An event belongs to its webinar's day: from a day before its start to a day after its planned end.
WEBINAR_SLACK_HOURS = 24


def store(con: duckdb.DuckDBPyConnection, events: list[LiveEvent], *, refresh: bool = True) -> tuple[int, int]:
    """Commit the batch (new webinars and persons included) and, unless `refresh` is False
    (the server updates the facts in the background: dashboard/facts_update.py), update the
    figures in the same transaction. Returns (accepted, duplicates): an id already stored is a
    duplicate and changes nothing. A rehearsal event for a webinar holding real data refuses
    the whole batch (RehearsalRefused), writing nothing."""
    if not events:
        return 0, 0
    events = _with_saved_mappings(con, events)
    batch = pa.table({
        "id": [e.id for e in events], "event_key": [e.event_key for e in events],
        "event_title": [e.event_title for e in events], "type": [e.type for e in events],
        "occurred_at": pa.array([e.at for e in events], pa.timestamp("s")),
        "identity_key": [rehearsal_identity(e.identity_key) if e.rehearsal else e.identity_key for e in events],
        "name": [e.name for e in events], "email": [normalise_email(e.email) for e in events],
        "organisation": pa.nulls(len(events), pa.string()),
        "country": [e.country for e in events], "country_raw": [e.country_raw for e in events],
        "role": [e.role for e in events], "role_raw": [e.role_raw for e in events],
        "is_rehearsal": pa.array([e.rehearsal for e in events], pa.bool_()),
    })  # fmt: skip
    con.register("live_batch", batch)
    try:
        with database.transaction(con, facts=refresh):
            _refuse_rehearsals_of_real_webinars(con)
            _check_webinars(con)
            accepted = _write(con)
            if accepted and not refresh:  # the background update brings these persons' facts up to date
                _mark_pending(con)
            if accepted and refresh:
                database.refresh(con)
    finally:
        con.unregister("live_batch")

    return accepted, len(events) - accepted


def _with_saved_mappings(con: duckdb.DuckDBPyConnection, events: list[LiveEvent]) -> list[LiveEvent]:
    """The analysts' saved country and occupation mappings apply to live events as to imports."""
    countries, roles = saved_aliases(con)
    if not countries and not roles:
        return events
    return [replace(e, country=match_country(e.country_raw, countries) if e.country_raw else e.country,
                    role=match_role(e.role_raw, roles)[0] if e.role_raw else e.role) for e in events]  # fmt: skip


def _refuse_rehearsals_of_real_webinars(con: duckdb.DuckDBPyConnection) -> None:
    real = con.execute("""
        select distinct e.event_key
        from live_batch b join events e using (event_key)
        where b.is_rehearsal and (
            exists (select 1 from attendance a where a.event_id = e.event_id)
            or exists (select 1 from registrations r where r.event_id = e.event_id)
            or exists (select 1 from live_events l where l.event_id = e.event_id and not l.is_rehearsal))
        order by 1
    """).fetchall()
    if real:
        raise RehearsalRefused(real[0][0])


def _check_webinars(con: duckdb.DuckDBPyConnection) -> None:
    """New webinars within their caps; every event within a day of its webinar."""
    new, span = con.execute("""
        select count(*), max(hours) from (
            select event_key, (epoch(max(occurred_at)) - epoch(min(occurred_at))) / 3600 as hours
            from live_batch where event_key not in (select event_key from events) group by event_key)
    """).fetchall()[0]  # fmt: skip
    if new > MAX_NEW_WEBINARS_PER_BATCH:
        raise TooManyWebinars(f"the batch would create {new} new webinars; at most {MAX_NEW_WEBINARS_PER_BATCH} "
                              "a batch")  # fmt: skip
    if new:
        recent = con.execute(
            "select count(*) from events where origin in ('live', 'rehearsal') and created_at >= $since",
            {"since": datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)},
        ).fetchall()[0][0]
        if recent + new > MAX_NEW_WEBINARS_PER_HOUR:
            raise TooManyWebinars(f"at most {MAX_NEW_WEBINARS_PER_HOUR} new webinars an hour may come from live "
                                  "events; create planned webinars ahead instead")  # fmt: skip
    if span is not None and span > WEBINAR_SLACK_HOURS:
        raise OutsideWebinar("events", f"the events of one new webinar span more than {WEBINAR_SLACK_HOURS} hours")
    outside = con.execute(f"""
        select b.id from live_batch b join events e using (event_key)
        where b.occurred_at < e.starts_at - interval {WEBINAR_SLACK_HOURS} hour
           or b.occurred_at > e.starts_at + to_minutes(coalesce(e.planned_minutes, 90))
                              + interval {WEBINAR_SLACK_HOURS} hour
        order by b.id limit 1
    """).fetchall()  # fmt: skip
    if outside:
        raise OutsideWebinar(f"events[id={outside[0][0]}].at", f"lies more than {WEBINAR_SLACK_HOURS} hours "
                             "outside its webinar (from its start to its planned end)")  # fmt: skip


def _write(con: duckdb.DuckDBPyConnection) -> int:
    # an unknown webinar key creates the webinar, titled by event_title, starting at its first event
    for key, title, start, rehearsal in con.execute("""
        select event_key, coalesce(any_value(event_title), event_key), min(occurred_at), bool_and(is_rehearsal)
        from live_batch where event_key not in (select event_key from events)
        group by event_key order by event_key
    """).fetchall():
        writes.add_webinar(con, writes.Webinar(key=key, title=title, starts_at=start, platform="live",
                                               origin="rehearsal" if rehearsal else "live", is_rehearsal=rehearsal))
    # real data makes a rehearsal webinar a real one
    con.execute("""
        update events set is_rehearsal = false
        where is_rehearsal and event_key in (select event_key from live_batch where not is_rehearsal)
    """)
    writes.add_persons(con, "live_batch")
    before = con.execute("select count(*) from live_events").fetchall()[0][0]
    con.execute("""
        insert into live_events (id, event_id, person_id, type, occurred_at, country, country_raw, role, role_raw,
                                 received_at, is_rehearsal)
        select b.id, e.event_id, p.person_id, b.type, b.occurred_at, b.country, b.country_raw, b.role, b.role_raw, $now,
               b.is_rehearsal
        from live_batch b
        join events e using (event_key)
        join participants p using (identity_key)
        on conflict (id) do nothing
    """, {"now": datetime.now(UTC).replace(tzinfo=None)})  # fmt: skip
    return con.execute("select count(*) from live_events").fetchall()[0][0] - before


def _mark_pending(con: duckdb.DuckDBPyConnection) -> None:
    """The persons whose facts the background update must bring up to date: those of the batch
    and, where the batch's events came after a webinar's planned end, everyone still connected
    to it (a join never left lasts to the webinar's latest event: docs/metrics.md)."""
    con.execute("""
        insert into facts_pending
        select distinct p.person_id from live_batch b join participants p using (identity_key)
    """)
    con.execute("""
        insert into facts_pending
        with late as (
            select e.event_id, b.is_rehearsal
            from live_batch b join events e using (event_key)
            group by e.event_id, b.is_rehearsal, e.starts_at, e.planned_minutes
            having max(b.occurred_at) >= any_value(e.starts_at) + to_minutes(coalesce(any_value(e.planned_minutes), 90))
        )
        select l.person_id
        from live_events l join late using (event_id, is_rehearsal)
        group by l.person_id, l.event_id
        having arg_max(l.type, (l.occurred_at, l.type = 'join')) = 'join'
    """)
