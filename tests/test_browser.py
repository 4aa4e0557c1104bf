"""Real-browser test: the overview in headless Chromium, with every non-localhost request blocked.

Skipped on a developer machine without Debian's chromium; in CI (CI=true) a missing browser
is a failure, never a skip.
"""

import os
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard.live.checkin_page import network_address
from tests.conftest import chromium_path
from tests.serving import serve, stop

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
LOCAL = {"localhost", "127.0.0.1", "::1", "[::1]"}
LIVE_SECRET = "browser-test-secret"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if not path:
        if os.environ.get("CI"):
            pytest.fail("CI must run the browser tests: Debian's chromium is not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def server(tiny_db_file):
    proc, url = serve(tiny_db_file, {"REACH_INGEST_SECRET": LIVE_SECRET})
    yield url
    stop(proc)


def open_page(browser, url: str, ready: str = "[data-testid='stMetric']", size: tuple[int, int] = (1400, 1600)):
    """A page in Chromium with every request to another computer blocked and listed (this
    computer's network address counts as this computer); waits until the script finished and
    `ready` is on the page."""
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    blocked: list[str] = []

    def route(r):
        host = urlparse(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:")) or host in LOCAL or host == network_address():
            return r.continue_()
        blocked.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    wait_for_script(page)
    page.wait_for_selector(ready, state="attached", timeout=60_000)
    return page, blocked


def settled_kpis(page, label: str, timeout_s: float = 30) -> dict[str, str]:
    """The KPI cards once `label` is among them (a rerun may replace the cards while we read)."""
    deadline = time.time() + timeout_s
    while True:
        values = kpis(page)
        if label in values or time.time() > deadline:
            return values
        page.wait_for_timeout(250)


def kpis(page) -> dict[str, str]:
    result = {}
    for metric in page.query_selector_all("[data-testid='stMetric']"):
        label = metric.query_selector("[data-testid='stMetricLabel']").inner_text().strip()
        value = metric.query_selector("[data-testid='stMetricValue']").inner_text().strip()
        result[label] = value
    return result


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_overview_in_a_real_browser(browser, server, lang):
    page, blocked = open_page(browser, f"{server}/?lang={lang}")
    # The map draws country shapes from the locally served topojson.
    page.wait_for_selector("path.choroplethlocation", timeout=30_000)
    shapes = page.eval_on_selector_all("path.choroplethlocation", "els => els.filter(e => e.getAttribute('d')).length")
    # Land and borders are drawn only when the topojson loaded (from this server: nothing else is allowed).
    base_map = page.eval_on_selector_all(
        ".geo path:not(.choroplethlocation)", "els => els.reduce((n, e) => n + (e.getAttribute('d') || '').length, 0)"
    )
    values = settled_kpis(page, "Participants" if lang == "en" else "Участники")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"overview-{lang}.png"), full_page=True)
    page.close()

    assert blocked == []
    assert shapes == 4  # RU BY AM KZ; the unknown-country participant has no shape
    assert base_map > 100_000  # the world's outlines came from /app/static/topojson
    if lang == "ru":
        assert (values["Участники"], values["Страны СНГ"], values["Вебинары"], values["Явка"]) == (
            "5",
            "4 из 10",
            "3",
            "67\u00a0%",
        )
    else:
        assert (values["Participants"], values["CIS countries"], values["Webinars"], values["Attendance rate"]) == (
            "5",
            "4 of 10",
            "3",
            "67%",
        )


def test_filter_from_the_url_in_a_real_browser(browser, server):
    page, blocked = open_page(browser, f"{server}/?lang=en&country=RU")
    values = settled_kpis(page, "Participants")
    page.close()
    assert blocked == []
    assert values["Participants"] == "1"


