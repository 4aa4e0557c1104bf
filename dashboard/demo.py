"""The embedded demo programme: a deterministic webinar series on industrial clusters
broadcast from Perm, modelled on the programme office's press report (about 300 people from
nearly every CIS country: heads of enterprises, scientists, economists, students).

`build_demo(con, participants=N, seed=S)` writes it into the canonical tables. The default
(300 participants) is the demo series of six webinars; large N (benchmarks) spreads the same
series over ten seasons, 60 webinars, about ten attendance rows per participant. Everything is
vectorised with numpy so that 1,000,000 participants build in minutes within a few GB.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import duckdb
import numpy as np
import pandas as pd

from dashboard import database
from dashboard.database import refresh, set_programme_setting, transaction

PROGRAMME_TITLE = "CIS Interstate Programme for innovation development"
PROGRAMME_TITLE_RU = "Межгосударственная программа инновационного сотрудничества государств — участников СНГ"
HOST = 'Head of the Perm innovation territorial cluster "Photonics"'
SERIES = "Industrial clusters"
TOPICS = (
    ("The concept of a cluster", "Понятие кластера"),
    ("The algorithm of cluster formation", "Алгоритм формирования кластера"),
    ("The economic effect of clusters", "Экономический эффект кластеров"),
    ("Cluster management", "Управление кластером"),
    ("Conditions for a cluster's effective operation", "Условия эффективной работы кластера"),
    ("Cluster policy instruments", "Инструменты кластерной политики"),
)
# First webinar: Thursday 24 September 2026, 11:00 in Perm (06:00 UTC); weekly after that.
FIRST_START_UTC = datetime(2026, 9, 24, 6, 0)
PLANNED_MINUTES = 90

# Where participants come from: stage-1 states hold most of them.
COUNTRY_SHARES = {
    "RU": 0.38,
    "KZ": 0.13,
    "BY": 0.11,
    "AM": 0.08,
    "KG": 0.08,
    "UZ": 0.06,
    "AZ": 0.04,
    "TJ": 0.04,
    "MD": 0.03,
    "TM": 0.02,
    "GE": 0.02,
    "UA": 0.01,
}
ROLE_SHARES = {
    "executive": 0.26,
    "scientist": 0.22,
    "economist": 0.17,
    "student": 0.2,
    "official": 0.08,
    "other": 0.07,
}
MAIL_DOMAINS = {
    "RU": "mail.ru",
    "KZ": "inbox.kz",
    "BY": "tut.by",
    "AM": "yandex.am",
    "KG": "gmail.com",
    "UZ": "umail.uz",
    "AZ": "box.az",
    "TJ": "mail.tj",
    "MD": "mail.md",
    "TM": "online.tm",
    "GE": "gmail.com",
    "UA": "ukr.net",
}
FIRST_NAMES = (
    "Александр",
    "Алексей",
    "Анна",
    "Айгерим",
    "Арман",
    "Асель",
    "Бахтиёр",
    "Виктор",
    "Гаянэ",
    "Дмитрий",
    "Екатерина",
    "Елена",
    "Ерлан",
    "Жанна",
    "Зарина",
    "Игорь",
    "Ирина",
    "Камила",
    "Марина",
    "Мария",
    "Нурлан",
    "Ольга",
    "Павел",
    "Рустам",
    "Светлана",
    "Сергей",
    "Тимур",
    "Фарход",
    "Юлия",
    "Ярослав",
    "Artur",
    "Nino",
    "Olena",
    "Ion",
    "Murad",
    "Dilnoza",
)
LAST_NAMES = (
    "Абдуллаев",
    "Алиев",
    "Асанов",
    "Бондаренко",
    "Васильев",
    "Григорян",
    "Гусейнов",
    "Давыдов",
    "Ермеков",
    "Жумабаев",
    "Захаров",
    "Иванов",
    "Исмаилов",
    "Карапетян",
    "Ким",
    "Козлов",
    "Кузнецов",
    "Лебедев",
    "Мамедов",
    "Морозов",
    "Назаров",
    "Новиков",
    "Омаров",
    "Петров",
    "Попов",
    "Рахимов",
    "Саркисян",
    "Семёнов",
    "Смирнов",
    "Соколов",
    "Султанов",
    "Тимофеев",
    "Турсунов",
    "Федоров",
    "Хасанов",
    "Шевченко",
    "Юсупов",
    "Якубов",
    "Ceban",
    "Beridze",
)
PATRONYMICS = (
    "Александрович",
    "Викторович",
    "Сергеевич",
    "Игоревич",
    "Олегович",
    "Маратович",
    "Ринатович",
    "Павлович",
    "Андреевич",
    "Ильич",
    "Тимурович",
    "Юрьевич",
)


@dataclass(frozen=True)
class DemoSize:
    n_events: int
    attend_probability: float  # per person and further webinar, after the first


def demo_size(participants: int) -> DemoSize:
    """Six webinars for a demo; 60 for benchmark-sized programmes (~10 rows per person)."""
    if participants <= 5_000:
        return DemoSize(n_events=len(TOPICS), attend_probability=0.22)
    return DemoSize(n_events=60, attend_probability=0.1)


def _events(size: DemoSize) -> pd.DataFrame:
    rows = []
    for i in range(size.n_events):
        season, topic = divmod(i, len(TOPICS))
        topic_en, topic_ru = TOPICS[topic]
        series = SERIES if size.n_events <= len(TOPICS) else f"{SERIES}, season {season + 1}"
        rows.append(
            {
                "event_id": i + 1,
                "event_key": f"clusters-{season + 1:02d}-{topic + 1}",
                "series": series,
                "title": f"{topic_en} / {topic_ru}",
                "topic": topic_en,
                "starts_at": FIRST_START_UTC + timedelta(weeks=i),
                "planned_minutes": PLANNED_MINUTES,
                "host": HOST,
                "platform": "Zoom" if i % 2 == 0 else "MTS Link",
                "platform_event_id": f"{900_000_000 + i}",
            }
        )
    return pd.DataFrame(rows)


def _choice(rng: np.random.Generator, shares: dict[str, float], n: int) -> np.ndarray:
    keys = np.array(list(shares))
    p = np.array(list(shares.values()))
    return keys[rng.choice(len(keys), size=n, p=p / p.sum())]


def _people(rng: np.random.Generator, n_people: int) -> pd.DataFrame:
    """Persons with their true country and role; some are guests known by name only."""
    country = _choice(rng, COUNTRY_SHARES, n_people)
    role = _choice(rng, ROLE_SHARES, n_people)
    first = np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n_people)]
    last = np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), n_people)]
    ids = np.arange(1, n_people + 1)
    domains = pd.Series(country).map(MAIL_DOMAINS).to_numpy()
    email = pd.Series(["participant"] * n_people) + pd.Series(ids).astype(str) + "@" + domains
    name = pd.Series(first) + " " + pd.Series(last)
    # 5% join as guests with no e-mail: their identity is a unique full name.
    is_guest = rng.random(n_people) < 0.05
    guest_name = (
        name + " " + pd.Series(np.array(PATRONYMICS)[ids % len(PATRONYMICS)]) + " " + pd.Series(ids).astype(str)
    )
    people = pd.DataFrame(
        {
            "person_id": ids.astype(np.int32),
            "email": email.where(~is_guest, None),
            "display_name": name.where(~is_guest, guest_name),
            "true_country": country,
            "true_role": role,
        }
    )
    key = ("email:" + people["email"].str.lower()).where(
        ~is_guest, "name:" + people["display_name"].str.casefold().str.replace("ё", "е")
    )
    people["identity_key"] = key
    return people


def _attended_pairs(rng: np.random.Generator, n_participants: int, size: DemoSize) -> pd.DataFrame:
    """(person, event) pairs attended: each participant one webinar or more."""
    chosen = rng.random((n_participants, size.n_events), dtype=np.float32) < size.attend_probability
    first = rng.integers(0, size.n_events, n_participants)
    chosen[np.arange(n_participants), first] = True
    person_idx, event_idx = np.nonzero(chosen)
    return pd.DataFrame({"person_id": (person_idx + 1).astype(np.int32), "event_id": (event_idx + 1).astype(np.int16)})


def _intervals(rng: np.random.Generator, pairs: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Attendance rows: one or more intervals per pair, with rejoins and some overlaps."""
    n_rows = 1 + rng.geometric(0.7, len(pairs)) - 1  # 70% one row, the rest rejoin
    rows = pairs.loc[pairs.index.repeat(n_rows)].reset_index(drop=True)
    first_of_pair = np.r_[True, (np.diff(np.repeat(np.arange(len(pairs)), n_rows)) != 0)]
    length = rng.uniform(10, 85, len(rows))
    gap = rng.uniform(0.5, 12, len(rows))
    overlap = rng.random(len(rows)) < 0.12  # a second device or a platform double row
    gap = np.where(overlap, -rng.uniform(1, 15, len(rows)), gap)
    offset0 = rng.normal(3, 6, len(rows))
    step = np.where(first_of_pair, offset0, gap)
    # start of row k = start of previous row + its length + gap, restarting at each pair
    pair_no = np.cumsum(first_of_pair) - 1
    increment = np.where(first_of_pair, step, np.r_[0, length[:-1]] + step)
    cumulative = np.cumsum(increment)
    start_of_pair = cumulative[first_of_pair][pair_no] - step[first_of_pair][pair_no]
    start_min = cumulative - start_of_pair
    start_min = np.clip(start_min, -10, PLANNED_MINUTES + 5)
    end_min = np.clip(start_min + length, None, PLANNED_MINUTES + 15)
    start_at = events.set_index("event_id").loc[rows["event_id"], "starts_at"].to_numpy()
    # Platforms report whole seconds.
    rows["joined_at"] = start_at + np.round(start_min * 60).astype("timedelta64[s]")
    rows["left_at"] = start_at + np.round(end_min * 60).astype("timedelta64[s]")
    return rows


