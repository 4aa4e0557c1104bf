"""Writing a validated batch of live events durably: one transaction, each id once."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
SLACK = timedelta(hours=WEBINAR_SLACK_HOURS)
# A webinar with no planned length is taken to last this long (docs/metrics.md).
DEFAULT_PLANNED_MINUTES = 90


def store(con: duckdb.DuckDBPyConnection, events: list[LiveEvent], *, refresh: bool = True) -> tuple[int, int]:
    """Commit the batch (new webinars and persons included) and, unless `refresh` is False
    (the server updates the facts in the background: dashboard/facts_update.py), update the
    figures in the same transaction. Returns (accepted, duplicates): an id already stored is a
    duplicate and changes nothing. A rehearsal event for a webinar holding real data refuses
    the whole batch (RehearsalRefused), writing nothing.

    A batch's cost must not grow with the programme (issue 12): every lookup goes by key
    (webinar keys, event ids, identity keys: indexed point lookups), never a scan or join of
    the programme's tables; what can be decided from the batch itself is decided in Python."""
    if not events:
        return 0, 0
    events = [replace(e, identity_key=rehearsal_identity(e.identity_key)) if e.rehearsal else e
              for e in _with_saved_mappings(con, events)]  # fmt: skip
    with database.transaction(con, facts=refresh):
        webinars = _webinars_of(con, events)
        if any(e.rehearsal for e in events):
            _refuse_rehearsals_of_real_webinars(con, events)
        _check_webinars(con, events, webinars)
        fresh = _not_stored(con, events)
        if fresh:
            webinars |= _add_webinars(con, events, webinars)
            _make_real(con, events, webinars)
            persons = _person_ids(con, events)
            _insert(con, fresh, webinars, persons)
            if not refresh:  # the background update brings these persons' facts up to date
                _mark_pending(con, events, webinars, persons)
            else:
                database.refresh(con)
    return len(fresh), len(events) - len(fresh)


@dataclass(frozen=True)
class _Webinar:
    """What a batch needs to know of a stored webinar."""

    event_id: int
    starts_at: datetime
    planned_minutes: int | None
    is_rehearsal: bool

    @property
    def planned_end(self) -> datetime:
        minutes = DEFAULT_PLANNED_MINUTES if self.planned_minutes is None else self.planned_minutes
        return self.starts_at + timedelta(minutes=minutes)


def _webinars_of(con: duckdb.DuckDBPyConnection, events: list[LiveEvent]) -> dict[str, _Webinar]:
    """The stored webinars the batch names, by key."""
    rows = con.execute("""
        select event_key, event_id, starts_at, planned_minutes, is_rehearsal
        from events where event_key in (select unnest($keys))
    """, {"keys": sorted({e.event_key for e in events})}).fetchall()  # fmt: skip
    return {
        key: _Webinar(event_id, starts, planned, bool(rehearsal)) for key, event_id, starts, planned, rehearsal in rows
    }


def _with_saved_mappings(con: duckdb.DuckDBPyConnection, events: list[LiveEvent]) -> list[LiveEvent]:
    """The analysts' saved country and occupation mappings apply to live events as to imports."""
    countries, roles = saved_aliases(con)
    if not countries and not roles:
        return events
    return [replace(e, country=match_country(e.country_raw, countries) if e.country_raw else e.country,
                    role=match_role(e.role_raw, roles)[0] if e.role_raw else e.role) for e in events]  # fmt: skip


def _refuse_rehearsals_of_real_webinars(con: duckdb.DuckDBPyConnection, events: list[LiveEvent]) -> None:
    real = con.execute("""
        select e.event_key
        from events e
        where e.event_key in (select unnest($keys)) and (
            exists (select 1 from attendance a where a.event_id = e.event_id)
            or exists (select 1 from registrations r where r.event_id = e.event_id)
            or exists (select 1 from live_events l where l.event_id = e.event_id and not l.is_rehearsal))
        order by 1
    """, {"keys": sorted({e.event_key for e in events if e.rehearsal})}).fetchall()  # fmt: skip
    if real:
        raise RehearsalRefused(real[0][0])


