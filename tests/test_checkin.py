"""Audience check-in: the rules (window, choices, rate limit, one per session) and the page."""

import json
import time
from datetime import UTC, datetime

import pytest

from dashboard import database, queries
from dashboard.filters import ALL
from dashboard.live.checkin import checkin_event
from dashboard.live.checkin_limits import (
    RateLimiter,
    Refusals,
    ceiling,
    code,
    code_accepted,
    current_code,
    refused_text,
    retry_after,
)
from dashboard.live.checkin_page import (
    CONTENT_SECURITY_POLICY,
    checkin_base,
    checkin_url,
    form_page,
    is_local,
    message_page,
    page_link,
    qr_svg,
)
from dashboard.live.events import parse_batch
from dashboard.live.store import store
from tests.programme import PERSONS


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_rate_limit_is_a_bucket_per_address():
    clock = Clock()
    limiter = RateLimiter(3, clock=clock)  # 3 at once, refilled at 3 a minute: one every 20 s
    waits = []
    for moment in (0, 0, 0, 0, 5, 20, 20):
        clock.now = moment
        waits.append(limiter.wait("10.0.0.1"))
    assert waits == [0, 0, 0, 20, 15, 0, 20]  # the 4th waits a whole refill; at 20 s one is back
    assert limiter.wait("10.0.0.2") == 0  # another address has its own bucket
    clock.now = 1000
    assert [limiter.wait("10.0.0.1") for _ in range(4)] == [0, 0, 0, 20]  # full again, never fuller


def test_a_refused_attempt_does_not_push_the_next_one_further():
    clock = Clock()
    limiter = RateLimiter(60, clock=clock)  # one a second
    for _ in range(60):
        limiter.wait("a")
    assert [limiter.wait("a") for _ in range(100)] == [1.0] * 100  # hammering costs nothing more
    clock.now = 1
    assert limiter.wait("a") == 0


def test_page_loads_come_a_fifth_of_a_minute_at_once():
    clock = Clock()
    limiter = RateLimiter(60, burst=12, clock=clock)  # the page limit's shape: 12 at once, then one a second
    assert [limiter.wait("a") for _ in range(13)] == [0] * 12 + [1.0]
    clock.now = 5
    assert [limiter.wait("a") for _ in range(6)] == [0] * 5 + [1.0]
    clock.now = 600
    assert sum(limiter.wait("a") == 0 for _ in range(100)) == 12  # never more than the burst at once


def test_asking_whether_an_address_must_wait_spends_nothing():
    limiter = RateLimiter(2, clock=Clock())
    assert [limiter.waiting("a") for _ in range(5)] == [0] * 5
    assert [limiter.wait("a") for _ in range(2)] == [0, 0]
    assert (limiter.waiting("a"), limiter.waiting("b")) == (30, 0)


def test_rate_limit_forgets_the_least_recently_seen_addresses():
    limiter = RateLimiter(1, clock=Clock(), max_addresses=2)
    assert [limiter.wait(a) for a in ("a", "b", "a", "c")] == [0, 0, 60, 0]
    assert limiter.wait("b") == 0  # forgotten when c came: the memory stays bounded
    assert limiter.wait("a") == 0  # forgotten when b came back


@pytest.mark.parametrize(("wait", "header"), [(0.01, 1), (1.0, 1), (1.2, 2), (59.5, 60)])
def test_retry_after_is_whole_seconds_never_zero(wait, header):
    assert retry_after(wait) == header


@pytest.mark.parametrize(
    ("audience", "floor", "factor", "expected"),
    [(0, 50, 2, 50), (25, 50, 2, 50), (26, 50, 2, 52), (300, 50, 2, 600), (7, 0, 1.5, 10), (40, 10, 0, 10)],
)
def test_the_ceiling_is_the_floor_or_the_audience_times_the_factor(audience, floor, factor, expected):
    assert ceiling(audience, floor, factor) == expected


