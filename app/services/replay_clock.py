"""The one clock of a replay: which instant every tile, the map and the alarm queue show.

Tiles agree by construction because none keeps time of its own: each asks this clock.
The position is computed, never ticked: ``anchor + (now - anchor_monotonic) * rate``,
with ``now`` from an injectable monotonic source (tests and the bench drive it by hand).

Every discontinuity (seek, rate change, play, pause, stop at an end) bumps `generation`:
a decoder that sees a new generation drops what it had prepared for the old timeline
instead of presenting stale pictures. Thread-safe: decoders read it from their threads.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

# the speeds an operator can pick, both ways (issue 12: 1/8x to 16x forward and backward)
SPEEDS: tuple[float, ...] = (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
RATES: frozenset[float] = frozenset(SPEEDS) | frozenset(-s for s in SPEEDS)


@dataclass(frozen=True, slots=True)
class ClockState:
    """One consistent reading of the clock (position, rate and generation together)."""

    position: datetime
    rate: float  # signed: negative plays backwards
    playing: bool
    generation: int
    anchor: datetime  # the position at the last discontinuity (where this run started)


Listener = Callable[[ClockState], None]


class ReplayClock:
    def __init__(self, start: datetime, end: datetime, position: datetime | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        if end < start:
            raise ValueError("a replay clock's end comes before its start")
        self.start, self.end = start, end
        self._now = monotonic
        self._lock = threading.RLock()
        self._anchor = self._clamp(start if position is None else position)
        self._anchor_mono = monotonic()
        self._rate = 1.0
        self._playing = False
        self._generation = 0
        self._listeners: list[Listener] = []

    # --- reading -------------------------------------------------------------------------
    def state(self) -> ClockState:
        """Position, rate, playing and generation read together; stops at an end reached."""
        with self._lock:
            stopped = self._settle()
            snap = self._snapshot()
        if stopped:
            self._notify(snap)
        return snap

    def position(self) -> datetime:
        return self.state().position

    @property
    def rate(self) -> float:
        with self._lock:
            return self._rate

    @property
    def playing(self) -> bool:
        return self.state().playing

    @property
    def generation(self) -> int:
        return self.state().generation

    # --- commands ------------------------------------------------------------------------
    def seek(self, t: datetime) -> None:
        with self._lock:
            self._settle()
            self._anchor = self._clamp(t)
            self._anchor_mono = self._now()
            self._generation += 1
            snap = self._snapshot()
        self._notify(snap)

    def play(self) -> None:
        with self._lock:
            self._settle()
            if self._playing or self._at_far_end(self._anchor, self._rate):
                return
            self._anchor_mono = self._now()
            self._playing = True
            self._generation += 1
            snap = self._snapshot()
        self._notify(snap)

    def pause(self) -> None:
        with self._lock:
            self._settle()
            if not self._playing:
                return
            self._anchor = self._position_now()
            self._anchor_mono = self._now()
            self._playing = False
            self._generation += 1
            snap = self._snapshot()
        self._notify(snap)

    def set_rate(self, rate: float) -> None:
        """One of `RATES`; playing continues at the new rate from where the clock is."""
        if rate not in RATES:
            raise ValueError(f"replay rate {rate} is not one of {sorted(RATES)}")
        with self._lock:
            self._settle()
            if rate == self._rate:
                return
            self._anchor = self._position_now()
            self._anchor_mono = self._now()
            self._rate = rate
            self._generation += 1
            if self._playing and self._at_far_end(self._anchor, rate):
                self._playing = False
            snap = self._snapshot()
        self._notify(snap)

    def add_listener(self, listener: Listener) -> None:
        """Called (from the thread that changed the clock) after every discontinuity."""
        with self._lock:
            self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)

    # --- inside the lock -----------------------------------------------------------------
    def _position_now(self) -> datetime:
        if not self._playing:
            return self._anchor
        elapsed = (self._now() - self._anchor_mono) * self._rate
        return self._clamp(self._anchor + timedelta(seconds=elapsed))

    def _settle(self) -> bool:
        """Playing into an end stops there (a new generation). True when it just did."""
        if not self._playing:
            return False
        pos = self._position_now()
        if not self._at_far_end(pos, self._rate):
            return False
        self._anchor, self._anchor_mono = pos, self._now()
        self._playing = False
        self._generation += 1
        return True

    def _at_far_end(self, pos: datetime, rate: float) -> bool:
        return pos >= self.end if rate > 0 else pos <= self.start

    def _clamp(self, t: datetime) -> datetime:
        return min(max(t, self.start), self.end)

    def _snapshot(self) -> ClockState:
        return ClockState(self._position_now(), self._rate, self._playing, self._generation,
                          self._anchor)

    def _notify(self, snap: ClockState) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(snap)
