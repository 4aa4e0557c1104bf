"""Recognise a file's format from its content and turn it into canonical records.

Formats: Zoom webinar attendee report (older and current layouts), Zoom registration report,
Webex attendance report, MTS Link (Webinar.ru) participant statistics, BigBlueButton's Learning
Dashboard session data, and registration or attendance sheets found by header synonyms. Records
are kept column-wise (lists), so that a million-row export stays within memory and time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pyarrow as pa

from dashboard.imports.normalise import key
from dashboard.imports.problems import FileRejected, Problem
from dashboard.imports.reading import Rows, clean, clean_text, cleaned
from dashboard.imports.times import add_minutes, parse_browser_time, parse_clock, parse_minutes, parse_time

RECORD_FIELDS = (
    "line", "event", "email", "name", "organisation", "occupation_raw", "staff_role",
    "country_raw", "is_country_declared", "registered_at", "is_registration", "joined_at", "left_at",
)  # fmt: skip
# is_country_declared: the person stated country_raw (a form, a registration question), as
# opposed to Zoom's Country/Region Name, which is where the platform saw them.

# Header synonyms (compared by normalise.key). The platform's own role column is the meeting
# role (host, panelist, attendee): it decides staff versus audience, never the occupation.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "email": (
        "email",
        "e-mail",
        "e mail",
        "почта",
        "электронная почта",
        "адрес электронной почты",
        "e-mail адрес",
        "email address",
        "attendee email",
        "participant email",
        "user email",
        "эл почта",
        "электронный адрес",
    ),
    "name": (
        "фио",
        "name",
        "full name",
        "user name",
        "user name original name",
        "participant name",
        "attendee name",
        "имя участника",
        "участник",
        "display name",
        "name original name",
        "ф и о",
        "фамилия имя отчество",
        "фамилия и имя",
        "имя и фамилия",
    ),
    "first_name": ("имя", "first name", "given name"),
    "last_name": ("фамилия", "last name", "surname", "family name"),
    "middle_name": ("отчество", "middle name", "patronymic"),
    "chat_name": ("имя в чате", "chat name"),
    "country": (
        "страна",
        "country",
        "country/region",
        "страна проживания",
        "страна участника",
    ),
    "organisation": (
        "организация",
        "organisation",
        "organization",
        "company",
        "компания",
        "место работы",
        "наименование организации",
    ),
    "occupation": (
        "должность",
        "род деятельности",
        "сфера деятельности",
        "профессия",
        "position",
        "occupation",
        "profession",
        "job title",
        "title",
        "роль в организации",
    ),
    "event": (
        "мероприятие",
        "вебинар",
        "webinar",
        "event",
        "topic",
        "тема",
        "meeting name",
        "meeting topic",
        "название вебинара",
        "название мероприятия",
        "название встречи",
        "тема встречи",
    ),
    "date": ("дата", "date", "дата вебинара", "дата мероприятия", "дата проведения"),
    "event_start": (
        "start time",
        "время начала",
        "начало",
        "scheduled time",
        "actual start time",
        "meeting start time",
    ),
    "join": ("время входа", "время подключения", "вход", "join", "join time", "time joined", "подключение"),
    "leave": ("время выхода", "время отключения", "выход", "leave", "leave time", "time left", "отключение"),
    "duration": (
        "длительность",
        "продолжительность",
        "duration",
        "time in session minutes",
        "attendance duration",
        "минут",
        "длительность мин",
        "время присутствия",
        "время на вебинаре",
        "время участия",
        "длительность участия",
        "продолжительность участия",
    ),
    "registered_at": (
        "отметка времени",
        "timestamp",
        "registration time",
        "время регистрации",
        "дата регистрации",
        "registered at",
        "registration date",
    ),
    "meeting_role": (
        "роль",
        "role",
        "participant role",
        "attendee type",
        "тип участника",
        "user role",
        "роль участника",
        "роль на вебинаре",
    ),
    "attended": ("attended", "присутствовал", "участвовал"),
}
_HEADER = {key(s): f for f, names in SYNONYMS.items() for s in names}
# Columns known and not used: a payment status (MTS Link's paid webinars), a city. Never read as
# a registration question; listed among the columns not used.
KNOWN_UNUSED = frozenset(
    key(s) for s in ("статус оплаты", "оплата", "payment status", "payment", "город", "city", "город проживания")
)
# An e-mail or name that only says the person came as a guest (MTS Link's open entry: "гость").
GUEST_WORDS = frozenset({"гость", "guest"})
# Zoom's own country column: where Zoom saw the person. It is the country column only when no
# other column names one (a registration question "Страна" or "Country/Region" is declared).
PLATFORM_COUNTRY = frozenset({"country/region name", "country region name"})
# What an analyst's mapping may change in a platform's report (Zoom, Webex, MTS Link): who the
# person is and what they said about themselves; the report's own structure stays as it is.
PERSON_FIELDS = ("name", "first_name", "last_name", "middle_name", "email", "country", "organisation", "occupation")
SHEET_FIELDS = ("name", "email", "country", "organisation", "occupation", "event", "date", "join", "leave",
                "duration", "registered_at", "meeting_role")  # fmt: skip
JOINED_AT = RECORD_FIELDS.index("joined_at")
FREELY_MAPPED = ("sheet", "mts-link")  # formats whose every column a mapping may name
STAFF_WORDS = {
    "host": "host", "ведущий": "host", "организатор": "host", "organizer": "host", "administrator": "host",
    "администратор": "host", "co-host": "co-host", "cohost": "co-host", "соведущий": "co-host",
    "alternate host": "co-host", "panelist": "panelist", "presenter": "panelist", "спикер": "panelist",
    "докладчик": "panelist", "модератор": "co-host", "moderator": "co-host", "лектор": "panelist",
}  # fmt: skip


@dataclass
class EventRef:
    title: str | None
    starts_at: datetime | None = None  # UTC
    platform: str | None = None
    platform_event_id: str | None = None
    planned_minutes: int | None = None
    local_date: str | None = None  # ISO date in the import zone, when only a date is known
    start_stated: bool = False  # the file states the start (else: the earliest join)
    stated: dict = field(default_factory=dict)  # platform's own figures


@dataclass
class Parsed:
    format: str
    encoding: str
    delimiter: str | None
    mapping: dict[str, str]  # field -> header as found
    events: list[EventRef] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # one tuple per record, in RECORD_FIELDS order
    table: pa.Table | None = None  # more records, read in bulk (zoom_bulk), same columns
    problems: list[Problem] = field(default_factory=list)
    rows_read: int = 0
    extra_headers: list[str] = field(default_factory=list)  # columns not used

    def registration(self, person: tuple, country: tuple, registered_at: datetime | None) -> None:
        """person: (line, event, email, name, organisation, occupation_raw, staff_role);
        country: (country_raw, is_country_declared)."""
        self.rows.append((*person, *country, registered_at, True, None, None))

    def attendance(self, person: tuple, country: tuple, joined_at: datetime, left_at: datetime) -> None:
        self.rows.append((*person, *country, None, False, joined_at, left_at))

    @property
    def records(self) -> dict[str, list]:
        """The records column-wise, as lists."""
        columns = list(zip(*self.rows, strict=True)) if self.rows else [() for _ in RECORD_FIELDS]
        return {name: list(values) for name, values in zip(RECORD_FIELDS, columns, strict=True)}

    def arrow(self) -> pa.Table:
        """All records as an Arrow table with RECORD_FIELDS columns (cells as text)."""
        r = self.records
        stamp = pa.timestamp("us")
        own = pa.table({
            "line": pa.array(r["line"], pa.int64()), "event": pa.array(r["event"], pa.int32()),
            **{name: pa.array(_texts(r[name]), pa.string())
               for name in ("email", "name", "organisation", "occupation_raw", "staff_role", "country_raw")},
            "is_country_declared": pa.array(r["is_country_declared"], pa.bool_()),
            "registered_at": pa.array(r["registered_at"], stamp), "is_registration": pa.array(r["is_registration"], pa.bool_()),
            "joined_at": pa.array(r["joined_at"], stamp), "left_at": pa.array(r["left_at"], stamp),
        })  # fmt: skip
        if self.table is None:
            return own
        return pa.concat_tables([own, self.table.cast(own.schema)])

    def __len__(self) -> int:
        return len(self.rows) + (self.table.num_rows if self.table is not None else 0)


def _texts(values: list) -> list:
    """Cells as text (a spreadsheet may give numbers); None stays None."""
    return [v if v is None or isinstance(v, str) else str(v) for v in values]


class _Times:
    """Parsing with a memory: exports repeat the same timestamps many times."""

    def __init__(self, zone: str):
        self.zone = zone
        self.seen: dict = {}

    def __call__(self, value) -> datetime:
        if value in self.seen:
            return self.seen[value]
        moment = parse_time(value, self.zone)
        self.seen[value] = moment
        return moment


# Registration questions are recognised by their words, whatever else the header says ("What is
# your occupation? (student, researcher, manager…)", "Страна проживания (для статистики)"). A
# phrase is matched on whole words of the header outside its parentheses, which hold examples.
_QUESTION_WORDS: dict[str, tuple[str, ...]] = {
    "occupation": (
        r"roles? (?:in|at|within) (?:(?:your|the|an?|my) )?(?:organi[sz]ations?|compan(?:y|ies)|institutions?|work|team)",
        r"рол[ьи] в (?:организации|компании|учреждении|коллективе|команде)",
        r"(?:сфер[аыуе]|род|рода|вид|вида) деятельности",
        r"occupations?", r"professions?", r"positions?", r"jobs?",
        r"должност\w*", r"професси(?:я|и|ю|ей)", r"занятост\w*",
    ),
    "country": (r"countr(?:y|ies)", r"стран(?:а|ы|у|е|ой)?", r"государств(?:о|а|у|е|ом)?"),
    "organisation": (
        r"organi[sz]ations?", r"compan(?:y|ies)", r"employers?", r"institutions?", r"universit(?:y|ies)",
        r"affiliations?", r"организаци(?:я|и|ю|ей)", r"мест(?:о|а|е) работы", r"учреждени(?:е|я|ю|ем|и)",
        r"вуз(?:а|у|е|ом)?", r"компани(?:я|и|ю|ей)",
    ),
}  # fmt: skip
_QUESTION_PATTERNS = [(f, re.compile(rf"(?<!\w)(?:{p})(?!\w)")) for f, ps in _QUESTION_WORDS.items() for p in ps]
# "Статус", "Role" name the occupation only beside examples of one: Zoom's "Approval Status" and
# a platform's meeting "Role" / "Роль" do not.
_STATUS = re.compile(r"(?<!\w)(?:status|статус|roles?|роль)(?!\w)")
_OCCUPATION_EXAMPLES = re.compile(
    r"(?<!\w)(?:студент|аспирант|школьник|магистрант|преподавател|сотрудник|работа|пенсионер|специалист|руководител"
    r"|student|pupil|researcher|employ|unemploy|teacher|retired|specialist|manager)\w*"
)
# Headers about something else that happens to name a company or a country.
_NOT_A_QUESTION = re.compile(
    r"(?<!\w)(?:size|размер\w*|количеств\w*|численност\w*|number|code|код|кода|phone|телефон\w*|website|site"
    r"|сайт\w*|url|e mail|email|mail|почт\w*|inn|инн|type|тип|типа|industry|отрасл\w*)(?!\w)"
)
_ASIDES = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")
_TOKENS = re.compile(r"\w+|[,/;&+]")
_JOINS = frozenset({",", "/", ";", "&", "+", "и", "and", "или", "or"})
_TOGETHER = ("organisation", "occupation")  # asked in one question: "Место работы, должность"
QUESTION_LENGTH = 300  # characters; longer header cells are not read as questions


def _words(text: str) -> str:
    return " ".join(_TOKENS.findall(text.casefold().replace("ё", "е")))


def question_fields(header: str) -> tuple[str, ...]:
    """The person fields a registration question asks for, by its words in Russian or English:
    occupation, country, organisation; () for any other header.

    The field named first decides ("Должность в организации" is an occupation, "Country of your
    organisation" a country); an organisation and an occupation joined by "и", "and", a comma
    or a slash ("Место работы, должность") are both asked, so the column feeds both.
    """
    if len(header) > QUESTION_LENGTH:  # a cell of text, not a header
        return ()
    whole = _words(header)
    main = _words(_ASIDES.sub(" ", header)) or whole
    if _NOT_A_QUESTION.search(main):
        return ()
    found = [(m.start(), -m.end(), f) for f, pattern in _QUESTION_PATTERNS for m in pattern.finditer(main)]
    if _OCCUPATION_EXAMPLES.search(whole):
        found += [(m.start(), -m.end(), "occupation") for m in _STATUS.finditer(main)]
    mentions, reached = [], 0
    for start, minus_end, fld in sorted(found):
        if start >= reached:  # a phrase's words are its own ("role in organisation" names no organisation)
            mentions.append((start, fld))
            reached = -minus_end
    if not mentions:
        return ()
    fields = [mentions[0][1]]
    for start, fld in mentions[1:]:
        before = main[:start].split()
        joined = bool(before) and before[-1] in _JOINS
        if fields[0] in _TOGETHER and fld in _TOGETHER and fld not in fields and joined:
            fields.append(fld)
    return tuple(fields)


def header_fields(row: list, override: dict | None = None, applied: tuple[str, ...] | None = None) -> dict[str, int]:
    """Which field each column holds: an analyst's mapping first (`override`, field -> header;
    a header of None means no column), then exact synonyms, then the words of a registration
    question (question_fields) for columns no synonym matched, and Zoom's Country/Region Name
    last. The first column wins. `applied`: the fields a mapping may set (all when None); every
    header it names must be in the row all the same."""
    names = [str(c) if c is not None else "" for c in cleaned(row)]
    keys = [key(n) for n in names]
    found: dict[str, int] = {}
    refused: set[str] = set()
    taken: set[int] = set()
    for fld, header in (override or {}).items():
        if header is not None and str(header).strip() and key(str(header)) not in keys:
            raise FileRejected([Problem("bad_mapping", column=str(header), values={"column": str(header)})])
        if applied is not None and fld not in applied:
            continue
        if header is None or not str(header).strip():
            refused.add(fld)
        else:
            found[fld] = keys.index(key(str(header)))
            taken.add(found[fld])

    def claim(fld: str, index: int) -> None:
        if fld not in found and fld not in refused:
            found[fld] = index

    platform = [i for i, k in enumerate(keys) if k in PLATFORM_COUNTRY and i not in taken]
    exact = {i: _HEADER[k] for i, k in enumerate(keys) if k in _HEADER and i not in taken}
    for i, fld in exact.items():
        claim(fld, i)
    for i, name in enumerate(names):
        if name and i not in taken and i not in exact and i not in platform and keys[i] not in KNOWN_UNUSED:
            for fld in question_fields(name):
                claim(fld, i)
    for i in platform:
        claim("country", i)
    return found


def platform_country(header: list) -> int | None:
    """The column of Zoom's Country/Region Name (where Zoom saw the person), if any."""
    return next((i for i, h in enumerate(header) if h is not None and key(str(h)) in PLATFORM_COUNTRY), None)


