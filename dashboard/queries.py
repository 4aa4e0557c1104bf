"""Running the questions in queries/ with bound parameters."""

from __future__ import annotations

import re
from functools import cache

import duckdb
import pandas as pd

from dashboard.filters import Filters
from dashboard.settings import QUERIES_DIR


@cache
def sql(name: str) -> str:
    """The text of queries/<name>.sql."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


@cache
def parameters(name: str) -> frozenset[str]:
    """The $parameters the query's SQL (not its header comment) refers to."""
    code = re.sub(r"--[^\n]*", "", sql(name))
    return frozenset(re.findall(r"\$([a-z_]+)", code))


def bound(name: str, filters: Filters) -> dict:
    """The filters a query takes, as bound parameters (DuckDB refuses extra ones)."""
    wanted = parameters(name)
    return {k: v for k, v in filters.params().items() if k in wanted}


def run(con: duckdb.DuckDBPyConnection, name: str, filters: Filters) -> pd.DataFrame:
    """Run queries/<name>.sql on its own cursor with the filters as bound parameters."""
    return con.cursor().execute(sql(name), bound(name, filters)).df()


def headline_kpis(con, filters: Filters) -> dict:
    """The one row of headline figures as a dict of plain Python values."""
    cursor = con.cursor().execute(sql("headline_kpis"), bound("headline_kpis", filters))
    row = cursor.fetchall()[0]
    return {col[0]: value for col, value in zip(cursor.description, row, strict=True)}


def reach_by_country_and_role(con, filters: Filters) -> pd.DataFrame:
    return run(con, "reach_by_country_and_role", filters)


def reach_by_country(con, filters: Filters) -> pd.DataFrame:
    return run(con, "reach_by_country", filters)


def reach_by_role(con, filters: Filters) -> pd.DataFrame:
    return run(con, "reach_by_role", filters)


def cumulative_reach(con, filters: Filters) -> pd.DataFrame:
    return run(con, "cumulative_reach", filters)


def webinars(con, filters: Filters) -> pd.DataFrame:
    return run(con, "webinars", filters)
