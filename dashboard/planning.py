"""Webinars planned ahead: a webinar on a platform that exports no attendance (Яндекс Телемост,
Контур.Толк, Pruffme…) gets its registrations from an imported sheet and its attendance from the
audience check-in, so it must exist before either arrives (docs/imports.md, "Platforms with no
attendance export"). The Data page and `reach webinar add` both come here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import duckdb

from dashboard import writes

# Platform codes as stored in events.platform; imports write the first five themselves.
PLATFORMS = ("mts-link", "bbb", "zoom", "webex", "telemost", "tolk", "pruffme", "other")
NO_EXPORT = frozenset({"telemost", "tolk", "pruffme", "other"})
MAX_TITLE = 200
MAX_SERIES = 100
_START = re.compile(r"\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})\s*")


class PlanProblem(Exception):
    """What is wrong with a planned webinar: `field` names the form's field, `code` the message
    (i18n key plan_<code>), `values` its placeholders."""

    def __init__(self, field: str, code: str, **values):
        super().__init__(f"{field}: {code}")
        self.field, self.code, self.values = field, code, values


@dataclass(frozen=True)
class Plan:
    title: str
    start: str  # "YYYY-MM-DD HH:MM" in the programme's time zone
    minutes: int
    platform: str
    series: str | None = None


def starts_at(text: str, zone: str) -> datetime:
    """A local "YYYY-MM-DD HH:MM" as UTC (naive)."""
    match = _START.fullmatch(text or "")
    if not match:
        raise PlanProblem("start", "bad_start", value=text)
    year, month, day, hour, minute = (int(g) for g in match.groups())
    try:
        local = datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone))
    except ValueError:
        raise PlanProblem("start", "bad_start", value=text) from None
    return local.astimezone(UTC).replace(tzinfo=None)


def checked(plan: Plan, zone: str) -> tuple[str, datetime, int, str, str | None]:
    """(title, start in UTC, minutes, platform, series) of a plan, or PlanProblem for the first
    field that is wrong."""
    title = " ".join((plan.title or "").split())
    if not title:
        raise PlanProblem("title", "no_title")
    if len(title) > MAX_TITLE:
        raise PlanProblem("title", "long_title", limit=MAX_TITLE)
    start = starts_at(plan.start, zone)
    if not isinstance(plan.minutes, int) or isinstance(plan.minutes, bool) or not 1 <= plan.minutes <= 1440:
        raise PlanProblem("minutes", "bad_minutes", value=plan.minutes)
    if plan.platform not in PLATFORMS:
        raise PlanProblem("platform", "bad_platform", value=plan.platform, choices=", ".join(PLATFORMS))
    series = " ".join((plan.series or "").split()) or None
    if series and len(series) > MAX_SERIES:
        raise PlanProblem("series", "long_series", limit=MAX_SERIES)
    return title, start, plan.minutes, plan.platform, series


def plan_webinar(con: duckdb.DuckDBPyConnection, plan: Plan, zone: str) -> str:
    """Add the planned webinar (inside the caller's transaction); returns its key. A webinar of the
    same title on the same day exists already: PlanProblem naming its key (imports and check-ins
    would be filed under it anyway)."""
    title, start, minutes, platform, series = checked(plan, zone)
    day = start.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date().isoformat()
    same = con.execute(
        "select event_key from events where lower(title) = lower($t) and programme_date(starts_at) = $d::date",
        {"t": title, "d": day},
    ).fetchall()
    if same:
        raise PlanProblem("title", "exists", event_key=same[0][0])
    event_key = writes.free_webinar_key(con, f"{writes.slug(title)}-{day}")
    writes.add_webinar(con, writes.Webinar(key=event_key, title=title, topic=title, starts_at=start,
                                           planned_minutes=minutes, series=series, platform=platform,
                                           origin="planned"))  # fmt: skip
    return event_key
