"""A future's outcome handed to the GUI thread: the runtime answers on its own threads, and
a widget learns the answer through one of its signals (queued to the thread it lives in)."""

from __future__ import annotations

import contextlib
from concurrent.futures import CancelledError, Future
from typing import Any

from PySide6.QtCore import SignalInstance


def hand_over(future: Future[Any], signal: SignalInstance, *first: object) -> None:
    """Once `future` is done: `signal.emit(*first, result, exception)` (result None when it
    failed). A receiver already gone (its window closed) hears nothing."""
    def done(f: Future[Any]) -> None:
        # a future cancelled before it ran (a queued export when the console stops) has
        # no exception to give: f.exception() would raise CancelledError here
        exc = CancelledError() if f.cancelled() else f.exception()
        with contextlib.suppress(RuntimeError):  # the signal's object was deleted
            signal.emit(*first, None if exc else f.result(), exc)

    future.add_done_callback(done)
