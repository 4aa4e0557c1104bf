"""The ingest API served by `reach serve`, over HTTP: every answer and error path."""

import json
import time
import urllib.error
import urllib.request

import pytest

from dashboard.live.signing import sign, zoom_signature
from tests.serving import free_port, serve, stop

SECRET = "test-secret"
ZOOM = "zoom-token"


@pytest.fixture
def api(tiny_db_file):
    proc, url = serve(tiny_db_file, {"REACH_INGEST_SECRET": SECRET, "REACH_ZOOM_SECRET_TOKEN": ZOOM})
    yield url
    stop(proc)


def call(url: str, path: str, body: bytes, headers: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url + path, data=body, method="POST", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def signed(body: bytes, secret: str = SECRET, at: int | None = None) -> dict:
    at = int(time.time()) if at is None else at
    return {"X-Reach-Timestamp": str(at), "X-Reach-Signature": sign(secret, at, body),
            "Content-Type": "application/json"}  # fmt: skip


def events(*items) -> bytes:
    return json.dumps({"events": list(items)}).encode()


JOIN = {"id": "j1", "event": "w1", "type": "join", "at": "2026-10-01T06:05:00Z", "email": "new@example.org",
        "country": "Армения", "role": "студент"}  # fmt: skip


def test_health(api):
    with urllib.request.urlopen(api + "/api/v1/health") as response:
        answer = json.loads(response.read())
    assert answer["disk_free_mb"] > 200  # the machine's, whatever it is
    assert {k: v for k, v in answer.items() if k != "disk_free_mb"} == {
        "status": "ok", "ingest": True, "zoom_webhook": True, "database": "writable", "facts_pending_persons": 0,
        "problems": []}  # fmt: skip


def test_a_signed_batch_is_stored_once(api):
    body = events(JOIN, {**JOIN, "id": "l1", "type": "leave", "at": "2026-10-01T06:35:00Z"})
    assert call(api, "/api/v1/events", body, signed(body)) == (200, {"accepted": 2, "duplicates": 0})
    assert call(api, "/api/v1/events", body, signed(body)) == (200, {"accepted": 0, "duplicates": 2})


@pytest.mark.parametrize(
    ("headers", "message"),
    [
        ({}, "missing"),
        ("forged", "wrong signature"),
        ("stale", "stale"),
    ],
)
def test_unsigned_forged_and_stale_requests_are_refused(api, headers, message):
    body = events(JOIN)
    if headers == "forged":
        headers = signed(body, secret="guess")
    elif headers == "stale":
        headers = signed(body, at=int(time.time()) - 600)
    status, answer = call(api, "/api/v1/events", body, headers)
    assert status == 401 and message in answer["error"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (b"{not json", "body"),
        (events({**JOIN, "type": "wave"}), "events[0].type"),
        (events({**JOIN, "at": "01.10.2026 11:00"}), "events[0].at"),
    ],
)
def test_malformed_batches_get_400_naming_the_field(api, body, field):
    status, answer = call(api, "/api/v1/events", body, signed(body))
    assert (status, answer["field"]) == (400, field)


def test_too_large_a_body_gets_413(api):
    body = b"x" * (1024 * 1024 + 10)
    status, answer = call(api, "/api/v1/events", body, signed(body))
    assert status == 413 and "larger than" in answer["error"]


def test_zoom_webhook(api):
    challenge = json.dumps({"event": "endpoint.url_validation", "payload": {"plainToken": "abc"}}).encode()
    at = str(int(time.time()))
    headers = {"x-zm-request-timestamp": at, "x-zm-signature": zoom_signature(ZOOM, at, challenge)}
    status, answer = call(api, "/api/v1/zoom/webhook", challenge, headers)
    assert status == 200 and answer["plainToken"] == "abc" and len(answer["encryptedToken"]) == 64
    participant = {"user_name": "Z", "participant_uuid": "p", "join_time": "2026-10-01T06:00:00Z"}
    notification = {"event": "webinar.participant_joined",
                    "payload": {"object": {"id": "123", "topic": "Zoom live", "participant": participant}}}  # fmt: skip
    joined = json.dumps(notification).encode()
    headers = {"x-zm-request-timestamp": at, "x-zm-signature": zoom_signature(ZOOM, at, joined)}
    assert call(api, "/api/v1/zoom/webhook", joined, headers) == (200, {"accepted": 1, "duplicates": 0})
    headers["x-zm-signature"] = "v0=forged"
    assert call(api, "/api/v1/zoom/webhook", joined, headers)[0] == 401


def test_without_a_secret_every_ingest_request_is_refused(tiny_db_file):
    proc, url = serve(tiny_db_file, {})
    try:
        body = events(JOIN)
        status, answer = call(url, "/api/v1/events", body, signed(body))
        assert status == 401 and "REACH_INGEST_SECRET" in answer["error"]
    finally:
        output = stop(proc)
    assert "set REACH_INGEST_SECRET" in output  # the server log says how


