"""Audience check-in (GET and POST /checkin): a participant of the webinar open now picks a
country and a role; the check-in is stored as a join event of that webinar by an anonymous
person (docs/metrics.md, "Check-in").

Limits: one check-in per browser session (a session cookie; its id makes the event id, so a
second submission is a duplicate and changes nothing); rate limits per client address on page
loads and on submissions, answered before the database is asked anything; a ceiling per
webinar relative to its audience; optionally the code shown on the live view; and only
countries and roles from the reference tables (dashboard/live/checkin_limits.py).
"""

from __future__ import annotations

import re
import secrets
import time
import weakref
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
from dashboard.live.checkin_limits import RateLimiter, ceiling, code_accepted, code_secret, refusals, retry_after
from dashboard.live.checkin_page import CONTENT_SECURITY_POLICY, form_page, message_page, page_link
from dashboard.live.events import LiveEvent, TooLarge
from dashboard.network import rate_limit_key
from dashboard.settings import (
    checkin_ceiling_rule,
    checkin_code_minutes,
    checkin_code_required,
    checkin_limit,
    checkin_page_limit,
)

COOKIE = "reach_checkin"
MAX_FORM_BYTES = 4096
_SESSION = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


# Page loads: a fifth of a minute's worth at once, so that a client hammering the page is refused
# after a second of it. Submissions: a minute's worth at once, since a room submits together.
page_limiter = RateLimiter(checkin_page_limit(), burst=max(1, checkin_page_limit() // 5))  # GET /checkin
limiter = RateLimiter(checkin_limit())  # POST /checkin
# Wrong codes: a fifth of the submissions, so that guessing the 4 digits from one address takes
# hours, while the typos of a room on one address still pass (docs/api.md).
wrong_codes = RateLimiter(max(1, checkin_limit() // 5))


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


PAGE_HEADERS = {"Cache-Control": "no-store", "Content-Security-Policy": CONTENT_SECURITY_POLICY}


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=PAGE_HEADERS)


def _client(request: Request) -> str:
    """What the rate limits count by: the client's address (dashboard/middleware.py has put the
    one behind a trusted proxy in its place), IPv6 by its /64."""
    return rate_limit_key(request.client.host if request.client else None)


def _too_many(lang: str, asked: str | None, wait: float) -> HTMLResponse:
    seconds = retry_after(wait)
    response = _html(message_page(lang, asked, None, t("checkin_too_many", lang, seconds=seconds), "error"), 429)
    response.headers["Retry-After"] = str(seconds)
    return response


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
    return _html(form_page(lang, webinar, session, *_choices(lang), ask_code=checkin_code_required()))


async def show(request: Request) -> Response:
    lang = language(request.query_params.get("lang"))
    asked = request.query_params.get("event") or None
    wait = page_limiter.wait(_client(request))
    if wait > 0:  # before the database is asked anything: a client hammering the page costs little
        return _too_many(lang, asked, wait)
    session = _session(request)
    fresh = session is None
    session = session or secrets.token_urlsafe(18)
    response = await run_in_threadpool(_show, lang, asked, session)
    if fresh:  # a session cookie (no expiry): one check-in per browser session; Secure over https
        secure = request.url.scheme == "https"  # or X-Forwarded-Proto of a trusted proxy (middleware.py)
        response.set_cookie(COOKIE, session, path="/checkin", httponly=True, samesite="lax", secure=secure)
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


def _code_wrong(webinar: dict, fields: dict[str, str], client: str) -> bool:
    """Whether the code is asked for and the one typed is not the one on the screen (counted,
    and spent from the address's allowance of wrong codes)."""
    if not checkin_code_required():
        return False
    key = webinar["event_key"]
    if code_accepted(fields.get("code"), code_secret(), key, _now().timestamp(), checkin_code_minutes()):
        return False
    refusals.count(key, "code")
    wrong_codes.wait(client)
    return True


def _room_left(key: str) -> bool:
    """Whether the webinar takes another check-in: fewer than its ceiling stored so far. The
    check-ins are counted exactly; the audience, which check-ins do not change and which costs a
    pass over the webinar's attendance (0.1 s for 100,000 attendees), is re-read every
    AUDIENCE_SECONDS per webinar."""
    checkins = queries.run(api.connection(), "checkin_count", ALL, event=key)["checkins"].iloc[0]
    return int(checkins) < ceiling(_audience(key), *checkin_ceiling_rule())


# How old the audience behind a webinar's ceiling may be: a room checking in at once costs one
# count of it every few seconds, not one a submission (issue 12: 100 check-ins/s at 1M).
AUDIENCE_SECONDS = 10.0
_audiences: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # owner → {key: (read at, persons)}


def _audience(key: str) -> int:
    kept = _audiences.setdefault(api.owner(), {})
    read_at, persons = kept.get(key, (None, 0))
    if read_at is None or time.monotonic() - read_at > AUDIENCE_SECONDS:
        room = queries.run(api.connection(), "checkin_room", ALL, event=key).iloc[0]
        persons = int(room["audience_persons"])
        if len(kept) > 1000:  # webinars open at once are few; never grow without bound
            kept.clear()
        kept[key] = (time.monotonic(), persons)
    return persons


def _submit(lang: str, asked: str | None, session: str, fields: dict[str, str], client: str = "") -> Response:
    webinar = _webinar(asked) if asked else None
    unavailable = _unavailable(lang, asked, webinar)
    if unavailable is not None:
        return unavailable
    countries, roles = _choices(lang)
    ask_code = checkin_code_required()
    wrong_code = [t("checkin_bad_code", lang)] if _code_wrong(webinar, fields, client) else []
    problems = wrong_code + _problems(lang, fields, countries, roles)
    if problems:
        return _html(form_page(lang, webinar, session, countries, roles, " ".join(problems), fields, ask_code), 400)
    key = webinar["event_key"]
    # the count and the write in one turn of the write lock: concurrent check-ins cannot pass the
    # ceiling together (the store below takes the same, re-entrant, lock)
    with api.owner().write_lock:
        if not _already(key, session) and not _room_left(key):
            refusals.count(key, "ceiling")
            return _html(message_page(lang, key, None, t("checkin_full", lang, title=webinar["title"])), 403)
        try:
            api.store_events([checkin_event(key, session, fields["country"], fields["role"], _now())])
        except api.NotStored:
            text = t("checkin_not_stored", lang)
            return _html(form_page(lang, webinar, session, countries, roles, text, fields, ask_code), 503)
    return RedirectResponse(page_link(key, lang), status_code=303)


async def submit(request: Request) -> Response:
    lang = language(request.query_params.get("lang"))
    asked = request.query_params.get("event") or None
    client = _client(request)
    # before the database is asked anything; counted for the webinar the form names
    for wait, reason in ((limiter.wait(client), "rate"), (_guessing(client), "code")):
        if wait > 0:
            if asked:
                refusals.count(asked, reason)
            return _too_many(lang, asked, wait)
    try:
        fields = await _form(request)
    except BadForm:
        return _html(message_page(lang, asked, None, t("checkin_bad_form", lang), "error"), 400)
    session = _session(request)
    if session is None or fields.get("session") != session:
        return _html(message_page(lang, asked, None, t("checkin_no_cookie", lang), "error"), 400)
    return await run_in_threadpool(_submit, lang, asked, session, fields, client)


def _guessing(client: str) -> float:
    """With the code on, the seconds until the address may try a code again (0: now): its wrong
    codes are spent, so no code it sends is checked, right or wrong."""
    return wrong_codes.waiting(client) if checkin_code_required() else 0.0


def routes() -> list[Route]:
    return [Route("/checkin", show, methods=["GET"]), Route("/checkin", submit, methods=["POST"])]
