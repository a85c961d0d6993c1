"""How frames reach the DC-09 receiver, with the bounds that keep one bad peer from costing
the others anything.

TCP: each connection is read one frame at a time (a frame ends with CR) and answered in
order. Every frame is counted as received before it is parsed. A connection is closed when
it stays silent (first frame, then between frames), when it does not read its answers, or
when it sends garbage: `MAX_CONSECUTIVE_REJECTS` refused frames in a row, or more refused
than accepted frames once it has sent `GARBAGE_MIN_REJECTS` bad ones. A real panel sends a
frame and waits for its answer; a few NAKs in a row (a clock to correct, line noise) never
reach these bounds, and a panel whose connection was closed simply dials again. The caps on
connections (all peers, per peer) are enforced by `app.adapters.limits` before a byte is
read; resets end a connection quietly there.

UDP: one frame a datagram, answered to its sender. A datagram whose alarm awaits its store
is work in flight; past `max_in_flight` further datagrams are refused (counted), so a flood
cannot pile up tasks. The panel resends what got no answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import cast

from app.adapters.limits import peer_of
from app.adapters.sia_dc09.frame import CR, LF, MAX_FRAME
from app.core.adapter import Sink
from app.core.retry import SampledLog

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 120.0  # a panel that says nothing for this long is disconnected
WRITE_TIMEOUT_S = 30.0  # a peer that does not read its answers for this long is dropped
CLOSE_TIMEOUT_S = 1.0  # a closing connection's last answer gets this long to leave
MAX_CONSECUTIVE_REJECTS = 10
GARBAGE_MIN_REJECTS = 50
TOO_LONG = "DC-09: frame longer than the DC-09 maximum"


@dataclass(frozen=True, slots=True)
class Outcome:
    """The receiver's verdict on one frame."""

    answer: bytes | None  # None: say nothing (not stored: the panel must send it again)
    refused: bool = False  # the frame was rejected (answered NAK or DUH)


Handler = Callable[[bytes, Sink], Awaitable[Outcome]]


@dataclass
class GarbageGuard:
    """Tells when a connection sends nothing a panel would send."""

    in_a_row: int = 0
    refused: int = 0
    accepted: int = 0

    def verdict(self, refused: bool) -> str | None:
        """After one more frame: None, or why the connection should be closed."""
        if refused:
            self.in_a_row += 1
            self.refused += 1
        else:
            self.in_a_row = 0
            self.accepted += 1
        if self.in_a_row >= MAX_CONSECUTIVE_REJECTS:
            return f"{self.in_a_row} frames refused in a row"
        if self.refused >= GARBAGE_MIN_REJECTS and self.refused > self.accepted:
            return f"{self.refused} of its {self.refused + self.accepted} frames refused"
        return None


def _payload(raw: bytes) -> bytes:
    """A frame starts at its LF; bytes before it (line noise) are not part of it."""
    start = raw.find(LF)
    return raw[start:] if start >= 0 else raw


class StreamLink:
    """Serves the TCP connections of one listener (a `start_stream_server` callback)."""

    def __init__(self, name: str, handle: Handler, sink: Sink, first_frame_s: float) -> None:
        self._name = name
        self._handle = handle
        self._sink = sink
        self._first_frame_s = first_frame_s
        self._closed_log = SampledLog(log)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One connection, until it ends and its socket is closed. Never raises
        CancelledError: on Python 3.11 a cancelled `client_connected_cb` task makes asyncio
        log an error traceback, and a connection cancelled because the receiver stops has
        simply ended."""
        try:
            await self._serve(reader, writer)
        except asyncio.CancelledError:
            pass
        finally:
            await _closed(writer)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        guard = GarbageGuard()
        timeout = self._first_frame_s
        while True:
            try:
                async with asyncio.timeout(timeout):
                    raw = await reader.readuntil(CR)
            except (asyncio.IncompleteReadError, TimeoutError):
                return  # closed by the peer, or silent too long
            except asyncio.LimitOverrunError:
                self._sink.received()
                self._sink.reject(TOO_LONG, None)
                return
            self._sink.received()
            timeout = READ_TIMEOUT_S
            outcome = await self._handle(_payload(raw), self._sink)
            if outcome.answer is None:
                return  # not stored: no ACK, and closing makes the panel retry sooner
            writer.write(outcome.answer)
            try:
                async with asyncio.timeout(WRITE_TIMEOUT_S):
                    await writer.drain()
            except TimeoutError:
                self._close(writer, f"it read no answer for {WRITE_TIMEOUT_S:g} s")
                return
            why = guard.verdict(outcome.refused)
            if why is not None:
                self._close(writer, why)
                return

    def _close(self, writer: asyncio.StreamWriter, why: str) -> None:
        """Drop a connection at once (abort: what it still sends is not read)."""
        self._closed_log.log(logging.WARNING, "%s: closed the connection from %s: %s",
                             self._name, peer_of(writer.transport), why)
        writer.transport.abort()


async def _closed(writer: asyncio.StreamWriter) -> None:
    """Close, and wait until the socket really is closed: asyncio closes it in a later loop
    turn, and a receiver stopping (its loop ending) must not leave that to the garbage
    collector. What cannot be flushed within `CLOSE_TIMEOUT_S` (a peer that reads nothing)
    is dropped."""
    writer.close()
    try:
        async with asyncio.timeout(CLOSE_TIMEOUT_S):
            await writer.wait_closed()
        return
    except TimeoutError:
        writer.transport.abort()
    except Exception:  # the connection's own error (a reset): it is closed
        return
    with contextlib.suppress(Exception):
        await writer.wait_closed()


class DatagramLink(asyncio.DatagramProtocol):
    """DC-09 over UDP: one frame a datagram, the answer sent back to its sender."""

    def __init__(self, handle: Handler, sink: Sink, max_in_flight: int) -> None:
        self._handle = handle
        self._sink = sink
        self._max_in_flight = max_in_flight
        self._transport: asyncio.DatagramTransport | None = None
        self.tasks: set[asyncio.Task[None]] = set()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        self._sink.received()
        if len(data) > MAX_FRAME:
            self._sink.reject(TOO_LONG, data[:200])
            return
        if len(self.tasks) >= self._max_in_flight:
            self._sink.reject(f"DC-09: receiver busy ({len(self.tasks)} datagrams await "
                              "their store): dropped, the panel sends it again", None)
            return
        task = asyncio.get_running_loop().create_task(self._answer(_payload(data), addr))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def _answer(self, frame: bytes, addr: tuple[str | object, int]) -> None:
        outcome = await self._handle(frame, self._sink)
        if outcome.answer is not None and self._transport is not None:
            self._transport.sendto(outcome.answer, addr)
