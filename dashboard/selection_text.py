"""The active filters in words, in the page's language: under the overview's title (so a screenshot
says what it shows) and on the first page of every export."""

from __future__ import annotations

import pandas as pd

from dashboard.filters import Filters
from dashboard.i18n import country_names, role_labels, t

MAX_NAMED = 8  # past this many, "12 countries" instead of the list


def _named(values, names: dict, lang: str, many_key: str) -> str:
    shown = [names.get(v, v) for v in values]
    return ", ".join(shown) if len(shown) <= MAX_NAMED else t(many_key, lang, n=len(shown))


def describe(filters: Filters, lang: str, countries: pd.DataFrame, roles: pd.DataFrame,
             webinars: pd.DataFrame) -> list[str]:  # fmt: skip
    """One phrase per active filter; ["All participants of all webinars"] when none is set."""
    titles = dict(zip(webinars["event_key"], webinars["title"], strict=True)) if len(webinars) else {}
    parts = []
    if filters.countries is not None:
        names = country_names(countries, lang)
        parts.append(t("sel_countries", lang, v=_named(filters.countries, names, lang, "sel_n_countries")))
    if filters.roles is not None:
        parts.append(t("sel_roles", lang, v=_named(filters.roles, role_labels(roles, lang), lang, "sel_n_roles")))
    if filters.stages is not None:
        parts.append(t("sel_stages", lang, v=", ".join(str(s) for s in filters.stages)))
    if filters.series is not None:
        parts.append(t("sel_series", lang, v=", ".join(filters.series)))
    if filters.events is not None:
        parts.append(t("sel_webinars", lang, v=_named(filters.events, titles, lang, "sel_n_webinars")))
    if filters.date_from or filters.date_to:
        start = f"{filters.date_from:%d.%m.%Y}" if filters.date_from else "…"
        end = f"{filters.date_to:%d.%m.%Y}" if filters.date_to else "…"
        parts.append(t("sel_dates", lang, v=f"{start} – {end}"))
    if filters.min_minutes:
        parts.append(t("sel_minutes", lang, n=f"{filters.min_minutes:g}"))
    if filters.rehearsals:
        parts.append(t("sel_rehearsals", lang))
    return parts or [t("sel_all", lang)]
