"""Sign-in for a team's server: the /login page, sign-out, and the gate in front of everything.

While no account exists nothing changes (this computer works as one user's laptop). Once one
exists, every visitor signs in — this computer too (a shared venue computer is no identity),
unless REACH_TRUST_THIS_COMPUTER=1 — except the audience check-in, the signed ingest routes,
the Zoom webhook and the health checks. The gate stands in front of every page, static file,
API route and the Streamlit websocket: an unauthenticated websocket upgrade is refused, not
merely answered with a blank page.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from html import escape
from threading import Lock
from urllib.parse import parse_qs, quote, unquote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from dashboard import accounts, database, sso
from dashboard.i18n import language, t
from dashboard.live.checkin_page import STYLE
from dashboard.network import is_loopback
from dashboard.settings import session_idle, trust_this_computer

SESSION_COOKIE = "reach_session"
CSRF_COOKIE = "reach_csrf"
# Open to everyone, signed in or not: the audience, the signed machine-to-machine routes (they
# check their own signatures or tokens), the health checks, and the sign-in page itself.
OPEN_PATHS = ("/checkin", "/api/v1/events", "/api/v1/zoom/webhook", "/api/v1/health", "/api/v1/report",
              "/api/v1/imports", "/login", "/login/sso", "/logout", "/_stcore/health", "/favicon.ico")  # fmt: skip
MAX_FORM_BYTES = 4096
PAGE_STYLE = (STYLE + "input{width:100%;box-sizing:border-box;font-size:1.1rem;padding:.6rem;border:1px solid #8a94a6;"
              "border-radius:.4rem}")  # fmt: skip
# A plain page that needs nothing but its own style: everything else refused (allowed by hash).
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'sha256-" + base64.b64encode(hashlib.sha256(PAGE_STYLE.encode()).digest()).decode()
    + "'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


def owner() -> database.Database:
    return database.for_process()


def is_open(path: str) -> bool:
    """Open to everyone; Streamlit's single sign-on routes only while SSO is configured."""
    return path in OPEN_PATHS or (path in sso.STREAMLIT_ROUTES and sso.configured())


# --- throttling -------------------------------------------------------------------------------


class Throttle:
    """Failed sign-ins per key (an account, an address) in a sliding window. A stranger can hold an
    account back for at most `window` seconds after `limit` failures: it never locks for long."""

    def __init__(self, limit: int, window: float, max_keys: int = 50_000):
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._failures: OrderedDict[str, list[float]] = OrderedDict()
        self._lock = Lock()

    def wait(self, key: str, now: float | None = None) -> float:
        """Seconds until `key` may try again (0: now)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = [at for at in self._failures.get(key, []) if at > now - self.window]
            return recent[0] + self.window - now if len(recent) >= self.limit else 0.0

    def failed(self, key: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            recent = [at for at in self._failures.pop(key, []) if at > now - self.window]
            self._failures[key] = [*recent, now][-self.limit :]
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)


by_account = Throttle(limit=5, window=300)  # five wrong passwords: five minutes' wait, no longer
by_address = Throttle(limit=30, window=300)  # one address trying many accounts


# --- who is asking --------------------------------------------------------------------------------


def _client(scope) -> str | None:
    client = scope.get("client")
    return client[0] if client else None


def _headers(scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}


def _cookies(headers: dict[str, str]) -> dict[str, str]:
    cookies = {}
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name:
            cookies[name] = value
    return cookies


def _trusted_here(scope, headers: dict[str, str]) -> bool:
    """REACH_TRUST_THIS_COMPUTER=1 and the request comes from this computer, unforwarded."""
    if not trust_this_computer() or not is_loopback(_client(scope) or ""):
        return False
    if any(h in headers for h in ("x-forwarded-for", "forwarded", "x-real-ip", "x-forwarded-host")):
        return False
    host = headers.get("host", "localhost")
    return is_loopback(host.rsplit(":", 1)[0] if not host.endswith("]") else host)


def signed_in(session: str | None) -> accounts.Who | None:
    """The account of a sign-in session cookie, or None."""
    if not session:
        return None
    cursor = owner().cursor()
    try:
        return accounts.session_account(cursor, session, session_idle())
    finally:
        cursor.close()


def sign_in_required() -> bool:
    cursor = owner().cursor()
    try:
        return accounts.accounts_exist(cursor)
    finally:
        cursor.close()


class Gate:
    """ASGI middleware: once accounts exist, nothing but the open paths without a signed-in session.
    With single sign-on configured, Streamlit's signed cookie of a verified e-mail that belongs to
    an account starts a session of that account here (dashboard/sso.py)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or is_open(scope.get("path", "")):
            return await self.app(scope, receive, send)
        headers = _headers(scope)
        verdict = await run_in_threadpool(self._verdict, scope, headers)
        if verdict is True:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":  # refused before the upgrade: the browser gets a 403
            await send({"type": "websocket.close", "code": 1008})
            return
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope.get("path", "/") + (f"?{query}" if query else "")
        lang = "en" if "lang=en" in target else "ru"
        if isinstance(verdict, SsoSession):
            cookies = _cookies(headers)
            where = _safe_next(unquote(cookies[NEXT_COOKIE])) if NEXT_COOKIE in cookies else target
            response = RedirectResponse(where, status_code=303)
            response.set_cookie(SESSION_COOKIE, verdict.session, path="/", httponly=True, samesite="lax",
                                secure=scope.get("scheme") == "https")  # fmt: skip
            response.delete_cookie(NEXT_COOKIE, path="/")
        elif isinstance(verdict, SsoStranger):
            body = f'<p class="error" role="alert">{escape(t("sso_no_account", lang, email=verdict.email))}</p>' + \
                   f'<p><a href="/logout?lang={lang}">{escape(t("logout_button", lang))}</a></p>'  # fmt: skip
            response = _page(lang, body, status=403)
        else:
            response = RedirectResponse(login_link(target, lang), status_code=303)
        await response(scope, receive, send)

    @staticmethod
    def _verdict(scope, headers: dict[str, str]):
        """True (let it through), an SsoSession to set, an SsoStranger to refuse, or False."""
        if not sign_in_required() or _trusted_here(scope, headers):
            return True
        cookies = _cookies(headers)
        if signed_in(cookies.get(SESSION_COOKIE)) is not None:
            return True
        if not sso.configured():
            return False
        email = sso.verified_email(sso.streamlit_user(cookies))
        if email is None:
            return False
        session = _sign_in_by_email(email, _client(scope) or "unknown")
        return SsoStranger(email) if session is None else SsoSession(session)


