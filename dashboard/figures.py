"""Pure figure builders: DataFrame in, plotly Figure out. No Streamlit here.

Colours are chosen to read on a projector: saturated, distinct in lightness, never
relying on red/green alone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import country_names, number, platform_name, role_labels, t, titles_in

STAGE_COLOURS = {"stage_1": "#1f4e9c", "stage_2": "#e07b00", "outside_stages": "#5f7a8c", "unknown_country": "#a6a6a6"}
ROLE_COLOUR = "#2a7f62"
LINE_COLOUR = "#1f4e9c"
NEW_COLOUR = "#8fb3e8"
HIDDEN_COLOUR = "#c4c9d0"  # a country whose count is hidden from a viewer (small-cell suppression)
MAP_SCALE = [[0.0, "#dbe7f7"], [0.35, "#7aa6dc"], [1.0, "#0f3270"]]
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15, color="#1b1f24")


def _figure(data: list[dict], title: str, height: int, *, legend_on_top: bool = False, **layout) -> go.Figure:
    """One Figure from plain trace dicts and the shared look (title top left, room for labels).

    Composing a dict and constructing the Figure once, unvalidated, is an order of magnitude
    faster than plotly's update_* calls, which validate on every call; the overview's budget
    is 50 ms. tests/test_figures.py validates every builder's output instead.
    """
    base = {
        "title": {
            "text": f"<b>{title}</b>",
            "font": {"size": 19},
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 0.98,
            "yanchor": "top",
        },
        "font": FONT,
        "height": height,
        "margin": {"l": 10, "r": 30, "t": 115 if legend_on_top else 60, "b": 10},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "hoverlabel": {"font": {"size": 15}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left", "font": {"size": 14}},
    }
    for axis in ("xaxis", "yaxis"):
        layout[axis] = {"automargin": True, **layout.get(axis, {})}
    layout["xaxis"] = {"linecolor": "#9aa3ad", "ticks": "outside", **layout["xaxis"]}
    return go.Figure({"data": data, "layout": {**base, **layout}}, _validate=False)


def _count_axis(title: str, top: float, headroom: float) -> dict:
    """A persons axis from zero with whole-person ticks (never 0.5 of a person)."""
    axis = {"title": {"text": title}, "gridcolor": "#e5e8ec", "range": [0, top * headroom], "tickformat": ",d"}
    return {**axis, "dtick": 1} if top <= 8 else axis


def stage_group(code: str, stage) -> str:
    """The legend group of a country bar: stage 1, stage 2, outside the stages, unknown."""
    if code == OTHER_COUNTRIES:
        return "outside_stages"
    if code == "unknown":
        return "unknown_country"
    if pd.isna(stage):
        return "outside_stages"
    return f"stage_{int(stage)}"


def _hbar(names, values, name: str, colour: str, lang: str, extra: str = "", texts=None, codes=None) -> dict:
    """One horizontal bar trace; `texts` replaces the value labels (small-cell suppression shows
    "< k" there, and in the hover, with a zero-length bar: the count never reaches the browser)."""
    values = list(values)
    texts = [str(v) for v in values] if texts is None else list(texts)
    return {
        "type": "bar",
        "orientation": "h",
        "y": list(names),
        "x": values,
        "name": name,
        "marker": {"color": colour},
        "text": texts,
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": list(codes) if codes is not None else list(names),  # what a click selects
        "hovertemplate": "%{y}: %{text} " + t("hover_persons", lang) + f"<extra>{extra}</extra>",
    }


def _value_texts(table: pd.DataFrame, threshold: int | None, lang: str) -> list[str]:
    """The labels of a table's counts: the number; for a viewer, "< k" where it is below k and
    "hidden" where it is hidden to shield another (dashboard/suppression.py)."""
    if "hidden" not in table:
        return [number(int(v), lang) for v in table["participants"]]
    return [
        (f"< {threshold}" if small else t("hidden_value", lang)) if hidden else number(int(v), lang)
        for v, hidden, small in zip(table["participants"], table["hidden"], table["small"], strict=True)
    ]


MAX_COUNTRY_BARS = 15
OTHER_COUNTRIES = "other_countries"


def fold_long_tail(by_country: pd.DataFrame, countries: pd.DataFrame, limit: int = MAX_COUNTRY_BARS) -> pd.DataFrame:
    """At most `limit` bars: every CIS state and `unknown` keep their own bar; the smallest of the
    other countries fold into one "other countries" bar, so no participant is dropped."""
    if len(by_country) <= limit:
        return by_country
    cis = set(countries.loc[countries["cis_status"].notna(), "iso2"]) | {"unknown"}
    own = by_country["country"].isin(cis)
    others = by_country[~own]  # already ordered, most participants first
    room = max(limit - int(own.sum()) - 1, 0)
    kept, folded = others.iloc[:room], others.iloc[room:]
    tail = pd.DataFrame({"country": [OTHER_COUNTRIES], "stage": pd.array([None], dtype="Int64"),
                         "participants": [int(folded["participants"].sum())]})  # fmt: skip
    shown = pd.concat([by_country[own], kept])
    if "hidden" in by_country:  # hidden counts are 0 here: the tail sums only shown ones
        tail["hidden"] = bool(folded["hidden"].all())
        tail["small"] = False
        tail["partly_hidden"] = bool(folded["hidden"].any())
        shown = pd.concat([shown[~shown["hidden"]].sort_values(["participants", "country"], ascending=[False, True]),
                           shown[shown["hidden"]]])  # fmt: skip
        return pd.concat([shown, tail], ignore_index=True)
    shown = shown.sort_values(["participants", "country"], ascending=[False, True])
    return pd.concat([shown, tail], ignore_index=True)


def country_bars(
    by_country: pd.DataFrame, countries: pd.DataFrame, lang: str, threshold: int | None = None
) -> go.Figure:
    """Horizontal bars of participants per country, coloured by programme stage (a long tail of
    countries outside the Commonwealth is folded into one bar). Rows flagged `hidden` (small-cell
    suppression, dashboard/suppression.py) show "< threshold" instead of a number."""
    folded = fold_long_tail(by_country, countries)
    n_other = len(by_country) - len(folded) + 1 if len(folded) < len(by_country) else 0
    by_country = folded
    lookup = {**country_names(countries, lang), OTHER_COUNTRIES: t("other_countries", lang, n=n_other)}
    names = [lookup.get(c, c) for c in by_country["country"]]
    groups = [stage_group(c, s) for c, s in zip(by_country["country"], by_country["stage"], strict=True)]
    texts = _value_texts(by_country, threshold, lang)
    if "partly_hidden" in by_country and by_country["partly_hidden"].eq(True).any():  # the folded tail
        tail = int(by_country["participants"].iloc[-1])
        texts[-1] = f"≥ {tail}" if tail else t("hidden_value", lang)
    data = []
    for group, colour in STAGE_COLOURS.items():
        rows = [i for i, g in enumerate(groups) if g == group]
        if rows:
            label = t(group, lang)
            data.append(
                _hbar([names[i] for i in rows], by_country["participants"].iloc[rows], label, colour, lang, label,
                      texts=[texts[i] for i in rows], codes=[by_country["country"].iloc[i] for i in rows])  # fmt: skip
            )
    top = float(by_country["participants"].max() or 1)
    return _figure(
        data,
        t("by_country_title", lang),
        height=max(400, 190 + 30 * len(by_country)),
        barmode="overlay",
        bargap=0.25,
        yaxis={"categoryorder": "array", "categoryarray": names[::-1]},
        xaxis=_count_axis(t("persons_axis", lang), top, 1.15),  # room for the value labels
        # The legend sits at the foot of the chart, across its whole width (the plot area
        # itself is narrow beside the country names).
        legend={
            "orientation": "h",
            "xref": "container",
            "x": 0.02,
            "yref": "container",
            "y": 0.01,
            "yanchor": "bottom",
            "font": {"size": 14},
        },
        margin={"l": 10, "r": 30, "t": 60, "b": 95},
    )


def _wrap(label: str, width: int = 24) -> str:
    """Break a long axis label into lines of about `width` characters."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def role_bars(by_role: pd.DataFrame, roles: pd.DataFrame, lang: str, threshold: int | None = None) -> go.Figure:
    """Horizontal bars of participants per role, in the roles' order (rows flagged `hidden` show
    "< threshold")."""
    labels = role_labels(roles, lang)
    names = [_wrap(labels.get(r, r)) for r in by_role["role"]]
    top = float(by_role["participants"].max() or 1)
    return _figure(
        [_hbar(names, by_role["participants"], "", ROLE_COLOUR, lang, texts=_value_texts(by_role, threshold, lang),
               codes=by_role["role"].tolist())],
        t("by_role_title", lang),
        height=max(340, 90 + 46 * len(by_role)),
        yaxis={"categoryorder": "array", "categoryarray": names[::-1]},
        xaxis=_count_axis(t("persons_axis", lang), top, 1.15),
    )