def columns_found(header: list, cols: dict[str, int], fmt: str) -> tuple[dict[str, str], list[str]]:
    """(field -> header as found, the headers of the columns not used) of a header row: what the
    Data page shows and what an analyst may map. Zoom's Country/Region Name is used even when a
    declared country is the mapped one (it stays on the attendance rows)."""
    used = set(cols.values())
    if fmt.startswith("zoom"):
        used.add(platform_country(header))
    mapping = {f: str(header[i]) for f, i in cols.items()}
    return mapping, [str(h) for j, h in enumerate(header) if h is not None and j not in used]


def header_signature(parsed: Parsed) -> str:
    """The key a column mapping is saved under, from the file as parsed without one: its
    recognised headers, then its extra headers, each sorted."""
    return "|".join(sorted(set(parsed.mapping.values())) + sorted(parsed.extra_headers))


def mappable_fields(fmt: str) -> tuple[str, ...]:
    """The fields an analyst may map for a format: every field for a sheet and for MTS Link (whose
    header strings are not published); who the person is and what they said about themselves for
    another platform's report."""
    return SHEET_FIELDS if fmt in FREELY_MAPPED else ("name", "email", "country", "organisation", "occupation")


def _cell(row: list, index: int | None):
    if index is None or index >= len(row):
        return None
    value = row[index]
    return clean_text(value) if type(value) is str else clean(value)  # clean's own first test, once


