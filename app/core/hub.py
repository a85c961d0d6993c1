"""The single in-process bus. Adapters post from any thread; each consumer drains its own
queue at its own pace (the journal writer, the alarm service, the GUI bridge).

A subscription is a bounded-latency FIFO: posting never blocks on a slow consumer, and a
consumer that wants coalescing (the GUI bridge, for positions) does it while draining.
"""

from __future__ import annotations

import concurrent.futures
import logging
import threading
from collections import deque
from collections.abc import Callable, Iterable

from app.core.events import Event

log = logging.getLogger(__name__)

EventFilter = Callable[[Event], bool]


class Subscription:
    """One consumer's queue. `drain()` takes everything waiting; `wait()` blocks until some."""

    def __init__(self, name: str, accepts: EventFilter | None) -> None:
        self.name = name
        self._accepts = accepts
        self._items: deque[Event] = deque()
        self._cond = threading.Condition()
        self.delivered = 0

    def accepts(self, event: Event) -> bool:
        return self._accepts is None or self._accepts(event)

    def push(self, event: Event) -> None:
        with self._cond:
            self._items.append(event)
            self.delivered += 1
            self._cond.notify()

    def drain(self, limit: int | None = None) -> list[Event]:
        with self._cond:
            if limit is None or limit >= len(self._items):
                out = list(self._items)
                self._items.clear()
            else:
                out = [self._items.popleft() for _ in range(limit)]
            return out

    def wait(self, timeout: float | None = None) -> bool:
        """Block until something is waiting (or timeout). True when there is something."""
        with self._cond:
            if not self._items:
                self._cond.wait(timeout)
            return bool(self._items)

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"<Subscription {self.name} pending={len(self._items)}>"


class Hub:
    """Thread-safe fan-out of events to subscriptions."""

    def __init__(self) -> None:
        self._subs: list[Subscription] = []
        self._listeners: list[tuple[Callable[[Event], None], EventFilter | None]] = []
        self._lock = threading.Lock()
        self.posted = 0
        # events posted with post_durable(), by id(), until their store settles them
        self._pending: dict[int, tuple[Event, concurrent.futures.Future[None]]] = {}
        self._pending_lock = threading.Lock()

    def listen(self, fn: Callable[[Event], None], accepts: EventFilter | None = None) -> None:
        """Call `fn` in the posting thread for each accepted event. For tiny bookkeeping
        only (a dict update under a lock): it delays every poster."""
        with self._lock:
            self._listeners = [*self._listeners, (fn, accepts)]

    def subscribe(self, name: str, accepts: EventFilter | None = None) -> Subscription:
        sub = Subscription(name, accepts)
        with self._lock:
            self._subs = [*self._subs, sub]
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            self._subs = [s for s in self._subs if s is not sub]

    def post(self, event: Event) -> None:
        subs = self._subs  # copy-on-write list: no lock needed to read
        self.posted += 1
        for fn, accepts in self._listeners:
            if accepts is None or accepts(event):
                fn(event)
        for sub in subs:
            if sub.accepts(event):
                sub.push(event)

    def post_durable(self, event: Event) -> concurrent.futures.Future[None]:
        """Post, and learn when the event is on disk: the future completes once the store
        that owns this kind of event (the alarm service for alarm reports, the journal
        writer for the rest) has committed it. An adapter acknowledges its source only
        then, so what the source considers delivered survives a crash of the console."""
        fut: concurrent.futures.Future[None] = concurrent.futures.Future()
        with self._pending_lock:
            self._pending[id(event)] = (event, fut)
        self.post(event)
        return fut

    def settle(self, events: Iterable[Event], error: BaseException | None = None
               ) -> set[int]:
        """Called by a store after committing (or failing to commit) these events.
        Returns the id()s of those that were posted durably (and are now settled)."""
        if not self._pending:
            return set()
        done: list[concurrent.futures.Future[None]] = []
        settled: set[int] = set()
        with self._pending_lock:
            for e in events:
                item = self._pending.get(id(e))
                if item is not None and item[0] is e:
                    del self._pending[id(e)]
                    done.append(item[1])
                    settled.add(id(e))
        for fut in done:
            if fut.cancelled():  # the adapter stopped waiting; nothing to tell it
                continue
            if error is None:
                fut.set_result(None)
            else:
                fut.set_exception(error)
        return settled

    def post_many(self, events: Iterable[Event]) -> None:
        for event in events:
            self.post(event)


def only(*kinds: type[Event]) -> EventFilter:
    """A filter accepting the given event classes."""
    return lambda e: isinstance(e, kinds)


def all_but(*kinds: type[Event]) -> EventFilter:
    return lambda e: not isinstance(e, kinds)