def test_the_audience_a_ceiling_counts_leaves_out_check_ins_rehearsals_and_staff(tiny):
    # w1: registrants Ann and Bob, audience Ann and Maria (the host is staff) -> 3 persons
    # w2: registrants Ann, Bob, Cara, the same three attended -> 3;  w3: Eve registered, Dan attended -> 2
    def room():
        return {k: queries.run(tiny, "checkin_room", ALL, event=k).iloc[0].to_dict() for k in ("w1", "w2", "w3", "x")}

    assert room() == {
        "w1": {"audience_persons": 3, "checkins": 0},
        "w2": {"audience_persons": 3, "checkins": 0},
        "w3": {"audience_persons": 2, "checkins": 0},
        "x": {"audience_persons": 0, "checkins": 0},
    }
    at = datetime(2026, 10, 1, 6, 20, tzinfo=UTC)
    joins = parse_batch(json.dumps({"events": [
        {"id": "j1", "event": "w1", "type": "join", "at": "2026-10-01T06:20:00Z", "email": "new@x.org"},
        {"id": "j2", "event": "w1", "type": "join", "at": "2026-10-01T06:21:00Z", "email": "ann@x.org"},
    ]}).encode())  # fmt: skip
    store(tiny, joins + [checkin_event("w1", "session-cccccccccccc", "KZ", "student", at),
                         checkin_event("w1", "session-dddddddddddd", "RU", "other", at)])  # fmt: skip
    rehearsal = parse_batch(json.dumps({"rehearsal": True, "events": [
        {"id": "r1", "event": "w4", "event_title": "Rehearsal", "type": "join", "at": "2026-10-01T06:20:00Z",
         "email": "rehearsal@x.org"}]}).encode())  # fmt: skip
    store(tiny, rehearsal)
    assert room()["w1"] == {"audience_persons": 4, "checkins": 2}  # + new@x.org; Ann was counted already
    assert queries.run(tiny, "checkin_room", ALL, event="w4").iloc[0].to_dict() == {
        "audience_persons": 0, "checkins": 0}  # fmt: skip


SECRET = b"test-secret"


def test_the_code_is_four_digits_per_webinar_and_period():
    # known answers, pinned: HMAC-SHA256 of "checkin-code:<webinar>:<period>", first 8 bytes mod 10,000
    assert [code(SECRET, "w1", p) for p in (0, 1, 2)] == ["7128", "9825", "7494"]
    assert code(SECRET, "w2", 0) == "4717"
    assert code(b"another", "w1", 0) != "7128"
    # 1,000,000,000 s is period 3,333,333 of 300 s, 100 s into it: 200 s left
    assert current_code(SECRET, "w1", 1_000_000_000.0, 5) == ("0431", 200)


@pytest.mark.parametrize(
    ("given", "now", "accepted"),
    [
        ("7494", 600.0, True),  # period 2, the code shown now
        ("7494", 899.9, True),
        ("9825", 600.0, True),  # the one before: read just before it changed
        ("7128", 600.0, False),  # two periods old
        ("7494", 900.0, True),  # now the one before
        ("7494", 1200.0, False),
        (" 74 94 ", 600.0, True),  # spaces typed on a phone
        ("749", 600.0, False),
        ("74945", 600.0, False),
        ("", 600.0, False),
        (None, 600.0, False),
        ("٧٤٩٤", 600.0, False),  # Arabic-Indic digits are not the digits shown
    ],
)
def test_the_code_accepted_is_the_one_shown_or_the_one_before(given, now, accepted):
    assert code_accepted(given, SECRET, "w1", now, 5) is accepted
    assert code_accepted(given, SECRET, "w2", now, 5) is False  # another webinar's code differs


def test_refusals_are_counted_per_webinar_and_reason_in_bounded_memory():
    refusals = Refusals(max_webinars=2)
    for key, reason in [("w1", "ceiling"), ("w1", "ceiling"), ("w1", "code"), ("w2", "rate")]:
        refusals.count(key, reason)
    assert refusals.of("w1") == {"ceiling": 2, "rate": 0, "code": 1}
    assert refusals.of("w2") == {"ceiling": 0, "rate": 1, "code": 0}
    refusals.count("made-up-key", "rate")  # a refused form may name any webinar: the oldest is forgotten
    assert refusals.of("w1") == {"ceiling": 0, "rate": 0, "code": 0}
    assert refusals.of("w2") == {"ceiling": 0, "rate": 1, "code": 0}


