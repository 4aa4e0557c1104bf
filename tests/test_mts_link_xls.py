"""MTS Link (Webinar.ru) "Выгрузка XLS-файла со статистикой", read tolerantly; figures worked out by hand.

Documented (help.mts-link.ru): the registration fields (name, surname, e-mail, the form's additional
fields), "Имя в чате", "Роль" (администратор / ведущий / участник), a payment status; "гость" as the
e-mail of a guest of an open webinar. Not published: the exact headers, the title lines, and whether
join, leave or country columns appear. tests/fixtures/mts_link_statistics.xls is made to the documented
part (make_excel_fixtures.py); the variants below are small sheets written here. Times are read in
Asia/Yekaterinburg (UTC+5): 11:00 in a file is 06:00 UTC.
"""

from datetime import datetime
from pathlib import Path

import pytest

from dashboard import database, queries, reach
from dashboard.filters import Filters
from dashboard.imports import reading
from dashboard.imports.loader import import_file
from dashboard.imports.parsing import SHEET_FIELDS, detect, header_signature, mappable_fields, parse

FIXTURES = Path(__file__).resolve().parent / "fixtures"
STATISTICS = "mts_link_statistics.xls"
ZONE = "Asia/Yekaterinburg"


@pytest.fixture
def con():
    connection = database.connect_memory()
    yield connection
    connection.close()


def sheet(*rows: str) -> bytes:
    """A small sheet as text, cells separated by ';' (the reader goes by content, not by name)."""
    return "\n".join(rows).encode("utf-8")


def parsed_from(data: bytes, mapping: dict | None = None):
    return parse(reading.read(data), ZONE, mapping)


def people(parsed) -> list[tuple]:
    return [
        (r["line"], r["email"], r["name"], r["organisation"], r["occupation_raw"], r["staff_role"], r["country_raw"],
         r["is_registration"], r["joined_at"], r["left_at"])
        for r in parsed.arrow().to_pylist()
    ]  # fmt: skip


def report(con) -> dict:
    countries, roles = queries.run(con, "countries", Filters()), queries.run(con, "roles", Filters())
    return reach.report(con, Filters(), countries, roles)


def test_statistics_without_join_times_are_registrations():
    parsed = parse(reading.read((FIXTURES / STATISTICS).read_bytes()), ZONE)
    assert (parsed.format, parsed.encoding, parsed.rows_read, parsed.problems) == ("mts-link", "xls", 7, [])
    assert parsed.mapping == {
        "first_name": "Имя",
        "last_name": "Фамилия",
        "email": "E-mail",
        "country": "Страна проживания",
        "chat_name": "Имя в чате",
        "meeting_role": "Роль",
        "organisation": "Место работы (организация)",  # the form's additional fields, by their words
        "occupation": "Сфера деятельности / должность",
    }
    assert parsed.extra_headers == ["Город", "Статус оплаты"]  # known, not used
    ((title, starts_at, local_date, platform),) = [
        (e.title, e.starts_at, e.local_date, e.platform) for e in parsed.events
    ]
    assert (title, starts_at, local_date, platform) == ("Кластерная политика регионов", None, "2026-11-05", "mts-link")
    assert people(parsed) == [
        (5, "anna@example.ru", "Иванова Анна", "ПНИПУ", "Генеральный директор", None, "Россия", True, None, None),
        (6, "ERZHAN@example.kz", "Ахметов Ержан", "КазНУ", "доцент", None, "Казахстан", True, None, None),
        # guests: "гость" is no e-mail; their name is the one typed in the chat ("Гость" tells no one apart)
        (7, "гость", "Айбек из Бишкека", None, None, None, "Киргизия", True, None, None),
        (8, "гость", "Гость 7", None, None, None, None, True, None, None),
        # lines 9 and 10, the administrator and the presenter (ведущий), are staff: no registration
        (11, "dilnoza@example.uz", "Каримова Дилноза", "ТГЭУ", "студентка магистратуры", None, "Узбекистан", True, None,
         None),
    ]  # fmt: skip


def test_statistics_imported(con):
    result = import_file(con, (FIXTURES / STATISTICS).read_bytes(), STATISTICS, zone=ZONE)
    assert (result.status, result.format, result.rows_read, result.records, result.persons) == (
        "imported", "mts-link", 7, 5, 5)  # fmt: skip
    got = report(con)
    assert {k: got[k] for k in ("participants", "registrants", "attendance_rate", "attendances", "events")} == {
        "participants": 0,  # nobody's join time is known
        "registrants": 5,  # Анна, Ержан, the two guests, Дилноза
        "attendance_rate": None,  # registrations only: attendance not measured (docs/metrics.md)
        "attendances": 0,
        "events": 1,
    }
    registered = con.execute(
        "select p.identity_key, r.country, r.role from registrations r join participants p using (person_id) order by 1"
    ).fetchall()
    assert registered == [
        ("email:anna@example.ru", "RU", "executive"),  # Генеральный директор
        ("email:dilnoza@example.uz", "UZ", "student"),  # студентка магистратуры
        ("email:erzhan@example.kz", "KZ", "scientist"),  # доцент; the e-mail in lower case
        ("name:айбек из бишкека", "KG", None),  # Киргизия; no occupation stated
        ("name:гость 7", None, None),
    ]
    # the date of the title lines, midnight in Yekaterinburg
    assert con.execute("select title, starts_at::varchar, platform from events").fetchall() == [
        ("Кластерная политика регионов", "2026-11-04 19:00:00", "mts-link")
    ]


