"""From bytes to rows of cells: encodings, delimiters, Excel workbooks, cell clean-up."""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

from charset_normalizer import from_bytes

from dashboard.imports.problems import FileRejected, Problem

EMPTY_MARKERS = {"", "--", "-", "na", "n/a", "null", "none", "—"}
DELIMITERS = (",", ";", "\t")
_EXCEL_WRAPPED = re.compile(r'^="(.*)"$', re.S)
_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip), .xls (OLE2)


@dataclass
class Rows:
    """Cells as read, with the physical line (or spreadsheet row) of each row.

    Text cells are kept raw and cleaned when used (`clean`): a Zoom report has fifteen
    columns of which a third are never read, and cleaning is most of the reading time.
    """

    cells: list[list]
    lines: list[int]
    encoding: str  # the text encoding, or 'xlsx' / 'xls'
    delimiter: str | None


def clean_text(text: str) -> str | None:
    """A text cell trimmed, Excel's ="…" unwrapped, empty markers (--, NA) as None.

    Called for every cell of a file (15 million for a million-row Zoom report), so plain
    string tests come before anything slower.
    """
    text = text.strip()
    if not text:
        return None
    if text[0] == "=" and len(text) > 2 and text[1] == '"' and text[-1] == '"':
        text = text[2:-1].strip()
    if len(text) <= 4 and text.casefold() in EMPTY_MARKERS:
        return None
    return text


def clean(value) -> str | datetime | None:
    """A cell's value (see clean_text); dates from Excel kept as datetimes."""
    if value is None:
        return None
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    wrapped = _EXCEL_WRAPPED.match(text)
    if wrapped:
        text = wrapped.group(1).strip()
    return None if text.casefold() in EMPTY_MARKERS else text


def cleaned(row: list) -> list:
    """Every cell of a row cleaned (for headers and markers)."""
    return [clean(c) for c in row]


def is_excel(data: bytes) -> bool:
    return data.startswith(_EXCEL_MAGIC)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a file and the encoding it was read with.

    A byte-order mark decides; then UTF-16 without one (every other byte zero); then strict
    UTF-8; else charset-normalizer's best guess (Windows-1251 for most Russian exports).
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            label = {"utf-8-sig": "UTF-8 (BOM)"}.get(name, "UTF-16 " + ("LE" if bom == codecs.BOM_UTF16_LE else "BE"))
            try:
                return data.decode(name), label
            except UnicodeDecodeError as exc:  # a truncated or damaged file
                raise FileRejected([Problem("bad_encoding", values={"encoding": label})]) from exc
    sample = data[:4000]
    if b"\x00" in sample:  # text in UTF-16 without a BOM, or not text at all
        for codec, name in (("utf-16-le", "UTF-16 LE"), ("utf-16-be", "UTF-16 BE")):
            if _reads_as_text(data, codec):
                return data[: len(data) - len(data) % 2].decode(codec), name
        raise FileRejected([Problem("binary")])
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise FileRejected([Problem("binary")])
    return str(best), best.encoding


def _reads_as_text(data: bytes, codec: str) -> bool:
    """Whether the bytes decode in `codec` to lines of printable text."""
    try:
        text = data[: len(data) - len(data) % 2].decode(codec)
    except UnicodeDecodeError:
        return False
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text[:2000])
    return "\n" in text and printable >= 0.98 * min(len(text), 2000)


def sniff_delimiter(text: str) -> str:
    """The delimiter used most on the first lines that use any (, ; or tab)."""
    for line in text.splitlines()[:30]:
        counts = {d: line.count(d) for d in DELIMITERS}
        if max(counts.values()) > 0:
            return max(DELIMITERS, key=lambda d: counts[d])
    return ","


def read_text(data: bytes) -> Rows:
    """Rows of a delimited text file; a quoted field left open is a problem with its line."""
    text, encoding = decode(data)
    if not text.strip():
        raise FileRejected([Problem("empty")])
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    cells, lines = [], []
    previous = 0
    try:
        for row in reader:
            if "".join(row).strip():
                cells.append(row)
                lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        raise FileRejected([Problem("unterminated_quote", line=previous + 1, values={"detail": str(exc)})]) from exc
    if not cells:  # only delimiters and blanks
        raise FileRejected([Problem("empty")])
    return Rows(cells=cells, lines=lines, encoding=encoding, delimiter=delimiter)


def read_excel(data: bytes) -> Rows:
    """Rows of the first non-empty sheet of an .xlsx or .xls workbook (python-calamine)."""
    from python_calamine import CalamineWorkbook

    kind = "xlsx" if data.startswith(b"PK") else "xls"
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names]
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - a damaged workbook makes calamine raise its own errors, even a Rust panic
        raise FileRejected([Problem("damaged_workbook", values={"kind": kind})]) from exc
    for sheet in sheets:
        cells, lines = [], []
        for number, row in enumerate(sheet, start=1):
            cleaned = [clean(c) for c in row]
            if any(c is not None for c in cleaned):
                cells.append(cleaned)
                lines.append(number)
        if cells:
            return Rows(cells=cells, lines=lines, encoding=kind, delimiter=None)
    raise FileRejected([Problem("empty")])


def read(data: bytes) -> Rows:
    """Rows of any supported file, by its content (not its name)."""
    if not data or not data.strip():
        raise FileRejected([Problem("empty")])
    return read_excel(data) if is_excel(data) else read_text(data)