def test_the_live_views_status_line_of_refused_check_ins():
    assert refused_text({"ceiling": 0, "rate": 0, "code": 0}, "en") is None
    english = "Check-ins refused: 12 (webinar limit: 10, wrong code: 2)"
    assert refused_text({"ceiling": 10, "rate": 0, "code": 2}, "en") == english
    russian = "Отметок отклонено: 3 (слишком часто с одного адреса: 3)"
    assert refused_text({"ceiling": 0, "rate": 3, "code": 0}, "ru") == russian


@pytest.mark.parametrize(
    ("event", "now", "expected"),
    [
        ("w1", "2026-10-01 04:59:59", ("w1", False)),  # opens 60 minutes before the 06:00 start
        ("w1", "2026-10-01 05:00:00", ("w1", True)),
        ("w1", "2026-10-01 07:29:59", ("w1", True)),  # planned 90 minutes
        ("w1", "2026-10-01 07:30:00", ("w1", False)),
        (None, "2026-10-08 05:30:00", ("w2", True)),  # not asked: the webinar open now
        (None, "2026-10-01 07:30:00", None),  # none open
        ("nope", "2026-10-01 06:00:00", None),
    ],
)
def test_which_webinar_a_check_in_goes_to(tiny, event, now, expected):
    found = queries.run(tiny, "checkin_webinar", ALL, event=event, now=now)
    rows = [(r.event_key, bool(r.is_open)) for r in found.itertuples()]
    assert rows == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("lang", "cis", "next_names"),
    [
        ("ru", ["AZ", "AM", "BY", "KZ", "KG", "MD", "RU", "TJ", "TM", "UZ"], ["Австралия", "Австрия"]),
        ("en", ["AM", "AZ", "BY", "KZ", "KG", "MD", "RU", "TJ", "TM", "UZ"], ["Afghanistan", "Åland Islands"]),
    ],
)
def test_check_in_offers_every_country_cis_states_first(tiny, lang, cis, next_names):
    countries = queries.run(tiny, "checkin_countries", ALL, lang=lang)
    assert len(countries) == 249  # ISO 3166-1
    assert list(countries["iso2"][:10]) == cis
    assert list(countries["is_cis"][:11]) == [True] * 10 + [False]
    assert list(countries["name"][10:12]) == next_names
    assert {"GE", "UA"} <= set(countries["iso2"][10:])  # former members are among the others


def test_a_check_in_is_a_join_by_an_anonymous_person(tiny):
    at = datetime(2026, 10, 1, 6, 20, 30, 999, tzinfo=UTC)
    first = checkin_event("w1", "session-aaaaaaaaaaaa", "TJ", "official", at)
    assert store(tiny, [first]) == (1, 0)
    assert store(tiny, [checkin_event("w1", "session-aaaaaaaaaaaa", "KZ", "student", at)]) == (0, 1)  # once
    person = tiny.execute(
        "select p.identity_key, p.display_name, p.email, l.type, l.occurred_at, l.country, l.role"
        " from live_events l join participants p using (person_id) where l.id = 'checkin:w1:session-aaaaaaaaaaaa'"
    ).fetchall()
    assert person == [("checkin:session-aaaaaaaaaaaa", None, None, "join", datetime(2026, 10, 1, 6, 20, 30),
                       "TJ", "official")]  # fmt: skip
    status = queries.run(tiny, "live_status", ALL, event="w1")
    assert (int(status["connected_now"][0]), bool(status["has_rehearsal"][0])) == (1, False)


