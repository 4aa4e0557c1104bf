"""Audience check-in (GET and POST /checkin): a participant of the webinar open now picks a
country and a role; the check-in is stored as a join event of that webinar by an anonymous
person (docs/metrics.md, "Check-in").

Limits: one check-in per browser session (a session cookie; its id makes the event id, so a
second submission is a duplicate and changes nothing), a rate limit per client address, and
only countries and roles from the reference tables.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict, deque
from datetime import UTC, datetime
from urllib.parse import parse_qs

import pandas as pd
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from dashboard import queries
from dashboard.filters import ALL
from dashboard.i18n import language, t
from dashboard.live import api
from dashboard.live.checkin_page import form_page, message_page, page_link
from dashboard.live.events import LiveEvent, TooLarge
from dashboard.settings import checkin_limit

COOKIE = "reach_checkin"
MAX_FORM_BYTES = 4096
_SESSION = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class RateLimiter:
    """At most `limit` attempts per address in any `window` seconds (a sliding window).
    Remembers at most `max_addresses` addresses, forgetting the least recently seen."""

    def __init__(self, limit: int, window: float = 60.0, clock=time.monotonic, max_addresses: int = 10_000):
        self.limit, self.window, self.clock, self.max_addresses = limit, window, clock, max_addresses
        self._attempts: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, address: str) -> float:
        """Record an attempt from `address`: 0 when allowed, else the seconds until the next is."""
        now = self.clock()
        with self._lock:
            times = self._attempts.pop(address, None) or deque()
            while times and times[0] <= now - self.window:
                times.popleft()
            self._attempts[address] = times
            if len(self._attempts) > self.max_addresses:
                self._attempts.popitem(last=False)
            if len(times) >= self.limit:
                return times[0] + self.window - now
            times.append(now)
            return 0.0


limiter = RateLimiter(checkin_limit())


def event_id(event_key: str, session: str) -> str:
    return f"checkin:{event_key}:{session}"


def checkin_event(event_key: str, session: str, country: str, role: str, at: datetime) -> LiveEvent:
    """The join event a check-in stands for: an anonymous person per browser session."""
    return LiveEvent(
        id=event_id(event_key, session), event_key=event_key, event_title=None, type="join",
        at=at.astimezone(UTC).replace(tzinfo=None, microsecond=0), identity_key=f"checkin:{session}",
        email=None, name=None, country=country, country_raw=country, role=role, role_raw=role,
    )  # fmt: skip


def _now() -> datetime:
    return datetime.now(UTC)


def _webinar(event_key: str | None) -> dict | None:
    found = queries.run(api.connection(), "checkin_webinar", ALL, event=event_key,
                        now=_now().replace(tzinfo=None))  # fmt: skip
    return None if found.empty else found.iloc[0].to_dict()


def _choices(lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The countries and roles a participant can pick ('unknown' is not a role one states)."""
    con = api.connection()
    roles = queries.run(con, "roles", ALL)
    return queries.run(con, "checkin_countries", ALL, lang=lang), roles[roles["code"] != "unknown"]


def _already(event_key: str, session: str) -> bool:
    return bool(queries.run(api.connection(), "checkin_done", ALL, id=event_id(event_key, session))["done"].iloc[0])


def _session(request: Request) -> str | None:
    value = request.cookies.get(COOKIE)
    return value if value and _SESSION.match(value) else None


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={"Cache-Control": "no-store"})


def _unavailable(lang: str, asked: str | None, webinar: dict | None) -> HTMLResponse | None:
    """The page to show instead of the form when there is no webinar to check in to."""
    if webinar is None and asked:
        return _html(message_page(lang, None, None, t("checkin_unknown", lang, webinar=asked), "error"), 404)
    if webinar is None:
        return _html(message_page(lang, None, None, t("checkin_none_open", lang)))
    if not webinar["is_open"]:
        opens = (webinar["starts_at"] - pd.Timedelta(minutes=60)).strftime("%Y-%m-%d %H:%M")
        text = t("checkin_closed", lang, title=webinar["title"], opens=opens,
                 closes=webinar["closes_at"].strftime("%Y-%m-%d %H:%M"))  # fmt: skip
        return _html(message_page(lang, webinar["event_key"], None, text), 403)
    return None


