"""What `reach serve` runs: the dashboard (app.py), the ingest API and the audience check-in
page in one process, so that one process owns the DuckDB database; every request passes
dashboard/middleware.py first (the client behind trusted proxies, security headers, the page's
preloads)."""

import gc
import logging

import streamlit as st
from starlette.middleware import Middleware

from dashboard import live_chart, signin, team_api, ui
from dashboard.live import api, checkin
from dashboard.middleware import ClientBehindProxies, Preloads, SecurityHeaders
from dashboard.settings import trusted_proxies

if api.ingest_secret() is None:
    logging.getLogger("reach.api").warning(
        "live ingest is off: set REACH_INGEST_SECRET in the server's environment or in .streamlit/secrets.toml "
        "to accept events"
    )

try:
    TRUSTED = trusted_proxies()
except ValueError as exc:  # an operator's typo: stop with the setting named, not a traceback
    raise SystemExit(f"reach serve: {exc}") from None


def _as_it_is(app, trusted_hosts=None):
    return app


def _uvicorn_believes_no_proxy() -> None:
    """uvicorn by itself believes X-Forwarded-For and -Proto from 127.0.0.1 and ::1 (its
    FORWARDED_ALLOW_IPS, read before it imports this module) and rewrites the client address
    before any middleware of ours sees the peer. reach believes only REACH_TRUSTED_PROXIES
    (ClientBehindProxies), so uvicorn's own rewriting, which it wraps around the app after
    importing this module, is left out. tests/test_headers.py checks that a ::1 peer's headers
    are not believed."""
    import uvicorn.config

    uvicorn.config.ProxyHeadersMiddleware = _as_it_is


_uvicorn_believes_no_proxy()
# The sign-in gate (dashboard/signin.py) stands before every page, static file, the websocket and
# the API, except the routes open to all; it sees the client as ClientBehindProxies settled it.
app = st.App(
    "app.py",
    routes=api.routes() + checkin.routes() + signin.routes() + team_api.routes() + live_chart.routes(),
    middleware=[
        Middleware(ClientBehindProxies, trusted=TRUSTED),
        Middleware(SecurityHeaders),
        Middleware(Preloads, links=lambda: live_chart.preloads(ui.plotly_config()), skipped=("/checkin",)),
        Middleware(signin.Gate),
    ],
)

# Streamlit collects garbage after every script run (runner.postScriptGC), a full collection that
# walks every object alive: the libraries imported above (pandas, plotly, DuckDB, Streamlit) hold
# most of them and live as long as the server. Frozen here, they are left out of every
# collection, which then walks only what the pages made (measured: 40 % of the server's CPU per
# rerun at 1M went to these collections; BENCHMARKS.md "Many viewers").
gc.freeze()