def test_data_page_upload_preview_import(browser, server):
    fixtures = Path(__file__).resolve().parent / "fixtures"
    page, blocked = open_page(browser, f"{server}/data?lang=en", ready="input[type=file]")
    page.set_input_files("input[type=file]", [str(fixtures / "zoom_attendee_current.csv"),
                                              str(fixtures / "registration_form_cp1251.csv")])  # fmt: skip
    page.wait_for_function(
        "() => document.querySelectorAll(\"[data-testid='stMetricValue']\").length >= 8", timeout=60_000
    )
    wait_for_script(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "data-preview-en.png"), full_page=True)
    metrics = page.eval_on_selector_all("[data-testid='stMetricValue']", "els => els.map(e => e.innerText.trim())")
    assert metrics == ["zoom-attendee", "UTF-8 (BOM)", "9", "12", "sheet", "cp1251", "4", "4",  # the previews
                       # the quality tab on the hand-made programme: no imports yet; 5 participants, Cara
                       # without a country, Maria and Dan without a role
                       "0 → 0", "1 of 5", "2 of 5"]  # fmt: skip
    page.get_by_role("button", name="Import").click()
    page.get_by_text("zoom_attendee_current.csv: imported").wait_for(timeout=60_000)
    page.get_by_text("registration_form_cp1251.csv: imported").wait_for(timeout=60_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "data-import-en.png"), full_page=True)
    page.close()
    overview, blocked_overview = open_page(browser, f"{server}/?lang=en")
    values = settled_kpis(overview, "Participants")
    overview.close()
    assert blocked == [] and blocked_overview == []
    assert values["Participants"] == "10"  # 5 in the hand-made programme + 5 from the Zoom file


def wait_for_script(page) -> None:
    page.wait_for_function(
        "() => document.querySelector(\"[data-testid='stApp']\")"
        ".getAttribute('data-test-script-state') === 'notRunning'",
        timeout=60_000,
    )


def test_live_view_updates_within_seconds_of_an_accepted_event(browser, server):
    import json as jsonlib

    from dashboard.live.signing import sign

    def send(items):
        body = jsonlib.dumps({"events": items}).encode()
        stamp = int(time.time())
        request = urllib.request.Request(f"{server}/api/v1/events", data=body, method="POST", headers={
            "X-Reach-Timestamp": str(stamp), "X-Reach-Signature": sign(LIVE_SECRET, stamp, body),
            "Content-Type": "application/json"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            assert jsonlib.loads(response.read())["accepted"] == len(items)

    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    send([{"id": "first", "event": "live-b", "event_title": "Browser live", "type": "join", "at": now,
           "email": "first@example.org", "country": "RU", "role": "CEO"}])  # fmt: skip
    page, blocked = open_page(browser, f"{server}/live?event=live-b&lang=en")
    assert settled_kpis(page, "Connected now")["Connected now"] == "1"
    page.wait_for_selector("path.choroplethlocation", state="attached", timeout=30_000)
    shapes_before = page.eval_on_selector_all("path.choroplethlocation", "els => els.length")
    assert shapes_before == 1  # Russia
    sent_at = time.time()
    send([{"id": "second", "event": "live-b", "type": "join", "at": now, "email": "second@example.org",
           "country": "KZ", "role": "student"}])  # fmt: skip
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stMetricValue']\")].some(e => e.innerText.trim() === '2')",
        timeout=10_000,
    )
    latency = time.time() - sent_at
    page.wait_for_function("n => document.querySelectorAll('path.choroplethlocation').length > n", arg=shapes_before,
                           timeout=10_000)  # fmt: skip
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "live-en.png"), full_page=True)
    html = page.content()
    page.close()
    assert blocked == []
    assert latency < 3.0, f"the screen changed {latency:.1f} s after the event was accepted"
    assert "first@example.org" not in html and "second@example.org" not in html


