"""The one client that asks a camera about a stream: RTSP DESCRIBE (or an HTTP GET for
MJPEG over HTTP), answering Basic or Digest challenges, and saying what happened.

Used by the RTSP adapter's periodic check and `check-config --probe` (asyncio, on the
adapter host) and by a video tile that wants to know why a stream does not open (the
blocking `ask_blocking()`, on a worker thread). One conversation, so one answer: a camera
that uses Digest is not reported as refusing the password by one of them.

A password is sent only after the camera asks for one, in the strongest form it offers.
The conversation costs the camera at most one failed login per check (a stale nonce is
retried, a refusal is not): cameras lock accounts after a few failures.
"""

from __future__ import annotations

import asyncio
import enum
import ssl
from collections.abc import Callable
from dataclasses import dataclass

from app.net.auth import Authenticator, AuthError, parse_challenges, pick
from app.net.rtsp import (
    MAX_ANSWER,
    Answer,
    RtspError,
    Target,
    http_request,
    parse_answer_head,
    request,
    sdp_codecs,
    target,
)

SCHEMES = ("rtsp", "rtsps", "http")
MAX_STALE_RETRIES = 2


class Outcome(enum.StrEnum):
    """What a check found, for code (the `detail` says it for people)."""

    OK = "ok"
    AUTH_REFUSED = "auth"  # the camera refused the user name or password
    NO_LOGIN = "no_login"  # the camera asks for a login and none is configured
    NOT_FOUND = "not_found"  # no stream at this path
    REFUSED = "refused"  # connection refused: nothing listens there
    UNREACHABLE = "unreachable"  # no route, no answer to the connection, name unknown
    SILENT = "silent"  # accepted the connection, then said nothing in time
    STATUS = "status"  # another status code (`status` holds it)
    PROTOCOL = "protocol"  # answered something that is not RTSP/HTTP as expected
    UNSUPPORTED = "unsupported"  # asks for an authentication we cannot answer
    BAD_URL = "bad_url"


@dataclass(frozen=True, slots=True)
class StreamAnswer:
    outcome: Outcome
    detail: str  # in an installer's words
    status: int = 0
    codecs: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


class _Closed(Exception):
    """The camera closed the connection before answering (some do after a 401)."""


class _Link:
    """One conversation's connection(s): RTSP keeps one (a Digest nonce may be bound to
    it) and reopens once if the camera closed it; HTTP opens one per request."""

    def __init__(self, t: Target, timeout: float) -> None:
        self.t, self.timeout = t, timeout
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.cseq = 0

    async def open(self) -> None:
        self.close()
        tls = ssl.create_default_context() if self.t.scheme in ("rtsps", "https") else None
        async with asyncio.timeout(self.timeout):
            self.reader, self.writer = await asyncio.open_connection(
                self.t.host, self.t.port, limit=MAX_ANSWER, ssl=tls)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def ask(self, auth: Callable[[str, str], str] | None = None) -> Answer:
        """One request; `auth(method, uri)` gives its Authorization (made afresh for a
        resend: a Digest nonce count must never repeat)."""
        http = self.t.scheme == "http"
        if self.reader is None or (http and self.cseq):
            await self.open()  # HTTP: one connection per request (`Connection: close`)
        try:
            return await self._exchange(auth, http)
        except _Closed:
            if http:
                raise
        await self.open()  # RTSP: the camera hung up after its answer; once more
        return await self._exchange(auth, http)

    @property
    def method(self) -> str:
        return "GET" if self.t.scheme == "http" else "DESCRIBE"

    @property
    def uri(self) -> str:
        """The request line's target: the path for HTTP, the whole URL for RTSP."""
        return self.t.path if self.t.scheme == "http" else self.t.url

    async def _exchange(self, auth: Callable[[str, str], str] | None, http: bool) -> Answer:
        assert self.reader is not None
        assert self.writer is not None
        self.cseq += 1
        header = auth(self.method, self.uri) if auth is not None else None
        data = http_request(self.t, header) if http else request(
            "DESCRIBE", self.t.url, self.cseq, header)
        try:
            self.writer.write(data)
            await self.writer.drain()
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as exc:
            if not exc.partial:
                raise _Closed from None
            raise RtspError("the answer stopped in the middle") from None
        except ConnectionResetError:
            raise _Closed from None
        status, reason, headers, challenges = parse_answer_head(
            head, "HTTP" if http else "RTSP")
        body = b""
        if not http:  # an MJPEG body never ends: HTTP reads the head only
            try:
                length = int(headers.get("content-length", "0"))
            except ValueError:
                raise RtspError("bad Content-Length") from None
            if not 0 <= length <= MAX_ANSWER:
                raise RtspError("answer body too long")
            body = await self.reader.readexactly(length) if length else b""
        return Answer(status, reason, headers, body, challenges)


