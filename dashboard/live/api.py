"""The ingest API, served beside the dashboard by the same process (dashboard/server.py).

POST /api/v1/events — a signed batch of join/leave events (docs/api.md)
POST /api/v1/zoom/webhook — Zoom's participant joined/left notifications and url_validation
GET  /api/v1/health
"""

from __future__ import annotations

import logging
import shutil
import time
import traceback
from datetime import UTC, datetime

import duckdb
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dashboard import database
from dashboard.live.events import (
    MAX_BODY_BYTES,
    MAX_TEXT,
    BadRequest,
    TooLarge,
    parse_batch,
    parse_json,
    zoom_webhook_event,
)
from dashboard.live.signing import Unauthorized, verify, verify_zoom, zoom_url_validation
from dashboard.live.store import OutsideWebinar, RehearsalRefused, TooManyWebinars, store
from dashboard.settings import secret

LOG = logging.getLogger("reach.api")


def owner() -> database.Database:
    """The process's owner of the database the dashboard serves (database.for_process)."""
    return database.for_process()


def connection() -> duckdb.DuckDBPyConnection:
    """The process's connection to the database the dashboard serves."""
    return owner().con


class NotStored(Exception):
    """The database refused the batch (rolled back: nothing written); the sender may retry."""


def store_events(events) -> tuple[int, int]:
    """Commit on a cursor of its own (its own transaction; database.write_lock orders writers),
    then have the figures rebuilt in the background, once for all batches since the last."""
    try:
        accepted, duplicates = store(connection().cursor(), events, refresh=False)
    except (RehearsalRefused, TooManyWebinars, OutsideWebinar):
        raise
    except duckdb.Error as exc:
        # DuckDB's message may quote a stored value (an e-mail in a key): log only the kind
        LOG.error("storing live events failed (%s); the batch was rolled back", type(exc).__name__)
        health_state.last_error = f"storing live events: {type(exc).__name__}"
        raise NotStored() from None
    if accepted:
        owner().request_facts_update()
    return accepted, duplicates


def ingest_secret() -> str | None:
    return secret("REACH_INGEST_SECRET")


def zoom_secret() -> str | None:
    return secret("REACH_ZOOM_SECRET_TOKEN")


DRAIN_LIMIT = 4 * MAX_BODY_BYTES


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The raw body, refusing (TooLarge) more than `limit` bytes without reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        if int(declared) <= DRAIN_LIMIT:
            # read and drop a body a little over the limit, so that the sender, still sending,
            # reads the 413 instead of a connection reset
            async for _ in request.stream():
                pass
        raise TooLarge()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
    return b"".join(chunks)


NOT_STORED = "the events could not be stored, nothing was written: send the batch again"


