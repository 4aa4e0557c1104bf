"""Writing one imported file into the database: all of it in one transaction, or nothing."""

from __future__ import annotations

import gc
import hashlib
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import database, writes
from dashboard.identity import identity_key, normalise_email
from dashboard.imports import sandbox
from dashboard.imports.normalise import match_country, match_role
from dashboard.imports.parsing import EventRef, Parsed
from dashboard.imports.problems import FileRejected, Problem


@dataclass
class ImportResult:
    file_name: str
    status: str  # 'imported', 'unchanged' (same content imported before), 'rejected'
    problems: list[Problem] = field(default_factory=list)  # rejected, or rows skipped
    format: str | None = None
    encoding: str | None = None
    rows_read: int = 0
    records: int = 0
    persons: int = 0
    new_persons: int = 0
    events: int = 0
    import_id: int | None = None
    seconds: float = 0.0

    def summary(self, lang: str = "en") -> str:
        if self.status == "unchanged":
            return {"ru": f"{self.file_name}: уже импортирован ранее, ничего не изменилось",
                    "en": f"{self.file_name}: imported before, nothing changed"}[lang]  # fmt: skip
        if self.status == "rejected":
            head = {"ru": f"{self.file_name}: не импортирован, проблем: {len(self.problems)}",
                    "en": f"{self.file_name}: not imported, problems: {len(self.problems)}"}[lang]  # fmt: skip
            return "\n".join([head, *("  " + p.text(self.file_name, lang) for p in self.problems)])
        merge = f"{self.records} → {self.persons}"
        text = {
            "ru": f"{self.file_name}: импортирован — формат {self.format}, кодировка {self.encoding}, строк {self.rows_read}, "
            f"записей → людей {merge} (новых {self.new_persons}), вебинаров {self.events}, за {self.seconds:.1f} с",
            "en": f"{self.file_name}: imported — format {self.format}, encoding {self.encoding}, rows {self.rows_read}, "
            f"records → persons {merge} ({self.new_persons} new), webinars {self.events}, in {self.seconds:.1f} s",
        }[lang]
        if self.problems:
            skipped = {"ru": "  пропущены строки:", "en": "  rows skipped:"}[lang]
            text += "\n" + skipped + "\n" + "\n".join("  " + p.text(self.file_name, lang) for p in self.problems)
        return text


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def saved_aliases(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, str]]:
    """The country and role mappings analysts saved."""
    countries = dict(con.execute("select alias_key, iso2 from country_aliases").fetchall())
    roles = dict(con.execute("select value_key, role from role_aliases").fetchall())
    return countries, roles


def analyse(data: bytes, zone: str, mapping: dict | None = None, file_name: str | None = None) -> Parsed:
    """Read and parse a file without writing anything (the Data page's preview, and every import),
    in a child process with limits (sandbox.py): a hostile file is refused, never the server's end.
    `file_name`: the name the file came with (a BigBlueButton file's webinar is named by it)."""
    return sandbox.analyse(data, zone, mapping, sandbox.Limits.from_settings(), file_name=file_name)


_EARLY_START = 16 * 2**20  # bytes: a file this large takes longer to hash than the fork server to start


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector rescans every live object as millions of rows are
    allocated; paused, a million-row import reads much faster (BENCHMARKS.md)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_file(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    *,
    zone: str | None = None,
    mapping: dict | None = None,
    skip_bad_rows: bool = False,
) -> ImportResult:
    """Import one file: completely, or not at all; the same content again changes nothing."""
    with _collector_paused():
        return _import_file(con, data, file_name, zone=zone, mapping=mapping, skip_bad_rows=skip_bad_rows)


def _import_file(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    *,
    zone: str | None = None,
    mapping: dict | None = None,
    skip_bad_rows: bool = False,
) -> ImportResult:

    started = time.perf_counter()
    if len(data) > _EARLY_START:
        sandbox.start_server()  # ready by the time a large file is hashed
    digest = content_hash(data)
    before = con.execute("select import_id from imports where content_sha256 = $h", {"h": digest}).fetchall()
    if before:
        return ImportResult(file_name, "unchanged", import_id=before[0][0])
    zone = zone or database.programme_setting(con, "timezone") or "UTC"
    try:
        parsed = analyse(data, zone, mapping, file_name=file_name)
    except FileRejected as rejected:
        return ImportResult(file_name, "rejected", rejected.problems)
    except Exception as exc:  # a bug, never a traceback for the user
        return ImportResult(file_name, "rejected", [Problem("internal", values={"detail": type(exc).__name__})])
    result = ImportResult(file_name, "rejected", parsed.problems, parsed.format, parsed.encoding, parsed.rows_read)
    if parsed.problems and not skip_bad_rows:
        return result
    if len(parsed) == 0:
        result.problems = parsed.problems or [Problem("header_only")]
        return result
    try:
        try:
            _load(con, parsed, result, file_name, digest, zone, writers_wait=False)
        except duckdb.TransactionException:
            # a live batch committed a row this import wrote too (a person new to both): all of
            # it was rolled back; once more, with other writers waiting until it commits
            _load(con, parsed, result, file_name, digest, zone, writers_wait=True)
    except FileRejected as rejected:
        result.problems = rejected.problems
        return result
    except Exception as exc:  # rolled back; a bug, but never a traceback for the user
        result.problems = [Problem("internal", values={"detail": type(exc).__name__})]
        return result
    result.status = "imported"
    result.seconds = time.perf_counter() - started
    con.execute("update imports set seconds = $s where import_id = $i", {"s": result.seconds, "i": result.import_id})
    return result


