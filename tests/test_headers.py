"""Security headers on every response of `reach serve` (dashboard/middleware.py): no page in
another site's frame, no address in another site's logs, no sniffing; the check-in page's own
content-security policy, which a real browser must still render and submit under."""

import http.client
from urllib.parse import urlsplit

import pytest

from dashboard.middleware import ClientBehindProxies, Preloads, SecurityHeaders
from dashboard.network import networks
from tests.asgi import Recorder, call
from tests.serving import serve, stop
from tests.test_browser import browser  # noqa: F401, F811 - the one headless Chromium fixture

BASELINE = {
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "referrer-policy": "same-origin",
    "x-content-type-options": "nosniff",
}
NAMES = tuple(BASELINE)


def test_every_response_gets_the_baseline():
    answer = call(SecurityHeaders(Recorder()))
    assert {name: answer.headers[name] for name in NAMES} == BASELINE
    assert answer.headers["content-type"] == "text/plain" and answer.body == b"ok"


def test_a_route_that_sets_its_own_header_keeps_it():
    own = [(b"Content-Security-Policy", b"default-src 'none'"), (b"x-frame-options", b"SAMEORIGIN")]
    answer = call(SecurityHeaders(Recorder(own)))
    assert {name: answer.headers[name] for name in NAMES} == BASELINE | {
        "content-security-policy": "default-src 'none'", "x-frame-options": "SAMEORIGIN"}  # fmt: skip


def test_the_dashboards_page_asks_for_its_charts_files_with_its_first_byte():
    html = [(b"content-type", b"text/html; charset=UTF-8")]
    links = lambda: [("/assets/plotly.min.js", "script"), ("/app/static/topojson/world_50m.json", "fetch")]  # noqa: E731
    app = Preloads(Recorder(html), links, skipped=("/checkin",))
    expected = ("</assets/plotly.min.js>; rel=preload; as=script, "
                "</app/static/topojson/world_50m.json>; rel=preload; as=fetch; crossorigin")  # fmt: skip
    assert call(app, path="/").headers["link"] == expected
    assert call(app, path="/live/").headers["link"] == expected
    # the audience's phones, another method and other kinds of response are left alone
    assert "link" not in call(app, path="/checkin").headers
    assert "link" not in call(app, path="/reach/checkin/").headers
    assert "link" not in call(app, method="POST", path="/").headers
    assert "link" not in call(Preloads(Recorder(), links), path="/").headers  # text/plain


def test_the_client_behind_a_trusted_proxy_reaches_the_app_for_pages_and_websockets():
    import asyncio

    inner = Recorder()
    app = ClientBehindProxies(inner, trusted=networks("127.0.0.1"))
    call(app, headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}, client=("::ffff:127.0.0.1", 1))
    call(app, headers={"X-Forwarded-For": "203.0.113.7"}, client=("::ffff:198.51.100.1", 2))  # not trusted
    websocket = {"type": "websocket", "scheme": "ws", "client": ("127.0.0.1", 3), "path": "/_stcore/stream",
                 "headers": [(b"x-forwarded-for", b"203.0.113.8"), (b"x-forwarded-proto", b"https")]}  # fmt: skip
    asyncio.run(app(websocket, None, None))
    seen = [(s["type"], s["client"], s["scheme"]) for s in inner.scopes]
    assert seen == [
        ("http", ("203.0.113.7", 0), "https"),
        ("http", ("198.51.100.1", 2), "http"),  # the peer, written as IPv4
        ("websocket", ("203.0.113.8", 0), "wss"),  # what Streamlit's st.context.ip_address reads
    ]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from dashboard import database
    from tests import programme

    path = tmp_path_factory.mktemp("headers") / "site.duckdb"
    con = database.connect(path)
    programme.build(con)
    con.close()
    proc, url = serve(path, {"REACH_INGEST_SECRET": "headers-secret"})
    yield url
    stop(proc)


def get(url: str, path: str, method: str = "GET", body: bytes | None = None) -> tuple[int, dict[str, str]]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request(method, path, body=body)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),  # Streamlit's page
        ("GET", "/_stcore/health", 200),
        ("GET", "/app/static/topojson/world_110m.json", 200),
        ("GET", "/api/v1/health", 200),
        ("POST", "/api/v1/events", 401),
        ("GET", "/no-such-page", 200),  # Streamlit answers any path with its page
    ],
)
def test_served_responses_carry_the_baseline(server, method, path, status):
    answer, headers = get(server, path, method, b"" if method == "POST" else None)
    assert answer == status
    assert {name: headers.get(name) for name in NAMES} == BASELINE


def test_the_served_page_preloads_plotly_and_the_map_and_the_check_in_page_does_not(server):
    _, page = get(server, "/")
    assert page["link"] == ("</assets/plotly.min.js>; rel=preload; as=script, "
                            "</app/static/topojson/world_50m.json>; rel=preload; as=fetch; crossorigin")  # fmt: skip
    _, checkin = get(server, "/checkin")
    assert "link" not in checkin


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/checkin", 200),  # "no webinar open now"
        ("GET", "/checkin?event=w1&lang=en", 403),  # closed
        ("GET", "/checkin?event=nope", 404),
        ("POST", "/checkin?event=w1", 400),  # no cookie
    ],
)
def test_the_check_in_page_has_its_whole_policy(server, method, path, status):
    from dashboard.live.checkin_page import CONTENT_SECURITY_POLICY

    answer, headers = get(server, path, method, b"" if method == "POST" else None)
    assert answer == status
    page = BASELINE | {"content-security-policy": CONTENT_SECURITY_POLICY}
    assert {name: headers.get(name) for name in NAMES} == page


@pytest.mark.browser
def test_the_check_in_page_renders_and_submits_under_its_policy(browser, tmp_path):  # noqa: F811
    """Its style applies (allowed by hash), the form posts and follows the redirect, and the
    browser reports no violation of the policy."""
    import json
    import time
    import urllib.request

    from dashboard import database
    from dashboard.live.signing import sign
    from tests import programme

    path = tmp_path / "site.duckdb"
    con = database.connect(path)
    programme.build(con)
    con.close()
    proc, url = serve(path, {"REACH_INGEST_SECRET": "browser-secret"})
    try:
        now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        body = json.dumps({"events": [{"id": "h", "event": "live-h", "event_title": "Под политикой", "type": "join",
                                       "at": now, "email": "host@example.org"}]}).encode()  # fmt: skip
        stamp = int(time.time())
        signed = {"X-Reach-Timestamp": str(stamp), "X-Reach-Signature": sign("browser-secret", stamp, body)}
        urllib.request.urlopen(urllib.request.Request(f"{url}/api/v1/events", data=body, headers=signed), timeout=30)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        messages: list[str] = []
        page.on("console", lambda m: messages.append(m.text))
        page.goto(f"{url}/checkin?event=live-h&lang=en")
        button = page.eval_on_selector("button[type=submit]", "b => getComputedStyle(b).backgroundColor")
        page.select_option("#country", "KZ")
        page.check("input[value=student]")
        page.click("button[type=submit]")
        page.wait_for_selector("text=Thank you, you are checked in!")
        page.close()
    finally:
        stop(proc)
    assert button == "rgb(31, 78, 156)"  # the page's own style, #1f4e9c
    assert [m for m in messages if "Content Security Policy" in m] == []
