"""Accounts, sign-in sessions, API tokens and the audit log of a team's server.

Roles: viewer (managers: overview and aggregate exports), analyst (viewer + the Data page,
imports, mappings, removal, person-level lists), presenter (viewer + the live view's controls),
admin (everything + accounts). While no account exists nothing changes: the computer that runs
the server works as one user's laptop (docs/settings.md).

Passwords are hashed with Argon2 (argon2-cffi, the maintained reference binding); API tokens and
session ids are random 32-byte values stored only as SHA-256 digests (a fast hash is right for
random secrets: nothing to guess). Nothing here logs or stores a password, a token or a session id.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

ROLES = ("viewer", "analyst", "presenter", "admin")
MIN_PASSWORD = 12
_LOGIN = re.compile(r"[a-z0-9][a-z0-9._@-]{1,63}")
_EMAIL = re.compile(r"[a-z0-9._%+'-]+@[a-z0-9.-]+\.[a-z]{2,63}")
_HASHER = PasswordHasher()
# Checked against when a login does not exist, so that a wrong login costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash("not a password of anyone's")

# Which role may do what. Pages and controls a role may not use are neither shown nor reachable.
CAN = {
    "see_overview": set(ROLES),
    "export_aggregates": set(ROLES),
    "see_data_page": {"analyst", "admin"},
    "import": {"analyst", "admin"},
    "see_people": {"analyst", "admin"},
    "control_live": {"presenter", "admin"},
    "manage_accounts": {"admin"},
    "see_audit": {"admin"},
}


PAGE_NEEDS = {"overview": "see_overview", "retention": "see_overview", "webinar": "see_overview",
              "compare": "see_overview", "data": "see_data_page", "admin": "manage_accounts"}  # fmt: skip
ANALYSIS_PAGES = {"overview", "retention", "webinar", "compare"}


def pages_allowed(role: str | None, everything_here: bool) -> set[str]:
    """The pages a session may open: by its role once accounts exist (NOBODY: only the live view,
    and the Gate sends it to sign in first); on a server without accounts (role None) every page
    but the accounts' on this computer (or with REACH_NETWORK_PAGES=all), else the live view."""
    if role is None:
        return ANALYSIS_PAGES | {"data", "live"} if everything_here else {"live"}
    return {"live"} | {page for page, action in PAGE_NEEDS.items() if role in CAN[action]}


class AccountProblem(Exception):
    """A request about accounts that cannot be done; the message is one sentence for the user."""


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def may(role: str | None, action: str) -> bool:
    """Whether a role may do an action (None: the single user of a server with no accounts)."""
    return role is None or role in CAN[action]


def accounts_exist(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select count(*) > 0 from accounts").fetchall()[0][0]


def _check_login(login: str) -> str:
    login = (login or "").strip().lower()
    if not _LOGIN.fullmatch(login):
        raise AccountProblem("a login is 2 to 64 characters: letters a-z, digits, '.', '_', '-', '@'")
    return login


def _check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AccountProblem(f"a password has at least {MIN_PASSWORD} characters")
    return password


def add_account(con: duckdb.DuckDBPyConnection, login: str, role: str, password: str, email: str | None = None) -> str:
    """A new account; `email` is the address a single sign-on provider vouches for (optional)."""
    login = _check_login(login)
    if role not in ROLES:
        raise AccountProblem(f"a role is one of {', '.join(ROLES)}")
    _check_password(password)
    if con.execute("select count(*) from accounts where login = $l", {"l": login}).fetchall()[0][0]:
        raise AccountProblem(f"an account {login} exists already")
    email = _check_email(con, email)
    con.execute("""insert into accounts (login, role, password_hash, created_at, password_changed_at, email)
                   values ($l, $r, $h, $t, $t, $e)""",
                {"l": login, "r": role, "h": _HASHER.hash(password), "t": _now(), "e": email})  # fmt: skip
    return login


def _check_email(con: duckdb.DuckDBPyConnection, email: str | None) -> str | None:
    if email is None:
        return None
    email = email.strip().lower()
    if not _EMAIL.fullmatch(email):
        raise AccountProblem(f"{email!r} is not an e-mail address (name@organisation.example)")
    if con.execute("select count(*) from accounts where email = $e", {"e": email}).fetchall()[0][0]:
        raise AccountProblem(f"another account has the e-mail {email} already")
    return email


def account_by_email(con: duckdb.DuckDBPyConnection, email: str | None) -> Who | None:
    """The account a single sign-on e-mail belongs to: its `email`, else a login that is it."""
    if not email:
        return None
    rows = con.execute("""select login, role from accounts where email = $e or login = $e
                          order by email = $e desc limit 1""", {"e": email.strip().lower()}).fetchall()  # fmt: skip
    return Who(*rows[0]) if rows else None


def list_accounts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, datetime, int, str | None]]:
    """(login, role, created_at, API tokens, e-mail) of every account."""
    return con.execute("""
        select a.login, a.role, a.created_at, count(t.token_hash), a.email
        from accounts a left join api_tokens t using (login)
        group by all order by a.login
    """).fetchall()


