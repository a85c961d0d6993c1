"""The purge, run by itself: a thread in whoever writes the journal (the one console's
runtime, or a room's service) destroys what retention no longer allows, every hour.

The first run comes a minute after start (not at once: start-up has more urgent work, the
alarms to restore and the adapters to connect). A failure (the journal cannot be written, a
lost connection) is logged and tried again at the next run: it never stops the console.
The clock is injectable so tests run the purge "a month later" without waiting a month.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from app.core.journal import JournalStore
from app.core.model import utc_now
from app.core.retention import Kind, RetentionConfig
from app.services.recorder.purge import purge_expired

log = logging.getLogger(__name__)

FIRST_RUN_S = 60.0
EVERY_S = 3600.0
# the order of a run: the big table first (positions), the access log last
ORDER = (Kind.RECORDINGS, Kind.POSITIONS, Kind.EVENTS, Kind.CLOSED_ALARMS, Kind.ACCESS_LOG)


class RetentionRunner:
    def __init__(self, journal: JournalStore, config: RetentionConfig,
                 clock: Callable[[], datetime] = utc_now, first_run_s: float = FIRST_RUN_S,
                 every_s: float = EVERY_S) -> None:
        self._journal = journal
        self._config = config
        self._clock = clock
        self._first = first_run_s
        self._every = every_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0  # runs finished, failed or not
        self.failures = 0

    def run_once(self) -> dict[Kind, int]:
        """One purge of every kind, as of the clock's now: how many rows each destroyed.
        A kind that fails is logged; the others still run."""
        now = self._clock()
        destroyed: dict[Kind, int] = {}
        for kind in ORDER:
            if self._stop.is_set():
                break
            try:
                before, rule = now - self._config.keep(kind), self._config.rule(kind)
                if kind is Kind.RECORDINGS:  # files and rows (a recording is its file)
                    destroyed[kind] = purge_expired(self._journal, before, rule, now)
                else:
                    destroyed[kind] = self._journal.purge(kind, before, rule, time=now)
            except Exception as exc:  # retried at the next run; never stops the console
                self.failures += 1
                log.error("retention: the purge of %s failed (tried again in %.0f min): %s",
                          kind.value, self._every / 60, exc)
        self.runs += 1
        if any(destroyed.values()):
            log.info("retention: destroyed %s", ", ".join(
                f"{n} {k.value}" for k, n in destroyed.items() if n))
        return destroyed

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="retention", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stops between two chunks of a run at the latest."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)

    def _run(self) -> None:
        wait = self._first
        while not self._stop.wait(wait):
            self.run_once()
            wait = self._every
