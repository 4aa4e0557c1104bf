"""Every setting that changes behaviour, in one place.

| setting            | environment variable | default                         |
|--------------------|----------------------|---------------------------------|
| database path      | REACH_DB             | data/reach.duckdb (installed: ~/.local/share/reach/reach.duckdb) |
| ingest secrets     | REACH_INGEST_SECRET, REACH_ZOOM_SECRET_TOKEN (or Streamlit secrets) | none: ingest refused |
| public address     | REACH_PUBLIC_URL     | the live view's address (for localhost: the network address) |
| pages for others   | REACH_NETWORK_PAGES  | live: other computers see only the live view (all: every page) |
| check-in rate limit| REACH_CHECKIN_LIMIT  | 200 submissions per client address a minute (200 at once) |
| check-in page loads| REACH_CHECKIN_PAGE_LIMIT | 600 page loads per client address a minute (120 at once) |
| check-in ceiling   | REACH_CHECKIN_FLOOR, REACH_CHECKIN_FACTOR | max(50, 2 × the webinar's audience known otherwise) |
| check-in code      | REACH_CHECKIN_CODE, REACH_CHECKIN_CODE_MINUTES | off; a new code every 5 minutes |
| check-in code key  | REACH_CHECKIN_SECRET (or Streamlit secrets) | a random key per server start |
| trusted proxies    | REACH_TRUSTED_PROXIES | none: X-Forwarded-For and -Proto are not heard |
| import memory      | REACH_IMPORT_MEMORY_MB | 4096 MB of address space for the process that reads one file |
| import time        | REACH_IMPORT_SECONDS | 120 s of reading one file |
| upload size        | REACH_MAX_UPLOAD_MB  | 256 MB per file (the Data page and `reach import`) |
| sheet size         | REACH_IMPORT_MAX_CELLS | 10,000,000 cells per sheet of a workbook |
| records per file   | REACH_IMPORT_MAX_RECORDS | 2,000,000 records per imported file |
| demo participants  | -                    | 300                             |
| demo seed          | -                    | 20261101                        |
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
# The checkout keeps queries/ and data/ at its top level; the wheel carries them in
# dashboard/bundled/ (pyproject.toml, [tool.hatch.build.targets.wheel.sources]).
BUNDLED = "bundled"


def installed(package_dir: Path = PACKAGE_DIR) -> bool:
    """Whether the package was installed from a wheel (it carries bundled/), not run from a checkout."""
    return (package_dir / BUNDLED).is_dir()


def resource_dir(name: str, package_dir: Path = PACKAGE_DIR) -> Path:
    """queries/ or data/: inside the installed package, else at the top level of the checkout."""
    return package_dir / BUNDLED / name if installed(package_dir) else package_dir.parent / name


def default_database(package_dir: Path = PACKAGE_DIR) -> Path:
    """data/reach.duckdb in a checkout; installed, the user's data folder ($XDG_DATA_HOME, else
    ~/.local/share), since the package's own folder is no place for a database."""
    if not installed(package_dir):
        return package_dir.parent / "data" / "reach.duckdb"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "reach" / "reach.duckdb"


QUERIES_DIR = resource_dir("queries")
DATA_DIR = resource_dir("data")
APP_SCRIPT = PACKAGE_DIR / "app.py"
SERVER_SCRIPT = PACKAGE_DIR / "server.py"  # the app plus the ingest API (reach serve)

DEFAULT_DB = default_database()
DEFAULT_TIMEZONE = "Asia/Yekaterinburg"
DEMO_PARTICIPANTS = 300
DEMO_SEED = 20261101
DEFAULT_PORT = 8501

# Languages of the interface; the first is the default.
LANGUAGES = ("ru", "en")


