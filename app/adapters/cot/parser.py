"""Cursor-on-Target XML (ATAK, WinTAK, iTAK, TAK Server) -> positions. Pure: fuzzed.

`<event version="2.0" uid=".." type="a-f-G-U-C" time=".." start=".." stale="..">
   <point lat=".." lon=".." hae=".." ce=".." le=".."/>
   <detail><contact callsign="PM 11"/><__group name="Cyan" role="Team Member"/>
           <track course="87.5" speed="1.4"/></detail></event>`
Atoms (`a-*`) become fixes (track speed is m/s, course degrees true). Pings (`t-x-d-d`)
and other non-position events (chat, drawings, tasks) are ignored, not rejected. XML goes
through `app.adapters.safe_xml` (defusedxml): a DTD anywhere, hence any entity bomb or
external reference, is refused with its reason.
"""

from __future__ import annotations

import codecs
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.adapters.officers import announce
from app.adapters.parsing import (
    MAX_SPEED_MPS,
    Invalid,
    ParseResult,
    Rejected,
    check_size,
    iso_time,
    latlon,
    optional_number,
    parse_iso,
    resolve_officer,
    text,
)
from app.adapters.safe_xml import XmlRefused, parse_xml
from app.core.events import Event, PositionReported
from app.core.model import PositionFix

MAX_EVENT_BYTES = 32 * 1024
UNKNOWN_CE = 9_999_999.0  # CoT's "no error estimate"
END = b"</event>"


@dataclass(frozen=True)
class Rules:
    source: str
    devices: Mapping[str, str] = field(default_factory=dict)  # uid or callsign -> officer
    accept_unknown: bool = False
    unit: str = "TAK"  # unit of officers announced from unknown devices with no group


def split_stream(buffer: bytes) -> tuple[list[bytes], bytes, bool]:
    """Cut a TCP stream into whole `<event>` documents: (documents, rest, overflowed).
    CoT over TCP has no framing other than the closing tag."""
    docs: list[bytes] = []
    while True:
        end = buffer.find(END)
        if end < 0:
            break
        docs.append(buffer[:end + len(END)])
        buffer = buffer[end + len(END):]
    overflow = len(buffer) > MAX_EVENT_BYTES
    return docs, (b"" if overflow else buffer), overflow


def _from_markup(doc: bytes) -> bytes:
    """The document from its first markup on: a TCP stream may carry stray bytes before an
    event (a client's keep-alive, the tail of a broken one), and the event after them is
    still read. A byte-order mark starts a document in UTF-16/32: kept as it is."""
    doc = doc.strip()
    if doc.startswith((b"<", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return doc
    start = doc.find(b"<")
    if start < 0:
        raise Invalid("not a CoT <event> (TAK protobuf is not read: send XML)")
    return doc[start:]


def parse(doc: bytes, rules: Rules, now: datetime) -> ParseResult:
    try:
        return _parse(doc, rules, now)
    except Invalid as exc:
        return Rejected(str(exc))


def _parse(doc: bytes, rules: Rules, now: datetime) -> list[Event]:
    check_size(doc, MAX_EVENT_BYTES)
    try:
        root = parse_xml(_from_markup(doc), "CoT")
    except XmlRefused as exc:
        raise Invalid(str(exc)) from None
    if root.tag != "event":
        raise Invalid(f"root element is <{root.tag[:20]}>, not <event>")
    cot_type = text(root.get("type"), "type", 64)
    if not cot_type.startswith("a-"):
        return []  # a ping (t-x-d-d), chat, a drawing: nothing for the map
    uid = text(root.get("uid"), "uid", 120)
    t = iso_time(root.get("time"), "time", now)
    stale = root.get("stale")
    if stale is not None and parse_iso(stale, "stale") < now:
        raise Invalid(f"event from {uid!r} is already stale")
    point = root.find("point")
    if point is None:
        raise Invalid("event without <point>")
    detail = root.find("detail")
    contact = detail.find("contact") if detail is not None else None
    group = detail.find("__group") if detail is not None else None
    track = detail.find("track") if detail is not None else None
    callsign = text(contact.get("callsign"), "callsign", 60, required=False) \
        if contact is not None else ""
    ce = optional_number(point.get("ce"), "ce", 0, UNKNOWN_CE)
    device = uid if uid in rules.devices or callsign not in rules.devices else callsign
    officer = resolve_officer(device, rules.devices, rules.accept_unknown, rules.source)
    fix = PositionFix(
        officer_id=officer,
        position=latlon(point.get("lat"), point.get("lon")),
        time=t,
        heading_deg=optional_number(track.get("course"), "course", 0, 360)
        if track is not None else None,
        speed_mps=optional_number(track.get("speed"), "speed", 0, MAX_SPEED_MPS)
        if track is not None else None,
        accuracy_m=None if ce is None or ce >= UNKNOWN_CE else ce,
    )
    events: list[Event] = []
    if device not in rules.devices:
        unit = text(group.get("name"), "group", 60, required=False) \
            if group is not None else ""
        events.append(announce(officer, callsign or uid[:20], unit or rules.unit,
                               rules.source))
    events.append(PositionReported(fix))
    return events
