"""What every export holds, whatever its format: the title page (programme, filters, date, the
definitions of docs/metrics.md) and the tables, each a DataFrame with headers in the chosen
language. Built from the same overview the dashboard shows (dashboard/reach.py); a viewer's
copy is masked as the viewer's screen is (dashboard/suppression.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from dashboard import database, figures, queries, reach, suppression
from dashboard.filters import ALL, Filters
from dashboard.i18n import country_names, role_labels, t, titles_in
from dashboard.retention import Retention, retention
from dashboard.selection_text import describe
from dashboard.settings import resource_dir


@dataclass(frozen=True)
class Table:
    key: str  # file and Excel table name: letters and underscores
    sheet: str  # at most 31 characters (Excel's limit)
    title: str
    frame: pd.DataFrame


@dataclass
class Content:
    lang: str
    title: str
    programme: str
    selection: list[str]
    generated: str  # the programme's local time, as text
    timezone: str
    definitions: list[tuple[str, str]]
    tables: list[Table] = field(default_factory=list)
    overview: reach.Overview | None = None
    countries: pd.DataFrame | None = None
    roles: pd.DataFrame | None = None
    threshold: int | None = None  # small counts hidden (a viewer's copy)
    retention: Retention | None = None


_CELL = re.compile(r"^\|(.*)\|\s*$")
_MARKUP = re.compile(r"[*`]")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_LEAD = re.compile(r"^\*\*(.+?)\*\*\s*(?::|—)\s*")


def definitions(lang: str) -> list[tuple[str, str]]:
    """(figure, definition) of every row of docs/metrics.md's bilingual tables, in `lang` (those
    tables keep the English text in their second column and the Russian in their third; other
    tables, e.g. which query computes which figure, are not definitions)."""
    path = resource_dir("docs") / "metrics.md"
    rows = []
    header, bilingual = True, False  # the next table row is a header; the current table's kind
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _CELL.match(line)
        if not match:
            header = True
            continue
        cells = [c.strip() for c in match.group(1).split(" | ")]
        if header:
            header, bilingual = False, cells[1:] == ["English", "Русский"]
            continue
        if not bilingual or len(cells) != 3 or set(cells[1]) <= {"-", ":"} or not cells[1]:
            continue
        names = _BOLD.findall(cells[0]) or [_MARKUP.sub("", cells[0])]  # **English** / **Русский**
        text = cells[1] if lang == "en" else cells[2]
        lead = _LEAD.match(text)
        if len(names) == 1 and lead:  # the name in this language opens the text: "**Человек**: …"
            label, text = lead.group(1), text[lead.end():]
            text = text[:1].upper() + text[1:]
        else:
            label = names[0 if lang == "en" else -1]
        rows.append((label.strip(), _MARKUP.sub("", text)))
    return rows


def _kpi_table(o: reach.Overview, lang: str) -> pd.DataFrame:
    """The headline figures as numbers (a rate in percent, minutes to one decimal)."""
    k = o.kpis
    rate, median = k["attendance_rate"], k["median_minutes"]
    rows = [
        (t("participants", lang), k["participants"]),
        (t("x_registrants", lang), k["registrants"]),
        (t("attendance_rate", lang) + ", %", None if rate is None else round(rate * 100, 1)),
        (t("x_attendances", lang), k["attendances"]),
        (t("webinars", lang), k["events"]),
        (t("x_countries", lang), k["countries"]),
        (t("cis_countries", lang), k["cis_countries"]),
        (t("repeat_participants", lang), k["repeat_participants"]),
        (t("x_minutes_total", lang), round(k["minutes_total"], 1)),
        (t("median_minutes", lang), None if median is None else round(median, 1)),
    ]
    rows += [(t("stage_coverage", lang, n=r.stage), f"{r.countries_reached} / {r.countries_in_stage}")
             for r in o.stage_coverage.itertuples()]  # fmt: skip
    return pd.DataFrame({t("x_figure", lang): [r[0] for r in rows], t("x_value", lang): [r[1] for r in rows]})


def _shown(frame: pd.DataFrame, threshold: int | None, lang: str) -> list:
    """Counts as numbers, or for a viewer's copy "< k" / "hidden" where the screen hides them."""
    if "hidden" not in frame:
        return frame["participants"].astype(int).tolist()
    return [(f"< {threshold}" if small else t("hidden_value", lang)) if hidden else int(n)
            for n, hidden, small in zip(frame["participants"], frame["hidden"], frame["small"],
                                        strict=True)]  # fmt: skip


def _country_table(o, countries, lang, threshold) -> pd.DataFrame:
    names = country_names(countries, lang)
    return pd.DataFrame({
        t("x_code", lang): o.by_country["country"].tolist(),
        t("x_country", lang): [names.get(c, c) for c in o.by_country["country"]],
        # whole stage numbers, empty outside the stages (not 1.0 / NaN: a float column in csv and html)
        t("x_stage", lang): pd.Series([int(s) if pd.notna(s) else None for s in o.by_country["stage"]], dtype=object),
        t("x_participants", lang): _shown(o.by_country, threshold, lang),
    })  # fmt: skip


def _role_table(o, roles, lang, threshold) -> pd.DataFrame:
    labels = role_labels(roles, lang)
    return pd.DataFrame({
        t("x_code", lang): o.by_role["role"].tolist(),
        t("x_role", lang): [labels.get(r, r) for r in o.by_role["role"]],
        t("x_participants", lang): _shown(o.by_role, threshold, lang),
    })  # fmt: skip


