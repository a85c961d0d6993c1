"""Who may post to a webhook: an HMAC signature over a timestamp and the body, or a bearer
token. Pure (no I/O), so every refusal is unit-tested.

The signed scheme (Stripe's, with our header names):

    X-CSU-Timestamp: <Unix time in whole seconds when the sender signed>
    X-CSU-Signature: sha256=<hex HMAC-SHA256(secret, f"{timestamp}." + raw body)>

The timestamp is inside the signature, so an attacker cannot refresh it; a request older
(or newer) than `window_s` is refused; and an exact copy inside the window is refused
too, because the receiver remembers every signature it accepted until the window has
passed. That bounds the memory: entries expire with their timestamp, and a cap answers
503 (retry later) rather than forgetting one early. A bearer token cannot tell a copy
from the original: it is for senders that cannot sign, over TLS only in practice.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

TIMESTAMP_HEADER = "X-CSU-Timestamp"
SIGNATURE_HEADER = "X-CSU-Signature"
WINDOW_S = 300  # a signed request is good for 5 minutes around the console's clock
MEMORY_CAP = 100_000  # signatures remembered at once (333 accepted requests/s for 5 min)
_PREFIX = "sha256="


class Refusal(Exception):
    """A request the receiver refuses: the HTTP status and the reason, in plain words, that
    the sender gets back and the connected-systems panel counts."""

    def __init__(self, status: int, reason: str, *, retry_after_s: int | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.retry_after_s = retry_after_s


def sign(body: bytes, secret: str, timestamp: int) -> str:
    """The `X-CSU-Signature` value a sender puts on `body` signed at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return _PREFIX + mac.hexdigest()


def signed_headers(body: bytes, secret: str, timestamp: int | None = None) -> dict[str, str]:
    """Both headers of a signed request (senders in tests, benches and examples)."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {TIMESTAMP_HEADER: str(ts), SIGNATURE_HEADER: sign(body, secret, ts)}


class Authenticator(Protocol):
    """Checks one request; returns a claim to give back with `release` if the request ends
    up not stored (so that the sender's retry is not taken for a replay)."""

    description: str

    def check(self, headers: Mapping[str, str], body: bytes) -> object: ...

    def release(self, claim: object) -> None: ...


@dataclass
class ReplayMemory:
    """Signatures seen, each until its timestamp leaves the window. Used on one loop."""

    cap: int = MEMORY_CAP
    _expiry: dict[bytes, float] = field(default_factory=dict)
    _heap: list[tuple[float, bytes]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self._expiry)

    def claim(self, key: bytes, expires: float, now: float) -> None:
        """Remember `key` until `expires`; `Refusal` 409 if it is already remembered."""
        self._forget_expired(now)
        if key in self._expiry:
            raise Refusal(409, "replay: this signed request was already received (sign "
                               "each new request with a new timestamp)")
        if len(self._expiry) >= self.cap:
            raise Refusal(503, f"too many signed requests in the last {WINDOW_S} s to "
                               "check for replays; retry later", retry_after_s=5)
        self._expiry[key] = expires
        heapq.heappush(self._heap, (expires, key))

    def release(self, key: bytes) -> None:
        """Forget `key` (its request was not stored: the sender's retry is legitimate)."""
        self._expiry.pop(key, None)  # the heap entry goes when it expires

    def _forget_expired(self, now: float) -> None:
        while self._heap and self._heap[0][0] < now:
            expires, key = heapq.heappop(self._heap)
            if self._expiry.get(key) == expires:
                del self._expiry[key]


@dataclass
class HmacAuth:
    """The signed scheme of the module docstring."""

    secret: str
    window_s: float = WINDOW_S
    memory: ReplayMemory = field(default_factory=ReplayMemory)
    clock: Callable[[], float] = time.time
    description: str = "HMAC-signed requests"

    def check(self, headers: Mapping[str, str], body: bytes) -> object:
        stamp = headers.get(TIMESTAMP_HEADER, "").strip()
        given = headers.get(SIGNATURE_HEADER, "").strip().lower()
        if not given:
            raise Refusal(401, f"missing {SIGNATURE_HEADER} (HMAC-SHA256 of "
                               f"\"<{TIMESTAMP_HEADER}>.<body>\")")
        if not stamp:
            raise Refusal(401, f"missing {TIMESTAMP_HEADER} (Unix time in seconds, signed "
                               "with the body)")
        if not stamp.isdigit() or len(stamp) > 12:
            raise Refusal(401, f"{TIMESTAMP_HEADER} is not a Unix time in whole seconds")
        if not hmac.compare_digest(given.encode(), sign(body, self.secret, int(stamp)).encode()):
            raise Refusal(401, f"wrong {SIGNATURE_HEADER} (not made with the shared secret "
                               f"over \"<{TIMESTAMP_HEADER}>.<body>\")")
        now = self.clock()
        skew = int(stamp) - now
        if abs(skew) > self.window_s:
            when = "old" if skew < 0 else "in the future"
            raise Refusal(401, f"{TIMESTAMP_HEADER} is {abs(skew):.0f} s {when} (limit "
                               f"{self.window_s:.0f} s): a replay, or the sender's clock is "
                               "wrong")
        key = bytes.fromhex(given.removeprefix(_PREFIX))
        self.memory.claim(key, int(stamp) + self.window_s, now)
        return key

    def release(self, claim: object) -> None:
        if isinstance(claim, bytes):
            self.memory.release(claim)


@dataclass
class BearerAuth:
    """`Authorization: Bearer <token>`, compared in constant time."""

    token: str
    description: str = "bearer token"

    def check(self, headers: Mapping[str, str], body: bytes) -> object:
        scheme, _, given = headers.get("Authorization", "").strip().partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
                given.strip().encode(), self.token.encode()):
            raise Refusal(401, "missing or wrong bearer token (Authorization: Bearer ...)")
        return None

    def release(self, claim: object) -> None:
        return None
