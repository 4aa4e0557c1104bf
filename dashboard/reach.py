"""The reach figures of a selection, assembled from the questions in queries/.

Country and role are attributes of the person, so one pass over the persons (the reach cube)
gives participants, registrants, repeat participants, countries, reach by country and by
role, their matrix and cumulative reach; pair-level figures (attendances, attendance rate,
minutes) add up per webinar; medians and peaks have their own questions. The functions that
combine the small results are pure and tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from dashboard import queries
from dashboard.filters import Filters
from dashboard.reference import STAGES, UNKNOWN

CIS_STATES = ("member", "associate")


@dataclass(frozen=True)
class Overview:
    kpis: dict
    matrix: pd.DataFrame  # country, role, participants
    by_country: pd.DataFrame  # country, stage, participants
    by_role: pd.DataFrame  # role, participants
    stage_coverage: pd.DataFrame  # stage, countries_in_stage, countries_reached, coverage
    cumulative: pd.DataFrame  # per webinar: new and cumulative participants and countries
    webinars: pd.DataFrame  # per webinar: registrants … median_minutes, peak_concurrent, sources


def _participant_rows(cube: pd.DataFrame):
    """(country, role, first_slot, persons) of the cube's participant rows, as plain values.

    The cube is small (hundreds of rows for a demo, tens of thousands at a million persons);
    plain Python over its columns is several times faster than pandas group-bys on it.
    """
    keep = cube["is_participant"].to_numpy(dtype=bool)
    return zip(
        cube["country"].to_numpy()[keep].tolist(),
        cube["role"].to_numpy()[keep].tolist(),
        cube["first_slot"].to_numpy(dtype=float, na_value=np.nan)[keep].tolist(),
        cube["persons"].to_numpy()[keep].tolist(),
        strict=True,
    )


def participants_matrix(cube: pd.DataFrame) -> pd.DataFrame:
    """Participants per (country, role), known and unknown alike."""
    cells: dict[tuple[str, str], int] = {}
    for country, role, _, persons in _participant_rows(cube):
        cells[country, role] = cells.get((country, role), 0) + persons
    keys = sorted(cells)
    return pd.DataFrame(
        {
            "country": [k[0] for k in keys],
            "role": [k[1] for k in keys],
            "participants": np.array([cells[k] for k in keys], dtype=np.int64),
        }
    )


def by_country(matrix: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Participants per country (row totals of the matrix), 'unknown' kept, most first."""
    totals: dict[str, int] = {}
    for country, n in zip(matrix["country"].tolist(), matrix["participants"].tolist(), strict=True):
        totals[country] = totals.get(country, 0) + n
    order = sorted(totals, key=lambda c: (-totals[c], c))
    stages = dict(zip(countries["iso2"].tolist(), countries["stage"].tolist(), strict=True))
    return pd.DataFrame(
        {
            "country": order,
            "stage": pd.array([stages.get(c) for c in order], dtype="Int64"),
            "participants": np.array([totals[c] for c in order], dtype=np.int64),
        }
    )


