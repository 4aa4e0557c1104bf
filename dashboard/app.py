"""The dashboard's entry point: `streamlit run dashboard/app.py` (or `reach serve`)."""

import streamlit as st

from dashboard.i18n import language, t

st.set_page_config(page_title="Reach", page_icon="🌐", layout="wide")
lang = language(st.session_state.get("lang") or st.query_params.get("lang"))

page = st.navigation(
    [
        st.Page("pages/overview.py", title=t("overview", lang), icon="📊", url_path="overview", default=True),
    ]
)
page.run()
