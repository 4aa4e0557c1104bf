"""The reach figures of a selection, assembled from the questions in queries/.

Country and role are attributes of the person, so one scan (the country × role matrix)
gives reach by country and by role as its margins.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard import queries
from dashboard.filters import Filters
from dashboard.reference import STAGES, UNKNOWN


@dataclass(frozen=True)
class Overview:
    kpis: dict
    matrix: pd.DataFrame  # country, role, participants
    by_country: pd.DataFrame  # country, stage, participants
    by_role: pd.DataFrame  # role, participants
    stage_coverage: pd.DataFrame  # stage, countries_in_stage, countries_reached, coverage
    cumulative: pd.DataFrame
    webinars: pd.DataFrame


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
    return pd.DataFrame({"role": order, "participants": totals.loc[order].to_numpy()})


def stage_coverage(country_totals: pd.DataFrame, countries: pd.DataFrame) -> pd.DataFrame:
    """Per programme stage: countries reached ÷ countries in the stage."""
    rows = []
    for stage in STAGES:
        members = set(countries.loc[countries["stage"] == stage, "iso2"])
        reached = members & set(country_totals.loc[country_totals["participants"] > 0, "country"])
        rows.append(
            {
                "stage": stage,
                "countries_in_stage": len(members),
                "countries_reached": len(reached),
                "coverage": len(reached) / len(members) if members else None,
            }
        )
    return pd.DataFrame(rows)


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


def overview(
    con: duckdb.DuckDBPyConnection, filters: Filters, countries: pd.DataFrame, roles: pd.DataFrame
) -> Overview:
    """Every figure of the overview page for one selection."""
    matrix = queries.reach_by_country_and_role(con, filters)
    country_totals = by_country(matrix, countries)
    return Overview(
        kpis=queries.headline_kpis(con, filters),
        matrix=matrix,
        by_country=country_totals,
        by_role=by_role(matrix, roles),
        stage_coverage=stage_coverage(country_totals, countries),
        cumulative=queries.cumulative_reach(con, filters),
        webinars=queries.webinars(con, filters),
    )


def report(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict:
    """The figures of `reach report --json`: plain JSON types, keys as in the README."""
    kpis = queries.headline_kpis(con, filters)
    countries = queries.reach_by_country(con, filters)
    roles = queries.reach_by_role(con, filters)
    webinars = queries.webinars(con, filters)
    rate = kpis["attendance_rate"]
    return {
        "participants": int(kpis["participants"]),
        "registrants": int(kpis["registrants"]),
        "attendance_rate": None if rate is None else round(float(rate), 4),
        "attendances": int(kpis["attendances"]),
        "events": int(kpis["events"]),
        "countries": int(kpis["countries"]),
        "repeat_participants": int(kpis["repeat_participants"]),
        "minutes_total": round(float(kpis["minutes_total"]), 1),
        "median_minutes": None if kpis["median_minutes"] is None else round(float(kpis["median_minutes"]), 1),
        "by_country": {r.country: int(r.participants) for r in countries.itertuples()},
        "by_role": {r.role: int(r.participants) for r in roles.itertuples()},
        "peak_concurrent": {r.event_key: int(r.peak_concurrent) for r in webinars.itertuples()},
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


__all__ = ["Overview", "overview", "report", "report_text", "UNKNOWN"]