def _check_webinars(con: duckdb.DuckDBPyConnection, events: list[LiveEvent], webinars: dict[str, _Webinar]) -> None:
    """New webinars within their caps; every event within a day of its webinar."""
    new: dict[str, list[datetime]] = {}
    for e in events:
        if e.event_key not in webinars:
            new.setdefault(e.event_key, []).append(e.at)
    if len(new) > MAX_NEW_WEBINARS_PER_BATCH:
        raise TooManyWebinars(f"the batch would create {len(new)} new webinars; at most "
                              f"{MAX_NEW_WEBINARS_PER_BATCH} a batch")  # fmt: skip
    if new:
        recent = con.execute(
            "select count(*) from events where origin in ('live', 'rehearsal') and created_at >= $since",
            {"since": datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=1)},
        ).fetchall()[0][0]
        if recent + len(new) > MAX_NEW_WEBINARS_PER_HOUR:
            raise TooManyWebinars(f"at most {MAX_NEW_WEBINARS_PER_HOUR} new webinars an hour may come from live "
                                  "events; create planned webinars ahead instead")  # fmt: skip
    if any(max(times) - min(times) > SLACK for times in new.values()):
        raise OutsideWebinar("events", f"the events of one new webinar span more than {WEBINAR_SLACK_HOURS} hours")
    outside = sorted(e.id for e in events if (w := webinars.get(e.event_key))
                     and not w.starts_at - SLACK <= e.at <= w.planned_end + SLACK)  # fmt: skip
    if outside:
        raise OutsideWebinar(f"events[id={outside[0]}].at", f"lies more than {WEBINAR_SLACK_HOURS} hours "
                             "outside its webinar (from its start to its planned end)")  # fmt: skip


def _not_stored(con: duckdb.DuckDBPyConnection, events: list[LiveEvent]) -> list[LiveEvent]:
    """The events whose id is not stored yet (a sender may send a batch again)."""
    stored = {i for (i,) in con.execute("select id from live_events where id in (select unnest($ids))",
                                        {"ids": [e.id for e in events]}).fetchall()}  # fmt: skip
    return [e for e in events if e.id not in stored]


def _add_webinars(con: duckdb.DuckDBPyConnection, events: list[LiveEvent], webinars: dict[str, _Webinar]
                  ) -> dict[str, _Webinar]:  # fmt: skip
    """An unknown webinar key creates the webinar, titled by the batch's first event_title (else
    its key), starting at its first event; a rehearsal webinar when all its events are."""
    added = {}
    for key in sorted({e.event_key for e in events} - webinars.keys()):
        own = [e for e in events if e.event_key == key]
        title = next((e.event_title for e in own if e.event_title), key)
        start, rehearsal = min(e.at for e in own), all(e.rehearsal for e in own)
        event_id = writes.add_webinar(con, writes.Webinar(
            key=key, title=title, starts_at=start, platform="live", origin="rehearsal" if rehearsal else "live",
            is_rehearsal=rehearsal))  # fmt: skip
        added[key] = _Webinar(event_id, start, None, rehearsal)
    return added


def _make_real(con: duckdb.DuckDBPyConnection, events: list[LiveEvent], webinars: dict[str, _Webinar]) -> None:
    """Real data makes a rehearsal webinar a real one."""
    keys = sorted({e.event_key for e in events if not e.rehearsal and webinars[e.event_key].is_rehearsal})
    if keys:
        con.execute("update events set is_rehearsal = false where event_key in (select unnest($keys))", {"keys": keys})
        for key in keys:
            webinars[key] = replace(webinars[key], is_rehearsal=False)


