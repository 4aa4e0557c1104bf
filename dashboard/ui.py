"""Streamlit plumbing shared by the pages: the connection, the language, the sidebar filters.

Everything a page needs comes from `page_context()`; pages only wire it to queries and figures.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

import duckdb
import pandas as pd
import streamlit as st

from dashboard import accounts, database, queries, results, signin
from dashboard.filters import ALL, Filters
from dashboard.i18n import country_name, role_label, t, titles_in
from dashboard.network import is_loopback
from dashboard.settings import LANGUAGES, database_path, min_cell, session_idle, trust_this_computer
from dashboard.url_state import Choices, UrlState, parse, to_params

T = TypeVar("T")

LOG = logging.getLogger("reach.pages")


@contextmanager
def guarded(lang: str) -> Iterator[None]:
    """A page's (or a fragment's) failure becomes a message in the user's language that says what
    happened and what to do — never a traceback. The log gets the kind and place only: a
    database's message can quote stored personal data."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the last line of defence of a page
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        LOG.error("a page failed: %s at %s:%s", type(exc).__name__, Path(frame.filename).name, frame.lineno)
        st.error(failure_text(exc, lang))


def failure_text(exc: Exception, lang: str) -> str:
    """What the user reads when a page fails."""
    if isinstance(exc, database.DatabaseError) and exc.kind == "in_use":
        return t("failure_in_use", lang, path=exc.path)
    if isinstance(exc, database.DatabaseError) or isinstance(exc, duckdb.Error):
        return t("failure_damaged", lang, path=getattr(exc, "path", None) or str(database_path()))
    return t("failure_other", lang)


def database_owner() -> database.Database:
    """The process's owner of the database this dashboard serves (shared with the ingest API)."""
    # An empty database stays empty (the overview shows its empty state and offers the demo);
    # the demo is built only on purpose, never into a programme's database.
    return database.for_process(database_path())


@dataclass(frozen=True)
class PageContext:
    con: duckdb.DuckDBPyConnection
    lang: str
    filters: Filters
    countries: pd.DataFrame
    roles: pd.DataFrame
    timezone: str
    programme: str
    webinars: pd.DataFrame  # every webinar (rehearsals left out): empty when nothing is imported yet
    database_file: str
    generation: int = 0  # of the facts the page reads (database.facts_generation, read before them)


def _query_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def _choices(country_options: pd.DataFrame, roles: pd.DataFrame, webinars: pd.DataFrame) -> Choices:
    dates = pd.to_datetime(webinars["event_date"]).dt.date
    return Choices(
        countries=frozenset(country_options["iso2"]),
        roles=frozenset(roles["code"]),
        events=frozenset(webinars["event_key"]),
        series=frozenset(webinars["series"].dropna()),
        first_date=dates.min() if len(dates) else None,
        last_date=dates.max() if len(dates) else None,
    )


def _seed_widgets(state: UrlState, webinars: pd.DataFrame) -> None:
    """Put the URL's view into the widgets on a session's first run."""
    if st.session_state.get("_seeded"):
        return
    f = state.filters
    dates = pd.to_datetime(webinars["event_date"]).dt.date
    st.session_state.update(
        {
            "_seeded": True,
            "_url_ignored": state.ignored,
            # a language chosen on another page stands unless the link names one
            "lang": state.lang
            if "lang" in st.query_params or "lang" not in st.session_state
            else st.session_state["lang"],
            "f_countries": list(f.countries or []),
            "f_roles": list(f.roles or []),
            "f_events": list(f.events or []),
            "f_series": list(f.series or []),
            "f_stages": list(f.stages or []),
            "f_dates": (
                f.date_from or (dates.min() if len(dates) else date.today()),
                f.date_to or (dates.max() if len(dates) else date.today()),
            ),
            "f_min": int(f.min_minutes or 0),
        }
    )


