"""The check-in page served by `reach serve`, over HTTP: the form, one check-in per browser
session, validation, closed and unknown webinars, the rate limits per client address, the
ceiling per webinar, the code on the screen, and which proxies are believed."""

import http.client
import json
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pytest

from dashboard import database
from dashboard.live.signing import sign
from tests.programme import PERSONS
from tests.serving import serve, stop

SECRET = "checkin-test-secret"
LIMIT = 5


def request(url, method, path, form=None, cookie=None, source="127.0.0.1", body=None, headers=None):
    """(status, headers, text) of one request from the client address `source` (IPv6: to ::1)."""
    parts = urlsplit(url)
    host = "::1" if ":" in source else parts.hostname
    connection = http.client.HTTPConnection(host, parts.port, timeout=30, source_address=(source, 0))
    headers = dict(headers or {}) | ({"Cookie": f"reach_checkin={cookie}"} if cookie else {})
    if form is not None:
        body = urlencode(form).encode()
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    result = response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
    connection.close()
    return result


def session_of(headers) -> str:
    cookie = SimpleCookie(headers["set-cookie"])["reach_checkin"]
    assert cookie["httponly"] and cookie["path"] == "/checkin" and not cookie["expires"] and not cookie["max-age"]
    return cookie.value


def start_webinar(url, key, title, audience=("speaker@example.org",)):
    """A webinar running now, created by signed live joins of `audience` (persons who did not check in)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    events = [{"id": f"{key}-{email}", "event": key, "event_title": title, "type": "join", "at": now,
               "email": email, "country": "RU", "role": "executive"} for email in audience]  # fmt: skip
    body = json.dumps({"events": events}).encode()
    stamp = int(time.time())
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("POST", "/api/v1/events", body=body, headers={
        "X-Reach-Timestamp": str(stamp), "X-Reach-Signature": sign(SECRET, stamp, body),
        "Content-Type": "application/json"})  # fmt: skip
    assert connection.getresponse().status == 200


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from tests import programme

    path = tmp_path_factory.mktemp("checkin") / "site.duckdb"
    con = database.connect(path)
    programme.build(con)
    con.close()
    proc, url = serve(path, {"REACH_INGEST_SECRET": SECRET, "REACH_CHECKIN_LIMIT": str(LIMIT)})
    start_webinar(url, "live-c", "Кластеры: прямой эфир")
    yield url, proc, path
    stop(proc)


def test_the_form_offers_countries_and_roles_and_no_personal_data(site):
    url = site[0]
    status, headers, html = request(url, "GET", "/checkin")
    assert status == 200 and headers["cache-control"] == "no-store"
    session = session_of(headers)
    assert f'name="session" value="{session}"' in html
    assert 'action="/checkin?event=live-c"' in html  # the webinar open now
    assert "Кластеры: прямой эфир" in html and '<html lang="ru">' in html
    values = [part.split('"')[0] for part in html.split('<option value="')[1:]]
    assert values[:11] == ["", "AZ", "AM", "BY", "KZ", "KG", "MD", "RU", "TJ", "TM", "UZ"] and len(values) == 250
    assert [p.split('"')[0] for p in html.split('name="role" value="')[1:]] == [
        "executive", "scientist", "economist", "student", "official", "other",
    ]  # fmt: skip
    assert "@" not in html and not any(name in html for _, _, name in PERSONS if name)


def test_one_check_in_per_browser_session(site):
    url = site[0]
    session = session_of(request(url, "GET", "/checkin?event=live-c&lang=en", source="127.0.0.2")[1])
    form = {"session": session, "country": "KG", "role": "economist"}
    status, headers, _ = request(url, "POST", "/checkin?event=live-c&lang=en", form, session, "127.0.0.2")
    assert (status, headers["location"]) == (303, "/checkin?event=live-c&lang=en")
    status, headers, html = request(url, "GET", "/checkin?event=live-c&lang=en", cookie=session, source="127.0.0.2")
    assert status == 200 and "set-cookie" not in headers
    assert "Thank you, you are checked in!" in html and "<form" not in html
    again = {"session": session, "country": "AM", "role": "student"}
    assert request(url, "POST", "/checkin?event=live-c&lang=en", again, session, "127.0.0.2")[0] == 303
    # another browser session is another check-in
    other = session_of(request(url, "GET", "/checkin?event=live-c", source="127.0.0.2")[1])
    form = {"session": other, "country": "TJ", "role": "official"}
    assert request(url, "POST", "/checkin?event=live-c", form, other, "127.0.0.2")[0] == 303
    rows = stored_checkins(site)
    assert rows == sorted(
        [(f"checkin:live-c:{session}", "KG", "economist"), (f"checkin:live-c:{other}", "TJ", "official")]
    )


def copy_of(path):
    """A copy of the server's database file, to read while the server runs."""
    import shutil

    copy = path.with_name("copy.duckdb")
    shutil.copy(path, copy)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        shutil.copy(wal, copy.with_name(copy.name + ".wal"))
    return copy


