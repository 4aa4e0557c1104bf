"""Hostile files are refused, and no file takes the process down: each is read in a child
process with limits (dashboard/imports/sandbox.py), an .xlsx measured before calamine opens it
(reading.check_workbook). Every hostile file is made here, on the fly."""

import codecs
import io
import os
import struct
import zipfile
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dashboard import cli, database
from dashboard.imports import analysis, sandbox
from dashboard.imports.loader import import_file
from dashboard.imports.problems import MESSAGES, grouped
from dashboard.imports.reading import column_letters

FIXTURES = Path(__file__).resolve().parent / "fixtures"
ZONE = "Europe/Moscow"
# Small limits keep the test quick; the defaults (settings.py) are sized for real exports.
LIMITS = sandbox.Limits(memory_mb=2048, seconds=30, file_mb=64, max_cells=1_000_000, max_records=100_000)
TABLES = ("participants", "registrations", "attendance", "events", "imports", "platform_figures")
HEADER = ["ФИО", "E-mail", "Вебинар", "Дата"]
PERSON = ["Иванова Анна", "anna@example.ru", "Кластеры", "01.10.2026"]


# ---------------------------------------------------------------- hostile files, made here


def sheet_xml(rows: list[list[str]], dimension: str | None = None, after: str = "") -> str:
    """A worksheet part: the rows as inline strings, then `after` (raw XML) inside sheetData."""
    cells = "".join(
        f'<row r="{i}">'
        + "".join(
            f'<c r="{column_letters(j)}{i}" t="inlineStr"><is><t>{escape(v)}</t></is></c>' for j, v in enumerate(row)
        )
        + "</row>"
        for i, row in enumerate(rows, start=1)
    )
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"{declared}<sheetData>{cells}{after}</sheetData></worksheet>"
    )


def workbook(sheet: str | bytes, shared_strings: str | None = None, name: str = "Участники") -> bytes:
    """A minimal .xlsx around one worksheet part (and a shared-string table, if given)."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{main}" xmlns:r="{rels}"><sheets>'
            f'<sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rels}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            z.writestr("xl/sharedStrings.xml", shared_strings)
    return buffer.getvalue()


def declared_size(data: bytes, part: str, size: int) -> bytes:
    """The workbook with the central directory's unpacked size of `part` changed (a lying zip)."""
    at = data.index(b"PK\x01\x02")  # the central directory's entries: name at 46, size at 24
    while data[at + 46 : at + 46 + len(part)] != part.encode():
        at = data.index(b"PK\x01\x02", at + 4)
    return data[: at + 24] + struct.pack("<I", size) + data[at + 28 :]


def far_cell() -> bytes:
    """A real cell at XFD1048576 (and the dimension Excel then writes): calamine's grid for it is
    1,048,576 × 16,384 cells, 550 GB."""
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return workbook(sheet_xml([HEADER, PERSON], "A1:XFD1048576", far))


def unreferenced_rows(rows: int, width: int) -> bytes:
    """Rows without numbers, then a row of `width` cells without references: the extent shows only
    when counted, so only the reading process's limits (or calamine's own sheet size) stop it."""
    wide = "<row>" + '<c t="n"><v>1</v></c>' * width + "</row>"
    return workbook(sheet_xml([HEADER], None, "<row/>" * rows + wide))


def shared_strings_bomb() -> bytes:
    """One shared string, declared as 2^40: calamine reserves them all before reading one (26 TB)."""
    sst = (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1099511627776"><si><t>x</t></si></sst>'
    )
    return workbook(sheet_xml([HEADER, PERSON]), sst)


def zip_bomb() -> bytes:
    """40 MB of XML packed into some 40 kB (1000:1)."""
    return workbook(sheet_xml([HEADER, PERSON], None, " " * (40 << 20)))