def _reset() -> None:
    for key in ("f_countries", "f_roles", "f_events", "f_series", "f_stages", "f_dates", "f_min"):
        st.session_state.pop(key, None)
        st.session_state.pop(f"_keep_{key}", None)
    st.session_state["_seeded"] = False
    st.query_params.from_dict({"lang": st.session_state["lang"]} if st.session_state.get("lang") != "ru" else {})


def _sidebar(lang: str, country_options, roles, webinars) -> Filters:
    sb = st.sidebar
    sb.header(t("filters", lang))
    countries = sb.multiselect(
        t("country", lang),
        options=list(country_options["iso2"]) + ["unknown"],
        key="f_countries",
        format_func=lambda c: country_name(c, lang, country_options),
        placeholder=t("all", lang),
    )
    roles_chosen = sb.multiselect(
        t("role", lang),
        options=list(roles["code"]),
        key="f_roles",
        format_func=lambda r: role_label(r, lang, roles),
        placeholder=t("all", lang),
    )
    stages = sb.multiselect(
        t("stage", lang),
        options=[1, 2],
        key="f_stages",
        format_func=lambda s: t("stage_n", lang, n=s),
        placeholder=t("all", lang),
    )
    series = sb.multiselect(
        t("series", lang),
        options=sorted(webinars["series"].dropna().unique()),
        key="f_series",
        placeholder=t("all", lang),
    )
    titles = {r.event_key: f"{pd.Timestamp(r.event_date):%d.%m} · {r.title}" for r in webinars.itertuples()}
    events = sb.multiselect(
        t("webinar", lang), options=list(titles), key="f_events", format_func=titles.get, placeholder=t("all", lang)
    )
    dates = sb.date_input(t("dates", lang), key="f_dates", format="DD.MM.YYYY")
    minimum = sb.number_input(t("min_minutes", lang), min_value=0, max_value=600, step=5, key="f_min")
    sb.button(t("reset", lang), on_click=_reset, width="stretch")

    all_dates = pd.to_datetime(webinars["event_date"]).dt.date
    date_from = dates[0] if isinstance(dates, tuple) and len(dates) >= 1 else None
    date_to = dates[1] if isinstance(dates, tuple) and len(dates) == 2 else None
    if len(all_dates):  # the full span means "all dates": keep links short
        date_from = None if date_from == all_dates.min() else date_from
        date_to = None if date_to == all_dates.max() else date_to
    return Filters(
        countries=tuple(countries) or None,
        roles=tuple(roles_chosen) or None,
        events=tuple(events) or None,
        series=tuple(series) or None,
        date_from=date_from,
        date_to=date_to,
        stages=tuple(stages) or None,
        min_minutes=float(minimum) or None,
    )


NOBODY = "nobody"  # accounts exist but this session is not signed in (the gate should have stopped it)


def current_user() -> accounts.Who | None:
    """The signed-in account of this browser session; None on a server without accounts (or a
    trusted laptop: REACH_TRUST_THIS_COMPUTER), where this computer works as one user's."""
    cursor = database_owner().cursor()
    try:
        if not accounts.accounts_exist(cursor):
            return None
        session = st.context.cookies.get(signin.SESSION_COOKIE)
        who = accounts.session_account(cursor, session if isinstance(session, str) else None, session_idle())
    finally:
        cursor.close()
    if who is None and trust_this_computer() and opened_here():
        return None
    return who or accounts.Who("", NOBODY)


_ASK = object()  # may(): look the session's user up (None is a user too: a server without accounts)


def may(action: str, user=_ASK) -> bool:
    """Whether this session may do `action` (accounts.CAN): by its role once accounts exist; on a
    server without accounts, the analysts' and presenters' controls only on this computer. Pass
    the user already looked up in this run to spare the lookup."""
    user = current_user() if user is _ASK else user
    if user is None:
        return opened_here() or action in ("see_overview", "export_aggregates")
    return accounts.may(user.role, action) if user.role != NOBODY else False


