"""A large Zoom `Attendee Details` section read by DuckDB's CSV reader instead of row by row.

The rules are those of parsing._zoom_record and parsing._attendance, written in SQL; a test
compares both ways on every Zoom fixture, including a broken one. Values DuckDB's layouts do
not read are handed to the Python readers (times.parse_time, times.parse_minutes), so a
value reads the same either way. The rest of the report (topic, host, panelists, Other
Attended) goes through the row parser.
"""

from __future__ import annotations

import os
import re
import tempfile

import duckdb
import pyarrow as pa

from dashboard.imports.parsing import zoom_countries
from dashboard.imports.problems import Problem
from dashboard.imports.reading import EMPTY_MARKERS, Rows, read_text
from dashboard.imports.times import parse_minutes, parse_time

MIN_ROWS = 5000  # smaller sections are not worth a temporary file
_MARKER = re.compile(r"^(Attendee Details|Other Attended)[,\s]*$", re.M)
ZOOM_LAYOUTS = ["%b %d, %Y %H:%M:%S", "%b %d, %Y %I:%M %p", "%b %d, %Y %I:%M:%S %p"]


def split(text: str) -> tuple[Rows, str, int] | None:
    """(rows of the report without its attendee data, the attendee section with its header,
    the line number of that header) for a large Zoom attendee report; else None."""
    if not text.lstrip("\ufeff").startswith("Attendee Report"):
        return None
    marks = list(_MARKER.finditer(text))
    attendee = next((m for m in marks if m.group(1) == "Attendee Details"), None)
    if attendee is None:
        return None
    header_at = attendee.end() + 1
    following = next((m for m in marks if m.start() > attendee.start()), None)
    end = following.start() if following else len(text)
    section = text[header_at:end]
    if section.count("\n") < MIN_ROWS:
        return None
    first_line = text.count("\n", 0, header_at) + 1
    rest = read_text((text[:header_at] + text[end:]).encode("utf-8"))
    # the rows after the section keep their own line numbers
    shift = section.count("\n")
    rest.lines = [n if n < first_line else n + shift for n in rest.lines]
    return rest, section, first_line


def _clean(column: str) -> str:
    markers = ", ".join(f"'{m}'" for m in sorted(EMPTY_MARKERS) if m)
    text = f"""regexp_replace(trim({column}), '^="(.*)"$', '\\1')"""
    return f"nullif(case when lower({text}) in ({markers}) then '' else {text} end, '')"


def write_section(section: str) -> tuple[str, int]:
    """The section in a temporary UTF-8 file (DuckDB reads files), and its number of data lines."""
    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "wb") as f:
        f.write(section.encode("utf-8"))
    return path, section.count("\n") - (0 if section.endswith("\n") else -1) - 1


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
        con.execute(
            "create table src as select row_number() over () as n, * from read_csv($p, header = true,"
            " all_varchar = true, delim = ',', quote = '\"', null_padding = true, strict_mode = false)",
            {"p": path})  # fmt: skip
    except duckdb.Error:
        return None
    names = [r[0] for r in con.execute("describe src").fetchall()][1:]
    rows = con.execute("select count(*) from src").fetchall()[0][0]
    if rows != data_lines:
        return None

    def at(index: int | None) -> str:
        return _clean(f'"{names[index]}"') if index is not None and index < len(names) else "null"

    def col(field: str) -> str:
        return at(cols.get(field))

    # a registration keeps the country the person declared, an attendance where Zoom saw them
    seen, declared = zoom_countries(header, cols)
    registration_country = ("declared_raw", "true") if declared is not None else ("seen_raw", "false")
    attendance_country = ("seen_raw", "false") if seen is not None else ("declared_raw", str(declared is not None))

    full_name = (
        col("name")
        if "name" in cols
        else (
            "nullif(trim(concat_ws(' ', "
            + ", ".join(col(f) for f in ("last_name", "first_name", "middle_name"))
            + ")), '')"
        )
    )
    con.execute(f"""
        create table v as select n + {first_line} as line,
            {col("email")} as email, {full_name} as name, {col("organisation")} as organisation,
            {at(seen)} as seen_raw, {at(declared)} as declared_raw, {col("occupation")} as occupation_raw,
            {col("attended")} as attended, {col("registered_at")} as registered_raw,
            {col("join")} as joined_raw, {col("leave")} as left_raw, {col("duration")} as duration_raw
        from src
    """)  # noqa: S608 - column names come from DuckDB's own describe, by position
    con.execute("drop table src")
    _times(con, zone)
    _durations(con)
    con.execute("""
        create view checked as
        select *,
            email is null and name is null as no_person,
            registered_raw is not null and registered_at is null as bad_registered,
            attended is null or lower(attended) in ('yes', 'да') as did_attend,
            coalesce(left_at, case when left_raw is null then joined_at + to_seconds(round(minutes * 60)) end) as left_final
        from v
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


def _times(con: duckdb.DuckDBPyConnection, zone: str) -> None:
    """registered_at, joined_at, left_at in UTC: Zoom's layouts in DuckDB, any other value by
    times.parse_time (once per distinct value)."""
    layouts = "[" + ", ".join(f"'{f}'" for f in ZOOM_LAYOUTS) + "]"
    for raw, name in (("registered_raw", "registered_at"), ("joined_raw", "joined_at"), ("left_raw", "left_at")):
        con.execute(f"alter table v add column {name} timestamp")
        con.execute(f"""update v set {name} = timezone('UTC', timezone($zone, try_strptime({raw}, {layouts})))
                        where {raw} is not null""", {"zone": zone})  # fmt: skip  # noqa: S608
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
        if readable:
            con.register("readable", pa.table({"raw": list(readable), "at": list(readable.values())}))
            con.execute(f"update v set {name} = r.at from readable r where v.{raw} = r.raw")  # noqa: S608
            con.unregister("readable")


def _durations(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("alter table v add column minutes double")
    con.execute(
        "update v set minutes = try_cast(replace(duration_raw, ',', '.') as double) where duration_raw is not null"
    )
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
    if readable:
        con.register("readable", pa.table({"raw": list(readable), "minutes": list(readable.values())}))
        con.execute("update v set minutes = r.minutes from readable r where v.duration_raw = r.raw")
        con.unregister("readable")


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
