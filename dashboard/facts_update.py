"""The facts update after live events: in the background and coalesced.

The ingest API and the check-in page commit events and return at once; this thread then
updates the facts once for everything committed since its last update — only the persons of
those events (database.catch_up). A burst of check-ins costs one update, not one each, and no
request waits for an update it did not need.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import duckdb

LOG = logging.getLogger("reach.facts")
RETRY_SECONDS = 5


class FactsUpdate:
    """One background facts update at a time; a request during one schedules one more."""

    def __init__(self, connection: Callable[[], duckdb.DuckDBPyConnection]):
        self._connection = connection
        self._wanted = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self.rebuilds = 0
        self.last_error: str | None = None

    def request(self) -> None:
        """Ask for a rebuild covering everything committed so far."""
        with self._lock:
            self._idle.clear()
            self._wanted.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="reach-facts-update", daemon=True)
                self._thread.start()

    def wait(self, timeout: float) -> bool:
        """Wait until no rebuild is wanted or running; whether that happened within `timeout`."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            try:
                self._rebuild()
            except Exception as exc:  # noqa: BLE001 - the thread must outlive a failed rebuild
                # only the kind: a database message may quote a stored value such as an e-mail
                LOG.error("updating the figures failed (%s); retrying in %s s", type(exc).__name__, RETRY_SECONDS)
                self.last_error = type(exc).__name__
                time.sleep(RETRY_SECONDS)
                self._wanted.set()
            with self._lock:
                if not self._wanted.is_set():
                    self._idle.set()

    def _rebuild(self) -> None:
        from dashboard import database  # the module that owns this object

        cursor = self._connection().cursor()
        try:
            with database.transaction(cursor, canonical=False):  # ingest goes on meanwhile
                database.catch_up(cursor)
            self.rebuilds += 1
            self.last_error = None
        finally:
            cursor.close()