def xls_dimension_bomb() -> bytes:
    """The MTS Link .xls fixture with its DIMENSIONS record claiming 4,294,967,280 rows: calamine
    reserves rows × columns cells (1.7 TB) before reading one."""
    data = bytearray((FIXTURES / "mts_link_participants.xls").read_bytes())
    at = data.index(b"\x00\x02\x0e\x00")  # record 0x0200, 14 bytes
    data[at + 4 : at + 18] = struct.pack("<IIHHH", 0, 0xFFFFFFF0, 0, 10, 0)
    return bytes(data)


def sheet_csv(rows: int) -> bytes:
    lines = [";".join(HEADER)] + [f"Участник {i};p{i}@example.ru;Кластеры;01.10.2026" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


# ---------------------------------------------------------------- checks


def snapshot(con) -> list:
    return [con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in TABLES]  # noqa: S608


def assert_within(run: sandbox.ChildRun, limits: sandbox.Limits = LIMITS) -> None:
    """The child's own report of its peaks: under its limit (absent when a limit stopped it)."""
    assert (run.peak_rss_mb is None) == (run.ending != "answered")
    if run.peak_rss_mb is not None:
        assert run.peak_rss_mb < limits.memory_mb and run.peak_vm_mb <= limits.memory_mb


def refused(data: bytes, limits: sandbox.Limits = LIMITS) -> sandbox.ChildRun:
    run = sandbox.run_in_child(data, ZONE, None, limits)
    assert run.parsed is None and run.problems
    assert_within(run, limits)
    for problem in run.problems:  # said in both languages, nothing left unformatted
        assert "{" not in problem.text("f.xlsx", "ru") + problem.text("f.xlsx", "en")
    return run


@pytest.fixture
def limited(monkeypatch):
    """The settings of LIMITS, for the calls that read them (import_file, the CLI)."""
    for name, value in (
        ("REACH_IMPORT_MEMORY_MB", LIMITS.memory_mb),
        ("REACH_IMPORT_SECONDS", LIMITS.seconds),
        ("REACH_MAX_UPLOAD_MB", LIMITS.file_mb),
        ("REACH_IMPORT_MAX_CELLS", LIMITS.max_cells),
        ("REACH_IMPORT_MAX_RECORDS", LIMITS.max_records),
    ):
        monkeypatch.setenv(name, str(value))
    assert sandbox.Limits.from_settings() == LIMITS


def import_refused(data: bytes, code: str) -> None:
    """Through the import itself: rejected with `code`, and nothing written."""
    con = database.connect_memory()
    before = snapshot(con)
    result = import_file(con, data, "hostile.xlsx", zone=ZONE)
    assert (result.status, [p.code for p in result.problems]) == ("rejected", [code])
    assert snapshot(con) == before
    con.close()


# ---------------------------------------------------------------- workbooks


HOSTILE_WORKBOOKS = {
    # name: (file, problem, values the message names, how the child ended)
    "a cell at XFD1048576": (
        far_cell,
        "too_many_cells",
        {"sheet": "Участники", "range": "A1:XFD1048576", "limit": "1 000 000"},
        "answered",
    ),
    "rows past the limit": (  # a 20-column header over 50,000 rows: 1,000,020 cells from A1 to T50001
        lambda: workbook(sheet_xml([HEADER + [f"Вопрос {i}" for i in range(16)]] + [PERSON] * 50_000)),
        "too_many_cells",
        {"sheet": "Участники", "range": "A1:T50001", "limit": "1 000 000"},
        "answered",
    ),
    "2^40 shared strings": (
        shared_strings_bomb,
        "too_many_texts",
        {"count": "1 099 511 627 776", "limit": "1 000 000"},
        "answered",
    ),
    "a zip bomb": (
        zip_bomb,
        "zip_bomb",
        {"packed_mb": "1", "unpacked_mb": "40", "limit_mb": "1 024", "ratio": 100},
        "answered",
    ),
    "sizes that say 3 GB": (
        lambda: declared_size(workbook(sheet_xml([HEADER, PERSON])), "xl/worksheets/sheet1.xml", 3 << 30),
        "zip_bomb",
        {"packed_mb": "1", "unpacked_mb": "3 072", "limit_mb": "1 024", "ratio": 100},
        "answered",
    ),
    "sizes that lie low": (
        lambda: declared_size(workbook(sheet_xml([HEADER, PERSON] * 50)), "xl/worksheets/sheet1.xml", 100),
        "damaged_workbook",
        {"kind": "xlsx"},
        "answered",
    ),
    "a corrupt zip": (
        lambda: b"PK\x03\x04" + bytes(range(256)) * 40,
        "damaged_workbook",
        {"kind": "xlsx"},
        "answered",
    ),
    "a cut-off workbook": (
        lambda: (FIXTURES / "attendance_sheet.xlsx").read_bytes()[:3000],
        "damaged_workbook",
        {"kind": "xlsx"},
        "answered",
    ),
    # 100,002 rows × 20 columns: calamine's grid fits (2 million cells, 64 MB), the sheet does not
    "a grid past the limit, unnumbered": (
        lambda: unreferenced_rows(100_000, 20),
        "too_many_cells",
        {"sheet": "Участники", "range": "A1:T100002", "limit": "1 000 000"},
        "answered",
    ),
    # 100,002 rows × 16,384 columns (52 GB): calamine's allocation fails within the child's limit
    "a grid of 52 GB, unnumbered": (
        lambda: unreferenced_rows(100_000, 16_384),
        "too_much_memory",
        {"limit_mb": "2 048"},
        "SIGABRT",
    ),
    "an .xls declaring 4 billion rows": (
        xls_dimension_bomb,
        "too_much_memory",
        {"limit_mb": "2 048"},
        "SIGABRT",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_WORKBOOKS)
def test_a_hostile_workbook_is_refused_with_what_is_too_large(case, limited):
    make, code, values, ending = HOSTILE_WORKBOOKS[case]
    data = make()
    run = refused(data)
    assert ([(p.code, p.values) for p in run.problems], run.ending) == ([(code, values)], ending)
    import_refused(data, code)


def test_the_messages_name_the_file_and_the_limit():
    run = refused(far_cell())
    assert [p.text("выгрузка.xlsx", "ru") for p in run.problems] == [
        "выгрузка.xlsx: лист «Участники» занимает диапазон A1:XFD1048576 — больше 1 000 000 ячеек "
        "(настройка REACH_IMPORT_MAX_CELLS)"
    ]
    run = refused(xls_dimension_bomb())
    assert [p.text("export.xls", "en") for p in run.problems] == [
        "export.xls: the file needs more than 2 048 MB of memory to read; reading was stopped "
        "(setting REACH_IMPORT_MEMORY_MB)"
    ]


def test_a_sheet_that_only_declares_a_huge_range_is_read():
    """<dimension ref="A1:XFD1048576"/> over two rows (a 1.6 kB file): calamine reserves at most
    100,000 cells for a declared range, so the sheet is read, in the child's usual memory."""
    data = workbook(sheet_xml([HEADER, PERSON], "A1:XFD1048576"))
    assert len(data) < 2000
    run = sandbox.run_in_child(data, ZONE, None, LIMITS)
    assert (run.problems, run.parsed.format, len(run.parsed), run.ending) == ([], "sheet", 1, "answered")
    assert run.peak_rss_mb < 500  # a grid of 17 billion cells would not be


# ---------------------------------------------------------------- text files


HOSTILE_TEXTS = {
    "a 50 MB cell": (
        lambda: (";".join(HEADER) + "\n" + "Я" * (25 << 20) + ";a@example.org;Кластеры;01.10.2026\n").encode(),
        "field_too_long",
        2,
        {"limit": "131 072"},
    ),
    "20 million delimiters": (
        lambda: b";" * 20_000_000,
        "too_many_columns",
        1,
        {"found": "20 000 001", "limit": "16 384"},
    ),
    "a million lines of delimiters": (lambda: b";;;;\n" * 1_000_000, "empty", None, {}),
    "NUL bytes": (lambda: b"\x00" * 5000 + ";".join(HEADER).encode(), "binary", None, {}),
    "not UTF-8 after a UTF-8 mark": (
        lambda: codecs.BOM_UTF8 + b"\xff\xfe\xfa" * 1000,
        "bad_encoding",
        None,
        {"encoding": "UTF-8 (BOM)"},
    ),
    "UTF-16 cut in a character": (
        lambda: codecs.BOM_UTF16_LE + ";".join(HEADER).encode("utf-16-le") + b"\x00",
        "bad_encoding",
        None,
        {"encoding": "UTF-16 LE"},
    ),
}


@pytest.mark.parametrize("case", HOSTILE_TEXTS)
def test_a_hostile_text_file_is_refused_with_the_right_problem(case, limited):
    make, code, line, values = HOSTILE_TEXTS[case]
    data = make()
    run = refused(data)
    assert ([(p.code, p.line, p.values) for p in run.problems], run.ending) == ([(code, line, values)], "answered")
    import_refused(data, code)


def test_a_file_larger_than_allowed_is_not_even_read(limited):
    run = refused(b"a" * (LIMITS.file_mb * 2**20 + 1))
    assert [(p.code, p.values) for p in run.problems] == [("too_large_file", {"size_mb": "65", "limit_mb": "64"})]
    assert run.ending == "not started"


def test_more_records_than_allowed_are_refused():
    run = refused(sheet_csv(150), replace(LIMITS, max_records=100))
    assert [(p.code, p.values) for p in run.problems] == [("too_many_records", {"records": "150", "limit": "100"})]


def test_reading_that_takes_too_long_is_stopped():
    limits = replace(LIMITS, seconds=1)
    run = refused(sheet_csv(400_000), limits)  # about 4 s of reading on this machine
    assert ([(p.code, p.values) for p in run.problems], run.ending) == ([("too_slow", {"seconds": "1"})], "timeout")
    assert 1 <= run.seconds < 5  # stopped at the limit, not at the end of the file


def test_a_file_that_needs_more_memory_than_allowed_is_stopped_within_it():
    """Two million one-cell lines: some 400 MB more as Python lists. With 160 MB over what a
    child takes to start, it runs out, says so and reports its peak; under 2 GB the same file is
    read to its end (and refused for what it holds: one column headed ФИО is no format)."""
    start = sandbox.run_in_child(b"a;b\n", ZONE, None, LIMITS).peak_vm_mb  # the fork server's size
    small = replace(LIMITS, memory_mb=int(start) + 160)
    data = ("ФИО\n" + "Я\n" * 2_000_000).encode()
    run = refused(data, small)
    assert ([(p.code, p.values) for p in run.problems], run.ending) == (
        [("too_much_memory", {"limit_mb": grouped(small.memory_mb)})],
        "answered",
    )
    roomy = refused(data)
    assert [(p.code, p.values) for p in roomy.problems] == [("unrecognised", {})]
    assert roomy.peak_vm_mb > small.memory_mb  # so the limit, not the file, stopped the first child


# ---------------------------------------------------------------- normal files, through the sandbox


NORMAL = sorted(p.name for p in FIXTURES.iterdir() if p.suffix in (".csv", ".xlsx", ".xls"))


@pytest.mark.parametrize("name", NORMAL)
def test_a_fixture_reads_the_same_through_the_sandbox(name):
    data = (FIXTURES / name).read_bytes()
    direct = analysis.parse_file(data, ZONE)
    run = sandbox.run_in_child(data, ZONE, None, LIMITS)
    assert run.ending == "answered" and run.problems == []
    isolated = run.parsed
    assert_within(run)

    def described(parsed):
        table = parsed.arrow().sort_by([("line", "ascending"), ("is_registration", "descending")])
        return (parsed.format, parsed.encoding, parsed.delimiter, parsed.mapping, parsed.events, parsed.problems,
                parsed.rows_read, parsed.extra_headers, table.to_pylist())  # fmt: skip

    assert described(isolated) == described(direct)


CLOCKS = {"events": "exclude (created_at)", "imports": "exclude (imported_at, seconds)"}


def dump(con) -> dict:
    """Every row the import wrote, without its clock readings."""
    return {t: sorted(map(repr, con.execute(f"select * {CLOCKS.get(t, '')} from {t}").fetchall())) for t in TABLES}  # noqa: S608


@pytest.mark.parametrize("name", NORMAL)
def test_a_fixture_imports_the_same_through_the_sandbox(name, monkeypatch):
    data = (FIXTURES / name).read_bytes()
    isolated = database.connect_memory()
    first = import_file(isolated, data, name, zone=ZONE)
    from dashboard.imports import loader

    monkeypatch.setattr(loader, "analyse", analysis.parse_file)  # as it was read before the sandbox
    direct = database.connect_memory()
    second = import_file(direct, data, name, zone=ZONE)
    assert first.status == "imported" and first.records > 0
    assert {**first.__dict__, "seconds": 0} == {**second.__dict__, "seconds": 0}
    assert dump(isolated) == dump(direct)


def test_a_zoom_report_read_in_bulk_reads_the_same_through_the_sandbox():
    """6,000 attendee rows: DuckDB reads the section (zoom_bulk), in the child as in this process."""
    lines = (FIXTURES / "zoom_attendee_current.csv").read_text(encoding="utf-8-sig").splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Attendee Details")) + 1
    rows = [line for line in lines[header + 1 :] if line.startswith(("Yes,", "No,"))]
    data = "\n".join(lines[: header + 1] + rows * (6000 // len(rows) + 1) + [""]).encode()
    direct = analysis.parse_file(data, ZONE)
    assert direct.table is not None and direct.table.num_rows > 6000  # the section read in bulk
    run = sandbox.run_in_child(data, ZONE, None, LIMITS)
    assert_within(run)
    order = [("line", "ascending"), ("is_registration", "descending")]
    assert run.parsed.arrow().sort_by(order).equals(direct.arrow().sort_by(order))
    assert (run.parsed.problems, run.parsed.rows_read, run.parsed.events) == (direct.problems, direct.rows_read,
                                                                               direct.events)  # fmt: skip


# ---------------------------------------------------------------- the command line and the server


def test_reach_import_refuses_a_bomb_and_goes_on(tmp_path, capsys, limited):
    bomb, good = tmp_path / "bomb.xls", tmp_path / "zoom.csv"
    bomb.write_bytes(xls_dimension_bomb())
    good.write_bytes((FIXTURES / "zoom_attendee_current.csv").read_bytes())
    db = tmp_path / "reach.duckdb"
    assert cli.main(["import", str(bomb), str(good), "--db", str(db)]) == 1
    out, err = capsys.readouterr()
    assert err == (
        "bomb.xls: not imported, problems: 1\n  bomb.xls: the file needs more than 2 048 MB of memory to read; "
        "reading was stopped (setting REACH_IMPORT_MEMORY_MB)\n"
    )
    assert out.startswith("zoom.csv: imported")
    con = database.connect(db)
    assert con.execute("select file_name from imports").fetchall() == [("zoom.csv",)]
    con.close()


def test_the_server_takes_uploads_up_to_the_setting(monkeypatch):
    command = cli.streamlit_command(8501)
    assert command[command.index("--server.maxUploadSize") + 1] == "256"
    monkeypatch.setenv("REACH_MAX_UPLOAD_MB", "40")
    command = cli.streamlit_command(8501)
    assert command[command.index("--server.maxUploadSize") + 1] == "40"


def test_the_child_does_not_run_the_main_script_again(tmp_path, monkeypatch):
    """In the server __main__ is Streamlit's page script (server.py); multiprocessing would run it
    again in each child, opening the database there. The child runs none of it."""
    import sys
    import types

    trap = tmp_path / "ran"
    script = tmp_path / "page.py"
    script.write_text(f"open({str(trap)!r}, 'a').write('ran')\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    run = sandbox.run_in_child((FIXTURES / "zoom_attendee_current.csv").read_bytes(), ZONE, None, LIMITS)
    assert (run.ending, len(run.parsed), trap.exists()) == ("answered", 12, False)


# ---------------------------------------------------------------- fuzz


FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=bool(os.environ.get("CI")))  # fmt: skip
FUZZ_LIMITS = sandbox.Limits(memory_mb=1536, seconds=20, file_mb=64, max_cells=1_000_000, max_records=100_000)
EXPECTED = set(MESSAGES) - {"internal", "reader_crashed", "missing_file", "too_large_file", "too_slow"}


def check_survives(data: bytes) -> None:
    """Read or refused for a reason in words, within the limit, never an internal error or a crash."""
    run = sandbox.run_in_child(data, ZONE, None, FUZZ_LIMITS)
    event(f"{run.ending}: {', '.join(sorted({p.code for p in run.problems})) or 'read'}")
    assert run.parsed is not None or {p.code for p in run.problems} <= EXPECTED
    assert run.ending in ("answered", "SIGABRT")
    assert_within(run, FUZZ_LIMITS)


@FUZZ
@given(
    rows=st.lists(st.lists(st.text(max_size=20), max_size=6), max_size=30),
    dimension=st.one_of(
        st.none(),
        st.sampled_from(["A1", "A1:XFD1048576", "XFD1048576", "A1:A1", "B2:A1", "ZZZZ0:A", ""]),
        st.builds(lambda c, r: f"A1:{column_letters(c)}{r}", st.integers(0, 16383), st.integers(1, 1 << 21)),
    ),
    far=st.one_of(st.none(), st.tuples(st.integers(1, 1 << 21), st.integers(0, 16383))),
    blank_rows=st.integers(0, 50_000),
    width=st.integers(0, 20_000),
    unique=st.one_of(st.none(), st.integers(0, 1 << 62)),
    cut=st.one_of(st.none(), st.integers(0, 5000)),
)
def test_fuzz_workbooks(rows, dimension, far, blank_rows, width, unique, cut):
    after = "<row/>" * blank_rows + ("<row>" + '<c t="n"><v>1</v></c>' * width + "</row>" if width else "")
    if far:
        after += f'<row r="{far[0]}"><c r="{column_letters(far[1])}{far[0]}"><v>1</v></c></row>'
    sst = None if unique is None else f'<sst uniqueCount="{unique}"><si><t>x</t></si></sst>'
    data = workbook(sheet_xml([HEADER, *rows], dimension, after), sst)
    check_survives(data if cut is None else data[:cut])


@FUZZ
@given(
    text=st.text(max_size=2000),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "cp1251", "utf-16", "utf-16-le", "koi8-r", "latin-1"]),
    delimiters=st.integers(0, 3_000_000),
    long_cell=st.integers(0, 3_000_000),
    nul_at=st.one_of(st.none(), st.integers(0, 10_000)),
    noise=st.binary(max_size=64),
)
def test_fuzz_text_files(text, codec, delimiters, long_cell, nul_at, noise):
    body = ";".join(HEADER) + "\n" + text + "\n" + ";" * delimiters + "\n" + "x" * long_cell + "\n"
    data = body.encode(codec, errors="replace") + noise
    if nul_at is not None:
        data = data[:nul_at] + b"\x00" + data[nul_at:]
    check_survives(data)
