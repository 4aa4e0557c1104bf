"""The ingest API, served beside the dashboard by the same process (dashboard/server.py).

POST /api/v1/events — a signed batch of join/leave events (docs/api.md)
POST /api/v1/zoom/webhook — Zoom's participant joined/left notifications and url_validation
GET  /api/v1/health
"""

from __future__ import annotations

import json
import logging
import time

import duckdb
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dashboard import database
from dashboard.live.events import MAX_BODY_BYTES, BadRequest, TooLarge, parse_batch, zoom_webhook_event
from dashboard.live.signing import Unauthorized, verify, verify_zoom, zoom_url_validation
from dashboard.live.store import RehearsalRefused, store
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
    except RehearsalRefused:
        raise
    except duckdb.Error as exc:
        # DuckDB's message may quote a stored value (an e-mail in a key): log only the kind
        LOG.error("storing live events failed (%s); the batch was rolled back", type(exc).__name__)
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


async def events(request: Request) -> JSONResponse:
    try:
        body = await read_body(request)
        verify(ingest_secret(), request.headers.get("x-reach-timestamp"), request.headers.get("x-reach-signature"),
               body, now=time.time())  # fmt: skip
        batch = parse_batch(body)
        accepted, duplicates = await run_in_threadpool(store_events, batch)
    except TooLarge:
        return _error(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    except Unauthorized as exc:
        if ingest_secret() is None:
            LOG.warning(
                "ingest refused: set REACH_INGEST_SECRET in the server's environment or secrets to accept events"
            )
        return _error(401, str(exc))
    except BadRequest as exc:
        return JSONResponse(exc.json(), status_code=400)
    except NotStored:
        return _error(503, NOT_STORED)
    except RehearsalRefused as refused:
        return _error(409, f"webinar {refused.event_key} holds real data: a rehearsal may not be sent to it, "
                           "nothing was written; rehearse under a new webinar key", field="rehearsal")
    return JSONResponse({"accepted": accepted, "duplicates": duplicates})


async def zoom_webhook(request: Request) -> JSONResponse:
    try:
        body = await read_body(request)
        verify_zoom(zoom_secret(), request.headers.get("x-zm-request-timestamp"),
                    request.headers.get("x-zm-signature"), body, now=time.time())  # fmt: skip
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise BadRequest("body", "must be JSON") from None
        if isinstance(document, dict) and document.get("event") == "endpoint.url_validation":
            token = (document.get("payload") or {}).get("plainToken")
            if not isinstance(token, str) or not token:
                raise BadRequest("payload.plainToken", "is required")
            return JSONResponse(zoom_url_validation(zoom_secret(), token))
        event = zoom_webhook_event(document)
        if event is None:
            return JSONResponse({"accepted": 0, "duplicates": 0, "ignored": document.get("event")})
        accepted, duplicates = await run_in_threadpool(store_events, [event])
    except TooLarge:
        return _error(413, f"the body is larger than {MAX_BODY_BYTES} bytes")
    except Unauthorized as exc:
        return _error(401, str(exc))
    except BadRequest as exc:
        return JSONResponse(exc.json(), status_code=400)
    except NotStored:
        return _error(503, NOT_STORED)
    return JSONResponse({"accepted": accepted, "duplicates": duplicates})


async def health(request: Request) -> JSONResponse:
    return JSONResponse(
        {"status": "ok", "ingest": ingest_secret() is not None, "zoom_webhook": zoom_secret() is not None}
    )


def routes() -> list[Route]:
    return [
        Route("/api/v1/health", health, methods=["GET"]),
        Route("/api/v1/events", events, methods=["POST"]),
        Route("/api/v1/zoom/webhook", zoom_webhook, methods=["POST"]),
    ]
