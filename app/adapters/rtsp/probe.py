"""Asks an RTSP camera what it serves (OPTIONS, then DESCRIBE with authorisation): the
honest test of "is this camera there, and does it take our password"."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.adapters.rtsp.protocol import (
    MAX_ANSWER,
    Answer,
    RtspError,
    authorization,
    parse_head,
    request,
    sdp_codecs,
    split_url,
)


@dataclass(frozen=True, slots=True)
class StreamCheck:
    ok: bool
    detail: str  # in an installer's words
    codecs: tuple[str, ...] = ()


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                    data: bytes) -> Answer:
    writer.write(data)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if len(head) > MAX_ANSWER:
        raise RtspError("answer too long")
    status, reason, headers = parse_head(head)
    try:
        length = int(headers.get("content-length", "0"))
    except ValueError:
        raise RtspError("bad Content-Length") from None
    if not 0 <= length <= MAX_ANSWER:
        raise RtspError("answer body too long")
    body = await reader.readexactly(length) if length else b""
    return Answer(status, reason, headers, body)


async def check_stream(url: str, user: str | None, password: str | None,
                       timeout: float = 5.0) -> StreamCheck:
    """OPTIONS + DESCRIBE (with Basic/Digest auth when challenged) → what works."""
    try:
        host, port, clean = split_url(url)
    except RtspError as exc:
        return StreamCheck(False, str(exc))
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, limit=MAX_ANSWER), timeout)
    except (OSError, TimeoutError) as exc:
        why = "no answer (timeout)" if isinstance(exc, TimeoutError) else (
            exc.strerror or str(exc))
        return StreamCheck(False, f"cannot connect to {host}:{port}: {why}")
    try:
        return await asyncio.wait_for(_talk(reader, writer, clean, user, password), timeout)
    except TimeoutError:
        return StreamCheck(False, f"{host}:{port} accepted the connection but did not answer")
    except (RtspError, asyncio.IncompleteReadError, asyncio.LimitOverrunError,
            ConnectionError) as exc:
        return StreamCheck(False, f"{host}:{port} does not speak RTSP as expected: {exc}")
    finally:
        writer.close()


async def _talk(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, url: str,
                user: str | None, password: str | None) -> StreamCheck:
    ans = await _exchange(reader, writer, request("OPTIONS", url, 1))
    cseq = 2
    ans = await _exchange(reader, writer, request("DESCRIBE", url, cseq))
    if ans.status == 401:
        challenge = ans.headers.get("www-authenticate")
        if not user or password is None:
            return StreamCheck(False, "asks for a user name and password, and none is "
                                      "configured")
        if not challenge:
            return StreamCheck(False, "answered 401 without saying how to authenticate")
        cseq += 1
        auth = authorization(challenge, "DESCRIBE", url, user, password)
        ans = await _exchange(reader, writer, request("DESCRIBE", url, cseq, auth))
        if ans.status == 401:
            return StreamCheck(False, f"refused the password of user {user!r}")
    if ans.status == 404:
        return StreamCheck(False, "answered, but has no stream at this path (404)")
    if ans.status != 200:
        return StreamCheck(False, f"answered {ans.status} {ans.reason}")
    codecs = tuple(sdp_codecs(ans.body))
    return StreamCheck(True, f"answered, {', '.join(codecs) or 'no media'} stream", codecs)
