"""A batch of live events (POST /api/v1/events) validated into canonical events.

Every problem names the field and what is wrong, for a 400 answer; nothing is half-read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from dashboard.identity import identity_key
from dashboard.imports.normalise import match_country, match_role

MAX_BODY_BYTES = 1024 * 1024
MAX_EVENTS = 1000
MAX_TEXT = 500
# Live events are about now: an event more than this far from the server's clock is refused
# (a year-1 or year-9999 event once stretched the date filter across millennia).
PAST_WINDOW = timedelta(days=400)
FUTURE_WINDOW = timedelta(days=1)


class BadRequest(Exception):
    """The body is not a valid batch; `field` names where (e.g. events[3].at)."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem

    def json(self) -> dict:
        return {"error": f"{self.field}: {self.problem}", "field": self.field}


class TooLarge(Exception):
    """The body is over MAX_BODY_BYTES (413)."""


@dataclass(frozen=True)
class LiveEvent:
    id: str
    event_key: str
    event_title: str | None
    type: str  # 'join' or 'leave'
    at: datetime  # UTC, whole seconds
    identity_key: str
    email: str | None
    name: str | None
    country: str | None  # ISO alpha-2, or None when not given or not matched
    country_raw: str | None
    role: str | None  # role code, or None when not stated
    role_raw: str | None
    rehearsal: bool = False  # sent by `reach live simulate`: kept apart from the programme's figures


def _text(item: dict, key: str, where: str, required: bool = False) -> str | None:
    value = item.get(key)
    if value is None:
        if required:
            raise BadRequest(f"{where}.{key}", "is required")
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{where}.{key}", "must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(f"{where}.{key}", "holds a character that is not text (a lone surrogate)") from None
    value = value.strip()
    if required and not value:
        raise BadRequest(f"{where}.{key}", "must not be empty")
    if len(value) > MAX_TEXT:
        raise BadRequest(f"{where}.{key}", f"is longer than {MAX_TEXT} characters")
    return value or None


def _moment(text: str, where: str, now: datetime | None) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadRequest(
            f"{where}.at", "must be an ISO 8601 time with an offset, e.g. 2026-10-01T11:00:00+05:00"
        ) from None
    if moment.tzinfo is None:
        raise BadRequest(f"{where}.at", "needs a UTC offset, e.g. +05:00 or Z")
    try:
        moment = moment.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00+05:00 has no UTC time
        raise BadRequest(f"{where}.at", "is outside the range of times") from None
    if now is not None and not now - PAST_WINDOW <= moment <= now + FUTURE_WINDOW:
        raise BadRequest(f"{where}.at", "must lie within 400 days before and 1 day after the server's time")
    return moment.replace(tzinfo=None, microsecond=0)


def parse_event(item, where: str, now: datetime | None = None) -> LiveEvent:
    if not isinstance(item, dict):
        raise BadRequest(where, "must be an object")
    kind = _text(item, "type", where, required=True)
    if kind not in ("join", "leave"):
        raise BadRequest(f"{where}.type", "must be 'join' or 'leave'")
    email, name = _text(item, "email", where), _text(item, "name", where)
    key = identity_key(email, name)
    if key is None:
        raise BadRequest(where, "needs a usable email or a name")
    country_raw, role_raw = _text(item, "country", where), _text(item, "role", where)
    return LiveEvent(
        id=_text(item, "id", where, required=True),
        event_key=_text(item, "event", where, required=True),
        event_title=_text(item, "event_title", where),
        type=kind,
        at=_moment(_text(item, "at", where, required=True), where, now),
        identity_key=key, email=email, name=name,
        country=match_country(country_raw), country_raw=country_raw,
        role=match_role(role_raw)[0], role_raw=role_raw,
    )  # fmt: skip


def parse_json(body: bytes):
    """The JSON document of a body, or BadRequest (never an error of the parser itself)."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("body", "must be JSON") from None
    except RecursionError:
        raise BadRequest("body", "is nested too deeply") from None


def parse_batch(body: bytes, now: datetime | None = None) -> list[LiveEvent]:
    """All events of a batch, or BadRequest / TooLarge; duplicate ids within a batch are one event.
    With `now` (the API's clock), times far from it are refused."""
    if len(body) > MAX_BODY_BYTES:
        raise TooLarge()
    document = parse_json(body)
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise BadRequest("events", 'must be a list: {"events": [...]}')
    items = document["events"]
    rehearsal = document.get("rehearsal", False)
    if not isinstance(rehearsal, bool):
        raise BadRequest("rehearsal", "must be true or false")
    if len(items) > MAX_EVENTS:
        raise BadRequest("events", f"holds {len(items)} events; at most {MAX_EVENTS} a batch")
    seen: dict[str, LiveEvent] = {}
    for index, item in enumerate(items):
        event = parse_event(item, f"events[{index}]", now)
        seen.setdefault(event.id, replace(event, rehearsal=rehearsal))
    return list(seen.values())


ZOOM_TYPES = {"webinar.participant_joined": ("join", "join_time"), "webinar.participant_left": ("leave", "leave_time")}


def zoom_webhook_event(document, now: datetime | None = None) -> LiveEvent | None:
    """A Zoom webinar.participant_joined / participant_left notification as a live event;
    None for other notifications (they are acknowledged and ignored)."""
    if not isinstance(document, dict):
        raise BadRequest("body", "must be a JSON object")
    kind = ZOOM_TYPES.get(document.get("event")) if isinstance(document.get("event"), str) else None
    if kind is None:
        return None
    payload = document.get("payload")
    obj = payload.get("object") if isinstance(payload, dict) else None
    if not isinstance(obj, dict) or not isinstance(obj.get("participant"), dict):
        raise BadRequest("payload.object.participant", "is required")
    person = obj["participant"]
    webinar_id = "".join(ch for ch in str(obj.get("id", ""))[:40] if ch in "0123456789")
    if not webinar_id:
        raise BadRequest("payload.object.id", "must be the webinar id")
    at_text = person.get(kind[1])
    if not isinstance(at_text, str):
        raise BadRequest(f"payload.object.participant.{kind[1]}", "is required")
    email = person.get("email") if isinstance(person.get("email"), str) else None
    name = person.get("user_name") if isinstance(person.get("user_name"), str) else None
    return parse_event({
        "id": f"zoom:{webinar_id}:{_zoom_identity(person, email, name, at_text)}:{kind[0]}:{at_text}",
        "event": f"zoom-{webinar_id}",
        "event_title": obj.get("topic") if isinstance(obj.get("topic"), str) else None,
        "type": kind[0],
        "at": at_text.replace("Z", "+00:00"),
        "email": email,
        "name": name,
    }, "payload.object.participant", now)  # fmt: skip


def _zoom_identity(person: dict, email: str | None, name: str | None, at_text: str) -> str:
    """Who a Zoom notification is about, for its event id: Zoom's participant id when it sends
    one; else the e-mail, else the name — two guests without an id joining in the same second are
    two people, not a duplicate."""
    for key in ("participant_uuid", "user_id", "id"):  # as ids were always made: a resend stays a duplicate
        value = person.get(key)
        if isinstance(value, (str, int)) and str(value):
            return str(value)
    return f"email={(email or '').strip().lower()}|name={(name or '').strip()}"
