"""A tiny HTTP/1.1 receiver for platforms that push by webhook instead of MQTT.

`POST /<prefix>/<device>/event` with the same JSON as over MQTT; optional bearer token
(from the keyring). Answers 202 once the events are stored by the console (journal
committed), 422 with the reject reason (do not retry), or 503 with Retry-After when the
console's store failed or was too slow (retry). Bounded: header and body sizes, read
timeouts.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

MAX_HEADER_BYTES = 8 * 1024
MAX_BODY_BYTES = 8 * 1024
READ_TIMEOUT_S = 10.0
RETRY_AFTER_S = 5

# (path, body) -> (202, ""), (422, reject reason) or (503, why it was not stored)
Handler = Callable[[str, bytes], Awaitable[tuple[int, str]]]
REASONS = {202: "Accepted", 422: "Unprocessable Entity", 503: "Service Unavailable"}


def _response(code: int, reason: str, body: str = "") -> bytes:
    data = body.encode()
    retry = f"Retry-After: {RETRY_AFTER_S}\r\n" if code == 503 else ""
    return (f"HTTP/1.1 {code} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\n"
            f"{retry}Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
            ).encode() + data


async def serve_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                        handler: Handler, token: str | None) -> None:
    try:
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT_S)
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = ([*lines[0].split(" "), "", "", ""])[:3]
        headers = {k.strip().lower(): v.strip() for k, _, v in
                   (line.partition(":") for line in lines[1:] if line)}
        if method != "POST":
            writer.write(_response(405, "Method Not Allowed", "POST only"))
            return
        if token is not None:
            given = headers.get("authorization", "").removeprefix("Bearer ").encode()
            if not hmac.compare_digest(given, token.encode()):
                writer.write(_response(401, "Unauthorized", "bad or missing bearer token"))
                return
        try:
            length = int(headers.get("content-length", "-1"))
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY_BYTES:
            writer.write(_response(413, "Payload Too Large", "body missing or too large"))
            return
        body = await asyncio.wait_for(reader.readexactly(length), READ_TIMEOUT_S)
        code, text = await handler(path, body)
        writer.write(_response(code, REASONS.get(code, "Error"), text))
    except (asyncio.LimitOverrunError, asyncio.IncompleteReadError, TimeoutError,
            ConnectionError, UnicodeDecodeError):
        writer.write(_response(400, "Bad Request"))
    finally:
        try:
            await writer.drain()
            writer.close()
            await writer.wait_closed()
        except (ConnectionError, OSError):
            pass


async def start_webhook(host: str, port: int, handler: Handler,
                        token: str | None) -> asyncio.Server:
    async def on_client(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
        await serve_request(r, w, handler, token)

    return await asyncio.start_server(on_client, host, port, limit=MAX_HEADER_BYTES)
