"""The DuckDB database: opening it, its schema and reference data, and the derived tables.

One connection per process (the app caches it; the CLI opens one per command); each query
runs on its own cursor. Nothing here runs at import time.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import duckdb

from dashboard import reference
from dashboard.settings import DEFAULT_TIMEZONE, PACKAGE_DIR

SQL_DIR = PACKAGE_DIR / "sql"


# One writer of the canonical tables at a time in this process: the ingest API, the Data page
# and the review panel write through separate cursors, and DuckDB would fail one of two
# concurrent transactions that both add persons or webinars. Readers are never blocked.
write_lock = threading.RLock()
# One rebuild of the derived facts at a time. The background rebuild after live events
# (dashboard/facts_update.py) takes only this one, so ingest keeps committing meanwhile: its
# transactions only add rows, and the rebuild only replaces derived tables and updates the
# derived columns of the persons it can see. Take write_lock first when taking both.
facts_lock = threading.RLock()


class _Counter:
    """A number that only goes up, by one, from any thread."""

    def __init__(self) -> None:
        self.value = 0
        self._lock = threading.Lock()

    def step(self) -> None:
        with self._lock:
            self.value += 1


# Changes each time a transaction that may change the facts commits in this process (one process
# owns the file): results computed from the facts (dashboard/results.py) are kept under the
# generation they were computed in, so none outlives the facts it came from.
_generation = _Counter()
# Changes each time any transaction commits in this process, the facts' or not (a live batch
# commits its events before the facts catch up with them): what the live view reads from the
# events themselves ("connected now", the arrivals) is kept under it (views/live.py).
_writes = _Counter()


def facts_generation() -> int:
    """The current generation of the facts in this process (read it before computing from them)."""
    return _generation.value


def committed_writes() -> int:
    """How many transactions have committed in this process (read it before reading)."""
    return _writes.value


class DatabaseError(Exception):
    """A database that cannot be opened or used; the message is for the user (English, for the
    command line); `kind` ('missing', 'in_use', 'unreadable') and `path` let a page say it in the
    user's language."""

    def __init__(self, message: str, kind: str = "unreadable", path: Path | str | None = None):
        super().__init__(message)
        self.kind, self.path = kind, str(path) if path is not None else None


