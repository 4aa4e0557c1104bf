"""The dashboard's entry point: `streamlit run dashboard/app.py` (or `reach serve`)."""

import streamlit as st

from dashboard import accounts, ui
from dashboard.i18n import language, t
from dashboard.settings import network_pages

# An emoji favicon is inlined; a :material/…: one is fetched from a font CDN (the browser test caught it).
st.set_page_config(page_title="Reach", page_icon="🌐", layout="wide")
ui.restore_widgets()  # the language and filters chosen on another page stand (ui.STICKY)
lang = language(st.query_params.get("lang") or st.session_state.get("lang"))


def pages_for(user) -> list:
    """The pages this session may open. On a server without accounts: every page on this computer,
    only the live view elsewhere (unless REACH_NETWORK_PAGES=all). With accounts: by role — a page
    a role may not use is not in the navigation, so its URL shows none of its content."""
    live = st.Page("views/live.py", title=t("live", lang), icon=":material/cast:", url_path="live")
    here = user is None and (ui.opened_here() or network_pages() == "all")
    allowed = accounts.pages_allowed(None if user is None else user.role, here)
    candidates = [
        ("overview", st.Page("views/overview.py", title=t("overview", lang), icon=":material/insights:",
                             url_path="overview", default=True)),
        ("retention", st.Page("views/retention.py", title=t("retention_page", lang), icon=":material/autorenew:",
                              url_path="retention")),
        ("webinar", st.Page("views/webinar.py", title=t("webinar_page", lang), icon=":material/timeline:",
                            url_path="webinar")),
        ("compare", st.Page("views/compare.py", title=t("compare_page", lang), icon=":material/compare_arrows:",
                            url_path="compare")),
        ("data", st.Page("views/data.py", title=t("data", lang), icon=":material/upload_file:", url_path="data")),
        ("live", live),
        ("admin", st.Page("views/admin.py", title=t("admin", lang), icon=":material/admin_panel_settings:",
                          url_path="admin")),
    ]  # fmt: skip
    chosen = [page for name, page in candidates if name in allowed]
    if "overview" not in allowed:  # the live view is the first page
        chosen = [st.Page("views/live.py", title=t("live", lang), icon=":material/cast:", url_path="live",
                          default=True)]  # fmt: skip
    return chosen


with ui.guarded(lang):  # never a traceback on screen
    user = ui.current_user()
    navigation = st.navigation(pages_for(user))
    ui.on_page(navigation.url_path)
    ui.sign_out_link(lang, user)
    navigation.run()