def stored_checkins(site, webinar=None):
    """The check-ins in the database (of one webinar), read through a copy of the file."""
    con = database.connect(copy_of(site[2]), read_only=True)
    prefix = f"checkin:{webinar}:" if webinar else "checkin:"
    rows = con.execute("select id, country, role from live_events where starts_with(id, $p) order by id",
                       {"p": prefix}).fetchall()  # fmt: skip
    con.close()
    return rows


@pytest.mark.parametrize(
    ("lang", "form", "messages"),
    [
        ("ru", {"country": "XX", "role": "king"},
         ["Страна: выберите страну из списка.", "Роль: выберите одну из ролей."]),
        ("en", {"country": "KZ"}, ["Role: choose one of the roles."]),
        ("en", {"country": "unknown", "role": "unknown"},
         ["Country: choose a country from the list.", "Role: choose one of the roles."]),
    ],
)  # fmt: skip
def test_a_choice_outside_the_reference_tables_is_named_and_nothing_is_written(site, lang, form, messages):
    url, before = site[0], stored_checkins(site)
    query = "/checkin?event=live-c" + ("&lang=en" if lang == "en" else "")
    session = session_of(request(url, "GET", query, source="127.0.0.3")[1])
    status, _, html = request(url, "POST", query, {"session": session, **form}, session, "127.0.0.3")
    assert status == 400
    assert f'<p class="error" role="alert">{" ".join(messages)}</p>' in html
    assert "<form" in html  # the form again, to correct
    assert stored_checkins(site) == before


def test_without_the_session_cookie_nothing_is_written(site):
    url, before = site[0], stored_checkins(site)
    session = session_of(request(url, "GET", "/checkin?event=live-c", source="127.0.0.4")[1])
    form = {"session": session, "country": "KZ", "role": "student"}
    status, _, html = request(url, "POST", "/checkin?event=live-c", form, None, "127.0.0.4")
    assert status == 400 and "Браузер не сохранил cookie отметки" in html
    status, _, _ = request(url, "POST", "/checkin?event=live-c", form, "another-session-123456", "127.0.0.4")
    assert status == 400  # a form sent from elsewhere does not carry this browser's session
    assert stored_checkins(site) == before


def test_a_damaged_or_oversized_form_is_refused(site):
    url = site[0]
    session = session_of(request(url, "GET", "/checkin", source="127.0.0.5")[1])
    status, _, html = request(url, "POST", "/checkin?event=live-c&lang=en", cookie=session, source="127.0.0.5",
                              body=b"session=" + b"x" * 5000)  # fmt: skip
    assert status == 400 and "The form arrived damaged" in html
    status, _, _ = request(url, "POST", "/checkin?event=live-c", cookie=session, source="127.0.0.5", body=b"\xff\xfe=")
    assert status == 400


def test_unknown_and_closed_webinars(site):
    url = site[0]
    status, _, html = request(url, "GET", "/checkin?event=no-such&lang=en", source="127.0.0.6")
    assert status == 404 and "There is no webinar “no-such”" in html and "<form" not in html
    status, _, html = request(url, "GET", "/checkin?event=w1", source="127.0.0.6")
    assert status == 403 and "<form" not in html
    assert "Отметка на вебинар «Webinar one» закрыта: она открыта с 2026-10-01 05:00 до 2026-10-01 07:30 (UTC)." in html
    session = session_of(request(url, "GET", "/checkin?event=live-c", source="127.0.0.6")[1])
    form = {"session": session, "country": "KZ", "role": "student"}
    assert request(url, "POST", "/checkin?event=w1", form, session, "127.0.0.6")[0] == 403


