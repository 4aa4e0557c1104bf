"""A file's bytes to its records, in this process and without limits: what the sandbox's child
runs (sandbox.py). Callers outside the sandbox use loader.analyse."""

from __future__ import annotations

import csv
import io
import os

from dashboard.imports import mts_link_document, reading, zoom_bulk
from dashboard.imports.parsing import Parsed, columns_found, header_fields, parse, parse_zoom
from dashboard.imports.problems import FileRejected, Problem
from dashboard.settings import DEFAULT_IMPORT_MAX_CELLS


def parse_file(
    data: bytes,
    zone: str,
    mapping: dict | None = None,
    max_cells: int = DEFAULT_IMPORT_MAX_CELLS,
    *,
    file_name: str | None = None,
) -> Parsed:
    """Read and parse a file: a large Zoom attendee report in bulk, anything else row by row.
    `file_name`: the name the file came with (a BigBlueButton file's webinar is named by it)."""
    if mts_link_document.is_document(data):  # an MTS Link API pull (reach pull mts-link)
        return mts_link_document.parse_document(data, zone, mapping)
    if mapping is None and data and not reading.is_excel(data):
        bulk = zoom_in_bulk(data, zone)
        if bulk is not None:
            return bulk
    return parse(reading.read(data, max_cells), zone, mapping, file_name=file_name)


def zoom_in_bulk(data: bytes, zone: str) -> Parsed | None:
    """A large Zoom attendee report: its Attendee Details section read by DuckDB (zoom_bulk)."""
    text, encoding = reading.decode(data)
    split = zoom_bulk.split(text)
    if split is None:
        return None
    rest, section, first_line = split
    rest.encoding = encoding
    header = reading.cleaned(next(csv.reader(io.StringIO(section.split("\n", 1)[0]))))
    cols = header_fields(header)
    parsed = parse_zoom(rest, zone, registration_only=False, require_rows=False)
    path, data_lines = zoom_bulk.write_section(section)
    del text, section, split  # a million-row section is hundreds of megabytes as Python text
    try:
        bulk = zoom_bulk.parse_section(path, data_lines, first_line, cols, header, zone, parsed.problems)
    finally:
        os.unlink(path)
    if bulk is None:
        return None
    parsed.table, rows = bulk
    parsed.rows_read += rows
    parsed.mapping, parsed.extra_headers = columns_found(header, cols, parsed.format)
    parsed.problems.sort(key=lambda problem: problem.line or 0)
    event = parsed.events[0]
    if event.starts_at is None:
        joins = [t for t in parsed.table.column("joined_at").to_pylist() if t]
        if not joins:
            raise FileRejected([Problem("no_event_time")])
        event.starts_at = min(joins)
    return parsed
