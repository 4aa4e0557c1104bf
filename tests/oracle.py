"""An independent reference implementation ("oracle") of every figure of docs/metrics.md.

Plain Python over the canonical rows, each table read once with `select * from <table>`. It
shares no code with dashboard/sql, queries/ or dashboard/reach.py: it is written to be checked
against docs/metrics.md line by line, not to be fast, and the tests hold production to it.

Where docs/metrics.md leaves room, or is changing, it follows these readings:
- A live join lasts to the same person's next leave in that webinar strictly after it, in the
  order (time, a leave before a join at one instant); a join never left lasts to the webinar's
  effective end: the later of its planned end (start + 90 minutes when none is planned) and the
  end of the second of the latest live event of that webinar of the same kind (rehearsal or
  not). Joins and leaves pair within one kind. A leave with no join before it opens nothing.
- Remaining ties in a person's country or role go to the greatest code.
- Rehearsals: unless the selection asks for them (`rehearsals`, default False), rehearsal
  persons, rehearsal webinars and rehearsal live events are left out of every figure. A person's
  country and role are theirs whatever is selected, so they are read from all their rows.
- `joined_total` on the live view is the webinar's participants (live and imported intervals),
  so that it equals the sum of its reach by role and by country. The live view counts rehearsals
  when the webinar holds rehearsal live events (its Rehearsal banner).
- `reach report` rounds the total of minutes from its exact value: times are kept to the second,
  so minutes are exact at that resolution (whole seconds ÷ 60); the exact total, as the float
  nearest to it, is rounded by round(). Not a sum of per-pair minutes already in binary floating
  point, whose error decides the rounding of a total such as 1.35 (81 s).
- The Data page's figures follow the header of queries/data_quality.sql: records are the imports'
  records; persons those with an imported attendance row or registration (staff rows too);
  participants, unknown country and unknown role are the overview's, rehearsals left out.
- A check-in is a live join of a check-in person (identity 'checkin:…'). Its interval counts for
  presence (participants, the peak, the live view) but measures no length: a pair's minutes are
  known when at least one of its counted intervals is not a check-in, else None (unknown), and
  unknown minutes are left out of the total, the medians and any minimum above 0.
- A webinar's source (docs/metrics.md) is read from its rows: the import format of each audience
  attendance row (the row's own source when it came without an import), each real live join
  (check-in or live feed); with none of these, registrations only, or planned. Person filters
  and minimum minutes do not change it; rehearsal data never counts.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import duckdb

from dashboard.filters import Filters

UNKNOWN = "unknown"  # the country of a person with none, and the role of a person with none stated
CIS_STATES = ("member", "associate")
STAGES = (1, 2)
DEFAULT_PLANNED_MINUTES = 90
ONE_SECOND = timedelta(seconds=1)
OLDEST = datetime.min  # a registration of unknown time counts as the oldest
TABLES = ("programme", "countries", "roles", "events", "participants", "registrations", "attendance", "live_events")
TABLES += ("imports",)

Span = tuple[datetime, datetime]  # [start, end)

# Sources of a webinar's figures, in the order they are listed (docs/metrics.md, Source).
SOURCE_ORDER = ("zoom", "webex", "mts-link", "bbb", "sheet", "file", "mts-link-api", "live", "checkin")
SOURCE_ORDER += ("registrations", "planned")
FILE_FORMATS = {format_: format_ for format_ in ("webex", "mts-link", "bbb", "sheet", "mts-link-api")}  # Zoom's: zoom-…


def read_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    """Every row of a canonical table as a dict by column name."""
    cursor = con.cursor()
    try:
        cursor.execute(f"select * from {table}")  # one of TABLES
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        cursor.close()


@dataclass(frozen=True)
class Webinar:
    event_id: int
    key: str
    series: str | None
    starts_at: datetime  # UTC
    date: date  # in the programme's time zone
    planned_end: datetime
    is_rehearsal: bool


@dataclass(frozen=True)
class Person:
    person_id: int
    country: str | None  # None: unknown
    role: str
    stage: int | None
    is_rehearsal: bool


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime
    rehearsal: bool  # opened by a rehearsal live event
    checkin: bool = False  # opened by a check-in: presence, not a measured length


def merge(spans: list[Span]) -> list[Span]:
    """The union of half-open spans as disjoint spans: overlapping or touching ones become one."""
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def seconds_of(segments: list[Span]) -> int:
    """The length of disjoint spans in whole seconds (times are stored to the second)."""
    return sum(int((end - start).total_seconds()) for start, end in segments)


def minutes_of(segments: list[Span]) -> float:
    """The length of disjoint spans, in minutes."""
    return sum((end - start).total_seconds() for start, end in segments) / 60


def peak_of(segments_by_person: list[list[Span]]) -> int:
    """The most persons connected at one instant. A person's merged segments neither overlap nor
    touch, so counting segments counts distinct persons; all changes at one instant apply
    together, so a leave at t comes before a join at t and an empty span counts nowhere."""
    change: Counter = Counter()
    for segments in segments_by_person:
        for start, end in segments:
            change[start] += 1
            change[end] -= 1
    connected = peak = 0
    for instant in sorted(change):
        connected += change[instant]
        peak = max(peak, connected)
    return peak


def median_or_none(values: list[float]) -> float | None:
    """The median (the mean of the two middle values for an even count); None for no values."""
    return statistics.median(values) if values else None


MEASURED = frozenset({"zoom", "webex", "mts-link", "bbb", "sheet", "file", "mts-link-api", "live"})


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def difference(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def live_intervals(events: list[dict], effective_end: datetime) -> list[Span]:
    """The intervals of one person's live events in one webinar, of one kind."""
    ordered = sorted(events, key=lambda e: (e["occurred_at"], e["type"] == "join"))  # a leave before a join
    spans = []
    for n, event in enumerate(ordered):
        if event["type"] == "join":
            leave = next((later for later in ordered[n + 1 :] if later["type"] == "leave"), None)
            spans.append((event["occurred_at"], leave["occurred_at"] if leave else effective_end))
    return spans


