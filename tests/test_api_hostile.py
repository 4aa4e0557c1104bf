"""The ingest API under hostile and careless requests (issue 9): every malformed header, body and
value is answered 4xx — never a 5xx, never a traceback in the server's log."""

import json
import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import database
from dashboard.live.signing import sign, zoom_signature
from tests import programme
from tests.serving import serve, stop
from tests.test_api import SECRET, ZOOM, call, events, signed

JOIN = {"id": "j1", "event": "w1", "type": "join", "at": "2026-10-01T06:05:00Z", "email": "new@example.org"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    programme.build(database.connect(path)).close()
    proc, url = serve(path, {"REACH_INGEST_SECRET": SECRET, "REACH_ZOOM_SECRET_TOKEN": ZOOM})
    yield url
    log = stop(proc)
    assert "Traceback" not in log, log[-3000:]  # nothing reached the log as an unhandled error


def zoom_headers(body: bytes) -> dict:
    at = str(int(time.time()))
    return {"x-zm-request-timestamp": at, "x-zm-signature": zoom_signature(ZOOM, at, body)}


@pytest.mark.parametrize("stamp", ["²", "¹²³", "1" * 5000, "-5", "1e9", " 12", "", "0x10"])
def test_odd_timestamp_headers_are_401(server, stamp):
    body = events(JOIN)
    headers = {"X-Reach-Timestamp": stamp, "X-Reach-Signature": "sha256=00"}
    assert call(server, "/api/v1/events", body, headers)[0] == 401
    zoom = {"x-zm-request-timestamp": stamp, "x-zm-signature": "v0=00"}
    assert call(server, "/api/v1/zoom/webhook", b"{}", zoom)[0] == 401


@pytest.mark.parametrize(("item", "field"), [
    ({**JOIN, "at": "0001-01-01T00:00:00+05:00"}, "events[0].at"),
    ({**JOIN, "at": "9999-12-31T23:59:59-05:00"}, "events[0].at"),
    ({**JOIN, "at": "0001-01-02T00:00:00Z"}, "events[0].at"),  # year 1: no longer stretches the dates
    ({**JOIN, "at": "2026-10-01T06:05:00+24:00"}, "events[0].at"),
    ({**JOIN, "name": "Ан\ud800на", "email": None}, "events[0].name"),  # a lone surrogate
    ({**JOIN, "at": "2026-11-20T06:05:00Z"}, "events[id=j1].at"),  # seven weeks after w1
])  # fmt: skip
def test_bad_values_name_their_field(server, item, field):
    body = json.dumps({"events": [item]}).encode()  # json escapes the surrogate as \ud800
    status, answer = call(server, "/api/v1/events", body, signed(body))
    assert (status, answer["field"]) == (400, field)


def test_deeply_nested_json_is_400(server):
    body = b'{"events": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert call(server, "/api/v1/events", body, signed(body))[0] in (400, 413)
    body = b"[" * 50_000 + b"]" * 50_000
    assert call(server, "/api/v1/events", body, signed(body)) == (400, {"error": "body: is nested too deeply",
                                                                       "field": "body"})  # fmt: skip


ODD_PAYLOADS = ['"a string"', "[1, 2]", "null", '{"object": "x"}', '{"object": {"participant": 5}}']


@pytest.mark.parametrize("payload", ODD_PAYLOADS)
def test_zoom_payloads_of_the_wrong_shape_are_400(server, payload):
    body = ('{"event": "webinar.participant_joined", "payload": ' + payload + "}").encode()
    assert call(server, "/api/v1/zoom/webhook", body, zoom_headers(body))[0] == 400
    body = ('{"event": "endpoint.url_validation", "payload": ' + payload + "}").encode()
    assert call(server, "/api/v1/zoom/webhook", body, zoom_headers(body))[0] == 400


def test_two_zoom_guests_without_ids_joining_in_one_second_are_two_people(server):
    at = "2026-10-01T06:10:00Z"
    for name in ("Гость 1", "Гость 2"):
        body = json.dumps({"event": "webinar.participant_joined", "payload": {"object": {
            "id": "w1z", "topic": "Zoom guests", "participant": {"user_name": name, "join_time": at}}}}).encode()
        assert call(server, "/api/v1/zoom/webhook", body, zoom_headers(body)) == (200, {"accepted": 1, "duplicates": 0})


def test_new_webinars_are_capped_per_batch(server):
    body = events(*[{**JOIN, "id": f"n{i}", "event": f"flood-{i}", "at": time.strftime("%Y-%m-%dT%H:%M:%SZ",
                                                                                       time.gmtime())}
                    for i in range(6)])  # fmt: skip
    status, answer = call(server, "/api/v1/events", body, signed(body))
    assert (status, answer["error"]) == (429, "the batch would create 6 new webinars; at most 5 a batch")


texts = st.one_of(st.none(), st.text(max_size=30), st.integers(), st.floats(allow_nan=True), st.booleans(),
                  st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))
