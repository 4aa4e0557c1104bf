"""Live view (presenters): the chosen webinar on the big screen, refreshed every 2 seconds.

Country and role only — never a name or an e-mail. ?event=KEY&lang=en&contrast=high&qr=off.
Beside the figures, a QR code of the audience check-in page (dashboard/live/checkin.py).
"""

import time
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

from dashboard import database, figures, queries, reach, results, ui, writes
from dashboard.filters import ALL, Filters
from dashboard.i18n import country_names, role_labels, t, titles_in
from dashboard.live.checkin_limits import code_secret, current_code, refusals, refused_text
from dashboard.live.checkin_page import checkin_base, checkin_url, is_local, network_address, qr_svg
from dashboard.live.webinars import MAX_TITLE, MINUTES, WebinarProblem, new_webinar
from dashboard.live_chart import live_chart
from dashboard.settings import checkin_code_minutes, checkin_code_required, public_url

db = ui.database_owner()
con = db.con
# Choosing or starting a webinar and rehearsals: presenters and admins (on a server without
# accounts, this computer).
user = ui.current_user()  # looked up once for the page
may_control = ui.may("control_live", user)
lang = ui.language()
contrast = st.query_params.get("contrast") == "high"
st.markdown(f"<style>{ui.projector_style(contrast)}</style>", unsafe_allow_html=True)
zone = database.programme_setting(con, "timezone") or "UTC"


def new_webinar_form() -> None:
    """On this computer only: start a webinar no report or live event has created yet."""
    if not may_control:
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
    db.request_facts_update()  # its facts, in the background
    ui.audit("webinar-started", created)
    st.query_params["event"] = created
    st.rerun()


def remove_webinar_form() -> None:
    """On this computer only: remove a webinar started here (or by live events) by mistake."""
    if not may_control or key not in titles:
        return
    live_rows = con.cursor().execute(
        "select count(*) from live_events l join events e using (event_id) where e.event_key = $k", {"k": key}
    ).fetchall()[0][0]
    with st.expander(t("live_remove_webinar", lang)):
        st.caption(t("live_remove_explain", lang, title=titles[key], rows=live_rows))
        if not st.button(t("live_remove_confirm", lang), key="remove-webinar"):
            return
        try:
            with db.write() as cursor:
                writes.remove_webinar(cursor, key)
                writes.refresh_after_removal(cursor)
        except writes.HoldsImports:
            st.error(t("live_remove_holds_imports", lang))
            return
    ui.audit("webinar-removed", key)
    st.query_params.pop("event", None)
    st.toast(t("live_removed", lang))
    st.rerun()


webinars = queries.run(con, "live_webinars", ALL)
asked = (st.query_params.get("event") or "").strip() or None
if webinars.empty and asked is None:
    st.info(t("live_no_webinars", lang))
    new_webinar_form()
    st.stop()
# The view follows the key it was given, even before that webinar's first event creates it.
titles = dict(zip(webinars["event_key"], titles_in(webinars["title"], lang), strict=True))
keys = list(titles) if asked is None or asked in titles else [asked, *titles]


def clear_rehearsal_button() -> None:
    """A presenter clears the rehearsal data of the webinar shown (the banner says it is there)."""
    status = queries.run(con, "live_status", Filters(rehearsals=True), event=key)
    if not may_control or status.empty or not bool(status["has_rehearsal"].iloc[0]):
        return
    if st.button(t("live_rehearsal_clear", lang), key="clear-rehearsal"):
        with db.write() as cursor:
            removed = writes.clear_rehearsals(cursor, key)
            writes.refresh_after_removal(cursor)
        ui.audit("rehearsals-cleared", f"{key}: {removed.rows} events")
        st.toast(t("live_rehearsal_cleared", lang, rows=removed.rows, persons=removed.persons))
        st.rerun()


# The headline is the webinar's title; the presenter's controls wait in a panel, closed unless
# the presenter opens it, so the audience sees the figures only.
headline, panel = st.columns([9, 1], vertical_alignment="center")
with panel.popover(t("live_controls", lang), icon=":material/tune:", help=t("live_controls_help", lang),
                   width="stretch"):  # fmt: skip
    key = st.selectbox(t("live_webinar", lang), keys, index=keys.index(asked) if asked in keys else 0,
                       format_func=lambda k: titles.get(k, k),
                       disabled=user is not None and not may_control)  # a viewer watches the one shown  # fmt: skip
    st.toggle(t("live_contrast", lang), value=contrast, key="contrast_toggle")
    st.toggle(t("live_checkin_toggle", lang), value=st.query_params.get("qr") != "off", key="qr_toggle")
    clear_rehearsal_button()
    remove_webinar_form()
    new_webinar_form()
headline.markdown(f"<h1 class='reach-headline'>{escape(titles.get(key, key))}</h1>", unsafe_allow_html=True)
params = {"event": key, **({"lang": lang} if lang != "ru" else {})}
if st.session_state.get("contrast_toggle"):
    params["contrast"] = "high"
if not st.session_state.get("qr_toggle"):
    params["qr"] = "off"
st.query_params.from_dict(params)
countries = queries.run(con, "countries", ALL)
roles = queries.run(con, "roles", ALL)


def rehearsal_banner(has_rehearsal: bool, shown: bool) -> None:
    """A webinar holding rehearsal data says so (a presenter clears it from the panel)."""
    if has_rehearsal:
        st.warning(t("live_rehearsal_banner" if shown else "live_rehearsal_hidden", lang))