def country_of(registrations: list[dict], rows: list[tuple[datetime, str | None]]) -> str | None:
    """The latest declared country; else the most reported one among the person's rows (tie:
    the latest row); else None. `rows` are (time, reported country) of attendance rows and joins."""
    declared = [(r["registered_at"] or OLDEST, r["country"]) for r in registrations if r["country"] is not None]
    if declared:
        return max(declared)[1]  # the latest; tie: the greatest code
    reported = [(at, country) for at, country in rows if country is not None]
    if not reported:
        return None
    count = Counter(country for _, country in reported)
    latest = {country: max(at for at, c in reported if c == country) for country in count}
    return max(count, key=lambda country: (count[country], latest[country], country))


def role_of(statements: list[tuple[datetime, str | None]]) -> str:
    """The most recently stated role (tie: the greatest code); 'unknown' statements do not count."""
    stated = [(at, role) for at, role in statements if role is not None and role != UNKNOWN]
    return max(stated)[1] if stated else UNKNOWN


def file_source(import_format: str | None) -> str:
    """The source an attendance row stands for, by the format it was imported as."""
    if import_format is not None and import_format.startswith("zoom"):
        return "zoom"
    return FILE_FORMATS.get(import_format, "file")


def passes_minimum(minutes: float | None, minimum: float | None) -> bool:
    """Whether an attendance of `minutes` (None: unknown) counts under a minimum of minutes."""
    if minimum is None or minimum <= 0:
        return True
    return minutes is not None and minutes >= minimum


def webinar_selected(w: Webinar, f: Filters) -> bool:
    return (
        (f.events is None or w.key in f.events)
        and (f.series is None or w.series in f.series)
        and (f.date_from is None or w.date >= f.date_from)
        and (f.date_to is None or w.date <= f.date_to)
    )


def person_selected(p: Person, f: Filters) -> bool:
    return (
        (f.countries is None or (p.country or UNKNOWN) in f.countries)
        and (f.roles is None or p.role in f.roles)
        and (f.stages is None or p.stage in f.stages)
    )


