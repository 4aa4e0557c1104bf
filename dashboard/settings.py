"""Every setting that changes behaviour, in one place.

| setting            | environment variable | default                         |
|--------------------|----------------------|---------------------------------|
| database path      | REACH_DB             | data/reach.duckdb               |
| ingest secrets     | REACH_INGEST_SECRET, REACH_ZOOM_SECRET_TOKEN (or Streamlit secrets) | none: ingest refused |
| public address     | REACH_PUBLIC_URL     | the live view's address (for localhost: the network address) |
| pages for others   | REACH_NETWORK_PAGES  | live: other computers see only the live view (all: every page) |
| check-in rate limit| REACH_CHECKIN_LIMIT  | 60 attempts per client address per minute |
| demo participants  | -                    | 300                             |
| demo seed          | -                    | 20261101                        |
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
QUERIES_DIR = REPO_DIR / "queries"
DATA_DIR = REPO_DIR / "data"
APP_SCRIPT = PACKAGE_DIR / "app.py"
SERVER_SCRIPT = PACKAGE_DIR / "server.py"  # the app plus the ingest API (reach serve)

DEFAULT_DB = DATA_DIR / "reach.duckdb"
DEFAULT_TIMEZONE = "Asia/Yekaterinburg"
DEMO_PARTICIPANTS = 300
DEMO_SEED = 20261101
DEFAULT_PORT = 8501

# Languages of the interface; the first is the default.
LANGUAGES = ("ru", "en")


def database_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: an explicit path, else REACH_DB, else data/reach.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("REACH_DB")
    return Path(env) if env else DEFAULT_DB


def secret(name: str) -> str | None:
    """A secret from the environment, else from Streamlit's secrets file
    (.streamlit/secrets.toml in the working directory or the home directory), else None."""
    value = os.environ.get(name)
    if value:
        return value
    try:
        import streamlit as st

        value = st.secrets.get(name)
    except Exception:  # noqa: BLE001 - no secrets file, or one that does not parse: no secret
        return None
    return value if isinstance(value, str) and value else None


DEFAULT_CHECKIN_LIMIT = 60  # per client address per minute: a whole room may share one Wi-Fi address


def checkin_limit() -> int:
    """REACH_CHECKIN_LIMIT: check-in submissions allowed per client address per minute."""
    value = os.environ.get("REACH_CHECKIN_LIMIT", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_CHECKIN_LIMIT


def network_pages() -> str:
    """REACH_NETWORK_PAGES: what other computers may open — 'live' (the default: the live view;
    the check-in page and the API are always served) or 'all' (the analysts' pages too)."""
    return "all" if os.environ.get("REACH_NETWORK_PAGES", "").strip().lower() == "all" else "live"


def public_url() -> str | None:
    """REACH_PUBLIC_URL: the address phones in the room use to reach this server (for the
    check-in QR code), when it differs from the one the presenter opened."""
    return os.environ.get("REACH_PUBLIC_URL") or None
