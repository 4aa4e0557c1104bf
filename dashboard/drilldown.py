"""One webinar up close: the audience over time (connected per minute, from the merged segments),
joins and leaves per minute, how long people stayed, the peak marked, and the platform's own
figures beside ours. The per-second count is the one peak_concurrent uses (reach.py), so the
peak drawn here is the peak in the per-webinar table."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from dashboard import queries
from dashboard.filters import Filters


@dataclass(frozen=True)
class Timeline:
    minute: list[int]  # minutes from the webinar's start (may be negative: early joins)
    connected: list[int]  # the most persons connected at one second within the minute
    joins: list[int]  # segments starting in the minute (a rejoin after a gap is a join)
    leaves: list[int]  # segments ending in the minute
    peak: int
    peak_second: int | None  # seconds from the start at which the peak is first reached


def timeline(segments: pd.DataFrame) -> Timeline:
    """The per-minute audience of one webinar from its merged segments [start, end) in whole
    seconds from its start (a leave at t comes before a join at t)."""
    if segments.empty:
        return Timeline([], [], [], [], 0, None)
    start = segments["start_offset_s"].to_numpy(dtype=np.int64)
    end = segments["end_offset_s"].to_numpy(dtype=np.int64)
    first_minute = int(np.floor_divide(start.min(), 60))
    last_minute = int(np.floor_divide(end.max(), 60))  # the minute of the last leave, even on its first second
    origin = first_minute * 60
    seconds = (last_minute - first_minute + 1) * 60
    change = np.bincount(start - origin, minlength=seconds + 1)[: seconds + 1]
    change = change - np.bincount(end - origin, minlength=seconds + 1)[: seconds + 1]
    connected = np.cumsum(change)[:seconds]
    per_minute = connected.reshape(-1, 60).max(axis=1)
    bins = last_minute - first_minute + 1
    joins = np.bincount(np.floor_divide(start - origin, 60), minlength=bins)[:bins]
    leaves = np.bincount(np.floor_divide(end - origin, 60), minlength=bins)[:bins]
    peak = int(connected.max())
    return Timeline(
        minute=list(range(first_minute, last_minute + 1)),
        connected=per_minute.astype(int).tolist(),
        joins=joins.astype(int).tolist(),
        leaves=leaves.astype(int).tolist(),
        peak=peak,
        peak_second=int(np.argmax(connected)) + origin if peak else None,
    )


def minutes_distribution(histogram: pd.DataFrame, width: int = 5) -> pd.DataFrame:
    """Attendances by how long they lasted, in bins of `width` minutes: from, to, attendances."""
    if histogram.empty:
        return pd.DataFrame({"from": [], "to": [], "attendances": []}, dtype="int64")
    bins = histogram.assign(bin=histogram["whole_minute"].astype(int) // width).groupby("bin")["pairs"].sum()
    full = bins.reindex(range(int(bins.index.min()), int(bins.index.max()) + 1), fill_value=0)
    return pd.DataFrame({"from": full.index * width, "to": full.index * width + width,
                         "attendances": full.to_numpy(dtype=np.int64)})  # fmt: skip


@dataclass(frozen=True)
class Drilldown:
    event_key: str
    title: str
    starts_at: datetime  # UTC
    planned_minutes: int | None
    timeline: Timeline
    minutes: pd.DataFrame  # from, to, attendances
    stated: dict  # the platform's own figures (None where not stated)

    def clock(self, second: int) -> datetime:
        return self.starts_at + timedelta(seconds=second)


def drilldown(con: duckdb.DuckDBPyConnection, filters: Filters, event_key: str) -> Drilldown:
    """The webinar `event_key` under the person filters (and minimum of minutes) of `filters`."""
    one = replace(filters, events=(event_key,), series=None, date_from=None, date_to=None)
    info = con.execute("select title, starts_at, planned_minutes from events where event_key = $k",
                       {"k": event_key}).fetchall()  # fmt: skip
    if not info:
        raise KeyError(event_key)
    title, starts_at, planned = info[0]
    segments = queries.run(con, "audience_segments", one)
    histogram = queries.run(con, "minutes_histogram", one)
    stated = queries.run(con, "platform_figures", Filters())
    row = stated[stated["event_key"] == event_key]
    figures = {} if row.empty else {k: (None if pd.isna(v) else int(v)) for k, v in row.iloc[0].items()
                                    if k not in ("event_key", "title")}  # fmt: skip
    return Drilldown(event_key, title, starts_at, planned, timeline(segments), minutes_distribution(histogram), figures)
