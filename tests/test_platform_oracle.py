"""The oracle of part 4 on the platforms of part 9: a programme made of a BigBlueButton file, an
MTS Link API pull (through the local fake), a planned Телемост webinar with an imported
registration sheet and check-ins — every figure of every selection equals the oracle's."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from dashboard import database, planning
from dashboard.filters import Filters
from dashboard.imports import mts_link_api as api
from dashboard.imports.loader import import_file
from dashboard.live.checkin import checkin_event
from dashboard.live.store import store
from tests.mts_link_fake import TOKEN, FakeMtsLink
from tests.test_oracle import assert_agree

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BBB = "LearningDashboard_Кластеры-Пермь_2026-11-20.csv"
SHEET = ("ФИО;E-mail;Страна;Должность;Вебинар;Дата\n"
         "Анна Иванова;anna@example.ru;Россия;директор;Телемост: итоги;01.12.2026\n"
         "Бахыт Оспанов;bakhyt@example.kz;Казахстан;студент;Телемост: итоги;01.12.2026\n")  # fmt: skip


@pytest.fixture(scope="module")
def platforms(tmp_path_factory):
    con = database.connect(tmp_path_factory.mktemp("platforms") / "p.duckdb")
    zone = "Asia/Yekaterinburg"
    assert import_file(con, (FIXTURES / BBB).read_bytes(), BBB, zone=zone).status == "imported"
    fake = FakeMtsLink()
    try:
        pulled = api.pull(api.Client(TOKEN, fake.url, sleep=lambda s: None),
                          api.Period(date(2026, 11, 1), date(2026, 11, 30)))  # fmt: skip
    finally:
        fake.close()
    assert import_file(con, pulled, api.file_name(api.Period(date(2026, 11, 1), date(2026, 11, 30))),
                       zone=zone).status == "imported"  # fmt: skip
    with database.transaction(con):
        planning.plan_webinar(con, planning.Plan("Телемост: итоги", "2026-12-01 11:00", 60, "telemost"), zone)
        database.refresh(con)
    assert import_file(con, SHEET.encode("utf-8"), "telemost.csv", zone=zone).status == "imported"
    key = con.execute("select event_key from events where platform = 'telemost'").fetchall()[0][0]
    at = datetime(2026, 12, 1, 6, 5, tzinfo=UTC)
    people = [("KZ", "student"), ("RU", "executive"), ("UZ", "other")]
    store(con, [checkin_event(key, f"session-{n:012d}", country, role, at) for n, (country, role) in enumerate(people)])
    database.refresh(con)  # the facts of the check-ins, as the server's facts update would bring them
    return con, key


SELECTIONS = {
    "everything": Filters(),
    "the Телемост webinar": "telemost",
    "Russia": Filters(countries=("RU",)),
    "students": Filters(roles=("student",)),
    "at least 30 minutes": Filters(min_minutes=30),
    "November": Filters(date_from=date(2026, 11, 1), date_to=date(2026, 11, 30)),
}


@pytest.mark.parametrize("name", SELECTIONS)
def test_every_figure_agrees_with_the_oracle(platforms, name):
    con, key = platforms
    filters = SELECTIONS[name]
    assert_agree(con, Filters(events=(key,)) if filters == "telemost" else filters)


def test_the_programme_is_what_was_imported(platforms):
    con, key = platforms
    sources = dict(con.execute("select event_key, platform from events order by starts_at").fetchall())
    assert sorted(sources.values()) == ["bbb", "mts-link", "mts-link", "telemost"]
