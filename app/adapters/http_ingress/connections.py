"""What happens to a webhook connection before aiohttp reads a request from it.

The chain, outermost first: `limits._Gate` (caps per listener and per peer) -> `Deadline`
(the first request's headers must be complete within `Limits.first_message_s`: slowloris
and idle sockets) -> `TlsFirst` when TLS is on -> aiohttp's `RequestHandler`.

TLS comes *after* the gate on purpose: with `create_server(ssl=...)` asyncio makes the
handshake before any protocol of ours hears of the connection, so a peer opening sockets
and never shaking hands would hold descriptors past every cap. Here the plain TCP
connection is admitted (or aborted) first, then upgraded with `loop.start_tls`.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Callable
from pathlib import Path

from app.adapters.limits import peer_of

# (peer, reason): a connection closed by us, counted as a rejection
OnClosed = Callable[[str, str], None]


class TlsFilesError(ValueError):
    """The certificate or key named in the site file cannot be used, in plain words."""


def tls_context(cert_file: str, key_file: str) -> ssl.SSLContext:
    """A server context from PEM files (paths as given: absolute, or relative to the working
    directory). TLS 1.2 at least. An encrypted key is refused rather than prompted for:
    a service has no terminal to type a passphrase into."""
    for what, name in (("certificate", cert_file), ("key", key_file)):
        if not Path(name).is_file():
            raise TlsFilesError(f"TLS {what} file {name!r} does not exist (or is not a file)")
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        ctx.load_cert_chain(cert_file, key_file, password=lambda: b"")
    except (ssl.SSLError, OSError) as exc:
        raise TlsFilesError(
            f"cannot use TLS certificate {cert_file!r} with key {key_file!r}: "
            f"{getattr(exc, 'reason', None) or exc} (both PEM, the key unencrypted and "
            "matching the certificate)") from None
    return ctx


class Deadline(asyncio.Protocol):
    """Closes a connection whose first request (TLS handshake included) is not complete
    within `seconds`, and says so through `on_closed`. aiohttp's own keep-alive timer
    then takes care of idle connections that did send a request."""

    def __init__(self, inner: asyncio.Protocol, seconds: float, on_closed: OnClosed,
                 live: set[Deadline]) -> None:
        self._inner = inner
        self._seconds = seconds
        self._on_closed = on_closed
        self._live = live
        self._transport: asyncio.Transport | None = None
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._live.add(self)
        self._timer = asyncio.get_running_loop().call_later(self._seconds, self._expire)
        self._inner.connection_made(transport)

    def request_seen(self) -> None:
        """The first request's headers are in: no deadline from now on."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self) -> None:
        self._timer = None
        transport = self._transport
        if transport is not None and not transport.is_closing():
            self._on_closed(peer_of(transport), f"connection closed: no complete request "
                                                f"within {self._seconds:g} s")
            transport.abort()

    def abort(self) -> None:
        """Close now (the receiver stops)."""
        self.request_seen()
        if self._transport is not None:
            self._transport.abort()

    def connection_lost(self, exc: Exception | None) -> None:
        self.request_seen()
        self._live.discard(self)
        self._transport = None
        self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received()

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


class TlsFirst(asyncio.Protocol):
    """Upgrades an admitted connection to TLS, then hands the TLS transport to `inner`.

    `loop.start_tls` puts asyncio's TLS protocol under the protocol the raw transport had
    (the gate), so the gate keeps hearing of the connection's end and frees its slot. A
    handshake that fails, times out or is cut is no connection for `inner`: it never sees
    it. asyncio does not tell the gate about a connection lost *during* the handshake, so
    this does (the gate's `connection_lost` runs once, whoever calls it first)."""

    def __init__(self, inner: asyncio.Protocol, context: ssl.SSLContext, timeout_s: float,
                 on_closed: OnClosed) -> None:
        self._inner = inner
        self._context = context
        self._timeout_s = timeout_s
        self._on_closed = on_closed
        self._task: asyncio.Task[None] | None = None
        self._upgraded = False
        self._lost = False
        # what TLS decrypted between the handshake's end and `start_tls` returning
        self._early: list[bytes] = []
        self._early_eof = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        # Not a byte before the handshake starts: the client's hello must reach TLS, not us.
        transport.pause_reading()
        self._task = asyncio.get_running_loop().create_task(self._upgrade(transport))

    async def _upgrade(self, raw: asyncio.Transport) -> None:
        outer = raw.get_protocol()  # the gate: the top of our chain
        peer = peer_of(raw)
        loop = asyncio.get_running_loop()
        try:
            tls = await loop.start_tls(raw, outer, self._context, server_side=True,
                                       ssl_handshake_timeout=self._timeout_s)
        except ssl.SSLError as exc:
            self._on_closed(peer, f"TLS handshake failed: {exc.reason or exc}")
            tls = None
        except ConnectionAbortedError as exc:  # asyncio's handshake timeout
            self._on_closed(peer, f"TLS handshake not done within {self._timeout_s:g} s "
                                  f"({exc})")
            tls = None
        except (OSError, RuntimeError):  # the peer left, or the loop is closing
            tls = None
        if tls is None or self._lost:
            raw.abort()
            with contextlib.suppress(Exception):
                outer.connection_lost(None)
            return
        self._upgraded = True
        self._inner.connection_made(tls)
        early, self._early = self._early, []
        for data in early:
            self._inner.data_received(data)
        if self._early_eof:
            self._inner.eof_received()

    def connection_lost(self, exc: Exception | None) -> None:
        self._lost = True
        if self._upgraded:
            self._upgraded = False
            self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._upgraded:
            self._inner.data_received(data)
        else:
            self._early.append(data)

    def eof_received(self) -> bool | None:
        if self._upgraded:
            return self._inner.eof_received()
        self._early_eof = True
        return None

    def pause_writing(self) -> None:
        if self._upgraded:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._upgraded:
            self._inner.resume_writing()