def _full_name(row, cols) -> str | None:
    """The name column, else last, first and middle names; the chat name (MTS Link) when these
    are empty or only say "гость" (a guest's name in the chat is the one that tells guests apart)."""
    if "name" in cols and _cell(row, cols["name"]):
        full = str(_cell(row, cols["name"]))
    else:
        parts = [_cell(row, cols.get(f)) for f in ("last_name", "first_name", "middle_name")]
        full = " ".join(str(p) for p in parts if p)
    chat = _cell(row, cols.get("chat_name"))
    if chat and (not full or key(full) in GUEST_WORDS):
        return str(chat)
    return full or None


def _staff(value) -> str | None:
    return STAFF_WORDS.get(key(str(value))) if value else None


def detect(rows: Rows) -> str:
    """The format of a file, from its content."""
    first = [str(c) for c in cleaned(rows.cells[0]) if c is not None]
    firsts = set()
    for r in rows.cells:
        if r and isinstance(r[0], str) and r[0].strip().endswith(("Details", "details")):
            firsts.add(key(r[0]))
    if (first and key(first[0]) == "attendee report") or "attendee details" in firsts:
        return "zoom-attendee"
    if (first and key(first[0]) == "registration report") or "registrant details" in firsts:
        return "zoom-registration"
    for at, row in enumerate(rows.cells[:20]):
        if is_bbb_header(row):
            return "bbb"
        cols = header_fields(row)
        if "chat_name" in cols:
            return "mts-link"
        if {"join", "leave", "duration"} <= cols.keys() and rows.encoding.startswith("UTF-16"):
            return "webex"
        if ("email" in cols or "name" in cols or "first_name" in cols) and len(cols) >= 2:
            return "mts-link" if _mts_link_titles(rows.cells[:at], cols) else "sheet"
    raise FileRejected([Problem("unrecognised")])


