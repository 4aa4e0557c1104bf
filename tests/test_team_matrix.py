"""Every route and page × every kind of visitor, against the expected answer; an expired session
over HTTP; the report API with small-cell suppression for the roles that may not see persons."""

import json
import time

import pytest

from dashboard import accounts, database
from tests import programme
from tests.serving import serve, stop
from tests.test_team import PASSWORD, request, sign_in

ROLES = ("viewer", "analyst", "presenter", "admin")
SESSION_SECONDS = 8  # REACH_SESSION_HOURS below, so that "expired" can be waited for
TOKENS: dict[str, str] = {}
EXPIRED: list[str] = []


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """The hand-made programme, one account per role, short sessions, REACH_MIN_CELL=3."""
    path = tmp_path_factory.mktemp("strict") / "strict.duckdb"
    con = programme.build(database.connect(path))
    for role in ROLES:
        accounts.add_account(con, f"{role}1", role, PASSWORD)
        TOKENS[role] = accounts.new_token(con, f"{role}1")
    con.close()
    proc, url = serve(path, {"REACH_SESSION_HOURS": str(SESSION_SECONDS / 3600), "REACH_MIN_CELL": "3"})
    EXPIRED.append(sign_in(url, "viewer1")[2]["reach_session"])
    time.sleep(SESSION_SECONDS + 1)  # that session has now been idle for longer than allowed
    yield url
    stop(proc)


UPGRADE = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
           "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}  # fmt: skip


def visitor_headers(url: str, state: str) -> dict:
    """The headers a visitor of each kind sends: a role's fresh session cookie and its API token."""
    if state in ROLES:
        session = sign_in(url, f"{state}1")[2]["reach_session"]
        return {"Cookie": f"reach_session={session}", "Authorization": f"Bearer {TOKENS[state]}"}
    return {
        "none": {},
        "forged": {"Cookie": "reach_session=forged-value"},
        "expired": {"Cookie": f"reach_session={EXPIRED[0]}"},
        "bad_token": {"Authorization": "Bearer reach_made_up_token"},
    }[state]


STATES = ("none", "forged", "expired", "bad_token", *ROLES)
SIGNED_IN = {role: 200 for role in ROLES}
TO_SIGN_IN = {"none": 303, "forged": 303, "expired": 303, "bad_token": 303}
# (method, path) -> expected status per visitor. Pages a role may not use are answered inside the
# app (the navigation holds only the role's pages: see test_pages_by_role), so at HTTP level every
# signed-in role gets the app's shell and everyone else the sign-in page.
EXPECTED = {
    ("GET", "/"): {**TO_SIGN_IN, **SIGNED_IN},
    ("GET", "/overview"): {**TO_SIGN_IN, **SIGNED_IN},
    ("GET", "/data"): {**TO_SIGN_IN, **SIGNED_IN},
    ("GET", "/live"): {**TO_SIGN_IN, **SIGNED_IN},
    ("GET", "/admin"): {**TO_SIGN_IN, **SIGNED_IN},
    ("GET", "/app/static/topojson/world_50m.json"): {**TO_SIGN_IN, **SIGNED_IN},
    ("GET", "/assets/plotly.min.js"): {**TO_SIGN_IN, **SIGNED_IN},  # the live view's charts
    ("GET", "/_stcore/host-config"): {**TO_SIGN_IN, **SIGNED_IN},
    ("WS", "/_stcore/stream"): {"none": 403, "forged": 403, "expired": 403, "bad_token": 403,
                                "viewer": 101, "analyst": 101, "presenter": 101, "admin": 101},
    ("GET", "/checkin"): dict.fromkeys(STATES, 200),
    ("GET", "/login"): dict.fromkeys(STATES, 200),
    ("GET", "/api/v1/health"): dict.fromkeys(STATES, 200),
    ("GET", "/api/v1/report"): {"none": 401, "forged": 401, "expired": 401, "bad_token": 401, **SIGNED_IN},
    # an empty body without a file name: 400 once the token may import (nothing is written)
    ("POST", "/api/v1/imports"): {"none": 401, "forged": 401, "expired": 401, "bad_token": 401,
                                  "viewer": 403, "presenter": 403, "analyst": 400, "admin": 400},
}  # fmt: skip


@pytest.mark.parametrize("state", STATES)
def test_every_route_for_every_visitor(strict, state):
    headers = visitor_headers(strict, state)
    answers = {}
    for method, path in EXPECTED:
        if method == "WS":
            answers[method, path] = request(strict, "GET", path, headers={**headers, **UPGRADE})[0]
        else:
            answers[method, path] = request(strict, method, path, b"" if method == "POST" else None, headers)[0]
    assert answers == {route: by_state[state] for route, by_state in EXPECTED.items()}


ANALYSIS = ("overview", "retention", "webinar", "compare")  # aggregates only: every role


def test_pages_by_role():
    assert {role: accounts.pages_allowed(role, everything_here=False) for role in (*ROLES, "nobody")} == {
        "viewer": {*ANALYSIS, "live"},
        "analyst": {*ANALYSIS, "data", "live"},
        "presenter": {*ANALYSIS, "live"},
        "admin": {*ANALYSIS, "data", "live", "admin"},
        "nobody": {"live"},
    }
    assert accounts.pages_allowed(None, everything_here=True) == {*ANALYSIS, "data", "live"}
    assert accounts.pages_allowed(None, everything_here=False) == {"live"}


def test_an_expired_session_is_sent_to_sign_in_and_forgotten(strict):
    status, headers, _ = request(strict, "GET", "/overview", headers={"Cookie": f"reach_session={EXPIRED[0]}"})
    assert (status, headers["location"]) == (303, "/login?next=%2Foverview")


def report(url: str, role: str, query: str = "") -> tuple[int, dict]:
    status, _, body = request(url, "GET", "/api/v1/report" + query, headers={"Authorization": f"Bearer {TOKENS[role]}"})
    return status, json.loads(body)


def test_the_report_api_hides_small_counts_from_roles_that_may_not_see_persons(strict):
    # The hand-made programme (tests/programme.py): five participants, one in each of AM, BY, KZ,
    # RU and unknown; roles scientist 1, student 1, official 1, unknown 2. With k = 3 every count
    # is below 3: all hidden, and the participants total (5) stays.
    for role in ("viewer", "presenter"):
        status, answer = report(strict, role)
        assert status == 200
        assert (answer["participants"], answer["by_country"], answer["by_role"], answer["suppressed"]) == (
            5,
            {"AM": None, "BY": None, "KZ": None, "RU": None, "unknown": None},
            {"scientist": None, "student": None, "official": None, "unknown": None},
            {"below": 3, "countries": ["AM", "BY", "KZ", "RU", "unknown"],
             "roles": ["official", "scientist", "student", "unknown"]},
        )  # fmt: skip
    for role in ("analyst", "admin"):  # they may see persons: the counts as they are
        status, answer = report(strict, role)
        assert (status, answer["by_role"], "suppressed" in answer) == (
            200, {"scientist": 1, "student": 1, "official": 1, "unknown": 2}, False)  # fmt: skip
    # w3 alone has one participant (Dan): below 3 as a whole, refused to a viewer
    status, answer = report(strict, "viewer", "?event=w3")
    assert status == 403 and "fewer than 3 participants" in answer["error"]
    assert report(strict, "analyst", "?event=w3")[1]["participants"] == 1
