"""What `reach serve` runs: the dashboard (app.py) and the ingest API in one process, so that
one process owns the DuckDB database."""

import logging
import os

import streamlit as st

from dashboard.live.api import routes

if not os.environ.get("REACH_INGEST_SECRET"):
    logging.getLogger("reach.api").warning(
        "live ingest is off: set REACH_INGEST_SECRET in the server's environment to accept events"
    )

app = st.App("app.py", routes=routes())
