"""Starting a webinar from the live view: one that no platform report or live event has
created yet (a session in a room, whose audience checks in)."""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb

from dashboard import database, writes

MAX_TITLE = 200
MINUTES = (10, 600)


class WebinarProblem(Exception):
    """A field of the new-webinar form is unusable; `text` is the i18n key of the message."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def new_webinar(con: duckdb.DuckDBPyConnection, title: str, starts_at: datetime, planned_minutes: int) -> str:
    """Create the webinar and return its key, `live-<UTC date>-<UTC time>` (with -2, -3… when
    taken). Its facts are rebuilt by the background update (database.facts_are_stale)."""
    title = " ".join((title or "").split())
    if not title or len(title) > MAX_TITLE:
        raise WebinarProblem("live_new_bad_title")
    if not MINUTES[0] <= planned_minutes <= MINUTES[1]:
        raise WebinarProblem("live_new_bad_minutes")
    start = starts_at.astimezone(UTC).replace(tzinfo=None, second=0, microsecond=0)
    base = "live-" + start.strftime("%Y%m%d-%H%M")
    with database.transaction(con, facts=False):
        key = writes.free_webinar_key(con, base)
        writes.add_webinar(con, writes.Webinar(key=key, title=title, starts_at=start, planned_minutes=planned_minutes,
                                               platform="live", origin="live-view"))  # fmt: skip
    return key
