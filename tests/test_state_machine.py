"""Random sequences of what users do to one programme, every surface held to the oracle after each step.

A hypothesis state machine drives one programme database (a file, so that a server can be
killed and the file read again) through the production write paths: imports (Zoom attendee
report, registration and attendance sheets, Webex), live batches, check-ins, new webinars,
mappings, rehearsals and their clearing, removal of imports and webinars, a kill and a reopen.
After every step the read path's facts update runs and every surface — the overview, `reach
report`, the live view of each webinar with live events, the Data page's figures — is compared,
whole, with tests/oracle.py for a few selections drawn with the step.

CI=true draws the same sequences every run; elsewhere REACH_STATE_EXAMPLES and REACH_STATE_STEPS
set how many run and how long they are.
"""

from __future__ import annotations

import atexit
import csv
import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, precondition, rule

from dashboard import database, queries, writes
from dashboard.filters import ALL, Filters
from dashboard.imports import review
from dashboard.imports.loader import import_file
from dashboard.imports.normalise import key as text_key
from dashboard.live.checkin import checkin_event
from dashboard.live.events import parse_batch
from dashboard.live.store import RehearsalRefused, store
from dashboard.live.webinars import new_webinar
from tests.oracle import Oracle
from tests.test_oracle import approx_tree, plain, production_live, production_overview, production_report

ZONE = "Europe/Moscow"  # the programme's time zone; files are read in it

# -- the pools the steps draw from: few webinars and persons, so that identities collide -----


@dataclass(frozen=True)
class PoolWebinar:
    title: str
    zoom_id: str
    starts_at: datetime  # in ZONE
    minutes: int


WEBINARS = (
    PoolWebinar("Понятие кластера", "901 234 5678", datetime(2026, 10, 1, 11, 0), 90),
    PoolWebinar("Кластерная политика", "902 345 6789", datetime(2026, 10, 8, 11, 0), 60),
    PoolWebinar("Ночной эфир", "903 456 7890", datetime(2026, 10, 15, 1, 30), 90),  # the 14th in UTC
)


@dataclass(frozen=True)
class PoolPerson:
    names: tuple[str, ...]  # as the person writes their name in different files
    emails: tuple[str | None, ...]  # None: this time without an e-mail


PERSONS = (
    PoolPerson(("Анна Иванова",), ("anna@example.ru", "Anna@Example.RU")),
    PoolPerson(("Ержан Ахметов",), ("erzhan@example.kz", "ERZHAN@example.kz")),
    PoolPerson(("Ольга Смирнова",), ("olga@example.by",)),
    PoolPerson(("Тимур Рахимов",), ("timur@example.tj", None)),
    PoolPerson(("Гость Без Почты", "гость без  почты"), (None,)),
    PoolPerson(("Ёлкина Мария", "Елкина мария"), (None,)),
)
COUNTRY_TEXTS = (
    None,
    "Russian Federation",
    "Россия",
    "Kazakhstan",
    "Казахстан",
    "Belarus",
    "Кыргызстан",
    "Uzbekistan",
    "Марс",
    "марс",
    "Атлантида",
)
ROLE_TEXTS = (
    None,
    "Генеральный директор",
    "аспирант",
    "профессор",
    "специалист министерства экономики",
    "экономист",
    "инженер",
    "Марсоход",
    "не указано",
)
COUNTRY_CODES = ("RU", "KZ", "BY", "KG", "UZ", "TJ", "AM", "GE")
ROLE_CODES = ("executive", "scientist", "economist", "student", "official", "other")
FRESH_KEYS = ("live-a", "live-b")  # webinars a live batch creates
REHEARSAL_KEYS = ("reh-1", "reh-2")
SESSIONS = tuple(f"session{n:02d}-abcdefghijkl" for n in range(4))


def local_time(webinar: PoolWebinar, seconds: int) -> datetime:
    return webinar.starts_at + timedelta(seconds=seconds)


def utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=ZoneInfo(ZONE)).astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


# -- files to import ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """One reported interval of a person at a webinar."""

    person: int
    variant: int  # which of the person's names and e-mails
    start: int  # seconds from the webinar's start
    seconds: int
    country: str | None
    role: str | None
    registered: bool


@dataclass(frozen=True)
class Registration:
    person: int
    variant: int
    webinar: int
    days_before: int  # when it was made; 0: no time written
    country: str | None
    role: str | None


