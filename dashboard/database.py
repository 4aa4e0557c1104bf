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
# (dashboard/live/refresher.py) takes only this one, so ingest keeps committing meanwhile: its
# transactions only add rows, and the rebuild only replaces derived tables and updates the
# derived columns of the persons it can see. Take write_lock first when taking both.
facts_lock = threading.RLock()


class DatabaseError(Exception):
    """A database that cannot be opened or used; the message is for the user."""


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
        raise DatabaseError(f"database {path} does not exist")
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise DatabaseError(
                f"database {path} is in use by another process (a running `reach serve`?); "
                "stop it, or work on a copy of the file"
            ) from exc
        raise DatabaseError(f"cannot open database {path}: {exc}") from exc
    con.execute("set TimeZone = 'UTC'")
    if not read_only:
        initialise(con)
    return con


def connect_memory() -> duckdb.DuckDBPyConnection:
    """An empty in-memory database with schema and reference data (tests, benchmarks)."""
    con = duckdb.connect(":memory:")
    con.execute("set TimeZone = 'UTC'")
    initialise(con)
    return con


def initialise(con: duckdb.DuckDBPyConnection) -> None:
    """Create the schema, macros and reference tables if they are missing."""
    _run_script(con, "schema.sql")
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
    if facts_are_stale(con):
        with transaction(con):
            refresh(con)


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


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild person attributes and the facts tables after a load (call inside a transaction),
    and note how many live events they cover."""
    max_slot = max(_scalar(con, "select count(*) from events") - 1, 0)
    script = (SQL_DIR / "derive.sql").read_text(encoding="utf-8")
    for statement in con.extract_statements(script):
        params = {"max_slot": max_slot} if "max_slot" in statement.named_parameters else {}
        con.execute(statement.query, params)
    _run_script(con, "selections.sql")
    set_programme_setting(con, FACTS_COVER, str(_scalar(con, "select count(*) from live_events")))


# The number of live events the derived facts were built from. Live events are committed before
# the facts are rebuilt (dashboard/live/refresher.py); a server stopped in between leaves the
# facts behind, and the next writable open rebuilds them.
FACTS_COVER = "facts_live_events"


def facts_are_stale(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the derived facts are missing or older than the live events."""
    if not _scalar(con, "select count(*) from duckdb_tables() where table_name = 'event_peaks'"):
        return True
    covered = programme_setting(con, FACTS_COVER)
    return covered != str(_scalar(con, "select count(*) from live_events"))


def programme_setting(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = con.cursor().execute("select value from programme where key = $k", {"k": key}).fetchall()
    return rows[0][0] if rows else None


def set_programme_setting(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("insert or replace into programme values ($k, $v)", {"k": key, "v": value})
