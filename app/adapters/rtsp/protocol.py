"""The bits of RTSP (RFC 2326) a probe needs: a request, the answer's status/headers/body,
Basic and Digest (RFC 2617) authorisation, and the codecs an SDP announces. Pure."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

MAX_ANSWER = 64 * 1024


class RtspError(ValueError):
    """A malformed RTSP answer or URL."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    reason: str
    headers: dict[str, str]  # lower-case names
    body: bytes


def split_url(url: str) -> tuple[str, int, str]:
    """(host, port, URL without user info) of an rtsp:// URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("rtsp", "rtsps") or not parts.hostname:
        raise RtspError(f"not an rtsp:// URL: {url!r}")
    if parts.password:
        raise RtspError("the URL carries a password: keep it in the keyring instead")
    try:
        port = parts.port or (322 if parts.scheme == "rtsps" else 554)
    except ValueError:
        raise RtspError(f"bad port in {url!r}") from None
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if parts.port:
        netloc += f":{parts.port}"
    clean = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return parts.hostname, port, clean


def request(method: str, url: str, cseq: int, auth: str | None = None) -> bytes:
    lines = [f"{method} {url} RTSP/1.0", f"CSeq: {cseq}", "User-Agent: csu-console"]
    if method == "DESCRIBE":
        lines.append("Accept: application/sdp")
    if auth:
        lines.append(f"Authorization: {auth}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def parse_head(head: bytes) -> tuple[int, str, dict[str, str]]:
    """Status line and headers (up to the blank line)."""
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        raise RtspError("answer is not text") from None
    lines = text.split("\r\n")
    m = re.match(r"^RTSP/1\.\d (\d{3}) ?(.*)$", lines[0])
    if m is None:
        raise RtspError("not an RTSP answer")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        if not line:
            continue
        name, sep, value = line.partition(":")
        if not sep:
            raise RtspError("malformed header line")
        key = name.strip().lower()
        # several WWW-Authenticate headers: keep the strongest (Digest)
        if key in headers and key == "www-authenticate" and not value.strip().startswith(
                "Digest"):
            continue
        headers[key] = value.strip()
    return int(m[1]), m[2], headers


def parse_challenge(header: str) -> tuple[str, dict[str, str]]:
    """`Digest realm="x", nonce="y"` → ("digest", {realm, nonce, ...})."""
    scheme, _, rest = header.strip().partition(" ")
    params = {k.lower(): v1 or v2 for k, v1, v2 in
              re.findall(r'(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]+))', rest)}
    return scheme.lower(), params


def authorization(challenge: str, method: str, uri: str, user: str, password: str) -> str:
    scheme, p = parse_challenge(challenge)
    if scheme == "basic":
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    if scheme != "digest" or "nonce" not in p:
        raise RtspError(f"unsupported authentication {scheme!r}")
    realm, nonce = p.get("realm", ""), p["nonce"]
    ha1 = hashlib.md5(f"{user}:{realm}:{password}".encode()).hexdigest()
    ha2 = hashlib.md5(f"{method}:{uri}".encode()).hexdigest()
    resp = hashlib.md5(f"{ha1}:{nonce}:{ha2}".encode()).hexdigest()
    return (f'Digest username="{user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
            f'response="{resp}"')


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