@dataclass(frozen=True)
class ImportSpec:
    format: str  # 'zoom', 'registrations', 'attendance', 'webex'
    webinar: int
    visits: tuple[Visit, ...]
    registrations: tuple[Registration, ...]


def name_of(person: int, variant: int) -> str:
    names = PERSONS[person].names
    return names[variant % len(names)]


def email_of(person: int, variant: int) -> str | None:
    emails = PERSONS[person].emails
    return emails[variant % len(emails)]


def csv_text(rows: list[list], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
    return out.getvalue()


def header(text: str) -> list[str]:
    return text.split("|")


ZOOM_TOPIC = header(
    "Topic|Webinar ID|Actual Start Time|Actual Duration (minutes)|# Registered|# Cancelled|Unique Viewers|Total Users"
    "|Max Concurrent Views"
)
ZOOM_STAFF = header(
    "Attended|User Name (Original Name)|Email|Join Time|Leave Time|Time in Session (minutes)|Is Guest"
    "|Country/Region Name"
)
ZOOM_ATTENDEES = header(
    "Attended|User Name (Original Name)|First Name|Last Name|Email|Registration Time|Approval Status|Join Time"
    "|Leave Time|Time in Session (minutes)|Is Guest|Организация|Должность|Country/Region Name|Source Name"
)
ZOOM_OTHERS = header("User Name|Join Time|Leave Time|Time in Session (minutes)|Country/Region Name")
REGISTRATION_SHEET = header(
    "Отметка времени|ФИО|Адрес электронной почты|Страна|Организация|Род деятельности|Вебинар|Дата"
)
ATTENDANCE_SHEET = header("ФИО|E-mail|Страна|Должность|Мероприятие|Время входа|Время выхода")
WEBEX = header("Meeting Name|Start Time|Name|Email|Join time|Leave time|Duration|Role|Country")


def zoom_time(moment: datetime) -> str:
    return moment.strftime("%b %d, %Y %H:%M:%S")


def sheet_time(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y %H:%M:%S")


def webex_time(moment: datetime) -> str:
    return moment.strftime("%m/%d/%Y %I:%M:%S %p")


def zoom_attendee(w: PoolWebinar, v: Visit) -> list:
    name, email = name_of(v.person, v.variant), email_of(v.person, v.variant)
    first, _, last = name.partition(" ")
    registered = zoom_time(w.starts_at - timedelta(days=2, minutes=v.person)) if v.registered else "--"
    joined, left = local_time(w, v.start), local_time(w, v.start + v.seconds)
    return ["Yes", name, first, last, email or "", registered, "approved" if v.registered else "--",
            zoom_time(joined), zoom_time(left), v.seconds // 60, "No" if email else "Yes", "ПНИПУ", v.role or "",
            v.country or "--", ""]  # fmt: skip


def zoom_no_show(w: PoolWebinar, r: Registration) -> list:
    name = name_of(r.person, r.variant)
    first, _, last = name.partition(" ")
    registered = zoom_time(w.starts_at - timedelta(days=r.days_before + 1))
    return ["No", name, first, last, email_of(r.person, r.variant), registered, "approved", "--", "--", "--", "No", "",
            r.role or "", "--", ""]  # fmt: skip


def zoom_report(spec: ImportSpec) -> bytes:
    """A Zoom Attendee Report, current layout (tests/fixtures/zoom_attendee_current.csv): the
    host, attendees with rejoins, registered no-shows, viewers of the stream without e-mail."""
    w = WEBINARS[spec.webinar]
    others = [v for v in spec.visits if email_of(v.person, v.variant) is None and not v.registered]
    attendees = [zoom_attendee(w, v) for v in spec.visits if v not in others]
    came = {v.person for v in spec.visits}
    attendees += [zoom_no_show(w, r) for r in spec.registrations
                  if r.person not in came and email_of(r.person, r.variant)]  # fmt: skip
    host = ["Yes", "Ведущий", "host@perm.example", zoom_time(local_time(w, -600)),
            zoom_time(local_time(w, (w.minutes + 10) * 60)), w.minutes + 20, "No", "Russian Federation"]  # fmt: skip
    rows = [["Attendee Report"], ["Report Generated:", "Oct 30, 2026 10:00 AM"], ZOOM_TOPIC,
            [w.title, w.zoom_id, zoom_time(w.starts_at), w.minutes, len(spec.registrations), 0, len(came),
             len(spec.visits), 3],
            ["Host Details"], ZOOM_STAFF, host, ["Attendee Details"], ZOOM_ATTENDEES, *attendees]  # fmt: skip
    if others:
        rows += [["Other Attended"], ZOOM_OTHERS]
        for v in others:
            joined, left = local_time(w, v.start), local_time(w, v.start + v.seconds)
            rows.append([name_of(v.person, v.variant), zoom_time(joined), zoom_time(left), v.seconds // 60,
                         v.country or "--"])  # fmt: skip
    return ("\ufeff" + csv_text(rows)).encode("utf-8")


def registration_sheet(spec: ImportSpec) -> bytes:
    """A registration form export (tests/fixtures/registration_form_cp1251.csv, in UTF-8); with no
    registrations drawn, the persons of the visits register."""
    registrations = spec.registrations or tuple(
        Registration(v.person, v.variant, spec.webinar, 3, v.country, v.role) for v in spec.visits
    )
    rows = [REGISTRATION_SHEET]
    for r in registrations:
        w = WEBINARS[r.webinar]
        at = sheet_time(w.starts_at - timedelta(days=r.days_before, hours=r.person)) if r.days_before else ""
        rows.append([at, name_of(r.person, r.variant), email_of(r.person, r.variant) or "", r.country or "", "",
                     r.role or "", w.title, w.starts_at.strftime("%d.%m.%Y")])  # fmt: skip
    return csv_text(rows, ";").encode("utf-8")


def attendance_sheet(spec: ImportSpec) -> bytes:
    """An attendance sheet kept by hand: one row per interval, the webinar by title alone."""
    w = WEBINARS[spec.webinar]
    rows = [ATTENDANCE_SHEET]
    for v in spec.visits:
        joined, left = local_time(w, v.start), local_time(w, v.start + v.seconds)
        rows.append([name_of(v.person, v.variant), email_of(v.person, v.variant) or "", v.country or "", v.role or "",
                     w.title, sheet_time(joined), sheet_time(left)])  # fmt: skip
    return csv_text(rows, ";").encode("utf-8")


def webex_report(spec: ImportSpec) -> bytes:
    """A Webex attendance report (tests/fixtures/webex_attendance_utf16.csv): UTF-16, tabs, ="…" cells."""
    w = WEBINARS[spec.webinar]
    start = webex_time(w.starts_at)
    rows = [WEBEX, [w.title, start, "Host Perm", "host@perm.example", webex_time(local_time(w, -600)),
                    webex_time(local_time(w, w.minutes * 60)), f"{w.minutes + 10} mins", "Host", "Russia"]]  # fmt: skip
    for v in spec.visits:
        joined, left = local_time(w, v.start), local_time(w, v.start + v.seconds)
        person = [name_of(v.person, v.variant), email_of(v.person, v.variant) or ""]
        times = [webex_time(joined), webex_time(left), f"{v.seconds // 60} mins"]
        rows.append([w.title, start, *person, *times, "Attendee", v.country or ""])
    return "\r\n".join("\t".join(f'="{c}"' for c in row) for row in rows).encode("utf-16")


RENDER = {
    "zoom": zoom_report,
    "registrations": registration_sheet,
    "attendance": attendance_sheet,
    "webex": webex_report,
}

persons = st.integers(0, len(PERSONS) - 1)
variants = st.integers(0, 1)
half_minutes = st.integers(-40, 300).map(lambda n: n * 30)  # from 20 minutes early to an hour late
visits = st.builds(
    Visit,
    person=persons,
    variant=variants,
    start=half_minutes,
    seconds=st.integers(0, 120).map(lambda n: n * 30),
    country=st.sampled_from(COUNTRY_TEXTS),
    role=st.sampled_from(ROLE_TEXTS),
    registered=st.booleans(),
)
registrations = st.builds(
    Registration,
    person=persons,
    variant=variants,
    webinar=st.integers(0, len(WEBINARS) - 1),
    days_before=st.integers(0, 9),
    country=st.sampled_from(COUNTRY_TEXTS),
    role=st.sampled_from(ROLE_TEXTS),
)
import_specs = st.builds(
    ImportSpec,
    format=st.sampled_from(sorted(RENDER)),
    webinar=st.integers(0, len(WEBINARS) - 1),
    visits=st.lists(visits, min_size=1, max_size=5).map(tuple),
    registrations=st.lists(registrations, max_size=3).map(tuple),
)


def file_of(spec: ImportSpec) -> tuple[bytes, str]:
    return RENDER[spec.format](spec), f"{spec.format}.csv"


# -- live events -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LiveItem:
    type: str
    person: int
    variant: int
    by_email: bool  # sent with the e-mail (when the person has one), else with the name only
    at: int  # seconds from the webinar's start
    country: str | None
    role: str | None


@dataclass(frozen=True)
class LiveBatch:
    webinar: int | None  # an existing webinar (by index), or None: the fresh key below
    fresh_key: int
    pool: int  # the pool webinar whose title and time a fresh key takes
    titled: bool  # a fresh key's webinar takes the pool webinar's title (an import may then match it)
    items: tuple[LiveItem, ...]
    resends: tuple[int, ...]  # earlier events sent again (indices into those sent so far)


live_items = st.builds(
    LiveItem,
    type=st.sampled_from(("join", "join", "leave")),
    person=persons,
    variant=variants,
    by_email=st.booleans(),
    at=half_minutes,
    country=st.sampled_from(COUNTRY_TEXTS + ("KZ", "UZ")),
    role=st.sampled_from(ROLE_TEXTS),
)
live_batches = st.builds(
    LiveBatch,
    webinar=st.none() | st.integers(0, 9),
    fresh_key=st.integers(0, 1),
    pool=st.integers(0, len(WEBINARS) - 1),
    titled=st.booleans(),
    items=st.lists(live_items, min_size=1, max_size=6).map(tuple),
    resends=st.lists(st.integers(0, 99), max_size=3).map(tuple),
)


def live_item_json(item: LiveItem, event_id: str, key: str, start: datetime, title: str | None) -> dict:
    """One event of a batch as the ingest API receives it (times in UTC)."""
    email = email_of(item.person, item.variant) if item.by_email else None
    who = {"email": email} if email else {"name": name_of(item.person, item.variant)}
    said = {k: v for k, v in (("country", item.country), ("role", item.role)) if v is not None}
    moment = (start + timedelta(seconds=item.at)).isoformat() + "Z"
    return {
        "id": event_id,
        "event": key,
        "type": item.type,
        "at": moment,
        **who,
        **said,
        **({"event_title": title} if title else {}),
    }


@dataclass(frozen=True)
class CheckIn:
    webinar: int
    session: int
    country: str
    role: str
    at: int


check_ins = st.builds(
    CheckIn,
    webinar=st.integers(0, 9),
    session=st.integers(0, len(SESSIONS) - 1),
    country=st.sampled_from(COUNTRY_CODES),
    role=st.sampled_from(ROLE_CODES),
    at=half_minutes,
)


@dataclass(frozen=True)
class NewWebinar:
    pool: int
    pool_title: bool  # titled like the pool webinar (an import of it may match it)
    hours_later: int
    minutes: int


new_webinars = st.builds(
    NewWebinar,
    pool=st.integers(0, len(WEBINARS) - 1),
    pool_title=st.booleans(),
    hours_later=st.sampled_from((0, 0, 5)),
    minutes=st.sampled_from((10, 45, 90, 240)),
)


# -- selections ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """A user's filters; the webinars are indices into the webinars there are when it is checked."""

    filters: Filters
    webinars: tuple[int, ...] | None

    def resolve(self, keys: list[str]) -> Filters:
        if self.webinars is None:
            return self.filters
        return replace(self.filters, events=tuple(keys[i] if i < len(keys) else "none" for i in self.webinars))


def maybe(strategy):
    return st.one_of(st.none(), st.none(), strategy)


def subsets(values):
    return st.lists(st.sampled_from(values), max_size=3, unique=True).map(tuple)


DATES = tuple(w.starts_at.date() + timedelta(days=d) for w in WEBINARS for d in (-1, 0))
selections = st.builds(
    Selection,
    filters=st.builds(
        Filters,
        countries=maybe(subsets(COUNTRY_CODES + ("unknown",))),
        roles=maybe(subsets(ROLE_CODES + ("unknown",))),
        series=maybe(st.just(("S",))),
        date_from=maybe(st.sampled_from(DATES)),
        date_to=maybe(st.sampled_from(DATES)),
        stages=maybe(subsets((1, 2))),
        min_minutes=maybe(st.sampled_from((0, 1, 5, 30, 45.5))),
        rehearsals=st.booleans(),
    ),
    webinars=maybe(st.lists(st.integers(0, 5), max_size=2).map(tuple)),
)
step_selections = st.lists(selections, min_size=1, max_size=2)


# -- the comparison, after every step --------------------------------------------------------------


def data_quality(con) -> dict:
    """The Data page's figures (queries/data_quality.sql) as plain values."""
    return {k: plain(v) for k, v in queries.run(con, "data_quality", ALL).iloc[0].to_dict().items()}


def assert_sound(overview: dict, minutes: dict[str, list[float]], persons: int) -> None:
    """What must hold whatever the definitions: no more participants than persons, and each
    median within the minutes it is the median of."""
    assert overview["participants"] <= persons
    everyone = [m for values in minutes.values() for m in values]
    if overview["median_minutes"] is not None:
        assert min(everyone) <= overview["median_minutes"] <= max(everyone)
    for key, row in overview["webinars"].items():
        if row["median_minutes"] is not None:
            assert min(minutes[key]) <= row["median_minutes"] <= max(minutes[key])


def assert_report_agrees(shown: dict, expected: dict) -> None:
    """`reach report --json` is the oracle's, whole."""
    assert shown == expected


def assert_live_view_agrees(con, oracle: Oracle, key: str) -> None:
    """The live view of one webinar, read in one snapshot as the page reads it, is the oracle's."""
    with database.Snapshot(con) as snapshot:
        shown = production_live(snapshot, key)
    # docs/metrics.md: rehearsal data is counted on the live view only while the webinar holds no real data
    counted = oracle.holds_rehearsal(key) and not oracle.holds_real(key)
    assert shown == oracle.live(key, rehearsals=counted), key
    assert shown["peak_concurrent"] >= shown["connected_now"]
    assert shown["joined_total"] == sum(shown["by_role"].values()) == sum(shown["by_country"].values())


def assert_surfaces_agree(con, selections: list[Filters]) -> None:
    """Every surface is the oracle's: the overview for each selection and the report for the
    first, the live view of each webinar with live events, the Data page."""
    oracle = Oracle(con)
    persons = len(oracle.persons)
    for filters in selections:
        overview = production_overview(con, filters)
        assert overview == approx_tree(oracle.overview(filters)), filters
        assert_sound(overview, oracle.attended_minutes(filters), persons)
    # the report is assembled from the same overview: one selection a step keeps the steps fast
    assert_report_agrees(production_report(con, selections[0]), oracle.report(selections[0]))
    live = {e["event_id"] for e in oracle.live_events}
    for webinar in oracle.webinars:
        if webinar.event_id in live:
            assert_live_view_agrees(con, oracle, webinar.key)
    assert data_quality(con) == oracle.data_quality()


def assert_mappings_hold(con) -> None:
    """A mapping saved on the Data page holds "from now on, and in the rows already imported"
    (review.save_country, save_role): every stored row carrying a mapped text (the same text by
    the comparison key the mapping is saved under) has its code, whenever and however it arrived."""
    tables = ("attendance", "registrations", "live_events")
    for column, aliases in (
        ("country", "select alias_key, alias, iso2 from country_aliases"),
        ("role", "select value_key, value, role from role_aliases"),
    ):
        mapped = {k: (written, code) for k, written, code in con.execute(aliases).fetchall()}
        for table in tables:
            texts = con.execute(
                f"select distinct {column}_raw, {column} from {table} where {column}_raw is not null order by all"
            ).fetchall()
            unmapped = [
                (raw, code, mapped[text_key(raw)])
                for raw, code in texts
                if text_key(raw) in mapped
                and code != mapped[text_key(raw)][1]
            ]
            assert unmapped == [], f"{table}: {column} texts (as written, code, mapped to)"


def canonical_rows(con) -> dict[str, list]:
    """Every row of the tables a write may change (ids and all), sorted."""
    tables = (
        "participants",
        "events",
        "registrations",
        "attendance",
        "live_events",
        "platform_figures",
        "facts_pending",
        "imports",
    )
    return {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}


def webinar_keys(con) -> list[str]:
    """The webinars there are, in the order they were created (what a Selection's indices point at)."""
    return [k for (k,) in con.execute("select event_key from events order by event_id").fetchall()]


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def holds_real_data(con, key: str) -> bool:
    """Whether the webinar holds an imported row, a registration or a real live event."""
    return con.execute(
        """
        select count(*) > 0 from events e
        where e.event_key = $k and (exists (select 1 from attendance a where a.event_id = e.event_id)
            or exists (select 1 from registrations r where r.event_id = e.event_id)
            or exists (select 1 from live_events l where l.event_id = e.event_id and not l.is_rehearsal))
    """,
        {"k": key},
    ).fetchall()[0][0]


# Databases in memory-backed storage where there is one: a commit then costs no disk flush.
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


@cache
def template_database() -> Path:
    """An empty programme in ZONE, made once and copied for every sequence."""
    directory = tempfile.mkdtemp(prefix="reach-state-", dir=SCRATCH)
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    path = Path(directory) / "empty.duckdb"
    con = database.connect(path)
    database.set_programme_setting(con, "timezone", ZONE)
    con.close()
    return path


# -- the state machine -----------------------------------------------------------------------------


class ProgrammeMachine(RuleBasedStateMachine):
    """One programme database in a file, and what its users do to it."""

    def __init__(self):
        super().__init__()
        self.directory = tempfile.TemporaryDirectory(prefix="reach-state-", dir=SCRATCH)
        self.path = Path(self.directory.name) / "programme.duckdb"
        shutil.copy(template_database(), self.path)
        self.con = database.connect(self.path)
        self.imported: dict[bytes, int] = {}  # content -> import id, while imported
        self.files: list[bytes] = []  # every file imported so far
        self.sent: dict[bool, list[dict]] = {False: [], True: []}  # live events sent (real, rehearsal)
        self.sent_ids = 0

    def teardown(self):
        self.con.close()
        self.directory.cleanup()

    # -- helpers of the rules -----------------------------------------------------------------

    def keys(self) -> list[str]:
        return webinar_keys(self.con)

    def start_of(self, key: str) -> datetime:
        return self.con.execute("select starts_at from events where event_key = $k", {"k": key}).fetchall()[0][0]

    def check(self, chosen: list[Selection]) -> None:
        """What every read path does first, then every surface against the oracle."""
        database.Database(None, con=self.con).bring_facts_up_to_date()
        assert not database.facts_are_stale(self.con)
        keys = self.keys()
        assert_surfaces_agree(self.con, [s.resolve(keys) for s in chosen])
        assert_mappings_hold(self.con)

    def batch_json(self, batch: LiveBatch, rehearsal: bool) -> tuple[bytes, set[str]]:
        """The batch's body and the webinars it sends to; its new events are remembered for resends."""
        keys = self.keys()
        pool = WEBINARS[batch.pool]
        if batch.webinar is not None and keys:
            key = keys[batch.webinar % len(keys)]
        else:
            key = (REHEARSAL_KEYS if rehearsal else FRESH_KEYS)[batch.fresh_key]
        if key in keys:
            start, title = self.start_of(key), None
        else:
            start, title = utc(pool.starts_at), pool.title if batch.titled else None
        items = []
        for item in batch.items:
            self.sent_ids += 1
            items.append(live_item_json(item, f"e{self.sent_ids}", key, start, title))
        # a sender retrying after a timeout resends events it sent before (and that were stored)
        stored = {i for (i,) in self.con.execute("select id from live_events").fetchall()}
        earlier = [e for e in self.sent[rehearsal] if e["id"] in stored]
        resent = [earlier[i % len(earlier)] for i in batch.resends] if earlier else []
        self.sent[rehearsal].extend(items)
        events = items + resent
        return json.dumps({"events": events, "rehearsal": rehearsal}).encode(), {e["event"] for e in events}

    def store_batch(self, body: bytes) -> None:
        """The server's path: the batch committed, the facts left to the background update."""
        events = parse_batch(body)
        stored = {i for (i,) in self.con.execute("select id from live_events").fetchall()}
        new = sum(1 for e in events if e.id not in stored)
        event("batch with a duplicate" if new < len(events) else "batch all new")
        assert store(self.con, events, refresh=False) == (new, len(events) - new)

    def import_bytes(self, data: bytes, name: str) -> None:
        expected = "unchanged" if data in self.imported else "imported"
        result = import_file(self.con, data, name, zone=ZONE)
        event(f"import {expected}")
        assert (result.status, [p.text(name, "en") for p in result.problems]) == (expected, [])
        self.imported[data] = result.import_id
        self.files.append(data)

    # -- the rules: what users do ---------------------------------------------------------------

    @rule(spec=import_specs, chosen=step_selections)
    def import_a_file(self, spec: ImportSpec, chosen):
        self.import_bytes(*file_of(spec))
        self.check(chosen)

    @precondition(lambda self: self.files)
    @rule(index=st.integers(0, 99), chosen=step_selections)
    def import_a_file_again(self, index: int, chosen):
        data = self.files[index % len(self.files)]
        self.import_bytes(data, "again.csv")
        self.check(chosen)

    @rule(spec=import_specs, chosen=step_selections)
    def import_and_remove_a_file(self, spec: ImportSpec, chosen):
        data, name = file_of(spec)
        before = canonical_rows(self.con)
        result = import_file(self.con, data, name, zone=ZONE)
        event(f"import then removal: {result.status}")
        if result.status == "imported":
            with database.transaction(self.con):
                writes.remove_import(self.con, result.import_id)
                writes.refresh_after_removal(self.con)
            assert canonical_rows(self.con) == before  # the removal took back all it brought
        self.check(chosen)

    @precondition(lambda self: self.imported)
    @rule(index=st.integers(0, 99), chosen=step_selections)
    def remove_an_import(self, index: int, chosen):
        data = sorted(self.imported)[index % len(self.imported)]
        import_id = self.imported.pop(data)
        with database.transaction(self.con):
            writes.remove_import(self.con, import_id)
            writes.refresh_after_removal(self.con)
        left = (
            "select (select count(*) from attendance where import_id = $i) + (select count(*) from registrations "
            "where import_id = $i)"
        )
        assert self.con.execute(left, {"i": import_id}).fetchall() == [(0,)]
        self.check(chosen)

    @rule(batch=live_batches, chosen=step_selections)
    def send_live_events(self, batch: LiveBatch, chosen):
        body, _ = self.batch_json(batch, rehearsal=False)
        self.store_batch(body)
        self.check(chosen)

    @precondition(lambda self: self.keys())
    @rule(checkin=check_ins, chosen=step_selections)
    def check_in(self, checkin: CheckIn, chosen):
        keys = self.keys()
        key = keys[checkin.webinar % len(keys)]
        at = (self.start_of(key) + timedelta(seconds=checkin.at)).replace(tzinfo=ZoneInfo("UTC"))
        join = checkin_event(key, SESSIONS[checkin.session], checkin.country, checkin.role, at)
        store(self.con, [join], refresh=False)
        self.check(chosen)

    @rule(webinar=new_webinars, chosen=step_selections)
    def start_a_webinar(self, webinar: NewWebinar, chosen):
        pool = WEBINARS[webinar.pool]
        title = pool.title if webinar.pool_title else "Сессия в зале"
        starts_at = (pool.starts_at + timedelta(hours=webinar.hours_later)).replace(tzinfo=ZoneInfo(ZONE))
        key = new_webinar(self.con, title, starts_at, webinar.minutes)
        assert key.startswith("live-" + utc(pool.starts_at + timedelta(hours=webinar.hours_later)).strftime("%Y%m%d"))
        self.check(chosen)

    @rule(
        kind=st.sampled_from(("country", "role")),
        index=st.integers(0, 99),
        country=st.sampled_from(COUNTRY_CODES),
        role=st.sampled_from(ROLE_CODES),
        chosen=step_selections,
    )
    def map_a_text(self, kind: str, index: int, country: str, role: str, chosen):
        present = unmatched_texts(self.con, kind)
        event(f"mapped a {kind} text {'present' if present else 'not yet present'}")
        texts = present or (["Марс"] if kind == "country" else ["Марсоход"])  # a mapping before the text comes
        raw = texts[index % len(texts)]
        if kind == "country":
            review.save_country(self.con, raw, country)
        else:
            review.save_role(self.con, raw, role)
        self.check(chosen)

    @rule(batch=live_batches, chosen=step_selections)
    def rehearse(self, batch: LiveBatch, chosen):
        body, keys = self.batch_json(batch, rehearsal=True)
        real = sorted(k for k in keys if holds_real_data(self.con, k))
        before = canonical_rows(self.con)
        try:
            self.store_batch(body)
        except RehearsalRefused as refused:
            event("rehearsal refused")
            assert refused.event_key == real[0]
            assert canonical_rows(self.con) == before  # nothing written
        else:
            event("rehearsal stored")
            assert not real
        self.check(chosen)

    @rule(index=st.none() | st.integers(0, 9), chosen=step_selections)
    def clear_rehearsals(self, index: int | None, chosen):
        keys = self.keys()
        key = keys[index % len(keys)] if index is not None and keys else None
        with database.transaction(self.con):
            writes.clear_rehearsals(self.con, key)
            writes.refresh_after_removal(self.con)
        left = (
            "select count(*) from live_events l join events e using (event_id) where l.is_rehearsal "
            "and ($k is null or e.event_key = $k)"
        )
        assert self.con.execute(left, {"k": key}).fetchall() == [(0,)]
        if key is None:
            rehearsal = (
                "select (select count(*) from events where is_rehearsal) "
                "+ (select count(*) from participants where is_rehearsal)"
            )
            assert self.con.execute(rehearsal).fetchall() == [(0,)]
        self.check(chosen)

    @precondition(lambda self: self.keys())
    @rule(index=st.integers(0, 9), chosen=step_selections)
    def remove_a_webinar(self, index: int, chosen):
        keys = self.keys()
        key = keys[index % len(keys)]
        imported = self.con.execute(
            """
            select count(*) > 0 from events e where e.event_key = $k and (
                exists (select 1 from attendance a where a.event_id = e.event_id)
                or exists (select 1 from registrations r where r.event_id = e.event_id))
        """,
            {"k": key},
        ).fetchall()[0][0]
        try:
            with database.transaction(self.con):
                writes.remove_webinar(self.con, key)
                writes.refresh_after_removal(self.con)
        except writes.HoldsImports:
            event("webinar holding imports kept")
            assert imported
        else:
            event("webinar removed")
            assert not imported and key not in self.keys()
        self.check(chosen)

    @rule(batch=live_batches, chosen=step_selections)
    def kill_and_reopen(self, batch: LiveBatch, chosen):
        body, _ = self.batch_json(batch, rehearsal=False)
        self.store_batch(body)
        stale = database.facts_are_stale(self.con)
        event(f"killed with facts {'behind' if stale else 'up to date'}")
        self.con.close()  # killed: the facts update never ran
        killed = file_digest(self.path)
        reader, said = database.open_for_reading(self.path)
        try:
            assert (said is not None) == stale
            oracle, keys = Oracle(reader), webinar_keys(reader)
            for filters in (s.resolve(keys) for s in chosen):
                assert_report_agrees(production_report(reader, filters), oracle.report(filters))
        finally:
            reader.close()
        assert file_digest(self.path) == killed  # the reader left the file as it was
        self.con = database.connect(self.path)  # the server started again
        self.check(chosen)


def unmatched_texts(con, kind: str) -> list[str]:
    """The country texts that map to no country, or the occupation texts no rule matched, in
    the stored rows (imported and live)."""
    if kind == "country":
        where = "country_raw is not null and country is null"
        column = "country_raw"
    else:
        where = "role_raw is not null and role = 'other'"
        column = "role_raw"
    union = " union ".join(
        f"select {column} from {t} where {where}" for t in ("attendance", "registrations", "live_events")
    )
    return [t for (t,) in con.execute(f"select * from ({union}) order by 1").fetchall()]


# CI draws the same 200 sequences every run (about four minutes on two cores: every step costs a
# whole check of every surface, so the sequences are short); elsewhere each run draws new ones,
# and REACH_STATE_EXAMPLES / REACH_STATE_STEPS run more or longer sequences.
CI = bool(os.environ.get("CI"))
TestProgramme = ProgrammeMachine.TestCase
TestProgramme.settings = settings(
    max_examples=int(os.environ.get("REACH_STATE_EXAMPLES", "200")),
    stateful_step_count=int(os.environ.get("REACH_STATE_STEPS", "5")),
    deadline=None,
    derandomize=CI,
    database=None if CI else settings.default.database,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
