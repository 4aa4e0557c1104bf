"""Audience check-in: the rules (window, choices, rate limit, one per session) and the page."""

from datetime import UTC, datetime

import pytest

from dashboard import database, queries
from dashboard.filters import ALL
from dashboard.live.checkin import RateLimiter, checkin_event
from dashboard.live.checkin_page import checkin_base, checkin_url, form_page, is_local, message_page, page_link, qr_svg
from dashboard.live.store import store
from tests.programme import PERSONS


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_rate_limit_is_a_sliding_window_per_address():
    clock = Clock()
    limiter = RateLimiter(3, window=60, clock=clock)
    waits = []
    for moment in (0, 1, 2, 3, 30):
        clock.now = moment
        waits.append(limiter.wait("10.0.0.1"))
    assert waits == [0, 0, 0, 57, 30]  # the 4th and 5th wait for the attempt at 0 to age out
    assert limiter.wait("10.0.0.2") == 0  # another address has its own window
    clock.now = 60
    assert limiter.wait("10.0.0.1") == 0  # the attempt at 0 is out of the window
    assert limiter.wait("10.0.0.1") == 1  # the one at 1 is not, for one more second


def test_rate_limit_forgets_the_least_recently_seen_addresses():
    limiter = RateLimiter(1, window=60, clock=Clock(), max_addresses=2)
    assert [limiter.wait(a) for a in ("a", "b", "a", "c")] == [0, 0, 60, 0]
    assert limiter.wait("b") == 0  # forgotten when c came: the memory stays bounded
    assert limiter.wait("a") == 0  # forgotten when b came back


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
