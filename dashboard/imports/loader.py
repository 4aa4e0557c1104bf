"""Writing one imported file into the database: all of it in one transaction, or nothing."""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import duckdb
import pandas as pd

from dashboard import database
from dashboard.identity import identity_key, normalise_email
from dashboard.imports import reading
from dashboard.imports.normalise import key, match_country, match_role
from dashboard.imports.parsing import EventRef, Parsed, parse
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


def analyse(data: bytes, zone: str, mapping: dict | None = None) -> Parsed:
    """Read and parse a file without writing anything (the Data page's preview)."""
    return parse(reading.read(data), zone, mapping)


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
    started = time.perf_counter()
    digest = content_hash(data)
    before = con.execute("select import_id from imports where content_sha256 = $h", {"h": digest}).fetchall()
    if before:
        return ImportResult(file_name, "unchanged", import_id=before[0][0])
    zone = zone or database.programme_setting(con, "timezone") or "UTC"
    try:
        parsed = analyse(data, zone, mapping)
    except FileRejected as rejected:
        return ImportResult(file_name, "rejected", rejected.problems)
    except Exception as exc:  # a damaged file must never surface as a traceback
        return ImportResult(file_name, "rejected", [Problem("binary", values={"detail": type(exc).__name__})])
    result = ImportResult(file_name, "rejected", parsed.problems, parsed.format, parsed.encoding, parsed.rows_read)
    if parsed.problems and not skip_bad_rows:
        return result
    if len(parsed) == 0:
        result.problems = parsed.problems or [Problem("header_only")]
        return result
    try:
        with database.transaction(con):
            _write(con, parsed, result, file_name, digest, zone)
            database.refresh(con)
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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9а-я]+", "-", key(text))[:40].strip("-") or "webinar"


def _event_ids(con: duckdb.DuckDBPyConnection, events: list[EventRef], zone: str) -> list[int]:
    """Each event of the file matched to an existing one (same platform id; else same title and
    start date in the programme's zone), or created."""
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
            continue
        starts_at = ev.starts_at or _midnight_utc(day, zone)
        new_id = con.execute("select coalesce(max(event_id), 0) + 1 from events").fetchall()[0][0]
        base = f"{ev.platform}-{ev.platform_event_id}" if ev.platform_event_id else f"{_slug(ev.title)}-{day}"
        event_key, n = base, 1
        while con.execute("select 1 from events where event_key = $k", {"k": event_key}).fetchall():
            n += 1
            event_key = f"{base}-{n}"
        con.execute(
            "insert into events (event_id, event_key, title, topic, starts_at, planned_minutes, platform, platform_event_id)"
            " values ($id, $key, $title, $title, $start, $planned, $platform, $pid)",
            {"id": new_id, "key": event_key, "title": ev.title, "start": starts_at, "planned": ev.planned_minutes,
             "platform": ev.platform, "pid": ev.platform_event_id})  # fmt: skip
        ids.append(new_id)
    return ids


