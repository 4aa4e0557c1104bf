"""Live events: validation, signing, storage, and the background rebuild of the figures."""

import json
import time
from datetime import datetime

import pytest

from dashboard.live.events import BadRequest, TooLarge, parse_batch
from dashboard.live.signing import Unauthorized, sign, verify, verify_zoom, zoom_signature, zoom_url_validation

SECRET = "s3cret"
NOW = 1_790_000_000


def test_signature_round_trip_and_every_rejection():
    body = b'{"events": []}'
    good = sign(SECRET, NOW, body)
    # the documented construction, computed independently of sign()
    import hashlib
    import hmac

    assert good == "sha256=" + hmac.new(b"s3cret", b"1790000000." + body, hashlib.sha256).hexdigest()
    verify(SECRET, str(NOW), good, body, now=NOW + 299)
    cases = [
        ((None, str(NOW), good, body), "ingest is disabled"),
        ((SECRET, None, good, body), "missing"),
        ((SECRET, str(NOW), None, body), "missing"),
        ((SECRET, "yesterday", good, body), "unix seconds"),
        ((SECRET, str(NOW - 301), sign(SECRET, NOW - 301, body), body), "stale"),
        ((SECRET, str(NOW), good, body + b" "), "wrong signature"),
        ((SECRET, str(NOW), sign("other", NOW, body), body), "wrong signature"),
    ]
    for args, message in cases:
        with pytest.raises(Unauthorized, match=message):
            verify(*args, now=NOW)


def test_zoom_signature_and_url_validation():
    body = b'{"event":"webinar.participant_joined"}'
    signature = zoom_signature(SECRET, str(NOW), body)
    verify_zoom(SECRET, str(NOW), signature, body, now=NOW)
    with pytest.raises(Unauthorized, match="wrong signature"):
        verify_zoom(SECRET, str(NOW), signature.replace("v0=", "v0=0"), body, now=NOW)
    with pytest.raises(Unauthorized, match="disabled"):
        verify_zoom(None, str(NOW), signature, body, now=NOW)
    import hashlib
    import hmac

    assert zoom_url_validation(SECRET, "abc") == {
        "plainToken": "abc",
        "encryptedToken": hmac.new(b"s3cret", b"abc", hashlib.sha256).hexdigest(),
    }


def batch(*events) -> bytes:
    return json.dumps({"events": list(events)}).encode()


EVENT = {
    "id": "e1",
    "event": "clusters-01-1",
    "type": "join",
    "at": "2026-10-01T11:00:00+05:00",
    "email": " Anna@Example.RU ",
    "country": "Киргизия",
    "role": "аспирант",
}


def test_a_valid_batch():
    events = parse_batch(batch(EVENT, {**EVENT, "id": "e2", "type": "leave", "at": "2026-10-01T06:30:00Z"}, EVENT))
    assert [(e.id, e.type, e.at, e.identity_key, e.country, e.role) for e in events] == [
        ("e1", "join", datetime(2026, 10, 1, 6, 0), "email:anna@example.ru", "KG", "student"),
        ("e2", "leave", datetime(2026, 10, 1, 6, 30), "email:anna@example.ru", "KG", "student"),
    ]  # the repeated id e1 is one event


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"not json", "body"),
        (b"[]", "events"),
        (b'{"events": {}}', "events"),
        (batch({**EVENT, "type": "wave"}), "events[0].type"),
        (batch({**EVENT, "at": "2026-10-01 11:00"}), "events[0].at"),
        (batch({**EVENT, "at": "yesterday"}), "events[0].at"),
        (batch({k: v for k, v in EVENT.items() if k != "id"}), "events[0].id"),
        (batch({**EVENT, "email": "not-an-email", "name": None}), "events[0]"),
        (batch(EVENT, "oops"), "events[1]"),
        (batch({**EVENT, "event": 42}), "events[0].event"),
        (batch({**EVENT, "name": "x" * 501}), "events[0].name"),
        (json.dumps({"events": [EVENT] * 1001}).encode(), "events"),
    ],
)
def test_bad_batches_name_the_field(body, field):
    with pytest.raises(BadRequest) as caught:
        parse_batch(body)
    assert caught.value.field == field
    assert caught.value.json()["error"].startswith(field + ": ")


def test_too_large_a_body():
    with pytest.raises(TooLarge):
        parse_batch(b" " * (1024 * 1024 + 1))


