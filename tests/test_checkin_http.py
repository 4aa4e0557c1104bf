"""The check-in page served by `reach serve`, over HTTP: the form, one check-in per browser
session, validation, closed and unknown webinars, the rate limit per client address."""

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


def request(url, method, path, form=None, cookie=None, source="127.0.0.1", body=None):
    """(status, headers, text) of one request from the client address `source`."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30, source_address=(source, 0))
    headers = {"Cookie": f"reach_checkin={cookie}"} if cookie else {}
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


def start_webinar(url, key, title):
    """A webinar running now, created by a signed live event (of a person other than the audience)."""
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    event = {"id": f"{key}-host", "event": key, "event_title": title, "type": "join", "at": now,
             "email": "speaker@example.org", "country": "RU", "role": "executive"}  # fmt: skip
    body = json.dumps({"events": [event]}).encode()
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


def stored_checkins(site):
    """The check-ins in the database, read while the server runs through a copy of the file."""
    import shutil

    url, proc, path = site
    copy = path.with_name("copy.duckdb")
    shutil.copy(path, copy)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        shutil.copy(wal, copy.with_name(copy.name + ".wal"))
    con = database.connect(copy, read_only=True)
    rows = con.execute(
        "select id, country, role from live_events where id like 'checkin:%' order by id"
    ).fetchall()  # fmt: skip
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
    assert status == 429 and 55 <= int(headers["retry-after"]) <= 60
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
