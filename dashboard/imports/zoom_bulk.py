"""A large Zoom `Attendee Details` section read by DuckDB's CSV reader instead of row by row.

The rules are those of parsing._zoom_record and parsing._attendance, written in SQL; a test
compares both ways on every Zoom fixture, including a broken one. Values DuckDB's layouts do
not read are handed to the Python readers (times.parse_time, times.parse_minutes), so a
value reads the same either way. The rest of the report (topic, host, panelists, Other
Attended) goes through the row parser.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from dashboard.imports.parsing import zoom_countries
from dashboard.imports.problems import Problem
from dashboard.imports.reading import EMPTY_MARKERS, Rows, read_text
from dashboard.imports.times import parse_minutes, parse_time

MIN_ROWS = 5000  # smaller sections are not worth a temporary file
_MARKER = re.compile(r"^(Attendee Details|Other Attended)[,\s]*$", re.M)
_TAIL = re.compile(r"[,\s]*")
_REPORT = b"Attendee Report"
ZOOM_LAYOUTS = ["%b %d, %Y %H:%M:%S", "%b %d, %Y %I:%M %p", "%b %d, %Y %I:%M:%S %p"]


def starts_report(data: bytes, start: int = 0) -> bool:
    """Whether the text data[start:] (UTF-8) starts as a Zoom attendee report does."""
    while data.startswith(codecs.BOM_UTF8, start):  # text.lstrip("\ufeff")
        start += len(codecs.BOM_UTF8)
    return data.startswith(_REPORT, start)


def starts_report_text(text: str) -> bool:
    return text.lstrip("\ufeff").startswith(_REPORT.decode())


def split(data: bytes, start: int = 0) -> tuple[Rows, Section] | None:
    """(rows of the report without its attendee data, its Attendee Details section) for a large
    Zoom attendee report whose text is `data[start:]` in UTF-8; else None.

    The text is never decoded as a whole (a million-row report is hundreds of megabytes of
    Python text): the section markers are found as bytes, each checked with _MARKER on the
    text of its line, so that they are found where the text's own search finds them."""
    text_start = start
    if not starts_report(data, start):
        return None
    attendee = _first_mark(data, text_start, text_start, (b"Attendee Details",))
    if attendee is None:
        return None
    header_at = attendee[1] + 1
    following = _first_mark(data, text_start, attendee[0] + 1, (b"Attendee Details", b"Other Attended"))
    end = following[0] if following else len(data)
    if data.count(b"\n", header_at, end) < MIN_ROWS:
        return None
    first_line = data.count(b"\n", text_start, header_at) + 1
    rest = read_text(data[text_start:header_at] + data[end:])
    # the rows after the section keep their own line numbers
    shift = data.count(b"\n", header_at, end)
    rest.lines = [n if n < first_line else n + shift for n in rest.lines]
    return rest, Section(data, header_at, end, first_line)


@dataclass(frozen=True)
class Section:
    """The Attendee Details section of a report: data[begin:end], its header line first."""

    data: bytes
    begin: int
    end: int
    first_line: int  # the line number of its header

    def header_line(self) -> str:
        return self.data[self.begin : self.data.find(b"\n", self.begin, self.end)].decode("utf-8")

    def data_lines(self) -> int:
        """Its lines after the header (a last line without a line break counts)."""
        breaks = self.data.count(b"\n", self.begin, self.end)
        ends_with_break = self.end > self.begin and self.data[self.end - 1] == ord("\n")
        return breaks - (0 if ends_with_break else -1) - 1


def _first_mark(data: bytes, text_start: int, since: int, marks: tuple[bytes, ...]) -> tuple[int, int] | None:
    """(start, end) of the first match of _MARKER at or after `since` that begins with one of
    `marks`, in bytes of data (whose text starts at `text_start`)."""
    found = []
    for mark in marks:
        at = data.find(mark, since)
        while at >= 0:
            end = _marker_end(data, text_start, at)
            if end is not None:
                found.append((at, end))
                break
            at = data.find(mark, at + 1)
    return min(found) if found else None


