"""Team use: once an account exists every visitor signs in; each role sees exactly its part."""

import http.client
import json
import urllib.parse

import pytest

from dashboard import accounts, cli, database, reach
from dashboard.filters import Filters
from tests import programme
from tests.serving import serve, stop

PASSWORD = "correct horse battery"
ROLES = ("viewer", "analyst", "presenter", "admin")


TOKENS: dict[str, str] = {}
OFFLINE: dict[str, dict] = {}


@pytest.fixture(scope="module")
def team(tmp_path_factory):
    """A server on the hand-made programme with one account of each role (each with an API token),
    and the offline reports of the same file, taken before the server holds it."""
    path = tmp_path_factory.mktemp("team") / "team.duckdb"
    con = programme.build(database.connect(path))
    for role in ROLES:
        accounts.add_account(con, f"{role}1", role, PASSWORD)
        TOKENS[role] = accounts.new_token(con, f"{role}1")
    con.close()
    reader, _ = database.open_for_reading(path)
    for name, filters in (("all", Filters()), ("w2-students", Filters(events=("w2",), roles=("student",)))):
        OFFLINE[name] = json.loads(json.dumps(reach.report(reader, filters, *cli.reference_tables(reader))))
    reader.close()
    proc, url = serve(path, {"REACH_MAX_UPLOAD_MB": "1"})
    yield url
    stop(proc)


def request(url: str, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    headers = dict(response.getheaders())
    headers["set-cookie"] = response.msg.get_all("Set-Cookie") or []  # every one of them
    answer = (response.status, headers, response.read())
    connection.close()
    return answer


def cookies_of(headers: dict) -> dict[str, str]:
    jar = {}
    for cookie in headers["set-cookie"]:
        key, _, rest = cookie.partition("=")
        jar[key.strip()] = rest.split(";")[0]
    return jar


def sign_in(url: str, login: str, password: str = PASSWORD, address_note: str = "") -> tuple[int, dict, dict]:
    """GET /login, then POST the form with its CSRF token; (status, headers, cookies set)."""
    status, headers, body = request(url, "GET", "/login?next=/data&lang=en")
    csrf_cookie = cookies_of(headers)["reach_csrf"]
    token = body.decode().split('name="csrf" value="')[1].split('"')[0]
    form = urllib.parse.urlencode({"csrf": token, "login": login, "password": password}).encode()
    status, headers, body = request(url, "POST", "/login?next=/data&lang=en", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"reach_csrf={csrf_cookie}"})  # fmt: skip
    return status, headers, cookies_of(headers)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_signs_in_and_is_sent_where_it_asked(team, role):
    status, headers, cookies = sign_in(team, f"{role}1")
    assert (status, headers["location"]) == (303, "/data")
    session = cookies["reach_session"]
    set_cookie = headers["set-cookie"]
    assert any("reach_session=" in c and "HttpOnly" in c and "SameSite=lax" in c for c in set_cookie)
    assert request(team, "GET", "/", headers={"Cookie": f"reach_session={session}"})[0] == 200


@pytest.mark.parametrize("state", ["none", "valid", "forged"])
@pytest.mark.parametrize(("path", "open_to_all"), [
    ("/", False), ("/data", False), ("/overview", False), ("/live", False), ("/admin", False),
    ("/app/static/topojson/world_50m.json", False), ("/_stcore/host-config", False),
    ("/checkin", True), ("/api/v1/health", True), ("/login", True), ("/_stcore/health", True),
])  # fmt: skip
def test_every_route_without_a_session_goes_to_sign_in(team, path, open_to_all, state):
    """An expired session is one the server no longer knows: the 'forged' case (expiry itself is
    tested in tests/test_accounts.py)."""
    cookie = {"none": None, "forged": "reach_session=forged-value"}.get(state)
    if state == "valid":
        cookie = "reach_session=" + sign_in(team, "viewer1")[2]["reach_session"]
    status, headers, _ = request(team, "GET", path, headers={"Cookie": cookie} if cookie else {})
    if open_to_all or state == "valid":
        assert status == 200
    else:
        assert (status, headers["location"]) == (303, "/login?" + urllib.parse.urlencode({"next": path}))


def test_an_unauthenticated_websocket_upgrade_is_refused(team):
    upgrade = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}  # fmt: skip
    status, _, _ = request(team, "GET", "/_stcore/stream", headers=upgrade)
    assert status == 403
    session = sign_in(team, "viewer1")[2]["reach_session"]
    status, _, _ = request(team, "GET", "/_stcore/stream", headers={**upgrade, "Cookie": f"reach_session={session}"})
    assert status == 101


def test_wrong_passwords_are_throttled_per_account_and_audited_without_the_password(team):
    statuses = [sign_in(team, "presenter1", "wrong password " + str(n))[0] for n in range(6)]
    assert statuses == [401, 401, 401, 401, 401, 429]
    assert sign_in(team, "presenter1")[0] == 429  # even the right password waits (at most five minutes)
    assert sign_in(team, "analyst1")[0] == 303  # another account is not held back


