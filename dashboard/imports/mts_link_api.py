"""MTS Link (ex Webinar.ru) API: a period's participants, fetched politely into one document.

Documented (help.mts-link.ru, articles 19659, 19660, 19666; base https://userapi.mts-link.ru/v3,
header x-auth-token):
  GET /stats/users?from=yyyy-mm-dd+hh:mm:ss&to=…[&eventId=…]   users with their event sessions,
      each with its connections (one per join: rejoins are several) and additionalFieldValues
  GET /eventsessions/{id}/participations?perPage=…&page=…      registrations of one session

`pull` returns the document reach imports (mts_link_document.py parses it), as canonical JSON
bytes: the same answers give the same bytes, so pulling a period twice imports nothing twice.
No request is made outside `pull`; tests point REACH_MTSLINK_URL at a local fake.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

DEFAULT_URL = "https://userapi.mts-link.ru/v3"
PER_PAGE = 100
ATTEMPTS = 5  # per request, on 429 and 5xx
MAX_WAIT = 60.0  # seconds: the longest back-off, whatever Retry-After says
MAX_PAGES = 10_000  # a session of a million registrations at 100 a page; beyond it, refused
DOCUMENT_KIND = "mts-link-api"


class PullFailed(Exception):
    """The pull cannot be done; the message is one sentence for the user (English; the Data page
    and the command line show it as is, after their own sentence in the user's language)."""


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive: the whole day
    event_id: str | None = None

    def query(self) -> dict[str, str]:
        q = {"from": f"{self.start:%Y-%m-%d} 00:00:00", "to": f"{self.end:%Y-%m-%d} 23:59:59"}
        return {**q, "eventId": self.event_id} if self.event_id else q


class Client:
    """GET requests to the API with retries and back-off; `sleep` and `opener` are for tests."""

    def __init__(self, token: str, base_url: str = DEFAULT_URL, *, timeout: float = 30.0,
                 sleep: Callable[[float], None] = time.sleep):  # fmt: skip
        if not token:
            raise PullFailed("no MTS Link API token: set REACH_MTSLINK_TOKEN (docs/imports.md, MTS Link API)")
        self.token, self.base_url, self.timeout, self.sleep = token, base_url.rstrip("/"), timeout, sleep
        self.requests = 0

    def get(self, path: str, query: dict[str, str | int] | None = None):
        url = f"{self.base_url}{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
        request = urllib.request.Request(url, headers={"x-auth-token": self.token, "Accept": "application/json",
                                                       "User-Agent": "reach"})  # fmt: skip
        for attempt in range(ATTEMPTS):
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - the configured API
                    return _json(response.read(), path)
            except urllib.error.HTTPError as error:
                if error.code in (401, 403):
                    raise PullFailed(f"MTS Link refused the token ({error.code}): check REACH_MTSLINK_TOKEN and that "
                                     "the account may read statistics") from None  # fmt: skip
                if error.code == 429 or error.code >= 500:
                    if attempt + 1 < ATTEMPTS:
                        self.sleep(_wait(error.headers.get("Retry-After"), attempt))
                        continue
                    raise PullFailed(f"MTS Link kept answering {error.code} to {path} after {ATTEMPTS} attempts; "
                                     "try again later") from None  # fmt: skip
                raise PullFailed(f"MTS Link answered {error.code} to {path}") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
                if attempt + 1 < ATTEMPTS:
                    self.sleep(_wait(None, attempt))
                    continue
                reason = getattr(error, "reason", error)
                raise PullFailed(
                    f"cannot reach MTS Link at {self.base_url} ({reason}); is this computer online?"
                ) from None
        raise AssertionError("unreachable")


def _wait(retry_after: str | None, attempt: int) -> float:
    """Seconds to wait before the next attempt: Retry-After when given, else 1, 2, 4, 8 s."""
    if retry_after and retry_after.strip().isdigit():
        return min(float(retry_after.strip()), MAX_WAIT)
    return min(2.0**attempt, MAX_WAIT)


def _json(body: bytes, path: str):
    try:
        return json.loads(body)
    except ValueError:
        raise PullFailed(f"MTS Link answered {path} with something that is not JSON") from None


def _items(answer, path: str) -> list:
    """The list an endpoint answers with (a bare list, or one under a usual key)."""
    if isinstance(answer, list):
        return answer
    if isinstance(answer, dict):
        for name in ("data", "items", "users", "participations", "list"):
            if isinstance(answer.get(name), list):
                return answer[name]
    raise PullFailed(f"MTS Link answered {path} with an unexpected shape (no list of records)")


def participations(client: Client, session_id, per_page: int = PER_PAGE) -> list:
    """Every registration of one event session, page by page, until an empty page (an API may
    give fewer per page than asked) or a page repeating the one before (one that ignores `page`)."""
    path = f"/eventsessions/{urllib.parse.quote(str(session_id), safe='')}/participations"
    found: list = []
    previous = None
    for page in range(1, MAX_PAGES + 1):
        items = _items(client.get(path, {"perPage": per_page, "page": page}), path)
        if not items or items == previous:
            return found
        found.extend(items)
        previous = items
    raise PullFailed(f"{path} has more than {MAX_PAGES} pages")


def pull(client: Client, period: Period, per_page: int = PER_PAGE) -> bytes:
    """The period's document: the users with their sessions and connections, and each session's
    registrations, as canonical JSON bytes (sorted keys; no time of pulling)."""
    users = _items(client.get("/stats/users", period.query()), "/stats/users")
    sessions = sorted({str(s.get("id")) for u in users if isinstance(u, dict)
                       for s in (u.get("eventSessions") or []) if isinstance(s, dict) and s.get("id") is not None})  # fmt: skip
    document = {
        "kind": DOCUMENT_KIND,
        "version": 1,
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat(), "eventId": period.event_id},
        "users": users,
        "participations": {session: participations(client, session, per_page) for session in sessions},
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def file_name(period: Period) -> str:
    """The name the import log shows for a pull."""
    event = f"_event-{period.event_id}" if period.event_id else ""
    return f"mts-link-api_{period.start:%Y-%m-%d}_{period.end:%Y-%m-%d}{event}.json"
