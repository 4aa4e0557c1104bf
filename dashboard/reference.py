"""Reference tables: countries (from pycountry, with the Commonwealth's status and the
programme's stages from data/) and roles (from data/roles.csv)."""

from __future__ import annotations

import gettext
from functools import cache

import pandas as pd
import pycountry

from dashboard.settings import DATA_DIR

UNKNOWN = "unknown"
STAGES = (1, 2)


@cache
def _russian() -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])


def countries() -> pd.DataFrame:
    """One row per ISO 3166-1 country: iso2, iso3, name_en, name_ru, cis_status, stage.

    Names come from pycountry (English and its Russian translation); a short list of
    everyday names in data/country_display_names.csv replaces long official ones
    ("Russian Federation" -> "Russia") so that bars and maps stay readable.
    """
    ru = _russian()
    rows = [
        {
            "iso2": c.alpha_2,
            "iso3": c.alpha_3,
            "name_en": getattr(c, "common_name", None) or c.name,
            "name_ru": ru.gettext(c.name),
        }
        for c in pycountry.countries
    ]
    table = pd.DataFrame(rows).set_index("iso2")
    names = pd.read_csv(DATA_DIR / "country_display_names.csv", keep_default_na=False)
    table.update(names.set_index("iso2")[["name_en", "name_ru"]])
    cis = pd.read_csv(DATA_DIR / "cis_countries.csv", keep_default_na=False)
    cis["stage"] = pd.to_numeric(cis["stage"]).astype("Int64")
    table = table.join(cis.set_index("iso2")[["cis_status", "stage"]])
    return table.reset_index().sort_values("iso2", ignore_index=True)


def roles() -> pd.DataFrame:
    """One row per role code: code, label_en, label_ru, sort_order."""
    return pd.read_csv(DATA_DIR / "roles.csv").sort_values("sort_order", ignore_index=True)


def role_codes() -> list[str]:
    return roles()["code"].tolist()