def test_rate_limit_per_client_address(site):
    url = site[0]
    session = session_of(request(url, "GET", "/checkin", source="127.0.0.7")[1])
    form = {"session": session, "country": "XX", "role": "student"}  # refused, but each attempt counts
    statuses = [request(url, "POST", "/checkin?event=live-c", form, session, "127.0.0.7")[0] for _ in range(LIMIT)]
    assert statuses == [400] * LIMIT
    status, headers, html = request(url, "POST", "/checkin?event=live-c", form, session, "127.0.0.7")
    assert status == 429 and 10 <= int(headers["retry-after"]) <= 12  # one more every 60 / 5 = 12 s
    assert "Из вашей сети сейчас отмечается много людей" in html
    assert request(url, "POST", "/checkin?event=live-c", form, session, "127.0.0.8")[0] == 400  # another address


HOSTILE = [
    b"",
    b"session",
    b"session=&country=&role=",
    b"country=KZ&country=RU&role=student&role=official",
    b"country=" + "Қазақстан".encode() + b"&role=%00",
    b"country=%ZZ&role=%",
    b"a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12",
    b"country=KZ&role=student&session=" + b"%27%22%3Cscript%3E" * 50,
    "country=Россия&role=студент".encode("cp1251"),
    b"\x00\x01\x02",
]


@pytest.mark.parametrize("index", range(len(HOSTILE)))
def test_hostile_forms_get_a_clear_answer_never_a_500(site, index):
    url, before = site[0], stored_checkins(site)
    source = f"127.0.1.{index + 1}"
    session = session_of(request(url, "GET", "/checkin", source=source)[1])
    body = HOSTILE[index].replace(b"session=&", f"session={session}&".encode())
    status, headers, html = request(url, "POST", "/checkin?event=live-c", cookie=session, source=source, body=body)
    assert status == 400 and headers["content-type"].startswith("text/html")
    assert 'class="error"' in html and "Traceback" not in html
    assert stored_checkins(site) == before


# A server with every check-in limit on, small enough to reach in a test: page loads 60 a
# minute (12 at once, then one a second), submissions 30, ceiling max(3, 2 × audience), the
# code on the screen, and proxies at 127.0.0.10, in 127.0.2.0/24 and at ::1 believed.
CODE_SECRET = "code-test-secret"
PAGE_LIMIT = 60
BURST = PAGE_LIMIT // 5
GUARDED = {
    "REACH_INGEST_SECRET": SECRET,
    "REACH_CHECKIN_PAGE_LIMIT": str(PAGE_LIMIT),
    "REACH_CHECKIN_LIMIT": "30",
    "REACH_CHECKIN_FLOOR": "3",
    "REACH_CHECKIN_FACTOR": "2",
    "REACH_CHECKIN_CODE": "on",
    "REACH_CHECKIN_SECRET": CODE_SECRET,
    "REACH_TRUSTED_PROXIES": "127.0.0.10, 127.0.2.0/24, ::1",
}


@pytest.fixture(scope="module")
def guarded(tmp_path_factory):
    from datetime import UTC, datetime

    from dashboard.live.webinars import new_webinar
    from tests import programme

    path = tmp_path_factory.mktemp("guarded") / "site.duckdb"
    con = database.connect(path)
    programme.build(con)
    room = new_webinar(con, "Зал без регистрации", datetime.now(UTC), 90)  # audience 0: its ceiling is the floor
    con.close()
    proc, url = serve(path, GUARDED)
    start_webinar(url, "live-g", "Вебинар с аудиторией", ("one@example.org", "two@example.org"))  # ceiling 4
    yield url, proc, path, room
    stop(proc)


def current_code(webinar: str) -> str:
    from dashboard.live.checkin_limits import current_code

    return current_code(CODE_SECRET.encode(), webinar, time.time(), 5)[0]