def _existing(con: duckdb.DuckDBPyConnection, login: str) -> str:
    login = (login or "").strip().lower()
    if not con.execute("select count(*) from accounts where login = $l", {"l": login}).fetchall()[0][0]:
        raise AccountProblem(f"no account {login}")
    return login


def remove_account(con: duckdb.DuckDBPyConnection, login: str) -> None:
    login = _existing(con, login)
    for table in ("api_tokens", "sessions", "accounts"):
        con.execute(f"delete from {table} where login = $l", {"l": login})  # noqa: S608 - fixed names


def set_password(con: duckdb.DuckDBPyConnection, login: str, password: str) -> None:
    """A new password; every session of the account ends."""
    login = _existing(con, login)
    _check_password(password)
    con.execute("update accounts set password_hash = $h, password_changed_at = $t where login = $l",
                {"h": _HASHER.hash(password), "t": _now(), "l": login})  # fmt: skip
    con.execute("delete from sessions where login = $l", {"l": login})


def check_password(con: duckdb.DuckDBPyConnection, login: str, password: str) -> str | None:
    """The account's role when the password is right, else None (as slow for an unknown login)."""
    rows = con.execute("select password_hash, role from accounts where login = $l",
                       {"l": (login or "").strip().lower()}).fetchall()  # fmt: skip
    stored, role = rows[0] if rows else (_DUMMY_HASH, None)
    try:
        _HASHER.verify(stored, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return role


def new_token(con: duckdb.DuckDBPyConnection, login: str) -> str:
    """A new API token for the account: returned once, stored only as a digest."""
    login = _existing(con, login)
    token = "reach_" + secrets.token_urlsafe(32)
    con.execute("insert into api_tokens values ($d, $l, $t)", {"d": _digest(token), "l": login, "t": _now()})
    return token


def revoke_tokens(con: duckdb.DuckDBPyConnection, login: str) -> int:
    login = _existing(con, login)
    return con.execute("delete from api_tokens where login = $l", {"l": login}).fetchall()[0][0]


@dataclass(frozen=True)
class Who:
    login: str
    role: str


def token_account(con: duckdb.DuckDBPyConnection, token: str | None) -> Who | None:
    """The account an API token belongs to, or None."""
    if not token or len(token) > 200:
        return None
    rows = con.execute("select a.login, a.role from api_tokens t join accounts a using (login) where t.token_hash = $d",
                       {"d": _digest(token)}).fetchall()  # fmt: skip
    return Who(*rows[0]) if rows else None


# --- sessions -----------------------------------------------------------------------------------


def start_session(con: duckdb.DuckDBPyConnection, login: str) -> str:
    """A new sign-in session; the returned id goes into the HttpOnly cookie and nowhere else."""
    session = secrets.token_urlsafe(32)
    now = _now()
    con.execute("insert into sessions values ($d, $l, $t, $t)", {"d": _digest(session), "l": login, "t": now})
    return session


def session_account(con: duckdb.DuckDBPyConnection, session: str | None, idle: timedelta) -> Who | None:
    """The signed-in account of a session not idle for longer than `idle` (and marks it seen)."""
    if not session or len(session) > 200:
        return None
    digest, now = _digest(session), _now()
    rows = con.execute("""
        select a.login, a.role, s.last_seen_at from sessions s join accounts a using (login)
        where s.session_hash = $d
    """, {"d": digest}).fetchall()  # fmt: skip
    if not rows:
        return None
    login, role, seen = rows[0]
    if now - seen > idle:
        con.execute("delete from sessions where session_hash = $d", {"d": digest})
        return None
    if now - seen > timedelta(minutes=1):  # not a write on every request
        con.execute("update sessions set last_seen_at = $t where session_hash = $d", {"t": now, "d": digest})
    return Who(login, role)


def end_session(con: duckdb.DuckDBPyConnection, session: str | None) -> None:
    if session:
        con.execute("delete from sessions where session_hash = $d", {"d": _digest(session)})


# --- audit log ----------------------------------------------------------------------------------


def audit(con: duckdb.DuckDBPyConnection, actor: str | None, action: str, detail: str = "",
          address: str | None = None) -> None:  # fmt: skip
    """Who did what, when: never a password, a token or a participant's name or e-mail (callers
    pass file names, webinar keys, logins, counts)."""
    con.execute("insert into audit_log values ($t, $a, $x, $d, $ip)",
                {"t": _now(), "a": actor, "x": action, "d": detail[:500], "ip": address})  # fmt: skip


def audit_entries(con: duckdb.DuckDBPyConnection, since: datetime | None = None) -> list[tuple]:
    sql = ("select happened_at, actor, action, detail, address from audit_log "
           "where $s is null or happened_at >= $s order by happened_at, action")
    return con.execute(sql, {"s": since}).fetchall()