def _marker_end(data: bytes, text_start: int, at: int) -> int | None:
    """Where _MARKER's match starting at `at` ends (bytes), or None when it does not match there.
    `^` holds at the text's start and after a line break; the pattern is matched on the text
    from `at`, decoded a window at a time until the window's end cannot change the match."""
    if at != text_start and data[at - 1] != ord("\n"):
        return None
    size = 4096
    while True:
        window = data[at : at + size].decode("utf-8", "ignore")  # only a character cut at the end is dropped
        match = _MARKER.match(window)
        if match is None:
            return None
        whole = at + size >= len(data)
        if whole or not _TAIL.fullmatch(window, match.end()):
            return at + len(window[: match.end()].encode("utf-8"))
        size *= 16  # commas and blanks up to the window's end: a longer text may match further


def _unwrapped(column: str) -> str:
    """A cell trimmed and Excel's ="…" unwrapped (the regular expression only where a cell starts
    with =", which is the only place it can match)."""
    text = f"trim({column})"
    return f"""case when starts_with({text}, '="') then regexp_replace({text}, '^="(.*)"$', '\\1') else {text} end"""


def _cleaned(column: str) -> str:
    """An unwrapped cell (_unwrapped) as reading.clean_text has it: empty and the empty markers
    (--, NA) as null. The markers are at most four bytes long, and no longer text lowers to one,
    so lower() runs only on the short cells."""
    markers = ", ".join(f"'{m}'" for m in sorted(EMPTY_MARKERS) if m)
    assert max(len(m.encode()) for m in EMPTY_MARKERS) <= 4  # noqa: S101 - the strlen test below
    return f"case when {column} = '' or (strlen({column}) <= 4 and lower({column}) in ({markers})) then null else {column} end"


def write_section(section: Section) -> str:
    """The section in a temporary UTF-8 file (DuckDB reads files), written from the report's bytes."""
    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "wb") as f:
        f.write(memoryview(section.data)[section.begin : section.end])
    return path


_CSV = "read_csv($p, header = true, all_varchar = true, delim = ',', quote = '\"', null_padding = true, strict_mode = false)"


