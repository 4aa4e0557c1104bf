"""The dashboard's entry point: `streamlit run dashboard/app.py` (or `reach serve`)."""

import streamlit as st

from dashboard.i18n import language, t

# An emoji favicon is inlined; a :material/…: one is fetched from a font CDN (the browser test caught it).
st.set_page_config(page_title="Reach", page_icon="🌐", layout="wide")
lang = language(st.session_state.get("lang") or st.query_params.get("lang"))

page = st.navigation(
    [
        st.Page(
            "views/overview.py",
            title=t("overview", lang),
            icon=":material/insights:",
            url_path="overview",
            default=True,
        ),
        st.Page("views/data.py", title=t("data", lang), icon=":material/upload_file:", url_path="data"),
        st.Page("views/live.py", title=t("live", lang), icon=":material/cast:", url_path="live"),
    ]
)
page.run()
