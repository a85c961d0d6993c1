"""Asks an RTSP camera what it serves (DESCRIBE, logging in when asked): the honest test
of "is this camera there, and does it take our password". The conversation itself is the
console's one stream client, `app.net.stream_check` (Basic and Digest), shared with the
video wall's diagnosis."""

from __future__ import annotations

from dataclasses import dataclass

from app.net.stream_check import Outcome, ask


@dataclass(frozen=True, slots=True)
class StreamCheck:
    ok: bool
    detail: str  # in an installer's words
    codecs: tuple[str, ...] = ()
    outcome: Outcome = Outcome.OK  # for code: e.g. AUTH_REFUSED stops the adapter


async def check_stream(url: str, user: str | None, password: str | None,
                       timeout: float = 5.0) -> StreamCheck:
    """DESCRIBE (with Basic/Digest auth when challenged) → what works."""
    answer = await ask(url, user, password, timeout)
    return StreamCheck(answer.ok, answer.detail, answer.codecs, answer.outcome)