# MTS Link (Webinar.ru) statistics: the platform's name, or the title of its statistics, above the table.
_MTS_LINK_NAMES = re.compile(
    r"мтс\s*линк|mts[\s-]*link|webinar\.ru|вебинар\.ру|статистика (?:участников|мероприяти)", re.I
)


def _mts_link_titles(above: list[list], cols: dict[str, int]) -> bool:
    """Whether the title lines above a header are MTS Link's: the platform named, or a webinar
    named ("Вебинар: …") above a table with the platform's meeting role column ("Роль")."""
    texts = [str(c) for row in above for c in cleaned(row) if c is not None]
    if any(_MTS_LINK_NAMES.search(text) for text in texts):
        return True
    return "meeting_role" in cols and "event" in _preamble([cleaned(row) for row in above])


# ---------------------------------------------------------------- Zoom reports


def _zoom_sections(rows: Rows) -> dict[str, tuple[int, int]]:
    """Section name -> (index of its header row, index after its last row)."""
    marks = []
    for i, row in enumerate(rows.cells):
        first = str(row[0]).strip().rstrip(":") if row and row[0] is not None else ""
        if first.endswith(("Details", "Attended", "Report", "Report Generated")) and (
            sum(clean(c) is not None for c in row) == 1
        ):
            marks.append((key(first), i))
    sections = {}
    for n, (name, i) in enumerate(marks):
        end = marks[n + 1][1] if n + 1 < len(marks) else len(rows.cells)
        sections[name] = (i + 1, end)
    return sections


def _zoom_event(rows: Rows, times: _Times, platform: str) -> EventRef:
    """The topic block: a header row starting with Topic, the values on the next row."""
    for i, row in enumerate(rows.cells[:10]):
        if row and clean(row[0]) and key(str(clean(row[0]))) == "topic" and i + 1 < len(rows.cells):
            head = [key(str(c)) if c else "" for c in cleaned(row)]
            values = rows.cells[i + 1]
            info = {h: _cell(values, j) for j, h in enumerate(head) if h}
            start = info.get("actual start time") or info.get("scheduled time") or info.get("start time")
            stated = {}
            for label, name in (("registered", "registered"), ("unique viewers", "unique_viewers"),
                                ("max concurrent views", "max_concurrent"), ("total users", "total_users")):  # fmt: skip
                for h, v in info.items():
                    if h.endswith(label) and v is not None and str(v).strip().lstrip("-").isdigit():
                        stated[name] = int(str(v).strip())
            try:
                starts_at = times(start) if start else None
            except ValueError as exc:
                label = next(str(c) for c, h in zip(cleaned(row), head, strict=False) if info.get(h) == start)
                raise FileRejected([Problem("bad_time", line=rows.lines[i + 1], column=label,
                                            values={"value": start})]) from exc  # fmt: skip
            webinar_id = info.get("webinar id") or info.get("meeting id")
            duration = info.get("actual duration minutes") or info.get("duration minutes")
            return EventRef(
                title=str(info.get("topic")) if info.get("topic") else None,
                starts_at=starts_at,
                platform=platform,
                platform_event_id="".join(ch for ch in str(webinar_id) if ch.isdigit()) if webinar_id else None,
                planned_minutes=int(float(duration)) if duration and str(duration).strip().isdigit() else None,
                stated=stated,
            )
    raise FileRejected([Problem("no_event")])