def wrong_codes(webinar: str):
    """Codes that are none of the webinar's now, before or next (whatever the clock does meanwhile)."""
    from dashboard.live.checkin_limits import code

    period = int(time.time() // 300)
    accepted = {code(CODE_SECRET.encode(), webinar, p) for p in (period - 1, period, period + 1)}
    return (f"{n:04d}" for n in range(10_000) if f"{n:04d}" not in accepted)


def check_in(url, webinar, source, code=None, lang="en", country="KZ"):
    """A new browser session loads the form and submits it: (status, text) of the submission."""
    query = f"/checkin?event={webinar}" + ("&lang=en" if lang == "en" else "")
    status, headers, html = request(url, "GET", query, source=source)
    assert status == 200 and 'name="code"' in html
    session = session_of(headers)
    form = {"session": session, "country": country, "role": "student", "code": code or current_code(webinar)}
    status, _, html = request(url, "POST", query, form, session, source)
    return status, html


def test_one_client_cannot_exceed_the_ceiling(guarded):
    url, _, _, room = guarded
    answers = [check_in(url, "live-g", "127.0.3.1") for _ in range(6)]
    assert [status for status, _ in answers] == [303] * 4 + [403] * 2  # ceiling max(3, 2 × 2 persons) = 4
    assert "Check-in to “Вебинар с аудиторией” is full" in answers[-1][1]
    # another address changes nothing: the ceiling is the webinar's, whoever sends
    assert check_in(url, "live-g", "127.0.3.2")[0] == 403
    assert len(stored_checkins(guarded, "live-g")) == 4
    # a room with no audience known otherwise takes the floor, 3
    assert [check_in(url, room, "127.0.3.3")[0] for _ in range(4)] == [303, 303, 303, 403]
    assert len(stored_checkins(guarded, room)) == 3


def test_refused_check_ins_are_not_in_reach(guarded):
    from dashboard import queries, reach
    from dashboard.filters import ALL

    url, _, path, _ = guarded
    check_in(url, "live-g", "127.0.3.4")  # refused, or the 4th: the ceiling holds either way
    con = database.connect(copy_of(path))  # a copy the facts update brings up to date
    figures = reach.live_figures(con, "live-g", queries.run(con, "countries", ALL), queries.run(con, "roles", ALL))
    con.close()
    assert (figures.joined_total, figures.connected_now) == (2 + 4, 2 + 4)  # the 2 live joins and 4 check-ins


def test_page_loads_are_limited_per_address_with_retry_after(guarded):
    url = guarded[0]
    answers = [request(url, "GET", "/checkin?event=live-g&lang=en", source="127.0.3.5") for _ in range(BURST + 3)]
    statuses = [status for status, _, _ in answers]
    assert statuses[:BURST] == [200] * BURST and 429 in statuses  # (one a second comes back meanwhile)
    status, headers, html = answers[statuses.index(429)]
    assert headers["retry-after"] == "1"  # one more every 60 / 60 = 1 s
    assert "Please try again in 1 s." in html and "set-cookie" not in headers
    assert request(url, "GET", "/checkin?event=live-g", source="127.0.3.6")[0] == 200  # another address


def test_a_client_hammering_the_page_is_refused_at_once(guarded):
    url = guarded[0]
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30, source_address=("127.0.3.7", 0))
    statuses, started = [], time.monotonic()
    for _ in range(200):  # one keep-alive connection, as fast as the server answers
        connection.request("GET", "/checkin?event=live-g")
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    elapsed = time.monotonic() - started
    connection.close()
    assert statuses[:BURST] == [200] * BURST
    assert statuses.count(200) <= BURST + elapsed * PAGE_LIMIT / 60 + 1  # then one a second, no more
    assert set(statuses) == {200, 429}


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en", "Code: type the 4 digits shown on the screen now."),
     ("ru", "Код: введите 4 цифры, которые сейчас показаны на экране.")],
)  # fmt: skip
def test_with_the_code_required_a_wrong_code_is_refused_and_the_right_one_accepted(guarded, lang, message):
    url, webinar, source = guarded[0], f"live-code-{lang}", f"127.0.3.{8 if lang == 'en' else 9}"
    start_webinar(url, webinar, "Код", ("k1@example.org",))
    status, html = check_in(url, webinar, source, code=next(wrong_codes(webinar)), lang=lang)
    assert status == 400 and f'<p class="error" role="alert">{message}</p>' in html
    assert 'name="code"' in html  # the form again, to correct
    assert stored_checkins(guarded, webinar) == []
    assert check_in(url, webinar, source, code=current_code(webinar), lang=lang)[0] == 303
    assert len(stored_checkins(guarded, webinar)) == 1


def test_guessing_the_code_from_one_address_is_cut_short(guarded):
    url = guarded[0]
    start_webinar(url, "live-guess", "Угадай код", ("g1@example.org",))
    shown, wrong = current_code("live-guess"), wrong_codes("live-guess")
    guesses = [next(wrong) for _ in range(6)]  # REACH_CHECKIN_LIMIT 30 / 5 = 6 a minute
    assert [check_in(url, "live-guess", "127.0.3.13", code=g)[0] for g in guesses] == [400] * 6
    status, html = check_in(url, "live-guess", "127.0.3.13", code=shown)  # right, but no longer heard
    assert status == 429 and "Please try again in" in html
    assert check_in(url, "live-guess", "127.0.3.14", code=shown)[0] == 303  # another address is