def test_links_and_addresses():
    assert page_link(None, "ru") == "/checkin"
    assert page_link("perm 7", "en") == "/checkin?event=perm+7&lang=en"
    assert (
        checkin_url("http://10.0.0.5:8501/live?event=x", "perm-7", "ru") == "http://10.0.0.5:8501/checkin?event=perm-7"
    )
    assert (
        checkin_url("https://reach.example.org/live", "a&b", "en")
        == "https://reach.example.org/checkin?event=a%26b&lang=en"
    )
    # only a scheme, a host and a port are taken from the page's address
    assert checkin_url("http://evil<b>/live", "k", "ru") == "http://localhost/checkin?event=k"
    assert checkin_url("javascript:alert(1)", "k", "ru") == "http://localhost/checkin?event=k"
    assert checkin_url("https://[::1]:8501/live", "k", "ru") == "https://[::1]:8501/checkin?event=k"
    assert [is_local(u) for u in ("http://localhost:8501/live", "http://127.0.0.1/", "http://192.168.0.9:8501/")] == [
        True, True, False,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("page", "public", "network", "expected"),
    [
        ("http://localhost:8501/live", "https://reach.example.org", "192.168.1.20", "https://reach.example.org"),
        ("http://192.168.1.20:8501/live", None, "192.168.1.20", "http://192.168.1.20:8501/live"),
        (
            "http://localhost:8501/live",
            None,
            "192.168.1.20",
            "http://192.168.1.20:8501",
        ),  # phones cannot open localhost
        ("http://127.0.0.1/live", None, "10.0.0.7", "http://10.0.0.7"),
        ("http://localhost:8501/live", None, None, "http://localhost:8501/live"),  # no network: the view warns
        (None, None, "10.0.0.7", "http://10.0.0.7:8501"),  # no page address known: the default port
    ],
)
def test_which_address_the_qr_code_carries(page, public, network, expected):
    assert checkin_base(page, public, network) == expected


def test_qr_code_is_a_self_contained_svg():
    svg = qr_svg("http://10.0.0.5:8501/checkin?event=perm-7")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing to fetch


@pytest.fixture
def choices(tiny):
    countries = queries.run(tiny, "checkin_countries", ALL, lang="ru")
    roles = queries.run(tiny, "roles", ALL)
    return countries, roles[roles["code"] != "unknown"]


def test_form_page_escapes_the_title_and_keeps_choices_on_an_error(choices):
    webinar = {"event_key": "w<1>", "title": "<script>alert(1)</script>"}
    html = form_page("ru", webinar, "s" * 20, *choices, error="Страна: выберите страну из списка.",
                     chosen={"country": "KG", "role": "student"})  # fmt: skip
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'action="/checkin?event=w%3C1%3E"' in html
    assert '<option value="KG" selected>Кыргызстан</option>' in html
    assert 'value="student" required checked>Студенты и аспиранты' in html
    assert '<p class="error" role="alert">Страна: выберите страну из списка.</p>' in html
    assert html.count('type="radio"') == 6  # every role but "not stated"
    assert "src=" not in html and "<script" not in html and "http" not in html  # nothing loaded, no script


def test_form_page_holds_no_personal_data(choices):
    html = form_page("en", {"event_key": "w1", "title": "Webinar one"}, "s" * 20, *choices)
    for _, email, name in PERSONS:
        assert (email or "@@") not in html and (name or "@@") not in html
    assert "@" not in html


def test_message_page_offers_the_form_again_after_an_error():
    html = message_page("en", "w1", None, "Please try again in 12 s.", "error")
    assert '<a href="/checkin?event=w1&amp;lang=en">Open the form again</a>' in html
    assert '<a class="lang" href="/checkin?event=w1">Русский</a>' in html


def test_a_database_refusal_is_a_retry_message_and_logs_no_personal_data(monkeypatch, caplog, tiny):
    import duckdb

    from dashboard.live import api

    def refuse(*args, **kwargs):
        raise duckdb.ConstraintException('Duplicate key "identity_key: email:ann@x.org" violates primary key')

    owner = database.Database(None, con=tiny)
    monkeypatch.setattr(api, "owner", lambda: owner)
    monkeypatch.setattr(api, "store", refuse)
    with pytest.raises(api.NotStored):
        api.store_events([checkin_event("w1", "session-bbbbbbbbbbbb", "KZ", "student", datetime.now(UTC))])
    assert "ConstraintException" in caplog.text and "ann@x.org" not in caplog.text