@dataclass(frozen=True)
class _ZoomHeader:
    """A Zoom section's header row, with its two kinds of country column."""

    header: list
    cols: dict[str, int]
    seen: int | None  # Country/Region Name: where Zoom saw the person
    declared: int | None  # a country the person stated when registering (a question)

    def registration_country(self, row: list) -> tuple:
        """(country_raw, is_country_declared) of a registration: the answer, when asked."""
        if self.declared is not None:
            return _cell(row, self.declared), True
        return _cell(row, self.seen), False

    def attendance_country(self, row: list) -> tuple:
        """(country_raw, is_country_declared) of an attendance: where Zoom saw the person."""
        if self.seen is not None:
            return _cell(row, self.seen), False
        return _cell(row, self.declared), self.declared is not None


def zoom_countries(header: list, cols: dict[str, int]) -> tuple[int | None, int | None]:
    """(the column where Zoom saw the person, the column of a country the person declared) of a
    Zoom section's header, either None when absent."""
    seen = platform_country(header)
    return seen, (cols["country"] if cols.get("country", seen) != seen else None)


def _zoom_header(row: list, override: dict | None) -> _ZoomHeader:
    header = cleaned(row)
    cols = header_fields(row, override, PERSON_FIELDS)
    return _ZoomHeader(header, cols, *zoom_countries(header, cols))


def _within(override: dict | None, row: list) -> dict | None:
    """The part of a mapping a section's header row holds (no column for a field: every section)."""
    if not override:
        return override
    keys = {key(str(c)) for c in cleaned(row) if c is not None}
    return {f: h for f, h in override.items() if h is None or not str(h).strip() or key(str(h)) in keys}


def _zoom_record(parsed, row, line, head: _ZoomHeader, times, staff_role, registration_only: bool) -> None:
    cols = head.cols
    email, name = _cell(row, cols.get("email")), _full_name(row, cols)
    if not email and not name:
        parsed.problems.append(Problem("no_person", line=line))
        return
    person = (line, 0, email, name, _cell(row, cols.get("organisation")), _cell(row, cols.get("occupation")),
              staff_role)  # fmt: skip
    registered_raw = _cell(row, cols.get("registered_at"))
    try:
        registered_at = times(registered_raw) if registered_raw else None
    except ValueError:
        parsed.problems.append(_bad_time(line, head.header, cols["registered_at"], registered_raw))
        return
    if registration_only:
        parsed.registration(person, head.registration_country(row), registered_at)
        return
    attended = _cell(row, cols.get("attended"))
    did_attend = attended is None or str(attended).casefold() in ("yes", "да")
    if registered_at is not None or not did_attend:
        parsed.registration(person, head.registration_country(row), registered_at)
    if did_attend:
        _attendance(parsed, row, line, cols, head.header, times, person, head.attendance_country(row))


def _bad_time(line, header, index, value) -> Problem:
    return Problem("bad_time", line=line, column=str(header[index]), values={"value": value})


def _attendance(parsed, row, line, cols, header, times, person: tuple, country: tuple) -> None:
    joined_raw, left_raw = _cell(row, cols.get("join")), _cell(row, cols.get("leave"))
    if not joined_raw:
        parsed.problems.append(Problem("no_times", line=line))
        return
    try:
        joined = times(joined_raw)
    except ValueError:
        parsed.problems.append(_bad_time(line, header, cols["join"], joined_raw))
        return
    if left_raw:
        try:
            left = times(left_raw)
        except ValueError:
            parsed.problems.append(_bad_time(line, header, cols["leave"], left_raw))
            return
    else:
        duration_raw = _cell(row, cols.get("duration"))
        try:
            left = add_minutes(joined, parse_minutes(duration_raw)) if duration_raw is not None else None
        except ValueError:
            parsed.problems.append(Problem("bad_duration", line=line, column=str(header[cols["duration"]]),
                                           values={"value": duration_raw}))  # fmt: skip
            return
        if left is None:
            parsed.problems.append(Problem("no_times", line=line))
            return
    if left < joined:
        parsed.problems.append(Problem("leave_before_join", line=line, column=str(header[cols["leave"]])
                                       if "leave" in cols else None, values={"left": left_raw, "joined": joined_raw}))  # fmt: skip
        return
    if left - joined > timedelta(days=1):
        parsed.problems.append(Problem("too_long", line=line, values={"joined": joined_raw, "left": left_raw}))
        return
    parsed.attendance(person, country, joined, left)


def parse_zoom(
    rows: Rows, zone: str, registration_only: bool, require_rows: bool = True, override: dict | None = None
) -> Parsed:
    """A Zoom attendee or registration report, section by section. `override`: an analyst's
    mapping of person fields (field -> header of the attendee or registrant section)."""
    times = _Times(zone)
    parsed = Parsed("zoom-registration" if registration_only else "zoom-attendee", rows.encoding, rows.delimiter, {})
    parsed.events.append(_zoom_event(rows, times, "zoom"))
    sections = {name: span for name, span in _zoom_sections(rows).items() if span[0] < span[1]}
    kinds = (("registrant details", None),) if registration_only else (
        ("host details", "host"), ("panelist details", "panelist"), ("attendee details", None), ("other attended", None))  # fmt: skip
    main = kinds[0][0] if registration_only else "attendee details"
    if override:  # every header the mapping names must be in the main section (else in some section)
        head_row = rows.cells[sections[main][0]] if main in sections else [
            c for name, _ in kinds if name in sections for c in rows.cells[sections[name][0]]]  # fmt: skip
        header_fields(head_row, override, PERSON_FIELDS)
    for name, staff_role in kinds:
        if name not in sections:
            continue
        start, end = sections[name]
        head = _zoom_header(rows.cells[start], _within(override, rows.cells[start]))
        if name == main:
            parsed.mapping, parsed.extra_headers = columns_found(head.header, head.cols, parsed.format)
        for i in range(start + 1, end):
            parsed.rows_read += 1
            _zoom_record(parsed, rows.cells[i], rows.lines[i], head, times, staff_role, registration_only)
    if parsed.rows_read == 0 and require_rows:
        raise FileRejected([Problem("header_only")])
    return parsed


