"""The bits of RTSP (RFC 2326) and HTTP/1.x a stream check needs: URLs, a request, the
answer's status line and headers, and the codecs an SDP announces. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

MAX_ANSWER = 64 * 1024
DEFAULT_PORTS = {"rtsp": 554, "rtsps": 322, "http": 80, "https": 443}


class RtspError(ValueError):
    """A malformed answer or URL."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    reason: str
    headers: dict[str, str]  # lower-case names; the last value of a repeated header
    body: bytes = b""
    challenges: tuple[str, ...] = field(default=())  # every WWW-Authenticate value


@dataclass(frozen=True, slots=True)
class Target:
    """Where a stream is: scheme, host, port, and the URL without user info."""

    scheme: str
    host: str
    port: int
    url: str

    @property
    def path(self) -> str:
        """The request-target of an HTTP request line (path and query)."""
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def target(url: str, schemes: tuple[str, ...] = ("rtsp", "rtsps")) -> Target:
    """`url` split; refuses other schemes and URLs that carry a password."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in schemes or not parts.hostname:
        names = " or ".join(f"{s}://" for s in schemes)
        raise RtspError(f"not an {names} URL: {url!r}")
    if parts.password:
        raise RtspError("the URL carries a password: keep it in the keyring instead")
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
    except ValueError:
        raise RtspError(f"bad port in {url!r}") from None
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    clean = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    return Target(scheme, parts.hostname, port, clean)


def split_url(url: str) -> tuple[str, int, str]:
    """(host, port, URL without user info) of an rtsp:// URL."""
    t = target(url)
    return t.host, t.port, t.url


def request(method: str, url: str, cseq: int, auth: str | None = None) -> bytes:
    """An RTSP request without a body."""
    lines = [f"{method} {url} RTSP/1.0", f"CSeq: {cseq}", "User-Agent: csu-console"]
    if method == "DESCRIBE":
        lines.append("Accept: application/sdp")
    if auth:
        lines.append(f"Authorization: {auth}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def http_request(t: Target, auth: str | None = None) -> bytes:
    """An HTTP GET that asks for the answer's head only (the connection closes after)."""
    host = t.host if ":" not in t.host else f"[{t.host}]"
    if t.port != DEFAULT_PORTS.get(t.scheme):
        host += f":{t.port}"
    lines = [f"GET {t.path} HTTP/1.1", f"Host: {host}", "User-Agent: csu-console",
             "Connection: close"]
    if auth:
        lines.append(f"Authorization: {auth}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


_STATUS = re.compile(r"^(RTSP|HTTP)/\d\.\d (\d{3})(?: (.*))?$")


def parse_head(head: bytes, protocol: str = "RTSP") -> tuple[int, str, dict[str, str]]:
    """Status line and headers (up to the blank line)."""
    status, reason, headers, _challenges = parse_answer_head(head, protocol)
    return status, reason, headers


def parse_answer_head(head: bytes, protocol: str = "RTSP"
                      ) -> tuple[int, str, dict[str, str], tuple[str, ...]]:
    """Status, reason, headers and every `WWW-Authenticate` value of an answer's head."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        raise RtspError("answer is not text") from None
    lines = text.split("\r\n")
    m = _STATUS.match(lines[0])
    if m is None or m[1] != protocol:
        raise RtspError(f"not an {protocol} answer")
    headers: dict[str, str] = {}
    challenges: list[str] = []
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise RtspError("malformed header line")
        key = name.strip().lower()
        headers[key] = value.strip()
        if key == "www-authenticate":
            challenges.append(value.strip())
    return int(m[2]), m[3] or "", headers, tuple(challenges)


_RTPMAP = re.compile(r"^a=rtpmap:\d+ ([A-Za-z0-9.-]+)/", re.MULTILINE)
_MEDIA = re.compile(r"^m=(video|audio|application) ", re.MULTILINE)
_NAMES = {"H264": "H.264", "H265": "H.265", "JPEG": "MJPEG", "MP4V-ES": "MPEG-4"}


def sdp_codecs(sdp: bytes) -> list[str]:
    """Codecs the SDP announces, video first, e.g. ["H.264", "PCMA"]."""
    text = sdp.decode("utf-8", "replace")
    found = [_NAMES.get(c.upper(), c.upper()) for c in _RTPMAP.findall(text)]
    if not found and "m=video 0 RTP/AVP 26" in text:
        found.append("MJPEG")
    return list(dict.fromkeys(found)) or (["unknown codec"] if _MEDIA.search(text) else [])
