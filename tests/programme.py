"""A tiny hand-made programme whose figures are worked out by hand in the tests.

Programme time zone Asia/Yekaterinburg (UTC+5). Three webinars:
  w1 2026-10-01 06:00 UTC, series S      w2 2026-10-08 06:00 UTC, series S
  w3 2026-10-15 20:00 UTC, series T  (local date 2026-10-16: dates are the programme's)

Persons (audience intervals in UTC, minutes = union of intervals):
  P1 ann@x.org      reg w1 (RU, executive, 09-20), reg w2 (no country, scientist, 10-05)
                    w1 [06:00,06:30) [06:20,06:50) [07:00,07:10) -> 60 min; w2 [06:00,06:45) -> 45
  P2 "Ёлкина  Мария" (guest, no e-mail) no registration
                    w1 [06:10,06:40) reported KZ, [06:40,07:00) reported BY -> 50 min, country BY (tie: latest)
  P3 Bob@Y.org      reg w1 (AM, student) no-show; reg w2 (AM); w2 [06:05,06:35) -> 30
  P4 cara@z.org     reg w2 (no country, official); w2 [06:00,06:05) -> 5, no country anywhere
  P5 host@perm.ru   staff (host) rows on w1 and w2 [05:50,07:40): never audience
  P6 dan@q.kz       w3 [20:00,21:00) reported KZ -> 60, no registration
  P7 eve@w.org      reg w3 (UZ, economist), no-show
"""

from datetime import datetime

import duckdb

from dashboard import database
from dashboard.identity import identity_key

TZ = "Asia/Yekaterinburg"


def ts(text: str) -> datetime:
    return datetime.fromisoformat(text)


EVENTS = [
    (1, "w1", "S", "Webinar one", ts("2026-10-01 06:00")),
    (2, "w2", "S", "Webinar two", ts("2026-10-08 06:00")),
    (3, "w3", "T", "Webinar three", ts("2026-10-15 20:00")),
]
PERSONS = [
    (1, "ann@x.org", "Ann"),
    (2, None, "Ёлкина  Мария"),
    (3, " Bob@Y.org ", "Bob"),
    (4, "cara@z.org", "Cara"),
    (5, "host@perm.ru", "Host"),
    (6, "dan@q.kz", "Dan"),
    (7, "eve@w.org", "Eve"),
]
REGISTRATIONS = [  # person, event, registered_at, country, role
    (1, 1, ts("2026-09-20 10:00"), "RU", "executive"),
    (1, 2, ts("2026-10-05 10:00"), None, "scientist"),
    (3, 1, ts("2026-09-25 10:00"), "AM", "student"),
    (3, 2, ts("2026-10-02 10:00"), "AM", None),
    (4, 2, ts("2026-10-03 10:00"), None, "official"),
    (7, 3, ts("2026-10-10 10:00"), "UZ", "economist"),
]
ATTENDANCE = [  # person, event, joined, left, is_staff, staff_role, country
    (1, 1, "2026-10-01 06:00", "2026-10-01 06:30", False, None, None),
    (1, 1, "2026-10-01 06:20", "2026-10-01 06:50", False, None, None),
    (1, 1, "2026-10-01 07:00", "2026-10-01 07:10", False, None, None),
    (1, 2, "2026-10-08 06:00", "2026-10-08 06:45", False, None, None),
    (2, 1, "2026-10-01 06:10", "2026-10-01 06:40", False, None, "KZ"),
    (2, 1, "2026-10-01 06:40", "2026-10-01 07:00", False, None, "BY"),
    (3, 2, "2026-10-08 06:05", "2026-10-08 06:35", False, None, None),
    (4, 2, "2026-10-08 06:00", "2026-10-08 06:05", False, None, None),
    (5, 1, "2026-10-01 05:50", "2026-10-01 07:40", True, "host", "RU"),
    (5, 2, "2026-10-08 05:50", "2026-10-08 07:40", True, "host", "RU"),
    (6, 3, "2026-10-15 20:00", "2026-10-15 21:00", False, None, "KZ"),
]


def build(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Write the tiny programme into an initialised database and derive the facts."""
    con.executemany(
        "insert into events (event_id, event_key, series, title, starts_at, planned_minutes, platform)"
        " values (?, ?, ?, ?, ?, 90, 'Zoom')",
        EVENTS,
    )
    con.executemany(
        "insert into participants (person_id, identity_key, display_name, email) values (?, ?, ?, ?)",
        [(pid, identity_key(email, name), name, email) for pid, email, name in PERSONS],
    )
    con.executemany(
        "insert into registrations (person_id, event_id, registered_at, source, country, role)"
        " values (?, ?, ?, 'form', ?, ?)",
        REGISTRATIONS,
    )
    con.executemany(
        "insert into attendance (person_id, event_id, joined_at, left_at, is_staff, staff_role, country, source)"
        " values (?, ?, ?, ?, ?, ?, ?, 'zoom')",
        [(p, e, ts(joined), ts(left), s, r, c) for p, e, joined, left, s, r, c in ATTENDANCE],
    )
    database.set_programme_setting(con, "timezone", TZ)
    database.set_programme_setting(con, "title", "Tiny test programme")
    database.reset_sequences(con)  # the rows above came with their own ids
    with database.transaction(con):
        database.refresh(con)
    return con