def test_the_secret_may_come_from_streamlit_secrets(tiny_db_file, tmp_path):
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(f'REACH_INGEST_SECRET = "{SECRET}"\n')
    proc, url = serve(tiny_db_file, {}, cwd=tmp_path)
    try:
        body = events(JOIN)
        assert call(url, "/api/v1/events", body, signed(body)) == (200, {"accepted": 1, "duplicates": 0})
        assert call(url, "/api/v1/events", body, signed(body, secret="other"))[0] == 401
    finally:
        stop(proc)


def test_rehearsal_sends_signed_batches_that_are_all_accepted(api):
    from dashboard.live.simulate import simulate

    totals = simulate(api, SECRET, "rehearsal-1", rate=400, duration=0.5, seed=3)
    assert (totals["sent"], totals["accepted"], totals["duplicates"]) == (200, 200, 0)


def test_rehearsal_events_are_realistic():
    import random

    from dashboard.live.events import parse_batch
    from dashboard.live.simulate import rehearsal_events

    items = list(rehearsal_events(random.Random(5), "r", 300, "run"))
    parsed = parse_batch(json.dumps({"events": items}).encode())  # every event passes validation
    kinds = [e.type for e in parsed]
    people = {e.identity_key for e in parsed}
    assert len(parsed) == 300 and kinds.count("leave") > 30 and len(people) < kinds.count("join")  # rejoins


def test_simulate_command_needs_the_secret_and_a_server(capsys, monkeypatch):
    from dashboard import cli

    monkeypatch.delenv("REACH_INGEST_SECRET", raising=False)
    assert cli.main(["live", "simulate", "--event", "r"]) == 2
    assert "REACH_INGEST_SECRET" in capsys.readouterr().err
    monkeypatch.setenv("REACH_INGEST_SECRET", "x")
    assert cli.main(["live", "simulate", "--event", "r", "--url", f"http://localhost:{free_port()}",
                     "--duration", "0.1"]) == 2  # fmt: skip
    assert "cannot send to" in capsys.readouterr().err


def test_concurrent_senders_every_acknowledged_event_stored_once(tiny_db_file):
    """4 senders × 1,000 events in batches of 20, half of the batches sent twice."""
    from concurrent.futures import ThreadPoolExecutor

    from dashboard import database

    proc, url = serve(tiny_db_file, {"REACH_INGEST_SECRET": SECRET})

    def sender(n: int) -> tuple[int, int]:
        accepted = duplicates = 0
        for b in range(50):
            items = [{"id": f"s{n}-{b}-{i}", "event": "concurrent", "type": "join" if i % 2 == 0 else "leave",
                      "at": f"2026-10-01T06:{b:02d}:{i:02d}Z", "email": f"p{n}-{i // 2}@example.org"}
                     for i in range(20)]  # fmt: skip
            body = events(*items)
            for _ in range(2 if b % 2 == 0 else 1):
                status, answer = call(url, "/api/v1/events", body, signed(body))
                assert status == 200, answer
                accepted, duplicates = accepted + answer["accepted"], duplicates + answer["duplicates"]
        return accepted, duplicates

    try:
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(sender, range(4)))
    finally:
        stop(proc)
    assert results == [(1000, 500)] * 4  # 25 of the 50 batches were sent twice
    con = database.connect(tiny_db_file, read_only=True)
    stored = con.execute("select count(*), count(distinct id) from live_events").fetchall()
    con.close()
    assert stored == [(4000, 4000)]


def test_nothing_acknowledged_is_lost_when_the_server_is_killed(tiny_db_file, capsys):
    import signal

    from dashboard import cli, database, queries, reach
    from dashboard.filters import Filters

    proc, url = serve(tiny_db_file, {"REACH_INGEST_SECRET": SECRET})
    body = events(*[{**JOIN, "id": f"k{i}", "email": f"k{i}@example.org"} for i in range(100)])
    assert call(url, "/api/v1/events", body, signed(body)) == (200, {"accepted": 100, "duplicates": 0})
    proc.send_signal(signal.SIGKILL)  # right after the acknowledgement
    proc.wait(10)
    # before any restart, the read-only report counts every acknowledged event (in memory if the
    # facts were behind): w1's audience is Ann and Maria (tests/programme.py) and the 100 joined live
    assert cli.main(["report", "--db", str(tiny_db_file), "--event", "w1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["participants"] == 102
    con = database.connect(tiny_db_file)  # recovers from the write-ahead log, rebuilds the figures if behind
    assert con.execute("select count(*) from live_events").fetchall() == [(100,)]
    assert not database.facts_are_stale(con)
    # w1's audience: Ann and Maria (tests/programme.py) and the 100 who joined live
    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    assert reach.report(con, Filters(events=("w1",)), countries, roles)["participants"] == 102
    con.close()