def _show(lang: str, asked: str | None, session: str) -> HTMLResponse:
    webinar = _webinar(asked)
    unavailable = _unavailable(lang, asked, webinar)
    if unavailable is not None:
        return unavailable
    if _already(webinar["event_key"], session):
        text = t("checkin_done_detail", lang, title=webinar["title"])
        return _html(message_page(lang, webinar["event_key"], t("checkin_done", lang), text, "done"))
    return _html(form_page(lang, webinar, session, *_choices(lang)))


async def show(request: Request) -> Response:
    lang = language(request.query_params.get("lang"))
    session = _session(request)
    fresh = session is None
    session = session or secrets.token_urlsafe(18)
    response = await run_in_threadpool(_show, lang, request.query_params.get("event") or None, session)
    if fresh:  # a session cookie (no expiry): one check-in per browser session
        response.set_cookie(COOKIE, session, path="/checkin", httponly=True, samesite="lax")
    return response


class BadForm(Exception):
    """The submitted form is too large or not a form."""


async def _form(request: Request) -> dict[str, str]:
    """The submitted fields (first value of each), or BadForm."""
    try:
        fields = parse_qs((await api.read_body(request, MAX_FORM_BYTES)).decode("utf-8"), max_num_fields=10)
    except (TooLarge, UnicodeDecodeError, ValueError):
        raise BadForm() from None
    return {name: values[0] for name, values in fields.items()}


def _problems(lang: str, fields: dict[str, str], countries: pd.DataFrame, roles: pd.DataFrame) -> list[str]:
    """What is wrong with the chosen country and role, checked against the reference tables."""
    problems = []
    if fields.get("country") not in set(countries["iso2"]):
        problems.append(t("checkin_bad_country", lang))
    if fields.get("role") not in set(roles["code"]):
        problems.append(t("checkin_bad_role", lang))
    return problems


def _submit(lang: str, asked: str | None, session: str, fields: dict[str, str]) -> Response:
    webinar = _webinar(asked) if asked else None
    unavailable = _unavailable(lang, asked, webinar)
    if unavailable is not None:
        return unavailable
    countries, roles = _choices(lang)
    problems = _problems(lang, fields, countries, roles)
    if problems:
        return _html(form_page(lang, webinar, session, countries, roles, " ".join(problems), fields), 400)
    key = webinar["event_key"]
    try:
        api.store_events([checkin_event(key, session, fields["country"], fields["role"], _now())])
    except api.NotStored:
        return _html(form_page(lang, webinar, session, countries, roles, t("checkin_not_stored", lang), fields), 503)
    return RedirectResponse(page_link(key, lang), status_code=303)


async def submit(request: Request) -> Response:
    lang = language(request.query_params.get("lang"))
    asked = request.query_params.get("event") or None
    address = request.client.host if request.client else "unknown"
    wait = limiter.wait(address)
    if wait > 0:
        seconds = max(1, round(wait))
        text = t("checkin_too_many", lang, seconds=seconds)
        response = _html(message_page(lang, asked, None, text, "error"), 429)
        response.headers["Retry-After"] = str(seconds)
        return response
    try:
        fields = await _form(request)
    except BadForm:
        return _html(message_page(lang, asked, None, t("checkin_bad_form", lang), "error"), 400)
    session = _session(request)
    if session is None or fields.get("session") != session:
        return _html(message_page(lang, asked, None, t("checkin_no_cookie", lang), "error"), 400)
    return await run_in_threadpool(_submit, lang, asked, session, fields)


def routes() -> list[Route]:
    return [Route("/checkin", show, methods=["GET"]), Route("/checkin", submit, methods=["POST"])]
