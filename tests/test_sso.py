"""Single sign-on: Streamlit's st.login cookie mapped onto reach's accounts by e-mail.

The exchange with an identity provider is Streamlit's own (its /auth/login and /oauth2callback);
these tests start where it ends — with the signed cookie Streamlit's callback sets, made here with
Streamlit's own signing code and the configured cookie secret — and check what reach does with it.
"""

import json
import urllib.parse

import pytest

from dashboard import accounts, database
from tests import programme
from tests.serving import serve, stop
from tests.test_team import PASSWORD, cookies_of, request

COOKIE_SECRET = "a-long-random-cookie-secret-for-the-tests-only"
SECRETS = f"""
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "{COOKIE_SECRET}"
client_id = "reach"
client_secret = "not-used-by-these-tests"
server_metadata_url = "http://127.0.0.1:9/.well-known/openid-configuration"
"""


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sso")
    (folder / ".streamlit").mkdir()
    (folder / ".streamlit" / "secrets.toml").write_text(SECRETS, encoding="utf-8")
    path = folder / "sso.duckdb"
    con = programme.build(database.connect(path))
    accounts.add_account(con, "anna", "analyst", PASSWORD, email="Anna.Petrova@agency.example")
    accounts.add_account(con, "boss@agency.example", "viewer", PASSWORD)  # a login that is the e-mail
    con.close()
    proc, url = serve(path, {}, cwd=folder)
    yield url
    stop(proc)


def streamlit_cookie(user: dict, secret: str = COOKIE_SECRET) -> str:
    """The cookie Streamlit's /oauth2callback sets after a successful sign-in at the provider."""
    from streamlit.web.server.starlette.starlette_app_utils import create_signed_value

    value = dict(user, origin="http://localhost:8501", is_logged_in=True, provider="default")
    return create_signed_value(secret, "_streamlit_user", json.dumps(value)).decode("latin-1")


def test_the_sign_in_page_offers_single_sign_on_and_remembers_where_to_go(sso_server):
    status, _, body = request(sso_server, "GET", "/login?next=/data&lang=en")
    assert status == 200 and "Sign in with your organisation&#x27;s account" in body.decode()
    assert 'href="/login/sso?next=%2Fdata&amp;lang=en"' in body.decode()
    status, headers, _ = request(sso_server, "GET", "/login/sso?next=/data&lang=en")
    assert status == 303 and headers["location"].startswith("/auth/login?provider=")
    assert cookies_of(headers)["reach_next"] == "%2Fdata"
    status, headers, _ = request(sso_server, "GET", "/login/sso?next=//evil.example/")
    assert cookies_of(headers)["reach_next"] == "%2F"  # never another site


def test_a_verified_e_mail_of_an_account_signs_in_with_its_role(sso_server):
    cookie = streamlit_cookie({"email": "anna.petrova@agency.example", "email_verified": True, "name": "Anna"})
    status, headers, _ = request(
        sso_server, "GET", "/", headers={"Cookie": f"_streamlit_user={cookie}; reach_next=%2Fdata"}
    )
    assert (status, headers["location"]) == (303, "/data")
    session = cookies_of(headers)["reach_session"]
    assert request(sso_server, "GET", "/data", headers={"Cookie": f"reach_session={session}"})[0] == 200
    status, _, body = request(sso_server, "GET", "/api/v1/health")
    assert status == 200


def test_a_login_that_is_the_e_mail_is_matched_too(sso_server):
    cookie = streamlit_cookie({"email": "BOSS@agency.example"})
    status, headers, _ = request(
        sso_server, "GET", "/overview?lang=en", headers={"Cookie": f"_streamlit_user={cookie}"}
    )
    assert (status, headers["location"]) == (303, "/overview?lang=en")
    assert "reach_session" in cookies_of(headers)


@pytest.mark.parametrize(("user", "secret", "expected"), [
    ({"email": "stranger@elsewhere.example"}, COOKIE_SECRET, 403),        # no account: refused, named
    ({"email": "anna.petrova@agency.example", "email_verified": False}, COOKIE_SECRET, 303),  # unverified
    ({"name": "No e-mail"}, COOKIE_SECRET, 303),
    ({"email": "anna.petrova@agency.example"}, "another-secret-entirely-forged-cookie", 303),  # forged
])  # fmt: skip
def test_what_single_sign_on_does_not_let_in(sso_server, user, secret, expected):
    cookie = streamlit_cookie(user, secret)
    status, headers, body = request(sso_server, "GET", "/data?lang=en", headers={"Cookie": f"_streamlit_user={cookie}"})
    assert status == expected and "reach_session" not in cookies_of(headers)
    if expected == 403:
        assert "There is no account here for stranger@elsewhere.example" in body.decode()
    else:
        assert headers["location"] == "/login?" + urllib.parse.urlencode({"next": "/data?lang=en", "lang": "en"})


def test_signing_out_ends_the_single_sign_on_cookie_too(sso_server):
    cookie = streamlit_cookie({"email": "anna.petrova@agency.example"})
    _, headers, _ = request(sso_server, "GET", "/", headers={"Cookie": f"_streamlit_user={cookie}"})
    session = cookies_of(headers)["reach_session"]
    status, headers, body = request(
        sso_server, "GET", "/logout?lang=en", headers={"Cookie": f"reach_session={session}"}
    )
    csrf, token = cookies_of(headers)["reach_csrf"], body.decode().split('name="csrf" value="')[1].split('"')[0]
    form = urllib.parse.urlencode({"csrf": token}).encode()
    status, headers, _ = request(sso_server, "POST", "/logout?lang=en", form, {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"reach_session={session}; reach_csrf={csrf}; _streamlit_user={cookie}"})  # fmt: skip
    assert status == 303
    assert any(c.startswith('_streamlit_user=""') or c.startswith("_streamlit_user=;") for c in headers["set-cookie"])


def test_without_an_auth_section_there_is_no_single_sign_on_button(tmp_path):
    from dashboard import sso

    assert sso.configured() is False  # the repository holds no secrets file
    assert sso.verified_email({"email": " A@B.example ", "is_logged_in": True}) == "a@b.example"
    assert sso.verified_email({"email": "a@b.example", "email_verified": False}) is None