def test_zoom_webhook_notifications():
    from dashboard.live.events import zoom_webhook_event

    joined = {"event": "webinar.participant_joined", "payload": {"object": {
        "id": "901 234 5678", "topic": "Понятие кластера",
        "participant": {"user_name": "Анна", "email": "anna@example.ru", "participant_uuid": "u1",
                        "join_time": "2026-10-01T08:00:00Z"}}}}  # fmt: skip
    event = zoom_webhook_event(joined)
    assert (event.id, event.event_key, event.event_title, event.type, event.at, event.identity_key) == (
        "zoom:9012345678:u1:join:2026-10-01T08:00:00Z",
        "zoom-9012345678",
        "Понятие кластера",
        "join",
        datetime(2026, 10, 1, 8, 0),
        "email:anna@example.ru",
    )
    assert zoom_webhook_event({"event": "meeting.started", "payload": {}}) is None
    with pytest.raises(BadRequest, match="participant.leave_time"):
        zoom_webhook_event({**joined, "event": "webinar.participant_left"})
    with pytest.raises(BadRequest, match="body"):
        zoom_webhook_event(["not", "an", "object"])


def test_store_counts_each_id_once_and_feeds_the_figures():
    from dashboard import database, queries, reach
    from dashboard.filters import Filters
    from dashboard.live.store import store

    con = database.connect_memory()
    first = parse_batch(batch(
        {"id": "a1", "event": "live-1", "event_title": "Кластеры онлайн", "type": "join",
         "at": "2026-10-01T11:00:00+05:00", "email": "anna@example.ru", "country": "KZ", "role": "CEO"},
        {"id": "b1", "event": "live-1", "type": "join", "at": "2026-10-01T11:10:00+05:00", "name": "Гость",
         "country": "Марс"},
        {"id": "a2", "event": "live-1", "type": "leave", "at": "2026-10-01T11:30:00+05:00", "email": "anna@example.ru"},
    ))  # fmt: skip
    assert store(con, first) == (3, 0)
    assert store(con, first) == (0, 3)  # sent again: nothing changes
    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    got = reach.report(con, Filters(), countries, roles)
    # Anna 11:00-11:30 = 30 min; the guest has not left: to the planned end, start (11:00) + 90 min = 80 min
    assert {k: got[k] for k in ("participants", "minutes_total", "by_country", "by_role", "peak_concurrent")} == {
        "participants": 2,
        "minutes_total": 110.0,
        "by_country": {"KZ": 1, "unknown": 1},
        "by_role": {"executive": 1, "unknown": 1},
        "peak_concurrent": {"live-1": 2},
    }
    assert con.execute("select title, starts_at::varchar, platform from events").fetchall() == [
        ("Кластеры онлайн", "2026-10-01 06:00:00", "live")
    ]


def _participants(con) -> int:
    from dashboard import queries, reach
    from dashboard.filters import Filters

    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    return reach.report(con, Filters(), countries, roles)["participants"]


def _joins(*people: str) -> list:
    return parse_batch(batch(*[
        {"id": person, "event": "live-r", "type": "join", "at": "2026-10-01T11:00:00+05:00", "email": f"{person}@x.org"}
        for person in people
    ]))  # fmt: skip


def test_the_server_rebuilds_the_figures_in_the_background_once_per_burst():
    from dashboard import database
    from dashboard.facts_update import FactsUpdate
    from dashboard.live.store import store

    con = database.connect_memory()
    refresher = FactsUpdate(lambda: con)
    assert store(con, _joins("a", "b"), refresh=False) == (2, 0)
    assert database.facts_are_stale(con) and _participants(con) == 0  # committed, not yet counted
    refresher.request()
    assert refresher.wait(30) and refresher.rebuilds == 1
    assert not database.facts_are_stale(con) and _participants(con) == 2

    with database.facts_lock:  # as if a rebuild were in progress: batches commit, requests pile up
        for person in "cdefg":
            store(con, _joins(person), refresh=False)
            refresher.request()
        time.sleep(0.3)
    assert refresher.wait(30)
    assert refresher.rebuilds in (2, 3)  # five batches, at most two more rebuilds
    assert _participants(con) == 7


def test_figures_left_behind_by_a_stopped_server_are_rebuilt_on_the_next_open(tmp_path):
    from dashboard import database
    from dashboard.live.store import store

    path = tmp_path / "stopped.duckdb"
    con = database.connect(path)
    store(con, _joins("a", "b", "c"), refresh=False)  # committed; the server stopped before its rebuild
    con.close()
    con = database.connect(path)
    assert not database.facts_are_stale(con) and _participants(con) == 3
    con.close()