def parse_section(
    path: str,
    data_lines: int,
    first_line: int,
    cols: dict[str, int],
    header: list,
    zone: str,
    problems: list[Problem],
) -> tuple[pa.Table, int] | None:
    """Records of the section as an Arrow table in parsing.RECORD_FIELDS order, and the rows read;
    None when the section's lines and records do not match (a quoted line break), so that the
    row parser, which counts lines exactly, takes over."""
    con = duckdb.connect()
    con.execute("set preserve_insertion_order = true")
    con.execute("set enable_progress_bar = false")  # not in the server's log
    try:
        names = [r[0] for r in con.execute(f"describe select * from {_CSV}", {"p": path}).fetchall()]  # noqa: S608
    except duckdb.Error:
        return None
    # a registration keeps the country the person declared, an attendance where Zoom saw them
    seen, declared = zoom_countries(header, cols)
    registration_country = ("declared_raw", "true") if declared is not None else ("seen_raw", "false")
    attendance_country = ("seen_raw", "false") if seen is not None else ("declared_raw", str(declared is not None))
    # the columns read, by position: each trimmed and unwrapped once, then cleaned once
    fields = ["email", "organisation", "occupation", "attended", "registered_at", "join", "leave", "duration"]
    fields += ["name"] if "name" in cols else ["last_name", "first_name", "middle_name"]
    used = sorted({i for i in (*(cols.get(f) for f in fields), seen, declared) if i is not None and i < len(names)})

    def at(index: int | None) -> str:
        return f"c{index}" if index is not None and index < len(names) else "null"

    def col(field: str) -> str:
        return at(cols.get(field))

    full_name = (
        col("name")
        if "name" in cols
        else (
            "nullif(trim(concat_ws(' ', "
            + ", ".join(col(f) for f in ("last_name", "first_name", "middle_name"))
            + ")), '')"
        )
    )
    layouts = "[" + ", ".join(f"'{f}'" for f in ZOOM_LAYOUTS) + "]"

    def utc(raw: str) -> str:
        return f"timezone('UTC', timezone($zone, try_strptime({raw}, {layouts})))"

    unwrapped = ", ".join(f"{_unwrapped(_quoted(names[i]))} as c{i}" for i in used) or "null as c"
    cleaned = ", ".join(f"{_cleaned(f'c{i}')} as c{i}" for i in used) or "c"
    # No row_number() here: it would read the file in one thread. The table keeps the file's
    # order (preserve_insertion_order), so a row's line is its rowid (the view `lined`).
    try:
        con.execute(f"""
            create table v as
            select email, name, organisation, seen_raw, declared_raw, occupation_raw, attended,
                registered_raw, joined_raw, left_raw, duration_raw,
                {utc("registered_raw")} as registered_at, {utc("joined_raw")} as joined_at, {utc("left_raw")} as left_at,
                try_cast(replace(duration_raw, ',', '.') as double) as minutes
            from (
                select {col("email")} as email, {full_name} as name, {col("organisation")} as organisation,
                    {at(seen)} as seen_raw, {at(declared)} as declared_raw, {col("occupation")} as occupation_raw,
                    {col("attended")} as attended, {col("registered_at")} as registered_raw,
                    {col("join")} as joined_raw, {col("leave")} as left_raw, {col("duration")} as duration_raw
                from (select {cleaned} from (select {unwrapped} from {_CSV}))
            )
        """, {"p": path, "zone": zone})  # fmt: skip  # noqa: S608 - column names come from DuckDB's own describe, by position
    except duckdb.Error:
        return None
    rows = con.execute("select count(*) from v").fetchall()[0][0]
    if rows != data_lines:
        return None
    fixes = [*_times(con, zone), _durations(con)]
    joins = "".join(f" left join {table} on {table}.raw = v.{raw}" for raw, _, table in fixes if table)
    replaced = ", ".join(f"coalesce(v.{name}, {table}.value) as {name}" for _, name, table in fixes if table)
    con.execute(f"""
        create view lined as
        select v.rowid + {first_line + 1} as line, v.*{f" replace ({replaced})" if replaced else ""}
        from v{joins}
    """)  # noqa: S608 - fixed names
    con.execute("""
        create view checked as
        select *,
            email is null and name is null as no_person,
            registered_raw is not null and registered_at is null as bad_registered,
            attended is null or lower(attended) in ('yes', 'да') as did_attend,
            coalesce(left_at, case when left_raw is null then joined_at + to_seconds(round(minutes * 60)) end) as left_final
        from lined
    """)
    con.execute("""
        create view judged as
        select *,
            case
                when no_person or bad_registered or not did_attend then null
                when joined_raw is null then 'no_times'
                when joined_at is null then 'bad_join'
                when left_raw is not null and left_at is null then 'bad_leave'
                when left_raw is null and duration_raw is not null and minutes is null then 'bad_duration'
                when left_final is null then 'no_times'
                when left_final < joined_at then 'leave_before_join'
                when left_final - joined_at > interval 1 day then 'too_long'
            end as attendance_problem
        from checked
    """)
    _problems(con, cols, header, problems)
    table = con.sql(f"""
        select line, 0 as event, email, name, organisation, occupation_raw, null::varchar as staff_role,
               {registration_country[0]} as country_raw, {registration_country[1]} as is_country_declared,
               registered_at, true as is_registration, null::timestamp as joined_at, null::timestamp as left_at, line * 2 as o
        from judged
        where not no_person and not bad_registered and (registered_at is not null or not did_attend)
        union all
        select line, 0, email, name, organisation, occupation_raw, null, {attendance_country[0]}, {attendance_country[1]},
               null, false, joined_at, left_final, line * 2 + 1
        from judged
        where not no_person and not bad_registered and did_attend and attendance_problem is null
        order by o
    """).to_arrow_table()  # noqa: S608 - fixed column names and boolean literals
    return table.drop_columns(["o"]), rows


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _times(con: duckdb.DuckDBPyConnection, zone: str) -> list[tuple[str, str, str | None]]:
    """registered_at, joined_at, left_at in UTC: Zoom's layouts in DuckDB (parse_section), any
    other value by times.parse_time (once per distinct value), in a table of its own: (raw
    column, column, table of raw -> value or None)."""
    fixes = []
    for raw, name in (("registered_raw", "registered_at"), ("joined_raw", "joined_at"), ("left_raw", "left_at")):
        others = [
            r[0]
            for r in con.execute(f"select distinct {raw} from v where {raw} is not null and {name} is null").fetchall()
        ]  # noqa: S608
        readable = {}
        for value in others:
            try:
                readable[value] = parse_time(value, zone)
            except ValueError:
                continue
        fixes.append((raw, name, _fix_table(con, f"read_{name}", readable, pa.timestamp("us"))))
    return fixes


