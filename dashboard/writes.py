"""Every write of the canonical tables, in one place: adding persons and webinars, saving an
analyst's mapping, removing an import, a webinar or rehearsal data.

Each function runs inside the caller's transaction (`database.transaction` or
`Database.write`), so that a load, its facts update and its log commit together or not at
all. Ids come from DuckDB sequences (database.SEQUENCES), never from max(id) + 1.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from dashboard import database
from dashboard.imports.normalise import key

REHEARSAL_PREFIX = "rehearsal:"


def rehearsal_identity(identity_key: str) -> str:
    """A rehearsal person is never a real person, even when the rehearsal used a real address."""
    return identity_key if identity_key.startswith(REHEARSAL_PREFIX) else REHEARSAL_PREFIX + identity_key


def add_persons(con: duckdb.DuckDBPyConnection, relation: str) -> int:
    """Add the persons of `relation` (columns identity_key, name, email, organisation,
    is_rehearsal; one or more rows per identity) that are not known yet. Returns how many."""
    return con.execute(f"""
        insert into participants (person_id, identity_key, display_name, email, organisation, is_rehearsal)
        select nextval('person_ids'), identity_key, name, email, organisation, is_rehearsal
        from (select identity_key, any_value(name) as name, any_value(email) as email,
                     any_value(organisation) as organisation, bool_or(is_rehearsal) as is_rehearsal
              from {relation} group by identity_key order by identity_key)
        where identity_key not in (select identity_key from participants)
    """).fetchall()[0][0]  # fmt: skip


def slug(title: str) -> str:
    """A webinar title as the start of a key: lower case, letters and digits joined by '-'."""
    return re.sub(r"[^a-z0-9а-я]+", "-", key(title))[:40].strip("-") or "webinar"


def free_webinar_key(con: duckdb.DuckDBPyConnection, base: str) -> str:
    """`base`, or `base-2`, `base-3`… — the first key no webinar has."""
    taken = {r[0] for r in con.execute("select event_key from events where event_key like $k || '%'",
                                       {"k": base}).fetchall()}  # fmt: skip
    return next(k for n in range(1, len(taken) + 2) if (k := base if n == 1 else f"{base}-{n}") not in taken)


@dataclass(frozen=True)
class Webinar:
    key: str
    title: str
    starts_at: datetime  # UTC, naive
    origin: str  # 'import', 'live', 'live-view', 'rehearsal', 'demo', 'planned'
    planned_minutes: int | None = None
    series: str | None = None
    topic: str | None = None
    platform: str | None = None
    platform_event_id: str | None = None
    import_id: int | None = None
    is_rehearsal: bool = False


def add_webinar(con: duckdb.DuckDBPyConnection, webinar: Webinar) -> int:
    """Add a webinar under its key (which must be free); returns its id."""
    return con.execute("""
        insert into events (event_id, event_key, series, title, topic, starts_at, planned_minutes, platform,
                            platform_event_id, origin, import_id, is_rehearsal, created_at)
        values (nextval('event_ids'), $key, $series, $title, $topic, $starts_at, $planned_minutes, $platform,
                $platform_event_id, $origin, $import_id, $is_rehearsal, $created_at)
        returning event_id
    """, {**webinar.__dict__, "created_at": datetime.now(UTC).replace(tzinfo=None)}).fetchall()[0][0]  # fmt: skip


def next_import_id(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select nextval('import_ids')").fetchall()[0][0]


# --- mappings ---------------------------------------------------------------------------------

_MAPPINGS = {"country": ("country_aliases", "country"), "role": ("role_aliases", "role")}


def save_mapping(con: duckdb.DuckDBPyConnection, kind: str, raw: str, value: str) -> None:
    """Map a country or occupation text to a code from now on, and in the rows already stored
    (imported rows and live events), so that the figures follow at the next facts update."""
    aliases, column = _MAPPINGS[kind]
    con.execute(f"insert or replace into {aliases} values ($k, $raw, $value)",  # noqa: S608 - fixed names
                {"k": key(raw), "raw": raw, "value": value})  # fmt: skip
    for table in ("registrations", "attendance", "live_events"):
        # every text that is the same by the key the mapping is saved under ('марс' and 'Марс'),
        # as later imports and live events will match it
        stored = con.execute(f"select distinct {column}_raw from {table} where {column}_raw is not null").fetchall()
        texts = [t for (t,) in stored if key(t) == key(raw)]
        if texts:
            con.execute(f"update {table} set {column} = $value where list_contains($texts, {column}_raw)",  # noqa: S608
                        {"value": value, "texts": texts})  # fmt: skip


def save_column_mapping(con: duckdb.DuckDBPyConnection, signature: str, mapping: dict) -> None:
    """Remember which column holds which field for files with this header signature."""
    con.execute("insert or replace into column_mappings values ($s, $m)",
                {"s": signature, "m": json.dumps(mapping, ensure_ascii=False)})  # fmt: skip


# --- removal ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Removal:
    """What a removal took away."""

    rows: int  # attendance rows, registrations and live events
    persons: int  # persons who had nothing else
    webinars: int  # webinars nothing else refers to

    def __bool__(self) -> bool:
        return bool(self.rows or self.persons or self.webinars)


class NothingToRemove(Exception):
    """The import, webinar or rehearsal named does not exist (the message names it)."""


def _count(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> int:
    return con.execute(sql, params or {}).fetchall()[0][0]


def _remove_orphans(con: duckdb.DuckDBPyConnection, candidate_webinars: str, candidate_persons: str) -> tuple[int, int]:
    """Remove the candidate persons and webinars that nothing refers to any more."""
    persons = _count(con, f"""
        delete from participants where person_id in ({candidate_persons})
          and person_id not in (select person_id from attendance)
          and person_id not in (select person_id from registrations)
          and person_id not in (select person_id from live_events)
    """)  # fmt: skip
    webinars = _count(con, f"""
        delete from events where event_id in ({candidate_webinars})
          and event_id not in (select event_id from attendance)
          and event_id not in (select event_id from registrations)
          and event_id not in (select event_id from live_events)
          and event_id not in (select event_id from platform_figures)
    """)  # fmt: skip
    return persons, webinars


def remove_import(con: duckdb.DuckDBPyConnection, import_id: int) -> Removal:
    """Remove an imported file: its rows, the persons only it brought, the webinars it created
    if nothing else refers to them, its platform figures and its line in the log. The same file
    can then be imported again. The caller rebuilds the facts in the same transaction."""
    if not _count(con, "select count(*) from imports where import_id = $i", {"i": import_id}):
        raise NothingToRemove(f"import {import_id}")
    con.execute("create or replace temp table removal_persons as select person_id from attendance where import_id = $i "
                "union select person_id from registrations where import_id = $i", {"i": import_id})  # fmt: skip
    rows = _count(con, "delete from attendance where import_id = $i", {"i": import_id})
    rows += _count(con, "delete from registrations where import_id = $i", {"i": import_id})
    con.execute("delete from platform_figures where import_id = $i", {"i": import_id})
    con.execute("delete from imports where import_id = $i", {"i": import_id})
    persons, webinars = _remove_orphans(
        con, f"select event_id from events where origin = 'import' and import_id = {int(import_id)}",
        "select person_id from removal_persons",
    )
    con.execute("drop table removal_persons")
    restore_rehearsal_webinars(con)
    return Removal(rows, persons, webinars)


def restore_rehearsal_webinars(con: duckdb.DuckDBPyConnection) -> None:
    """A webinar a rehearsal created that real data made real is a rehearsal webinar again once
    that real data is removed."""
    con.execute("""
        update events e set is_rehearsal = true
        where e.origin = 'rehearsal' and not e.is_rehearsal
          and not exists (select 1 from attendance a where a.event_id = e.event_id)
          and not exists (select 1 from registrations r where r.event_id = e.event_id)
          and not exists (select 1 from live_events l where l.event_id = e.event_id and not l.is_rehearsal)
    """)


def remove_webinar(con: duckdb.DuckDBPyConnection, event_key: str) -> Removal:
    """Remove a webinar started from the live view (or by live events) by mistake, with its live
    events and check-ins and the persons only they brought. Webinars holding imported rows are
    removed by removing their imports instead."""
    found = con.execute("select event_id, origin from events where event_key = $k", {"k": event_key}).fetchall()
    if not found:
        raise NothingToRemove(f"webinar {event_key}")
    event_id = found[0][0]
    if _count(con, "select count(*) from attendance where event_id = $e", {"e": event_id}) or _count(
        con, "select count(*) from registrations where event_id = $e", {"e": event_id}
    ):
        raise HoldsImports(event_key)
    con.execute("create or replace temp table removal_persons as select distinct person_id from live_events "
                "where event_id = $e", {"e": event_id})  # fmt: skip
    rows = _count(con, "delete from live_events where event_id = $e", {"e": event_id})
    con.execute("delete from platform_figures where event_id = $e", {"e": event_id})
    con.execute("delete from facts_pending where person_id in (select person_id from removal_persons)")
    persons, webinars = _remove_orphans(con, str(int(event_id)), "select person_id from removal_persons")
    con.execute("drop table removal_persons")
    return Removal(rows, persons, webinars)


class HoldsImports(Exception):
    """The webinar holds imported rows: remove those imports instead (the message names it)."""


def clear_rehearsals(con: duckdb.DuckDBPyConnection, event_key: str | None = None) -> Removal:
    """Remove rehearsal data completely: the rehearsal live events (of one webinar, or all), the
    rehearsal persons left with nothing, and rehearsal webinars left with nothing."""
    params = {"k": event_key}
    where = "is_rehearsal and ($k is null or event_id in (select event_id from events where event_key = $k))"
    if event_key is not None and not _count(con, "select count(*) from events where event_key = $k", params):
        raise NothingToRemove(f"webinar {event_key}")
    con.execute(f"create or replace temp table removal_persons as select distinct person_id from live_events "
                f"where {where}", params)  # fmt: skip
    con.execute(f"create or replace temp table removal_webinars as select distinct event_id from live_events "
                f"where {where}", params)  # fmt: skip
    rows = _count(con, f"delete from live_events where {where}", params)
    con.execute("delete from facts_pending where person_id in (select person_id from removal_persons)")
    persons, webinars = _remove_orphans(
        con, "select event_id from removal_webinars where event_id in (select event_id from events where is_rehearsal)",
        "select person_id from removal_persons",
    )
    con.execute("drop table removal_persons")
    con.execute("drop table removal_webinars")
    return Removal(rows, persons, webinars)


def refresh_after_removal(con: duckdb.DuckDBPyConnection) -> None:
    """Removing rows changes slots and persons: the whole facts are rebuilt (same transaction)."""
    database.refresh(con)