def test_audience_checks_in_by_the_qr_code_on_the_live_view(browser, server):
    import io

    import zxingcpp
    from PIL import Image

    from dashboard.live.signing import sign

    body = (
        '{"events": [{"id": "speaker", "event": "live-q", "event_title": "Check-in rehearsal", "type": "join", '
        f'"at": "{time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}", "email": "speaker@example.org", '
        '"country": "RU", "role": "executive"}]}'
    ).encode()
    stamp = int(time.time())
    urllib.request.urlopen(urllib.request.Request(f"{server}/api/v1/events", data=body, method="POST", headers={
        "X-Reach-Timestamp": str(stamp), "X-Reach-Signature": sign(LIVE_SECRET, stamp, body)}), timeout=30)  # fmt: skip
    live, blocked = open_page(browser, f"{server}/live?event=live-q&lang=en")
    assert settled_kpis(live, "Joined so far")["Joined so far"] == "1"
    # the map draws after the KPI cards: wait for its first shape, then count them all
    live.wait_for_selector("path.choroplethlocation", state="attached", timeout=30_000)
    assert live.eval_on_selector_all("path.choroplethlocation", "els => els.length") == 1  # Russia
    code = live.wait_for_selector("[data-testid='stImage'] img", timeout=30_000)
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(code.screenshot())))
    # the view was opened at localhost, which phones cannot open: the code carries this computer's
    # address on its network, on the same port
    network = network_address()
    here = f"http://{network}:{urlparse(server).port}" if network else server
    assert [(f.format.name, f.text) for f in found] == [("QRCode", f"{here}/checkin?event=live-q&lang=en")]

    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.route("**/*", lambda r: r.continue_() if (urlparse(r.request.url).hostname or "") in LOCAL | {network}
                else (blocked.append(r.request.url), r.abort()))  # fmt: skip
    phone.goto(found[0].text)
    phone.select_option("#country", "TJ")
    phone.check("input[value=official]")
    phone.click("button[type=submit]")
    phone.wait_for_selector("text=Thank you, you are checked in!")
    phone.reload()
    assert phone.locator("form").count() == 0  # one check-in per browser session
    ARTIFACTS.mkdir(exist_ok=True)
    phone.screenshot(path=str(ARTIFACTS / "checkin-done-en.png"))
    phone.close()

    joined = "() => [...document.querySelectorAll(\"[data-testid='stMetric']\")].some(m => m.innerText.includes("
    joined += "'Joined so far') && m.querySelector(\"[data-testid='stMetricValue']\").innerText.trim() === '2')"
    live.wait_for_function(joined, timeout=10_000)
    live.wait_for_function("() => document.querySelectorAll('path.choroplethlocation').length === 2", timeout=10_000)
    live.wait_for_selector("text=Civil servants", timeout=10_000)  # the role chart
    html = live.content()
    live.close()
    assert blocked == []
    assert "speaker@example.org" not in html


def test_other_computers_see_only_the_live_view(browser, server):
    network = network_address()
    assert network, "this test opens the dashboard from the computer's network address; it has none"
    remote = server.replace("localhost", network)
    page, blocked = open_page(browser, remote + "/", ready="text=Отметьтесь: страна и роль")  # the live view
    assert page.locator("a[href$='/data'], a[href$='/overview']").count() == 0  # no way to the other pages
    page.goto(remote + "/data")
    wait_for_script(page)
    assert page.locator("input[type=file]").count() == 0 and "Импорт файлов" not in page.inner_text("body")
    page.close()
    here, _ = open_page(browser, server + "/data", ready="input[type=file]")  # this computer: every page
    here.close()
    assert blocked == []


def test_the_overview_at_127_0_0_1_is_this_computer(browser, server):
    """http://127.0.0.1:PORT/ reaches the server from an IPv4 loopback address (the server may see
    it IPv4-mapped, ::ffff:127.0.0.1): the overview and the Data page, not only the live view."""
    loopback = server.replace("localhost", "127.0.0.1")
    page, blocked = open_page(browser, loopback + "/?lang=en")
    assert settled_kpis(page, "Participants")["Participants"] == "5"
    assert page.locator("a[href$='/data']").count() == 1  # the way to the Data page is there
    page.goto(loopback + "/data?lang=en")
    page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
    page.close()
    assert blocked == []


