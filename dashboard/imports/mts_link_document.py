"""An MTS Link API pull (mts_link_api.pull) as canonical records: webinars, attendance intervals,
registrations — the same all-or-nothing import as a file, run in the import sandbox.

- Each event session is a webinar (platform 'mts-link', its session id the platform's id; its
  name, start and planned length from startsAt/endsAt).
- Each connection is one attendance interval [joined, leaved): a rejoin is another connection.
  A connection without `leaved` ends after its `duration` seconds, else at the session's end.
  Its `country` is where the platform saw the person (an observation, not a declaration).
- Each participation is a registration (registerDate); its role says who is staff.
- The registration form's additional fields are columns headed by their label: occupation,
  country and organisation questions are recognised as in imported files, a country answered
  there is declared, and the rest are listed as unused, for the analyst's mapping.
- At open-entry webinars an uninvited visitor's e-mail reads "гость" (guest): never an identity.
"""

from __future__ import annotations

import json

from dashboard.imports.normalise import key
from dashboard.imports.parsing import (
    PERSON_FIELDS,
    EventRef,
    Parsed,
    _full_name,
    columns_found,
    header_fields,
)
from dashboard.imports.problems import FileRejected, Problem
from dashboard.imports.times import parse_time

KIND = "mts-link-api"
FORMAT = "mts-link-api"
# The person's own fields, as columns before the form's additional fields.
BASE_HEADER = ["Email", "Фамилия", "Имя", "Отчество", "Организация", "Должность"]
GUEST_EMAILS = frozenset({"гость", "guest"})
# Participation roles that make someone staff of the session (unverified names: docs/imports.md).
STAFF_ROLES = {"admin": "host", "administrator": "host", "owner": "host", "organizer": "host",
               "moderator": "co-host", "lecturer": "panelist", "speaker": "panelist", "presenter": "panelist",
               "администратор": "host", "ведущий": "host", "модератор": "co-host", "лектор": "panelist"}  # fmt: skip


def is_document(data: bytes) -> bool:
    """Whether bytes are a pull document (checked cheaply before any table reading)."""
    head = data[:200].lstrip()
    return head.startswith(b"{") and f'"kind":"{KIND}"'.encode() in data[:4096]


