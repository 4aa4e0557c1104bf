"""MTS Link API: the pull against a local fake serving recorded answers shaped as documented
(paging, a 429, a guest, a rejoin, additional fields), the document's records, and the import.
No test touches the internet."""

import json
from datetime import date, datetime

import pytest

from dashboard import cli
from dashboard.imports import mts_link_api as api
from dashboard.imports import mts_link_document as document
from tests.mts_link_fake import TOKEN, FakeMtsLink

NOVEMBER = api.Period(date(2026, 11, 1), date(2026, 11, 30))


@pytest.fixture
def fake():
    server = FakeMtsLink()
    yield server
    server.close()


def test_the_pull_waits_out_a_429_and_pages_through_registrations(fake):
    waits = []
    data = api.pull(api.Client(TOKEN, fake.url, sleep=waits.append), NOVEMBER)
    assert waits == [1.0]  # the fake's Retry-After
    users = "/v3/stats/users?from=2026-11-01+00%3A00%3A00&to=2026-11-30+23%3A59%3A59"
    pages = "/v3/eventsessions/{}/participations?perPage=100&page={}"
    # the fake gives at most 2 a page: session 9001's three registrations take pages 1 and 2;
    # the empty page after the last ends each session's paging
    assert fake.requests == [users, users, pages.format(9001, 1), pages.format(9001, 2), pages.format(9001, 3),
                             pages.format(9002, 1), pages.format(9002, 2)]  # fmt: skip
    pulled = json.loads(data)
    assert (pulled["kind"], len(pulled["users"]), {k: len(v) for k, v in pulled["participations"].items()}) == (
        "mts-link-api", 4, {"9001": 3, "9002": 2})  # fmt: skip


def test_the_same_answers_give_the_same_document(fake):
    first = api.pull(api.Client(TOKEN, fake.url, sleep=lambda s: None), NOVEMBER)
    second = api.pull(api.Client(TOKEN, fake.url, sleep=lambda s: None), NOVEMBER)
    assert first == second


def test_an_event_id_narrows_the_pull(fake):
    data = api.pull(api.Client(TOKEN, fake.url, sleep=lambda s: None), api.Period(date(2026, 11, 1),
                                                                                date(2026, 11, 30), "700"))  # fmt: skip
    assert fake.requests[1] == "/v3/stats/users?from=2026-11-01+00%3A00%3A00&to=2026-11-30+23%3A59%3A59&eventId=700"
    assert len(json.loads(data)["users"]) == 4  # every user of the fake attended a session of event 700


def test_a_wrong_token_is_named_and_nothing_retried(fake):
    with pytest.raises(api.PullFailed, match=r"refused the token \(401\): check REACH_MTSLINK_TOKEN"):
        api.pull(api.Client("wrong", fake.url, sleep=lambda s: None), NOVEMBER)
    assert len(fake.requests) == 1


def test_no_token_at_all():
    with pytest.raises(api.PullFailed, match="no MTS Link API token: set REACH_MTSLINK_TOKEN"):
        api.Client("", "http://127.0.0.1:9/v3")


def test_an_unreachable_api_is_tried_five_times_with_growing_waits():
    waits = []
    client = api.Client(TOKEN, "http://127.0.0.1:9/v3", sleep=waits.append, timeout=2)
    with pytest.raises(api.PullFailed, match="cannot reach MTS Link at http://127.0.0.1:9/v3"):
        api.pull(client, NOVEMBER)
    assert (waits, client.requests) == ([1.0, 2.0, 4.0, 8.0], 5)


def test_a_server_error_that_persists_is_reported(fake):
    fake.throttle_first = False
    fake.answer = lambda path, query, token: (503, {"error": "down"}, {})
    waits = []
    with pytest.raises(api.PullFailed, match="kept answering 503 to /stats/users after 5 attempts"):
        api.pull(api.Client(TOKEN, fake.url, sleep=waits.append), NOVEMBER)
    assert waits == [1.0, 2.0, 4.0, 8.0]