async def ask(url: str, user: str | None = None, password: str | None = None,
              timeout: float = 5.0) -> StreamAnswer:
    """DESCRIBE (RTSP) or GET (HTTP) `url`, logging in if asked: what works, what not."""
    try:
        t = target(url, SCHEMES)
    except RtspError as exc:
        return StreamAnswer(Outcome.BAD_URL, str(exc))
    link = _Link(t, timeout)
    where = f"{t.host}:{t.port}"
    try:
        await link.open()
    except (OSError, TimeoutError) as exc:
        return _not_connected(where, exc)
    try:
        async with asyncio.timeout(timeout):
            return await _converse(link, user, password)
    except TimeoutError:
        return StreamAnswer(Outcome.SILENT, f"{where} accepted the connection but did not "
                                            "answer")
    except ConnectionRefusedError as exc:  # the camera went away between two requests
        return _not_connected(where, exc)
    except _Closed:
        return StreamAnswer(Outcome.PROTOCOL, f"{where} closed the connection without "
                                              "answering")
    except (RtspError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
            ConnectionError, ssl.SSLError) as exc:
        proto = "HTTP" if t.scheme == "http" else "RTSP"
        return StreamAnswer(Outcome.PROTOCOL, f"{where} does not speak {proto} as expected: "
                                              f"{exc}")
    except OSError as exc:
        return _not_connected(where, exc)
    finally:
        link.close()


def ask_blocking(url: str, user: str | None = None, password: str | None = None,
                 timeout: float = 5.0) -> StreamAnswer:
    """`ask()` for a worker thread (never the GUI thread: it waits on the network)."""
    return asyncio.run(ask(url, user, password, timeout))


def _not_connected(where: str, exc: BaseException) -> StreamAnswer:
    if isinstance(exc, ConnectionRefusedError):
        return StreamAnswer(Outcome.REFUSED, f"cannot connect to {where}: "
                                             f"{exc.strerror or 'connection refused'}")
    why = "no answer (timeout)" if isinstance(exc, TimeoutError) else (
        getattr(exc, "strerror", None) or str(exc))
    return StreamAnswer(Outcome.UNREACHABLE, f"cannot connect to {where}: {why}")


async def _converse(link: _Link, user: str | None, password: str | None) -> StreamAnswer:
    ans = await link.ask()
    if ans.status == 401:
        if not user or password is None:
            return StreamAnswer(Outcome.NO_LOGIN, "asks for a user name and password, and "
                                                  "none is configured", 401)
        if not ans.challenges:
            return StreamAnswer(Outcome.UNSUPPORTED, "answered 401 without saying how to "
                                                     "authenticate", 401)
        challenge = pick(parse_challenges(ans.challenges))
        if challenge is None:
            return StreamAnswer(Outcome.UNSUPPORTED, "asks for an authentication the console "
                                                     f"cannot answer: {ans.challenges[0]}", 401)
        try:
            auth = Authenticator(challenge, user, password)
        except AuthError as exc:
            return StreamAnswer(Outcome.UNSUPPORTED, str(exc), 401)
        ans = await link.ask(auth.header)
        for _ in range(MAX_STALE_RETRIES):
            if ans.status != 401 or auth.scheme != "digest":
                break
            fresh = [c for c in parse_challenges(ans.challenges) if c.scheme == "digest"]
            if not fresh or not fresh[0].stale:
                break  # a refusal: never try the same password twice in one check
            auth.renew(fresh[0])  # the nonce expired, the password was right
            ans = await link.ask(auth.header)
        if ans.status in (401, 403):
            return StreamAnswer(Outcome.AUTH_REFUSED, f"refused the password of user {user!r}",
                                ans.status)
    if ans.status == 403:
        return StreamAnswer(Outcome.AUTH_REFUSED, "refused access (403)", 403)
    if ans.status == 404:
        return StreamAnswer(Outcome.NOT_FOUND, "answered, but has no stream at this path (404)",
                            404)
    if not 200 <= ans.status < 300:
        return StreamAnswer(Outcome.STATUS, f"answered {ans.status} {ans.reason}".rstrip(),
                            ans.status)
    if link.t.scheme == "http":
        kind = ans.headers.get("content-type", "").split(";")[0].strip().lower()
        codecs: tuple[str, ...] = ("MJPEG",) if kind == "multipart/x-mixed-replace" else ()
        return StreamAnswer(Outcome.OK, "answered, " + (
            "MJPEG stream" if codecs else f"{kind or 'untyped'} content"), ans.status, codecs)
    codecs = tuple(sdp_codecs(ans.body))
    return StreamAnswer(Outcome.OK, f"answered, {', '.join(codecs) or 'no media'} stream",
                        ans.status, codecs)
