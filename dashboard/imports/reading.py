"""From bytes to rows of cells: encodings, delimiters, Excel workbooks, cell clean-up."""

from __future__ import annotations

import codecs
import csv
import html
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from charset_normalizer import from_bytes

from dashboard.imports.problems import FileRejected, Problem, grouped
from dashboard.settings import DEFAULT_IMPORT_MAX_CELLS

EMPTY_MARKERS = {"", "--", "-", "na", "n/a", "null", "none", "—"}
DELIMITERS = (",", ";", "\t")
_EXCEL_WRAPPED = re.compile(r'^="(.*)"$', re.S)
_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx (zip), .xls (OLE2)
MAX_COLUMNS = 16384  # Excel's own limit; a text row with more fields is not a table
# A workbook is a zip of XML parts. Exports compress 5-20:1 (a 100,000-row MTS Link sheet: 63 MB
# in 4 MB); a part unpacking more than 100:1, or parts unpacking past 1 GB in all, is no export.
MAX_UNPACKED_MB = 1024
MAX_RATIO = 100
_RATIO_FROM_MB = 10  # small parts (styles, a short sheet) may compress better, and cost nothing
_CHUNK = 1 << 20
_ROW_REF = re.compile(rb'row r="(\d{1,10})"')
_STRINGS = re.compile(rb"<(?:\w+:)?sst\b")
_UNIQUE_COUNT = re.compile(rb"<(?:\w+:)?sst\b[^>]{0,500}?\suniqueCount=\"(\d{1,20})\"")


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


def utf8_start(data: bytes) -> tuple[int, str] | None:
    """(where the text starts, the encoding's label) of a file decode would read as UTF-8 if its
    bytes are valid UTF-8 (is_utf8 checks that): a UTF-8 byte-order mark, or no mark of
    UTF-16 and no zero byte in the sample decode looks at; else None."""
    if data.startswith(codecs.BOM_UTF8):
        return len(codecs.BOM_UTF8), "UTF-8 (BOM)"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4000]:
        return None
    return 0, "UTF-8"


def is_utf8(data: bytes, start: int = 0) -> bool:
    """Whether data[start:] is valid UTF-8, as bytes.decode("utf-8") has it (Arrow's check,
    without making Python text of it: a tenth of the time, none of the memory)."""
    import pyarrow as pa

    offsets = pa.array([start, len(data)], pa.int64()).buffers()[1]
    text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        text.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


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
    for line in first_lines(text, 30):
        counts = {d: line.count(d) for d in DELIMITERS}
        if max(counts.values()) > 0:
            return max(DELIMITERS, key=lambda d: counts[d])
    return ","


def first_lines(text: str, n: int) -> list[str]:
    """The first `n` lines of a text, without splitting the rest of it (a million lines)."""
    lines, start = [], 0
    while len(lines) < n and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        lines.append(text[start:end].rstrip("\r"))
        start = end + 1
    return lines


def read_text(data: bytes, decoded: tuple[str, str] | None = None) -> Rows:
    """Rows of a delimited text file; a quoted field left open is a problem with its line.
    `decoded`: decode(data), when it was called already."""
    text, encoding = decoded or decode(data)
    if not text.strip():
        raise FileRejected([Problem("empty")])
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    cells, lines = [], []
    previous = 0
    try:
        for row in reader:
            if len(row) > MAX_COLUMNS:
                values = {"found": grouped(len(row)), "limit": grouped(MAX_COLUMNS)}
                raise FileRejected([Problem("too_many_columns", line=previous + 1, values=values)])
            if "".join(row).strip():
                cells.append(row)
                lines.append(previous + 1)
            previous = reader.line_num
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            limit = grouped(csv.field_size_limit())
            raise FileRejected([Problem("field_too_long", line=previous + 1, values={"limit": limit})]) from exc
        raise FileRejected([Problem("unterminated_quote", line=previous + 1, values={"detail": str(exc)})]) from exc
    if not cells:  # only delimiters and blanks
        raise FileRejected([Problem("empty")])
    return Rows(cells=cells, lines=lines, encoding=encoding, delimiter=delimiter)


def column_letters(index: int) -> str:
    """Excel's name of a 0-based column: 0 -> A, 16383 -> XFD."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_index(letters: str) -> int:
    """The 0-based index of an Excel column name: A -> 0, XFD -> 16383."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _cell_range(start: tuple[int, int], end: tuple[int, int]) -> str:
    return f"{column_letters(start[1])}{start[0] + 1}:{column_letters(end[1])}{end[0] + 1}"


def _too_many_cells(sheet: str, start: tuple[int, int], end: tuple[int, int], max_cells: int) -> FileRejected:
    values = {"sheet": sheet, "range": _cell_range(start, end), "limit": grouped(max_cells)}
    return FileRejected([Problem("too_many_cells", values=values)])


