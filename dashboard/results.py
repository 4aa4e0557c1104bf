"""Results computed from the facts, kept in this process while the facts stay the same.

A rerun that changes nothing — a language switch, a click elsewhere on the page, a second viewer
with the same filters, the live view's refresh of another page — reads the overview, its figures
and the retention of a selection from here instead of computing them again. Each result is kept
under (database, facts generation, what was asked): when a transaction that may change the facts
commits (database.facts_generation), later requests ask under the new generation and the results
of older generations are dropped. At most REACH_RESULTS_KEPT results are kept (least recently
used first out), so memory stays bounded however many selections people make.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from dashboard.settings import results_kept

T = TypeVar("T")


class Results:
    """A bounded store of results by key; the key's second member is the facts generation."""

    def __init__(self, kept: int):
        self.kept = kept
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        self.computed = 0  # how many times a result had to be computed (tests, benchmarks)

    def get(self, key: tuple[Hashable, int, Hashable], compute: Callable[[], T]) -> T:
        """The result under `key` = (database, generation, question), computed once."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]  # type: ignore[return-value]
        value = compute()  # outside the lock: another session's question need not wait for this one
        with self._lock:
            self.computed += 1
            database, generation = key[0], key[1]
            for old in [k for k in self._entries if k[0] == database and k[1] < generation]:
                del self._entries[old]  # facts moved on: nobody asks under an older generation again
            self._entries[key] = value
            while len(self._entries) > self.kept:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


RESULTS = Results(results_kept())
# The live view's figures of a webinar, shared by every screen showing it: kept under (database,
# (facts generation, committed writes), question), since live events change what it shows
# before the facts catch up with them. A few webinars at a time, each a few questions.
LIVE = Results(64)