def _text(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _email(value) -> str | None:
    text = _text(value)
    return None if text is None or key(text) in GUEST_EMAILS else text


def _fields(record: dict) -> list[tuple[str, str | None]]:
    """(label, value) of a record's additionalFieldValues."""
    out = []
    for item in record.get("additionalFieldValues") or []:
        if isinstance(item, dict) and _text(item.get("label")):
            out.append((_text(item["label"]), _text(item.get("value"))))
    return out


class _Document:
    def __init__(self, data: bytes):
        try:
            document = json.loads(data)
        except ValueError:
            raise FileRejected([Problem("unrecognised")]) from None
        if not isinstance(document, dict) or document.get("kind") != KIND:
            raise FileRejected([Problem("unrecognised")])
        self.users = [u for u in document.get("users") or [] if isinstance(u, dict)]
        raw = document.get("participations") or {}
        self.participations = {str(k): [p for p in v if isinstance(p, dict)] for k, v in raw.items()
                               if isinstance(v, list)}  # fmt: skip

    def labels(self) -> list[str]:
        """Every additional field's label, in the order first met."""
        seen: dict[str, None] = {}
        records = [s for u in self.users for s in u.get("eventSessions") or [] if isinstance(s, dict)]
        records += [p for ps in self.participations.values() for p in ps]
        for record in records:
            for label, _ in _fields(record):
                seen.setdefault(label, None)
        return list(seen)


def parse_document(data: bytes, zone: str, mapping: dict | None = None) -> Parsed:
    """The records of a pull document; every problem named (a file with problems writes nothing)."""
    doc = _Document(data)
    header = BASE_HEADER + [label for label in doc.labels() if label not in BASE_HEADER]
    cols = header_fields(header, (mapping or {}).get("columns"), PERSON_FIELDS)
    parsed = Parsed(FORMAT, "utf-8", None, {})
    parsed.mapping, parsed.extra_headers = columns_found(header, cols, FORMAT)
    builder = _Builder(parsed, header, cols, zone)
    for user in doc.users:
        for session in user.get("eventSessions") or []:
            if isinstance(session, dict):
                builder.attendance(user, session, doc.participations.get(str(session.get("id")), []))
    for session_id, people in doc.participations.items():
        for person in people:
            builder.registration(session_id, person)
    if parsed.rows_read == 0:
        raise FileRejected([Problem("header_only")])
    return parsed


class _Builder:
    def __init__(self, parsed: Parsed, header: list[str], cols: dict[str, int], zone: str):
        self.parsed, self.header, self.cols, self.zone = parsed, header, cols, zone
        self.events: dict[str, int] = {}
        self.ends: dict[str, object] = {}  # session id -> its end (UTC), for connections never left

    def _row(self, who: dict, fields: list[tuple[str, str | None]]) -> list:
        values = dict(fields)
        base = [_email(who.get("email")), _text(who.get("secondName")), _text(who.get("name")),
                _text(who.get("pattrName")), _text(who.get("organization")), _text(who.get("position"))]  # fmt: skip
        return base + [values.get(label) for label in self.header[len(BASE_HEADER) :]]

    def _cell(self, row: list, fld: str):
        index = self.cols.get(fld)
        return row[index] if index is not None else None

    def _time(self, value, line: int, what: str):
        try:
            return parse_time(value, self.zone) if _text(value) else None
        except ValueError:
            self.parsed.problems.append(Problem("bad_time", line=line, column=what, values={"value": value}))
            return False

    def _event(self, session: dict, line: int) -> int | None:
        session_id = str(session.get("id"))
        if session_id in self.events:
            return self.events[session_id]
        starts, ends = (
            self._time(session.get("startsAt"), line, "startsAt"),
            self._time(session.get("endsAt"), line, "endsAt"),
        )
        if starts is False or ends is False:
            return None
        planned = round((ends - starts).total_seconds() / 60) if starts and ends and ends > starts else None
        self.parsed.events.append(EventRef(title=_text(session.get("name")) or f"MTS Link {session_id}",
                                           starts_at=starts, platform="mts-link", platform_event_id=session_id,
                                           planned_minutes=planned, start_stated=starts is not None))  # fmt: skip
        self.events[session_id] = len(self.parsed.events) - 1
        self.ends[session_id] = ends
        return self.events[session_id]

    def _person(self, line: int, event: int, who: dict, fields, staff_role) -> tuple[tuple, str | None] | None:
        row = self._row(who, fields)
        email, name = self._cell(row, "email"), _full_name(row, self.cols)
        if not email and not name:
            self.parsed.problems.append(Problem("no_person", line=line))
            return None
        person = (line, event, email, name, self._cell(row, "organisation"), self._cell(row, "occupation"), staff_role)
        return person, self._cell(row, "country")

    def attendance(self, user: dict, session: dict, registered: list[dict]) -> None:
        self.parsed.rows_read += 1
        line = self.parsed.rows_read
        event = self._event(session, line)
        if event is None:
            return
        found = self._person(line, event, user, _fields(session), _staff_role(user, registered))
        if found is None:
            return
        person, declared = found
        for connection in session.get("connections") or []:
            if not isinstance(connection, dict):
                continue
            joined = self._time(connection.get("joined"), line, "joined")
            left = self._time(connection.get("leaved"), line, "leaved")
            if joined is False or left is False:
                continue
            if joined is None:
                self.parsed.problems.append(Problem("no_times", line=line))
                continue
            if left is None:
                left = _end_of(joined, connection.get("duration"), self.ends.get(str(session.get("id"))))
            if left is None or left < joined:
                self.parsed.problems.append(Problem("no_times" if left is None else "leave_before_join", line=line,
                                                    values={"joined": connection.get("joined"),
                                                            "left": connection.get("leaved")}))  # fmt: skip
                continue
            observed = _text(connection.get("country"))
            country = (declared, True) if declared else (observed, False)
            self.parsed.attendance(person, country, joined, left)

    def registration(self, session_id: str, who: dict) -> None:
        self.parsed.rows_read += 1
        line = self.parsed.rows_read
        event = self.events.get(session_id)
        if event is None:  # a session nobody attended in the period: no name or start to file it under
            return
        staff = STAFF_ROLES.get(key(str(who.get("role") or "")))
        if staff:  # the session's staff registered to run it: no audience, no registrant
            return
        found = self._person(line, event, who, _fields(who), None)
        if found is None:
            return
        person, declared = found
        registered_at = self._time(who.get("registerDate"), line, "registerDate")
        if registered_at is False:
            return
        self.parsed.registration(person, (declared, True), registered_at)


def _staff_role(user: dict, registered: list[dict]) -> str | None:
    """The staff role of an attending user, from the session's participation with the same e-mail
    (the users endpoint carries no role)."""
    email = (_email(user.get("email")) or "").lower()
    for person in registered:
        if email and (_email(person.get("email")) or "").lower() == email:
            return STAFF_ROLES.get(key(str(person.get("role") or "")))
    return None


def _end_of(joined, seconds, session_end):
    """A connection without a leave time: joined + its duration, else the session's end."""
    from datetime import timedelta

    if isinstance(seconds, int | float) and not isinstance(seconds, bool) and 0 <= seconds <= 86_400:
        return joined + timedelta(seconds=int(seconds))
    return session_end if session_end and session_end >= joined else None