def _local_date(moment: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date().isoformat()


def _midnight_utc(day: str, zone: str) -> datetime:
    from zoneinfo import ZoneInfo

    local = datetime.fromisoformat(day).replace(tzinfo=ZoneInfo(zone))
    return local.astimezone(UTC).replace(tzinfo=None)


def _records_frame(parsed: Parsed, event_ids: list[int], saved: tuple[dict, dict]) -> pd.DataFrame:
    """The file's records with identity keys, event ids, and normalised country and role."""
    records = parsed.records
    saved_countries, saved_roles = saved
    identities: dict = {}
    keys, emails = [], []
    for email, name in zip(records["email"], records["name"], strict=True):
        pair = (email, name)
        if pair not in identities:
            identities[pair] = (identity_key(_text(email), _text(name)), normalise_email(_text(email)))
        keys.append(identities[pair][0])
        emails.append(identities[pair][1])
    countries = {raw: match_country(_text(raw), saved_countries) for raw in set(records["country_raw"]) if raw}
    roles = {raw: match_role(_text(raw), saved_roles)[0] for raw in set(records["occupation_raw"]) if raw}
    frame = pd.DataFrame(
        {
            **{name: pd.Series(values, dtype=object) for name, values in records.items()},
            "identity_key": keys,
            "email_norm": emails,
            "event_id": [event_ids[i] for i in records["event"]],
            "country": [countries.get(raw) for raw in records["country_raw"]],
            "role": [roles.get(raw) for raw in records["occupation_raw"]],
        }
    )
    for column in ("registered_at", "joined_at", "left_at"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def _text(value) -> str | None:
    """Cells are text or None; a spreadsheet number (an id, a year) becomes text."""
    return None if value is None else str(value)


def _write(con, parsed: Parsed, result: ImportResult, file_name: str, digest: str, zone: str) -> None:
    event_ids = _event_ids(con, parsed.events, zone)
    frame = _records_frame(parsed, event_ids, saved_aliases(con))
    import_id = con.execute("select coalesce(max(import_id), 0) + 1 from imports").fetchall()[0][0]
    persons = frame.drop_duplicates("identity_key")[["identity_key", "name", "email_norm", "organisation"]]
    con.register("import_persons", persons)
    new_persons = con.execute("""
        insert into participants (person_id, identity_key, display_name, email, organisation)
        select (select coalesce(max(person_id), 0) from participants) + row_number() over (order by p.identity_key),
               p.identity_key, p.name, p.email_norm, p.organisation
        from import_persons p
        where p.identity_key not in (select identity_key from participants)
    """).fetchall()[0][0]
    con.unregister("import_persons")
    ids = dict(con.execute("select identity_key, person_id from participants where identity_key in "
                           "(select unnest($keys))", {"keys": list(persons["identity_key"])}).fetchall())  # fmt: skip
    frame["person_id"] = frame["identity_key"].map(ids)
    frame["import_id"] = import_id
    # Zoom's country is where the platform saw the person, not a declaration: it goes on the
    # attendance rows; a sheet's country was declared on the form.
    declared = parsed.format != "zoom-attendee"
    registrations = frame[frame["is_registration"].astype(bool)].assign(
        country=lambda d: d["country"] if declared else None,
        country_raw=lambda d: d["country_raw"] if declared else None,
        source=parsed.format,
    )
    registrations = registrations.sort_values("registered_at", na_position="last").drop_duplicates(
        ["person_id", "event_id"]
    )
    con.register(
        "import_registrations",
        registrations[
            [
                "person_id",
                "event_id",
                "registered_at",
                "source",
                "country",
                "role",
                "country_raw",
                "occupation_raw",
                "import_id",
            ]
        ],
    )
    con.execute("""
        insert into registrations (person_id, event_id, registered_at, source, country, role, country_raw, role_raw, import_id)
        select person_id, event_id, registered_at, source, country, role, country_raw, occupation_raw, import_id
        from import_registrations
        on conflict (person_id, event_id) do update set
            registered_at = coalesce(least(registrations.registered_at, excluded.registered_at), excluded.registered_at),
            country = coalesce(registrations.country, excluded.country),
            country_raw = coalesce(registrations.country_raw, excluded.country_raw),
            role = coalesce(registrations.role, excluded.role),
            role_raw = coalesce(registrations.role_raw, excluded.role_raw)
    """)  # fmt: skip
    con.unregister("import_registrations")
    attendance = frame[~frame["is_registration"].astype(bool)].assign(
        is_staff=lambda d: d["staff_role"].notna(), source=parsed.format
    )
    con.register("import_attendance", attendance[
        ["person_id", "event_id", "joined_at", "left_at", "is_staff", "staff_role", "country", "role",
         "country_raw", "occupation_raw", "source", "import_id"]])  # fmt: skip
    con.execute("""
        insert into attendance (person_id, event_id, joined_at, left_at, is_staff, staff_role, country, role,
                                country_raw, role_raw, source, import_id)
        select person_id, event_id, joined_at, left_at, is_staff, staff_role, country, role,
               country_raw, occupation_raw, source, import_id
        from import_attendance
    """)
    con.unregister("import_attendance")
    for ev, event_id in zip(parsed.events, event_ids, strict=True):
        for figure, value in ev.stated.items():
            con.execute("insert into platform_figures values ($e, $i, $f, $v)",
                        {"e": event_id, "i": import_id, "f": figure, "v": value})  # fmt: skip
    result.records = len(frame)
    result.persons = len(persons)
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