def test_an_api_that_ignores_the_page_is_not_read_forever(fake):
    original = fake.answer

    def same_page(path, query, token):
        if "participations" in path:
            query = {**query, "page": "1"}
        return original(path, query, token)

    fake.answer = same_page
    pulled = json.loads(api.pull(api.Client(TOKEN, fake.url, sleep=lambda s: None), NOVEMBER))
    assert {k: len(v) for k, v in pulled["participations"].items()} == {"9001": 2, "9002": 2}


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_the_document_s_records(fake):
    data = api.pull(api.Client(TOKEN, fake.url, sleep=lambda s: None), NOVEMBER)
    parsed = document.parse_document(data, "Europe/Moscow")
    assert (parsed.format, parsed.problems, parsed.extra_headers) == ("mts-link-api", [], ["Как вы узнали о вебинаре?"])
    assert parsed.mapping["country"] == "Страна проживания"  # the form's question, recognised
    assert [(e.title, e.starts_at, e.planned_minutes, e.platform_event_id) for e in parsed.events] == [
        ("Кластеры: экономический эффект", utc("2026-11-10 08:00"), 90, "9001"),
        ("Фотоника в регионах", utc("2026-11-17 08:00"), 60, "9002"),
    ]
    attendance = [(r[1], r[2], r[3], r[6], r[7], r[8], r[11], r[12]) for r in parsed.rows if not r[10]]
    anna, timur, lecturer = "Иванова Анна Сергеевна", "Рахимов Тимур", "Ведущий Олег"
    assert attendance == [
        # Anna's rejoin: two connections, two intervals; her country is declared in the form
        (0, "anna@example.ru", anna, None, "Россия", True, utc("2026-11-10 08:00"),
         utc("2026-11-10 08:40")),
        (0, "anna@example.ru", anna, None, "Россия", True, utc("2026-11-10 08:50"),
         utc("2026-11-10 09:30")),
        (1, "anna@example.ru", anna, None, "Россия", True, utc("2026-11-17 08:05"),
         utc("2026-11-17 08:55")),
        # the guest: e-mail "гость" is no e-mail; the platform saw him in Kyrgyzstan
        (0, None, "Садыров Айбек", None, "Kyrgyzstan", False, utc("2026-11-10 08:10"), utc("2026-11-10 09:00")),
        # the lecturer is staff (his participation's role)
        (0, "moderator@programme.example", lecturer, "panelist", "Россия", False, utc("2026-11-10 07:50"),
         utc("2026-11-10 09:35")),
        # no leave time: joined + duration (1800 s)
        (1, "timur@example.tj", timur, None, "Таджикистан", True, utc("2026-11-17 08:00"),
         utc("2026-11-17 08:30")),
    ]  # fmt: skip
    registrations = [(r[1], r[2], r[7], r[9]) for r in parsed.rows if r[10]]
    assert registrations == [  # the lecturer's own registration is not an audience registration
        (0, "anna@example.ru", "Россия", utc("2026-11-01 06:00")),
        (0, "maria@example.by", "Беларусь", utc("2026-11-05 15:30")),
        (1, "anna@example.ru", "Россия", utc("2026-11-12 06:00")),
        (1, "timur@example.tj", "Таджикистан", utc("2026-11-15 09:00")),
    ]


def test_a_document_with_a_bad_time_names_the_record():
    doc = {"kind": "mts-link-api", "version": 1, "participations": {}, "users": [
        {"email": "a@b.example", "name": "A", "eventSessions": [
            {"id": 1, "name": "W", "startsAt": "2026-11-10T11:00:00+03:00", "endsAt": "2026-11-10T12:00:00+03:00",
             "connections": [{"joined": "yesterday", "leaved": "2026-11-10T11:30:00+03:00"}]}]}]}  # fmt: skip
    parsed = document.parse_document(json.dumps(doc).encode(), "Europe/Moscow")
    assert [(p.code, p.line, p.column, p.values) for p in parsed.problems] == [
        ("bad_time", 1, "joined", {"value": "yesterday"})
    ]