class TcpForwarder:
    """A plain TCP forwarder (like socat or `stunnel`) from a port on every interface to the
    server on loopback: the server sees a loopback peer, the browser used another name."""

    def __init__(self, target_port: int):
        import socket
        import threading

        self.target = ("127.0.0.1", target_port)
        self.listener = socket.create_server(("0.0.0.0", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        import socket
        import threading

        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                try:
                    s.shutdown(2)
                except OSError:
                    pass

    def close(self):
        self.listener.close()


def test_a_tcp_forwarder_to_loopback_does_not_open_the_private_pages(browser, server):
    network = network_address()
    assert network, "this test opens the dashboard from the computer's network address; it has none"
    forwarder = TcpForwarder(urlparse(server).port)
    try:
        remote = f"http://{network}:{forwarder.port}"
        page, blocked = open_page(browser, remote + "/", ready="text=Отметьтесь: страна и роль")  # the live view
        assert page.locator("a[href$='/data'], a[href$='/overview']").count() == 0
        page.goto(remote + "/data")
        wait_for_script(page)
        assert page.locator("input[type=file]").count() == 0 and "Импорт файлов" not in page.inner_text("body")
        page.close()
    finally:
        forwarder.close()
    assert blocked == []


@pytest.fixture
def team_server(tiny_db_file):
    """The hand-made programme with a viewer and an analyst account; small counts (below 3) hidden
    from viewers."""
    from dashboard import accounts, database

    con = database.connect(tiny_db_file)
    accounts.add_account(con, "director", "viewer", "director's long passphrase")
    accounts.add_account(con, "anna", "analyst", "anna's long passphrase")
    con.close()
    proc, url = serve(tiny_db_file, {"REACH_MIN_CELL": "3"})
    yield url
    stop(proc)


def sign_in_page(browser, url: str, login: str, password: str, then: str):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    frames: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(
        payload if isinstance(payload, str) else payload.decode("utf-8", "replace"))))  # fmt: skip
    page.goto(url + then)
    page.wait_for_selector("input[name=login]", timeout=30_000)  # sent to sign in first
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    wait_for_script(page)
    return page, frames


def test_a_viewer_sees_the_overview_and_never_the_data_page_or_an_e_mail(browser, team_server):
    page, frames = sign_in_page(browser, team_server, "director", "director's long passphrase", "/data?lang=en")
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    assert settled_kpis(page, "Participants")["Participants"] == "5"  # the overview, not the Data page
    assert page.locator("input[type=file]").count() == 0
    assert page.locator("a[href$='/data']").count() == 0
    assert "Signed in as director (viewer)" in page.inner_text("body")
    # REACH_MIN_CELL=3: every country and role of the hand-made programme has 1 or 2 participants
    page.get_by_text("Counts below 3 show as").wait_for(timeout=30_000)
    bar_labels = page.eval_on_selector_all(".js-plotly-plot .bartext", "els => els.map(e => e.textContent)")
    assert bar_labels and set(bar_labels) == {"< 3"}
    html = page.content()
    for private in ("ann@x.org", "bob@y.org", "cara@z.org", "dan@q.kz", "eve@w.org", "host@perm.ru"):
        assert private not in html and not any(private in frame for frame in frames)
    page.close()


def test_an_analyst_signs_in_and_imports_a_file(browser, team_server):
    fixtures = Path(__file__).resolve().parent / "fixtures"
    page, _ = sign_in_page(browser, team_server, "anna", "anna's long passphrase", "/data?lang=en")
    page.wait_for_selector("input[type=file]", state="attached", timeout=60_000)
    page.set_input_files("input[type=file]", [str(fixtures / "zoom_attendee_current.csv")])
    page.get_by_role("button", name="Import").click()
    page.get_by_text("zoom_attendee_current.csv: imported").wait_for(timeout=60_000)
    page.close()