TRIES = BURST + 8


def page_loads_until_refused(url, source, forwarded_for, tries=TRIES):
    """How many page loads from `source`, each naming a client in X-Forwarded-For (a function
    of the attempt's number), pass before a 429 (`tries`: none was refused)."""
    for n in range(tries):
        extra = {"X-Forwarded-For": forwarded_for(n)}
        if request(url, "GET", "/checkin?event=live-g", source=source, headers=extra)[0] == 429:
            return n
    return tries


def one_client(passed: int) -> bool:
    """Whether the page loads that passed are one client's: its burst, and the one a second that
    came back meanwhile."""
    return BURST <= passed <= BURST + 2


def test_an_untrusted_peers_forwarded_for_is_ignored(guarded):
    # 127.0.3.11 is no trusted proxy: every client it invents is the one address
    assert one_client(page_loads_until_refused(guarded[0], "127.0.3.11", lambda n: f"198.51.100.{n}"))


def test_a_trusted_proxy_over_ipv4_loopback_names_the_client(guarded):
    # 127.0.0.10 is trusted, though the server sees it as ::ffff:127.0.0.10 (its socket is dual-stack)
    url = guarded[0]
    assert one_client(page_loads_until_refused(url, "127.0.0.10", lambda n: "203.0.113.1"))
    assert page_loads_until_refused(url, "127.0.0.10", lambda n: "203.0.113.2", tries=1) == 1  # another phone
    assert page_loads_until_refused(url, "127.0.0.10", lambda n: f"203.0.113.{100 + n}") == TRIES  # all different


def test_a_chain_of_trusted_proxies_names_the_right_most_untrusted_address(guarded):
    url = guarded[0]
    # the client invents the left-most entry each time; 203.0.113.9 is what the first trusted proxy saw
    assert one_client(page_loads_until_refused(url, "127.0.2.5", lambda n: f"192.0.2.{n}, 203.0.113.9, 127.0.2.1"))
    assert page_loads_until_refused(url, "127.0.2.5", lambda n: "192.0.2.1, 203.0.113.10, 127.0.2.1", tries=1) == 1


def test_a_trusted_proxy_over_ipv6(guarded):
    assert one_client(page_loads_until_refused(guarded[0], "::1", lambda n: "2001:db8:5::1"))
    assert page_loads_until_refused(guarded[0], "::1", lambda n: "2001:db8:6::1", tries=1) == 1  # another /64


def cookie_flags(url, source, headers, webinar="live-g"):
    status, response, _ = request(url, "GET", f"/checkin?event={webinar}", source=source, headers=headers)
    assert status == 200
    cookie = SimpleCookie(response["set-cookie"])["reach_checkin"]
    return bool(cookie["secure"]), bool(cookie["httponly"]), cookie["samesite"]


def test_the_cookie_is_secure_when_a_trusted_proxy_says_https(guarded):
    url = guarded[0]
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.50"}
    assert cookie_flags(url, "127.0.0.10", https) == (True, True, "lax")
    assert cookie_flags(url, "127.0.3.12", https) == (False, True, "lax")  # not a trusted proxy: not heard
    assert cookie_flags(url, "127.0.0.10", {"X-Forwarded-For": "203.0.113.51"}) == (False, True, "lax")


def test_uvicorn_does_not_believe_loopback_by_itself(site):
    """uvicorn would believe X-Forwarded-* from ::1 and 127.0.0.1; with no trusted proxy set,
    nothing a client on ::1 writes changes its address or the scheme (dashboard/server.py)."""
    url = site[0]
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.60"}
    assert cookie_flags(url, "::1", https, "live-c")[0] is False
    form = {"session": "x" * 20, "country": "XX", "role": "student"}
    invented = [{"X-Forwarded-For": f"192.0.2.{n}"} for n in range(LIMIT + 1)]
    statuses = [request(url, "POST", "/checkin?event=live-c", form, "x" * 20, "::1", headers=h)[0] for h in invented]
    assert statuses == [400] * LIMIT + [429]  # one address, whatever it claims
