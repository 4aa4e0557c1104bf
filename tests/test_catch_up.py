"""Updating the facts for the persons of new live events gives exactly what a whole rebuild gives."""

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import database
from dashboard.live.events import parse_batch
from dashboard.live.store import store
from tests import programme

# existing persons of tests/programme.py (by e-mail or name) and new ones
PEOPLE = ["ann@x.org", "Ёлкина Мария", "bob@y.org", "cara@z.org", "dan@q.kz", "eve@w.org", "new1@n.org", "Новый Гость"]
WEBINARS = {"w1": "2026-10-01T06", "w2": "2026-10-08T06", "w3": "2026-10-15T20"}
# live webinars nobody imported: one later than all (it takes a free slot), one between w2 and w3
# (the slots after it move: a whole rebuild)
NEW_WEBINARS = {"live-new": "2026-10-20T10", "live-mid": "2026-10-10T10"}
COUNTRIES = [None, "KZ", "Россия", "Армения", "Марс", "UZ"]
ROLES = [None, "студент", "CEO", "economist", "unknown", "водитель"]

event = st.fixed_dictionaries({
    "person": st.sampled_from(PEOPLE), "event": st.sampled_from(sorted(WEBINARS)),
    "type": st.sampled_from(["join", "leave"]), "minute": st.integers(0, 119),
    "country": st.sampled_from(COUNTRIES), "role": st.sampled_from(ROLES),
})  # fmt: skip


def batch(items: list[dict], start: int) -> list:
    events = []
    for n, item in enumerate(items):
        hour, minute = divmod(item["minute"], 60)
        prefix = {**WEBINARS, **NEW_WEBINARS}[item["event"]]
        at = f"{prefix[:-2]}{int(prefix[-2:]) + hour:02d}:{minute:02d}:00Z"
        person = {"email": item["person"]} if "@" in item["person"] else {"name": item["person"]}
        events.append({"id": f"e{start + n}", "event": item["event"], "type": item["type"], "at": at, **person,
                       **({"country": item["country"]} if item["country"] else {}),
                       **({"role": item["role"]} if item["role"] else {})})  # fmt: skip
    return parse_batch(json.dumps({"events": events}).encode())


def facts(con) -> dict:
    """Every derived table and the persons' derived attributes, rows sorted, floats rounded."""
    tables = [table for table, _, _ in database.FACTS]
    result = {t: con.execute(f"select * from {t} order by all").fetchall() for t in tables}  # noqa: S608
    result["participants"] = con.execute("select person_id, country, role from participants order by all").fetchall()
    return {t: [tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows]
            for t, rows in result.items()}  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=bool(os.environ.get("CI")))  # fmt: skip
@given(st.lists(st.lists(event, min_size=1, max_size=8), min_size=1, max_size=4),
       st.lists(st.sampled_from(sorted(NEW_WEBINARS)), max_size=2))  # fmt: skip
def test_catching_up_equals_a_whole_rebuild(batches, new_webinars):
    con = programme.build(database.connect_memory())
    for n, key in enumerate(new_webinars):  # a live webinar nobody imported: its first event creates it
        batches = [*batches[: n + 1], [{**batches[0][0], "event": key}], *batches[n + 1 :]]
    start = 0
    for items in batches:
        store(con, batch(items, start), refresh=False)
        start += len(items)
        assert database.facts_are_stale(con)
        with database.transaction(con, canonical=False):
            database.catch_up(con)
        assert not database.facts_are_stale(con)
    caught_up = facts(con)
    with database.transaction(con):
        database.refresh(con)
    assert caught_up == facts(con)
    con.close()


def test_catching_up_rebuilds_only_the_persons_of_new_events():
    con = programme.build(database.connect_memory())
    before = facts(con)
    store(con, batch([{"person": "dan@q.kz", "event": "w3", "type": "join", "minute": 80, "country": "UZ",
                       "role": "студент"}], 0), refresh=False)  # fmt: skip
    with database.transaction(con, canonical=False):
        assert database.catch_up(con) == 1  # Dan only
    after = facts(con)
    # Dan (person 6) had w3 [20:00, 21:00) reported KZ. He joins again at 21:20 and has not left:
    # open to the planned end, 20:00 + 90 min = 21:30, so 60 + 10 = 70 minutes. Countries
    # reported: KZ once, UZ once; the tie goes to the latest row, UZ. Role: stated once, student.
    assert [r for r in after["participants"] if r[0] == 6] == [(6, "UZ", "student")]
    assert [r for r in before["participants"] if r[0] != 6] == [r for r in after["participants"] if r[0] != 6]
    dan_pairs = [(r[2], r[6], r[7], r[10]) for r in after["pair_facts"] if r[0] == 6]
    assert dan_pairs == [("w3", "UZ", "student", 70.0)]
    # w3's cells: Dan moved from (KZ, unknown) to (UZ, student); Eve (UZ, economist) registered only
    w3_cells = [(r[5], r[6], r[8], r[9], r[10], r[11]) for r in after["event_cell_facts"] if r[1] == "w3"]
    assert w3_cells == [("UZ", "economist", 1, 0, 0, 0.0), ("UZ", "student", 0, 1, 0, 70.0)]
    assert [r for r in after["event_peaks"] if r[0] == 3] == [(3, 1)]
    con.close()


def test_a_webinar_later_than_all_takes_a_free_slot_without_a_whole_rebuild():
    """The first event of a live webinar nobody imported rebuilds its persons only (issue 12): the
    bitstrings were laid out with room (3 webinars: 128 slots), so no other person changes."""
    con = programme.build(database.connect_memory())
    assert database.programme_setting(con, "slot_capacity") == "128"
    before = facts(con)
    store(con, batch([{"person": "new1@n.org", "event": "live-new", "type": "join", "minute": 5, "country": "AM",
                       "role": "студент"}], 0), refresh=False)  # fmt: skip
    with database.transaction(con, canonical=False):
        assert database.catch_up(con) == 1  # the new person only, not the 8 of a whole rebuild
    after = facts(con)
    # live-new is the 4th webinar (slot 3), its peak 1; the others' rows are unchanged
    assert [r[0::8] for r in after["event_facts"]] == [(1, 0), (2, 1), (3, 2), (4, 3)]
    assert sorted(after["event_peaks"]) == [*before["event_peaks"], (4, 1)]
    assert [r for r in after["person_facts"] if r[0] != 8] == before["person_facts"]
    with database.transaction(con):
        database.refresh(con)
    assert after == facts(con)
    con.close()


def test_a_webinar_between_others_moves_the_later_slots_and_rebuilds_only_their_persons():
    """live-mid (10 October) comes between w2 and w3: w3 moves from slot 2 to slot 3, so the
    persons with a pair in w3 (Dan attended, Eve registered) are rebuilt with the new person —
    3 persons, not all 8: no whole rebuild — and the facts are those of a whole rebuild."""
    con = programme.build(database.connect_memory())
    store(con, batch([{"person": "new1@n.org", "event": "live-mid", "type": "join", "minute": 5, "country": "AM",
                       "role": "студент"}], 0), refresh=False)  # fmt: skip
    with database.transaction(con, canonical=False):
        assert database.catch_up(con) == 3
    assert con.execute("select event_key, slot from event_facts order by slot").fetchall() == [
        ("w1", 0), ("w2", 1), ("live-mid", 2), ("w3", 3)]  # fmt: skip
    caught_up = facts(con)
    assert [r[2:4] for r in caught_up["event_cell_facts"] if r[1] == "w3"] == [(3, "T"), (3, "T")]
    with database.transaction(con):
        database.refresh(con)
    assert caught_up == facts(con)
    con.close()