def small_cell_threshold(user=_ASK) -> int | None:
    """REACH_MIN_CELL for a session that may not see persons (viewers, presenters, a network
    visitor of a server without accounts); None — counts shown as they are."""
    threshold = min_cell()
    if threshold is None:
        return None
    return None if may("see_people", user) else threshold


def actor() -> str | None:
    """Who to name in the audit log: the signed-in login, or None for the single user."""
    user = current_user()
    return user.login if user is not None and user.role != NOBODY else None


def audit(action: str, detail: str = "") -> None:
    """Write an entry of the audit log for this session's user (never personal data: callers pass
    file names, webinar keys, counts)."""
    address = st.context.ip_address
    with database_owner().write(facts=False) as cursor:
        accounts.audit(cursor, actor(), action, detail, address if isinstance(address, str) else None)


def sign_out_link(lang: str, user: accounts.Who | None) -> None:
    """Who is signed in, and the way out, in the sidebar."""
    if user is None or user.role == NOBODY:
        return
    st.sidebar.caption(t("signed_in_as", lang, login=user.login, role=t(f"role_{user.role}", lang)))
    st.sidebar.link_button(t("logout_button", lang), f"/logout?lang={lang}", width="stretch")


def opened_here() -> bool:
    """Whether the browser runs on this computer (Streamlit gives no address for localhost)."""
    address = st.context.ip_address
    # AppTest gives a stand-in object: a session with no network peer, like Streamlit's localhost
    if not is_loopback(address if isinstance(address, str) else None):
        return False
    return reached_directly(st.context.headers)


def reached_directly(headers) -> bool:
    """Whether a loopback connection is a browser on this computer, not a forwarder: a TCP
    forwarder (socat, stunnel, a TCP proxy) connects from loopback but carries the Host name the
    browser elsewhere used, and an HTTP proxy adds X-Forwarded-For / Forwarded. (An SSH tunnel
    that keeps a loopback Host needs a login on this computer; with accounts, everyone signs in.)"""

    def header(name: str):
        value = headers.get(name)
        return value if isinstance(value, str) else None

    if any(header(h) for h in ("X-Forwarded-For", "Forwarded", "X-Real-Ip", "X-Forwarded-Host")):
        return False
    host = header("Host")
    if host is None:
        return True
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return is_loopback(name)


# Widgets whose values must survive a page switch: Streamlit forgets a widget's state when a run
# does not draw it (another page is a run without it), so each value is also kept under a key no
# widget owns, and put back before the widget is drawn again.
STICKY = ("lang", "f_countries", "f_roles", "f_events", "f_series", "f_stages", "f_dates", "f_min")


def restore_widgets() -> None:
    """Put back the sticky widgets' values forgotten on a page switch (before any is drawn)."""
    for key in STICKY:
        if key not in st.session_state and f"_keep_{key}" in st.session_state:
            st.session_state[key] = st.session_state[f"_keep_{key}"]


def on_page(name: str) -> None:
    """Called with the page about to run: on a page switch, the sticky widgets' kept values are put
    back whatever Streamlit kept (a widget of another page is another widget to it)."""
    if st.session_state.get("_page") not in (None, name):
        for key in STICKY:
            if f"_keep_{key}" in st.session_state:
                st.session_state[key] = st.session_state[f"_keep_{key}"]
    st.session_state["_page"] = name


def keep_widgets() -> None:
    """Remember the sticky widgets' values of this run."""
    for key in STICKY:
        if key in st.session_state:
            st.session_state[f"_keep_{key}"] = st.session_state[key]


def language() -> str:
    """The language switch in the sidebar, seeded from ?lang= and kept in the URL and across pages."""
    restore_widgets()
    if "lang" not in st.session_state:
        raw = st.query_params.get("lang")
        st.session_state["lang"] = raw if raw in LANGUAGES else "ru"
    lang = st.sidebar.segmented_control(
        "Язык / Language",
        options=list(LANGUAGES),
        key="lang",
        format_func=lambda code: {"ru": "Русский", "en": "English"}[code],
    )
    keep_widgets()
    return lang or "ru"