def _load(con: duckdb.DuckDBPyConnection, parsed: Parsed, result: ImportResult, file_name: str, digest: str,
          zone: str, *, writers_wait: bool) -> None:  # fmt: skip
    """Write the file's rows and rebuild the facts in one transaction (database.load_transaction:
    live batches go on meanwhile unless `writers_wait`)."""
    with database.load_transaction(con, writers_wait=writers_wait):
        _write(con, parsed, result, file_name, digest, zone)
        database.refresh(con)


def _event_ids(con: duckdb.DuckDBPyConnection, events: list[EventRef], zone: str, import_id: int) -> list[int]:
    """Each event of the file matched to an existing one (same platform id; else same title and
    start date in the programme's zone), or created (as this import's: removing the import
    removes it if nothing else refers to it)."""
    ids = []
    for ev in events:
        found = []
        if ev.platform_event_id:
            found = con.execute(
                "select event_id from events where platform = $p and platform_event_id = $id",
                {"p": ev.platform, "id": ev.platform_event_id}).fetchall()  # fmt: skip
        day = ev.local_date or (ev.starts_at and _local_date(ev.starts_at, zone))
        if not found and ev.title and day:
            found = con.execute(
                "select event_id from events where lower(title) = lower($t) and programme_date(starts_at) = $d::date",
                {"t": ev.title, "d": day}).fetchall()  # fmt: skip
        if found:
            ids.append(found[0][0])
            # real data makes a webinar a rehearsal created a real one
            con.execute("update events set is_rehearsal = false where event_id = $e", {"e": found[0][0]})
            continue
        base = f"{ev.platform}-{ev.platform_event_id}" if ev.platform_event_id else f"{writes.slug(ev.title)}-{day}"
        ids.append(writes.add_webinar(con, writes.Webinar(
            key=writes.free_webinar_key(con, base), title=ev.title, topic=ev.title,
            starts_at=ev.starts_at or _midnight_utc(day, zone), planned_minutes=ev.planned_minutes,
            platform=ev.platform, platform_event_id=ev.platform_event_id, origin="import", import_id=import_id)))  # fmt: skip
    return ids


def _local_date(moment: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date().isoformat()


def _midnight_utc(day: str, zone: str) -> datetime:
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).replace(tzinfo=None)


# An e-mail of printable ASCII without spaces, in the shape identity.normalise_email accepts:
# strip() takes nothing from it and lower() is ASCII's, so its identity is computed in DuckDB
# (a million-row report has hundreds of thousands); any other is normalised in Python.
_PLAIN_EMAIL = r"regexp_full_match(email, '[!-~]+') and regexp_full_match(email, '[^@]+@[^@]+\.[^@]+')"