def country_map(
    by_country: pd.DataFrame, countries: pd.DataFrame, lang: str, threshold: int | None = None, height: int = 480
) -> go.Figure:
    """Choropleth of participants over the CIS region (known countries only); countries flagged
    `hidden` (small-cell suppression) are drawn in one neutral colour and read "< threshold"."""
    known = by_country[by_country["country"] != "unknown"].merge(
        countries[["iso2", "iso3"]], left_on="country", right_on="iso2"
    )
    flags = known["hidden"].to_numpy(dtype=bool) if "hidden" in known else [False] * len(known)
    hidden, known = known[flags], known[[not f for f in flags]]
    persons = t("hover_persons", lang)
    names = country_names(countries, lang)
    values = [int(v) for v in known["participants"]]
    ticks = _colour_ticks(max(values, default=1))
    trace = {
        "type": "choropleth",
        "locations": list(known["iso3"]),
        "locationmode": "ISO-3",
        # Colour by the square root, so that a country of 5 is visible beside one of 130;
        # the colour bar is labelled in persons and the hover shows the count.
        "z": [v**0.5 for v in values],
        "customdata": [[v, c] for v, c in zip(values, known["country"], strict=True)],  # a click selects the code
        "text": [names.get(c, c) for c in known["country"]],
        "colorscale": MAP_SCALE,
        "zmin": 0,
        "zmax": max(values, default=1) ** 0.5,
        "marker": {"line": {"color": "white", "width": 0.8}},
        "colorbar": {
            "title": {"text": persons},
            "thickness": 14,
            "len": 0.8,  # the colour scale no taller than the map
            "tickvals": [v**0.5 for v in ticks],
            "ticktext": [number(v, lang) for v in ticks],
        },
        "hovertemplate": "%{text}: %{customdata[0]} " + persons + "<extra></extra>",
    }
    data = [trace]
    if len(hidden):
        data.append({
            "type": "choropleth",
            "locations": list(hidden["iso3"]),
            "locationmode": "ISO-3",
            "z": [1] * len(hidden),
            "text": [names.get(c, c) for c in hidden["country"]],
            "colorscale": [[0, HIDDEN_COLOUR], [1, HIDDEN_COLOUR]],
            "showscale": False,
            "marker": {"line": {"color": "white", "width": 0.8}},
            "customdata": [[f"&lt; {threshold} {persons}" if small else t("hidden_value", lang), code]
                           for small, code in zip(hidden["small"], hidden["country"], strict=True)],  # fmt: skip
            "hovertemplate": "%{text}: %{customdata[0]}<extra></extra>",
        })  # fmt: skip
    geo = {
        "resolution": 50,
        "projection": {"type": "conic equal area", "rotation": {"lon": 75}, "parallels": [45, 65]},
        "lonaxis": {"range": [25, 180]},
        "lataxis": {"range": [33, 80]},
        "showcountries": True,
        "countrycolor": "#c9ced6",
        "showland": True,
        "landcolor": "#f2f3f5",
        "showocean": True,
        "oceancolor": "#ffffff",
        "showlakes": False,
        "showframe": False,
        "showcoastlines": False,
    }
    return _figure(data, t("map_title", lang), height=height, geo=geo, margin={"l": 0, "r": 0, "t": 50, "b": 0})


