"""Request signatures: our own HMAC-SHA256 scheme and Zoom's webhook scheme."""

from __future__ import annotations

import hashlib
import hmac
import re

MAX_SKEW_SECONDS = 300
_UNIX_SECONDS = re.compile(r"[0-9]{1,12}")  # ASCII digits only: "²".isdigit() is true, int("²") fails


def _seconds(timestamp: str) -> int | None:
    return int(timestamp) if _UNIX_SECONDS.fullmatch(timestamp) else None


class Unauthorized(Exception):
    """A missing, wrong or stale signature; the message says which (never the secret)."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Reach-Signature value: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str | None, timestamp: str | None, signature: str | None, body: bytes, now: float) -> None:
    """Accept a request signed with `secret` within MAX_SKEW_SECONDS of `now`, or raise Unauthorized."""
    if not secret:
        raise Unauthorized("ingest is disabled: set REACH_INGEST_SECRET on the server")
    if not timestamp or not signature:
        raise Unauthorized("missing X-Reach-Timestamp or X-Reach-Signature header")
    if _seconds(timestamp) is None:
        raise Unauthorized("X-Reach-Timestamp must be unix seconds")
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        raise Unauthorized("stale request: X-Reach-Timestamp is more than 300 s from the server clock")
    if not hmac.compare_digest(sign(secret, int(timestamp), body), signature):
        raise Unauthorized("wrong signature")


def zoom_signature(secret: str, timestamp: str, body: bytes) -> str:
    """Zoom's x-zm-signature: v0=<hex HMAC-SHA256 of "v0:<timestamp>:<body>">."""
    message = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def verify_zoom(secret: str | None, timestamp: str | None, signature: str | None, body: bytes, now: float) -> None:
    if not secret:
        raise Unauthorized("the Zoom webhook is disabled: set REACH_ZOOM_SECRET_TOKEN on the server")
    if not timestamp or not signature or _seconds(timestamp) is None:
        raise Unauthorized("missing x-zm-request-timestamp or x-zm-signature header")
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        raise Unauthorized("stale request: x-zm-request-timestamp is more than 300 s from the server clock")
    if not hmac.compare_digest(zoom_signature(secret, timestamp, body), signature):
        raise Unauthorized("wrong signature")


def zoom_url_validation(secret: str, plain_token: str) -> dict:
    """The answer to Zoom's endpoint.url_validation challenge."""
    encrypted = hmac.new(secret.encode(), plain_token.encode(), hashlib.sha256).hexdigest()
    return {"plainToken": plain_token, "encryptedToken": encrypted}