def test_a_check_in_the_database_refused_shows_the_form_again(monkeypatch, tiny):
    from dashboard.live import api, checkin

    def refuse(events):
        raise api.NotStored()

    owner = database.Database(None, con=tiny)
    monkeypatch.setattr(api, "owner", lambda: owner)
    monkeypatch.setattr(api, "store_events", refuse)
    monkeypatch.setattr(checkin, "_now", lambda: datetime(2026, 10, 1, 6, 30, tzinfo=UTC))  # w1 is open
    response = checkin._submit("en", "w1", "s" * 20, {"session": "s" * 20, "country": "KZ", "role": "student"})
    html = response.body.decode()
    assert response.status_code == 503
    assert "Your check-in could not be saved and nothing was written. Please send the form again." in html
    assert '<option value="KZ" selected>Kazakhstan</option>' in html


def test_a_check_in_in_the_window_is_stored_and_answered_with_the_thanks_page(monkeypatch, tiny):
    from dashboard.live import api, checkin

    owner = database.Database(None, con=tiny)
    monkeypatch.setattr(api, "owner", lambda: owner)
    monkeypatch.setattr(checkin, "_now", lambda: datetime(2026, 10, 1, 6, 30, 15, tzinfo=UTC))
    response = checkin._submit("ru", "w1", "s" * 20, {"session": "s" * 20, "country": "KZ", "role": "student"})
    assert (response.status_code, response.headers["location"]) == (303, "/checkin?event=w1")
    assert tiny.execute("select id, occurred_at::varchar, country, role from live_events").fetchall() == [
        ("checkin:w1:" + "s" * 20, "2026-10-01 06:30:15", "KZ", "student")
    ]
    owner.facts_update.wait(30)


def checkin_app():
    from starlette.applications import Starlette

    from dashboard.live import checkin

    return Starlette(routes=checkin.routes())


def test_a_client_over_the_page_limit_is_answered_before_the_database(monkeypatch):
    from dashboard.live import api, checkin
    from tests.asgi import call

    def no_database():
        raise AssertionError("the database was asked")

    monkeypatch.setattr(api, "owner", no_database)
    monkeypatch.setattr(checkin, "page_limiter", RateLimiter(1, clock=Clock()))
    checkin.page_limiter.wait("10.1.2.3")  # its one page load is spent
    answer = call(checkin_app(), "GET", "/checkin?event=w1&lang=en", client=("::ffff:10.1.2.3", 4000))
    assert (answer.status, answer.headers["retry-after"]) == (429, "60")
    assert "Please try again in 60 s." in answer.body.decode()
    assert "set-cookie" not in answer.headers  # no session handed out either
    assert answer.headers["content-security-policy"].startswith("default-src 'none'")


def test_a_submission_over_the_rate_limit_is_refused_before_the_database_and_counted(monkeypatch):
    from dashboard.live import api, checkin
    from tests.asgi import call

    monkeypatch.setattr(api, "owner", lambda: (_ for _ in ()).throw(AssertionError("the database was asked")))
    monkeypatch.setattr(checkin, "limiter", RateLimiter(1, clock=Clock()))
    monkeypatch.setattr(checkin, "refusals", Refusals())
    client = ("2001:db8:1:2::17", 4000)
    checkin.limiter.wait("2001:db8:1:2::/64")  # the /64's one submission is spent
    answer = call(checkin_app(), "POST", "/checkin?event=w1", body=b"country=KZ", client=client)
    assert (answer.status, answer.headers["retry-after"]) == (429, "60")
    assert checkin.refusals.of("w1") == {"ceiling": 0, "rate": 1, "code": 0}


@pytest.fixture
def open_w1(monkeypatch, tiny):
    """The check-in handlers on the tiny programme at 06:30 UTC on 1 October (w1 open), with
    refusals counted afresh."""
    from dashboard.live import api, checkin

    owner = database.Database(None, con=tiny)
    monkeypatch.setattr(api, "owner", lambda: owner)
    monkeypatch.setattr(checkin, "_now", lambda: datetime(2026, 10, 1, 6, 30, 15, tzinfo=UTC))
    monkeypatch.setattr(checkin, "refusals", Refusals())
    yield checkin
    owner.facts_update.wait(30)


def submit(checkin, session: str, lang: str = "en", **fields):
    form = {"session": session, "country": "KZ", "role": "student", **fields}
    return checkin._submit(lang, "w1", session, form)