def by_role(matrix: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    """Participants per role (column totals of the matrix), in the roles' order."""
    totals: dict[str, int] = {}
    for role, n in zip(matrix["role"].tolist(), matrix["participants"].tolist(), strict=True):
        totals[role] = totals.get(role, 0) + n
    order = [code for code in roles["code"].tolist() if code in totals]
    return pd.DataFrame({"role": order, "participants": np.array([totals[r] for r in order], dtype=np.int64)})


def stage_coverage(country_totals: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Per programme stage: countries reached ÷ countries in the stage."""
    reached_all = set(country_totals.loc[country_totals["participants"] > 0, "country"].tolist())
    stage_of = zip(countries["iso2"].tolist(), countries["stage"].tolist(), strict=True)
    members: dict[int, set[str]] = {stage: set() for stage in STAGES}
    for iso2, stage in stage_of:
        if stage in members:
            members[stage].add(iso2)
    rows = {"stage": [], "countries_in_stage": [], "countries_reached": [], "coverage": []}
    for stage in STAGES:
        reached = len(members[stage] & reached_all)
        rows["stage"].append(stage)
        rows["countries_in_stage"].append(len(members[stage]))
        rows["countries_reached"].append(reached)
        rows["coverage"].append(reached / len(members[stage]) if members[stage] else None)
    return pd.DataFrame(rows)


# Sources whose attendance can be matched to the registrants (docs/metrics.md, attendance rate):
# a check-in is anonymous, and registrations alone measure no attendance.
MEASURED = frozenset({"zoom", "webex", "mts-link", "bbb", "sheet", "file", "mts-link-api", "live"})


def measured(sources: pd.DataFrame) -> set[str]:
    """The keys of the webinars whose attendance rate can be measured."""
    return {k for k, names in zip(sources["event_key"].tolist(), sources["sources"].tolist(), strict=True)
            if set(names) & MEASURED}  # fmt: skip


def rate_webinars(webinars: pd.DataFrame, keys: set[str]) -> pd.DataFrame:
    """The per-webinar figures with no attendance rate where it cannot be measured."""
    unmeasured = ~webinars["event_key"].isin(keys)
    return webinars.assign(attendance_rate=webinars["attendance_rate"].mask(unmeasured))


def headline(cube: pd.DataFrame, webinars: pd.DataFrame, overall_median: float | None, countries: pd.DataFrame) -> dict:
    """The headline figures of docs/metrics.md as plain Python values (the attendance rate over the
    webinars that have one: rate_webinars)."""
    persons = cube["persons"].to_numpy()
    known = {c for c, _, _, _ in _participant_rows(cube)} - {UNKNOWN}
    statuses = zip(countries["iso2"].tolist(), countries["cis_status"].tolist(), strict=True)
    cis = {iso2 for iso2, status in statuses if status in CIS_STATES}
    rated = webinars["attendance_rate"].notna() | (webinars["registrants"] == 0)
    registrations = int(webinars.loc[rated, "registrants"].sum())  # (person, webinar) pairs
    return {
        "participants": int(persons[cube["is_participant"].to_numpy(dtype=bool)].sum()),
        "registrants": int(persons[cube["is_registrant"].to_numpy(dtype=bool)].sum()),
        "attendance_rate": float(webinars.loc[rated, "registered_attended"].sum()) / registrations
        if registrations else None,
        "attendances": int(webinars["participants"].sum()),
        "repeat_participants": int(persons[cube["is_repeat"].to_numpy(dtype=bool)].sum()),
        "countries": len(known),
        "cis_countries": len(known & cis),
        "minutes_total": float(webinars["minutes_total"].sum()),
        "median_minutes": None if overall_median is None or pd.isna(overall_median) else float(overall_median),
        "events": len(webinars),
    }


def cumulative_reach(cube: pd.DataFrame, webinars: pd.DataFrame) -> pd.DataFrame:
    """Per selected webinar in order: participants, new participants (at their first selected
    webinar), cumulative participants, new and cumulative known countries."""
    new_people: dict[int, int] = {}
    country_first: dict[str, int] = {}
    for country, _, first_slot, persons in _participant_rows(cube):
        slot = int(first_slot)
        new_people[slot] = new_people.get(slot, 0) + persons
        if country != UNKNOWN:
            country_first[country] = min(slot, country_first.get(country, slot))
    new_countries: dict[int, int] = {}
    for slot in country_first.values():
        new_countries[slot] = new_countries.get(slot, 0) + 1
    slots = webinars["slot"].tolist()
    out = webinars[["event_key", "title", "starts_at", "event_date", "participants"]].reset_index(drop=True)
    out["new_participants"] = np.array([new_people.get(s, 0) for s in slots], dtype=np.int64)
    out["cumulative_participants"] = np.cumsum(out["new_participants"].to_numpy())
    out["new_countries"] = np.array([new_countries.get(s, 0) for s in slots], dtype=np.int64)
    out["cumulative_countries"] = np.cumsum(out["new_countries"].to_numpy())
    return out


def peaks_from_segments(segments) -> pd.Series:
    """Peak concurrent per webinar slot from merged segments [start, end) in whole seconds
    (columns slot, start_offset_s, end_offset_s: a DataFrame or a mapping of arrays).

    Each slot gets a dense per-second array from its earliest start to its latest end; +1 at
    each start and -1 at each end, summed per second, so a leave and a join at the same
    second net out (a leave at t comes before a join at t). The running sum is the number
    connected; its maximum is the peak. Every slot's changes sum to zero, so one running sum
    over the slots laid end to end restarts at zero at each slot.
    """
    slot = np.asarray(segments["slot"], dtype=np.int64)
    if len(slot) == 0:
        return pd.Series(dtype=np.int64)
    start = np.asarray(segments["start_offset_s"], dtype=np.int64)
    end = np.asarray(segments["end_offset_s"], dtype=np.int64)
    n_slots = int(slot.max()) + 1
    low = np.full(n_slots, np.iinfo(np.int64).max)
    high = np.full(n_slots, np.iinfo(np.int64).min)
    np.minimum.at(low, slot, start)
    np.maximum.at(high, slot, end)
    present = np.flatnonzero(high >= low)
    width = np.zeros(n_slots, dtype=np.int64)
    width[present] = high[present] - low[present] + 1
    base = np.cumsum(width) - width  # where each slot's seconds begin in the dense array
    size = int(width.sum())
    change = np.bincount(base[slot] + start - low[slot], minlength=size)
    change -= np.bincount(base[slot] + end - low[slot], minlength=size)
    connected = np.cumsum(change)
    peaks = np.maximum.reduceat(connected, base[present])
    return pd.Series(peaks, index=present)


def peak_concurrent(con: duckdb.DuckDBPyConnection, filters: Filters, webinars: pd.DataFrame) -> pd.Series:
    """Peak concurrent audience per selected webinar (event_key -> persons)."""
    if filters.stored_peaks:  # the peak over all real persons is stored at load time
        stored = queries.run(con, "webinar_peaks", filters)
        return pd.Series(stored["peak_concurrent"].to_numpy(dtype=np.int64), index=stored["event_key"])
    by_slot = peaks_from_segments(queries.run_columns(con, "audience_segments", filters))
    keys = webinars.set_index("slot")["event_key"]
    return pd.Series(by_slot.to_numpy(), index=keys.reindex(by_slot.index).to_numpy(), dtype=np.int64)


ALL_SELECTED = None  # the scope of a median over all selected webinars together


def _count_up(counts: list[tuple[float, int]], rank: int) -> float:
    """The value at 1-based `rank` of a multiset given as sorted (value, count) pairs."""
    seen = 0
    for value, count in counts:
        seen += count
        if seen >= rank:
            return value
    raise ValueError(f"rank {rank} beyond {seen} values")


def median_targets(histogram: pd.DataFrame) -> dict[str | None, list[tuple[int, int]]]:
    """For each scope (a webinar, and ALL_SELECTED), the middle rank(s) as (whole minute, rank
    within that minute): ranks (n+1)//2 and n//2+1, the same one when n is odd."""
    by_scope: dict[str | None, dict[int, int]] = {}
    for key, minute, pairs in zip(
        histogram["event_key"].tolist(), histogram["whole_minute"].tolist(), histogram["pairs"].tolist(), strict=True
    ):
        for scope in (key, ALL_SELECTED):
            minutes = by_scope.setdefault(scope, {})
            minutes[minute] = minutes.get(minute, 0) + pairs
    targets = {}
    for scope, minutes in by_scope.items():
        counts = sorted(minutes.items())
        n = sum(c for _, c in counts)
        found = []
        for k in ((n + 1) // 2, n // 2 + 1):
            minute = _count_up(counts, k)
            before = sum(c for m, c in counts if m < minute)
            found.append((minute, k - before))
        targets[scope] = found
    return targets


def medians_from_exact(targets: dict[str | None, list[tuple[int, int]]], exact: pd.DataFrame) -> dict:
    """Each scope's median from the exact durations inside its target minutes."""
    values: dict[tuple[str | None, int], dict[float, int]] = {}
    for key, minute, minutes, pairs in zip(
        exact["event_key"].tolist(),
        exact["whole_minute"].tolist(),
        exact["minutes"].tolist(),
        exact["pairs"].tolist(),
        strict=True,
    ):
        for scope in (key, ALL_SELECTED):
            bucket = values.setdefault((scope, minute), {})
            bucket[minutes] = bucket.get(minutes, 0) + pairs
    return {
        scope: sum(_count_up(sorted(values[scope, minute].items()), rank) for minute, rank in ranks) / len(ranks)
        for scope, ranks in targets.items()
    }


def median_minutes(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str | None, float]:
    """Exact median minutes per selected webinar (by event key) and over all of them (None).

    A histogram per whole minute finds the minute holding each middle rank; only the
    attendances of those minutes are then read with their exact durations.
    """
    targets = median_targets(queries.run(con, "minutes_histogram", filters))
    if not targets:
        return {}
    minutes = sorted({minute for ranks in targets.values() for minute, _ in ranks})
    return medians_from_exact(targets, queries.run(con, "minutes_exact", filters, whole_minutes=minutes))


def webinar_table(webinars: pd.DataFrame, medians: dict, peaks: pd.Series, sources: pd.DataFrame) -> pd.DataFrame:
    """The per-webinar figures with each webinar's median minutes, peak concurrent and the
    sources of its figures (a tuple of source names, queries/webinar_sources.sql)."""
    per_event = medians
    peak = dict(zip(peaks.index.tolist(), peaks.tolist(), strict=True))
    source = dict(zip(sources["event_key"].tolist(), sources["sources"].tolist(), strict=True))
    keys = webinars["event_key"].tolist()
    table = webinars.copy()
    table["median_minutes"] = np.array([per_event.get(k, np.nan) for k in keys], dtype=float)
    table["peak_concurrent"] = np.array([peak.get(k, 0) for k in keys], dtype=np.int64)
    table["sources"] = pd.Series([tuple(source.get(k, ())) for k in keys], index=table.index, dtype=object)
    return table


def overview(
    con: duckdb.DuckDBPyConnection, filters: Filters, countries: pd.DataFrame, roles: pd.DataFrame
) -> Overview:
    """Every figure of the overview page for one selection."""
    cube = queries.run(con, "reach_cube", filters)
    sources = queries.run(con, "webinar_sources", filters)
    webinars = rate_webinars(queries.run(con, "webinar_figures", filters), measured(sources))
    medians = median_minutes(con, filters)
    matrix = participants_matrix(cube)
    country_totals = by_country(matrix, countries)
    return Overview(
        kpis=headline(cube, webinars, medians.get(ALL_SELECTED), countries),
        matrix=matrix,
        by_country=country_totals,
        by_role=by_role(matrix, roles),
        stage_coverage=stage_coverage(country_totals, countries),
        cumulative=cumulative_reach(cube, webinars),
        webinars=webinar_table(webinars, medians, peak_concurrent(con, filters, webinars), sources),
    )


def series_reach(con: duckdb.DuckDBPyConnection, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The selection's cumulative reach and its webinars (keys, slots, titles, dates, counts): what
    the retention page starts from, without the overview's medians, peaks and sources."""
    webinars = queries.run(con, "webinar_figures", filters)
    return cumulative_reach(queries.run(con, "reach_cube", filters), webinars), webinars


def kpi_deltas(cumulative: pd.DataFrame, webinars: pd.DataFrame) -> dict:
    """What the latest webinar of the selection changed, for the KPI deltas.

    participants / countries: how many the latest webinar added to the reach;
    attendance_rate / median_minutes: the latest webinar's value minus the previous one's.
    None where there is no previous webinar to compare with.
    """
    held = webinars[webinars["participants"] > 0]
    if len(held) < 2:
        return {"participants": None, "countries": None, "attendance_rate": None, "median_minutes": None}
    last_key, previous_key = held["event_key"].iloc[-1], held["event_key"].iloc[-2]
    last_cum = cumulative.set_index("event_key").loc[last_key]
    last, previous = held.iloc[-1], held.iloc[-2]

    def difference(column: str):
        a, b = last[column], previous[column]
        return None if pd.isna(a) or pd.isna(b) else float(a - b)

    return {
        "participants": int(last_cum["new_participants"]),
        "countries": int(last_cum["new_countries"]),
        "attendance_rate": difference("attendance_rate"),
        "median_minutes": difference("median_minutes"),
        "latest_event": last_key,
        "previous_event": previous_key,
    }


def report(con: duckdb.DuckDBPyConnection, filters: Filters, countries: pd.DataFrame, roles: pd.DataFrame) -> dict:
    """The figures of `reach report --json`: plain JSON types, keys as in the README."""
    return report_of(overview(con, filters, countries, roles))


def report_of(o: Overview) -> dict:
    """The report's JSON of an overview (rows flagged `hidden` by small-cell suppression read null)."""
    k = o.kpis
    rate, median = k["attendance_rate"], k["median_minutes"]
    return {
        "participants": k["participants"],
        "registrants": k["registrants"],
        "attendance_rate": None if rate is None else round(rate, 4),
        "attendances": k["attendances"],
        "events": k["events"],
        "countries": k["countries"],
        "repeat_participants": k["repeat_participants"],
        # minutes are exact at the second (docs/metrics.md): round the exact total, not a float sum
        "minutes_total": round(round(k["minutes_total"] * 60) / 60, 1),
        "median_minutes": None if median is None else round(median, 1),
        "by_country": {r.country: _count(r) for r in o.by_country.itertuples()},
        "by_role": {r.role: _count(r) for r in o.by_role.itertuples()},
        "peak_concurrent": {r.event_key: int(r.peak_concurrent) for r in o.webinars.itertuples()},
    }


def _count(row) -> int | None:
    return None if getattr(row, "hidden", False) else int(row.participants)


def report_text(report: dict) -> str:
    """A readable table of the report for the terminal."""
    rate = report["attendance_rate"]
    lines = [
        f"Participants         {report['participants']}",
        f"Registrants          {report['registrants']}",
        f"Attendance rate      {'—' if rate is None else f'{rate:.1%}'}",
        f"Attendances          {report['attendances']}",
        f"Webinars             {report['events']}",
        f"Countries reached    {report['countries']}",
        f"Repeat participants  {report['repeat_participants']}",
        f"Minutes (total)      {report['minutes_total']:.0f}",
        "",
        "By country",
        *(f"  {k:<8} {v:>7}" for k, v in report["by_country"].items()),
        "",
        "By role",
        *(f"  {k:<10} {v:>7}" for k, v in report["by_role"].items()),
        "",
        "Peak concurrent",
        *(f"  {k:<16} {v:>7}" for k, v in report["peak_concurrent"].items()),
    ]
    return "\n".join(lines)


@dataclass(frozen=True)
class LiveFigures:
    """What the live view shows for one webinar, read in one transaction (docs/metrics.md)."""

    connected_now: int
    joined_total: int  # the webinar's participants: the sum of by_role and of by_country
    countries: int
    peak_concurrent: int
    has_rehearsal: bool  # the webinar holds rehearsal data (the view says so with a banner)
    rehearsal_shown: bool  # counted here: only while the webinar holds no real data
    overview: Overview  # the webinar's by_country, by_role


def live_figures(con, event_key: str, countries: pd.DataFrame, roles: pd.DataFrame) -> LiveFigures:
    """The live view's figures of one webinar. Pass a database.Snapshot so that they all come
    from one committed state: connected now then never exceeds the peak beside it."""
    status = queries.run(con, "live_status", Filters(rehearsals=True), event=event_key).iloc[0]
    has_rehearsal = bool(status["has_rehearsal"])
    # A rehearsal is counted on the live view only while the webinar holds no real data: once the
    # real webinar runs under the key it was rehearsed under, only real figures are shown (the two
    # kinds of open joins end at different instants, and "connected now" could pass the peak).
    shown = has_rehearsal and not bool(status["has_real"])
    if has_rehearsal and not shown:
        status = queries.run(con, "live_status", Filters(rehearsals=False), event=event_key).iloc[0]
    o = overview(con, Filters(events=(event_key,), rehearsals=shown), countries, roles)
    return LiveFigures(
        connected_now=int(status["connected_now"]),
        joined_total=o.kpis["participants"],
        countries=o.kpis["countries"],
        peak_concurrent=int(o.webinars["peak_concurrent"].iloc[0]) if len(o.webinars) else 0,
        has_rehearsal=has_rehearsal,
        rehearsal_shown=shown,
        overview=o,
    )