hostile_event = st.fixed_dictionaries({}, optional={
    "id": texts, "event": texts, "type": st.one_of(texts, st.sampled_from(["join", "leave"])),
    "at": st.one_of(texts, st.sampled_from(["2026-10-01T06:05:00Z", "0001-01-01T00:00:00+14:00",
                                            "9999-12-31T23:59:59-14:00", "2026-10-01", "2026-13-01T00:00:00Z"])),
    "email": texts, "name": texts, "country": texts, "role": texts, "event_title": texts,
})  # fmt: skip
hostile_body = st.one_of(
    st.binary(max_size=200),
    st.builds(lambda items, r: json.dumps({"events": items, "rehearsal": r}).encode(),
              st.lists(hostile_event, max_size=4), texts),
    st.builds(lambda d: json.dumps(d).encode(), st.recursive(texts, lambda c: st.lists(c) | st.dictionaries(
        st.text(max_size=4), c), max_leaves=10)),
)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          derandomize=bool(os.environ.get("CI")))  # fmt: skip
@given(body=hostile_body, route=st.sampled_from(["/api/v1/events", "/api/v1/zoom/webhook"]))
def test_fuzz_no_request_gets_a_5xx(server, body, route):
    headers = signed(body) if route == "/api/v1/events" else zoom_headers(body)
    status, answer = call(server, route, body, headers)
    assert status < 500 and isinstance(answer, dict), (status, answer)
    if status >= 400:
        assert isinstance(answer.get("error"), str) and "Traceback" not in answer["error"]


@pytest.fixture
def small_disk(tmp_path):
    """A 300 MB tmpfs (as root, where the machine allows mounting), unmounted afterwards."""
    folder = tmp_path / "disk"
    folder.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300m", "tmpfs", str(folder)],
                                           capture_output=True).returncode != 0:  # fmt: skip
        if os.environ.get("CI"):
            pytest.fail("CI runs as root and must be able to mount a small tmpfs for the full-disk test")
        pytest.skip("mounting a tmpfs needs root")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url + "/api/v1/health", timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as failing:
        return failing.code, json.loads(failing.read())


def test_health_tells_the_truth_about_a_filling_disk(small_disk):
    path = small_disk / "programme.duckdb"
    programme.build(database.connect(path)).close()
    proc, url = serve(path, {"REACH_INGEST_SECRET": SECRET})
    try:
        assert health(url)[0] == 200
        filler = small_disk / "filler"
        with filler.open("wb") as f:  # 150 MB of the 300: less than 200 MB left
            f.write(b"\0" * (150 * 1024 * 1024))
        status, answer = health(url)
        assert (status, answer["status"], answer["problems"]) == (503, "failing",
                                                                  ["less than 200 MB of disk left beside the database"])
        with filler.open("ab") as f:  # and now none at all
            try:
                f.write(b"\0" * (200 * 1024 * 1024))
            except OSError:
                pass
        status, answer = health(url)
        assert (status, answer["disk_free_mb"], answer["problems"]) == (
            503, 0, ["less than 200 MB of disk left beside the database"])  # fmt: skip
        body = events({**JOIN, "id": "full-1"})
        # DuckDB may still fit a small commit into blocks it holds; if not, the sender is told to
        # send again — never a 500
        assert call(url, "/api/v1/events", body, signed(body))[0] in (200, 503)
    finally:
        stop(proc)


def test_health_of_a_damaged_database_file(tmp_path, monkeypatch):
    from dashboard.live import api

    path = tmp_path / "damaged.duckdb"
    path.write_bytes(b"not a database " * 1000)
    monkeypatch.setattr(api, "owner", lambda: database.Database(path))
    ok, report = api.health_report()
    assert not ok and report["database"] == "unusable (DatabaseError)"
    assert report["problems"] == ["the database file cannot be used: see docs/deploy.md, restoring from a backup"]


def test_signatures_still_accept_a_good_batch(server):
    body = events({**JOIN, "id": "ok-1"})
    stamp = int(time.time())
    headers = {"X-Reach-Timestamp": str(stamp), "X-Reach-Signature": sign(SECRET, stamp, body)}
    assert call(server, "/api/v1/events", body, headers) == (200, {"accepted": 1, "duplicates": 0})
