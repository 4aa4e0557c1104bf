"""The read and import API of a team's server, so that the command line works while the server
runs (it holds the database file):

GET  /api/v1/report   — the figures of `reach report --json`; any account's token
POST /api/v1/imports  — one file, all or nothing, as `reach import`; an analyst's or admin's token

Both take `Authorization: Bearer TOKEN` (tokens from `reach users token LOGIN`).
"""

from __future__ import annotations

import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dashboard import accounts, database, queries, reach, settings, suppression
from dashboard.filters import Filters
from dashboard.imports.loader import ImportResult, import_file
from dashboard.settings import max_upload_mb

FILENAME_HEADER = "x-reach-filename"


class Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def owner() -> database.Database:
    return database.for_process()


def _account(request: Request) -> accounts.Who:
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header[:7].lower() == "bearer " else None
    cursor = owner().cursor()
    try:
        who = accounts.token_account(cursor, token)
    finally:
        cursor.close()
    if who is None:
        raise Refused(401, "a valid API token is required: Authorization: Bearer TOKEN (reach users token LOGIN)")
    return who


def validated_filters(con, countries: list[str], roles: list[str], events: list[str],
                      rehearsals: bool = False) -> Filters:  # fmt: skip
    """A selection from lists of codes and keys, each checked against the database; ValueError
    names the first unknown value (the same rules as `reach report`)."""
    cur = con.cursor()
    known = {
        "country code": {r[0] for r in cur.execute("select iso2 from countries").fetchall()} | {"unknown"},
        "role code": {r[0] for r in cur.execute("select code from roles").fetchall()},
        "event key": {r[0] for r in cur.execute("select event_key from events").fetchall()},
    }
    countries = [c if c.lower() == "unknown" else c.upper() for c in countries]
    chosen = {}
    for what, values in (("country code", countries), ("role code", roles), ("event key", events)):
        unknown = sorted(set(values) - known[what])
        if unknown:
            raise ValueError(f"unknown {what}: {', '.join(unknown)}")
        chosen[what] = tuple(values) or None
    return Filters(countries=chosen["country code"], roles=chosen["role code"], events=chosen["event key"],
                   rehearsals=rehearsals)  # fmt: skip


def _report(params, threshold: int | None = None) -> dict:
    """The report of the asked selection; with a small-cell threshold (a token of a role that may
    not see persons, REACH_MIN_CELL set) masked as the overview masks it for a viewer."""
    db = owner()
    db.bring_facts_up_to_date()
    with db.snapshot() as snapshot:
        rehearsals = params.get("include_rehearsals") in ("1", "true")
        filters = validated_filters(snapshot, params.getlist("country"), params.getlist("role"),
                                    params.getlist("event"), rehearsals)  # fmt: skip
        countries, roles = queries.run(snapshot, "countries", Filters()), queries.run(snapshot, "roles", Filters())
        o = reach.overview(snapshot, filters, countries, roles)
    if threshold is None:
        return reach.report_of(o)
    if suppression.selection_too_small(o.kpis["participants"], threshold):
        raise Refused(403, f"this selection has fewer than {threshold} participants: its figures are hidden from "
                           "roles that may not see persons (REACH_MIN_CELL); widen the selection")  # fmt: skip
    masked, hidden = suppression.for_viewer(o, threshold)
    return {**reach.report_of(masked), "suppressed": {"below": threshold, "countries": sorted(hidden.countries),
                                                      "roles": sorted(hidden.roles)}}  # fmt: skip


async def report(request: Request) -> JSONResponse:
    try:
        who = _account(request)  # any role may read aggregates
        threshold = None if accounts.may(who.role, "see_people") else settings.min_cell()
        return JSONResponse(await run_in_threadpool(_report, request.query_params, threshold))
    except Refused as refused:
        return JSONResponse({"error": str(refused)}, status_code=refused.status)
    except ValueError as bad:
        return JSONResponse({"error": str(bad)}, status_code=400)


def result_json(result: ImportResult) -> dict:
    """An import's result as JSON: what `reach import` prints, field by field (English texts)."""
    return {
        "file": result.file_name, "status": result.status, "format": result.format, "encoding": result.encoding,
        "rows_read": result.rows_read, "records": result.records, "persons": result.persons,
        "new_persons": result.new_persons, "events": result.events,
        "problems": [p.text(result.file_name, "en") for p in result.problems], "summary": result.summary("en"),
    }  # fmt: skip


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"the file is larger than the upload limit ({limit // (1024 * 1024)} MB)")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refused(413, f"the file is larger than the upload limit ({limit // (1024 * 1024)} MB)")
        chunks.append(chunk)
    return b"".join(chunks)


def _import(who: accounts.Who, data: bytes, name: str, zone: str | None, address: str | None) -> ImportResult:
    db = owner()
    cursor = db.cursor()
    try:
        result = import_file(cursor, data, name, zone=zone)
    finally:
        cursor.close()
    with db.write(facts=False) as cursor:
        accounts.audit(cursor, who.login, "import", f"{name}: {result.status}, {result.records} records (API)", address)
    return result


async def imports(request: Request) -> JSONResponse:
    started = time.perf_counter()
    try:
        who = _account(request)
        if not accounts.may(who.role, "import"):
            raise Refused(403, f"the {who.role} role may not import: an analyst's or admin's token is needed")
        name = (request.headers.get(FILENAME_HEADER) or "").strip()
        if not name or len(name) > 255 or "/" in name or "\\" in name:
            raise Refused(400, "X-Reach-Filename must name the file (no folders), e.g. zoom_report.csv")
        data = await _body(request, max_upload_mb() * 1024 * 1024)
        zone = request.query_params.get("timezone") or None
        if zone is not None:
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise Refused(400, f"unknown time zone {zone!r} (expected e.g. Europe/Moscow)") from None
        address = request.client.host if request.client else None
        result = await run_in_threadpool(_import, who, data, name, zone, address)
    except Refused as refused:
        return JSONResponse({"error": str(refused)}, status_code=refused.status)
    answer = result_json(result) | {"seconds": round(time.perf_counter() - started, 2)}
    return JSONResponse(answer, status_code=422 if result.status == "rejected" else 200)


def routes() -> list[Route]:
    return [Route("/api/v1/report", report, methods=["GET"]), Route("/api/v1/imports", imports, methods=["POST"])]