def check_workbook(data: bytes, max_cells: int) -> None:
    """Refuse an .xlsx before python-calamine opens it, when its parts would not fit: a zip bomb,
    a sheet whose cells span more than `max_cells`, a shared-string table declaring more.

    calamine allocates a sheet's whole grid, from its first to its last cell, and reserves the
    shared strings the file declares: one cell at XFD1048576 or one `uniqueCount` asks for
    hundreds of gigabytes. A declared `<dimension>` alone is harmless (calamine reserves at most
    100,000 cells for it), so a sheet declaring A1:XFD1048576 over a few rows is read. Every XML
    part is streamed once, a megabyte at a time, and only row numbers and columns past Z are
    looked at. Cells without references hide a sheet's extent: their grid is measured once
    calamine has built it (read_excel), or stops at the reading process's memory limit
    (sandbox.py)."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        parts = book.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as exc:
        raise FileRejected([Problem("damaged_workbook", values={"kind": "xlsx"})]) from exc
    unpacked = sum(part.file_size for part in parts)
    dense = [
        p for p in parts if p.file_size > _RATIO_FROM_MB << 20 and p.file_size > MAX_RATIO * max(p.compress_size, 1)
    ]
    if unpacked > MAX_UNPACKED_MB << 20 or dense:
        raise FileRejected([Problem("zip_bomb", values={
            "packed_mb": _megabytes(len(data)), "unpacked_mb": _megabytes(unpacked),
            "limit_mb": grouped(MAX_UNPACKED_MB), "ratio": MAX_RATIO})])  # fmt: skip
    names = _sheet_names(book)
    for part in parts:
        if part.filename.endswith((".xml", ".rels")):
            try:
                _check_part(book, part, names.get(part.filename, part.filename), max_cells)
            except (FileRejected, MemoryError):
                raise
            except Exception as exc:  # noqa: BLE001 - a bad CRC, a method zipfile lacks, a damaged stream
                raise FileRejected([Problem("damaged_workbook", values={"kind": "xlsx"})]) from exc


def _megabytes(size: int) -> str:
    return grouped(max(1, round(size / 2**20)))


def _check_part(book: zipfile.ZipFile, part: zipfile.ZipInfo, sheet: str, max_cells: int) -> None:
    """One XML part read to its end (zipfile checks its length and CRC), its extent measured:
    the last row number, and the last column from the references past the last one seen."""
    last_row, last_column, tail = 0, -1, b""
    beyond = _columns_past(last_column)
    with book.open(part) as stream:
        chunk = stream.read(64 << 10)
        if _STRINGS.search(chunk):  # the shared strings: people's words, where no reference counts
            declared = _UNIQUE_COUNT.search(chunk)
            if declared and int(declared.group(1)) > max_cells:
                values = {"count": grouped(int(declared.group(1))), "limit": grouped(max_cells)}
                raise FileRejected([Problem("too_many_texts", values=values)])
            while stream.read(_CHUNK):  # to the end all the same: zipfile checks its length and CRC
                pass
            return
        while chunk:
            text = tail + chunk
            rows = _ROW_REF.findall(text)
            if rows:
                last_row = max(last_row, *map(int, rows))
            columns = set(beyond.findall(text))
            if columns:
                last_column = max(last_column, *(column_index(c.decode()) for c in columns))
                beyond = _columns_past(last_column)
            tail = text[-32:]
            chunk = stream.read(_CHUNK)
    last_column = max(last_column, 0)  # cells without references start in column A
    if last_row * (last_column + 1) > max_cells:
        raise _too_many_cells(sheet, (0, 0), (last_row - 1, last_column), max_cells)


def _columns_past(column: int) -> re.Pattern:
    """Cell references in a column past `column` (0-based): one scan of a part finds the few
    places a sheet grows wider instead of every reference."""
    if column >= 25:
        return re.compile(rb' r="([A-Z]{2,4})\d')  # the exact column is compared in Python
    return re.compile(rb' r="([A-Z]{2,4}|[' + chr(66 + column).encode() + rb"-Z])\d")


def _sheet_names(book: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> the sheet's name as Excel shows it, from workbook.xml and its relationships."""
    try:
        with book.open("xl/workbook.xml") as f, book.open("xl/_rels/workbook.xml.rels") as g:
            workbook, relations = f.read(1 << 20).decode("utf-8", "replace"), g.read(1 << 20).decode("utf-8", "replace")
    except Exception:  # noqa: BLE001 - no names: the parts are named by their paths, and checked next
        return {}
    targets = {}
    for tag in re.findall(r"<(?:\w+:)?Relationship\b[^>]*>", relations):
        rid, target = re.search(r'\bId="([^"]*)"', tag), re.search(r'\bTarget="([^"]*)"', tag)
        if rid and target:
            path = target.group(1).lstrip("/")
            targets[rid.group(1)] = path if path.startswith("xl/") else "xl/" + path
    names = {}
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", workbook):
        name, rid = re.search(r'\bname="([^"]*)"', tag), re.search(r'\br:id="([^"]*)"', tag)
        if name and rid and rid.group(1) in targets:
            names[targets[rid.group(1)]] = html.unescape(name.group(1))
    return names


def read_excel(data: bytes, max_cells: int = DEFAULT_IMPORT_MAX_CELLS) -> Rows:
    """Rows of the first non-empty sheet of an .xlsx or .xls workbook (python-calamine), a sheet
    spanning more than `max_cells` refused (an .xlsx before calamine opens it: check_workbook)."""
    from python_calamine import CalamineWorkbook

    kind = "xlsx" if data.startswith(b"PK") else "xls"
    if kind == "xlsx":
        check_workbook(data, max_cells)
    sheets = []
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            # an .xls grid is allocated by now (the sandbox bounds it); the Python lists are not
            if sheet.height * sheet.width > max_cells:
                raise _too_many_cells(name, sheet.start, sheet.end, max_cells)
            sheets.append(sheet.to_python(skip_empty_area=False))
    except (KeyboardInterrupt, SystemExit, FileRejected, MemoryError):
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


def read(data: bytes, max_cells: int = DEFAULT_IMPORT_MAX_CELLS, *, decoded: tuple[str, str] | None = None) -> Rows:
    """Rows of any supported file, by its content (not its name). `decoded`: decode(data), when
    it was called already (analysis.parse_file)."""
    if not data or not data.strip():
        raise FileRejected([Problem("empty")])
    return read_excel(data, max_cells) if is_excel(data) else read_text(data, decoded)