def test_a_click_on_a_role_bar_filters_and_the_language_stays_across_pages(browser, server):
    """The hand-made programme: roles scientist 1 (P1), student 1 (P3), official 1 (P4), unknown 2."""
    page, blocked = open_page(browser, server + "/?lang=en", size=(1440, 900))
    assert settled_kpis(page, "Participants")["Participants"] == "5"
    page.wait_for_selector(".js-plotly-plot .bars path", state="attached", timeout=30_000)
    # the first screen draws the map and the role split; the charts below it wait until scrolled to
    assert page.eval_on_selector_all(".js-plotly-plot", "els => els.length") == 2
    page.evaluate("() => document.querySelectorAll('.js-plotly-plot').forEach(e => { e.__reachMark = 1 })")
    plot = page.locator(".js-plotly-plot").nth(1)  # beside the map: the role split
    bar = plot.locator(".bars path").first  # scientists (the roles' order)
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.search.includes('role=scientist')", timeout=30_000)
    wait_for_script(page)
    assert settled_kpis(page, "Participants")["Participants"] == "1"
    assert "Selection: Roles: Scientists" in page.inner_text("body")
    # the filter redrew the charts in place: the same chart elements, now one bar of one person
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot')[1].querySelectorAll('.bars path')"
                           ".length === 1", timeout=10_000)  # fmt: skip
    marks = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].map(e => e.__reachMark === 1)")
    assert marks == [True, True]
    # scrolled down, the country bars, the trend and the matrix are drawn; a click on a tile filters
    page.mouse.move(700, 300)
    for _ in range(4):
        page.mouse.wheel(0, 800)
        page.wait_for_timeout(300)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length === 5", timeout=30_000)
    tile = page.locator(".js-plotly-plot").nth(4).locator(".scatterlayer path.point").first
    tile.scroll_into_view_if_needed()
    box = tile.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => location.search.includes('country=')", timeout=30_000)
    wait_for_script(page)
    # the matrix of the scientists holds one tile, P1's: Russia joins the role already chosen
    assert "Selection: Countries: Russia · Roles: Scientists" in page.inner_text("body")
    assert settled_kpis(page, "Participants")["Participants"] == "1"
    page.get_by_role("link", name="Retention").click()  # another page: English and the filters stay
    page.get_by_text("Who comes back").wait_for(timeout=30_000)
    wait_for_script(page)
    assert "Selection: Countries: Russia · Roles: Scientists" in page.inner_text("body")
    assert "lang=en" in page.url and "role=scientist" in page.url and "country=RU" in page.url
    assert blocked == []
    page.close()


