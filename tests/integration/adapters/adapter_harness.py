"""Runs one adapter for real (adapter host thread, hub, and the stores that commit what it
emits durably: journal writer, alarm service) and waits, with a bound, for what it emits.
No sleeps: `wait_for` polls the hub subscription."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from app.core.adapter import Adapter, CountingSink
from app.core.events import AdapterStatus, Event
from app.core.host import AdapterHost
from app.core.hub import Hub, all_but, only
from app.core.journal import Journal
from app.core.journal_writer import JournalWriter
from app.services.alarm_service import AlarmService

WAIT_S = 15.0


class Running:
    def __init__(self, hub: Hub, host: AdapterHost, adapter: Adapter,
                 journal: Journal | None = None) -> None:
        self.hub, self.host, self.adapter = hub, host, adapter
        self.journal = journal  # None: nothing stores, so nothing is acknowledged
        self._events = hub.subscribe("test-events", all_but(AdapterStatus))
        self._statuses = hub.subscribe("test-status", only(AdapterStatus))
        self.events: list[Event] = []
        self.statuses: list[AdapterStatus] = []

    @property
    def sink(self) -> CountingSink:
        return self.host.sinks[self.adapter.name]

    def _pump(self) -> None:
        self.events += self._events.drain()
        self.statuses += [s for s in self._statuses.drain() if isinstance(s, AdapterStatus)]

    def wait_until(self, cond: Callable[[], bool], timeout: float = WAIT_S,
                   what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while True:
            self._pump()
            if cond():
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; events: "
                                     f"{self.events[-5:]}; statuses: {self.statuses[-3:]}")
            self._events.wait(0.05)

    def wait_for(self, kind: type[Event], count: int = 1,
                 timeout: float = WAIT_S) -> list[Event]:
        """The first `count` events of a kind, waiting for them with a bound."""
        def enough() -> bool:
            return sum(isinstance(e, kind) for e in self.events) >= count
        self.wait_until(enough, timeout, f"{count} {kind.__name__}")
        return [e for e in self.events if isinstance(e, kind)][:count]

    def wait_status(self, state: str, contains: str = "", timeout: float = WAIT_S) -> str:
        def seen() -> bool:
            return any(s.state == state and contains in s.detail for s in self.statuses)
        self.wait_until(seen, timeout, f"status {state!r} with {contains!r}")
        return next(s.detail for s in self.statuses if s.state == state and contains in s.detail)

    def wait_rejected(self, count: int, timeout: float = WAIT_S) -> None:
        self.wait_until(lambda: self.sink.rejected >= count, timeout, f"{count} rejects")


@contextmanager
def running(adapter: Adapter, journal_path: Path | None = None,
            store: bool = True) -> Iterator[Running]:
    """The adapter in a host. With `store`, a journal (at `journal_path`, else a temporary
    one) written by the journal writer and the alarm service, as in the console: what the
    adapter emits durably gets committed, so its source is acknowledged."""
    with ExitStack() as stack:
        hub = Hub()
        journal = None
        if store:
            if journal_path is None:
                tmp = stack.enter_context(tempfile.TemporaryDirectory(prefix="csu-harness-"))
                journal_path = Path(tmp) / "journal.sqlite"
            journal = Journal(journal_path)
            stack.callback(journal.close)
            writer = JournalWriter(hub, journal, batch_interval_s=0.02)
            alarms = AlarmService(hub, journal, escalation_threshold_s=lambda _t: 3600)
            writer.start()
            stack.callback(writer.stop)
            alarms.start()
            stack.callback(alarms.stop)
        host = AdapterHost(hub)
        host.start()
        stack.callback(host.stop)  # first to stop: nothing is emitted after the stores stop
        r = Running(hub, host, adapter, journal)
        host.add(adapter)
        yield r
