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
    webinars: pd.DataFrame  # per webinar: registrants … median_minutes, peak_concurrent


def participants_matrix(cube: pd.DataFrame) -> pd.DataFrame:
    """Participants per (country, role), known and unknown alike."""
    part = cube[cube["is_participant"]]
    matrix = part.groupby(["country", "role"], as_index=False)["persons"].sum()
    return matrix.rename(columns={"persons": "participants"}).sort_values(["country", "role"], ignore_index=True)


def by_country(matrix: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Participants per country (row totals of the matrix), 'unknown' kept, most first."""
    totals = matrix.groupby("country", as_index=False)["participants"].sum()
    stages = countries.set_index("iso2")["stage"]
    totals["stage"] = totals["country"].map(stages).astype("Int64")
    totals = totals.sort_values(["participants", "country"], ascending=[False, True])
    return totals[["country", "stage", "participants"]].reset_index(drop=True)


def by_role(matrix: pd.DataFrame, roles: pd.DataFrame) -> pd.DataFrame:
    """Participants per role (column totals of the matrix), in the roles' order."""
    totals = matrix.groupby("role")["participants"].sum()
    order = [code for code in roles["code"] if code in totals.index]
    return pd.DataFrame({"role": order, "participants": totals.loc[order].to_numpy(dtype=np.int64)})


def stage_coverage(country_totals: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Per programme stage: countries reached ÷ countries in the stage."""
    reached_all = set(country_totals.loc[country_totals["participants"] > 0, "country"])
    rows = []
    for stage in STAGES:
        members = set(countries.loc[countries["stage"] == stage, "iso2"])
        reached = members & reached_all
        rows.append(
            {
                "stage": stage,
                "countries_in_stage": len(members),
                "countries_reached": len(reached),
                "coverage": len(reached) / len(members) if members else None,
            }
        )
    return pd.DataFrame(rows)


def headline(cube: pd.DataFrame, webinars: pd.DataFrame, overall_median: float | None, countries: pd.DataFrame) -> dict:
    """The headline figures of docs/metrics.md as plain Python values."""
    part = cube[cube["is_participant"]]
    known = set(part["country"]) - {UNKNOWN}
    cis = set(countries.loc[countries["cis_status"].isin(CIS_STATES), "iso2"])
    registrations = int(webinars["registrants"].sum())  # (person, webinar) pairs
    return {
        "participants": int(part["persons"].sum()),
        "registrants": int(cube.loc[cube["is_registrant"], "persons"].sum()),
        "attendance_rate": float(webinars["registered_attended"].sum()) / registrations if registrations else None,
        "attendances": int(webinars["participants"].sum()),
        "repeat_participants": int(cube.loc[cube["is_repeat"], "persons"].sum()),
        "countries": len(known),
        "cis_countries": len(known & cis),
        "minutes_total": float(webinars["minutes_total"].sum()),
        "median_minutes": None if overall_median is None or pd.isna(overall_median) else float(overall_median),
        "events": len(webinars),
    }


def cumulative_reach(cube: pd.DataFrame, webinars: pd.DataFrame) -> pd.DataFrame:
    """Per selected webinar in order: participants, new participants (at their first selected
    webinar), cumulative participants, new and cumulative known countries."""
    part = cube[cube["is_participant"]]
    new_people = part.groupby("first_slot")["persons"].sum()
    country_first = part[part["country"] != UNKNOWN].groupby("country")["first_slot"].min()
    new_countries = country_first.value_counts()
    slots = webinars["slot"].astype(float)
    out = webinars[["event_key", "title", "starts_at", "event_date", "participants"]].copy()
    out["new_participants"] = slots.map(new_people).fillna(0).astype(np.int64).to_numpy()
    out["cumulative_participants"] = out["new_participants"].cumsum()
    out["new_countries"] = slots.map(new_countries).fillna(0).astype(np.int64).to_numpy()
    out["cumulative_countries"] = out["new_countries"].cumsum()
    return out.reset_index(drop=True)


def peaks_from_changes(changes: pd.DataFrame) -> pd.Series:
    """Peak concurrent per webinar from its net changes per second, ordered by webinar and time.

    Every webinar's changes sum to zero (each segment joins and leaves once), so one running
    sum over all rows restarts at zero at each webinar's first row.
    """
    if changes.empty:
        return pd.Series(dtype=np.int64)
    connected = np.cumsum(changes["net_change"].to_numpy(dtype=np.int64))
    keys = changes["event_key"].to_numpy()
    starts = np.r_[0, np.flatnonzero(keys[1:] != keys[:-1]) + 1]
    return pd.Series(np.maximum.reduceat(connected, starts), index=keys[starts])


def peak_concurrent(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.Series:
    """Peak concurrent audience per selected webinar (event_key -> persons)."""
    person_filter = filters.countries or filters.roles or filters.stages or filters.min_minutes is not None
    if not person_filter:  # the peak over all persons is stored at load time
        stored = queries.run(con, "webinar_peaks", filters)
        return pd.Series(stored["peak_concurrent"].to_numpy(dtype=np.int64), index=stored["event_key"])
    return peaks_from_changes(queries.run(con, "concurrency_changes", filters))


def webinar_table(webinars: pd.DataFrame, medians: pd.DataFrame, peaks: pd.Series) -> pd.DataFrame:
    """The per-webinar figures with each webinar's median minutes and peak concurrent."""
    per_event = medians.dropna(subset=["event_key"]).set_index("event_key")["median_minutes"]
    table = webinars.copy()
    table["median_minutes"] = table["event_key"].map(per_event).astype(float)
    table["peak_concurrent"] = table["event_key"].map(peaks).fillna(0).astype(np.int64)
    return table


def overview(
    con: duckdb.DuckDBPyConnection, filters: Filters, countries: pd.DataFrame, roles: pd.DataFrame
) -> Overview:
    """Every figure of the overview page for one selection."""
    cube = queries.run(con, "reach_cube", filters)
    webinars = queries.run(con, "webinar_figures", filters)
    medians = queries.run(con, "median_minutes", filters)
    overall = medians.loc[medians["event_key"].isna(), "median_minutes"]
    matrix = participants_matrix(cube)
    country_totals = by_country(matrix, countries)
    return Overview(
        kpis=headline(cube, webinars, overall.iloc[0] if len(overall) else None, countries),
        matrix=matrix,
        by_country=country_totals,
        by_role=by_role(matrix, roles),
        stage_coverage=stage_coverage(country_totals, countries),
        cumulative=cumulative_reach(cube, webinars),
        webinars=webinar_table(webinars, medians, peak_concurrent(con, filters)),
    )


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
    o = overview(con, filters, countries, roles)
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
        "minutes_total": round(k["minutes_total"], 1),
        "median_minutes": None if median is None else round(median, 1),
        "by_country": {r.country: int(r.participants) for r in o.by_country.itertuples()},
        "by_role": {r.role: int(r.participants) for r in o.by_role.itertuples()},
        "peak_concurrent": {r.event_key: int(r.peak_concurrent) for r in o.webinars.itertuples()},
    }


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