TITLED = sheet(
    "Вебинар:;Кластеры и экспорт",
    "Дата:;12.11.2026",
    "",
    "Фамилия;Имя;Отчество;Почта;Роль;Оплата;Страна;Город;Вход;Выход",
    "Иванова;Анна;Петровна;anna@example.ru;Участник;Оплачено;Россия;Пермь;12.11.2026 11:00;12.11.2026 12:00",
    "Рахимов;Тимур;;гость;Участник;;Таджикистан;Душанбе;12.11.2026 11:10;12.11.2026 11:40",
    "Ковалёв;Пётр;;speaker@programme.example;Ведущий;;Россия;Пермь;12.11.2026 10:50;12.11.2026 12:10",
    "Смирнова;Ольга;;olga@programme.example;администратор;;Россия;Пермь;12.11.2026 10:45;12.11.2026 12:15",
)


def test_header_synonyms_below_title_lines():
    parsed = parsed_from(TITLED)
    # no "Имя в чате": the webinar named above a table with the platform's "Роль" is MTS Link's
    assert (parsed.format, parsed.problems) == ("mts-link", [])
    assert parsed.mapping == {
        "first_name": "Имя",
        "last_name": "Фамилия",
        "middle_name": "Отчество",
        "email": "Почта",
        "meeting_role": "Роль",
        "country": "Страна",
        "join": "Вход",
        "leave": "Выход",
    }
    assert parsed.extra_headers == ["Оплата", "Город"]
    assert people(parsed) == [
        (5, "anna@example.ru", "Иванова Анна Петровна", None, None, None, "Россия", False,
         datetime(2026, 11, 12, 6, 0), datetime(2026, 11, 12, 7, 0)),
        (6, "гость", "Рахимов Тимур", None, None, None, "Таджикистан", False,
         datetime(2026, 11, 12, 6, 10), datetime(2026, 11, 12, 6, 40)),
        (7, "speaker@programme.example", "Ковалёв Пётр", None, None, "host", "Россия", False,  # ведущий
         datetime(2026, 11, 12, 5, 50), datetime(2026, 11, 12, 7, 10)),
        (8, "olga@programme.example", "Смирнова Ольга", None, None, "host", "Россия", False,  # администратор
         datetime(2026, 11, 12, 5, 45), datetime(2026, 11, 12, 7, 15)),
    ]  # fmt: skip
    event = parsed.events[0]
    assert (event.title, event.local_date, event.starts_at) == (
        "Кластеры и экспорт",
        "2026-11-12",
        datetime(2026, 11, 12, 5, 45),  # the earliest join, the administrator's
    )


DURATIONS = sheet(
    "МТС Линк. Статистика участников",
    "Вебинар: Кластеры и экспорт",
    "Дата: 12.11.2026",
    "ФИО;E-mail;Имя в чате;Роль;Время входа;Продолжительность",
    "Иванова Анна Петровна;anna@example.ru;Анна;Участник;12.11.2026 11:00;1 ч 5 мин",
    "Сейткали Дина;dina@example.kz;Дина;Участник;12.11.2026 11:20;45 мин",
    "Гость;гость;Гость 12;Участник;12.11.2026 11:30;00:30:00",
    "Гость;гость;Гость 15;Участник;12.11.2026 11:35;20",
)


def test_a_join_and_a_duration(con):
    parsed = parsed_from(DURATIONS)
    assert (parsed.format, parsed.problems, parsed.extra_headers) == ("mts-link", [], [])
    assert [(r[2], r[8], r[9]) for r in people(parsed)] == [
        ("Иванова Анна Петровна", datetime(2026, 11, 12, 6, 0), datetime(2026, 11, 12, 7, 5)),  # 1 ч 5 мин
        ("Сейткали Дина", datetime(2026, 11, 12, 6, 20), datetime(2026, 11, 12, 7, 5)),  # 45 мин
        ("Гость 12", datetime(2026, 11, 12, 6, 30), datetime(2026, 11, 12, 7, 0)),  # 00:30:00
        ("Гость 15", datetime(2026, 11, 12, 6, 35), datetime(2026, 11, 12, 6, 55)),  # 20 (minutes)
    ]
    assert import_file(con, DURATIONS, "statistics.csv", zone=ZONE).status == "imported"
    got = report(con)
    assert {k: got[k] for k in ("participants", "minutes_total", "peak_concurrent")} == {
        "participants": 4,  # the two guests are two people: their chat names differ
        "minutes_total": 160.0,  # 65 + 45 + 30 + 20
        "peak_concurrent": {"кластеры-и-экспорт-2026-11-12": 4},  # all four from 11:35 to 11:55
    }


