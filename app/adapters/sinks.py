"""Helpers over the sink an adapter is handed."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from app.adapters.parsing import Rejected

T = TypeVar("T")

log = logging.getLogger(__name__)

STORE_TIMEOUT_S = 5.0  # how long a source waits for its acknowledgement before we give up


class NotStored(Exception):
    """The console's store did not commit an event in time, or refused it: the source must
    not be acknowledged (it sends again)."""


async def stored(futures: list[concurrent.futures.Future[None]], timeout: float) -> None:
    """Wait until every `sink.emit_durable` future completed. Raise `NotStored` in plain words
    when one failed or the store did not answer within `timeout`.

    Never cancels the futures (the store still owns them and settles them later): this is
    `asyncio.wrap_future` without its cancellation, so a timeout here cannot make the
    store's `set_result` fail."""
    if not futures:
        return
    loop = asyncio.get_running_loop()
    waiter: asyncio.Future[None] = loop.create_future()
    left = [len(futures)]

    def settle(fut: concurrent.futures.Future[None]) -> None:  # on the store's thread
        def copy() -> None:
            if waiter.done():
                return
            error = fut.exception() if not fut.cancelled() else NotStored("cancelled")
            if error is not None:
                waiter.set_exception(error)
                return
            left[0] -= 1
            if left[0] == 0:
                waiter.set_result(None)

        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits now
            loop.call_soon_threadsafe(copy)

    for fut in futures:
        fut.add_done_callback(settle)
    try:
        async with asyncio.timeout(timeout):
            await waiter
    except TimeoutError:
        raise NotStored(f"the console's journal did not confirm within {timeout:g} s"
                        ) from None
    except NotStored:
        raise
    except Exception as exc:
        raise NotStored(f"the console's journal failed: {exc}") from exc


def guarded(parse: Callable[..., T], *args: object) -> T | Rejected:
    """Run a pure parser; a bug in it (which the fuzz tests exist to prevent) becomes a
    counted reject with a logged traceback, never a dead connection or thread."""
    try:
        return parse(*args)
    except Exception as exc:
        log.exception("parser %s failed", getattr(parse, "__module__", parse))
        return Rejected(f"internal parser error: {type(exc).__name__}")


async def cancel_all(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """Cancel tasks (a listener's open connections) and wait until each has ended."""
    tasks = list(tasks)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