def test_a_webinar_started_from_the_live_view_gets_a_key_of_its_own_and_its_facts():
    from datetime import timedelta, timezone

    from dashboard import database
    from dashboard.live.webinars import WebinarProblem, new_webinar

    con = database.connect_memory()
    perm = timezone(timedelta(hours=5))
    start = datetime(2026, 11, 26, 15, 0, 30, tzinfo=perm)
    assert new_webinar(con, " Кластеры  в зале ", start, 90) == "live-20261126-1000"
    assert new_webinar(con, "Второй", start, 45) == "live-20261126-1000-2"
    assert new_webinar(con, "Третий", start, 45) == "live-20261126-1000-3"
    refused = [("", 90, "live_new_bad_title"), ("x" * 201, 90, "live_new_bad_title"),
               ("ok", 9, "live_new_bad_minutes"), ("ok", 601, "live_new_bad_minutes")]  # fmt: skip
    for title, minutes, problem in refused:
        with pytest.raises(WebinarProblem) as raised:
            new_webinar(con, title, start, minutes)
        assert raised.value.text == problem
    rows = con.execute("select event_key, title, starts_at::varchar, planned_minutes from events order by 1").fetchall()
    assert rows == [("live-20261126-1000", "Кластеры в зале", "2026-11-26 10:00:00", 90),
                    ("live-20261126-1000-2", "Второй", "2026-11-26 10:00:00", 45),
                    ("live-20261126-1000-3", "Третий", "2026-11-26 10:00:00", 45)]  # fmt: skip
    assert database.facts_are_stale(con)  # the background update rebuilds: slots moved
    with database.transaction(con, canonical=False):
        database.catch_up(con)
    assert con.execute("select event_key, slot from event_facts order by slot").fetchall() == [
        ("live-20261126-1000", 0), ("live-20261126-1000-2", 1), ("live-20261126-1000-3", 2)
    ]  # fmt: skip
    assert not database.facts_are_stale(con)


def _import_held_in_its_rebuild(monkeypatch, con):
    """An import of tests/fixtures/zoom_attendee_current.csv on a thread of its own, stopped at the
    start of its facts rebuild (its rows written, not committed) until `release` is set."""
    import threading
    from pathlib import Path

    from dashboard import database
    from dashboard.imports.loader import import_file

    rebuilding, release, result = threading.Event(), threading.Event(), {}
    rebuild = database.refresh

    def held(c):
        rebuilding.set()
        assert release.wait(30)
        rebuild(c)

    monkeypatch.setattr(database, "refresh", held)
    data = (Path(__file__).parent / "fixtures" / "zoom_attendee_current.csv").read_bytes()
    importer = threading.Thread(target=lambda: result.update(done=import_file(con.cursor(), data, "z.csv", zone="UTC")))
    importer.start()
    assert rebuilding.wait(30)
    return importer, release, result


def test_live_batches_are_committed_while_an_import_rebuilds_the_facts(monkeypatch, tmp_path):
    """Issue 12: an import does not hold live batches up; one sent during its rebuild is committed
    at once, and pages do not wait for the import either."""
    from dashboard import database
    from dashboard.live.store import store

    con = database.connect(tmp_path / "p.duckdb")
    owner = database.Database(None, con=con)
    importer, release, result = _import_held_in_its_rebuild(monkeypatch, con)
    started = time.perf_counter()
    assert store(con.cursor(), _joins("a", "b"), refresh=False) == (2, 0)
    assert time.perf_counter() - started < 1.0  # committed beside the import, not after it
    assert owner.bring_facts_up_to_date() is False  # the page reads the facts as they are
    release.set()
    importer.join(60)
    assert result["done"].status == "imported"
    # the import's five attendees (Anna twice, Erzhan, the guest, Olga, the viewer from "Марс";
    # Armen registered only) are counted; the live pair once the facts have caught up
    assert database.facts_are_stale(con) and _participants(con) == 5
    assert owner.bring_facts_up_to_date() is True
    assert _participants(con) == 7
    with database.transaction(con):  # and the caught-up facts are those of a whole rebuild
        caught_up = con.execute("select * from person_facts order by all").fetchall()
        database.refresh(con)
        assert con.execute("select * from person_facts order by all").fetchall() == caught_up
    con.close()


def test_a_person_new_to_both_an_import_and_a_live_batch_at_once_is_one_person(monkeypatch, tmp_path):
    """Anna is new to the programme in the import and in a live batch sent during its rebuild: the
    batch commits first, so the import's transaction conflicts at its commit; the import is then
    run once more (other writers held off to the end) and commits, with Anna one person."""
    from dashboard import database
    from dashboard.live.store import store

    con = database.connect(tmp_path / "p.duckdb")
    importer, release, result = _import_held_in_its_rebuild(monkeypatch, con)
    anna = parse_batch(batch({"id": "l1", "event": "live-r", "type": "join", "at": "2026-10-01T11:00:00+05:00",
                              "email": "anna@example.ru"}))  # fmt: skip
    assert store(con.cursor(), anna, refresh=False) == (1, 0)
    release.set()
    importer.join(60)
    assert (result["done"].status, result["done"].problems) == ("imported", [])
    persons = con.execute("select count(*) from participants where identity_key = 'email:anna@example.ru'")
    assert persons.fetchall() == [(1,)]
    assert con.execute("select count(*) from imports").fetchall() == [(1,)]
    assert database.Database(None, con=con).bring_facts_up_to_date() is True
    assert _participants(con) == 5  # the import's five attendees, Anna among them also live
    con.close()
