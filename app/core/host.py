"""Runs adapters as asyncio tasks on one background thread, supervised.

A failing adapter is logged, reported as an `AdapterStatus`, and restarted with capped
exponential backoff and jitter; it never takes the console down. A refused password is not
a failure to retry: the adapter stops as "refused" until `retry()` (the installer fixed it).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Coroutine
from typing import Any

from app.core.adapter import Adapter, AuthRefused, CountingSink, PtzCommand
from app.core.hub import Hub
from app.core.model import Alarm
from app.core.retry import BACKOFF_CAP_S, BACKOFF_FIRST_S, backoff_delay

log = logging.getLogger(__name__)

__all__ = ["BACKOFF_CAP_S", "BACKOFF_FIRST_S", "AdapterHost", "backoff_delay"]

STATS_INTERVAL_S = 5.0
ADAPTER_STOP_S = 3.0  # an adapter cancelled at stop must have ended within this


class AdapterHost:
    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._run, name="adapter-host", daemon=True)
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self.adapters: dict[str, Adapter] = {}
        self.sinks: dict[str, CountingSink] = {}
        self._started = threading.Event()
        self._retry_now: dict[str, asyncio.Event] = {}  # on the adapter thread

    # -- thread ---------------------------------------------------------------------------
    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        self._started.set()
        loop.run_forever()
        loop.close()

    def start(self) -> None:
        self._thread.start()
        self._started.wait()

    def call(self, coro: Coroutine[Any, Any, Any]) -> concurrent.futures.Future[Any]:
        """Run a coroutine on the adapter thread from any thread."""
        if self._loop is None:
            coro.close()
            raise RuntimeError("the adapter host is not started")
        return asyncio.run_coroutine_threadsafe(coro, self._loop)

    # -- adapters -------------------------------------------------------------------------
    async def _report_counters(self) -> None:
        """Every few seconds, each adapter's state and counters for the status panel."""
        while True:
            await asyncio.sleep(STATS_INTERVAL_S)
            for sink in list(self.sinks.values()):
                self._hub.post(sink.snapshot())

    def add(self, adapter: Adapter) -> None:
        self.adapters[adapter.name] = adapter
        sink = CountingSink(adapter.name, self._hub.post, self._hub.post_durable)
        self.sinks[adapter.name] = sink

        async def launch() -> None:
            if "_stats" not in self._tasks:
                self._tasks["_stats"] = asyncio.get_running_loop().create_task(
                    self._report_counters(), name="adapter-stats")
            self._tasks[adapter.name] = asyncio.get_running_loop().create_task(
                self._supervise(adapter, sink), name=f"adapter:{adapter.name}"
            )

        self.call(launch()).result(timeout=5)

    async def _supervise(self, adapter: Adapter, sink: CountingSink) -> None:
        attempt = 0
        loop = asyncio.get_running_loop()
        retry_now = self._retry_now.setdefault(adapter.name, asyncio.Event())
        while True:
            attempt += 1
            retry_now.clear()
            sink.status("starting")
            began = loop.time()
            refused = False
            try:
                if await self._run_until_retry(adapter, sink, retry_now):
                    sink.status("stopped", "the adapter finished")
                    return
                log.info("adapter %s: restarted on request", adapter.name)
                attempt = 0
                continue  # retry(): stopped (finally below), now started afresh
            except asyncio.CancelledError:
                raise
            except AuthRefused as exc:
                refused = True
                log.error("adapter %s: credentials refused (%s); not retrying until the "
                          "installer fixes them", adapter.name, exc)
                sink.status("refused", f"{exc} — fix the secret, then retry")
            except Exception as exc:
                if loop.time() - began > BACKOFF_CAP_S:
                    attempt = 1  # it had been running well: a fresh failure, a short wait
                delay = backoff_delay(attempt)
                log.warning("adapter %s failed (%s); retry in %.1f s", adapter.name, exc, delay)
                sink.status("retrying", f"{exc} — retry in {delay:.0f} s")
            finally:
                try:
                    await adapter.stop()
                except Exception:
                    log.exception("adapter %s failed to stop cleanly", adapter.name)
            if refused:
                await retry_now.wait()  # only the installer's retry() ends this
                attempt = 0
                continue
            try:
                async with asyncio.timeout(delay):
                    await retry_now.wait()
            except TimeoutError:
                pass

    @staticmethod
    async def _run_until_retry(adapter: Adapter, sink: CountingSink,
                               retry_now: asyncio.Event) -> bool:
        """Run `adapter.start`; True when it finished by itself, False when `retry()` asked
        for a fresh start meanwhile (a running adapter with one refused device re-reads its
        secrets that way). Its exceptions propagate."""
        run = asyncio.ensure_future(adapter.start(sink))
        wake = asyncio.ensure_future(retry_now.wait())
        try:
            await asyncio.wait({run, wake}, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:  # the host stops: the adapter stops with it
            run.cancel()
            _done, pending = await asyncio.wait({run}, timeout=ADAPTER_STOP_S)
            if pending:  # it swallowed the cancellation: say so rather than hang the host
                log.error("adapter %s did not stop within %.0f s of being cancelled",
                          adapter.name, ADAPTER_STOP_S)
            raise
        finally:
            wake.cancel()
        if not run.done():  # retry() asked for a fresh start
            run.cancel()
            await asyncio.gather(run, return_exceptions=True)
            return False
        run.result()  # raises what start() raised
        return True

    def retry(self, adapter_name: str) -> None:
        """Start an adapter again now: a refused or waiting one at once, a running one
        stopped and started afresh (the installer fixed its secret)."""
        def wake() -> None:
            ev = self._retry_now.get(adapter_name)
            if ev is not None:
                ev.set()

        if self._loop is not None:
            self._loop.call_soon_threadsafe(wake)

    def ptz(self, adapter_name: str, command: PtzCommand) -> concurrent.futures.Future[Any]:
        adapter = self.adapters.get(adapter_name)
        if adapter is None:
            raise KeyError(f"no adapter {adapter_name!r}")
        return self.call(adapter.ptz(command))

    def acknowledge(self, adapter_name: str, alarm: Alarm, actor: str) -> None:
        adapter = self.adapters.get(adapter_name)
        if adapter is None:
            return
        fut = self.call(adapter.acknowledge(alarm, actor))

        def report(f: concurrent.futures.Future[Any]) -> None:
            if f.exception() is not None:
                log.warning("write-back of ack to %s failed: %s", adapter_name, f.exception())

        fut.add_done_callback(report)

    def stop(self, timeout: float = 5.0) -> None:
        if not self._thread.is_alive() or self._loop is None:
            return
        loop = self._loop

        async def cancel_all() -> None:
            tasks = list(self._tasks.values())
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        try:
            self.call(cancel_all()).result(timeout=timeout)
        except (TimeoutError, concurrent.futures.TimeoutError):
            log.warning("adapters did not stop within %.0f s", timeout)
        loop.call_soon_threadsafe(loop.stop)
        self._thread.join(timeout)