def page_context() -> PageContext:
    """Open the database, read the URL, draw the language switch and the filters."""
    owner = database_owner()
    owner.bring_facts_up_to_date()  # never figures behind the stored rows
    generation = database.facts_generation()  # before anything is read: results keep this one
    con = owner.con
    country_options = queries.run(con, "country_choices", ALL)
    countries = queries.run(con, "countries", ALL)
    roles = queries.run(con, "roles", ALL)
    webinars = queries.run(con, "webinar_list", ALL)
    state = parse(_query_params(), _choices(country_options, roles, webinars))
    _seed_widgets(state, webinars)
    lang = language()
    webinars = webinars.assign(title=titles_in(webinars["title"], lang))  # in the page's language
    filters = _sidebar(lang, country_options, roles, webinars)
    keep_widgets()
    st.query_params.from_dict(to_params(lang, filters))
    if st.session_state.get("_url_ignored"):
        st.warning(t("bad_url", lang, items=", ".join(st.session_state["_url_ignored"])), icon="⚠️")
    return PageContext(
        con=con,
        lang=lang,
        filters=filters,
        countries=countries,
        roles=roles,
        timezone=database.programme_setting(con, "timezone") or "UTC",
        programme=database.programme_setting(con, f"title_{lang}") or database.programme_setting(con, "title") or "",
        webinars=webinars,
        database_file=str(owner.path),
        generation=generation,
    )


def remembered(ctx: PageContext, question: tuple, compute: Callable[[], T]) -> T:
    """What `compute` gives for this page's selection and `question`, computed once while the facts
    stay the same (dashboard/results.py): a rerun that asks the same recomputes nothing."""
    return results.RESULTS.get((ctx.database_file, ctx.generation, ctx.filters, *question), compute)


def load_demo() -> None:
    """Fill this (empty) database with the demo programme, on a presenter's or analyst's request."""
    from dashboard import demo

    owner = database_owner()
    cursor = owner.cursor()
    try:
        demo.build_demo(cursor)
    finally:
        cursor.close()
    _reset()  # the filters were seeded for a programme with no webinars (dates: today)


def plotly_config(picture: str | None = None) -> dict:
    """Plotly options: maps read their shapes from this server, never from a CDN — the world's
    shapes cut to the region the map shows (dashboard/map_shapes.py). With `picture` (a file
    name), the chart's menu offers one button: save it as a PNG, drawn in the browser, no
    network; without it (the live view's projector) no menu at all."""
    base = st.get_option("server.baseUrlPath").strip("/")
    prefix = f"/{base}" if base else ""
    config = {
        "topojsonURL": f"{prefix}/app/static/topojson/",
        "displaylogo": False,
        "displayModeBar": False,
        "scrollZoom": False,
    }  # the wheel scrolls the page, never zooms the map under the pointer
    if picture:
        config |= {"displayModeBar": "hover", "modeBarButtons": [["toImage"]],
                   "toImageButtonOptions": {"format": "png", "filename": picture, "scale": 2}}  # fmt: skip
    return config


# --- click to filter: a chart's or table's selection becomes the sidebar's filter -----------------

FILTER_OF = {"countries": "f_countries", "roles": "f_roles", "events": "f_events"}


def _points(key: str) -> list:
    event = st.session_state.get(key)
    if isinstance(event, dict) and "select" in event:  # a chart of dashboard/live_chart.py
        event = event["select"]
    selection = getattr(event, "selection", None) or (event or {}).get("selection") or {}
    return list(selection.get("points", []) if isinstance(selection, dict) else getattr(selection, "points", []))


def _code(point, index: int | None):
    data = point.get("customdata")
    if index is not None and isinstance(data, list | tuple):
        return data[index] if len(data) > index else None
    return data


