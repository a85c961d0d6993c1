"""SIA DC-09 frames: parse one received frame, build the receiver's answer. Pure functions.

A frame is `LF crc(4 hex) 0LLL(4 hex) "ID" seq Rrcvr Lline #acct [data]...[extras] timestamp CR`
(ANSI/SIA DC-09). The CRC is CRC-16/ARC over everything from the first `"` to the last
character before CR. An `*` before the ID token means the part after `[` is AES-CBC
(zero IV) ciphertext in hex of `pad|data]...timestamp`.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

MAX_FRAME = 1024  # DC-09 frames are short; anything longer is refused
LF, CR = b"\n", b"\r"
# Window the standard gives for a timestamp: 20 s ahead, 40 s behind the receiver's clock.
AHEAD = timedelta(seconds=20)
BEHIND = timedelta(seconds=40)
ID_TOKENS = frozenset({"SIA-DCS", "ADM-CID", "NULL"})

_HEADER = re.compile(
    r'^"(?P<star>\*?)(?P<id>[A-Z0-9-]{3,10})"(?P<seq>[0-9A-F]{4})'
    r"(?:R(?P<rcv>[0-9A-F]{1,6}))?(?:L(?P<line>[0-9A-F]{1,6}))?"
    r"#(?P<acct>[0-9A-F]{3,16})\[(?P<rest>.*)$",
    re.DOTALL,
)
_TS = re.compile(r"_(\d{2}):(\d{2}):(\d{2}),(\d{2})-(\d{2})-(\d{4})$")


class FrameError(ValueError):
    """Why a frame was refused, in words for the log and the rejected counter."""


class NeedsKey(FrameError):
    """An encrypted frame arrived and no key is configured."""


class BadTime(FrameError):
    """The frame's timestamp is outside the standard's window (answer NAK)."""


def crc16(data: bytes) -> int:
    """CRC-16/ARC (poly 0xA001 reflected), the CRC of SIA DC-07/DC-09."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


@dataclass(frozen=True, slots=True)
class Frame:
    token: str  # SIA-DCS, ADM-CID, NULL
    encrypted: bool
    seq: str  # "0001".."9999" as sent (some senders, dc09-spt among them, send hex)
    receiver: str | None
    line: str | None
    account: str
    data: str  # the message data, without its closing "]" (e.g. "#1234|1130 01 005")
    extras: tuple[str, ...]  # extended data blocks such as "X2.35", "Y48.85"
    timestamp: datetime | None


def _aes(key: bytes, data: bytes, encrypt: bool) -> bytes:
    from Crypto.Cipher import AES

    cipher = AES.new(key, AES.MODE_CBC, bytes(16))
    return cipher.encrypt(data) if encrypt else cipher.decrypt(data)


def _parse_ts(text: str) -> datetime:
    m = _TS.search(text)
    if m is None:
        raise FrameError("timestamp is not _HH:MM:SS,MM-DD-YYYY")
    hh, mi, ss, mo, dd, yy = (int(g) for g in m.groups())
    try:
        return datetime(yy, mo, dd, hh, mi, ss, tzinfo=UTC)
    except ValueError:
        raise FrameError("timestamp is not a real date and time") from None


def _split_tail(tail: str) -> tuple[tuple[str, ...], datetime | None]:
    """What follows the data's `]`: extended data blocks `[X..]`, then an optional timestamp."""
    extras: list[str] = []
    ts: datetime | None = None
    rest = tail
    while rest.startswith("["):
        end = rest.find("]")
        if end < 0:
            raise FrameError("an extended data block is not closed")
        extras.append(rest[1:end])
        rest = rest[end + 1:]
    if rest:
        ts = _parse_ts(rest)
        if _TS.fullmatch(rest) is None:
            raise FrameError("unexpected characters after the data")
    return tuple(extras), ts


