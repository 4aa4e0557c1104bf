"""The data-quality review: unmatched values listed with counts; a saved mapping applies to the
rows already imported and to later imports."""

from pathlib import Path

import pytest

from dashboard import database, queries, reach
from dashboard.filters import Filters
from dashboard.imports import review
from dashboard.imports.loader import import_file

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def con():
    c = database.connect_memory()
    import_file(c, (FIXTURES / "zoom_attendee_current.csv").read_bytes(), "zoom.csv", zone="Europe/Moscow")
    import_file(c, (FIXTURES / "registration_form_cp1251.csv").read_bytes(), "form.csv")
    yield c
    c.close()


def by_country(con) -> dict:
    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    return reach.report(con, Filters(), countries, roles)["by_country"]


def test_unmatched_values_are_listed_with_counts(con):
    assert review.unmatched_countries(con).values.tolist() == [["Марс", 1, 1]]
    assert review.unmatched_roles(con)[["role_raw", "role", "rows", "persons"]].values.tolist() == [
        ["инженер", "other", 1, 1]
    ]


def test_a_saved_country_applies_at_once_and_to_later_imports(con):
    assert by_country(con)["unknown"] == 1
    review.save_country(con, "Марс", "KZ")
    assert review.unmatched_countries(con).empty
    assert by_country(con) == {"BY": 1, "KG": 1, "KZ": 2, "RU": 1}  # the stream viewer now counts in KZ
    later = "ФИО;E-mail;Страна;Вебинар;Дата\nНовый;new@example.org;МАРС;Понятие кластера;01.10.2026\n".encode()
    import_file(con, later, "later.csv")
    assert con.execute("select country from registrations where country_raw = 'МАРС'").fetchall() == [("KZ",)]
    with pytest.raises(ValueError):
        review.save_country(con, "Марс", "XX")


def test_a_saved_role_applies_at_once(con):
    review.save_role(con, "инженер", "scientist")
    assert review.unmatched_roles(con).empty
    assert con.execute("select role from participants where identity_key = 'email:yan@example.by'").fetchall() == [
        ("scientist",)
    ]
    with pytest.raises(ValueError):
        review.save_role(con, "инженер", "wizard")