def _error(status: int, message: str, **extra) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _answer(exc: Exception) -> JSONResponse:
    """The answer to a request that could not be stored: 4xx for what the sender can fix, 503 for
    what the server cannot do now (nothing written, send again). Never a traceback."""
    if isinstance(exc, TooLarge):
        return _error(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    if isinstance(exc, Unauthorized):
        return _error(401, str(exc))
    if isinstance(exc, BadRequest):
        return JSONResponse(exc.json(), status_code=400)
    if isinstance(exc, RehearsalRefused):
        return _error(409, f"webinar {exc.event_key} holds real data: a rehearsal may not be sent to it, "
                           "nothing was written; rehearse under a new webinar key", field="rehearsal")  # fmt: skip
    if isinstance(exc, TooManyWebinars):
        return _error(429, str(exc), field="events")
    if isinstance(exc, OutsideWebinar):
        return JSONResponse({"error": f"{exc.field}: {exc}", "field": exc.field}, status_code=400)
    return _error(503, NOT_STORED)  # NotStored, or a fault of ours: logged by kind only


_ANSWERED = (TooLarge, Unauthorized, BadRequest, RehearsalRefused, TooManyWebinars, OutsideWebinar, NotStored)


async def events(request: Request) -> JSONResponse:
    try:
        body = await read_body(request)
        verify(ingest_secret(), request.headers.get("x-reach-timestamp"), request.headers.get("x-reach-signature"),
               body, now=time.time())  # fmt: skip
        batch = parse_batch(body, now=datetime.now(UTC))
        accepted, duplicates = await run_in_threadpool(store_events, batch)
    except _ANSWERED as exc:
        if isinstance(exc, Unauthorized) and ingest_secret() is None:
            LOG.warning(
                "ingest refused: set REACH_INGEST_SECRET in the server's environment or secrets to accept events"
            )
        return _answer(exc)
    except Exception as exc:  # noqa: BLE001 - a fault of ours: nothing stored, never a traceback
        return _fault("events", exc)
    return JSONResponse({"accepted": accepted, "duplicates": duplicates})


def _fault(route: str, exc: Exception) -> JSONResponse:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    LOG.error("%s: unexpected %s at %s:%s; nothing was stored", route, type(exc).__name__,
              frame.filename.rsplit("/", 1)[-1], frame.lineno)  # fmt: skip
    health_state.last_error = f"{route}: {type(exc).__name__}"
    return _error(503, NOT_STORED)


async def zoom_webhook(request: Request) -> JSONResponse:
    try:
        body = await read_body(request)
        verify_zoom(zoom_secret(), request.headers.get("x-zm-request-timestamp"),
                    request.headers.get("x-zm-signature"), body, now=time.time())  # fmt: skip
        document = parse_json(body)
        if isinstance(document, dict) and document.get("event") == "endpoint.url_validation":
            payload = document.get("payload")
            token = payload.get("plainToken") if isinstance(payload, dict) else None
            if not isinstance(token, str) or not token or len(token) > MAX_TEXT:
                raise BadRequest("payload.plainToken", "is required")
            return JSONResponse(zoom_url_validation(zoom_secret(), token))
        event = zoom_webhook_event(document, now=datetime.now(UTC))
        if event is None:
            ignored = document.get("event") if isinstance(document, dict) else None
            return JSONResponse({"accepted": 0, "duplicates": 0,
                                 "ignored": ignored if isinstance(ignored, str) else None})  # fmt: skip
        accepted, duplicates = await run_in_threadpool(store_events, [event])
    except _ANSWERED as exc:
        return _answer(exc)
    except Exception as exc:  # noqa: BLE001 - a fault of ours: nothing stored, never a traceback
        return _fault("zoom webhook", exc)
    return JSONResponse({"accepted": accepted, "duplicates": duplicates})


class HealthState:
    """What the server has seen go wrong lately (for /api/v1/health)."""

    last_error: str | None = None


health_state = HealthState()
MIN_FREE_BYTES = 200 * 1024 * 1024  # below this, ingest would soon fail: say so before it does


def health_report() -> tuple[bool, dict]:
    """Whether the server can take events now, and why not: the database file writable, disk
    space left, the facts up to date (or being brought up to date), no recent failure."""
    checks: dict[str, object] = {"ingest": ingest_secret() is not None, "zoom_webhook": zoom_secret() is not None}
    problems: list[str] = []
    db = owner()
    try:
        with db.write(facts=False) as cursor:  # a real, committed write: a full disk or a damaged file fails it
            database.set_programme_setting(cursor, "health_checked_at", datetime.now(UTC).isoformat(timespec="seconds"))
            pending = cursor.execute("select count(*) from facts_pending").fetchall()[0][0]
        checks["database"] = "writable"
        checks["facts_pending_persons"] = pending
    except Exception as exc:  # noqa: BLE001 - any failure here is the answer
        checks["database"] = f"unusable ({type(exc).__name__})"
        problems.append("the database file cannot be used: see docs/deploy.md, restoring from a backup")
    if db.path is not None:
        free = shutil.disk_usage(db.path.parent).free
        checks["disk_free_mb"] = free // (1024 * 1024)
        if free < MIN_FREE_BYTES:
            problems.append("less than 200 MB of disk left beside the database")
    update_error = db.facts_update.last_error
    if update_error:
        problems.append(f"the facts update failed ({update_error}) and is being retried")
    if health_state.last_error:
        checks["last_error"] = health_state.last_error
    return not problems, {**checks, "problems": problems}


async def health(request: Request) -> JSONResponse:
    ok, report = await run_in_threadpool(health_report)
    return JSONResponse({"status": "ok" if ok else "failing", **report}, status_code=200 if ok else 503)


def routes() -> list[Route]:
    return [
        Route("/api/v1/health", health, methods=["GET"]),
        Route("/api/v1/events", events, methods=["POST"]),
        Route("/api/v1/zoom/webhook", zoom_webhook, methods=["POST"]),
    ]
