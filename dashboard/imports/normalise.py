"""Countries and roles as written in exports → ISO alpha-2 codes and role codes.

Countries: every ISO code and English/Russian name and official long form from pycountry,
the variants in data/country_aliases.csv, and the mappings analysts saved in the database.
Roles: the ordered rules of data/role_rules.csv (first match wins), after the exact mappings
analysts saved. Nothing is guessed fuzzily: an unmatched value is kept as text and listed for
review.
"""

from __future__ import annotations

import csv
import gettext
import re
from functools import cache

import pycountry

from dashboard.settings import DATA_DIR

ROLE_CODES = ("executive", "scientist", "economist", "student", "official", "other", "unknown")
_PUNCT = re.compile(r"[\"'«»“”.,()\[\]]+")


def key(text: str) -> str:
    """A value's comparison key: case-folded, ё→е, quotes and punctuation dropped, spaces collapsed."""
    return " ".join(_PUNCT.sub(" ", text.casefold().replace("ё", "е")).split())


@cache
def _base_countries() -> dict[str, str]:
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    table: dict[str, str] = {}
    for c in pycountry.countries:
        names = {c.alpha_2, c.alpha_3, c.name, getattr(c, "official_name", None), getattr(c, "common_name", None)}
        names |= {ru.gettext(n) for n in list(names) if n}
        for name in names:
            if name:
                table.setdefault(key(name), c.alpha_2)
    with open(DATA_DIR / "country_aliases.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            table[key(row["alias"])] = row["iso2"]
    return table


def match_country(raw: str | None, saved: dict[str, str] | None = None) -> str | None:
    """ISO alpha-2 for a country as written, or None (unknown / not matched)."""
    if not raw:
        return None
    k = key(raw)
    if saved and k in saved:
        return saved[k]
    return _base_countries().get(k)


@cache
def _role_rules() -> list[tuple[re.Pattern, str]]:
    with open(DATA_DIR / "role_rules.csv", encoding="utf-8") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: int(r["order"]))
    return [(re.compile(r["pattern"], re.I), r["role"]) for r in rows]


def match_role(raw: str | None, saved: dict[str, str] | None = None) -> tuple[str | None, bool]:
    """(role code, matched) for an occupation as written; (None, True) when nothing was stated.

    A stated value no rule matches is `other` — a role outside the named ones — and
    matched=False, so that it is listed for review.
    """
    if not raw or not raw.strip():
        return None, True
    k = key(raw)
    if saved and k in saved:
        return saved[k], True
    for pattern, role in _role_rules():
        if pattern.search(k):
            return (k if role == "=" else role), True
    return "other", False
