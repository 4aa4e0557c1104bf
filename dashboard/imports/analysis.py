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
    decoded: list = []  # the text of a file zoom_in_bulk decoded (UTF-16, Windows-1251), read once
    if mapping is None and data and not reading.is_excel(data):
        bulk = zoom_in_bulk(data, zone, decoded)
        if bulk is not None:
            return bulk
    rows = reading.read(data, max_cells, decoded=decoded[0] if decoded else None)
    del decoded
    return parse(rows, zone, mapping, file_name=file_name)


def zoom_in_bulk(data: bytes, zone: str, decoded: list | None = None) -> Parsed | None:
    """A large Zoom attendee report: its Attendee Details section read by DuckDB (zoom_bulk).
    `decoded`: given a list, the text of another file this decoded is put in it (reading.read
    needs it next).

    A report in UTF-8, as Zoom writes them, is never decoded as a whole (hundreds of megabytes
    of Python text): its bytes are its text, checked to be UTF-8 as reading.decode would."""
    utf8 = reading.utf8_start(data)
    if utf8 is not None:
        start, encoding = utf8
        if not zoom_bulk.starts_report(data, start):
            return None  # not one, whatever the rest of its bytes
        if not reading.is_utf8(data, start):
            utf8 = None
    if utf8 is None:  # another encoding, as reading.decode reads it (or the problem it finds)
        text, encoding = reading.decode(data)
        if not zoom_bulk.starts_report_text(text):
            if decoded is not None:
                decoded.append((text, encoding))
            return None
        data, start = text.encode("utf-8"), 0
        del text
    split = zoom_bulk.split(data, start)
    del data
    if split is None:
        return None
    rest, section = split
    rest.encoding = encoding
    header = reading.cleaned(next(csv.reader(io.StringIO(section.header_line()))))
    cols = header_fields(header)
    parsed = parse_zoom(rest, zone, registration_only=False, require_rows=False)
    path = zoom_bulk.write_section(section)
    try:
        bulk = zoom_bulk.parse_section(path, section.data_lines(), section.first_line, cols, header, zone,
                                       parsed.problems)  # fmt: skip
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
