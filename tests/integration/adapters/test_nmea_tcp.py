"""NMEA over real TCP: trackers connecting to the console (listen), and the console
connecting to a tracker that goes away and comes back (connect)."""

from __future__ import annotations

import asyncio
import functools
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest

from app.adapters.nmea import NmeaAdapter, NmeaConfig
from app.adapters.nmea import adapter as nmea_adapter
from app.core.events import PositionReported
from tests.integration.adapters.adapter_harness import running
from tests.integration.adapters.conftest import free_port


def sentence(body: str) -> bytes:
    c = functools.reduce(lambda a, ch: a ^ ord(ch), body, 0)
    return f"${body}*{c:02X}\r\n".encode()


def rmc(lat_min: float) -> bytes:
    now = datetime.now(UTC)
    return sentence(f"GPRMC,{now:%H%M%S}.00,A,48{lat_min:07.4f},N,00221.1320,E,"
                    f"10.0,87.5,{now:%d%m%y},,,A")


def gga() -> bytes:
    return sentence(f"GPGGA,{datetime.now(UTC):%H%M%S},4851.4000,N,00221.1320,E,"
                    "1,08,0.9,45.4,M,46.9,M,,")


def test_trackers_connecting_to_the_console() -> None:
    port = free_port()
    cfg = NmeaConfig(name="nmea-in", host="127.0.0.1", port=port,
                     devices={"127.0.0.1": "pm15"})
    with running(NmeaAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(rmc(51.396) + gga() + sentence("GPGSV,3,1,11,03,03,111,00")
                      + b"$GPRMC,garbage*00\r\n" + b"\xff" * 300 + b"\r\n"
                      + rmc(51.5)[:-2] + b"X" * 600 + b"\r\n")
        fixes = [e.fix for e in r.wait_for(PositionReported, 2)
                 if isinstance(e, PositionReported)]
        r.wait_rejected(3)  # bad checksum, too long (non-ASCII), no end within the limit
        assert fixes[0].officer_id == "pm15"
        assert round(fixes[0].position.lat, 4) == 48.8566
        assert round(fixes[0].speed_mps or 0, 3) == 5.144
        assert fixes[0].heading_deg == 87.5
        assert fixes[1].accuracy_m == 4.5


def test_unknown_tracker_is_refused() -> None:
    port = free_port()
    cfg = NmeaConfig(name="nmea-unknown", host="127.0.0.1", port=port,
                     devices={"10.9.9.9": "pm15"})
    with running(NmeaAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(rmc(51.0))
        r.wait_rejected(1)
        assert "unknown tracker at 127.0.0.1" in r.sink.last_reject


class Tracker:
    """A tracker (or serial-to-TCP gateway) serving NMEA to whoever connects: a plain
    asyncio server on its own thread. `drop()` closes the current client."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.loop = asyncio.new_event_loop()
        self.clients: list[asyncio.StreamWriter] = []
        self.lines: asyncio.Queue[bytes] | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server: asyncio.Server | None = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.clients.append(writer)

    def start(self) -> None:
        if not self._thread.is_alive():
            self._thread.start()

        async def up() -> None:
            self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        asyncio.run_coroutine_threadsafe(up(), self.loop).result(5)

    def send(self, data: bytes) -> None:
        async def send() -> None:
            for w in self.clients:
                w.write(data)
                await w.drain()
        asyncio.run_coroutine_threadsafe(send(), self.loop).result(5)

    def stop(self) -> None:
        async def down() -> None:
            if self.server is not None:
                self.server.close()
            for w in self.clients:
                w.close()
            self.clients.clear()
        asyncio.run_coroutine_threadsafe(down(), self.loop).result(5)

    def close(self) -> None:
        if not self._thread.is_alive():
            self.loop.close()
            return
        self.stop()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


@contextmanager
def tracker(port: int) -> Iterator[Tracker]:
    t = Tracker(port)
    try:
        yield t
    finally:
        t.close()


def test_console_connecting_to_a_tracker_that_drops(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nmea_adapter, "BACKOFF_FIRST_S", 0.05)  # quick retries, same logic
    port = free_port()
    cfg = NmeaConfig.model_validate({"name": "nmea-out", "mode": "connect", "sources": [
        {"host": "127.0.0.1", "port": port, "officer": "pm16"}]})
    adapter = NmeaAdapter(cfg)
    with running(adapter) as r, tracker(port) as t:
        r.wait_status("retrying", "connection refused")  # the tracker is not up yet
        t.start()
        r.wait_until(lambda: bool(t.clients), 30, "the console to connect")
        t.send(rmc(51.1))
        r.wait_for(PositionReported)
        t.stop()  # the tracker drops the connection and goes away
        r.wait_status("retrying", "closed the connection")
        t.start()
        r.wait_until(lambda: bool(t.clients), 30, "the console to reconnect")
        t.send(rmc(51.2))
        fixes = r.wait_for(PositionReported, 2)
        assert all(isinstance(f, PositionReported) and f.fix.officer_id == "pm16"
                   for f in fixes)
    [res] = asyncio.run(NmeaAdapter(cfg).probe())
    assert not res.ok
    assert f"tracker of pm16 at 127.0.0.1:{port}: connection refused" \
        == res.detail
