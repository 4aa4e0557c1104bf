"""Optional single sign-on: Streamlit's own st.login (OpenID Connect) mapped onto reach's accounts
by e-mail (docs/settings.md, "Single sign-on").

Streamlit runs the exchange with the identity provider (its /auth/login and /oauth2callback
routes, configured by the [auth] section of .streamlit/secrets.toml) and leaves a signed cookie
with the provider's user info. The gate (dashboard/signin.py) reads that cookie: a verified e-mail
that belongs to an account starts a reach session of that account's role, exactly as a password
would; any other e-mail is refused with a page that names it. Local accounts stay the default and
keep working offline; with SSO configured the sign-in page offers both.

Streamlit keeps the cookie's format to itself: the three helpers used here are pinned by
tests/test_sso.py, which signs a cookie with Streamlit's own code and reads it back.
"""

from __future__ import annotations

import json
from urllib.parse import quote

# The routes of Streamlit's own OIDC flow: open to everyone while SSO is configured.
STREAMLIT_ROUTES = ("/auth/login", "/oauth2callback", "/auth/logout")
USER_COOKIE = "_streamlit_user"
TOKENS_COOKIE = "_streamlit_user_tokens"


def _auth_section() -> dict:
    from streamlit.auth_util import get_secrets_auth_section

    try:
        return get_secrets_auth_section().to_dict()
    except Exception:  # a secrets file that does not parse: no SSO (Streamlit itself reports it)
        return {}


def provider() -> str | None:
    """The configured provider's name ("default" for a flat [auth] section), or None: no SSO."""
    auth = _auth_section()
    if not auth.get("redirect_uri") or not auth.get("cookie_secret"):
        return None
    if auth.get("client_id") and auth.get("server_metadata_url"):
        return "default"
    named = [name for name, value in auth.items() if isinstance(value, dict) and value.get("client_id")]
    return sorted(named)[0] if named else None


def configured() -> bool:
    return provider() is not None


def start_link() -> str:
    """Where the sign-in page's single sign-on button leads: Streamlit's /auth/login with a signed
    token naming the provider, as st.login itself would send the browser."""
    from streamlit.auth_util import encode_provider_token

    return "/auth/login?provider=" + quote(encode_provider_token(provider() or "default"))


def streamlit_user(cookies: dict[str, str]) -> dict | None:
    """The provider's user info from Streamlit's signed cookie (None: absent, forged or expired)."""
    from streamlit.auth_util import get_cookie_with_chunks
    from streamlit.web.server.server_util import get_cookie_secret
    from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value

    secret = get_cookie_secret()

    def single(name: str) -> bytes | None:
        value = cookies.get(name)
        return None if value is None else decode_signed_value(secret, name, value.encode("latin-1"))

    try:
        raw = get_cookie_with_chunks(single, USER_COOKIE)
        user = json.loads(raw) if raw else None
    except (ValueError, TypeError):
        return None
    return user if isinstance(user, dict) and user.get("is_logged_in") else None


def verified_email(user: dict | None) -> str | None:
    """The user's e-mail, lower case, if the provider gave one and did not say it is unverified."""
    if not user:
        return None
    email = user.get("email")
    if not isinstance(email, str) or "@" not in email or user.get("email_verified") is False:
        return None
    return email.strip().lower()