def chart_selects(key: str, **fields: int | None):
    """The on_select callback of chart `key`: each field (countries, roles, events) takes the
    clicked points' codes from their customdata (at the given position; None: customdata itself).
    Runs before the rerun, so the sidebar's widgets are drawn with the new filter and the URL follows."""

    def callback() -> None:
        points = _points(key)
        for field, index in fields.items():
            codes = {_code(p, index) for p in points}
            codes = sorted(c for c in codes if isinstance(c, str) and c != "other_countries")
            if codes:
                st.session_state[FILTER_OF[field]] = codes

    return callback


def row_selects(key: str, event_keys: list[str]):
    """The on_select callback of a table of webinars: the selected row becomes the webinar filter."""

    def callback() -> None:
        event = st.session_state.get(key)
        selection = getattr(event, "selection", None) or (event or {}).get("selection") or {}
        rows = selection.get("rows", []) if isinstance(selection, dict) else getattr(selection, "rows", [])
        chosen = sorted({event_keys[i] for i in rows if 0 <= i < len(event_keys)})
        if chosen:
            st.session_state["f_events"] = chosen

    return callback


def selection_line(ctx: PageContext) -> str:
    """The active filters in one line of Markdown, under a page's title."""
    from dashboard.selection_text import describe

    parts = describe(ctx.filters, ctx.lang, ctx.countries, ctx.roles, ctx.webinars)
    return f"**{t('x_selection', ctx.lang)}:** " + " · ".join(p.replace("*", "\\*") for p in parts)


def export_buttons(ctx: PageContext, threshold: int | None, user) -> None:
    """Downloads of the view as xlsx, csv (a zip), html or pptx, built only when asked (the file is
    made when the button is pressed, from the same selection); analysts may add the person-level list."""
    from dashboard import exports

    if not may("export_aggregates", user):
        return
    left, middle, right = st.columns([4, 2, 2])
    fmt = left.segmented_control(t("export_format", ctx.lang), list(exports.FORMATS), default="xlsx",
                                 key="export_format", format_func=lambda f: t(f"export_{f}", ctx.lang))  # fmt: skip
    fmt = fmt or "xlsx"
    people = may("see_people", user) and middle.checkbox(t("export_people", ctx.lang), key="export_people",
                                                         help=t("export_people_help", ctx.lang))  # fmt: skip
    owner, filters, lang = database_owner(), ctx.filters, ctx.lang
    who = user.login if user is not None and user.role != NOBODY else None
    address = st.context.ip_address if isinstance(st.context.ip_address, str) else None

    def build() -> bytes:  # runs when the button is pressed, outside the script's run
        cursor = owner.cursor()
        try:
            data = exports.as_bytes(cursor, fmt, filters, lang, with_people=bool(people), threshold=threshold)
        finally:
            cursor.close()
        with owner.write(facts=False) as writer:
            accounts.audit(writer, who, "export", f"{fmt}{', with people' if people else ''}", address)
        return data

    right.download_button(t("export_button", lang), data=build, file_name=exports.file_name(fmt, lang),
                          mime=exports.MEDIA[fmt], icon=":material/download:", on_click="ignore",
                          key=f"export_{fmt}")  # fmt: skip


PAGE_STYLE = (
    # a compact first screen: the KPIs, the map and the role split fit 1440×900 without scrolling
    ".block-container{padding-top:1.2rem}h1{font-size:2.2rem !important;padding-bottom:.1rem !important}"
    "[data-testid='stMetric']{padding:.45rem .9rem !important}[data-testid='stMetricValue']{font-size:2rem}"
    # printing (or "Save as PDF"): the page without the sidebar, the toolbar or the chart menus
    "@media print{[data-testid='stSidebar'],[data-testid='stHeader'],[data-testid='stToolbar'],"
    "[data-testid='stElementToolbar'],.modebar,[data-testid='stDownloadButton'],"
    "[data-testid='stSidebarCollapsedControl']{display:none !important}"
    ".block-container{max-width:100% !important;padding:0 1rem !important}"
    "[data-testid='stPlotlyChart']{break-inside:avoid}}"
)


