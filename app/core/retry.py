"""The one retry policy of the console, and a log that cannot be flooded.

Every reconnecting thing (adapters, video engines, the journal's writers) waits with the same
capped exponential backoff and jitter, so a whole room of workstations never knocks on a
camera or a broker in step. What is counted is counted every time; what is *logged* of a
flood (rejected frames, failing writes) is a sample, so stderr stays readable and the disk
is not filled by the log of a fault.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable

BACKOFF_FIRST_S = 1.0
BACKOFF_CAP_S = 60.0


def backoff_delay(attempt: int, rng: random.Random | None = None, *,
                  first_s: float | None = None, cap_s: float | None = None) -> float:
    """Capped exponential backoff with +/-20% jitter (attempt 1 -> ~`first_s`, by default
    `BACKOFF_FIRST_S`; never more than `cap_s`, by default `BACKOFF_CAP_S`)."""
    first_s = BACKOFF_FIRST_S if first_s is None else first_s
    cap_s = BACKOFF_CAP_S if cap_s is None else cap_s
    base = min(cap_s, first_s * (2 ** max(0, attempt - 1)))
    r = (rng or random).uniform(0.8, 1.2)
    return min(cap_s, base * r)


class SampledLog:
    """Logs the first `burst` messages of each `window_s`, then one line saying how many
    were left out. Thread-safe. The caller still counts every occurrence itself."""

    def __init__(self, logger: logging.Logger, burst: int = 5, window_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._log = logger
        self._burst = burst
        self._window = window_s
        self._clock = clock
        self._lock = threading.Lock()
        self._started = clock()
        self._logged = 0
        self._suppressed = 0

    def log(self, level: int, msg: str, *args: object) -> bool:
        """Log (or count as suppressed); True when this message was written."""
        with self._lock:
            now = self._clock()
            if now - self._started >= self._window:
                if self._suppressed:
                    self._log.log(level, "... and %d more like these in the last %.0f s "
                                  "(counted, not logged)", self._suppressed, self._window)
                self._started, self._logged, self._suppressed = now, 0, 0
            if self._logged >= self._burst:
                self._suppressed += 1
                return False
            self._logged += 1
        self._log.log(level, msg, *args)
        return True

    @property
    def suppressed(self) -> int:
        return self._suppressed
