"""Drains the hub into the journal's event table, in batches, on its own thread.

`AlarmChanged` is not written here: the alarm service has already stored the alarm (durably,
before announcing it), so journaling it twice would be noise. Events posted with
`Hub.post_durable` are settled here once committed, except alarm reports: their store is
the alarm service.
"""

from __future__ import annotations

import logging
import threading

from app.core.events import AlarmChanged, AlarmReported
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
        owned = [e for e in batch if not isinstance(e, AlarmReported)]
        try:
            self._journal.append_events(batch)
            self.written += len(batch)
        except Exception as exc:
            log.exception("journal write of %d events failed", len(batch))
            self._hub.settle(owned, exc)
            return
        self._hub.settle(owned)

    def stop(self) -> None:
        self._stop.set()
        self._sub.wake()
        self._thread.join(5)
        self._hub.unsubscribe(self._sub)
