"""The data-quality review: unmatched countries and roles, and applying an analyst's mapping
to the mappings table and to the data already imported, at once."""

from __future__ import annotations

import duckdb
import pandas as pd

from dashboard import database, queries, writes
from dashboard.filters import ALL
from dashboard.imports.loader import saved_aliases
from dashboard.imports.normalise import ROLE_CODES, match_role


def unmatched_countries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Country texts that map to no country, with how many rows and persons carry them."""
    return queries.run(con, "country_texts", ALL)


def unmatched_roles(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Occupation texts no rule or saved mapping matches (they count as `other`)."""
    texts = queries.run(con, "role_texts", ALL)
    saved = saved_aliases(con)[1]
    keep = [not match_role(raw, saved)[1] for raw in texts["role_raw"]]
    return texts[keep].reset_index(drop=True)


def _save(con: duckdb.DuckDBPyConnection, kind: str, raw: str, value: str) -> None:
    """Save a mapping of a raw text and apply it to the stored rows and the figures, at once."""
    with database.transaction(con):
        writes.save_mapping(con, kind, raw, value)
        database.refresh(con)


def save_country(con: duckdb.DuckDBPyConnection, raw: str, iso2: str) -> None:
    """Map a country text to a country from now on, and in the rows already imported."""
    if not con.execute("select 1 from countries where iso2 = $c", {"c": iso2}).fetchall():
        raise ValueError(iso2)
    _save(con, "country", raw, iso2)


def save_role(con: duckdb.DuckDBPyConnection, raw: str, role: str) -> None:
    """Map an occupation text to a role from now on, and in the rows already imported."""
    if role not in ROLE_CODES:
        raise ValueError(role)
    _save(con, "role", raw, role)