def _colour_ticks(top: int) -> list[int]:
    """Round person counts up to `top` for a colour bar: 0, 1, 2, 5, 10, 20, 50, …"""
    ticks, step = [0], 1
    while step <= top:
        ticks += [v for v in (step, 2 * step, 5 * step) if v <= top]
        step *= 10
    return ticks if len(ticks) <= 7 else [0, *ticks[-5:]]


MAX_POINT_LABELS = 12


def cumulative_reach(cumulative: pd.DataFrame, lang: str) -> go.Figure:
    """Unique reach so far (line) and new participants per webinar (bars), by webinar date."""
    # one column per webinar, labelled by its date (with the year when the series spans years):
    # webinars weeks or years apart never crowd or overlap
    dates = _dates(cumulative)
    full_dates = [d.strftime("%d.%m.%Y") for d in pd.to_datetime(cumulative["event_date"])]
    persons = t("hover_persons", lang)
    titles = titles_in(cumulative["title"], lang)
    keys = list(cumulative["event_key"])
    totals = [int(v) for v in cumulative["cumulative_participants"]]
    bars = {
        "type": "bar",
        "x": dates,
        "y": [int(v) for v in cumulative["new_participants"]],
        "name": t("new_bars", lang),
        "marker": {"color": NEW_COLOUR},
        # title and date for the hover; the key is what a click selects
        "customdata": [[title, k, d] for title, k, d in zip(titles, keys, full_dates, strict=True)],
        "hovertemplate": "%{customdata[0]}<br>%{customdata[2]}: +%{y} " + persons + "<extra></extra>",
    }
    line = {
        "type": "scatter",
        "x": dates,
        "y": totals,
        "name": t("cumulative_line", lang),
        # a label per point while they can be read; past a dozen webinars they would overlap (hover)
        "mode": "lines+markers+text" if len(totals) <= MAX_POINT_LABELS else "lines+markers",
        "line": {"color": LINE_COLOUR, "width": 4},
        "marker": {"size": 10},
        "text": [number(v, lang) for v in totals],
        "textposition": "top center",
        "customdata": [[title, k, d] for title, k, d in zip(titles, keys, full_dates, strict=True)],
        "hovertemplate": "%{customdata[0]}<br>%{customdata[2]}: %{y} " + persons + "<extra></extra>",
    }
    top = float(max(totals, default=0) or 1)
    return _figure(
        [bars, line],
        t("cumulative_title", lang),
        height=440,
        legend_on_top=True,
        yaxis=_count_axis(t("persons_axis", lang), top, 1.18),
        xaxis={"title": {"text": t("date_axis", lang)}, "type": "category"},
    )


