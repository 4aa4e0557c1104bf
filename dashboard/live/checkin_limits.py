"""The rules that bound audience check-in (docs/api.md, "Audience check-in"): rate limits per
client address, a ceiling per webinar relative to its audience, the short code shown on the
live view, and the count of check-ins refused. Pure, or in memory: no database, no HTTP."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import Counter, OrderedDict

from dashboard.i18n import t
from dashboard.settings import checkin_secret


class RateLimiter:
    """`per_minute` attempts per address a minute, at most `burst` (default: as many) at once: a
    token bucket. Two numbers per address, so that memory stays small when many addresses come;
    it remembers at most `max_addresses`, forgetting the least recently seen."""

    def __init__(self, per_minute: int, burst: int | None = None, clock=time.monotonic, max_addresses: int = 10_000):
        self.capacity, self.per_second = float(burst or per_minute), per_minute / 60.0
        self.clock, self.max_addresses = clock, max_addresses
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # address: (tokens, at)
        self._lock = threading.Lock()

    def wait(self, address: str) -> float:
        """Record an attempt from `address`: 0 when allowed, else the seconds until the next is."""
        return self._take(address, spend=True)

    def waiting(self, address: str) -> float:
        """What `wait` would answer, recording nothing: for limits spent only by failures."""
        return self._take(address, spend=False)

    def _take(self, address: str, spend: bool) -> float:
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(address, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - at) * self.per_second)
            allowed = tokens >= 1
            self._buckets[address] = (tokens - 1 if allowed and spend else tokens, now)
            if len(self._buckets) > self.max_addresses:
                self._buckets.popitem(last=False)
        return 0.0 if allowed else (1 - tokens) / self.per_second


def retry_after(wait: float) -> int:
    """Whole seconds for Retry-After: never 0, so that a client that obeys it does wait."""
    return max(1, math.ceil(wait))


def ceiling(audience: int, floor: int, factor: float) -> int:
    """Check-ins a webinar takes at most: max(floor, factor × its audience known otherwise —
    registrants, imported audience, live joins that are not check-ins)."""
    return max(floor, math.floor(factor * audience))


CODE_DIGITS = 4
_process_secret = secrets.token_bytes(32)


def code_secret() -> bytes:
    """REACH_CHECKIN_SECRET, else a random key made when the process started: the live view that
    shows the code and the form that checks it run in the same process (`reach serve`)."""
    configured = checkin_secret()
    return configured.encode() if configured else _process_secret


def code(secret: bytes, event_key: str, period: int) -> str:
    """The 4-digit code of a webinar in one period (unix time // its length in seconds)."""
    digest = hmac.new(secret, f"checkin-code:{event_key}:{period}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10**CODE_DIGITS:0{CODE_DIGITS}d}"


def current_code(secret: bytes, event_key: str, now: float, minutes: int) -> tuple[str, int]:
    """The code to show now and the whole seconds until the next one."""
    length = minutes * 60
    return code(secret, event_key, int(now // length)), length - int(now % length)


def code_accepted(given: str | None, secret: bytes, event_key: str, now: float, minutes: int) -> bool:
    """Whether `given` (spaces allowed) is the code shown now or the one before it: someone who
    read it just before it changed still checks in."""
    typed = "".join((given or "").split())
    if len(typed) != CODE_DIGITS or not (typed.isascii() and typed.isdigit()):
        return False
    period = int(now // (minutes * 60))
    return any(hmac.compare_digest(typed, code(secret, event_key, p)) for p in (period, period - 1))


REASONS = ("ceiling", "rate", "code")  # the webinar's ceiling, the address's rate limit, a wrong code


class Refusals:
    """Check-ins refused, per webinar and reason, in memory (a restart starts from zero); at most
    `max_webinars` keys, forgetting the least recently counted — a refused submission may name a
    webinar that does not exist."""

    def __init__(self, max_webinars: int = 1_000):
        self.max_webinars = max_webinars
        self._counts: OrderedDict[str, Counter] = OrderedDict()
        self._lock = threading.Lock()

    def count(self, event_key: str, reason: str) -> None:
        with self._lock:
            counts = self._counts.pop(event_key, None) or Counter()
            counts[reason] += 1
            self._counts[event_key] = counts
            if len(self._counts) > self.max_webinars:
                self._counts.popitem(last=False)

    def of(self, event_key: str) -> dict[str, int]:
        """{reason: refused} of a webinar, every reason present (0 when none)."""
        with self._lock:
            counts = self._counts.get(event_key, Counter())
            return {reason: counts[reason] for reason in REASONS}


refusals = Refusals()  # this process's: the check-in page counts, the live view shows


def refused_text(counts: dict[str, int], lang: str) -> str | None:
    """The live view's status line of refused check-ins, e.g. "Check-ins refused: 12 (webinar
    limit: 10, wrong code: 2)"; None when none was refused."""
    total = sum(counts.values())
    if not total:
        return None
    reasons = ", ".join(t(f"live_refused_{reason}", lang, n=counts[reason]) for reason in REASONS if counts[reason])
    return t("live_checkin_refused", lang, n=total, reasons=reasons)
