"""Overview (managers): whom did the programme reach — how many, from where, in which roles."""

import streamlit as st

from dashboard import figures, live_chart, reach, suppression, ui
from dashboard.filters import ALL
from dashboard.i18n import t
from dashboard.kpis import cards
from dashboard.spreadsheet_safety import formula_safe

ctx = ui.page_context()
lang = ctx.lang
ui.page_style()
st.title(t("app_title", lang))
st.caption(ctx.programme)
st.markdown(ui.selection_line(ctx))  # what this view shows: a screenshot of a filtered view says so

if ctx.webinars.empty:  # nothing imported yet: say how to start, and offer the demo on purpose
    st.info(t("empty_programme", lang, db=ctx.database_file), icon="ℹ️")
    if ui.may("import") and st.button(t("load_demo", lang), help=t("load_demo_help", lang)):
        ui.load_demo()
        st.rerun()
    st.stop()

# computed once while the facts stay the same: a language switch or a click elsewhere reruns for free
overview = ui.remembered(ctx, ("overview",), lambda: reach.overview(ctx.con, ctx.filters, ctx.countries, ctx.roles))
user = ui.current_user()  # looked up once for the page
threshold = ui.small_cell_threshold(user)  # REACH_MIN_CELL, for those who may not see persons
if threshold and suppression.selection_too_small(overview.kpis["participants"], threshold):
    st.info(t("small_selection", lang, k=threshold), icon=":material/lock:")
    st.stop()
if threshold:
    overview, hidden = suppression.for_viewer(overview, threshold)
cis_total = int(ctx.countries["cis_status"].isin(["member", "associate"]).sum())

kpi_cards = cards(overview, cis_total, lang)
for row in (kpi_cards[:4], kpi_cards[4:]):
    for column, card in zip(st.columns(4), row, strict=False):  # the last row may be short
        column.metric(card.label, card.value, card.delta, help=card.help or None, border=True)

if overview.kpis["participants"] == 0:
    st.info(t("empty" if ctx.filters != ALL else "empty_no_participants", lang), icon="ℹ️")
    st.stop()


def chart(place, figure, key: str, lazy: bool = False, **selects) -> None:
    """A chart whose click sets filters (ui.chart_selects) and whose menu saves a PNG; a filter
    change redraws it in place (dashboard/live_chart.py); `lazy`: drawn when scrolled to."""
    with place:
        live_chart.chart(figure, ui.plotly_config(f"reach_{key}"), key, on_select=ui.chart_selects(key, **selects),
                         lazy=lazy)  # fmt: skip


# The first screen (1440×900): the KPIs, the map and the role split, drawn at once; the charts
# below it when scrolled to. A click on any chart filters.
charts = ui.remembered(ctx, ("overview-charts", lang, threshold), lambda: figures.overview_charts(
    overview, ctx.countries, ctx.roles, lang, threshold, map_height=420))  # fmt: skip
left, right = st.columns([3, 2])
chart(left, charts["map"], "map", countries=1)
chart(right, charts["roles"], "roles", roles=None)
left, right = st.columns([2, 3])
chart(left, charts["countries"], "countries", lazy=True, countries=None)
chart(right, charts["cumulative"], "cumulative", lazy=True, events=1)
chart(st.container(), charts["matrix"], "matrix", lazy=True, countries=0, roles=1)
if threshold and hidden.any:
    st.caption(t("suppressed_note", lang, k=threshold))
st.caption(t("click_to_filter", lang))

st.subheader(t("webinars_title", lang))
table = figures.webinar_table(overview.webinars, lang)
if threshold:
    counts = [t("col_registrants", lang), t("col_participants", lang), t("col_peak", lang)]
    table = suppression.small_counts_as_text(table, counts, threshold)
table = formula_safe(table)  # its download, too
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    key="webinar_rows",
    on_select=ui.row_selects("webinar_rows", overview.webinars["event_key"].tolist()),
    selection_mode="single-row",
    column_config={
        t("col_title", lang): st.column_config.TextColumn(width=300),
        t("col_source", lang): st.column_config.TextColumn(help=t("col_source_help", lang)),
    },
)
ui.export_buttons(ctx, threshold, user)
st.caption(t("footer", lang, tz=ctx.timezone))