def _identities(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """(email, name, identity_key, email_norm) of each distinct (e-mail, name) of raw_records, as
    identity.identity_key and identity.normalise_email have them."""
    pairs = con.sql(f"""
        select email, name, case when {_PLAIN_EMAIL} then 'email:' || lower(email) end as identity_key,
               case when {_PLAIN_EMAIL} then lower(email) end as email_norm
        from (select distinct email, name from raw_records)
    """).to_arrow_table()  # noqa: S608 - a fixed expression
    plain = pc.is_valid(pairs["identity_key"])
    others = pairs.filter(pc.invert(plain)).select(["email", "name"]).to_pylist()
    rest = pa.table({
        "email": pa.array([r["email"] for r in others], pa.string()),
        "name": pa.array([r["name"] for r in others], pa.string()),
        "identity_key": pa.array([identity_key(r["email"], r["name"]) for r in others], pa.string()),
        "email_norm": pa.array([normalise_email(r["email"]) for r in others], pa.string()),
    })  # fmt: skip
    return pa.concat_tables([pairs.filter(plain).cast(rest.schema), rest])


def _records_table(con, parsed: Parsed, event_ids: list[int], saved: tuple[dict, dict]) -> pa.Table:
    """The file's records as an Arrow table, with identity keys, event ids and normalised
    country and role: each distinct (e-mail, name), country and occupation is normalised once
    in Python; the rows themselves stay in Arrow and DuckDB."""
    raw = parsed.arrow()
    saved_countries, saved_roles = saved
    con.register("raw_records", raw)
    try:
        identities = _identities(con)
        countries = [
            (c, match_country(c, saved_countries))
            for (c,) in con.execute(
                "select distinct country_raw from raw_records where country_raw is not null"
            ).fetchall()
        ]
        roles = [
            (o, match_role(o, saved_roles)[0])
            for (o,) in con.execute(
                "select distinct occupation_raw from raw_records where occupation_raw is not null"
            ).fetchall()
        ]
        con.register("identity_map", identities)
        con.register("country_map", pa.table({"raw": pa.array([c[0] for c in countries], pa.string()),
                                              "iso2": pa.array([c[1] for c in countries], pa.string())}))  # fmt: skip
        con.register("role_map", pa.table({"raw": pa.array([r[0] for r in roles], pa.string()),
                                           "role": pa.array([r[1] for r in roles], pa.string())}))  # fmt: skip
        con.register("event_map", pa.table({"event": pa.array(range(len(event_ids)), pa.int32()),
                                            "event_id": pa.array(event_ids, pa.int32())}))  # fmt: skip
        return con.sql("""
            select i.identity_key, i.email_norm, r.name, r.organisation, e.event_id, r.country_raw, c.iso2 as country,
                   r.occupation_raw, o.role, r.staff_role, r.registered_at, r.is_registration, r.joined_at, r.left_at,
                   r.is_country_declared
            from raw_records r
            join identity_map i on i.email is not distinct from r.email and i.name is not distinct from r.name
            join event_map e on e.event = r.event
            left join country_map c on c.raw = r.country_raw
            left join role_map o on o.raw = r.occupation_raw
            where i.identity_key is not null
        """).to_arrow_table()
    finally:
        for name in ("raw_records", "identity_map", "country_map", "role_map", "event_map"):
            con.unregister(name)


def _write(con, parsed: Parsed, result: ImportResult, file_name: str, digest: str, zone: str) -> None:
    import_id = writes.next_import_id(con)
    event_ids = _event_ids(con, parsed.events, zone, import_id)
    records = _records_table(con, parsed, event_ids, saved_aliases(con))
    con.register("import_records", records)
    try:
        new_persons = writes.add_persons(
            con,
            """(
            select identity_key, name, email_norm as email, organisation, false as is_rehearsal from import_records)""",
        )
        # A country the person declared (a registration form, a sheet, a registration question)
        # goes on the registration; one the platform saw (Zoom's Country/Region Name) stays on the
        # attendance rows (docs/metrics.md: a declaration comes first).
        con.execute(
            """
            insert into registrations (person_id, event_id, registered_at, source, country, role, country_raw, role_raw, import_id)
            select p.person_id, r.event_id, r.registered_at, $source,
                   case when r.is_country_declared then r.country end, r.role,
                   case when r.is_country_declared then r.country_raw end, r.occupation_raw, $import_id
            from import_records r join participants p using (identity_key)
            where r.is_registration
            qualify row_number() over (partition by p.person_id, r.event_id order by r.registered_at nulls last) = 1
        """,
            {"source": parsed.format, "import_id": import_id},
        )
        con.execute(
            """
            insert into attendance (person_id, event_id, joined_at, left_at, is_staff, staff_role, country, role,
                                    country_raw, role_raw, source, import_id)
            select p.person_id, r.event_id, r.joined_at, r.left_at, r.staff_role is not null, r.staff_role,
                   r.country, r.role, r.country_raw, r.occupation_raw, $source, $import_id
            from import_records r join participants p using (identity_key)
            where not r.is_registration
        """,
            {"source": parsed.format, "import_id": import_id},
        )
        persons = con.execute("select count(distinct identity_key) from import_records").fetchall()[0][0]
    finally:
        con.unregister("import_records")
    for ev, event_id in zip(parsed.events, event_ids, strict=True):
        for figure, value in ev.stated.items():
            con.execute("insert into platform_figures values ($e, $i, $f, $v)",
                        {"e": event_id, "i": import_id, "f": figure, "v": value})  # fmt: skip
    result.records = records.num_rows
    result.persons = int(persons)
    result.new_persons = int(new_persons)
    result.events = len(set(event_ids))
    result.import_id = import_id
    con.execute(
        "insert into imports values ($id, $name, $sha, $fmt, $enc, $tz, $rows, $records, $persons, $new, $events,"
        " $skipped, $at, 0)",
        {"id": import_id, "name": file_name, "sha": digest, "fmt": parsed.format, "enc": parsed.encoding,
         "tz": zone, "rows": parsed.rows_read, "records": result.records, "persons": result.persons,
         "new": result.new_persons, "events": result.events, "skipped": len(parsed.problems),
         "at": datetime.now(UTC).replace(tzinfo=None)})  # fmt: skip