# ---------------------------------------------------------------- tables


_IDENTITY = ("email", "name", "first_name", "last_name", "chat_name")


def _holds(row: list, override: dict) -> bool:
    """Whether a row has every header a mapping names."""
    keys = {key(str(c)) for c in cleaned(row) if c is not None}
    return all(key(str(h)) in keys for h in override.values() if h is not None and str(h).strip())


def _header_row(rows: Rows, override: dict | None, applied: tuple[str, ...] | None) -> tuple[int, dict[str, int]]:
    """The header row (among the first 20: title lines may come first) and its fields: the
    first row with a person column and every header the mapping names."""
    for i, row in enumerate(rows.cells[:20]):
        if override and not _holds(row, override):
            continue
        cols = header_fields(row, override, applied)
        if any(f in cols for f in _IDENTITY):
            return i, cols
    if override:  # say which mapped header the file's own header row lacks
        own = next((row for row in rows.cells[:20] if any(f in header_fields(row) for f in _IDENTITY)), rows.cells[0])
        header_fields(own, override, applied)
    raise FileRejected(
        [Problem("no_identity_column", values={"headers": ", ".join(str(c) for c in cleaned(rows.cells[0]) if c)})]
    )


def parse_table(rows: Rows, fmt: str, zone: str, mapping: dict | None = None) -> Parsed:
    """Webex, MTS Link and sheets: one header row, one record (or two) per row."""
    mapping = mapping or {}
    times = _Times(zone)
    at, cols = _header_row(rows, mapping.get("columns"), None if fmt in FREELY_MAPPED else PERSON_FIELDS)
    header = cleaned(rows.cells[at])
    parsed = Parsed(fmt, rows.encoding, rows.delimiter, {})
    parsed.mapping, parsed.extra_headers = columns_found(header, cols, fmt)
    platform = {"webex": "webex", "mts-link": "mts-link"}.get(fmt)
    preamble = _preamble([cleaned(r) for r in rows.cells[:at]])
    constant_title = mapping.get("event_title") or preamble.get("event")
    constant_day = preamble.get("date")
    events: dict[tuple, int] = {}
    width = len(header)
    local_days: dict = {}  # a date cell -> its day (_local_day), once per distinct cell
    staff_roles: dict = {}  # a role cell -> _staff of it
    for i in range(at + 1, len(rows.cells)):
        row, line = rows.cells[i], rows.lines[i]
        parsed.rows_read += 1
        if rows.delimiter and len(row) < min(width, max(cols.values()) + 1):
            parsed.problems.append(Problem("too_few_fields", line=line, values={"found": len(row), "expected": width}))
            continue
        title = _cell(row, cols.get("event")) or constant_title
        if not title:
            parsed.problems.append(Problem("no_event", line=line))
            continue
        email, name = _cell(row, cols.get("email")), _full_name(row, cols)
        if not email and not name:
            parsed.problems.append(Problem("no_person", line=line))
            continue
        day = _cell(row, cols.get("date")) or constant_day
        try:
            day_text = (times(day) and _remembered(local_days, _local_day, day, zone)) if day else None
        except ValueError:
            parsed.problems.append(_bad_time(line, header, cols["date"], day))
            continue
        event_index = events.setdefault((str(title), day_text), len(events))
        if event_index == len(parsed.events):
            parsed.events.append(EventRef(title=str(title), platform=platform, local_date=day_text))
        person = (line, event_index, email, name, _cell(row, cols.get("organisation")), _cell(row, cols.get("occupation")),
                  _remembered(staff_roles, _staff, _cell(row, cols.get("meeting_role"))))  # fmt: skip
        country = (_cell(row, cols.get("country")), True)  # declared, as these formats always counted
        start_raw = _cell(row, cols.get("event_start"))
        if start_raw:
            try:
                event = parsed.events[event_index]
                event.starts_at = (
                    min(times(start_raw), event.starts_at or times(start_raw))
                    if event.start_stated
                    else times(start_raw)
                )
                event.start_stated = True
            except ValueError:
                parsed.problems.append(_bad_time(line, header, cols["event_start"], start_raw))
                continue
        if "join" in cols:
            before = len(parsed)
            _attendance(parsed, row, line, cols, header, times, person, country)
            if len(parsed) > before:
                _widen(parsed.events[event_index], parsed.rows[-1][JOINED_AT])
        raw = _cell(row, cols.get("registered_at"))
        if (raw or "join" not in cols) and person[-1] is None:  # staff (a host, an administrator) never register
            try:
                registered_at = times(raw) if raw else None
            except ValueError:
                parsed.problems.append(_bad_time(line, header, cols["registered_at"], raw))
                continue
            parsed.registration(person, country, registered_at)
    if parsed.rows_read == 0:
        raise FileRejected([Problem("header_only")])
    return parsed


