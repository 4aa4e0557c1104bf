"""Compare (managers and analysts): two selections side by side — two countries, two stages, two
webinars, two series, or any two sets of filters — on top of the sidebar's common filters."""

from dataclasses import replace

import streamlit as st

from dashboard import compare, figures, queries, reach, retention, ui
from dashboard.filters import ALL
from dashboard.i18n import country_names, role_labels, t
from dashboard.reference import STAGES
from dashboard.selection_text import describe
from dashboard.spreadsheet_safety import formula_safe

ctx = ui.page_context()
lang = ctx.lang
ui.page_style()
st.title(t("compare_title", lang))
st.caption(t("compare_help", lang) + " " + " · ".join(describe(ctx.filters, lang, ctx.countries, ctx.roles, ctx.webinars)))
names = country_names(ctx.countries, lang)
labels = role_labels(ctx.roles, lang)
titles = dict(zip(ctx.webinars["event_key"], ctx.webinars["title"], strict=True))
series = sorted(s for s in ctx.webinars["series"].dropna().unique())
choices = queries.run(ctx.con, "country_choices", ALL)["iso2"].tolist()  # the countries the programme has


def side(column, code: str):
    """The filters of one side: each list left empty keeps the sidebar's choice."""
    column.subheader(t("compare_side", lang, side=code))
    common = t("compare_common", lang)
    chosen = {
        "countries": column.multiselect(t("country", lang), choices, key=f"cmp_{code}_c",
                                        format_func=lambda c: names.get(c, c), placeholder=common),
        "roles": column.multiselect(t("role", lang), list(ctx.roles["code"]), key=f"cmp_{code}_r",
                                    format_func=lambda r: labels.get(r, r), placeholder=common),
        "stages": column.multiselect(t("stage", lang), list(STAGES), key=f"cmp_{code}_s", placeholder=common),
        "series": column.multiselect(t("series", lang), series, key=f"cmp_{code}_e", placeholder=common),
        "events": column.multiselect(t("webinar", lang), list(titles), key=f"cmp_{code}_w",
                                     format_func=lambda k: titles.get(k, k), placeholder=common),
    }  # fmt: skip
    filters = replace(ctx.filters, **{k: tuple(v) for k, v in chosen.items() if v})
    column.caption(" · ".join(describe(filters, lang, ctx.countries, ctx.roles, ctx.webinars)))
    return filters


left, right = st.columns(2)
fa, fb = side(left, "A"), side(right, "B")
if fa == fb:
    st.info(t("compare_same", lang), icon="ℹ️")
    st.stop()
oa = reach.overview(ctx.con, fa, ctx.countries, ctx.roles)
ob = reach.overview(ctx.con, fb, ctx.countries, ctx.roles)
ra = retention.retention(ctx.con, fa, oa.cumulative, oa.webinars)
rb = retention.retention(ctx.con, fb, ob.cumulative, ob.webinars)
st.subheader(t("compare_kpis", lang))
st.dataframe(formula_safe(compare.kpi_table(oa, ob, lang)), hide_index=True, width="stretch")
config = ui.plotly_config()
shares = compare.role_shares(oa, ob, ctx.roles)
st.plotly_chart(figures.compare_roles(shares, ctx.roles, lang, ("A", "B")), config=config, theme=None, key="cmp_roles")
st.subheader(t("compare_retention", lang))
st.dataframe(formula_safe(compare.retention_table(ra, rb, oa, ob, lang)), hide_index=True, width="stretch")