@st.fragment(run_every=2)
def live_figures() -> None:
    with ui.guarded(lang):  # a refresh that fails says so on the screen, and the next one tries again
        draw_live_figures()


def read_live() -> tuple[reach.LiveFigures, pd.DataFrame]:
    """The webinar's figures and latest arrivals, all from one committed state."""
    with db.snapshot() as snapshot:  # every figure below from the same committed state
        return reach.live_figures(snapshot, key, countries, roles), queries.run(snapshot, "live_arrivals", ALL,
                                                                                event=key)  # fmt: skip


def projector_charts(live: reach.LiveFigures) -> tuple:
    """The map and the role bars, as large as the screen needs, in this language and contrast."""
    overview = live.overview
    return (figures.for_projector(figures.country_map(overview.by_country, countries, lang), CHART_HEIGHT, contrast),
            figures.for_projector(figures.role_bars(overview.by_role, roles, lang), CHART_HEIGHT, contrast))  # fmt: skip


def draw_live_figures() -> None:
    current = db.bring_facts_up_to_date()  # False while an import runs: not waited for
    # Every screen showing this webinar (the projector, the presenter's laptop, managers) refreshes
    # every 2 s: what one read, the others take, until the next commit (dashboard/results.py, LIVE).
    state = (str(db.path), (database.facts_generation(), database.committed_writes()))  # before reading
    live, arrivals = results.LIVE.get((*state, ("figures", key)), read_live)
    rehearsal_banner(live.has_rehearsal, live.rehearsal_shown)
    if not current:
        st.caption(t("live_facts_behind_import", lang))
    overview = live.overview
    cards = st.columns(4)
    cards[0].metric(t("live_connected", lang), live.connected_now)
    cards[1].metric(t("live_joined", lang), live.joined_total)
    cards[2].metric(t("live_countries", lang), live.countries)
    cards[3].metric(t("live_peak", lang), live.peak_concurrent)
    refused = refused_text(refusals.of(key), lang)  # never counted in the figures above
    if refused:
        st.caption(refused)
    if overview.kpis["participants"] == 0:
        st.info(t("live_waiting", lang) if key in titles else t("live_waiting_key", lang, webinar=key))
        return
    config = ui.plotly_config()
    map_column, roles_column, arrivals_column = st.columns([6, 5, 4])
    # the same keys on every refresh: Plotly redraws the charts in place, never blank
    country_map, role_bars = results.LIVE.get((*state, ("charts", key, lang, contrast)), lambda: projector_charts(live))
    with map_column:
        live_chart(country_map, config, key="live-map")
    with roles_column:
        live_chart(role_bars, config, key="live-roles")
    arrivals_column.markdown(arrivals_table(arrivals), unsafe_allow_html=True)


CHART_HEIGHT = 580  # with the headline and the KPI cards, a 1920×1080 screen holds it all


def arrivals_table(arrivals: pd.DataFrame) -> str:
    """The latest arrivals (time, country, role; never a name) as a plain table the page's
    contrast styles, as large as the back row needs."""
    names, labels = country_names(countries, lang), role_labels(roles, lang)
    times = pd.to_datetime(arrivals["joined_at"]).dt.tz_localize("UTC").dt.tz_convert(zone).dt.strftime("%H:%M")
    rows = "".join(
        f"<tr><td>{escape(at)}</td><td title='{escape(names.get(c, c))}'>{escape(names.get(c, c))}</td>"
        f"<td title='{escape(labels.get(r, r))}'>{escape(labels.get(r, r))}</td></tr>"
        for at, c, r in zip(times, arrivals["country"], arrivals["role"], strict=True)
    ) or f"<tr><td colspan=3>{escape(t('live_no_arrivals', lang))}</td></tr>"
    head = "".join(f"<th>{escape(t(k, lang))}</th>" for k in ("live_time", "country", "role"))
    return (f"<div class='reach-arrivals'><h3>{escape(t('live_arrivals', lang))}</h3>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>")  # fmt: skip


def checkin_code() -> None:
    """The QR code of the check-in page for this webinar, with its address to type."""
    url = checkin_url(checkin_base(st.context.url, public_url(), network_address()), key, lang)
    st.image(qr_svg(url), width="stretch")
    st.markdown(f"**{escape(t('live_checkin_caption', lang))}**<br>"
                f"<span style='font-size:1.05rem;word-break:break-all'>{url}</span>", unsafe_allow_html=True)  # fmt: skip
    if is_local(url):
        st.caption(t("live_checkin_local", lang))
    if checkin_code_required():
        checkin_code_now()


CODE_STYLE = "font-size:2.6rem;font-weight:700;letter-spacing:.2rem;font-variant-numeric:tabular-nums"


@st.fragment(run_every=5)
def checkin_code_now() -> None:
    """The code the check-in form asks for (REACH_CHECKIN_CODE=on), large enough for the back row."""
    minutes = checkin_code_minutes()
    shown, seconds = current_code(code_secret(), key, time.time(), minutes)
    digits = f"<div style='{CODE_STYLE}'>{shown}</div>"
    st.markdown(f"**{escape(t('live_checkin_code', lang))}**{digits}", unsafe_allow_html=True)
    st.caption(t("live_checkin_code_help", lang, minutes=minutes, seconds=seconds))


if st.session_state.get("qr_toggle"):
    figures_column, code_column = st.columns([5, 1])
    with code_column:
        checkin_code()
    with figures_column:
        live_figures()
else:
    live_figures()