def send_joins(server: str, key: str, title: str, people: list[tuple[str, str]], first: int = 0) -> None:
    """Signed live joins to `key`, one per (country, role), a minute apart, ending now."""
    import json as jsonlib

    from dashboard.live.signing import sign

    now = time.time()
    events = [{"id": f"{key}-{first + n}", "event": key, "event_title": title, "type": "join",
               "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 60 * (len(people) - n))),
               "email": f"p{first + n}@example.org", "country": country, "role": role}
              for n, (country, role) in enumerate(people)]  # fmt: skip
    body = jsonlib.dumps({"events": events}).encode()
    stamp = int(time.time())
    request = urllib.request.Request(f"{server}/api/v1/events", data=body, method="POST", headers={
        "X-Reach-Timestamp": str(stamp), "X-Reach-Signature": sign(LIVE_SECRET, stamp, body),
        "Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        assert jsonlib.loads(response.read())["accepted"] == len(events)


PROJECTOR_AUDIENCE = [("RU", "executive"), ("KZ", "scientist"), ("BY", "student"), ("AM", "economist"),
                      ("KG", "civil_servant"), ("UZ", "student"), ("RU", "scientist"), ("TJ", "executive"),
                      ("AZ", "student"), ("MD", "economist")]  # fmt: skip
FITS = """() => {
    const main = document.querySelector("[data-testid='stMain']");
    return main.scrollHeight <= main.clientHeight && document.documentElement.scrollHeight <= innerHeight;
}"""
ARRIVALS_IN_VIEW = """() => [...document.querySelectorAll('.reach-arrivals tbody tr')]
    .filter(r => r.getBoundingClientRect().bottom <= innerHeight).length"""


def test_projector_live_view_fits_1920_by_1080_with_the_controls_in_a_closed_panel(browser, server):
    send_joins(server, "live-p", "Projector / Проектор", PROJECTOR_AUDIENCE)
    page, blocked = open_page(browser, f"{server}/live?event=live-p&lang=en", size=(1920, 1080))
    assert settled_kpis(page, "Joined so far")["Joined so far"] == "10"
    page.wait_for_selector("path.choroplethlocation", state="attached", timeout=30_000)
    # the headline is the webinar's title, in the page's language
    assert page.inner_text("h1.reach-headline") == "Projector"
    # everything on one screen, the ten arrivals included, and no control in sight
    assert page.evaluate(FITS)
    assert page.evaluate(ARRIVALS_IN_VIEW) == 10
    assert page.locator("[data-testid='stSelectbox']:visible, [data-testid='stCheckbox']:visible").count() == 0
    assert not page.get_by_text("High contrast").is_visible()
    page.screenshot(path=str(ARTIFACTS / "live-projector-en.png"))
    # the presenter opens the panel: the webinar choice and the toggles are there
    page.click("[data-testid='stPopoverButton']")
    page.get_by_text("High contrast").wait_for(state="visible", timeout=10_000)
    assert page.locator("[data-testid='stSelectbox']:visible").count() == 1
    page.click("[data-testid='stPopoverButton']")
    page.get_by_text("High contrast").wait_for(state="hidden", timeout=10_000)
    # a refresh redraws the charts in place: the same chart elements, never a blank one
    page.evaluate("() => document.querySelectorAll('.js-plotly-plot').forEach(e => { e.__reachMark = 1 })")
    shapes = page.eval_on_selector_all("path.choroplethlocation", "els => els.length")
    send_joins(server, "live-p", "Projector / Проектор", [("TM", "student")], first=10)
    page.wait_for_function(
        "() => [...document.querySelectorAll(\"[data-testid='stMetricValue']\")]"
        ".some(e => e.innerText.trim() === '11')",
        timeout=10_000,
    )
    page.wait_for_function("n => document.querySelectorAll('path.choroplethlocation').length === n + 1", arg=shapes,
                           timeout=10_000)  # fmt: skip
    marks = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].map(e => e.__reachMark === 1)")
    assert marks == [True, True]
    assert page.evaluate(FITS)
    page.close()
    assert blocked == []


CONTRAST_LOOK = """() => {
    const style = e => getComputedStyle(e);
    const all = s => [...document.querySelectorAll(s)];
    return {
        page: style(document.querySelector("[data-testid='stApp']")).backgroundColor,
        headline: style(document.querySelector('h1.reach-headline')).color,
        values: [...new Set(all("[data-testid='stMetricValue'], [data-testid='stMetricValue'] *")
            .map(e => style(e).color))],
        paper: all('.js-plotly-plot .main-svg:first-of-type').map(e => e.style.background),
        bars: [...new Set(all('.js-plotly-plot .bars path').map(e => e.style.fill))],
        chart_text: [...new Set(all('.js-plotly-plot .gtitle, .js-plotly-plot .ytick text').map(e => e.style.fill))],
        land: [...new Set(all('.js-plotly-plot .geo .land path').map(e => style(e).fill))],
        cells: [...new Set(all('.reach-arrivals td').map(e => style(e).color))],
        heads: [...new Set(all('.reach-arrivals th').map(e => style(e).color))],
        panel: style(document.querySelector("[data-testid='stPopoverButton']")).borderTopColor,
    };
}"""


def test_high_contrast_reaches_every_chart_table_and_control(browser, server):
    send_joins(server, "live-c", "Contrast", PROJECTOR_AUDIENCE[:4])
    page, blocked = open_page(browser, f"{server}/live?event=live-c&lang=ru&contrast=high", size=(1920, 1080))
    assert settled_kpis(page, "Всего подключились")["Всего подключились"] == "4"
    page.wait_for_selector("path.choroplethlocation", state="attached", timeout=30_000)
    page.wait_for_selector(".js-plotly-plot .bars path", state="attached", timeout=30_000)
    black, white, yellow = "rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(255, 212, 0)"
    assert page.evaluate(CONTRAST_LOOK) == {
        "page": black, "headline": white, "values": [yellow], "paper": [black, black], "bars": [yellow],
        "chart_text": [white], "land": ["rgb(38, 38, 38)"], "cells": [white], "heads": [yellow], "panel": yellow,
    }  # fmt: skip
    assert page.evaluate(FITS)
    page.screenshot(path=str(ARTIFACTS / "live-projector-ru-contrast.png"))
    page.close()
    assert blocked == []