def build_demo(con: duckdb.DuckDBPyConnection, participants: int = 300, seed: int = 20261101) -> None:
    """Replace the database's programme data with the demo programme, in one transaction."""
    with transaction(con):
        _generate_and_write(con, participants, seed)  # its frames are freed before the refresh
        set_programme_setting(con, "title", PROGRAMME_TITLE)
        set_programme_setting(con, "title_ru", PROGRAMME_TITLE_RU)
        set_programme_setting(con, "timezone", "Asia/Yekaterinburg")
        refresh(con)


def _generate_and_write(con: duckdb.DuckDBPyConnection, participants: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = demo_size(participants)
    events = _events(size)
    n_no_show_only = max(1, participants // 12)  # registered, never came
    people = _people(rng, participants + n_no_show_only)
    staff = pd.DataFrame(
        {
            "person_id": np.array([len(people) + 1, len(people) + 2], dtype=np.int32),
            "email": ["photonics.cluster@perm.example", "moderator@programme.example"],
            "display_name": ["Ведущий кластера «Фотоника»", "Модератор программы"],
            "true_country": ["RU", "RU"],
            "true_role": ["executive", "official"],
            "identity_key": ["email:photonics.cluster@perm.example", "email:moderator@programme.example"],
        }
    )

    attended = _attended_pairs(rng, participants, size)
    rows = _intervals(rng, attended, events)
    truth = people.set_index("person_id")
    # The platform reports the person's country on most rows; none on the rest.
    reported = rng.random(len(rows)) < 0.7
    # Categoricals: ten million repeated strings would cost gigabytes as Python objects.
    rows["country"] = pd.Categorical(np.where(reported, truth.loc[rows["person_id"], "true_country"].to_numpy(), None))
    rows["is_staff"] = False
    missing = np.full(len(rows), -1, dtype=np.int8)  # code -1: null
    rows["staff_role"] = pd.Categorical.from_codes(missing, categories=["host", "co-host"])
    rows["role"] = pd.Categorical.from_codes(missing, categories=list(ROLE_SHARES))
    rows["source"] = pd.Categorical(np.where(rows["event_id"] % 2 == 1, "zoom", "mts-link"))

    staff_rows = pd.DataFrame(
        [
            {
                "person_id": pid,
                "event_id": e.event_id,
                "joined_at": e.starts_at - timedelta(minutes=15),
                "left_at": e.starts_at + timedelta(minutes=PLANNED_MINUTES + 5),
                "country": "RU",
                "is_staff": True,
                "staff_role": staff_role,
                "role": None,
                "source": "zoom",
            }
            for e in events.itertuples()
            for pid, staff_role in zip(staff["person_id"], ("host", "co-host"), strict=True)
        ]
    )

    registrations = _registrations(rng, attended, participants, n_no_show_only, size, events, truth)

    _write(con, events, pd.concat([people, staff]), registrations, pd.concat([rows, staff_rows]))


def _registrations(rng, attended, participants, n_no_show_only, size, events, truth) -> pd.DataFrame:
    # 80% of attendances were registered; the rest walked in from a shared link.
    walked_in = rng.random(len(attended)) < 0.2
    came = attended[~walked_in]
    # No-shows: participants registering for a webinar they then missed, and persons
    # who registered and never came to any.
    extra = pd.DataFrame(
        {
            "person_id": rng.integers(1, participants + 1, len(attended) // 4).astype(np.int32),
            "event_id": rng.integers(1, size.n_events + 1, len(attended) // 4).astype(np.int16),
        }
    )
    only = pd.DataFrame(
        {
            "person_id": np.arange(participants + 1, participants + n_no_show_only + 1, dtype=np.int32),
            "event_id": rng.integers(1, size.n_events + 1, n_no_show_only).astype(np.int16),
        }
    )
    regs = pd.concat([came, extra, only]).drop_duplicates(["person_id", "event_id"], ignore_index=True)
    starts = events.set_index("event_id").loc[regs["event_id"], "starts_at"].to_numpy()
    days_before = rng.uniform(0.2, 14, len(regs))
    regs["registered_at"] = starts - np.round(days_before * 86_400).astype("timedelta64[s]")
    regs["source"] = "registration-form"
    declared = rng.random(len(regs)) < 0.9
    regs["country"] = np.where(declared, truth.loc[regs["person_id"], "true_country"].to_numpy(), None)
    stated = rng.random(len(regs)) < 0.93
    regs["role"] = np.where(stated, truth.loc[regs["person_id"], "true_role"].to_numpy(), None)
    return regs


def _write(con, events, people, registrations, attendance) -> None:
    try:
        for table in ("attendance", "registrations", "participants", "events"):
            con.execute(f"delete from {table}")  # noqa: S608 - fixed table names
        con.register("demo_events", events)
        con.execute("insert into events by name select * from demo_events")
        con.register("demo_people", people[["person_id", "identity_key", "display_name", "email"]])
        con.execute("insert into participants by name select * from demo_people")
        con.register("demo_registrations", registrations)
        con.execute("insert into registrations by name select * from demo_registrations")
        columns = [
            "person_id",
            "event_id",
            "joined_at",
            "left_at",
            "is_staff",
            "staff_role",
            "country",
            "role",
            "source",
        ]
        con.register("demo_attendance", attendance[columns])
        con.execute("insert into attendance by name select * from demo_attendance")
        con.execute("update events set origin = 'demo'")
        database.reset_sequences(con)  # the demo's rows came with their own ids
    finally:
        for name in ("demo_events", "demo_people", "demo_registrations", "demo_attendance"):
            con.unregister(name)