def _preamble(rows: list[list]) -> dict[str, str]:
    """Title lines above a table's header: "Вебинар: …", "Дата: …" (MTS Link exports)."""
    found: dict[str, str] = {}
    for row in rows:
        cells = [c for c in row if c is not None]
        for i, cell in enumerate(cells):
            label, _, rest = str(cell).partition(":")
            fld = _HEADER.get(key(label))
            value = rest.strip() or (cells[i + 1] if i + 1 < len(cells) else None)
            if fld in ("event", "date") and value and fld not in found:
                found[fld] = value
    return found


def _remembered(memory: dict, function, value, *args):
    """function(value, *args), computed once per distinct value (a cell: text, a time or None;
    a value that raises is not remembered, and raises again)."""
    try:
        return memory[value]
    except KeyError:
        memory[value] = result = function(value, *args)
        return result


def _local_day(value, zone: str) -> str:
    """The calendar date a cell names (a date, or a time read in `zone`)."""
    moment = parse_time(value, "UTC") if not isinstance(value, datetime) else value
    if isinstance(value, datetime) or len(str(value).strip()) <= 10:
        return moment.date().isoformat()
    return parse_time(value, zone).replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(zone)).date().isoformat()


def _widen(event: EventRef, moment: datetime) -> None:
    """A table's webinar starts at its stated start time, else at its earliest join."""
    if event.start_stated:
        return
    if event.starts_at is None or moment < event.starts_at:
        event.starts_at = moment


# ---------------------------------------------------------------- BigBlueButton


# The Learning Dashboard's "Download Session Data" (bbb-learning-dashboard, UserService.js
# makeUserCSVData): one row per person, headed in the browser's language; then one column per poll.
BBB_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "имя"),
    "meeting_role": ("moderator", "модератор"),  # TRUE / FALSE
    "activity": ("activity score", "оценка активности"),
    "join": ("join", "вошел"),  # the first join
    "leave": ("left", "вышел"),  # the last leave, "-" for someone still in the meeting
    "duration": ("duration", "длительность"),  # the person's sessions summed, HH:MM:SS
}
_BBB = {key(s): f for f, names in BBB_COLUMNS.items() for s in names}
BBB_ANONYMOUS = frozenset({"anonymous", "анонимно"})  # the last row: anonymous poll answers, no person
# LearningDashboard_<meeting name, spaces as hyphens>_<UTC date the meeting was created>.csv; a
# browser may add " (1)" for a second download.
BBB_FILE_NAME = re.compile(r"^LearningDashboard_(?P<title>.+)_(?P<date>\d{4}-\d{2}-\d{2})(?: ?\(\d+\))?\.csv$", re.I)


def _bbb_columns(row: list) -> dict[str, int]:
    """The Learning Dashboard's own columns of a header row (the first of each), by header."""
    found: dict[str, int] = {}
    for i, cell in enumerate(cleaned(row)):
        fld = _BBB.get(key(str(cell))) if cell is not None else None
        if fld and fld not in found:
            found[fld] = i
    return found


def is_bbb_header(row: list) -> bool:
    """A Learning Dashboard header: Moderator, Join and Activity Score (English or Russian)."""
    return {"meeting_role", "join", "activity"} <= _bbb_columns(row).keys()


def bbb_event(file_name: str | None, title: str | None) -> EventRef | None:
    """The webinar of a Learning Dashboard file: its title and date from the file name (hyphens
    back to spaces), or the title an analyst's mapping gives (the date then from the joins);
    None when neither names it."""
    base = re.split(r"[\\/]", file_name or "")[-1]
    match = BBB_FILE_NAME.match(base)
    day = match["date"] if match else None
    try:
        day = date.fromisoformat(day) if day else None
    except ValueError:
        match, day = None, None
    if title and str(title).strip():
        return EventRef(title=" ".join(str(title).split()), platform="bbb", local_date=day and day.isoformat())
    if not match:
        return None
    return EventRef(
        title=" ".join(match["title"].replace("-", " ").split()), platform="bbb", local_date=day.isoformat()
    )


def _bbb_mapped(row: list, cols: dict[str, int], override: dict | None) -> dict[str, int]:
    """The Learning Dashboard's columns, with the person fields an analyst's mapping names (a poll
    column, say): a mapped header must be in the file; a field mapped to None has no column."""
    if not override:
        return cols
    mapped = header_fields(row, override, PERSON_FIELDS)
    cols = dict(cols)
    for fld, header in override.items():
        if fld not in PERSON_FIELDS:
            continue
        if header is None or not str(header).strip():
            cols.pop(fld, None)
        else:
            cols[fld] = mapped[fld]
    return cols


class _BrowserTimes(_Times):
    def __call__(self, value) -> datetime:
        if value not in self.seen:
            self.seen[value] = parse_browser_time(value, self.zone)
        return self.seen[value]