def webinar_table(webinars: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-webinar table with translated headers, ready to display; the sources of each
    webinar's figures read as one text, "Zoom file + check-in" (docs/metrics.md, Source)."""
    sources = [
        " + ".join(t(f"source_{name.replace('-', '_')}", lang) for name in names) for names in webinars["sources"]
    ]
    return pd.DataFrame(
        {
            t("col_date", lang): pd.to_datetime(webinars["event_date"]).dt.strftime("%d.%m.%Y"),
            t("col_title", lang): titles_in(webinars["title"], lang),
            t("col_platform", lang): [platform_name(p, lang) for p in webinars["platform"]],
            t("col_registrants", lang): webinars["registrants"].astype(int),
            t("col_participants", lang): webinars["participants"].astype(int),
            t("col_rate", lang): (webinars["attendance_rate"] * 100).round(1),
            t("col_median", lang): webinars["median_minutes"].astype(float).round(1),
            t("col_peak", lang): webinars["peak_concurrent"].astype(int),
            t("col_source", lang): sources,
        },
        index=webinars.index,
    )


# --- analyst depth: the matrix, retention, one webinar's audience ----------------------------------

HEAT_SCALE = [[0.0, "#f3f6fb"], [0.25, "#a9c4ea"], [1.0, "#0f3270"]]
HIDDEN_TEXT_COLOUR = "#5f6b7a"


def matrix_order(countries: pd.DataFrame, present: list[str]) -> list[str]:
    """Countries of the matrix: CIS states by stage and name first, then the others, `unknown` last."""
    cis = countries[countries["cis_status"].isin(["member", "associate"])]
    ordered = [c for c in cis.sort_values(["stage", "iso2"])["iso2"] if c in present]
    others = sorted(c for c in present if c not in ordered and c != "unknown")
    return ordered + others + (["unknown"] if "unknown" in present else [])


def matrix_heatmap(
    matrix: pd.DataFrame, countries: pd.DataFrame, roles: pd.DataFrame, lang: str, threshold: int | None = None
) -> go.Figure:
    """Participants per country × role as a heat map of square tiles with the numbers in them:
    CIS states first (by stage), then other countries, `unknown` kept last; roles in their order.
    Tiles, not a plotly heatmap: Streamlit reports selections of points but not of heatmap cells,
    and a click on a tile selects that country and role. Hidden cells (small-cell suppression)
    read "< k" or "hidden", in grey, and carry no number."""
    names, labels = country_names(countries, lang), role_labels(roles, lang)
    order = matrix_order(countries, sorted(set(matrix["country"])))
    role_order = [r for r in roles["code"].tolist() if r in set(matrix["role"])]
    shown: dict[tuple[str, str], str] = {}
    if "hidden" in matrix:
        for c, r, h, small in zip(matrix["country"], matrix["role"], matrix["hidden"], matrix["small"], strict=True):
            if h:
                shown[c, r] = f"< {threshold}" if small else t("hidden_value", lang)
    values = {(c, r): int(v) for c, r, v in zip(matrix["country"], matrix["role"], matrix["participants"], strict=True)}
    top = max([v for k, v in values.items() if k not in shown], default=1) or 1
    cells = [(c, r) for c in order for r in role_order]
    persons = t("hover_persons", lang)
    x_labels, y_labels = [labels.get(r, r) for r in role_order], [names.get(c, c) for c in order]
    colours = {
        "type": "heatmap", "x": x_labels, "y": y_labels,
        "z": [[None if (c, r) in shown else values.get((c, r), 0) for r in role_order] for c in order],
        "text": [[shown.get((c, r)) or str(values.get((c, r), 0)) for r in role_order] for c in order],
        "texttemplate": "%{text}", "textfont": {"size": 14}, "colorscale": HEAT_SCALE, "zmin": 0, "zmax": top,
        "xgap": 3, "ygap": 3, "showscale": False, "hoverinfo": "skip",
    }
    clicks = {  # invisible tiles on top: what a click selects (country and role in customdata)
        "type": "scatter", "mode": "markers", "x": [labels.get(r, r) for _, r in cells],
        "y": [names.get(c, c) for c, _ in cells], "customdata": [[c, r] for c, r in cells],
        "text": [shown.get(cell) or str(values.get(cell, 0)) for cell in cells],
        "marker": {"symbol": "square", "size": 30, "color": "rgba(0,0,0,0)"},
        "hovertemplate": "%{y} · %{x}: %{text} " + persons + "<extra></extra>", "showlegend": False,
    }
    return _figure(
        [colours, clicks],
        t("x_matrix_title", lang),
        height=max(360, 150 + 34 * len(order)),
        xaxis={"type": "category", "side": "top", "tickangle": -30, "showgrid": False, "linecolor": "white",
               "ticks": "", "categoryorder": "array", "categoryarray": x_labels},
        yaxis={"type": "category", "showgrid": False, "autorange": "reversed", "categoryorder": "array",
               "categoryarray": y_labels},
        margin={"l": 10, "r": 10, "t": 150, "b": 10},
        plot_bgcolor=HIDDEN_COLOUR if shown else "white",
    )  # fmt: skip


def _dates(frame: pd.DataFrame) -> list[str]:
    """One category label per webinar: its date (with the year when the series spans years)."""
    days = pd.to_datetime(frame["event_date"])
    span_years = days.dt.year.nunique() > 1 if len(days) else False
    layout = "%d.%m.%Y" if span_years else "%d.%m"
    labels = days.dt.strftime(layout).tolist()
    seen: dict[str, int] = {}
    for i, label in enumerate(labels):  # two webinars on one day: one column each
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            labels[i] = f"{label} ({seen[label]})"
    return labels


def new_returning_bars(new_returning: pd.DataFrame, lang: str) -> go.Figure:
    """Per webinar, stacked: participants new at it and participants who came back."""
    x = _dates(new_returning)
    persons = t("hover_persons", lang)
    titles = titles_in(new_returning["title"], lang)
    bars = [
        {"type": "bar", "x": x, "y": new_returning[column].tolist(), "name": t(label, lang),
         "marker": {"color": colour}, "customdata": titles,
         "hovertemplate": "%{customdata}<br>%{x}: %{y} " + persons + "<extra>" + t(label, lang) + "</extra>"}
        for column, label, colour in (("new", "ret_new", NEW_COLOUR), ("returning", "ret_returning", LINE_COLOUR))
    ]  # fmt: skip
    top = float((new_returning["new"] + new_returning["returning"]).max() if len(new_returning) else 1) or 1
    return _figure(bars, t("ret_new_returning_title", lang), height=400, legend_on_top=True, barmode="stack",
                   xaxis={"type": "category", "title": {"text": t("date_axis", lang)}},
                   yaxis=_count_axis(t("persons_axis", lang), top, 1.1))  # fmt: skip


def cohort_heatmap(cohorts: pd.DataFrame, webinars: pd.DataFrame, lang: str) -> go.Figure:
    """Cohorts by first webinar (rows, with the cohort's size) × the webinars from it on (columns):
    the share of the cohort present; before a cohort's first webinar the cell is empty."""
    order = webinars["event_key"].tolist()
    label = dict(zip(order, _dates(webinars), strict=True))
    firsts, keys = cohorts["first_key"].tolist(), cohorts["event_key"].tolist()
    present = set(firsts)
    rows = [k for k in order if k in present]
    share = dict(zip(zip(firsts, keys, strict=True), cohorts["share"].astype(float).tolist(), strict=True))
    size = dict(zip(firsts, cohorts["size"].astype(int).tolist(), strict=True))
    position = {k: i for i, k in enumerate(order)}
    z = [[share.get((row, col), 0.0) if position[col] >= position[row] else None for col in order] for row in rows]
    text = [[f"{v:.0%}" if v is not None else "" for v in line] for line in z]
    trace = {
        "type": "heatmap",
        "x": [label[k] for k in order],
        "y": [f"{label[k]} · {size[k]}" for k in rows],
        "z": z,
        "text": text,
        "texttemplate": "%{text}",
        "colorscale": HEAT_SCALE,
        "zmin": 0,
        "zmax": 1,
        "xgap": 2,
        "ygap": 2,
        "showscale": False,
        "hovertemplate": t("ret_cohort_hover", lang) + "<extra></extra>",
    }
    return _figure([trace], t("ret_cohorts_title", lang), height=max(320, 140 + 34 * len(rows)),
                   xaxis={"type": "category", "side": "top", "title": {"text": t("ret_cohort_columns", lang)}},
                   yaxis={"type": "category", "autorange": "reversed", "title": {"text": t("ret_cohort_rows", lang)}},
                   margin={"l": 10, "r": 10, "t": 120, "b": 10})  # fmt: skip


def webinars_per_person_bars(per_person: pd.DataFrame, lang: str) -> go.Figure:
    """How many participants attended 1, 2, 3… of the selected webinars."""
    persons = t("hover_persons", lang)
    x = [str(int(n)) for n in per_person["webinars"]]
    top = float(per_person["persons"].max() if len(per_person) else 1) or 1
    bar = {"type": "bar", "x": x, "y": per_person["persons"].tolist(), "marker": {"color": ROLE_COLOUR},
           "text": per_person["persons"].tolist(), "textposition": "outside", "cliponaxis": False,
           "hovertemplate": "%{x}: %{y} " + persons + "<extra></extra>"}  # fmt: skip
    return _figure([bar], t("ret_per_person_title", lang), height=360,
                   xaxis={"type": "category", "title": {"text": t("ret_webinars_attended", lang)}},
                   yaxis=_count_axis(t("persons_axis", lang), top, 1.15))  # fmt: skip


def funnel_bars(funnel: pd.DataFrame, lang: str) -> go.Figure:
    """Per webinar, side by side: registered, attended, stayed at least half, came back later."""
    x = _dates(funnel)
    persons = t("hover_persons", lang)
    colours = ("#a6a6a6", LINE_COLOUR, ROLE_COLOUR, "#e07b00")
    bars = [
        {"type": "bar", "x": x, "y": [None if pd.isna(v) else int(v) for v in funnel[column]],
         "name": t(f"ret_{column}", lang), "marker": {"color": colour}, "customdata": titles_in(funnel["title"], lang),
         "hovertemplate": "%{customdata}<br>" + t(f"ret_{column}", lang) + ": %{y} " + persons + "<extra></extra>"}
        for column, colour in zip(("registered", "attended", "stayed_half", "came_back"), colours, strict=True)
    ]  # fmt: skip
    top = float(funnel[["registered", "attended"]].max().max() if len(funnel) else 1) or 1
    return _figure(bars, t("ret_funnel_title", lang), height=420, legend_on_top=True, barmode="group",
                   xaxis={"type": "category", "title": {"text": t("date_axis", lang)}},
                   yaxis=_count_axis(t("persons_axis", lang), top, 1.1))  # fmt: skip


def _clock(drill, minutes: list[int], zone: str) -> list[str]:
    from zoneinfo import ZoneInfo

    start = pd.Timestamp(drill.starts_at, tz="UTC").tz_convert(ZoneInfo(zone))
    return [(start + pd.Timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M") for m in minutes]


def audience_timeline(drill, lang: str, zone: str) -> go.Figure:
    """Persons connected, minute by minute (the most at one second within the minute), with the
    peak marked and the planned end drawn."""
    tl = drill.timeline
    x = _clock(drill, tl.minute, zone)
    persons = t("hover_persons", lang)
    line = {"type": "scatter", "x": x, "y": tl.connected, "mode": "lines", "line": {"color": LINE_COLOUR, "width": 3,
            "shape": "hv"}, "fill": "tozeroy", "fillcolor": "rgba(31,78,156,0.15)", "name": t("dd_connected", lang),
            "hovertemplate": "%{x|%H:%M}: %{y} " + persons + "<extra></extra>"}  # fmt: skip
    data, shapes, notes = [line], [], []
    if tl.peak_second is not None:
        at = _clock(drill, [tl.peak_second // 60], zone)[0]
        data.append({"type": "scatter", "x": [at], "y": [tl.peak], "mode": "markers+text", "marker": {"size": 12,
                     "color": "#e07b00"}, "text": [t("dd_peak", lang, n=tl.peak)], "textposition": "top center",
                     "name": t("dd_peak_name", lang),
                     "hovertemplate": "%{x|%H:%M}: %{y} " + persons + "<extra></extra>"})  # fmt: skip
    if drill.planned_minutes:
        end = _clock(drill, [drill.planned_minutes], zone)[0]
        shapes.append({"type": "line", "x0": end, "x1": end, "yref": "paper", "y0": 0, "y1": 1,
                       "line": {"color": "#9aa3ad", "dash": "dot"}})  # fmt: skip
        notes.append({"x": end, "yref": "paper", "y": 1, "text": t("dd_planned_end", lang), "showarrow": False,
                      "xanchor": "right", "yanchor": "bottom", "font": {"size": 12, "color": "#5f6b7a"}})  # fmt: skip
    top = float(max(tl.connected, default=0) or 1)
    return _figure(data, t("dd_timeline_title", lang), height=400, showlegend=False, shapes=shapes, annotations=notes,
                   xaxis={"type": "date", "tickformat": "%H:%M", "title": {"text": t("dd_time_axis", lang, tz=zone)}},
                   yaxis=_count_axis(t("persons_axis", lang), top, 1.2))  # fmt: skip


def joins_leaves(drill, lang: str, zone: str) -> go.Figure:
    """Joins (up) and leaves (down) per minute."""
    tl = drill.timeline
    x = _clock(drill, tl.minute, zone)
    persons = t("hover_persons", lang)
    bars = [
        {"type": "bar", "x": x, "y": tl.joins, "name": t("dd_joins", lang), "marker": {"color": ROLE_COLOUR},
         "hovertemplate": "%{x|%H:%M}: +%{y} " + persons + "<extra></extra>"},
        {"type": "bar", "x": x, "y": [-n for n in tl.leaves], "name": t("dd_leaves", lang),
         "marker": {"color": "#e07b00"}, "customdata": tl.leaves,
         "hovertemplate": "%{x|%H:%M}: −%{customdata} " + persons + "<extra></extra>"},
    ]  # fmt: skip
    return _figure(bars, t("dd_joins_title", lang), height=340, legend_on_top=True, barmode="relative", bargap=0.1,
                   xaxis={"type": "date", "tickformat": "%H:%M"},
                   yaxis={"title": {"text": t("persons_axis", lang)}, "gridcolor": "#e5e8ec",
                          "zerolinecolor": "#5f6b7a"})  # fmt: skip


def minutes_bars(minutes: pd.DataFrame, lang: str) -> go.Figure:
    """Attendances by length, in bins of minutes."""
    labels = [f"{int(a)}–{int(b)}" for a, b in zip(minutes["from"], minutes["to"], strict=True)]
    top = float(minutes["attendances"].max() if len(minutes) else 1) or 1
    bar = {"type": "bar", "x": labels, "y": minutes["attendances"].tolist(), "marker": {"color": NEW_COLOUR},
           "hovertemplate": "%{x} " + t("dd_min", lang) + ": %{y}<extra></extra>"}  # fmt: skip
    return _figure([bar], t("dd_minutes_title", lang), height=340,
                   xaxis={"type": "category", "title": {"text": t("dd_minutes_axis", lang)}},
                   yaxis=_count_axis(t("dd_attendances_axis", lang), top, 1.1))  # fmt: skip


def compare_roles(shares: pd.DataFrame, roles: pd.DataFrame, lang: str, names: tuple[str, str]) -> go.Figure:
    """The role split of two selections side by side, as shares of each selection's participants."""
    labels = role_labels(roles, lang)
    y = [_wrap(labels.get(r, r)) for r in shares["role"]]
    bars = [
        {"type": "bar", "orientation": "h", "y": y, "x": [round(v * 100, 1) for v in shares[f"share_{side}"]],
         "customdata": shares[side].tolist(), "name": name, "marker": {"color": colour},
         "text": [f"{v:.0%}" for v in shares[f"share_{side}"]], "textposition": "outside", "cliponaxis": False,
         "hovertemplate": "%{y}: %{x}% (%{customdata} " + t("hover_persons", lang) + ")<extra>" + name + "</extra>"}
        for side, name, colour in (("A", names[0], LINE_COLOUR), ("B", names[1], "#e07b00"))
    ]  # fmt: skip
    return _figure(bars, t("cmp_roles_title", lang), height=max(360, 110 + 56 * len(y)), legend_on_top=True,
                   barmode="group", yaxis={"categoryorder": "array", "categoryarray": y[::-1]},
                   xaxis={"title": {"text": t("cmp_share_axis", lang)},
                          "range": [0, 125 * max([*shares["share_A"], *shares["share_B"], 0.1])],
                          "gridcolor": "#e5e8ec"})  # fmt: skip


# --- the projector: the live view's figures, larger and, on request, white and yellow on black ---

CONTRAST = {"ink": "#ffffff", "paper": "#000000", "accent": "#ffd400", "line": "#8c8c8c", "land": "#262626"}
CONTRAST_MAP_SCALE = [[0.0, "#4d4000"], [0.35, "#a68a00"], [1.0, "#ffd400"]]
PROJECTOR_FONT = 20  # the back row of a hall reads 20 px on a 1080-line projector


def for_projector(figure: go.Figure, height: int, contrast: bool) -> go.Figure:
    """The same chart sized for the projector's layout, with larger type; with `contrast`, every
    part of it (paper, title, axes, grid, bars, labels, map, colour bar, hover) white and yellow on
    black, as the high-contrast page around it."""
    spec = figure.to_dict()
    layout = spec["layout"]
    ink = CONTRAST["ink"] if contrast else FONT["color"]
    layout["height"] = height
    layout["font"] = {**layout.get("font", {}), "size": PROJECTOR_FONT, "color": ink}
    title = layout.get("title", {})
    layout["title"] = {**title, "font": {**title.get("font", {}), "size": PROJECTOR_FONT + 6, "color": ink}}
    layout["hoverlabel"] = {"font": {"size": PROJECTOR_FONT}}
    if any(trace.get("type") == "bar" for trace in spec["data"]):
        # the values are on the bars and the chart's title names them: no count axis to crowd
        layout["xaxis"] = {**layout.get("xaxis", {}), "title": {"text": ""}, "showticklabels": False}
    for trace in spec["data"]:
        if "colorbar" in trace:  # under the map, so the map takes the column's whole width
            trace["colorbar"] = {**trace["colorbar"], "orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.02,
                                 "yanchor": "top", "len": 0.7, "thickness": 16,
                                 "title": {**trace["colorbar"].get("title", {}), "side": "top"}}  # fmt: skip
    if contrast:
        _on_black(spec)
    return go.Figure(spec, _validate=False)


def _on_black(spec: dict) -> None:
    layout = spec["layout"]
    layout |= {"paper_bgcolor": CONTRAST["paper"], "plot_bgcolor": CONTRAST["paper"]}
    layout["hoverlabel"] |= {"bgcolor": CONTRAST["paper"], "bordercolor": CONTRAST["accent"]}
    for name in ("xaxis", "yaxis"):
        if name in layout:
            layout[name] = {**layout[name], "color": CONTRAST["ink"], "gridcolor": CONTRAST["line"],
                            "linecolor": CONTRAST["ink"], "zerolinecolor": CONTRAST["line"]}  # fmt: skip
    if "geo" in layout:
        layout["geo"] = {**layout["geo"], "bgcolor": CONTRAST["paper"], "landcolor": CONTRAST["land"],
                         "oceancolor": CONTRAST["paper"], "countrycolor": CONTRAST["line"]}  # fmt: skip
    for trace in spec["data"]:
        if trace.get("type") == "bar":
            trace["marker"] = {**trace.get("marker", {}), "color": CONTRAST["accent"]}
            trace["textfont"] = {"color": CONTRAST["ink"], "size": PROJECTOR_FONT}
        if trace.get("type") == "choropleth":
            if trace.get("showscale", True):
                trace["colorscale"] = CONTRAST_MAP_SCALE
            trace["marker"] = {"line": {"color": CONTRAST["paper"], "width": 1}}
            if "colorbar" in trace:
                title = {**trace["colorbar"].get("title", {}), "font": {"color": CONTRAST["ink"]}}
                trace["colorbar"] = {**trace["colorbar"], "tickfont": {"color": CONTRAST["ink"]}, "title": title}


def overview_charts(overview, countries: pd.DataFrame, roles: pd.DataFrame, lang: str, threshold: int | None = None,
                    map_height: int = 480) -> dict[str, go.Figure]:  # fmt: skip
    """The overview's charts of one selection (reach.Overview), by name: the page, the html and the
    pptx exports draw the same."""
    o = overview
    return {
        "map": country_map(o.by_country, countries, lang, threshold, height=map_height),
        "roles": role_bars(o.by_role, roles, lang, threshold),
        "countries": country_bars(o.by_country, countries, lang, threshold),
        "cumulative": cumulative_reach(o.cumulative, lang),
        "matrix": matrix_heatmap(o.matrix, countries, roles, lang, threshold),
    }