@pytest.mark.parametrize(
    ("above", "header", "fmt"),
    [
        ([], "ФИО;E-mail;Имя в чате;Роль", "mts-link"),  # the chat name, as before
        (["Вебинар:;Кластеры"], "ФИО;E-mail;Роль", "mts-link"),  # a webinar named above a meeting role
        (["Статистика участников"], "ФИО;E-mail", "mts-link"),
        (["Отчёт Webinar.ru"], "ФИО;E-mail", "mts-link"),
        (["Вебинар:;Кластеры"], "ФИО;E-mail", "sheet"),  # no role: a sheet with a title
        ([], "ФИО;E-mail;Роль;Вебинар", "sheet"),
    ],
)
def test_detection(above, header, fmt):
    assert detect(reading.read(sheet(*above, header, "Иванова Анна;anna@example.ru;Участник;Кластеры"))) == fmt


RENAMED = sheet(
    "МТС Линк — статистика участников",
    "Вебинар:;Экспорт кластеров",
    "Дата:;19.11.2026",
    "Участник вебинара;Адрес;Имя в чате;Тип роли;Подключился;Отключился;Откуда вы?",
    "Иванова Анна;anna@example.ru;Анна;Участник;19.11.2026 11:00;19.11.2026 12:30;Российская Федерация",
    "Ахметов Ержан;erzhan@example.kz;Ержан;Участник;19.11.2026 11:15;19.11.2026 12:00;Казахстан",
    "Ковалёв Пётр;speaker@programme.example;Пётр;Ведущий;19.11.2026 10:45;19.11.2026 12:45;Россия",
)
MAPPING = {
    "columns": {
        "name": "Участник вебинара",
        "email": "Адрес",
        "meeting_role": "Тип роли",
        "join": "Подключился",
        "leave": "Отключился",
        "country": "Откуда вы?",
    }
}


def test_unexpected_headers_are_mapped_without_code_changes(con):
    """A real file headed otherwise: read as far as the headers allow (the chat names, as
    registrations), every other column listed; the mapping editor's mapping imports it whole."""
    unmapped = parsed_from(RENAMED)
    assert (unmapped.format, unmapped.mapping, unmapped.extra_headers) == (
        "mts-link",
        {"chat_name": "Имя в чате"},
        ["Участник вебинара", "Адрес", "Тип роли", "Подключился", "Отключился", "Откуда вы?"],
    )
    assert [(r[2], r[7]) for r in people(unmapped)] == [("Анна", True), ("Ержан", True), ("Пётр", True)]
    assert header_signature(unmapped) == (
        "Имя в чате|Адрес|Отключился|Откуда вы?|Подключился|Тип роли|Участник вебинара"
    )  # the key the mapping is saved under
    assert mappable_fields("mts-link") == SHEET_FIELDS  # its headers are not published: every field
    mapped = parsed_from(RENAMED, MAPPING)
    assert (mapped.format, mapped.problems, mapped.extra_headers) == ("mts-link", [], [])
    assert people(mapped) == [
        (5, "anna@example.ru", "Иванова Анна", None, None, None, "Российская Федерация", False,
         datetime(2026, 11, 19, 6, 0), datetime(2026, 11, 19, 7, 30)),
        (6, "erzhan@example.kz", "Ахметов Ержан", None, None, None, "Казахстан", False,
         datetime(2026, 11, 19, 6, 15), datetime(2026, 11, 19, 7, 0)),
        (7, "speaker@programme.example", "Ковалёв Пётр", None, None, "host", "Россия", False,
         datetime(2026, 11, 19, 5, 45), datetime(2026, 11, 19, 7, 45)),
    ]  # fmt: skip
    result = import_file(con, RENAMED, "statistics.csv", zone=ZONE, mapping=MAPPING)
    assert (result.status, result.format, result.records, result.persons) == ("imported", "mts-link", 3, 3)
    got = report(con)
    assert {k: got[k] for k in ("participants", "minutes_total", "by_country", "peak_concurrent")} == {
        "participants": 2,  # Анна and Ержан; Пётр is the presenter (ведущий)
        "minutes_total": 135.0,  # 90 + 45
        "by_country": {"KZ": 1, "RU": 1},
        "peak_concurrent": {"экспорт-кластеров-2026-11-19": 2},
    }
    assert con.execute("select title, starts_at::varchar from events").fetchall() == [
        ("Экспорт кластеров", "2026-11-19 05:45:00")  # the presenter's 10:45
    ]