def test_reach_pull_imports_once_and_the_figures_are_the_hand_worked_ones(fake, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REACH_MTSLINK_URL", fake.url)
    monkeypatch.setenv("REACH_MTSLINK_TOKEN", TOKEN)
    db = str(tmp_path / "mts.duckdb")
    pull = ["pull", "mts-link", "--from", "2026-11-01", "--to", "2026-11-30", "--db", db]
    assert cli.main(pull) == 0
    assert "mts-link-api_2026-11-01_2026-11-30.json: imported" in capsys.readouterr().out
    assert cli.main(pull) == 0  # the same period again: the same answers, nothing changes
    assert capsys.readouterr().out == "mts-link-api_2026-11-01_2026-11-30.json: imported before, nothing changed\n"
    assert cli.main(["report", "--db", db, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # By hand: 9001 — Anna 40 + 40 min (rejoin), the guest Айбек 50, the lecturer staff, Maria a
    # registered no-show; 9002 — Anna 50, Timur 30. Participants Anna, Айбек, Timur; registrants
    # Anna, Maria, Timur; registrations 4, of which attended 3; minutes 80, 50, 50, 30.
    assert report == {
        "participants": 3, "registrants": 3, "attendance_rate": 0.75, "attendances": 4, "events": 2,
        "countries": 3, "repeat_participants": 1, "minutes_total": 210.0, "median_minutes": 50.0,
        "by_country": {"KG": 1, "RU": 1, "TJ": 1},
        "by_role": {"executive": 1, "scientist": 1, "unknown": 1},  # генеральный директор, доцент, nothing said
        "peak_concurrent": {"mts-link-9001": 2, "mts-link-9002": 2},  # 11:10–11:40 Anna and Айбек; 11:05–11:30
    }  # fmt: skip


@pytest.mark.parametrize(("argv", "message"), [
    (["--from", "2026-11-30", "--to", "2026-11-01"], "--to is before --from"),
    (["--from", "2026-13-01", "--to", "2026-11-01"], "--from '2026-13-01' is not a date (expected YYYY-MM-DD)"),
    (["--from", "2025-01-01", "--to", "2026-11-01"], "a pull covers at most a year: split the period"),
])  # fmt: skip
def test_bad_periods_are_refused_in_one_sentence(argv, message, capsys, tmp_path):
    assert cli.main(["pull", "mts-link", *argv, "--db", str(tmp_path / "x.duckdb")]) == 2
    assert capsys.readouterr().err == f"reach pull: {message}\n"


def test_without_a_token_the_pull_says_how_to_set_one(capsys, tmp_path, monkeypatch):
    monkeypatch.delenv("REACH_MTSLINK_TOKEN", raising=False)
    assert cli.main(["pull", "mts-link", "--from", "2026-11-01", "--to", "2026-11-30",
                     "--db", str(tmp_path / "x.duckdb")]) == 2  # fmt: skip
    assert "no MTS Link API token: set REACH_MTSLINK_TOKEN" in capsys.readouterr().err


def test_a_second_pull_with_more_registrations_adds_only_them(fake, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("REACH_MTSLINK_URL", fake.url)
    monkeypatch.setenv("REACH_MTSLINK_TOKEN", TOKEN)
    db = str(tmp_path / "mts.duckdb")
    pull = ["pull", "mts-link", "--from", "2026-11-01", "--to", "2026-11-30", "--db", db]
    assert cli.main(pull) == 0
    fake.participations["9002"].append({"id": 93, "name": "Ли", "secondName": "Вэй", "email": "li@example.kz",
                                        "role": "GUEST", "registerDate": "2026-11-16T10:00:00+03:00", "visited": False,
                                        "additionalFieldValues": []})  # fmt: skip
    assert cli.main(pull) == 0  # new answers: a second import, overlapping the first
    assert "imported" in capsys.readouterr().out
    assert cli.main(["report", "--db", db, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # the same sessions' rows twice count once; the new no-show is one more registrant, and one
    # more registration without attendance: 3 attended of 5 registrations
    assert (report["participants"], report["registrants"], report["attendance_rate"], report["minutes_total"],
            report["peak_concurrent"]) == (3, 4, 0.6, 210.0, {"mts-link-9001": 2, "mts-link-9002": 2})  # fmt: skip
