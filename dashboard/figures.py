"""Pure figure builders: DataFrame in, plotly Figure out. No Streamlit here.

Colours are chosen to read on a projector: saturated, distinct in lightness, never
relying on red/green alone.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import country_name, role_label, t

STAGE_COLOURS = {"stage_1": "#1f4e9c", "stage_2": "#e07b00", "outside_stages": "#5f7a8c", "unknown_country": "#a6a6a6"}
ROLE_COLOUR = "#2a7f62"
LINE_COLOUR = "#1f4e9c"
NEW_COLOUR = "#8fb3e8"
MAP_SCALE = [[0.0, "#dbe7f7"], [0.35, "#7aa6dc"], [1.0, "#0f3270"]]
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15, color="#1b1f24")


def _layout(fig: go.Figure, title: str, height: int, legend_on_top: bool = False) -> go.Figure:
    """Shared look: title top left, legend (if any) under the title, room for labels."""
    fig.update_layout(
        title=dict(
            text=f"<b>{title}</b>", font=dict(size=19), x=0, xanchor="left", yref="container", y=0.98, yanchor="top"
        ),
        font=FONT,
        height=height,
        margin=dict(l=10, r=30, t=95 if legend_on_top else 60, b=10),
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel=dict(font_size=15),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, x=0, xanchor="left"),
    )
    fig.update_xaxes(automargin=True, linecolor="#9aa3ad", ticks="outside")
    fig.update_yaxes(automargin=True)
    return fig


def _count_ticks(top: float) -> dict:
    """Whole-person ticks: never 0.5 of a person on a small programme."""
    return dict(tickformat=",d", dtick=1) if top <= 8 else dict(tickformat=",d")


def stage_group(code: str, stage) -> str:
    """The legend group of a country bar: stage 1, stage 2, outside the stages, unknown."""
    if code == "unknown":
        return "unknown_country"
    if pd.isna(stage):
        return "outside_stages"
    return f"stage_{int(stage)}"


def country_bars(by_country: pd.DataFrame, countries: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars of participants per country, coloured by programme stage."""
    data = by_country.copy()
    data["name"] = [country_name(c, lang, countries) for c in data["country"]]
    data["group"] = [stage_group(c, s) for c, s in zip(data["country"], data["stage"], strict=True)]
    fig = go.Figure()
    for group, colour in STAGE_COLOURS.items():
        part = data[data["group"] == group]
        if part.empty:
            continue
        fig.add_bar(
            y=part["name"],
            x=part["participants"],
            orientation="h",
            name=t(group, lang),
            marker_color=colour,
            text=part["participants"],
            textposition="outside",
            hovertemplate="%{y}: %{x} " + t("hover_persons", lang) + "<extra>" + t(group, lang) + "</extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=list(data["name"])[::-1], title=None)
    fig.update_xaxes(title=t("persons_axis", lang), gridcolor="#e5e8ec", rangemode="tozero")
    top = float(data["participants"].max() or 1)
    fig.update_xaxes(range=[0, top * 1.45], **_count_ticks(top))  # room for the labels and the legend
    fig.update_traces(cliponaxis=False)
    fig.update_layout(barmode="overlay", bargap=0.25)
    fig = _layout(fig, t("by_country_title", lang), height=max(380, 120 + 30 * len(data)))
    # Bars are sorted, so the lower right corner is free for the legend.
    fig.update_layout(
        legend=dict(
            orientation="v",
            x=0.98,
            xanchor="right",
            y=0.03,
            yanchor="bottom",
            bgcolor="rgba(255,255,255,0.9)",
            bordercolor="#d5d9de",
            borderwidth=1,
            font=dict(size=13),
        )
    )
    return fig


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


def role_bars(by_role: pd.DataFrame, roles: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars of participants per role, in the roles' order."""
    names = [_wrap(role_label(r, lang, roles)) for r in by_role["role"]]
    fig = go.Figure(
        go.Bar(
            y=names,
            x=by_role["participants"],
            orientation="h",
            marker_color=ROLE_COLOUR,
            text=by_role["participants"],
            textposition="outside",
            hovertemplate="%{y}: %{x} " + t("hover_persons", lang) + "<extra></extra>",
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1], title=None)
    top = float(by_role["participants"].max() or 1)
    fig.update_xaxes(title=t("persons_axis", lang), gridcolor="#e5e8ec", range=[0, top * 1.15], **_count_ticks(top))
    fig.update_traces(cliponaxis=False)
    return _layout(fig, t("by_role_title", lang), height=max(320, 80 + 34 * len(by_role)))


def country_map(by_country: pd.DataFrame, countries: pd.DataFrame, lang: str) -> go.Figure:
    """Choropleth of participants over the CIS region (known countries only)."""
    known = by_country[by_country["country"] != "unknown"].merge(
        countries[["iso2", "iso3"]], left_on="country", right_on="iso2"
    )
    names = [country_name(c, lang, countries) for c in known["country"]]
    fig = go.Figure(
        go.Choropleth(
            locations=known["iso3"],
            locationmode="ISO-3",
            z=known["participants"],
            text=names,
            colorscale=MAP_SCALE,
            marker_line_color="white",
            marker_line_width=0.8,
            zmin=0,
            colorbar=dict(title=dict(text=t("hover_persons", lang)), thickness=14),
            hovertemplate="%{text}: %{z} " + t("hover_persons", lang) + "<extra></extra>",
        )
    )
    fig.update_geos(
        resolution=50,
        projection_type="conic equal area",
        projection_rotation_lon=75,
        projection_parallels=[45, 65],
        lonaxis_range=[25, 180],
        lataxis_range=[33, 80],
        showcountries=True,
        countrycolor="#c9ced6",
        showland=True,
        landcolor="#f2f3f5",
        showocean=True,
        oceancolor="#ffffff",
        showlakes=False,
        showframe=False,
        showcoastlines=False,
    )
    fig = _layout(fig, t("map_title", lang), height=480)
    fig.update_layout(margin=dict(l=0, r=0, t=50, b=0))
    return fig


def cumulative_reach(cumulative: pd.DataFrame, lang: str) -> go.Figure:
    """Unique reach so far (line) and new participants per webinar (bars), by webinar date."""
    dates = pd.to_datetime(cumulative["event_date"])
    fig = go.Figure()
    fig.add_bar(
        x=dates,
        y=cumulative["new_participants"],
        name=t("new_bars", lang),
        marker_color=NEW_COLOUR,
        customdata=cumulative["title"],
        hovertemplate="%{customdata}<br>%{x|%d.%m.%Y}: +%{y} " + t("hover_persons", lang) + "<extra></extra>",
    )
    fig.add_scatter(
        x=dates,
        y=cumulative["cumulative_participants"],
        name=t("cumulative_line", lang),
        mode="lines+markers+text",
        line=dict(color=LINE_COLOUR, width=4),
        marker=dict(size=10),
        text=cumulative["cumulative_participants"],
        textposition="top center",
        customdata=cumulative["title"],
        hovertemplate="%{customdata}<br>%{x|%d.%m.%Y}: %{y} " + t("hover_persons", lang) + "<extra></extra>",
    )
    top = float(cumulative["cumulative_participants"].max() or 1)
    fig.update_yaxes(title=t("persons_axis", lang), gridcolor="#e5e8ec", range=[0, top * 1.18], **_count_ticks(top))
    fig.update_xaxes(title=t("date_axis", lang), tickformat="%d.%m", tickvals=dates)
    return _layout(fig, t("cumulative_title", lang), height=440, legend_on_top=True)


def webinar_table(webinars: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The per-webinar table with translated headers, ready to display."""
    return pd.DataFrame(
        {
            t("col_date", lang): pd.to_datetime(webinars["event_date"]).dt.strftime("%d.%m.%Y"),
            t("col_title", lang): webinars["title"],
            t("col_platform", lang): webinars["platform"],
            t("col_registrants", lang): webinars["registrants"].astype(int),
            t("col_participants", lang): webinars["participants"].astype(int),
            t("col_rate", lang): (webinars["attendance_rate"] * 100).round(1),
            t("col_median", lang): webinars["median_minutes"].astype(float).round(1),
            t("col_peak", lang): webinars["peak_concurrent"].astype(int),
        }
    )
