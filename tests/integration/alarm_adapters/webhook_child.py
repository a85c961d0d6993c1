"""The webhook adapter alone in a process whose descriptors are capped, as on the machine of
the issue (`ulimit -n 1024`). Run by test_webhook_descriptors.py.

Prints `PORT <n>` once listening; then answers each `report` line on stdin with one JSON
line: its open descriptors and the sink's counters. Ends when stdin closes."""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import resource
import sys
import threading

from app.adapters.webhook import WebhookAdapter, WebhookConfig
from app.core.adapter import CountingSink
from app.core.events import Event

FD_LIMIT = 1024


def stored_at_once(event: Event) -> concurrent.futures.Future[None]:
    done: concurrent.futures.Future[None] = concurrent.futures.Future()
    done.set_result(None)
    return done


class TallySink(CountingSink):
    """The console's sink, with the rejections also tallied by kind (before the first ':')."""

    def __init__(self) -> None:
        super().__init__("capteurs", lambda e: None, stored_at_once)
        self.tally: dict[str, int] = {}

    def reject(self, reason: str, raw: object = None) -> None:
        kind = reason.split(":", 1)[0]
        self.tally[kind] = self.tally.get(kind, 0) + 1
        super().reject(reason, raw)


def main(secret_name: str) -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FD_LIMIT, FD_LIMIT))
    sink = TallySink()
    adapter = WebhookAdapter(WebhookConfig(kind="webhook", name="capteurs",
                                           listen="127.0.0.1", port=0,
                                           hmac_secret=secret_name))
    loop = asyncio.new_event_loop()
    task = loop.create_task(adapter.start(sink))
    threading.Thread(target=loop.run_forever, daemon=True).start()

    async def port() -> int | None:
        return adapter.bound_port

    while (bound := asyncio.run_coroutine_threadsafe(port(), loop).result(10)) is None:
        if task.done():
            raise SystemExit(f"the webhook did not start: {task.exception()}")
        threading.Event().wait(0.05)
    print(f"PORT {bound}", flush=True)  # noqa: T201
    for line in sys.stdin:
        if line.strip() == "report":
            print(json.dumps({"fds": len(os.listdir("/proc/self/fd")),  # noqa: T201
                              "rejected": sink.rejected, "messages": sink.messages,
                              "events": sink.emitted, "tally": sink.tally}),
                  flush=True)
    loop.call_soon_threadsafe(task.cancel)


if __name__ == "__main__":
    main(sys.argv[1])