class Oracle:
    """Every figure of docs/metrics.md for a database, read once."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        rows = {table: read_rows(con, table) for table in TABLES}
        settings = {r["key"]: r["value"] for r in rows["programme"]}
        zone = ZoneInfo(settings.get("timezone") or "UTC")
        self.countries = {r["iso2"]: r for r in rows["countries"]}
        self.role_order = [r["code"] for r in sorted(rows["roles"], key=lambda r: r["sort_order"])]
        self.webinars = sorted(
            (
                Webinar(
                    event_id=e["event_id"],
                    key=e["event_key"],
                    series=e["series"],
                    starts_at=e["starts_at"],
                    date=e["starts_at"].replace(tzinfo=UTC).astimezone(zone).date(),
                    planned_end=e["starts_at"] + timedelta(minutes=e.get("planned_minutes") or DEFAULT_PLANNED_MINUTES),
                    is_rehearsal=bool(e.get("is_rehearsal")),
                )
                for e in rows["events"]
            ),
            key=lambda w: (w.starts_at, w.event_id),
        )
        self.live_events = rows["live_events"]
        self.checkin_persons = {
            p["person_id"] for p in rows["participants"] if p["identity_key"].startswith("checkin:")
        }
        self.intervals = self._audience_intervals(rows["attendance"])
        self.registered = {(r["person_id"], r["event_id"]) for r in rows["registrations"]}
        self.imported_webinars = {r["event_id"] for r in rows["attendance"]}
        self.records = sum(r["records"] for r in rows["imports"])
        self.imported_persons = {
            r["person_id"] for r in rows["attendance"] + rows["registrations"] if r["import_id"] is not None
        }
        self.persons = self._persons(rows["participants"], rows["registrations"], rows["attendance"])
        # per (person, webinar) with audience intervals: (minutes, merged segments), with and
        # without the intervals of rehearsal live events; minutes None: unknown (check-ins only)
        self.pairs = {rehearsals: self._pairs(rehearsals) for rehearsals in (False, True)}
        self.sources = self._sources(rows["attendance"], rows["registrations"], rows["imports"])

    # -- building blocks -------------------------------------------------------------------

    def _effective_ends(self) -> dict[tuple[int, bool], datetime]:
        """(webinar, kind) -> where a join of that kind never left ends."""
        latest: dict[tuple[int, bool], datetime] = {}
        for e in self.live_events:
            kind = (e["event_id"], bool(e.get("is_rehearsal")))
            latest[kind] = max(latest.get(kind, e["occurred_at"]), e["occurred_at"])
        planned = {w.event_id: w.planned_end for w in self.webinars}
        return {(event_id, r): max(planned[event_id], at + ONE_SECOND) for (event_id, r), at in latest.items()}

    def _audience_intervals(self, attendance: list[dict]) -> dict[tuple[int, int], list[Interval]]:
        """(person, webinar) -> audience intervals: non-staff attendance rows and live intervals."""
        intervals: dict[tuple[int, int], list[Interval]] = defaultdict(list)
        for r in attendance:
            if not r["is_staff"]:
                intervals[r["person_id"], r["event_id"]].append(Interval(r["joined_at"], r["left_at"], False))
        by_kind: dict[tuple[int, int, bool], list[dict]] = defaultdict(list)
        for e in self.live_events:
            by_kind[e["person_id"], e["event_id"], bool(e.get("is_rehearsal"))].append(e)
        ends = self._effective_ends()
        for (person_id, event_id, rehearsal), events in by_kind.items():
            checkin = person_id in self.checkin_persons
            for start, end in live_intervals(events, ends[event_id, rehearsal]):
                intervals[person_id, event_id].append(Interval(start, end, rehearsal, checkin))
        return dict(intervals)

    def _persons(self, participants: list[dict], registrations: list[dict], attendance: list[dict]) -> dict:
        regs, rows, statements = defaultdict(list), defaultdict(list), defaultdict(list)
        for r in registrations:
            regs[r["person_id"]].append(r)
            statements[r["person_id"]].append((r["registered_at"] or OLDEST, r["role"]))
        for r in attendance:  # staff rows too: they are the person's rows
            rows[r["person_id"]].append((r["joined_at"], r["country"]))
            statements[r["person_id"]].append((r["joined_at"], r.get("role")))
        for e in self.live_events:
            if e["type"] == "join":
                rows[e["person_id"]].append((e["occurred_at"], e["country"]))
                statements[e["person_id"]].append((e["occurred_at"], e["role"]))
        persons = {}
        for p in participants:
            pid = p["person_id"]
            country = country_of(regs[pid], rows[pid])
            persons[pid] = Person(
                person_id=pid,
                country=country,
                role=role_of(statements[pid]),
                stage=self.countries[country]["stage"] if country in self.countries else None,
                is_rehearsal=bool(p.get("is_rehearsal")) or p["identity_key"].startswith("rehearsal:"),
            )
        return persons

    def _pairs(self, rehearsals: bool) -> dict[tuple[int, int], tuple[float | None, list[Span]]]:
        pairs = {}
        for pair, intervals in self.intervals.items():
            counted = [i for i in intervals if rehearsals or not i.rehearsal]
            if counted:
                segments = merge([(i.start, i.end) for i in counted])
                known = any(not i.checkin for i in counted)
                pairs[pair] = (minutes_of(segments) if known else None, segments)
        return pairs

    def _sources(self, attendance: list[dict], registrations: list[dict], imports: list[dict]) -> dict[int, tuple]:
        """Webinar -> where its figures come from, in SOURCE_ORDER; rehearsal data never counts."""
        formats = {i["import_id"]: i["format"] for i in imports}
        found: dict[int, set[str]] = defaultdict(set)
        for r in attendance:
            if not r["is_staff"] and not self.persons[r["person_id"]].is_rehearsal:
                found[r["event_id"]].add(file_source(formats.get(r["import_id"]) or r["source"]))
        for e in self.live_events:
            if e["type"] == "join" and not e.get("is_rehearsal") and not self.persons[e["person_id"]].is_rehearsal:
                found[e["event_id"]].add("checkin" if e["person_id"] in self.checkin_persons else "live")
        registered = {r["event_id"] for r in registrations if not self.persons[r["person_id"]].is_rehearsal}
        sources = {}
        for w in self.webinars:
            codes = found[w.event_id] or {"registrations" if w.event_id in registered else "planned"}
            sources[w.event_id] = tuple(code for code in SOURCE_ORDER if code in codes)
        return sources

    # -- figures ---------------------------------------------------------------------------

    def overview(self, filters: Filters) -> dict:
        """Every figure of the overview for a selection (docs/metrics.md, Figures)."""
        return self._figures(filters, getattr(filters, "rehearsals", False))

    def _selection(self, filters: Filters, rehearsals: bool) -> tuple[list[Webinar], set, dict]:
        """The selected webinars, the (person, webinar) registrations and the attended pairs
        (-> minutes, merged segments) of the selection; `rehearsals` counts them too."""
        webinars = [w for w in self.webinars if webinar_selected(w, filters) and (rehearsals or not w.is_rehearsal)]
        event_ids = {w.event_id for w in webinars}
        persons = {
            pid for pid, p in self.persons.items() if person_selected(p, filters) and (rehearsals or not p.is_rehearsal)
        }
        registered = {(pid, eid) for pid, eid in self.registered if pid in persons and eid in event_ids}
        attended = {
            (pid, eid): (minutes, segments)
            for (pid, eid), (minutes, segments) in self.pairs[rehearsals].items()
            if pid in persons and eid in event_ids and passes_minimum(minutes, filters.min_minutes)
        }
        return webinars, registered, attended

    def attended_minutes(self, filters: Filters) -> dict[str, list[float]]:
        """The known minutes of each attended (person, webinar) pair of a selection, by webinar key."""
        webinars, _, attended = self._selection(filters, filters.rehearsals)
        key = {w.event_id: w.key for w in webinars}
        minutes: dict[str, list[float]] = defaultdict(list)
        for (_, event_id), (m, _) in attended.items():
            if m is not None:
                minutes[key[event_id]].append(m)
        return dict(minutes)

    def _figures(self, filters: Filters, rehearsals: bool) -> dict:
        """The figures of the selected persons at the selected webinars; `rehearsals` counts them too."""
        webinars, registered, attended = self._selection(filters, rehearsals)
        participants = {pid for pid, _ in attended}
        known = {self.persons[pid].country for pid in participants} - {None}
        cells = Counter((self.persons[pid].country or UNKNOWN, self.persons[pid].role) for pid in participants)
        webinar_rows = {w.key: self._webinar_row(w.event_id, registered, attended) for w in webinars}
        cumulative = self._cumulative(webinars, attended)
        known_minutes = [minutes for minutes, _ in attended.values() if minutes is not None]
        rated = self._measured(registered)
        return {
            "participants": len(participants),
            "registrants": len({pid for pid, _ in registered}),
            "attendance_rate": ratio(len(rated & attended.keys()), len(rated)),
            "attendances": len(attended),
            "repeat_participants": sum(1 for n in Counter(pid for pid, _ in attended).values() if n >= 2),
            "countries": len(known),
            "cis_countries": len({c for c in known if self.countries.get(c, {}).get("cis_status") in CIS_STATES}),
            "minutes_total": math.fsum(known_minutes),
            "median_minutes": median_or_none(known_minutes),
            "events": len(webinars),
            "by_country": self._by_country(participants),
            "by_role": self._by_role(participants),
            "matrix": dict(cells),
            "stage_coverage": self._stage_coverage(known),
            "cumulative": cumulative,
            "webinars": webinar_rows,
            "deltas": self._deltas(webinar_rows, cumulative),
        }

    def _by_country(self, participants: set[int]) -> dict[str, int]:
        """Participants per country, 'unknown' kept; most first, then by code."""
        count = Counter(self.persons[pid].country or UNKNOWN for pid in participants)
        return {country: count[country] for country in sorted(count, key=lambda c: (-count[c], c))}

    def _by_role(self, participants: set[int]) -> dict[str, int]:
        """Participants per role, in the roles' order."""
        count = Counter(self.persons[pid].role for pid in participants)
        order = [r for r in self.role_order if r in count] + sorted(set(count) - set(self.role_order))
        return {role: count[role] for role in order}

    def _stage_coverage(self, known: set[str]) -> dict[int, dict]:
        coverage = {}
        for stage in STAGES:
            members = {iso2 for iso2, c in self.countries.items() if c["stage"] == stage}
            reached = len(members & known)
            coverage[stage] = {
                "countries_in_stage": len(members),
                "countries_reached": reached,
                "coverage": ratio(reached, len(members)),
            }
        return coverage

    def _is_measured(self, event_id: int) -> bool:
        """Whether the webinar's attendance can be matched to its registrants (docs/metrics.md,
        attendance rate): a platform's rows, an API pull or the live feed — not check-ins alone."""
        return bool(set(self.sources[event_id]) & MEASURED)

    def _measured(self, registered: set) -> set:
        return {(pid, eid) for pid, eid in registered if self._is_measured(eid)}

    def _webinar_row(self, event_id: int, registered: set, attended: dict) -> dict:
        registrants = {pid for pid, eid in registered if eid == event_id}
        came = {pid: pair for (pid, eid), pair in attended.items() if eid == event_id}
        minutes = [m for m, _ in came.values() if m is not None]
        return {
            "registrants": len(registrants),
            "participants": len(came),
            "registered_attended": len(registrants & came.keys()),
            "attendance_rate": ratio(len(registrants & came.keys()), len(registrants)) if self._is_measured(event_id)
            else None,
            "minutes_total": math.fsum(minutes),
            "median_minutes": median_or_none(minutes),
            "peak_concurrent": peak_of([segments for _, segments in came.values()]),
            "sources": self.sources[event_id],
        }

    def _cumulative(self, webinars: list[Webinar], attended: dict) -> list[dict]:
        """Per webinar in order of start: a person is new at the first selected webinar they
        attended, a country at the first one attended by one of its participants."""
        seen_persons: set[int] = set()
        seen_countries: set[str] = set()
        rows = []
        for w in webinars:
            here = {pid for pid, eid in attended if eid == w.event_id}
            countries = {self.persons[pid].country for pid in here} - {None}
            new_persons, new_countries = here - seen_persons, countries - seen_countries
            seen_persons |= here
            seen_countries |= countries
            rows.append(
                {
                    "event_key": w.key,
                    "participants": len(here),
                    "new_participants": len(new_persons),
                    "cumulative_participants": len(seen_persons),
                    "new_countries": len(new_countries),
                    "cumulative_countries": len(seen_countries),
                }
            )
        return rows

    @staticmethod
    def _deltas(webinar_rows: dict[str, dict], cumulative: list[dict]) -> dict:
        """The latest selected webinar with participants against the previous one."""
        held = [key for key, row in webinar_rows.items() if row["participants"] > 0]
        if len(held) < 2:
            return {"participants": None, "countries": None, "attendance_rate": None, "median_minutes": None}
        latest, previous = held[-1], held[-2]
        now, before = webinar_rows[latest], webinar_rows[previous]
        added = next(row for row in cumulative if row["event_key"] == latest)
        return {
            "participants": added["new_participants"],
            "countries": added["new_countries"],
            "attendance_rate": difference(now["attendance_rate"], before["attendance_rate"]),
            "median_minutes": difference(now["median_minutes"], before["median_minutes"]),
            "latest_event": latest,
            "previous_event": previous,
        }

    def report(self, filters: Filters) -> dict:
        """The figures of `reach report --json` (the shape of dashboard.reach.report)."""
        o = self.overview(filters)
        _, _, attended = self._selection(filters, getattr(filters, "rehearsals", False))
        seconds = sum(seconds_of(segments) for minutes, segments in attended.values() if minutes is not None)
        return {
            "participants": o["participants"],
            "registrants": o["registrants"],
            "attendance_rate": None if o["attendance_rate"] is None else round(o["attendance_rate"], 4),
            "attendances": o["attendances"],
            "events": o["events"],
            "countries": o["countries"],
            "repeat_participants": o["repeat_participants"],
            "minutes_total": round(float(Fraction(seconds, 60)), 1),  # the exact total, then rounded
            "median_minutes": None if o["median_minutes"] is None else round(o["median_minutes"], 1),
            "by_country": o["by_country"],
            "by_role": o["by_role"],
            "peak_concurrent": {key: row["peak_concurrent"] for key, row in o["webinars"].items()},
        }

    def data_quality(self) -> dict:
        """The Data page's figures (queries/data_quality.sql): how imported records merge into
        persons, and how many participants lack a country or a role."""
        _, _, attended = self._selection(Filters(), False)
        participants = {pid for pid, _ in attended}
        registered = {pid for pid, _ in self.registered}
        imported = self.imported_persons
        return {
            "records": self.records,
            "persons": len(imported),
            "attended": len(imported & participants),
            "registered_only": len((imported - participants) & registered),
            "staff_only": len(imported - participants - registered),
            "participants": len(participants),
            "unknown_country": sum(1 for pid in participants if self.persons[pid].country is None),
            "unknown_role": sum(1 for pid in participants if self.persons[pid].role == UNKNOWN),
        }

    def holds_rehearsal(self, event_key: str) -> bool:
        """Whether the webinar holds rehearsal live events (the live view counts them, under a banner)."""
        event_id = next(w.event_id for w in self.webinars if w.key == event_key)
        return any(e["event_id"] == event_id and e.get("is_rehearsal") for e in self.live_events)

    def holds_real(self, event_key: str) -> bool:
        """Whether the webinar holds imported rows, registrations or real live events."""
        event_id = next(w.event_id for w in self.webinars if w.key == event_key)
        return (
            any(e["event_id"] == event_id and not e.get("is_rehearsal") for e in self.live_events)
            or any(e == event_id for e in self.imported_webinars)
            or any(e == event_id for _, e in self.registered)
        )

    def live(self, event_key: str, rehearsals: bool = True) -> dict:
        """The live view's figures for one webinar (docs/metrics.md, Live view)."""
        if event_key not in {w.key for w in self.webinars}:
            raise KeyError(event_key)
        figures = self._figures(Filters(events=(event_key,)), rehearsals)
        row = figures["webinars"].get(event_key)  # absent: a rehearsal webinar left out
        return {
            "connected_now": self._connected_now(event_key, rehearsals) if row else 0,
            "joined_total": figures["participants"],
            "countries": figures["countries"],
            "by_role": figures["by_role"],
            "by_country": figures["by_country"],
            "peak_concurrent": row["peak_concurrent"] if row else 0,
        }

    def _connected_now(self, event_key: str, rehearsals: bool) -> int:
        """Persons whose latest live event in the webinar is a join (a leave at t before a join at t)."""
        event_id = next(w.event_id for w in self.webinars if w.key == event_key)
        latest: dict[int, tuple[datetime, bool]] = {}
        for e in self.live_events:
            counted = rehearsals or not (e.get("is_rehearsal") or self.persons[e["person_id"]].is_rehearsal)
            if e["event_id"] == event_id and counted:
                moment = (e["occurred_at"], e["type"] == "join")
                latest[e["person_id"]] = max(latest.get(e["person_id"], moment), moment)
        return sum(1 for _, is_join in latest.values() if is_join)