def _durations(con: duckdb.DuckDBPyConnection) -> tuple[str, str, str | None]:
    """minutes: DuckDB's reading of a number (parse_section), any other value by times.parse_minutes."""
    others = [
        r[0]
        for r in con.execute(
            "select distinct duration_raw from v where duration_raw is not null and minutes is null"
        ).fetchall()
    ]
    readable = {}
    for value in others:
        try:
            readable[value] = parse_minutes(value)
        except ValueError:
            continue
    return "duration_raw", "minutes", _fix_table(con, "read_minutes", readable, pa.float64())


def _fix_table(con: duckdb.DuckDBPyConnection, name: str, readable: dict, kind: pa.DataType) -> str | None:
    """A table (raw, value) of the values Python read, or None when there are none."""
    if not readable:
        return None
    con.register("readable", pa.table({"raw": pa.array(list(readable), pa.string()),
                                       "value": pa.array(list(readable.values()), kind)}))  # fmt: skip
    con.execute(f"create table {name} as select * from readable")
    con.unregister("readable")
    return name


def _problems(con, cols, header, problems: list[Problem]) -> None:
    rows = con.execute("""
        select line, case when no_person then 'no_person' when bad_registered then 'bad_registered'
                          else attendance_problem end as code,
               registered_raw, joined_raw, left_raw, duration_raw
        from judged
        where no_person or bad_registered or attendance_problem is not null
        order by line
    """).fetchall()
    for line, code, registered_raw, joined_raw, left_raw, duration_raw in rows:
        if code == "bad_registered":
            problems.append(_bad_time(line, header, cols["registered_at"], registered_raw))
        elif code == "bad_join":
            problems.append(_bad_time(line, header, cols["join"], joined_raw))
        elif code == "bad_leave":
            problems.append(_bad_time(line, header, cols["leave"], left_raw))
        elif code == "bad_duration":
            problems.append(Problem("bad_duration", line=line, column=str(header[cols["duration"]]),
                                    values={"value": duration_raw}))  # fmt: skip
        elif code == "leave_before_join":
            problems.append(Problem("leave_before_join", line=line, column=str(header[cols["leave"]]) if "leave" in cols
                                    else None, values={"left": left_raw, "joined": joined_raw}))  # fmt: skip
        elif code == "too_long":
            problems.append(Problem("too_long", line=line, values={"joined": joined_raw, "left": left_raw}))
        else:
            problems.append(Problem(code, line=line))


def _bad_time(line, header, index, value) -> Problem:
    return Problem("bad_time", line=line, column=str(header[index]), values={"value": value})
