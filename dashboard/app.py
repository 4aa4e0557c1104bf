"""The dashboard's entry point: `streamlit run dashboard/app.py` (or `reach serve`)."""

import streamlit as st

from dashboard import ui
from dashboard.i18n import language, t
from dashboard.settings import network_pages

# An emoji favicon is inlined; a :material/…: one is fetched from a font CDN (the browser test caught it).
st.set_page_config(page_title="Reach", page_icon="🌐", layout="wide")
lang = language(st.session_state.get("lang") or st.query_params.get("lang"))

# Other computers (phones that scanned the check-in code, the venue's network) see only the
# live view unless REACH_NETWORK_PAGES=all: the analysts' pages stay on this computer.
everything = ui.opened_here() or network_pages() == "all"
live = st.Page("views/live.py", title=t("live", lang), icon=":material/cast:", url_path="live", default=not everything)
pages = [live]
if everything:
    pages = [
        st.Page(
            "views/overview.py",
            title=t("overview", lang),
            icon=":material/insights:",
            url_path="overview",
            default=True,
        ),  # fmt: skip
        st.Page("views/data.py", title=t("data", lang), icon=":material/upload_file:", url_path="data"),
        live,
    ]
with ui.guarded(lang):  # never a traceback on screen
    st.navigation(pages).run()
