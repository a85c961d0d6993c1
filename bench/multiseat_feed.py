"""The alarm source of bench/multiseat.py, Qt-free: a feeder that posts `AlarmReported` at a
fixed rate with `hub.post_durable` and stamps, per alarm, when its future says it is stored
(that is when a DC-09 panel gets its ACK). Used by the bench process (the room's service)
and by the single-process SQLite reference console (bench/multiseat_seat.py)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.core.events import AlarmReported
from app.core.hub import Hub
from app.core.model import AlarmType, LatLon

SOURCE = "bench"
TYPES_CYCLE = [AlarmType(t) for t in ("weapon_drawn", "gunshot", "intrusion", "lpr_hit",
                                       "video_analytics", "citizen_report", "bodycam_emergency")]


def source_id(tag: str, i: int) -> str:
    return f"{tag}-{i}"


def index_of(sid: str) -> int:
    """The alarm's number in its phase (the feeder's `i`)."""
    return int(sid.rsplit("-", 1)[1])


@dataclass
class Feed:
    """One phase's alarms: when each was posted and when its source was acknowledged (wall
    clock, time.time(): the seats are other processes on the same machine)."""

    tag: str
    rate: float
    seconds: float
    posted: dict[str, float] = field(default_factory=dict)
    acked: dict[str, float] = field(default_factory=dict)  # the source's ACK: stored durably
    refused: dict[str, str] = field(default_factory=dict)  # not stored: the source resends
    started: float = 0.0
    fed: float = 0.0  # when the last alarm was posted
    cpu_s: float = 0.0  # the feeder thread's own CPU time (it is gone when the phase ends)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def expected(self) -> int:
        return int(self.rate * self.seconds)

    def settled(self) -> int:
        with self._lock:
            return len(self.acked) + len(self.refused)

    def acked_ids(self) -> set[str]:
        with self._lock:
            return set(self.acked)

    def run(self, hub: Hub) -> None:
        """Post the phase's alarms on time (a late feeder catches up without a pause)."""
        self.started = time.time()
        cpu0 = time.thread_time()
        t0 = time.perf_counter()
        for i in range(self.expected):
            delay = t0 + i / self.rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            sid = source_id(self.tag, i)
            self.posted[sid] = time.time()
            fut = hub.post_durable(AlarmReported(
                source=SOURCE, source_id=sid, type=TYPES_CYCLE[i % len(TYPES_CYCLE)],
                priority=1 + i % 4, title=f"Alarme de test {self.tag} n° {i}",
                time=datetime.now(UTC),
                position=LatLon(60.1650 + (i % 97) * 1e-4, 24.9300 + (i % 89) * 2.5e-4)))
            fut.add_done_callback(lambda f, sid=sid: self._stored(sid, f))
        self.fed = time.time()
        self.cpu_s = time.thread_time() - cpu0

    def _stored(self, sid: str, fut: Future[None]) -> None:
        now = time.time()  # first: the stamp is the ACK's moment, not the lock's
        exc = fut.exception()
        with self._lock:
            if exc is None:
                self.acked[sid] = now
            else:
                self.refused[sid] = str(exc)

    def start(self, hub: Hub) -> threading.Thread:
        thread = threading.Thread(target=self.run, args=(hub,), name=f"feeder-{self.tag}",
                                  daemon=True)
        thread.start()
        return thread

    def wait_settled(self, timeout_s: float) -> bool:
        end = time.monotonic() + timeout_s
        while self.settled() < self.expected:
            if time.monotonic() > end:
                return False
            time.sleep(0.05)  # the poll interval of a bounded wait (bench, not a test)
        return True
