"""One webinar up close (analysts and managers): the audience minute by minute with the peak,
joins and leaves, how long people stayed, and the platform's own figures beside ours."""

import streamlit as st

from dashboard import drilldown, figures, reach, ui
from dashboard.i18n import number, t, titles_in

ctx = ui.page_context()
lang = ctx.lang
ui.page_style()
st.title(t("webinar_title", lang))
st.markdown(ui.selection_line(ctx))
overview = reach.overview(ctx.con, ctx.filters, ctx.countries, ctx.roles)
table = overview.webinars
if table.empty:
    st.info(t("empty", lang), icon="ℹ️")
    st.stop()
keys = table["event_key"].tolist()
titles = dict(zip(keys, titles_in(table["title"], lang), strict=True))
dates = dict(zip(keys, [f"{d:%d.%m.%Y}" for d in table["event_date"]], strict=True))
with_audience = [k for k, n in zip(keys, table["participants"], strict=True) if n]
default = with_audience[-1] if with_audience else keys[-1]
chosen = st.query_params.get("webinar")
key = st.selectbox(t("webinar_choose", lang), keys, index=keys.index(chosen if chosen in keys else default),
                   format_func=lambda k: f"{dates[k]} · {titles[k]}")  # fmt: skip
st.query_params["webinar"] = key
drill = drilldown.drilldown(ctx.con, ctx.filters, key)
row = table[table["event_key"] == key].iloc[0]
stated = drill.stated


def platform_said(figure: str) -> str | None:
    """The platform's own figure as a card's help, when it stated one."""
    value = stated.get(figure)
    return None if value is None else t("dd_stated", lang, n=number(value, lang))


cards = st.columns(4)
cards[0].metric(t("participants", lang), number(row["participants"], lang), border=True,
                help=platform_said("unique_viewers"))  # fmt: skip
cards[1].metric(t("col_peak", lang), number(drill.timeline.peak, lang), border=True, help=platform_said("max_concurrent"))
cards[2].metric(t("median_minutes", lang), number(row["median_minutes"], lang, 1), border=True)
cards[3].metric(t("col_registrants", lang), number(row["registrants"], lang), border=True, help=platform_said("registered"))
if any(v is not None for v in stated.values()):
    st.caption(t("dd_stated_line", lang, viewers=number(stated.get("unique_viewers"), lang),
                 peak=number(stated.get("max_concurrent"), lang), registered=number(stated.get("registered"), lang)))  # fmt: skip
config = ui.plotly_config()
st.plotly_chart(figures.audience_timeline(drill, lang, ctx.timezone), config=config, theme=None, key="timeline")
left, right = st.columns(2)
left.plotly_chart(figures.joins_leaves(drill, lang, ctx.timezone), config=config, theme=None, key="joins")
right.plotly_chart(figures.minutes_bars(drill.minutes, lang), config=config, theme=None, key="minutes")
