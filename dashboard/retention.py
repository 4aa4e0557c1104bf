"""Who came back across the series (docs/metrics.md, "Retention"): new and returning participants
per webinar, cohorts (first webinar → share present at each later one), how many webinars each
participant attended, and a funnel per webinar. Small results of three questions in queries/,
combined here; pure functions apart from `retention`."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from dashboard import queries, reach
from dashboard.filters import Filters


@dataclass(frozen=True)
class Retention:
    new_returning: pd.DataFrame  # event_key, title, event_date, new, returning
    cohorts: pd.DataFrame  # first_key, event_key, size, persons, share
    per_person: pd.DataFrame  # webinars, persons
    funnel: pd.DataFrame  # event_key, title, event_date, registered, attended, stayed_half, came_back


def new_and_returning(cumulative: pd.DataFrame) -> pd.DataFrame:
    """Per selected webinar: participants new at it and participants who attended an earlier one."""
    return pd.DataFrame({
        "event_key": cumulative["event_key"].tolist(),
        "title": cumulative["title"].tolist(),
        "event_date": cumulative["event_date"].tolist(),
        "new": cumulative["new_participants"].astype("int64").tolist(),
        "returning": (cumulative["participants"] - cumulative["new_participants"]).astype("int64").tolist(),
    })  # fmt: skip


def cohort_shares(counts: pd.DataFrame, keys_by_slot: dict[int, str]) -> pd.DataFrame:
    """Long cohort table: each (first webinar, webinar) with the cohort's size and the share of
    it present (the cohort's own webinar: 1)."""
    sizes = {int(r.first_slot): int(r.persons) for r in counts.itertuples() if r.first_slot == r.slot}
    rows = [(keys_by_slot[int(r.first_slot)], keys_by_slot[int(r.slot)], sizes[int(r.first_slot)], int(r.persons),
             int(r.persons) / sizes[int(r.first_slot)]) for r in counts.itertuples()]  # fmt: skip
    return pd.DataFrame(rows, columns=["first_key", "event_key", "size", "persons", "share"])


def retention(con: duckdb.DuckDBPyConnection, filters: Filters, cumulative: pd.DataFrame,
              webinars: pd.DataFrame) -> Retention:  # fmt: skip
    """`cumulative` and `webinars` as in the Overview of the same selection (reach.overview)."""
    keys_by_slot = dict(zip(webinars["slot"].astype(int).tolist(), webinars["event_key"].tolist(), strict=True))
    titles = webinars.set_index("event_key")[["title", "event_date"]]
    funnel = queries.run(con, "webinar_funnel", filters).drop(columns=["slot"])
    funnel = funnel.join(titles, on="event_key")[["event_key", "title", "event_date", "registered", "attended",
                                                 "stayed_half", "came_back"]]  # fmt: skip
    return Retention(
        new_returning=new_and_returning(cumulative),
        cohorts=cohort_shares(queries.run(con, "retention_cohorts", filters), keys_by_slot),
        per_person=queries.run(con, "webinars_per_person", filters),
        funnel=funnel,
    )


def of_selection(con: duckdb.DuckDBPyConnection, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame, Retention]:
    """The retention page's figures: the series reach it starts from, its webinars, and the retention."""
    cumulative, webinars = reach.series_reach(con, filters)
    return cumulative, webinars, retention(con, filters, cumulative, webinars)