@dataclass(frozen=True)
class SsoSession:
    session: str


@dataclass(frozen=True)
class SsoStranger:
    email: str


NEXT_COOKIE = "reach_next"  # where to go after the identity provider (set by /login/sso)


def _sign_in_by_email(email: str, address: str) -> str | None:
    """A session of the account the single sign-on e-mail belongs to; None (audited) if none."""
    with owner().write(facts=False) as cursor:
        who = accounts.account_by_email(cursor, email)
        if who is None:
            accounts.audit(cursor, None, "sign-in-failed", "single sign-on: no account for this e-mail", address)
            return None
        accounts.audit(cursor, who.login, "sign-in", f"{who.role}, single sign-on", address)
        return accounts.start_session(cursor, who.login)


async def start_sso(request: Request) -> Response:
    """The sign-in page's single sign-on button: remember where to go, then Streamlit's st.login flow."""
    if not sso.configured():
        return RedirectResponse(login_link("/", language(request.query_params.get("lang"))), status_code=303)
    response = RedirectResponse(sso.start_link(), status_code=303)
    where = quote(_safe_next(request.query_params.get("next")), safe="")
    response.set_cookie(NEXT_COOKIE, where, path="/", httponly=True, samesite="lax", max_age=900,
                        secure=_secure(request))  # fmt: skip
    return response


# --- the pages ------------------------------------------------------------------------------------


def login_link(next_path: str, lang: str) -> str:
    query = {"next": next_path, **({"lang": lang} if lang != "ru" else {})}
    return "/login?" + urlencode(query)


