"""Bounds on what one listener accepts: connections in all, connections per peer, and the
time a connection may take to say something useful.

Every TCP ingress of the console (DC-09 panels, the webhook receivers) goes through
`gated()`: a peer that opens hundreds of idle connections gets the excess closed at once,
so it can exhaust neither the process's file descriptors nor the slots that real panels and
senders need. It wraps the asyncio *protocol*, so it serves asyncio streams and aiohttp
alike. Refusals are counted and reported through a callback (the adapter's sink).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Limits:
    """Defaults sized for a town: tens of panels or senders, never thousands at once."""

    max_connections: int = 256  # for the listener, all peers together
    max_per_peer: int = 32  # one address (a panel, a NAT'ed site) may not take them all
    # a connection must complete its first message within this (slowloris, idle sockets)
    first_message_s: float = 10.0


@dataclass
class ConnectionCounter:
    """Open connections of one listener, by peer address. Used on the loop thread only."""

    limits: Limits
    total: int = 0
    by_peer: dict[str, int] = field(default_factory=dict)
    refused: int = 0

    def admit(self, peer: str) -> str | None:
        """None when the connection may stay, else why it is refused."""
        if self.total >= self.limits.max_connections:
            return f"{self.total} connections open on this listener (limit " \
                   f"{self.limits.max_connections})"
        if self.by_peer.get(peer, 0) >= self.limits.max_per_peer:
            return f"{peer} already has {self.by_peer[peer]} connections open (limit " \
                   f"{self.limits.max_per_peer})"
        self.total += 1
        self.by_peer[peer] = self.by_peer.get(peer, 0) + 1
        return None

    def release(self, peer: str) -> None:
        self.total -= 1
        left = self.by_peer.get(peer, 1) - 1
        if left <= 0:
            self.by_peer.pop(peer, None)
        else:
            self.by_peer[peer] = left


def peer_of(transport: asyncio.BaseTransport) -> str:
    info = transport.get_extra_info("peername")
    if isinstance(info, tuple) and info:
        return str(info[0])
    return "?"


class _Gate(asyncio.Protocol):
    """Admits or aborts a connection, then hands everything to the real protocol."""

    def __init__(self, inner: asyncio.BaseProtocol, counter: ConnectionCounter,
                 on_refused: Callable[[str, str], None]) -> None:
        self._inner = inner
        self._counter = counter
        self._on_refused = on_refused
        self._peer: str | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = peer_of(transport)
        why = self._counter.admit(peer)
        if why is not None:
            self._counter.refused += 1
            # abort frees the descriptor now; nothing is read from it
            if isinstance(transport, asyncio.Transport):
                transport.abort()
            else:
                transport.close()
            self._on_refused(peer, why)
            return
        self._peer = peer
        self._inner.connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._peer is None:
            return
        self._counter.release(self._peer)
        self._peer = None
        self._inner.connection_lost(exc)

    # everything else goes to the real protocol
    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)  # type: ignore[attr-defined]

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()  # type: ignore[attr-defined]

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()

    def __getattr__(self, name: str) -> Any:  # e.g. buffer_updated of a BufferedProtocol
        return getattr(self._inner, name)


def gated(factory: Callable[[], asyncio.BaseProtocol], counter: ConnectionCounter,
          on_refused: Callable[[str, str], None]) -> Callable[[], asyncio.Protocol]:
    """A protocol factory for `loop.create_server` that enforces `counter.limits`."""
    return lambda: _Gate(factory(), counter, on_refused)


async def start_stream_server(
    client_connected: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Any],
    host: str, port: int, counter: ConnectionCounter,
    on_refused: Callable[[str, str], None], limit: int = 2 ** 16,
) -> asyncio.Server:
    """`asyncio.start_server`, with the listener's limits enforced before any byte is
    read. Resets and aborted connections end the client's task quietly."""
    loop = asyncio.get_running_loop()

    async def guarded(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await client_connected(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            log.debug("connection from %s ended: %s", peer_of(writer.transport), exc)
        except asyncio.CancelledError:
            # the listener stops: end here (on Python 3.11 a cancelled client task is
            # otherwise logged as an unhandled error, once per connection)
            log.debug("connection from %s closed at stop", peer_of(writer.transport))
        finally:
            writer.close()

    def factory() -> asyncio.BaseProtocol:
        reader = asyncio.StreamReader(limit=limit, loop=loop)
        return asyncio.StreamReaderProtocol(reader, guarded, loop=loop)

    return await loop.create_server(gated(factory, counter, on_refused), host, port)
