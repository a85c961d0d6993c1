"""A connected device's events: a PullPoint subscription pulled in a loop, each notification
counted as a message received and turned into an alarm or a counted reason; renewed while
it runs, unsubscribed on the way out. A device without events is only kept in sight (its
clock asked every half minute).

An answer that cannot be read (not XML, a DTD, not SOAP) is one message rejected, and the
next pull goes on: a few in a row mean the device is not well, and the loop ends so the
adapter reconnects with backoff.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

from app.adapters.onvif.client import OnvifClient
from app.adapters.onvif.config import DeviceEntry
from app.adapters.onvif.events import Notification, Place, notifications, to_report
from app.adapters.onvif.soap import NS, BadAnswer, OnvifError
from app.core.adapter import Sink
from app.core.model import LatLon

log = logging.getLogger(__name__)

PULL_WAIT_S = 10
RENEW_EVERY_S = 60.0
HEARTBEAT_S = 30.0
MAX_BAD_ANSWERS = 5  # unreadable answers in a row before reconnecting


async def heartbeat(client: OnvifClient) -> None:
    """Ask the device's time every `HEARTBEAT_S` until it fails (raises)."""
    while True:
        await asyncio.sleep(HEARTBEAT_S)
        await asyncio.to_thread(client.sync_clock)


async def watch_events(dev: DeviceEntry, position: LatLon | None, client: OnvifClient,
                       source: str, sink: Sink) -> None:
    """Pull events until the device fails (raises); heartbeat only when it has none."""
    if not dev.events or "events" not in client.services:
        await heartbeat(client)
    place = Place(dev.id, dev.name, position)
    address = await asyncio.to_thread(client.create_pull_point)
    renewed = time.monotonic()
    bad = 0
    try:
        while True:
            try:
                answer = await asyncio.to_thread(client.pull, address, PULL_WAIT_S)
            except BadAnswer as exc:
                sink.received()
                sink.reject(f"ONVIF {dev.id}: {exc}")
                bad += 1
                if bad >= MAX_BAD_ANSWERS:
                    raise OnvifError(f"{bad} unreadable answers in a row ({exc})") from None
                continue
            bad = 0
            count = len(answer.findall("wsnt:NotificationMessage", NS))
            if count:
                sink.received(count)
            _emit(notifications(answer), place, source, sink)
            if time.monotonic() - renewed > RENEW_EVERY_S:
                await asyncio.to_thread(client.renew, address)
                renewed = time.monotonic()
    finally:
        try:
            async with asyncio.timeout(3):
                await asyncio.to_thread(client.unsubscribe, address)
        except Exception:  # the device may be gone: nothing more to do
            log.debug("ONVIF %s: unsubscribe failed", dev.id)


def _emit(found: list[Notification | OnvifError], place: Place, source: str,
          sink: Sink) -> None:
    now = datetime.now(UTC)
    for n in found:
        if isinstance(n, OnvifError):
            sink.reject(f"ONVIF {place.camera_id}: {n}")
            continue
        try:
            report = to_report(n, place, source, now)
        except OnvifError as exc:
            sink.reject(f"ONVIF {place.camera_id}: {exc}", n.topic)
            continue
        if report is not None:
            sink.emit(report)
