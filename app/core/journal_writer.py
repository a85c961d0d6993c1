"""Drains the hub into the journal's event table, in batches, on its own thread.

Not written here: `AlarmChanged` and `AlarmReported` (the alarm service stores alarms and
the reports that raised them in one durable transaction before announcing them), and
`JournalStatus`, `RoomStatus`, `SeatsChanged` (about the journal itself). Events posted
with `Hub.post_durable` are settled here once committed.

When a write fails, the batch is not lost: durable events are settled with the error at
once (their sources are not acknowledged and send again), the others are kept, bounded,
and written with the next batch; writes are retried with the house's backoff (capped at a
few seconds), and the journal's health says what is wrong meanwhile.
"""

from __future__ import annotations

import logging
import threading
from collections import deque

from app.core.events import (
    AlarmChanged,
    AlarmReported,
    Event,
    JournalStatus,
    RoomStatus,
    SeatsChanged,
)
from app.core.hub import Hub, all_but
from app.core.journal import JournalStore, JournalUnavailable
from app.core.retry import backoff_delay

log = logging.getLogger(__name__)

MAX_KEPT = 200_000  # events kept in memory while the journal cannot write (oldest go first)
RETRY_CAP_S = 5.0


class JournalWriter:
    def __init__(self, hub: Hub, journal: JournalStore, batch_interval_s: float = 0.2) -> None:
        self._journal = journal
        self._sub = hub.subscribe("journal", all_but(
            AlarmChanged, AlarmReported, JournalStatus, RoomStatus, SeatsChanged))
        self._hub = hub
        self._interval = batch_interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="journal-writer", daemon=True)
        self._kept: deque[Event] = deque()
        self._failures = 0
        self.written = 0
        self.dropped = 0  # kept events pushed out by MAX_KEPT during a long outage

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sub.wait(self._interval)
            wait = self._interval
            if self._failures:
                wait = backoff_delay(self._failures, first_s=self._interval, cap_s=RETRY_CAP_S)
            self._stop.wait(wait)  # gather a batch: one commit per interval
            self.flush()
        self.flush()

    def flush(self) -> None:
        fresh = self._sub.drain()
        if not fresh and not self._kept:
            return
        batch = [*self._kept, *fresh]
        try:
            self._journal.append_events(batch)
        except Exception as exc:
            if not isinstance(exc, JournalUnavailable):  # the journal logs its own state
                log.exception("journal write of %d events failed", len(batch))
            self._failures += 1
            # durable ones are refused now: their sources were not acknowledged, they resend
            durable = self._hub.settle(fresh, exc)
            self._keep([e for e in fresh if id(e) not in durable])
            return
        self._failures = 0
        self._kept.clear()
        self.written += len(batch)
        self._hub.settle(fresh)

    def _keep(self, events: list[Event]) -> None:
        """Keep what no source will resend (positions, statuses), bounded."""
        self._kept.extend(events)
        while len(self._kept) > MAX_KEPT:
            self._kept.popleft()
            self.dropped += 1

    def stop(self) -> None:
        self._stop.set()
        self._sub.wake()
        self._thread.join(5)
        self._hub.unsubscribe(self._sub)
