"""HTTP-style authentication as RTSP (RFC 2326 section 16) and HTTP cameras use it:
reading `WWW-Authenticate` challenges and answering them with Basic (RFC 7617) or Digest
(RFC 7616, which keeps RFC 2617's MD5 forms). Pure: no I/O.

Why it is written here and not taken from a library: `requests`/`aiohttp` answer HTTP
only (an RTSP request line and `CSeq` are not theirs to build), and the cameras we meet
mostly speak the RFC 2069/2617 subset below. What is answered:
- Digest with `algorithm` MD5 (the default), MD5-sess, SHA-256 and SHA-256-sess;
- `qop=auth` when offered (then `nc` and `cnonce` are sent, `nc` counting the requests
  made with one nonce), `auth-int` when that is all that is offered (our requests have
  no body), and no qop at all (RFC 2069, e.g. GStreamer's RTSP server);
- `stale=true`: the nonce expired, the password was right; ask again with the new nonce;
- Basic, only when the server asks for it (a password is never sent unasked, and Digest
  is preferred when both are offered: Basic sends the password itself).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import quote


class AuthError(ValueError):
    """A challenge that cannot be answered (unknown scheme or algorithm, no nonce)."""


@dataclass(frozen=True, slots=True)
class Challenge:
    """One challenge of a `WWW-Authenticate` header: `Digest realm="x", nonce="y"`."""

    scheme: str  # lower case: "basic", "digest", ...
    params: dict[str, str] = field(default_factory=dict)  # names in lower case

    @property
    def stale(self) -> bool:
        return self.params.get("stale", "").strip().lower() == "true"

    @property
    def algorithm(self) -> str:
        return self.params.get("algorithm", "MD5").strip().upper()

    @property
    def qops(self) -> tuple[str, ...]:
        raw = self.params.get("qop", "")
        return tuple(q.strip().lower() for q in raw.split(",") if q.strip())


_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_SCHEME = re.compile(rf"[\s,]*({_TOKEN})")
_PARAM = re.compile(rf"[\s,]*({_TOKEN})\s*=\s*(\"(?:[^\"\\]|\\.)*\"|[^\s,\"]*)")
_ESCAPED = re.compile(r"\\(.)")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return _ESCAPED.sub(r"\1", value[1:-1])
    return value


def parse_challenges(values: Iterable[str]) -> list[Challenge]:
    """Every challenge in these `WWW-Authenticate` values (a value may hold several,
    separated by commas: `Digest realm="a", nonce="b", Basic realm="a"`)."""
    out: list[Challenge] = []
    for value in values:
        pos = 0
        while True:
            m = _SCHEME.match(value, pos)
            if m is None:
                break
            scheme, pos = m.group(1).lower(), m.end()
            params: dict[str, str] = {}
            while (p := _PARAM.match(value, pos)) is not None:
                params[p.group(1).lower()] = _unquote(p.group(2))
                pos = p.end()
            out.append(Challenge(scheme, params))
    return out


_HASHES: dict[str, Callable[[bytes], str]] = {
    "MD5": lambda b: hashlib.md5(b).hexdigest(),  # the protocol's hash, not ours to choose
    "SHA-256": lambda b: hashlib.sha256(b).hexdigest(),
}


def _hash_of(algorithm: str) -> Callable[[bytes], str] | None:
    return _HASHES.get(algorithm.removesuffix("-SESS"))


def answerable(challenge: Challenge) -> bool:
    """Whether `Authenticator` can answer this challenge."""
    if challenge.scheme == "basic":
        return True
    if challenge.scheme != "digest" or not challenge.params.get("nonce"):
        return False
    qops = challenge.qops
    return _hash_of(challenge.algorithm) is not None and (
        not qops or "auth" in qops or "auth-int" in qops)


def _strength(challenge: Challenge) -> int:
    if challenge.scheme == "basic":
        return 1
    return 3 if challenge.algorithm.startswith("SHA-256") else 2


def pick(challenges: Iterable[Challenge]) -> Challenge | None:
    """The strongest challenge we can answer (Digest SHA-256, Digest MD5, then Basic)."""
    usable = [c for c in challenges if answerable(c)]
    return max(usable, key=_strength) if usable else None


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Authenticator:
    """Answers one server's challenge for one user, request after request: keeps the
    nonce and its count (`nc`) for Digest. `renew()` takes a new challenge (stale nonce)."""

    def __init__(self, challenge: Challenge, user: str, password: str,
                 cnonce: Callable[[], str] = lambda: secrets.token_hex(8)) -> None:
        if not answerable(challenge):
            raise AuthError(f"cannot answer a {challenge.scheme!r} challenge "
                            f"(algorithm {challenge.algorithm}, qop {challenge.qops or '-'})")
        self.user, self._password, self._cnonce = user, password, cnonce
        self.challenge = challenge
        self._nc = 0

    @property
    def scheme(self) -> str:
        return self.challenge.scheme

    def renew(self, challenge: Challenge) -> None:
        """A new challenge from the same server (e.g. after `stale=true`)."""
        if not answerable(challenge):
            raise AuthError(f"cannot answer a {challenge.scheme!r} challenge")
        if challenge.params.get("nonce") != self.challenge.params.get("nonce"):
            self._nc = 0
        self.challenge = challenge

    def header(self, method: str, uri: str, body: bytes = b"") -> str:
        """The `Authorization` value for one request (`uri` as in the request line)."""
        if self.challenge.scheme == "basic":
            pair = f"{self.user}:{self._password}".encode()
            return "Basic " + base64.b64encode(pair).decode("ascii")
        return self._digest(method, uri, body)

    def _digest(self, method: str, uri: str, body: bytes) -> str:
        p = self.challenge.params
        algorithm = self.challenge.algorithm
        h = _hash_of(algorithm)
        assert h is not None  # answerable() said so
        realm, nonce = p.get("realm", ""), p["nonce"]
        qops = self.challenge.qops
        qop = "auth" if "auth" in qops else ("auth-int" if "auth-int" in qops else "")
        cnonce = self._cnonce() if qop or algorithm.endswith("-SESS") else ""
        ha1 = h(f"{self.user}:{realm}:{self._password}".encode())
        if algorithm.endswith("-SESS"):
            ha1 = h(f"{ha1}:{nonce}:{cnonce}".encode())
        ha2 = h(f"{method}:{uri}".encode() if qop != "auth-int"
                else f"{method}:{uri}:{h(body)}".encode())
        fields = []
        if self.user.isascii():
            fields.append(f"username={_quoted(self.user)}")
        else:  # RFC 7616 3.4.4: username*=UTF-8''...
            fields.append(f"username*=UTF-8''{quote(self.user, safe='')}")
        fields += [f"realm={_quoted(realm)}", f"nonce={_quoted(nonce)}", f"uri={_quoted(uri)}"]
        if qop:
            self._nc += 1
            nc = f"{self._nc:08x}"
            response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}".encode())
            fields += [f"response={_quoted(response)}", f"qop={qop}", f"nc={nc}",
                       f"cnonce={_quoted(cnonce)}"]
        else:
            response = h(f"{ha1}:{nonce}:{ha2}".encode())
            fields.append(f"response={_quoted(response)}")
            if cnonce:
                fields.append(f"cnonce={_quoted(cnonce)}")
        if "algorithm" in p:
            fields.append(f"algorithm={p['algorithm']}")
        if "opaque" in p:
            fields.append(f"opaque={_quoted(p['opaque'])}")
        return "Digest " + ", ".join(fields)