def test_the_ceiling_refuses_check_ins_past_it_and_counts_them(monkeypatch, open_w1, tiny):
    monkeypatch.setenv("REACH_CHECKIN_FLOOR", "2")
    monkeypatch.setenv("REACH_CHECKIN_FACTOR", "1")  # w1's audience is 3: its ceiling max(2, 3) = 3
    statuses = [submit(open_w1, f"session-{n:014d}").status_code for n in range(5)]
    assert statuses == [303, 303, 303, 403, 403]
    assert submit(open_w1, "session-00000000000000").status_code == 303  # already in: a duplicate, not refused
    full = submit(open_w1, "session-99999999999999")
    assert "Check-in to “Webinar one” is full" in full.body.decode() and "<form" not in full.body.decode()
    assert open_w1.refusals.of("w1") == {"ceiling": 3, "rate": 0, "code": 0}
    stored = tiny.execute("select count(*) from live_events where starts_with(id, 'checkin:w1:')").fetchall()
    assert stored == [(3,)]


def test_with_the_code_on_a_wrong_code_is_named_and_the_right_one_accepted(monkeypatch, open_w1, tiny):
    from dashboard.live import checkin_limits

    monkeypatch.setenv("REACH_CHECKIN_CODE", "on")
    monkeypatch.setenv("REACH_CHECKIN_SECRET", "test-secret")
    monkeypatch.setenv("REACH_CHECKIN_CODE_MINUTES", "5")
    now = datetime(2026, 10, 1, 6, 30, 15, tzinfo=UTC).timestamp()
    shown, _ = checkin_limits.current_code(SECRET, "w1", now, 5)
    wrong = f"{(int(shown) + 1) % 10_000:04d}"
    answer = submit(open_w1, "session-aaaaaaaaaaaaaa", code=wrong)
    html = answer.body.decode()
    assert answer.status_code == 400
    assert '<p class="error" role="alert">Code: type the 4 digits shown on the screen now.</p>' in html
    assert 'name="code"' in html and f'value="{wrong}"' in html  # the form again, to correct
    answer = submit(open_w1, "session-aaaaaaaaaaaaaa", "ru", country="XX")  # no code at all, and a bad country
    assert answer.status_code == 400
    assert "Код: введите 4 цифры, которые сейчас показаны на экране. Страна: выберите страну из списка." in (
        answer.body.decode()
    )
    assert open_w1.refusals.of("w1") == {"ceiling": 0, "rate": 0, "code": 2}
    assert tiny.execute("select count(*) from live_events").fetchall() == [(0,)]
    assert submit(open_w1, "session-aaaaaaaaaaaaaa", code=shown).status_code == 303
    assert tiny.execute("select count(*) from live_events").fetchall() == [(1,)]


def test_the_form_asks_for_the_code_only_when_it_is_on(choices):
    webinar = {"event_key": "w1", "title": "Webinar one"}
    assert 'name="code"' not in form_page("en", webinar, "s" * 20, *choices)
    html = form_page("en", webinar, "s" * 20, *choices, ask_code=True)
    assert (
        '<label for="code">Code on the screen (4 digits)</label><input class="code" id="code" name="code" '
        'inputmode="numeric" pattern="[0-9 ]{4,6}" maxlength="6" autocomplete="off" required value="">'
    ) in html


