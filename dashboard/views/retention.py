"""Retention (managers and analysts): who came back across the series — new and returning per
webinar, cohorts, webinars per participant, the funnel of each webinar (docs/metrics.md)."""

import streamlit as st

from dashboard import figures, retention, ui
from dashboard.i18n import t, titles_in
from dashboard.spreadsheet_safety import formula_safe

ctx = ui.page_context()
lang = ctx.lang
ui.page_style()
st.title(t("retention_title", lang))
st.markdown(ui.selection_line(ctx))
cumulative, webinars, figures_of = ui.remembered(
    ctx, ("retention",), lambda: retention.of_selection(ctx.con, ctx.filters))
if int(cumulative["new_participants"].sum()) == 0:
    st.info(t("empty", lang), icon="ℹ️")
    st.stop()
config = ui.plotly_config()
left, right = st.columns([3, 2])
left.plotly_chart(figures.new_returning_bars(figures_of.new_returning, lang), config=config, theme=None, key="nr")
right.plotly_chart(figures.webinars_per_person_bars(figures_of.per_person, lang), config=config, theme=None, key="pp")
st.plotly_chart(figures.cohort_heatmap(figures_of.cohorts, webinars, lang), config=config, theme=None,
                key="cohorts")  # fmt: skip
st.plotly_chart(figures.funnel_bars(figures_of.funnel, lang), config=config, theme=None, key="funnel")
table = figures_of.funnel.drop(columns=["event_key"]).assign(title=titles_in(figures_of.funnel["title"], lang)).rename(columns={
    "title": t("col_title", lang), "event_date": t("col_date", lang), "registered": t("ret_registered", lang),
    "attended": t("ret_attended", lang), "stayed_half": t("ret_stayed_half", lang), "came_back": t("ret_came_back", lang)})  # fmt: skip
st.dataframe(formula_safe(table), hide_index=True, width="stretch")
st.caption(t("retention_note", lang))
