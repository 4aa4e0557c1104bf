"""Live view (presenters): the chosen webinar on the big screen, refreshed every 2 seconds.

Country and role only — never a name or an e-mail. ?event=KEY&lang=en&contrast=high&qr=off.
Beside the figures, a QR code of the audience check-in page (dashboard/live/checkin.py).
"""

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from dashboard import database, figures, queries, reach, ui
from dashboard.filters import ALL, Filters
from dashboard.i18n import country_names, role_labels, t
from dashboard.live import api
from dashboard.live.checkin_page import checkin_base, checkin_url, is_local, network_address, qr_svg
from dashboard.live.webinars import MAX_TITLE, MINUTES, WebinarProblem, new_webinar
from dashboard.settings import database_path, public_url

con = ui.connection(str(database_path()))
lang = ui.language()
contrast = st.query_params.get("contrast") == "high"
st.markdown(
    "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl']{display:none}"
    "[data-testid='stMetricValue']{font-size:4.5rem}[data-testid='stMetricLabel'] p{font-size:1.6rem}"
    + (
        "[data-testid='stApp'],[data-testid='stHeader']{background:#000;color:#fff}[data-testid='stMetricValue']{color:#ffd400}"
        "[data-testid='stMetricLabel'] *,[data-testid='stWidgetLabel'] *,h3{color:#fff !important}"
        "[data-testid='stMarkdownContainer'] a{color:#ffd400}"
        if contrast
        else ""
    )
    + "</style>",
    unsafe_allow_html=True,
)
zone = database.programme_setting(con, "timezone") or "UTC"


def new_webinar_form() -> None:
    """On this computer only: start a webinar no report or live event has created yet."""
    if not ui.opened_here():
        return
    now = datetime.now(ZoneInfo(zone)).replace(second=0, microsecond=0)
    with st.expander(t("live_new_webinar", lang)), st.form("new_webinar", border=False):
        title = st.text_input(t("live_new_title", lang), max_chars=MAX_TITLE)
        day_column, time_column, minutes_column = st.columns(3)
        day = day_column.date_input(t("live_new_day", lang), value=now.date())
        start = time_column.time_input(t("live_new_time", lang, zone=zone), value=now.time())
        minutes = minutes_column.number_input(t("live_new_minutes", lang), MINUTES[0], MINUTES[1], 90, step=5)
        if not st.form_submit_button(t("live_new_create", lang)):
            return
        try:
            created = new_webinar(con, title, datetime.combine(day, start, ZoneInfo(zone)), int(minutes))
        except WebinarProblem as problem:
            st.error(t(problem.text, lang))
            return
    api.refresher.request()  # its facts, in the background
    st.query_params["event"] = created
    st.rerun()


webinars = queries.run(con, "live_webinars", ALL)
if webinars.empty:
    st.info(t("live_no_webinars", lang))
    new_webinar_form()
    st.stop()
keys = list(webinars["event_key"])
asked = st.query_params.get("event")
key = st.selectbox(t("live_webinar", lang), keys, index=keys.index(asked) if asked in keys else 0,
                   format_func=dict(zip(webinars["event_key"], webinars["title"], strict=True)).get)  # fmt: skip
switches = st.columns([1, 1, 4])
switches[0].toggle(t("live_contrast", lang), value=contrast, key="contrast_toggle")
switches[1].toggle(t("live_checkin_toggle", lang), value=st.query_params.get("qr") != "off", key="qr_toggle")
params = {"event": key, **({"lang": lang} if lang != "ru" else {})}
if st.session_state.get("contrast_toggle"):
    params["contrast"] = "high"
if not st.session_state.get("qr_toggle"):
    params["qr"] = "off"
st.query_params.from_dict(params)
countries = queries.run(con, "countries", ALL)
roles = queries.run(con, "roles", ALL)


@st.fragment(run_every=2)
def live_figures() -> None:
    status = queries.run(con, "live_status", ALL, event=key).iloc[0]
    overview = reach.overview(con, Filters(events=(key,)), countries, roles)
    peak = int(overview.webinars["peak_concurrent"].iloc[0]) if len(overview.webinars) else 0
    known = overview.by_country[overview.by_country["country"] != "unknown"]
    cards = st.columns(4)
    cards[0].metric(t("live_connected", lang), int(status["connected_now"]))
    cards[1].metric(t("live_joined", lang), int(status["joined_total"]))
    cards[2].metric(t("live_countries", lang), len(known))
    cards[3].metric(t("live_peak", lang), peak)
    if overview.kpis["participants"] == 0:
        st.info(t("live_waiting", lang))
        return
    config = ui.plotly_config()
    left, right = st.columns([3, 2])
    left.plotly_chart(
        figures.country_map(overview.by_country, countries, lang), config=config, theme=None, key="live-map"
    )
    right.plotly_chart(figures.role_bars(overview.by_role, roles, lang), config=config, theme=None, key="live-roles")
    arrivals = queries.run(con, "live_arrivals", ALL, event=key)
    names, labels = country_names(countries, lang), role_labels(roles, lang)
    st.subheader(t("live_arrivals", lang))
    st.dataframe(pd.DataFrame({
        t("live_time", lang): pd.to_datetime(arrivals["joined_at"]).dt.tz_localize("UTC").dt.tz_convert(zone)
        .dt.strftime("%H:%M:%S"),
        t("country", lang): [names.get(c, c) for c in arrivals["country"]],
        t("role", lang): [labels.get(r, r) for r in arrivals["role"]],
    }), hide_index=True, width="stretch")  # fmt: skip


def checkin_code() -> None:
    """The QR code of the check-in page for this webinar, with its address to type."""
    url = checkin_url(checkin_base(st.context.url, public_url(), network_address()), key, lang)
    st.image(qr_svg(url), width="stretch")
    st.markdown(f"**{escape(t('live_checkin_caption', lang))}**<br>"
                f"<span style='font-size:1.05rem;word-break:break-all'>{url}</span>", unsafe_allow_html=True)  # fmt: skip
    if is_local(url):
        st.caption(t("live_checkin_local", lang))


if st.session_state.get("qr_toggle"):
    figures_column, code_column = st.columns([5, 1])
    with code_column:
        checkin_code()
    with figures_column:
        live_figures()
else:
    live_figures()
new_webinar_form()