def database_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database file: an explicit path, else REACH_DB, else DEFAULT_DB (see default_database)."""
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


DEFAULT_CHECKIN_LIMIT = 200  # per client address a minute: a whole room may share one Wi-Fi address


def checkin_limit() -> int:
    """REACH_CHECKIN_LIMIT: check-in submissions allowed per client address a minute (and at once)."""
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


DEFAULT_SESSION_HOURS = 8


def session_idle():
    """REACH_SESSION_HOURS: how long a sign-in session lasts without use (default 8 hours)."""
    from datetime import timedelta

    value = os.environ.get("REACH_SESSION_HOURS", "")
    try:
        hours = float(value) if value else DEFAULT_SESSION_HOURS
    except ValueError:
        hours = DEFAULT_SESSION_HOURS
    return timedelta(hours=hours if 0 < hours <= 24 * 30 else DEFAULT_SESSION_HOURS)


def trust_this_computer() -> bool:
    """REACH_TRUST_THIS_COMPUTER=1: with accounts, a browser on this computer still needs no
    sign-in (a single user's laptop); off by default — a shared venue computer is no identity."""
    return os.environ.get("REACH_TRUST_THIS_COMPUTER", "").strip().lower() in ("1", "true", "yes", "on")


# Check-in limits (docs/api.md, "Audience check-in"). A room of 300 on one Wi-Fi address loads
# the form, submits and sees the thanks page within a minute or two: 600 page loads a minute (120
# at once) and 200 submissions a minute (all at once: a room submits together) per address hold
# that; one client hammering the page is refused after a second, before the database is asked.
DEFAULT_CHECKIN_PAGE_LIMIT = 600
DEFAULT_CHECKIN_FLOOR = 50
DEFAULT_CHECKIN_FACTOR = 2.0
DEFAULT_CHECKIN_CODE_MINUTES = 5


def _number(name: str, default: float, minimum: float, maximum: float) -> float:
    """A number setting within [minimum, maximum]; anything else (unset, text, out of range): the default."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if minimum <= value <= maximum else default


def checkin_page_limit() -> int:
    """REACH_CHECKIN_PAGE_LIMIT: loads of the check-in page allowed per client address a minute
    (a fifth of them at once)."""
    return int(_number("REACH_CHECKIN_PAGE_LIMIT", DEFAULT_CHECKIN_PAGE_LIMIT, 1, 1_000_000))


def checkin_ceiling_rule() -> tuple[int, float]:
    """REACH_CHECKIN_FLOOR and REACH_CHECKIN_FACTOR: a webinar takes at most
    max(floor, factor × its audience known otherwise) check-ins (checkin_limits.ceiling)."""
    floor = int(_number("REACH_CHECKIN_FLOOR", DEFAULT_CHECKIN_FLOOR, 0, 1_000_000))
    return floor, _number("REACH_CHECKIN_FACTOR", DEFAULT_CHECKIN_FACTOR, 0, 1_000)


def checkin_code_required() -> bool:
    """REACH_CHECKIN_CODE=on: the check-in form asks for the code the live view shows."""
    return os.environ.get("REACH_CHECKIN_CODE", "").strip().lower() in ("1", "on", "true", "yes")


def checkin_code_minutes() -> int:
    """REACH_CHECKIN_CODE_MINUTES: how long each check-in code lasts (default 5)."""
    return int(_number("REACH_CHECKIN_CODE_MINUTES", DEFAULT_CHECKIN_CODE_MINUTES, 1, 24 * 60))


def checkin_secret() -> str | None:
    """REACH_CHECKIN_SECRET (environment or Streamlit secrets): the key of the check-in codes;
    None: a random one each time the server starts (the live view and the form share the process)."""
    return secret("REACH_CHECKIN_SECRET")


def trusted_proxies() -> tuple:
    """REACH_TRUSTED_PROXIES: comma-separated addresses and CIDR ranges of the proxies whose
    X-Forwarded-For and X-Forwarded-Proto are believed (default none); ValueError for an entry
    that is neither."""
    from dashboard.network import networks

    try:
        return networks(os.environ.get("REACH_TRUSTED_PROXIES", ""))
    except ValueError as exc:
        raise ValueError(f"REACH_TRUSTED_PROXIES: {exc}") from None


# Limits of reading one imported file (dashboard/imports/sandbox.py, docs/imports.md). Sized for a
# 2-core, 24 GB server: a 1,000,000-row Zoom report (205 MB) reads in 12-35 s within 2.4 GB of
# address space, a workbook of 10,000,000 cells in 29-73 s within 2.3 GB.
DEFAULT_IMPORT_MEMORY_MB = 4096
DEFAULT_IMPORT_SECONDS = 120
DEFAULT_MAX_UPLOAD_MB = 256
DEFAULT_IMPORT_MAX_CELLS = 10_000_000
DEFAULT_IMPORT_MAX_RECORDS = 2_000_000


def _positive_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 and int(value) > 0 else default


def import_memory_mb() -> int:
    """REACH_IMPORT_MEMORY_MB: the address space, in MB, of the child process that reads one file."""
    return _positive_int("REACH_IMPORT_MEMORY_MB", DEFAULT_IMPORT_MEMORY_MB)


def import_seconds() -> int:
    """REACH_IMPORT_SECONDS: how long reading one file may take before it is stopped."""
    return _positive_int("REACH_IMPORT_SECONDS", DEFAULT_IMPORT_SECONDS)


def max_upload_mb() -> int:
    """REACH_MAX_UPLOAD_MB: the largest file, in MB, the Data page accepts and any import reads."""
    return _positive_int("REACH_MAX_UPLOAD_MB", DEFAULT_MAX_UPLOAD_MB)


def import_max_cells() -> int:
    """REACH_IMPORT_MAX_CELLS: the most cells one sheet of a workbook may span."""
    return _positive_int("REACH_IMPORT_MAX_CELLS", DEFAULT_IMPORT_MAX_CELLS)


def import_max_records() -> int:
    """REACH_IMPORT_MAX_RECORDS: the most records one imported file may hold."""
    return _positive_int("REACH_IMPORT_MAX_RECORDS", DEFAULT_IMPORT_MAX_RECORDS)


DEFAULT_RESULTS_KEPT = 256


def results_kept() -> int:
    """REACH_RESULTS_KEPT: how many computed results (an overview, its figures, a retention) the
    server keeps for reruns that ask again while the facts stay the same (dashboard/results.py)."""
    return _positive_int("REACH_RESULTS_KEPT", DEFAULT_RESULTS_KEPT)


def min_cell() -> int | None:
    """REACH_MIN_CELL: the smallest count a viewer sees as a number (counts from 1 to k−1 show as
    "< k"); unset, 0 or 1 — off (the default). Anything that is not a whole number is off, too."""
    value = os.environ.get("REACH_MIN_CELL", "").strip()
    if not (value.isascii() and value.isdigit() and len(value) < 6):
        return None
    return int(value) if int(value) > 1 else None


def mtslink_token() -> str | None:
    """REACH_MTSLINK_TOKEN (environment, else .streamlit/secrets.toml): the MTS Link API token
    (the x-auth-token of an account that may read statistics)."""
    return secret("REACH_MTSLINK_TOKEN")


def mtslink_url() -> str:
    """REACH_MTSLINK_URL: the MTS Link API's base (default https://userapi.mts-link.ru/v3; another
    for an on-premises installation, or the local fake the tests use)."""
    value = os.environ.get("REACH_MTSLINK_URL", "").strip()
    return value or "https://userapi.mts-link.ru/v3"