def page_style() -> None:
    """The analysis pages' look: compact on screen, and printable without the sidebar."""
    st.markdown(f"<style>{PAGE_STYLE}</style>", unsafe_allow_html=True)


# --- the live view on a projector: one 1920×1080 screen, no scrolling; high contrast everywhere ----

PROJECTOR_STYLE = (
    "[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],[data-testid='stHeader']{display:none}"
    "[data-testid='stMainBlockContainer']{padding:1rem 2rem 0 2rem;max-width:100%}"
    "h1.reach-headline{font-size:2.6rem;line-height:1.2;margin:0;padding:0;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis}"
    "[data-testid='stMetric']{padding:0 !important}"
    "[data-testid='stMetricValue']{font-size:4.5rem;line-height:1.1}[data-testid='stMetricLabel'] p{font-size:1.6rem}"
    ".reach-arrivals h3{font-size:1.6rem;padding:.2rem 0 .4rem 0}"
    # one line per arrival (a long role ends in "…"), so at least 8 rows fit beside the charts
    ".reach-arrivals table{width:100% !important;table-layout:fixed !important;border-collapse:collapse;"
    "font-size:1.25rem !important;font-variant-numeric:tabular-nums}"
    ".reach-arrivals th,.reach-arrivals td{text-align:left;padding:.3rem .4rem !important;border:none !important;"
    "border-bottom:1px solid #d0d5dc !important;white-space:nowrap !important;overflow:hidden;text-overflow:ellipsis}"
    ".reach-arrivals th:first-child,.reach-arrivals td:first-child{width:4.6rem}"
    ".reach-arrivals th{font-weight:600}"
    "[data-testid='stImage'] img{background:#fff}"  # the QR code keeps its white quiet zone
)
# White and yellow on black for every part of the page: background, headline, cards, the
# arrivals table, the panel and its controls, notices, captions and links (charts: figures.py).
PROJECTOR_CONTRAST = (
    "[data-testid='stApp'],[data-testid='stAppViewContainer'],[data-testid='stMain']{background:#000;color:#fff}"
    "h1.reach-headline,h3,[data-testid='stMetricLabel'] *,[data-testid='stWidgetLabel'] *,"
    "[data-testid='stCaptionContainer'],[data-testid='stMarkdownContainer'] p{color:#fff !important}"
    "[data-testid='stMetricValue'],[data-testid='stMetricValue'] p,[data-testid='stMetricValue'] div"
    "{color:#ffd400 !important}"
    "[data-testid='stMarkdownContainer'] a,[data-testid='stMarkdownContainer'] span{color:#ffd400 !important}"
    ".reach-arrivals th,.reach-arrivals td{color:#fff;border-bottom-color:#8c8c8c}"
    ".reach-arrivals th{color:#ffd400}"
    "[data-testid='stPopoverButton']{background:#000 !important;color:#fff !important;"
    "border:2px solid #ffd400 !important}"
    "[data-testid='stPopoverBody']{background:#111 !important;color:#fff !important;border:2px solid #ffd400}"
    "[data-testid='stPopoverBody'] *{color:#fff}"
    "[data-baseweb='select']>div,[data-baseweb='input'],[data-baseweb='input'] input,"
    "[data-baseweb='base-input']{background:#000 !important;color:#fff !important;border-color:#ffd400 !important}"
    "[data-testid='stExpander'] details,[data-testid='stExpander'] summary{background:#111;color:#fff;"
    "border-color:#8c8c8c}"
    "[data-testid='stAlertContainer']{background:#2b2400 !important;color:#ffd400 !important}"
    "[data-testid='stAlertContainer'] *{color:#ffd400 !important}"
    "button[kind='secondary'],button[kind='secondaryFormSubmit']{background:#000;color:#fff;border:2px solid #ffd400}"
)


def projector_style(contrast: bool) -> str:
    """The live view's CSS: the projector layout, and its high-contrast version."""
    return PROJECTOR_STYLE + (PROJECTOR_CONTRAST if contrast else "")
