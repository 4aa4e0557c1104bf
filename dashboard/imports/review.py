"""The data-quality review: unmatched countries and roles, and applying an analyst's mapping
to the mappings table and to the data already imported, at once."""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard import database, queries
from dashboard.filters import ALL
from dashboard.imports.loader import saved_aliases
from dashboard.imports.normalise import ROLE_CODES, key, match_role


def unmatched_countries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Country texts that map to no country, with how many rows and persons carry them."""
    return queries.run(con, "country_texts", ALL)


def unmatched_roles(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Occupation texts no rule or saved mapping matches (they count as `other`)."""
    texts = queries.run(con, "role_texts", ALL)
    saved = saved_aliases(con)[1]
    keep = [not match_role(raw, saved)[1] for raw in texts["role_raw"]]
    return texts[keep].reset_index(drop=True)


def save_country(con: duckdb.DuckDBPyConnection, raw: str, iso2: str) -> None:
    """Map a country text to a country from now on, and in the rows already imported."""
    with database.transaction(con):
        con.execute("insert or replace into country_aliases values ($k, $raw, $iso2)",
                    {"k": key(raw), "raw": raw, "iso2": iso2})  # fmt: skip
        for table in ("registrations", "attendance"):
            con.execute(f"update {table} set country = $iso2 where country_raw = $raw",  # noqa: S608
                        {"iso2": iso2, "raw": raw})  # fmt: skip
        database.refresh(con)


def save_role(con: duckdb.DuckDBPyConnection, raw: str, role: str) -> None:
    """Map an occupation text to a role from now on, and in the rows already imported."""
    if role not in ROLE_CODES:
        raise ValueError(role)
    with database.transaction(con):
        con.execute("insert or replace into role_aliases values ($k, $raw, $role)",
                    {"k": key(raw), "raw": raw, "role": role})  # fmt: skip
        for table in ("registrations", "attendance"):
            con.execute(f"update {table} set role = $role where role_raw = $raw",  # noqa: S608
                        {"role": role, "raw": raw})  # fmt: skip
        database.refresh(con)