def _matrix_table(o, countries, roles, lang, threshold) -> pd.DataFrame:
    names, labels = country_names(countries, lang), role_labels(roles, lang)
    present_roles = [r for r in roles["code"] if r in set(o.matrix["role"])]
    order = figures.matrix_order(countries, sorted(set(o.matrix["country"])))
    cells = {(c, r): v for c, r, v in zip(o.matrix["country"], o.matrix["role"], _shown(o.matrix, threshold, lang),
                                          strict=True)}  # fmt: skip
    frame = pd.DataFrame({t("x_country", lang): [names.get(c, c) for c in order]})
    for role in present_roles:
        frame[labels.get(role, role)] = [cells.get((c, role), 0) for c in order]
    return frame


def _webinar_table(o, lang, threshold) -> pd.DataFrame:
    table = figures.webinar_table(o.webinars, lang)
    if threshold:
        counts = [t("col_registrants", lang), t("col_participants", lang), t("col_peak", lang)]
        table = suppression.small_counts_as_text(table, counts, threshold)
    return table


def _retention_table(r: Retention, lang: str, threshold: int | None) -> pd.DataFrame:
    """Per selected webinar: new and returning participants and the funnel (docs/metrics.md)."""
    funnel = r.funnel.set_index("event_key")
    keys = r.new_returning["event_key"].tolist()
    table = pd.DataFrame({
        t("col_date", lang): pd.to_datetime(r.new_returning["event_date"]).dt.strftime("%d.%m.%Y").tolist(),
        t("col_title", lang): titles_in(r.new_returning["title"], lang),
        t("ret_new", lang): r.new_returning["new"].tolist(),
        t("ret_returning", lang): r.new_returning["returning"].tolist(),
        **{t(f"ret_{column}", lang): [_count(funnel, key, column) for key in keys]
           for column in ("registered", "attended", "stayed_half", "came_back")},
    })  # fmt: skip
    if threshold:
        counts = [t(k, lang) for k in ("ret_new", "ret_returning", "ret_registered", "ret_attended",
                                       "ret_stayed_half", "ret_came_back")]  # fmt: skip
        table = suppression.small_counts_as_text(table, counts, threshold)
    return table


def _count(funnel: pd.DataFrame, key: str, column: str):
    """A funnel count of a webinar; 0 for a webinar with nobody; None where it cannot be known."""
    if key not in funnel.index:
        return 0
    value = funnel.at[key, column]
    return None if pd.isna(value) else int(value)


def _per_person_table(r: Retention, lang: str, threshold: int | None) -> pd.DataFrame:
    table = pd.DataFrame({t("ret_webinars_attended", lang): r.per_person["webinars"].astype(int).tolist(),
                          t("col_participants", lang): r.per_person["persons"].astype(int).tolist()})  # fmt: skip
    if threshold:
        table = suppression.small_counts_as_text(table, [t("col_participants", lang)], threshold)
    return table


def people_table(con: duckdb.DuckDBPyConnection, filters: Filters, lang: str) -> pd.DataFrame:
    """The person-level list (analysts only): who attended which selected webinars."""
    people = queries.run(con, "people_list", filters)
    return people.rename(columns={c: t(f"x_people_{c}", lang) for c in people.columns})


def build(con: duckdb.DuckDBPyConnection, filters: Filters = ALL, lang: str = "ru", *, with_people: bool = False,
          threshold: int | None = None) -> Content:  # fmt: skip
    """Everything an export shows for one selection. `threshold`: a viewer's copy (REACH_MIN_CELL)."""
    countries = queries.run(con, "countries", ALL)
    roles = queries.run(con, "roles", ALL)
    webinars = queries.run(con, "webinar_list", ALL)
    o = reach.overview(con, filters, countries, roles)
    r = retention(con, filters, o.cumulative, o.webinars)
    if threshold:
        o, _ = suppression.for_viewer(o, threshold)
    zone = database.programme_setting(con, "timezone") or "UTC"
    now = datetime.now(UTC).astimezone(ZoneInfo(zone))
    content = Content(
        lang=lang,
        title=t("app_title", lang),
        programme=database.programme_setting(con, f"title_{lang}") or database.programme_setting(con, "title") or "",
        selection=describe(filters, lang, countries, roles, webinars),
        generated=f"{now:%d.%m.%Y %H:%M}",
        timezone=zone,
        definitions=definitions(lang),
        overview=o,
        countries=countries,
        roles=roles,
        threshold=threshold,
        retention=r,
    )
    content.tables = [
        Table("kpis", t("x_sheet_kpis", lang), t("x_sheet_kpis", lang), _kpi_table(o, lang)),
        Table("by_country", t("x_sheet_countries", lang), t("by_country_title", lang),
              _country_table(o, countries, lang, threshold)),
        Table("by_role", t("x_sheet_roles", lang), t("by_role_title", lang), _role_table(o, roles, lang, threshold)),
        Table("matrix", t("x_sheet_matrix", lang), t("x_matrix_title", lang),
              _matrix_table(o, countries, roles, lang, threshold)),
        Table("webinars", t("x_sheet_webinars", lang), t("webinars_title", lang), _webinar_table(o, lang, threshold)),
        Table("retention", t("x_sheet_retention", lang), t("x_retention_title", lang),
              _retention_table(r, lang, threshold)),
        Table("per_person", t("x_sheet_per_person", lang), t("ret_per_person_title", lang),
              _per_person_table(r, lang, threshold)),
    ]  # fmt: skip
    if with_people:
        content.tables.append(Table("people", t("x_sheet_people", lang), t("x_sheet_people", lang),
                                    people_table(con, filters, lang)))  # fmt: skip
    assert all(len(table.sheet) <= 31 for table in content.tables)
    return content

