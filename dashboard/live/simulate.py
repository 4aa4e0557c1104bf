"""`reach live simulate`: a rehearsal webinar sent to the ingest API with proper signatures.

Every batch is marked as rehearsal: the server keeps it apart from the programme's figures and
refuses it for a webinar that holds real data (docs/metrics.md, rehearsals).

Joins, rejoins and leaves of people drawn like the demo programme (countries with stage-1
states holding most, all roles), sent in small signed batches at about `rate` events a second
for `duration` seconds. Every event has a unique id, so a resent batch is counted once.
"""

from __future__ import annotations

import json
import random
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime

from dashboard.demo import COUNTRY_SHARES, ROLE_SHARES
from dashboard.live.signing import sign

BATCH = 20


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def rehearsal_events(rng: random.Random, event_key: str, count: int, run: str):
    """`count` events: mostly joins of new people, some leaves and rejoins of those connected."""
    connected: list[int] = []
    left: list[int] = []
    people: dict[int, tuple[str, str]] = {}
    for n in range(count):
        roll = rng.random()
        if connected and roll < 0.25:
            person, kind = connected.pop(rng.randrange(len(connected))), "leave"
            left.append(person)
        elif left and roll < 0.35:
            person, kind = left.pop(rng.randrange(len(left))), "join"  # a rejoin
            connected.append(person)
        else:
            person, kind = len(people), "join"
            people[person] = (_pick(rng, COUNTRY_SHARES), _pick(rng, ROLE_SHARES))
            connected.append(person)
        country, role = people[person]
        yield {
            "id": f"{run}-{n}", "event": event_key, "event_title": f"Репетиция / Rehearsal {event_key}",
            "type": kind, "at": datetime.now(UTC).isoformat(timespec="seconds"),
            "email": f"rehearsal-{run}-{person}@example.org", "country": country, "role": role,
        }  # fmt: skip


class HoldsRealData(Exception):
    """The server refused the rehearsal: the webinar holds real data (the message is its key)."""


def post(url: str, secret: str, events: list[dict]) -> dict:
    """Send one signed batch, marked as rehearsal."""
    body = json.dumps({"rehearsal": True, "events": events}).encode()
    stamp = int(time.time())
    request = urllib.request.Request(f"{url.rstrip('/')}/api/v1/events", data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Reach-Timestamp": str(stamp),
        "X-Reach-Signature": sign(secret, stamp, body)})  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 409:
            raise HoldsRealData(events[0]["event"]) from None
        raise RuntimeError(f"the server answered {error.code}: {error.read().decode(errors='replace')}") from error


def simulate(url: str, secret: str, event_key: str, rate: float, duration: float, seed: int | None = None) -> dict:
    """Send the rehearsal; returns the totals the server acknowledged."""
    rng = random.Random(seed)
    run = f"{int(time.time())}-{rng.randrange(10**6)}"
    total = max(1, int(rate * duration))
    events = rehearsal_events(rng, event_key, total, run)
    accepted = duplicates = sent = 0
    started = time.monotonic()
    while sent < total:
        chunk = [next(events) for _ in range(min(BATCH, total - sent))]
        answer = post(url, secret, chunk)
        accepted, duplicates, sent = accepted + answer["accepted"], duplicates + answer["duplicates"], sent + len(chunk)
        pause = started + sent / rate - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    return {
        "sent": sent,
        "accepted": accepted,
        "duplicates": duplicates,
        "seconds": round(time.monotonic() - started, 1),
    }