def test_a_form_without_its_csrf_token_is_refused(team):
    form = urllib.parse.urlencode({"csrf": "made-up", "login": "admin1", "password": PASSWORD}).encode()
    status, _, body = request(team, "POST", "/login?lang=en", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": "reach_csrf=other"})  # fmt: skip
    assert status == 400 and "The form has expired" in body.decode()


def test_sign_in_never_sends_anyone_to_another_site(team):
    for target in ("//evil.example/x", "https://evil.example/", "/\\evil.example"):
        status, headers, body = request(team, "GET", "/login?next=" + urllib.parse.quote(target))
        assert f'next={urllib.parse.quote(target, safe="")}' not in body.decode()


def test_sign_out_ends_the_session(team):
    session = sign_in(team, "admin1")[2]["reach_session"]
    status, headers, body = request(team, "GET", "/logout?lang=en", headers={"Cookie": f"reach_session={session}"})
    csrf = cookies_of(headers)["reach_csrf"]
    token = body.decode().split('name="csrf" value="')[1].split('"')[0]
    status, headers, _ = request(team, "POST", "/logout?lang=en", urllib.parse.urlencode({"csrf": token}).encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"reach_session={session}; reach_csrf={csrf}"})
    assert status == 303
    assert request(team, "GET", "/", headers={"Cookie": f"reach_session={session}"})[0] == 303  # no longer valid


def test_without_accounts_nothing_changes(tiny_db_file):
    proc, url = serve(tiny_db_file, {})
    try:
        assert request(url, "GET", "/")[0] == 200
    finally:
        stop(proc)


def test_this_computer_may_be_trusted_on_a_laptop(tmp_path):
    path = tmp_path / "laptop.duckdb"
    con = programme.build(database.connect(path))
    accounts.add_account(con, "me", "admin", PASSWORD)
    con.close()
    proc, url = serve(path, {"REACH_TRUST_THIS_COMPUTER": "1"})
    try:
        assert request(url, "GET", "/", headers={"Host": "localhost"})[0] == 200
        assert request(url, "GET", "/", headers={"Host": "reach.example.org"})[0] == 303  # forwarded: sign in
    finally:
        stop(proc)


def bearer(role: str | None, token: str | None = None) -> dict:
    return {"Authorization": f"Bearer {token or TOKENS[role]}"}


def test_the_report_api_needs_a_token_and_equals_the_offline_report(team):
    assert request(team, "GET", "/api/v1/report")[0] == 401
    assert request(team, "GET", "/api/v1/report", headers=bearer(None, "reach_forged"))[0] == 401
    for role in ROLES:  # any role may read aggregates
        status, _, body = request(team, "GET", "/api/v1/report", headers=bearer(role))
        assert (status, json.loads(body)) == (200, OFFLINE["all"])
    status, _, body = request(team, "GET", "/api/v1/report?event=w2&role=student", headers=bearer("viewer"))
    assert (status, json.loads(body)) == (200, OFFLINE["w2-students"])
    status, _, body = request(team, "GET", "/api/v1/report?country=XX", headers=bearer("viewer"))
    assert (status, json.loads(body)) == (400, {"error": "unknown country code: XX"})


def test_reach_report_through_the_server(team, capsys):
    assert cli.main(["report", "--url", team, "--token", TOKENS["viewer"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == OFFLINE["all"]
    assert cli.main(["report", "--url", team, "--json"]) == 2  # no token
    assert "needs an API token" in capsys.readouterr().err


def test_imports_through_the_api_by_role(team, tmp_path, capsys):
    sheet = "ФИО;E-mail;Страна;Должность;Вебинар;Дата\nАнна;ann@x.org;Россия;директор;Webinar two;08.10.2026\n"
    headers = {"X-Reach-Filename": "form.csv", "Content-Type": "application/octet-stream"}
    for role in ("viewer", "presenter"):
        status, _, body = request(team, "POST", "/api/v1/imports", sheet.encode(), {**headers, **bearer(role)})
        assert status == 403 and "may not import" in json.loads(body)["error"]
    status, _, body = request(team, "POST", "/api/v1/imports", sheet.encode(), {**headers, **bearer("analyst")})
    answer = json.loads(body)
    assert (status, answer["status"], answer["records"], answer["persons"]) == (200, "imported", 1, 1)
    file = tmp_path / "form.csv"
    file.write_text(sheet, encoding="utf-8")
    assert cli.main(["import", "--url", team, "--token", TOKENS["admin"], str(file)]) == 0
    assert capsys.readouterr().out == "form.csv: imported before, nothing changed\n"
    big = b"x" * (1024 * 1024 + 1)  # REACH_MAX_UPLOAD_MB=1 on this server
    status, _, body = request(team, "POST", "/api/v1/imports", big, {**headers, **bearer("analyst")})
    assert (status, json.loads(body)) == (413, {"error": "the file is larger than the upload limit (1 MB)"})
    status, _, body = request(team, "POST", "/api/v1/imports", b"", {**bearer("analyst")})
    assert status == 400 and "X-Reach-Filename" in json.loads(body)["error"]


def test_the_sign_in_page_sends_a_content_security_policy_its_style_satisfies(team):
    import base64
    import hashlib
    import re

    status, headers, body = request(team, "GET", "/login?lang=en")
    policy = headers["content-security-policy"]
    assert status == 200 and policy.startswith("default-src 'none'; style-src 'sha256-")
    style = re.search(r"<style>(.*)</style>", body.decode(), re.S).group(1)
    assert f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'" in policy
    assert "<script" not in body.decode()
