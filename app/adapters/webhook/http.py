"""A deliberately small HTTP/1.1 server on asyncio streams: the webhook only needs POST with
a Content-Length body, and owning the parsing lets us bound every size."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

MAX_HEADER_LINE = 8192
MAX_HEADERS = 64
READ_TIMEOUT_S = 30.0
RETRY_AFTER_S = 5  # with a 503: the console's store failed or was slow
REASONS = {200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized",
           404: "Not Found", 405: "Method Not Allowed", 411: "Length Required",
           413: "Payload Too Large", 503: "Service Unavailable"}


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes


Handler = Callable[[Request], Awaitable[tuple[int, str]]]


def response(status: int, text: str, keep_alive: bool) -> bytes:
    body = (text + "\n").encode()
    head = (f"HTTP/1.1 {status} {REASONS.get(status, 'Error')}\r\n"
            f"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {len(body)}\r\n"
            + (f"Retry-After: {RETRY_AFTER_S}\r\n" if status == 503 else "") +
            f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n")
    return head.encode() + body


async def read_request(reader: asyncio.StreamReader, max_body: int) -> Request | tuple[int, str]:
    """One request, or (status, reason) when it cannot be read within the limits."""
    line = await asyncio.wait_for(reader.readline(), READ_TIMEOUT_S)
    if not line:
        raise ConnectionError("closed")
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        return 400, "not an HTTP/1.x request line"
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS + 1):
        h = await asyncio.wait_for(reader.readline(), READ_TIMEOUT_S)
        if h in (b"\r\n", b"\n", b""):
            break
        name, sep, value = h.decode("latin-1").partition(":")
        if not sep:
            return 400, "malformed header"
        headers[name.strip().lower()] = value.strip()
    else:
        return 400, "too many headers"
    length_text = headers.get("content-length")
    if parts[0] == "POST" and length_text is None:
        return 411, "Content-Length required"
    try:
        length = int(length_text or "0")
    except ValueError:
        return 400, "bad Content-Length"
    if length < 0:
        return 400, "bad Content-Length"
    if length > max_body:
        return 413, f"body larger than {max_body} bytes"
    body = await asyncio.wait_for(reader.readexactly(length), READ_TIMEOUT_S)
    return Request(parts[0], parts[1], headers, body)


async def serve_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                           handler: Handler, max_body: int) -> None:
    try:
        while True:
            try:
                req = await read_request(reader, max_body)
            except (ConnectionError, asyncio.IncompleteReadError, TimeoutError,
                    asyncio.LimitOverrunError, ValueError):
                return
            if isinstance(req, tuple):
                writer.write(response(req[0], req[1], False))
                await writer.drain()
                return
            status, text = await handler(req)
            keep = req.headers.get("connection", "").lower() != "close"
            writer.write(response(status, text, keep))
            await writer.drain()
            if not keep:
                return
    except ConnectionError:
        return
    finally:
        writer.close()
