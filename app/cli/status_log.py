"""The service's log of what changes: each adapter's state and the journal's health, as
they come on the hub, one line per change, rate-bounded per subject.

A flapping adapter or a journal failing and recovering in a loop must not fill the log
file: past `BURST` lines in `WINDOW_S` for one subject, changes are counted, and the state
it is in when the window ends is logged with how many changes were left out, so the log
never ends on a state that is no longer true.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from app.core.events import AdapterStatus, Event, JournalStatus
from app.core.hub import Hub, only

log = logging.getLogger("app.service")

BURST = 5
WINDOW_S = 60.0
TICK_S = 1.0  # how often a held-back state is looked at
WARN_STATES = frozenset({"retrying", "failed", "refused"})


@dataclass(slots=True)
class _Line:
    level: int
    text: str


class Throttle:
    """At most `burst` lines per subject in any `window_s`; the latest held-back line of a
    subject is released, with the count of those left out, once its window allows."""

    def __init__(self, write: Callable[[int, str], None], burst: int = BURST,
                 window_s: float = WINDOW_S, clock: Callable[[], float] = time.monotonic
                 ) -> None:
        self._write = write
        self._burst, self._window, self._clock = burst, window_s, clock
        self._times: dict[str, deque[float]] = {}
        self._held: dict[str, tuple[_Line, int]] = {}  # subject -> (latest line, left out)

    def _room(self, subject: str, now: float) -> bool:
        times = self._times.setdefault(subject, deque())
        while times and now - times[0] >= self._window:
            times.popleft()
        return len(times) < self._burst

    def say(self, subject: str, level: int, text: str) -> None:
        now = self._clock()
        if self._room(subject, now) and subject not in self._held:
            self._times[subject].append(now)
            self._write(level, text)
            return
        _line, left_out = self._held.get(subject, (None, 0))
        self._held[subject] = (_Line(level, text), left_out + 1)

    def release(self) -> None:
        """Write each held-back line whose subject has room again."""
        now = self._clock()
        for subject, (line, left_out) in list(self._held.items()):
            if self._room(subject, now):
                del self._held[subject]
                self._times[subject].append(now)
                self._write(line.level, f"{line.text} ({left_out - 1} earlier change(s) in "
                                        f"the last {self._window:.0f} s not logged)"
                            if left_out > 1 else line.text)

    def flush(self) -> None:
        """At stop: every held-back line now, whatever the rate."""
        for subject in list(self._held):
            self._times[subject].clear()
        self.release()


def adapter_line(e: AdapterStatus) -> str:
    counts = f"{e.messages} message(s), {e.events} event(s), {e.rejected} rejected"
    return f"adapter {e.adapter}: {e.state}{f' — {e.detail}' if e.detail else ''} ({counts})"


def journal_line(e: JournalStatus) -> tuple[int, str]:
    if e.recovered_from:
        return logging.WARNING, (
            f"journal: it could not be used ({e.recovery_problem}) and was kept aside as "
            f"{e.recovered_from}; a new one is in use ({e.saved_alarms} alarm(s), "
            f"{e.saved_actions} action(s), {e.saved_events} event(s) recovered)")
    if e.ok:
        return logging.INFO, "journal: storing again"
    waiting = (f"; {e.waiting_reports} alarm report(s) wait, not acknowledged to their "
               f"sources" if e.waiting_reports else "")
    return logging.ERROR, f"journal: NOT storing — {e.problem or 'unknown problem'}{waiting}"


class StatusLog:
    """Subscribes to the hub and logs changes from its own thread (never the poster's)."""

    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._sub = hub.subscribe("service-log", only(AdapterStatus, JournalStatus))
        self._throttle = Throttle(lambda level, text: log.log(level, "%s", text))
        self._last: dict[str, tuple[object, ...]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="service-log", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Log what is still waiting (the adapters' last states), then end."""
        self._stop.set()
        self._sub.wake()
        self._thread.join(timeout=10)
        self._hub.unsubscribe(self._sub)

    def _run(self) -> None:
        while True:
            stopping = self._stop.is_set()
            if not stopping:
                self._sub.wait(TICK_S)
            for event in self._sub.drain():
                self._note(event)
            if stopping:
                self._throttle.flush()
                return
            self._throttle.release()

    def _note(self, event: Event) -> None:
        if isinstance(event, AdapterStatus):
            key: tuple[object, ...] = (event.state, event.detail)
            if self._last.get(f"adapter:{event.adapter}") != key:
                self._last[f"adapter:{event.adapter}"] = key
                level = logging.WARNING if event.state in WARN_STATES else logging.INFO
                self._throttle.say(f"adapter:{event.adapter}", level, adapter_line(event))
        elif isinstance(event, JournalStatus):
            key = (event.ok, event.problem)
            if self._last.get("journal", (True, "")) != key or event.recovered_from:
                self._last["journal"] = key
                self._throttle.say("journal", *journal_line(event))