def _safe_next(value: str | None) -> str:
    """Only a path on this server: never another site (an open redirect)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    return value


def _page(lang: str, body: str, status: int = 200, csrf: str | None = None, secure: bool = False,
          next_path: str = "/") -> HTMLResponse:  # fmt: skip
    other = login_link(next_path, "en" if lang == "ru" else "ru")
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(t('login_title', lang))}</title><style>{PAGE_STYLE}</style></head>"
        f'<body><main><a class="lang" href="{escape(other)}">{escape(t("checkin_other_language", lang))}</a>'
        f"<h1>{escape(t('login_title', lang))}</h1>{body}</main></body></html>"
    )
    headers = {"Cache-Control": "no-store", "Content-Security-Policy": CONTENT_SECURITY_POLICY}
    response = HTMLResponse(html, status_code=status, headers=headers)
    if csrf:
        response.set_cookie(CSRF_COOKIE, csrf, path="/", httponly=True, samesite="strict", secure=secure)
    return response


def _form(lang: str, next_path: str, csrf: str, message: str = "", login: str = "") -> str:
    error = f'<p class="error" role="alert">{escape(message)}</p>' if message else ""
    return (
        f"{error}<form method=\"post\" action=\"/login?{escape(urlencode({'next': next_path, 'lang': lang}))}\">"
        f'<input type="hidden" name="csrf" value="{escape(csrf)}">'
        f'<label for="login">{escape(t("login_login", lang))}</label>'
        f'<input id="login" name="login" autocomplete="username" required maxlength="64" value="{escape(login)}">'
        f'<label for="password">{escape(t("login_password", lang))}</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password" required '
        'maxlength="200">'
        f'<button type="submit">{escape(t("login_button", lang))}</button></form>' + _sso_button(lang, next_path)
    )


def _sso_button(lang: str, next_path: str) -> str:
    if not sso.configured():
        return ""
    link = "/login/sso?" + urlencode({"next": next_path, "lang": lang})
    return f'<p class="sso"><a href="{escape(link)}">{escape(t("sso_button", lang))}</a></p>'


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


async def show_login(request: Request) -> Response:
    lang = language(request.query_params.get("lang"))
    csrf = secrets.token_urlsafe(24)
    next_path = _safe_next(request.query_params.get("next"))
    return _page(lang, _form(lang, next_path, csrf), csrf=csrf, secure=_secure(request), next_path=next_path)


async def _fields(request: Request) -> dict[str, str]:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return {}
    try:
        parsed = parse_qs(body.decode("utf-8"), max_num_fields=10)
    except (UnicodeDecodeError, ValueError):
        return {}
    return {name: values[0] for name, values in parsed.items()}


async def submit_login(request: Request) -> Response:
    lang = language(request.query_params.get("lang"))
    next_path = _safe_next(request.query_params.get("next"))
    fields = await _fields(request)
    csrf_cookie = request.cookies.get(CSRF_COOKIE)
    fresh = secrets.token_urlsafe(24)
    if not csrf_cookie or not secrets.compare_digest(fields.get("csrf", ""), csrf_cookie):
        return _page(lang, _form(lang, next_path, fresh, t("login_expired", lang)), 400, fresh, _secure(request))
    login = (fields.get("login") or "").strip().lower()[:64]
    address = request.client.host if request.client else "unknown"
    wait = max(by_account.wait("login:" + login), by_address.wait("address:" + address))
    if wait > 0:
        seconds = max(1, round(wait))
        response = _page(lang, _form(lang, next_path, fresh, t("login_too_many", lang, seconds=seconds), login),
                         429, fresh, _secure(request))  # fmt: skip
        response.headers["Retry-After"] = str(seconds)
        return response
    session = await run_in_threadpool(_sign_in, login, fields.get("password") or "", address)
    if session is None:
        by_account.failed("login:" + login)
        by_address.failed("address:" + address)
        return _page(lang, _form(lang, next_path, fresh, t("login_wrong", lang), login), 401, fresh, _secure(request))
    by_account.succeeded("login:" + login)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(SESSION_COOKIE, session, path="/", httponly=True, samesite="lax", secure=_secure(request))
    response.delete_cookie(CSRF_COOKIE, path="/")
    return response


def _sign_in(login: str, password: str, address: str) -> str | None:
    db = owner()
    with db.write(facts=False) as cursor:
        role = accounts.check_password(cursor, login, password)
        if role is None:
            accounts.audit(cursor, login or None, "sign-in-failed", "", address)
            return None
        accounts.audit(cursor, login, "sign-in", role, address)
        return accounts.start_session(cursor, login)


async def show_logout(request: Request) -> Response:
    lang = language(request.query_params.get("lang"))
    csrf = secrets.token_urlsafe(24)
    body = (f'<form method="post" action="/logout?lang={lang}"><input type="hidden" name="csrf" value="{csrf}">'
            f'<button type="submit">{escape(t("logout_button", lang))}</button></form>')  # fmt: skip
    return _page(lang, body, csrf=csrf, secure=_secure(request))


async def submit_logout(request: Request) -> Response:
    lang = language(request.query_params.get("lang"))
    fields = await _fields(request)
    csrf_cookie = request.cookies.get(CSRF_COOKIE)
    if not csrf_cookie or not secrets.compare_digest(fields.get("csrf", ""), csrf_cookie):
        return await show_logout(request)
    session = request.cookies.get(SESSION_COOKIE)
    who = signed_in(session)
    address = request.client.host if request.client else None

    def end() -> None:
        with owner().write(facts=False) as cursor:
            accounts.end_session(cursor, session)
            if who:
                accounts.audit(cursor, who.login, "sign-out", "", address)

    await run_in_threadpool(end)
    response = RedirectResponse(login_link("/", lang), status_code=303)
    for cookie in (SESSION_COOKIE, CSRF_COOKIE, *sso_cookies(request.cookies)):
        response.delete_cookie(cookie, path="/")
    return response


def sso_cookies(cookies) -> list[str]:
    """Streamlit's single sign-on cookies (and their chunks): signing out of reach ends them too,
    or the gate would sign the browser straight back in."""
    return [name for name in cookies if name.startswith((sso.USER_COOKIE, sso.TOKENS_COOKIE))]


def routes() -> list[Route]:
    return [
        Route("/login", show_login, methods=["GET"]), Route("/login", submit_login, methods=["POST"]),
        Route("/logout", show_logout, methods=["GET"]), Route("/logout", submit_logout, methods=["POST"]),
        Route("/login/sso", start_sso, methods=["GET"]),
    ]  # fmt: skip