def _person_ids(con: duckdb.DuckDBPyConnection, events: list[LiveEvent]) -> dict[str, int]:
    """The person of each identity in the batch, adding those not known yet (name and e-mail
    from their first event that has one)."""
    keys = sorted({e.identity_key for e in events})
    lookup = "select identity_key, person_id from participants where identity_key in (select unnest($keys))"
    known = dict(con.execute(lookup, {"keys": keys}).fetchall())
    unknown = [k for k in keys if k not in known]
    if unknown:
        own = {k: [e for e in events if e.identity_key == k] for k in unknown}
        con.execute("""
            insert into participants (person_id, identity_key, display_name, email, organisation, is_rehearsal)
            select nextval('person_ids'), k.identity_key, k.name, k.email, null, k.is_rehearsal
            from (select unnest($keys) as identity_key, unnest($names::varchar[]) as name,
                         unnest($emails::varchar[]) as email, unnest($rehearsals) as is_rehearsal) k
        """, {"keys": unknown, "names": [next((e.name for e in own[k] if e.name), None) for k in unknown],
              "emails": [next((m for e in own[k] if (m := normalise_email(e.email))), None) for k in unknown],
              "rehearsals": [any(e.rehearsal for e in own[k]) for k in unknown]})  # fmt: skip
        known |= dict(con.execute(lookup, {"keys": unknown}).fetchall())
    return known


def _insert(con: duckdb.DuckDBPyConnection, fresh: list[LiveEvent], webinars: dict[str, _Webinar],
            persons: dict[str, int]) -> None:  # fmt: skip
    received = datetime.now(UTC).replace(tzinfo=None)
    batch = pa.table({
        "id": [e.id for e in fresh], "event_id": pa.array([webinars[e.event_key].event_id for e in fresh], pa.int32()),
        "person_id": pa.array([persons[e.identity_key] for e in fresh], pa.int32()), "type": [e.type for e in fresh],
        "occurred_at": pa.array([e.at for e in fresh], pa.timestamp("s")),
        "country": pa.array([e.country for e in fresh], pa.string()),
        "country_raw": pa.array([e.country_raw for e in fresh], pa.string()),
        "role": pa.array([e.role for e in fresh], pa.string()),
        "role_raw": pa.array([e.role_raw for e in fresh], pa.string()),
        "received_at": pa.array([received] * len(fresh), pa.timestamp("us")),
        "is_rehearsal": pa.array([e.rehearsal for e in fresh], pa.bool_()),
    })  # fmt: skip
    con.register("live_batch", batch)
    try:
        con.execute("insert into live_events by name select * from live_batch")
    finally:
        con.unregister("live_batch")


def _mark_pending(con: duckdb.DuckDBPyConnection, events: list[LiveEvent], webinars: dict[str, _Webinar],
                  persons: dict[str, int]) -> None:  # fmt: skip
    """The persons whose facts the background update must bring up to date: those of the batch
    and, where the batch's events came after a webinar's planned end, everyone still connected
    to it (a join never left lasts to the webinar's latest event: docs/metrics.md)."""
    con.execute("insert into facts_pending select unnest($persons)", {"persons": sorted(set(persons.values()))})
    latest: dict[tuple[str, bool], datetime] = {}
    for e in events:
        latest[e.event_key, e.rehearsal] = max(latest.get((e.event_key, e.rehearsal), e.at), e.at)
    late = sorted((webinars[key].event_id, rehearsal) for (key, rehearsal), at in latest.items()
                  if at >= webinars[key].planned_end)  # fmt: skip
    if not late:
        return
    con.execute("""
        insert into facts_pending
        select l.person_id
        from live_events l
        join (select unnest($event_ids) as event_id, unnest($rehearsals) as is_rehearsal) late
            using (event_id, is_rehearsal)
        group by l.person_id, l.event_id
        having arg_max(l.type, (l.occurred_at, l.type = 'join')) = 'join'
    """, {"event_ids": [event_id for event_id, _ in late], "rehearsals": [r for _, r in late]})  # fmt: skip
