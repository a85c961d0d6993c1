"""Drains the hub into the journal's event table, in batches, on its own thread.

`AlarmChanged` is not written here: the alarm service has already stored the alarm (durably,
before announcing it), so journaling it twice would be noise.
"""

from __future__ import annotations

import logging
import threading

from app.core.events import AlarmChanged
from app.core.hub import Hub, all_but
from app.core.journal import Journal

log = logging.getLogger(__name__)


class JournalWriter:
    def __init__(self, hub: Hub, journal: Journal, batch_interval_s: float = 0.2) -> None:
        self._journal = journal
        self._sub = hub.subscribe("journal", all_but(AlarmChanged))
        self._hub = hub
        self._interval = batch_interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self.written = 0

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sub.wait(self._interval)
            self._stop.wait(self._interval)  # gather a batch: one commit per interval
            self.flush()
        self.flush()

    def flush(self) -> None:
        batch = self._sub.drain()
        if not batch:
            return
        try:
            self._journal.append_events(batch)
            self.written += len(batch)
        except Exception:
            log.exception("journal write of %d events failed", len(batch))

    def stop(self) -> None:
        self._stop.set()
        self._sub.wake()
        self._thread.join(5)
        self._hub.unsubscribe(self._sub)