def test_the_page_policy_allows_exactly_its_own_style(choices):
    import base64
    import hashlib
    import re

    html = form_page("en", {"event_key": "w1", "title": "Webinar one"}, "s" * 20, *choices, ask_code=True)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(styles) == 1 and "<script" not in html and " style=" not in html  # one inline style, no other
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    assert CONTENT_SECURITY_POLICY == (
        f"default-src 'none'; style-src 'sha256-{digest}'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


def test_the_live_view_shows_the_code_and_the_refused_check_ins_never_counted(tmp_path, monkeypatch):
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from dashboard.live import checkin_limits

    path = tmp_path / "live.duckdb"
    con = database.connect(path)
    store(con, parse_batch(json.dumps({"events": [
        {"id": "1", "event": "live-r", "event_title": "Refusals", "type": "join", "at": "2026-10-01T11:00:00+05:00",
         "email": "one@example.org", "country": "KZ", "role": "CEO"},
    ]}).encode()))  # fmt: skip
    con.close()
    monkeypatch.setenv("REACH_DB", str(path))
    monkeypatch.setenv("REACH_CHECKIN_CODE", "on")
    monkeypatch.setenv("REACH_CHECKIN_SECRET", "test-secret")
    for reason in ("ceiling", "ceiling", "code"):
        checkin_limits.refusals.count("live-r", reason)
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=60)
    at.query_params.update({"lang": "en", "event": "live-r"})
    at.switch_page("views/live.py").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric} == {
        "Connected now": "1", "Joined so far": "1", "Countries": "1", "Peak concurrent": "1"}  # fmt: skip
    assert "Check-ins refused: 3 (webinar limit: 2, wrong code: 1)" in [c.value for c in at.caption]
    codes = {checkin_limits.current_code(SECRET, "live-r", time.time() - back, 5)[0] for back in (0, 5)}
    shown = [m.value for m in at.markdown if "Check-in code" in m.value]
    assert len(shown) == 1 and any(f">{c}</div>" in shown[0] for c in codes)


def test_an_address_out_of_wrong_codes_is_not_heard_even_with_the_right_one(monkeypatch, open_w1, tiny):
    from tests.asgi import call

    monkeypatch.setenv("REACH_CHECKIN_CODE", "on")
    monkeypatch.setenv("REACH_CHECKIN_SECRET", "test-secret")
    monkeypatch.setattr(open_w1, "wrong_codes", RateLimiter(2, clock=Clock()))  # two wrong codes a minute
    now = datetime(2026, 10, 1, 6, 30, 15, tzinfo=UTC).timestamp()
    shown, _ = current_code(SECRET, "w1", now, 5)
    session = "session-eeeeeeeeeeeeee"
    form = f"session={session}&country=KZ&role=student&code="
    answers = [
        call(checkin_app(), "POST", "/checkin?event=w1&lang=en", {"Cookie": f"reach_checkin={session}"},
             (form + code).encode(), client=("192.0.2.44", 1))
        for code in ("0000", "1111", shown)
    ]  # fmt: skip
    assert [a.status for a in answers] == [400, 400, 429]
    assert answers[2].headers["retry-after"] == "30"
    assert open_w1.refusals.of("w1") == {"ceiling": 0, "rate": 0, "code": 3}
    assert tiny.execute("select count(*) from live_events").fetchall() == [(0,)]


def test_the_audience_behind_the_ceiling_is_re_read_every_few_seconds_the_check_ins_always(monkeypatch, open_w1, tiny):
    """A room checking in at once costs one count of the audience, not one a submission (issue 12);
    the check-ins themselves are counted at every submission, so the ceiling is never passed."""
    monkeypatch.setenv("REACH_CHECKIN_FLOOR", "2")
    monkeypatch.setenv("REACH_CHECKIN_FACTOR", "1")  # w1's audience is 3: its ceiling max(2, 3) = 3
    counted = []
    run = queries.run
    monkeypatch.setattr(
        open_w1.queries, "run", lambda con, name, *a, **k: counted.append(name) or run(con, name, *a, **k)
    )
    assert submit(open_w1, "session-00000000000001").status_code == 303
    # two more people join w1 live: its audience is 5 now, but the ceiling read a moment ago holds
    joins = [{"id": f"j{n}", "event": "w1", "type": "join", "at": "2026-10-01T06:20:00Z", "email": f"p{n}@late.org"}
             for n in range(2)]  # fmt: skip
    store(tiny, parse_batch(json.dumps({"events": joins}).encode()))
    statuses = [submit(open_w1, f"session-0000000000001{n}").status_code for n in range(3)]
    assert statuses == [303, 303, 403]  # check-ins 2 and 3 pass; the 4th meets the old ceiling of 3
    assert counted.count("checkin_room") == 1 and counted.count("checkin_count") == 4
    monkeypatch.setattr(open_w1, "AUDIENCE_SECONDS", -1.0)  # the audience is read again: ceiling 5
    statuses = [submit(open_w1, f"session-0000000000002{n}").status_code for n in range(3)]
    assert statuses == [303, 303, 403]  # the 4th and 5th check-ins pass, the 6th is refused
