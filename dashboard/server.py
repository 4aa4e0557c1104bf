"""What `reach serve` runs: the dashboard (app.py), the ingest API and the audience check-in
page in one process, so that one process owns the DuckDB database."""

import logging

import streamlit as st

from dashboard.live import api, checkin

if api.ingest_secret() is None:
    logging.getLogger("reach.api").warning(
        "live ingest is off: set REACH_INGEST_SECRET in the server's environment or in .streamlit/secrets.toml "
        "to accept events"
    )

app = st.App("app.py", routes=api.routes() + checkin.routes())