def _run_script(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute((SQL_DIR / name).read_text(encoding="utf-8"))


def _scalar(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """The single value of a query, on this connection (inside its transaction, if any);
    fetches the whole result, as DuckDB 2 requires before the next statement."""
    return con.execute(sql, params or {}).fetchall()[0][0]


def connect(path: Path | str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and if new, create) the database at `path`, with schema and reference data."""
    path = Path(path)
    if read_only and not path.exists():
        raise DatabaseError(f"database {path} does not exist", "missing", path)
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseError(
                f"database {path} is in use by another process (a running `reach serve`?); "
                "stop it, or work on a copy of the file",
                "in_use",
                path,
            ) from exc
        raise _unreadable(path, exc) from None
    except duckdb.Error as exc:  # a damaged file fails in several ways; DuckDB's own text is never shown
        raise _unreadable(path, exc) from None
    try:
        con.execute("set TimeZone = 'UTC'")
        if not read_only:
            initialise(con)
    except duckdb.Error as exc:
        con.close()
        raise _unreadable(path, exc) from None
    return con


def _unreadable(path: Path, exc: Exception) -> DatabaseError:
    return DatabaseError(f"cannot open database {path}: it is damaged or not a DuckDB database file "
                         f"({type(exc).__name__}); restore it from a backup copy", "unreadable", path)  # fmt: skip


def connect_memory() -> duckdb.DuckDBPyConnection:
    """An empty in-memory database with schema and reference data (tests, benchmarks)."""
    con = duckdb.connect(":memory:")
    con.execute("set TimeZone = 'UTC'")
    initialise(con)
    return con


def initialise(con: duckdb.DuckDBPyConnection, *, update_facts: bool = True) -> None:
    """Create the schema, macros and reference tables if they are missing, and (unless told
    not to) rebuild the facts when they are missing or behind."""
    _run_script(con, "schema.sql")
    _migrate_registrations(con)
    _run_script(con, "filters.sql")
    if _scalar(con, "select count(*) from countries") == 0:
        con.register("reference_countries", reference.countries())
        con.execute(
            "insert into countries select iso2, iso3, name_en, name_ru, cis_status, stage from reference_countries"
        )
        con.unregister("reference_countries")
    if _scalar(con, "select count(*) from roles") == 0:
        con.register("reference_roles", reference.roles())
        con.execute("insert into roles select code, label_en, label_ru, sort_order from reference_roles")
        con.unregister("reference_roles")
    con.execute(
        "insert into programme values ('timezone', $tz) on conflict do nothing",
        {"tz": DEFAULT_TIMEZONE},
    )
    for sequence, _, _ in SEQUENCES:
        if not _scalar(con, "select count(*) from duckdb_sequences() where sequence_name = $s", {"s": sequence}):
            reset_sequences(con)
            break
    if update_facts and facts_are_stale(con):
        with transaction(con):
            catch_up(con)


# Ids of the canonical tables come from sequences, never from max(id) + 1 (two writers would
# both read the same maximum).
SEQUENCES = (("person_ids", "participants", "person_id"), ("event_ids", "events", "event_id"),
             ("import_ids", "imports", "import_id"))  # fmt: skip


def reset_sequences(con: duckdb.DuckDBPyConnection) -> None:
    """Start each id sequence after the largest id in its table (a new database, or rows written
    with their own ids: the demo, a database from before sequences)."""
    for sequence, table, column in SEQUENCES:
        start = _scalar(con, f"select coalesce(max({column}), 0) + 1 from {table}")
        con.execute(f"create or replace sequence {sequence} start with {int(start)}")


def _migrate_registrations(con: duckdb.DuckDBPyConnection) -> None:
    """Databases from before per-import registrations had one row per (person, webinar)."""
    keyed = _scalar(con, "select count(*) from duckdb_constraints() where table_name = 'registrations' "
                         "and constraint_type = 'PRIMARY KEY'")  # fmt: skip
    if not keyed:
        return
    con.execute("alter table registrations rename to registrations_before")
    _run_script(con, "schema.sql")
    con.execute("insert into registrations by name select * from registrations_before")
    con.execute("drop table registrations_before")


@contextmanager
def transaction(
    con: duckdb.DuckDBPyConnection, *, canonical: bool = True, facts: bool = True
) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: a load and the refresh of the derived tables commit together. Holds
    write_lock when it writes `canonical` tables and facts_lock when it rebuilds the `facts`."""
    with write_lock if canonical else nullcontext(), facts_lock if facts else nullcontext():
        con.execute("begin transaction")
        try:
            yield con
        except BaseException:
            con.execute("rollback")
            raise
        con.execute("commit")
        _writes.step()
        if facts:
            _generation.step()


# Set while a load (an import) is under way: live batches commit beside it, and read paths do
# not wait for it (Database.bring_facts_up_to_date).
loading = threading.Event()


@contextmanager
def load_transaction(con: duckdb.DuckDBPyConnection, *, writers_wait: bool) -> Iterator[duckdb.DuckDBPyConnection]:
    """An import's transaction: all or nothing, as `transaction`, holding facts_lock. Other
    writers (live batches) go on beside it unless `writers_wait`: an import of a million rows
    takes tens of seconds, and a live batch must be acknowledged within a second (issue 12).
    Their persons stay pending for the catch-up after the import commits. When one of them
    committed a row the import writes too (a person new to both), the import's commit fails
    with duckdb.TransactionException and nothing of it is kept: the caller runs it again with
    `writers_wait`, which holds them off until it commits."""
    with write_lock if writers_wait else nullcontext(), transaction(con, canonical=False):
        loading.set()  # under facts_lock: one load at a time
        try:
            yield con
        finally:
            loading.clear()


# The layout of the facts tables; a database whose facts have another is rebuilt on opening.
FACTS_VERSION = "5"
# The tables of sql/facts/, in the order they are built, with the layout of a whole rebuild and
# how a catch-up brings them up to date: the rows of its persons replaced ("person"), counts
# changed by the difference its persons make ("count", _COUNTED), the rows of the webinars of
# their live events replaced ("event").
FACTS = (
    ("event_facts", None, None),
    ("pair_facts", "whole_minute nulls last, country, role", "person"),
    ("person_facts", "country, role", "person"),
    ("event_cell_facts", "country, role, slot", "count"),
    ("cohort_cell_facts", "country, role, first_slot, slot", "count"),
    ("minutes_histogram", "country, role, slot", "count"),
    ("segment_facts", "country, role, slot", "person"),
    ("event_peaks", None, "event"),
)
_ROWS_OF = {
    "person": "person_id in (select person_id from rebuild_persons)",
    "event": "event_id in (select event_id from rebuild_events)",
}
# The tables of counts per cell that a catch-up updates by difference rather than by recounting
# the cells its persons touch (a cell of a large webinar holds tens of thousands of pairs: at a
# million participants, recounting them was most of a catch-up). Each pair's counts depend on
# its own person only. (table, key columns, counted columns); event_cell_facts' sources (a
# bit_or, which cannot be subtracted) is handled apart.
_COUNTED = (
    ("event_cell_facts", ("event_id", "country", "role"),
     ("registrants", "participants", "registered_attended", "minutes_total", "stayed_half", "came_back")),
    ("cohort_cell_facts", ("event_id", "country", "role", "first_slot"), ("participants",)),
    ("minutes_histogram", ("event_id", "country", "role", "whole_minute"), ("pairs",)),
)  # fmt: skip
# A row of these tables exists while some pair counts in it.
_EMPTY = {"event_cell_facts": "registrants + participants - registered_attended = 0",
          "cohort_cell_facts": "participants = 0", "minutes_histogram": "pairs = 0"}  # fmt: skip
_ATTRIBUTES = ("event_key", "slot", "series", "event_date", "stage")

_TEMP = ("next_event_facts", "moved_events", "moved_persons", "rebuild_persons", "rebuild_events",
         "rebuild_attendance", "rebuild_registrations", "audience_segments",
         *(f"{kind}_{table}" for table, _, _ in _COUNTED for kind in ("old", "new", "change")))  # fmt: skip


def _facts_sql(table: str) -> str:
    return (SQL_DIR / "facts" / f"{table}.sql").read_text(encoding="utf-8")


def _execute(con: duckdb.DuckDBPyConnection, sql: str, values: dict) -> None:
    """Run a statement with the values it refers to (DuckDB refuses unused ones)."""
    statement = con.extract_statements(sql)[0]
    con.execute(statement.query, {k: v for k, v in values.items() if k in statement.named_parameters})


def _derive(con: duckdb.DuckDBPyConnection, values: dict) -> None:
    """Person attributes, attendance and segments of the persons rebuilt (sql/derive.sql)."""
    script = (SQL_DIR / "derive.sql").read_text(encoding="utf-8")
    for statement in con.extract_statements(script):
        con.execute(statement.query, {k: v for k, v in values.items() if k in statement.named_parameters})


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild person attributes and every table of facts after a load (call inside a transaction)."""
    capacity = slot_capacity(_scalar(con, "select count(*) from events"))
    values = {"everyone": True, "max_slot": capacity - 1}
    _start_rebuild(con, "select person_id from participants where false")
    _derive(con, values)
    for table, layout, _ in FACTS:
        order = f" order by {layout}" if layout else ""
        _execute(con, f"create or replace table {table} as {_facts_sql(table)}{order}", values)
    _run_script(con, "selections.sql")
    con.execute("delete from facts_pending")
    set_programme_setting(con, "facts_version", FACTS_VERSION)
    set_programme_setting(con, "slot_capacity", str(capacity))
    _end_rebuild(con)


def slot_capacity(webinars: int) -> int:
    """How many slots the per-person bitstrings hold after a whole rebuild: the webinars and at
    least 64 more (whole 64-bit words), so that webinars added later in time — a live webinar
    nobody imported — take a free slot without rewriting every person's bitstrings."""
    return (webinars // 64 + 2) * 64


def _append_webinars(con: duckdb.DuckDBPyConnection) -> bool:
    """Give webinars added since the last rebuild their slots without a whole rebuild, when the
    bitstrings have room and no webinar was removed. The persons of the new webinars are pending
    already. A webinar dated before others moves their slots by one: the persons with a pair in
    a moved webinar (its registrants and attendees; none when it lies ahead with nobody
    registered, as a planned webinar does) join them, and the counts per cell of the moved
    webinars take their new slots. False when a whole rebuild is needed: no room, a removal, or
    more persons to rebuild than a tenth of everyone (and over a thousand)."""
    con.execute(f"create or replace temp table next_event_facts as {_facts_sql('event_facts')}")
    removed = _scalar(
        con, "select count(*) from event_facts where event_id not in (select event_id from next_event_facts)"
    )
    capacity = programme_setting(con, "slot_capacity")
    fits = capacity is not None and _scalar(con, "select coalesce(max(slot), -1) from next_event_facts") < int(capacity)
    if removed or not fits:
        return False
    con.execute("""
        create or replace temp table moved_events as
        select f.event_id, n.slot from event_facts f join next_event_facts n using (event_id) where n.slot <> f.slot
    """)  # fmt: skip
    if _scalar(con, "select count(*) from moved_events"):
        con.execute("create or replace temp table moved_persons as select distinct person_id from pair_facts "
                    "where event_id in (select event_id from moved_events)")  # fmt: skip
        moved = _scalar(con, "select count(*) from moved_persons")
        if moved > 1000 and moved * 10 > _scalar(con, "select count(*) from person_facts"):
            return False  # rebuilding so many persons one by one costs more than a whole rebuild
        con.execute("insert into facts_pending select person_id from moved_persons")
        for table, _, _ in _COUNTED:
            con.execute(f"update {table} t set slot = m.slot from moved_events m where t.event_id = m.event_id")
    con.execute("insert into event_peaks select event_id, 0 from next_event_facts "
                "where event_id not in (select event_id from event_facts)")  # fmt: skip
    con.execute("create or replace table event_facts as select * from next_event_facts")
    return True


def catch_up(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the facts up to date with the live events committed since the last rebuild (call
    inside a transaction): only their persons' rows, the difference they make to the counts per
    cell, and the peaks of the webinars of their live events. A new webinar takes a free slot
    (_append_webinars). Returns the persons rebuilt (all of them after a whole rebuild)."""
    if facts_missing(con) or (_webinars_added(con) and not _append_webinars(con)):
        refresh(con)
        return _scalar(con, "select count(*) from participants")
    values = {"everyone": False, "max_slot": int(programme_setting(con, "slot_capacity")) - 1}
    # a rehearsal webinar that real data made real: only the lists of webinars read this flag
    con.execute("""
        update event_facts f set is_rehearsal = e.is_rehearsal
        from events e where e.event_id = f.event_id and e.is_rehearsal is distinct from f.is_rehearsal
    """)
    _start_rebuild(con, "select distinct person_id from facts_pending")
    persons = _scalar(con, "select count(*) from rebuild_persons")
    if persons:
        _derive(con, values)
        for table, _, _ in _COUNTED:  # what the persons counted for before, with their old facts
            _execute(con, f"create or replace temp table old_{table} as {_facts_sql(table)}", values)
        for table, _, rows in FACTS[1:]:
            if rows == "person":
                con.execute(f"delete from {table} where " + _ROWS_OF[rows])
                _execute(con, f"insert into {table} {_facts_sql(table)}", values)
        for table, keys, counts in _COUNTED:  # … and what they count for now: the difference
            _execute(con, f"create or replace temp table new_{table} as {_facts_sql(table)}", values)
            _add_difference(con, table, keys, counts)
        # peaks count every segment whatever its person's country: only the webinars where these
        # persons' segments changed, those of their live events, move
        con.execute("insert into rebuild_events select distinct event_id from live_events where " + _ROWS_OF["person"])
        con.execute("delete from event_peaks where " + _ROWS_OF["event"])
        _execute(con, f"insert into event_peaks {_facts_sql('event_peaks')}", values)
        con.execute("delete from facts_pending where person_id in (select person_id from rebuild_persons)")
    _end_rebuild(con)
    return persons


def _add_difference(con: duckdb.DuckDBPyConnection, table: str, keys: tuple, counts: tuple) -> None:
    """Add new_<table> and subtract old_<table> (the rebuilt persons' counts) in <table>: update
    the rows that exist, add the new ones, drop those no pair counts in any more."""
    same = " and ".join(f"t.{k} is not distinct from c.{k}" for k in keys)
    sources = table == "event_cell_facts"
    change = f"change_{table}"
    con.execute(f"""
        create or replace temp table {change} as
        select {", ".join(keys)}, {", ".join(f"arg_max({a}, sign) as {a}" for a in _ATTRIBUTES)},
            {", ".join(f"sum(sign * {c}) as {c}" for c in counts)}
            {", cast(bit_or(sources) filter (where sign = 1) as integer) as added_sources, "
             "cast(bit_or(sources) filter (where sign = -1) as integer) as removed_sources" if sources else ""}
        from (select *, -1 as sign from old_{table} union all by name select *, 1 as sign from new_{table})
        group by {", ".join(keys)}
    """)  # fmt: skip
    # minutes are whole seconds / 60, so a total is 0 or at least 1/60: what differences leave
    # near 0 is 0 (never a "-0")
    added = ", ".join(f"{c} = case when abs(t.{c} + c.{c}) < 1e-6 then 0 else t.{c} + c.{c} end"
                      if c == "minutes_total" else f"{c} = t.{c} + c.{c}" for c in counts)  # fmt: skip
    if sources:
        added += ", sources = t.sources | coalesce(c.added_sources, 0)"
    con.execute(f"update {table} t set {added} from {change} c where {same}")
    con.execute(f"""
        insert into {table} by name
        select * exclude (added_sources, removed_sources), coalesce(added_sources, 0) as sources from {change} c
        where not exists (select 1 from {table} t where {same})
    """ if sources else f"""
        insert into {table} by name select * from {change} c where not exists (select 1 from {table} t where {same})
    """)  # fmt: skip
    con.execute(f"delete from {table} t where {_EMPTY[table]} and exists (select 1 from {change} c where {same})")
    if sources and _scalar(
        con, f"select count(*) from {change} where removed_sources & ~coalesce(added_sources, 0) <> 0"
    ):
        # a pair that left a cell may have taken the cell's last pair of some platform with it
        con.execute(f"""
            update {table} t set sources = s.sources
            from (select p.event_id, p.country, p.role, cast(bit_or(p.sources) as integer) as sources
                  from pair_facts p
                  join (select * from {change} where removed_sources & ~coalesce(added_sources, 0) <> 0) c
                    on p.event_id = c.event_id and p.country is not distinct from c.country
                   and p.role is not distinct from c.role
                  where not p.is_rehearsal
                  group by all) s
            where t.event_id = s.event_id and t.country is not distinct from s.country
              and t.role is not distinct from s.role
        """)  # fmt: skip


def _start_rebuild(con: duckdb.DuckDBPyConnection, persons: str) -> None:
    con.execute(f"create or replace temp table rebuild_persons as {persons}")
    con.execute("create or replace temp table rebuild_events (event_id integer)")


def _end_rebuild(con: duckdb.DuckDBPyConnection) -> None:
    for table in _TEMP:
        con.execute(f"drop table if exists {table}")


def _webinars_added(con: duckdb.DuckDBPyConnection) -> bool:
    return _scalar(con, "select count(*) from events") != _scalar(con, "select count(*) from event_facts")


def facts_missing(con: duckdb.DuckDBPyConnection) -> bool:
    """No facts, or facts laid out by another version of sql/facts/ (a database from before)."""
    return programme_setting(con, "facts_version") != FACTS_VERSION or not _scalar(
        con, "select count(*) from duckdb_tables() where table_name = 'event_peaks'"
    )


def facts_are_stale(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the derived facts are missing or behind: persons of live events pending, or a
    webinar added since (from the live view)."""
    return facts_missing(con) or _scalar(con, "select count(*) from facts_pending") > 0 or _webinars_added(con)


def programme_setting(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = con.cursor().execute("select value from programme where key = $k", {"k": key}).fetchall()
    return rows[0][0] if rows else None


def set_programme_setting(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("insert or replace into programme values ($k, $v)", {"k": key, "v": value})


class Database:
    """The one owner of a database file in this process (after datasette's `Database`): it holds
    the connection, funnels writes through one transaction path under the process's write lock,
    and owns the facts update and its trigger. Pages and HTTP handlers ask it; they never reach
    each other for a connection."""

    def __init__(self, path: Path | str | None, con: duckdb.DuckDBPyConnection | None = None):
        self.path = Path(path) if path is not None else None
        self._con = con
        self._opening = threading.Lock()
        self.write_lock, self.facts_lock = write_lock, facts_lock
        from dashboard.facts_update import FactsUpdate

        self.facts_update = FactsUpdate(lambda: self.con)

    @property
    def con(self) -> duckdb.DuckDBPyConnection:
        """The connection (opened on first use); each query takes its own cursor of it."""
        with self._opening:
            if self._con is None:
                self._con = connect(self.path)
            return self._con

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self.con.cursor()

    @contextmanager
    def write(self, *, facts: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """A write transaction on a cursor of its own (see `transaction`)."""
        cursor = self.cursor()
        try:
            with transaction(cursor, facts=facts):
                yield cursor
        finally:
            cursor.close()

    def request_facts_update(self) -> None:
        """Have the facts brought up to date in the background (after live events)."""
        self.facts_update.request()

    def bring_facts_up_to_date(self) -> bool:
        """Before a read: update the facts now if anything committed is not in them yet, so that
        no page shows figures behind the stored rows (docs/metrics.md, staleness). While an
        import runs (`loading`), it does not wait: the page reads the facts as they are, without
        the live events committed since the import began, and False says so."""
        cursor = self.cursor()
        try:
            if facts_are_stale(cursor):
                if loading.is_set():
                    return False
                with transaction(cursor, canonical=False):
                    catch_up(cursor)
            return True
        finally:
            cursor.close()

    def snapshot(self) -> Snapshot:
        """One read transaction, for figures that must agree with each other."""
        return Snapshot(self.con)


class Snapshot:
    """A read transaction whose queries all see the same committed state: figures read inside
    it cannot contradict each other because a write committed between two of them. Behaves as a
    connection for `queries.run` (its `cursor()` is itself)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._cursor = con.cursor()
        self._cursor.execute("begin transaction")

    def cursor(self) -> Snapshot:
        return self

    def execute(self, sql: str, params=None):
        return self._cursor.execute(sql, params or {})

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *exc) -> None:
        try:
            self._cursor.execute("rollback")  # nothing was written
        finally:
            self._cursor.close()


_databases: dict[Path, Database] = {}
_databases_lock = threading.Lock()


def for_process(path: Path | str | None = None) -> Database:
    """This process's owner of the database at `path` (default: settings.database_path())."""
    from dashboard.settings import database_path

    resolved = Path(database_path(path)).resolve()
    with _databases_lock:
        if resolved not in _databases:
            _databases[resolved] = Database(resolved)
        return _databases[resolved]


def open_for_reading(path: Path | str) -> tuple[duckdb.DuckDBPyConnection, str | None]:
    """A connection for a reader that must not write the file (`reach report`), with the facts
    up to date: when the stored facts are behind the stored rows (a server stopped before its
    facts update, e.g. killed), the database is copied into memory and brought up to date
    there. Returns the connection and, in that case, one sentence saying so."""
    con = connect(path, read_only=True)
    if not facts_are_stale(con):
        return con, None
    pending = _scalar(con, "select count(distinct person_id) from facts_pending")
    con.close()
    memory = duckdb.connect(":memory:")
    memory.execute("set TimeZone = 'UTC'")
    memory.execute(f"attach '{_quoted(path)}' as stored (read_only)")
    memory.execute("copy from database stored to memory")
    memory.execute("detach stored")
    initialise(memory, update_facts=False)
    with transaction(memory, canonical=False):
        catch_up(memory)
    return memory, (
        f"the stored figures were behind the stored events ({pending} persons not yet counted: the server "
        "stopped before updating them); these figures were brought up to date in memory, the file is unchanged"
    )


def _quoted(path: Path | str) -> str:
    return str(path).replace("'", "''")
