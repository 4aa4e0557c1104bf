"""The view's state in the URL: `?lang=en&country=RU&country=KZ&role=student&from=2026-10-01`.

Pure functions, so that a copied link reproduces the view and bad values are reported,
never passed on to SQL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from dashboard.filters import Filters
from dashboard.i18n import language

LIST_PARAMS = {"country": "countries", "role": "roles", "event": "events", "series": "series"}


@dataclass(frozen=True)
class Choices:
    """What a URL may name: the values that exist in the database."""

    countries: frozenset[str]
    roles: frozenset[str]
    events: frozenset[str]
    series: frozenset[str]
    stages: frozenset[int] = frozenset({1, 2})
    first_date: date | None = None  # the programme's first and last webinar dates (None: no webinars)
    last_date: date | None = None


@dataclass(frozen=True)
class UrlState:
    lang: str
    filters: Filters
    ignored: list[str] = field(default_factory=list)  # "name=value" pairs that were not valid


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse(params: Mapping[str, Sequence[str]], choices: Choices) -> UrlState:
    """Read the URL's parameters (each a list of values); invalid values are ignored and listed."""
    ignored: list[str] = []
    values: dict = {}
    for name, attr in LIST_PARAMS.items():
        given = [v for v in params.get(name, []) if v != ""]
        if name == "country":
            given = [v if v == "unknown" else v.upper() for v in given]
        allowed = getattr(choices, attr) | ({"unknown"} if name == "country" else set())
        good = tuple(dict.fromkeys(v for v in given if v in allowed))
        ignored += [f"{name}={v}" for v in given if v not in allowed]
        values[attr] = good or None
    stages = []
    for v in params.get("stage", []):
        if v.isdigit() and int(v) in choices.stages:
            stages.append(int(v))
        else:
            ignored.append(f"stage={v}")
    values["stages"] = tuple(dict.fromkeys(stages)) or None
    for name, attr in (("from", "date_from"), ("to", "date_to")):
        raw = (params.get(name) or [None])[-1]
        parsed = _date(raw) if raw else None
        if raw and parsed is None:
            ignored.append(f"{name}={raw}")
        values[attr] = parsed
    _clamp_dates(values, choices, ignored)
    if values["date_from"] and values["date_to"] and values["date_from"] > values["date_to"]:
        ignored += [f"from={values['date_from']}", f"to={values['date_to']}"]
        values["date_from"] = values["date_to"] = None
    raw_min = (params.get("min") or [None])[-1]
    if raw_min:
        try:
            minutes = float(raw_min)
            if not 0 <= minutes <= 24 * 60:
                raise ValueError
            values["min_minutes"] = minutes
        except ValueError:
            ignored.append(f"min={raw_min}")
    raw_lang = (params.get("lang") or [None])[-1]
    if raw_lang and language(raw_lang) != raw_lang:
        ignored.append(f"lang={raw_lang}")
    return UrlState(lang=language(raw_lang), filters=Filters(**values), ignored=ignored)


def _clamp_dates(values: dict, choices: Choices, ignored: list[str]) -> None:
    """Dates against the programme's range: one beyond it on the wide side (from before the first
    webinar, to after the last) means no limit; one that would leave no webinar at all (to before
    the first, from after the last) is ignored and listed."""
    first, last = choices.first_date, choices.last_date
    if first is None or last is None:
        return
    date_from, date_to = values["date_from"], values["date_to"]
    if date_from and date_from <= first:
        values["date_from"] = None
    elif date_from and date_from > last:
        ignored.append(f"from={date_from}")
        values["date_from"] = None
    if date_to and date_to >= last:
        values["date_to"] = None
    elif date_to and date_to < first:
        ignored.append(f"to={date_to}")
        values["date_to"] = None


def to_params(lang: str, filters: Filters) -> dict[str, list[str] | str]:
    """The URL parameters for a view; defaults are left out to keep links short."""
    params: dict[str, list[str] | str] = {}
    if lang != "ru":
        params["lang"] = lang
    for name, attr in LIST_PARAMS.items():
        if getattr(filters, attr):
            params[name] = list(getattr(filters, attr))
    if filters.stages:
        params["stage"] = [str(s) for s in filters.stages]
    if filters.date_from:
        params["from"] = filters.date_from.isoformat()
    if filters.date_to:
        params["to"] = filters.date_to.isoformat()
    if filters.min_minutes:
        params["min"] = f"{filters.min_minutes:g}"
    return params
