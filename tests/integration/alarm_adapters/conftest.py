"""Shared fixtures of the alarm and camera adapters' integration tests: a sink that keeps
everything, a runner that drives an adapter on its own asyncio loop (as the host does), and
secrets stored in the test keyring (an isolated PlaintextKeyring, see tests/conftest.py)."""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core.adapter import Adapter
from app.core.events import Event
from app.core.hub import Hub
from app.core.journal import Journal
from app.core.secrets import set_secret
from app.services.alarm_service import AlarmService

BOUND_S = 20.0
_names = itertools.count()


class ListSink:
    """A thread-safe sink that keeps events, rejects and states (like the host's). Without
    a hub, `emit_durable` reports the event stored at once; with one, it posts to the hub
    and the future is the hub's: it completes when a real store (alarm service, journal
    writer) running on that hub has committed the event."""

    def __init__(self, hub: Hub | None = None) -> None:
        self.events: list[Event] = []
        self.rejects: list[str] = []
        self.states: list[tuple[str, str]] = []
        self.messages = 0  # counted by `received`, before parsing
        self._lock = threading.Lock()
        self._hub = hub

    def received(self, count: int = 1) -> None:
        with self._lock:
            self.messages += count

    def emit(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)
        if self._hub is not None:
            self._hub.post(event)

    def emit_durable(self, event: Event) -> concurrent.futures.Future[None]:
        with self._lock:
            self.events.append(event)
        if self._hub is not None:
            return self._hub.post_durable(event)
        done: concurrent.futures.Future[None] = concurrent.futures.Future()
        done.set_result(None)
        return done

    def reject(self, reason: str, raw: object = None) -> None:
        with self._lock:
            self.rejects.append(reason)

    def status(self, state: str, detail: str = "") -> None:
        with self._lock:
            self.states.append((state, detail))

    def of(self, kind: type[Any]) -> list[Any]:
        with self._lock:
            return [e for e in self.events if isinstance(e, kind)]


class Running:
    """An adapter's `start(sink)` running on a loop in a thread, until `close()`."""

    def __init__(self, adapter: Adapter, hub: Hub | None = None) -> None:
        self.adapter = adapter
        self.sink = ListSink(hub)
        self.loop = asyncio.new_event_loop()
        self.error: BaseException | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)

        async def main() -> None:
            self._task = asyncio.current_task()  # type: ignore[assignment]
            try:
                await self.adapter.start(self.sink)
            except asyncio.CancelledError:
                pass
            except BaseException as exc:
                self.error = exc
            finally:
                await self.adapter.stop()

        self.loop.run_until_complete(main())
        self.loop.close()

    def call(self, coro: Any, timeout: float = BOUND_S) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        if self._task is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(BOUND_S)


@pytest.fixture
def run_adapter() -> Iterator[Callable[..., Running]]:
    """`run_adapter(adapter, hub=None)`: see `ListSink` for what `hub` changes."""
    started: list[Running] = []

    def start(adapter: Adapter, hub: Hub | None = None) -> Running:
        r = Running(adapter, hub)
        started.append(r)
        return r

    yield start
    for r in started:
        r.close()


class Store:
    """The console's alarm store for real: a hub, the journal (synchronous=FULL) and the
    alarm service, which commits alarm reports and only then settles their futures. Not
    started until `start()`: meanwhile reports wait in its queue and nothing is stored."""

    def __init__(self, path: Path) -> None:
        self.hub = Hub()
        self.journal = Journal(path)
        self.alarms = AlarmService(self.hub, self.journal, escalation_threshold_s=lambda _t: 3600)
        self.started = False

    def start(self) -> None:
        self.alarms.start()
        self.started = True

    def close(self) -> None:
        if self.started:
            self.alarms.stop()
        self.journal.close()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "journal.sqlite")
    try:
        yield s
    finally:
        s.close()


@pytest.fixture
def secret() -> Callable[[str], str]:
    """Stores a value in the test keyring under a fresh name and returns the name."""

    def store(value: str) -> str:
        name = f"test-secret-{next(_names)}"
        set_secret(name, value)
        return name

    return store