def parse_frame(raw: bytes, key: bytes | None, now: datetime) -> Frame:
    """One frame (LF ... CR) → `Frame`, or `FrameError` saying why not."""
    if len(raw) > MAX_FRAME:
        raise FrameError(f"frame of {len(raw)} bytes is longer than {MAX_FRAME}")
    body = raw.removeprefix(LF).removesuffix(CR)
    if len(body) < 9:
        raise FrameError("frame too short")
    try:
        text = body.decode("ascii")
    except UnicodeDecodeError:
        raise FrameError("frame is not ASCII") from None
    head, msg = text[:8], text[8:]
    if not re.fullmatch(r"[0-9A-Fa-f]{8}", head):
        raise FrameError("CRC and length are not hexadecimal")
    if int(head[4:], 16) != len(msg):
        raise FrameError(f"length field says {int(head[4:], 16)}, frame has {len(msg)}")
    if int(head[:4], 16) != crc16(msg.encode("ascii")):
        raise FrameError("CRC mismatch")
    m = _HEADER.match(msg)
    if m is None:
        raise FrameError("header is not \"ID\"seq[Rr][Ll]#acct[")
    token, rest = m["id"], m["rest"]
    if token not in ID_TOKENS:
        raise FrameError(f"unsupported message type {token!r}")
    encrypted = bool(m["star"])
    if encrypted:
        if key is None:
            raise NeedsKey("encrypted frame but no key is configured for this receiver")
        if not re.fullmatch(r"(?:[0-9A-Fa-f]{32})+", rest):
            raise FrameError("encrypted part is not whole AES blocks in hex")
        plain = _aes(key, bytes.fromhex(rest), encrypt=False)
        try:
            clear = plain.decode("ascii")
        except UnicodeDecodeError:
            raise FrameError("cannot decrypt: wrong key?") from None
        bar = clear.find("|")
        if bar < 0:
            raise FrameError("cannot decrypt: wrong key?")
        rest = clear[bar + 1:]
    close = rest.find("]")
    if close < 0:
        raise FrameError("data block is not closed by ]")
    data, tail = rest[:close], rest[close + 1:]
    extras, ts = _split_tail(tail)
    if encrypted and ts is None:
        raise BadTime("an encrypted frame must carry a timestamp")
    if ts is not None and not (now - BEHIND <= ts <= now + AHEAD):
        raise BadTime(f"timestamp {ts:%Y-%m-%d %H:%M:%S}Z is outside the allowed window")
    return Frame(token, encrypted, m["seq"], m["rcv"], m["line"], m["acct"], data, extras, ts)


def _stamp(now: datetime) -> str:
    return f"_{now:%H:%M:%S,%m-%d-%Y}"


def _wrap(msg: str) -> bytes:
    raw = msg.encode("ascii")
    return LF + f"{crc16(raw):04X}{len(raw):04X}".encode() + raw + CR


def _encrypt_block(key: bytes, clear: str) -> str:
    """Pad with random printable characters (never [ ] |) to whole AES blocks, encrypt."""
    need = (-len(clear)) % 16 or 16
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    pad = "".join(secrets.choice(alphabet) for _ in range(need))
    return _aes(key, (pad + clear).encode("ascii"), encrypt=True).hex().upper()


def answer(kind: str, frame: Frame | None, key: bytes | None, now: datetime) -> bytes:
    """ACK / DUH for a frame we parsed; NAK (seq 0000, R0 L0 A0, our time) otherwise."""
    if kind == "NAK" or frame is None:
        return _wrap(f'"NAK"0000R0L0A0[]{_stamp(now)}')
    addr = ""
    if frame.receiver is not None:
        addr += f"R{frame.receiver}"
    if frame.line is not None:
        addr += f"L{frame.line}"
    if frame.encrypted and key is not None:
        body = _encrypt_block(key, "]" + _stamp(now))
        return _wrap(f'"*{kind}"{frame.seq}{addr}#{frame.account}[{body}')
    return _wrap(f'"{kind}"{frame.seq}{addr}#{frame.account}[]')


def build_frame(token: str, seq: int, account: str, data: str, key: bytes | None = None,
                now: datetime | None = None, receiver: str | None = None,
                line: str | None = None) -> bytes:
    """A sender's frame (tests, bench and probe use it; real panels build their own)."""
    addr = (f"R{receiver}" if receiver else "") + (f"L{line}" if line else "")
    head = f'"{"*" if key else ""}{token}"{seq:04d}{addr}#{account}['
    if key is not None:
        stamp = _stamp(now or datetime.now(UTC))
        return _wrap(head + _encrypt_block(key, "|" + data + "]" + stamp))
    return _wrap(head + data + "]" + (_stamp(now) if now else ""))