def parse_bbb(rows: Rows, zone: str, mapping: dict | None = None, file_name: str | None = None) -> Parsed:
    """A Learning Dashboard session data file: one attendance per person (moderators are staff),
    the anonymous poll answers' row skipped, the webinar named by the file name. A file whose
    name does not name it (and no mapped title) is read for its problems, and gives no records:
    the problem says how the file must be named."""
    mapping = mapping or {}
    at = next(i for i, row in enumerate(rows.cells[:20]) if is_bbb_header(row))
    header = cleaned(rows.cells[at])
    cols = {f: i for f, i in _bbb_columns(header).items() if f != "activity"}
    if "name" not in cols:
        raise FileRejected([Problem("no_identity_column", values={"headers": ", ".join(str(c) for c in header if c)})])
    cols = _bbb_mapped(rows.cells[at], cols, mapping.get("columns"))
    parsed = Parsed("bbb", rows.encoding, rows.delimiter, {})
    parsed.mapping, parsed.extra_headers = columns_found(header, cols, "bbb")
    times = _BrowserTimes(zone)
    for i in range(at + 1, len(rows.cells)):
        row = rows.cells[i]
        name = _cell(row, cols.get("name"))
        if name and key(str(name)) in BBB_ANONYMOUS and _cell(row, cols["meeting_role"]) is None:
            continue
        parsed.rows_read += 1
        _bbb_record(parsed, row, rows.lines[i], header, cols, times)
    if parsed.rows_read == 0:
        raise FileRejected([Problem("header_only")])
    event = bbb_event(file_name, mapping.get("event_title"))
    if event is None:
        parsed.problems.insert(0, Problem("bbb_file_name"))
        parsed.rows = []  # no webinar to hold them
    if parsed.rows:  # a webinar only with someone in it: it starts at the earliest join
        event.starts_at = min(record[JOINED_AT] for record in parsed.rows)
        parsed.events.append(event)
    return parsed


def _bbb_record(parsed: Parsed, row: list, line: int, header: list, cols: dict[str, int], times) -> None:
    """One person's attendance (_bbb_interval); a moderator is staff, as another platform's co-host."""
    email, name = _cell(row, cols.get("email")), _full_name(row, cols)
    if not email and not name:
        parsed.problems.append(Problem("no_person", line=line))
        return
    flag = str(_cell(row, cols["meeting_role"]) or "").strip()
    if flag.upper() not in ("TRUE", "FALSE"):
        parsed.problems.append(Problem("bad_flag", line=line, column=str(header[cols["meeting_role"]]),
                                       values={"value": flag}))  # fmt: skip
        return
    interval = _bbb_interval(row, line, header, cols, times)
    if isinstance(interval, Problem):
        parsed.problems.append(interval)
        return
    person = (line, 0, email, name, _cell(row, cols.get("organisation")), _cell(row, cols.get("occupation")),
              "co-host" if flag.upper() == "TRUE" else None)  # fmt: skip
    country = (_cell(row, cols.get("country")), True)  # only from a mapped column: the person's answer
    parsed.attendance(person, country, *interval)


def _bbb_interval(
    row: list, line: int, header: list, cols: dict[str, int], times
) -> tuple[datetime, datetime] | Problem:
    """[Join, Join + Duration), cut at Left when that comes first; or what is wrong. BBB gives only
    the first join, the last leave and the sessions' summed length, so the person's minutes are
    BBB's Duration; a break between sessions is not known (docs/imports.md)."""
    raw = {fld: _cell(row, cols.get(fld)) for fld in ("join", "leave", "duration")}
    moments = {}
    for fld in ("join", "leave"):
        try:
            moments[fld] = times(raw[fld]) if raw[fld] is not None else None
        except ValueError:
            return Problem("bad_browser_time", line=line, column=str(header[cols[fld]]), values={"value": raw[fld]})
    joined, left = moments["join"], moments["leave"]
    if joined is None:
        return Problem("no_times", line=line)
    try:
        seconds = parse_clock(raw["duration"])
    except ValueError:
        column = str(header[cols["duration"]]) if "duration" in cols else None
        return Problem("bad_clock", line=line, column=column, values={"value": raw["duration"] or ""})
    if left is not None and left < joined:
        return Problem("leave_before_join", line=line, column=str(header[cols["leave"]]),
                       values={"left": raw["leave"], "joined": raw["join"]})  # fmt: skip
    end = joined + timedelta(seconds=seconds)
    if left is not None and left < end:
        end = left
    if end - joined > timedelta(days=1):
        return Problem("too_long", line=line, values={"joined": raw["join"], "left": raw["leave"] or "-"})
    return joined, end


def parse(rows: Rows, zone: str, mapping: dict | None = None, file_name: str | None = None) -> Parsed:
    """Canonical records of a file's rows, with every problem found (nothing is dropped silently).

    `mapping`: {"columns": {field: header}, "event_title": …}, an analyst's choice of columns:
    every field for a sheet, the person fields (mappable_fields) for a platform's report.
    `file_name`: the name the file came with; a BigBlueButton file's webinar is named by it.
    """
    columns = (mapping or {}).get("columns") or None
    try:
        fmt = detect(rows)
    except FileRejected:
        if not columns:
            raise
        fmt = "sheet"  # a sheet whose columns only the mapping names
    if fmt in ("zoom-attendee", "zoom-registration"):
        parsed = parse_zoom(rows, zone, registration_only=fmt == "zoom-registration", override=columns)
    elif fmt == "bbb":
        parsed = parse_bbb(rows, zone, mapping, file_name)
    else:
        parsed = parse_table(rows, fmt, zone, mapping)
    _date_every_event(parsed)
    parsed.problems.sort(key=lambda problem: problem.line or 0)
    return parsed


def _date_every_event(parsed: Parsed) -> None:
    """A webinar with no start and no date starts at its earliest join or registration."""
    undated = [i for i, e in enumerate(parsed.events) if not (e.starts_at or e.local_date)]
    if not undated:
        return
    records = parsed.records
    for index in undated:
        event = parsed.events[index]
        moments = [
            moment for i, moment in zip(records["event"], records["joined_at"], strict=True) if i == index and moment
        ] or [
            moment
            for i, moment in zip(records["event"], records["registered_at"], strict=True)
            if i == index and moment
        ]
        if not moments:
            raise FileRejected([Problem("no_event_time")])
        event.starts_at = min(moments)
