"""Shared checks for the position/alarm parsers: every parser is a pure function
(bytes/str -> events, or a `Rejected` reason) so it can be fuzzed, and these helpers make
the same input fail the same way in every adapter."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeAlias

from app.core.events import Event
from app.core.model import LatLon

MAX_FUTURE = timedelta(minutes=5)  # device clocks drift; beyond this a time is a lie
MAX_AGE = timedelta(days=7)  # phones queue fixes offline; older than this is junk
MAX_SPEED_MPS = 150.0  # 540 km/h: nothing an officer rides goes faster


@dataclass(frozen=True, slots=True)
class Rejected:
    """Why an input became no event (counted and logged by the sink)."""

    reason: str


ParseResult: TypeAlias = list[Event] | Rejected


class Invalid(ValueError):
    """Raised inside a parser; the parser's entry point turns it into `Rejected`."""


def check_size(raw: bytes | str, limit: int) -> None:
    if len(raw) > limit:
        raise Invalid(f"message of {len(raw)} bytes is over the {limit}-byte limit")


def json_object(raw: bytes | str, what: str = "payload") -> dict[str, object]:
    """A JSON object, or Invalid in the same words for every adapter."""
    try:
        msg = json.loads(raw)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Invalid(f"{what} is not JSON") from None
    if not isinstance(msg, dict):
        raise Invalid(f"{what} is not a JSON object")
    return msg


def number(value: object, what: str) -> float:
    """A finite float from JSON/XML/NMEA (bools are not numbers)."""
    if isinstance(value, bool) or value is None:
        raise Invalid(f"{what} is not a number: {value!r:.40}")
    try:
        out = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        raise Invalid(f"{what} is not a number: {value!r:.40}") from None
    if not math.isfinite(out):
        raise Invalid(f"{what} is not finite")
    return out


def optional_number(value: object, what: str, lo: float, hi: float) -> float | None:
    if value is None or value == "":
        return None
    v = number(value, what)
    if not lo <= v <= hi:
        raise Invalid(f"{what} {v:g} is out of range [{lo:g}, {hi:g}]")
    return v


def latlon(lat: object, lon: object) -> LatLon:
    la, lo = number(lat, "latitude"), number(lon, "longitude")
    if not (-90.0 <= la <= 90.0 and -180.0 <= lo <= 180.0):
        raise Invalid(f"coordinates out of range: {la:g}, {lo:g}")
    if la == 0.0 and lo == 0.0:
        raise Invalid("coordinates 0,0 (a device without a fix)")
    return LatLon(la, lo)


def check_time(t: datetime, now: datetime) -> datetime:
    """Refuse times in the future (beyond clock drift) or too old to be a live fix."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    if t > now + MAX_FUTURE:
        raise Invalid(f"time {t.isoformat()} is in the future")
    if t < now - MAX_AGE:
        raise Invalid(f"time {t.isoformat()} is older than {MAX_AGE.days} days")
    return t.astimezone(UTC)


def epoch_time(value: object, what: str, now: datetime) -> datetime:
    secs = number(value, what)
    try:
        t = datetime.fromtimestamp(secs, UTC)
    except (OverflowError, OSError, ValueError):
        raise Invalid(f"{what} {secs:g} is not a time") from None
    return check_time(t, now)


def parse_iso(value: object, what: str) -> datetime:
    """An ISO 8601 time, UTC when it names no zone (no range check: see `iso_time`)."""
    if not isinstance(value, str) or len(value) > 40:
        raise Invalid(f"{what} is not an ISO 8601 time: {value!r:.40}")
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(f"{what} is not an ISO 8601 time: {value!r:.40}") from None
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def iso_time(value: object, what: str, now: datetime) -> datetime:
    return check_time(parse_iso(value, what), now)


def text(value: object, what: str, limit: int = 120, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise Invalid(f"{what} is missing or not text")
    if len(value) > limit or any(ord(c) < 32 for c in value):
        raise Invalid(f"{what} is too long or holds control characters")
    return value.strip()


def resolve_officer(device: str, devices: Mapping[str, str], accept_unknown: bool,
                    prefix: str) -> str:
    """The officer a device belongs to: from the adapter's `devices` table, or (when the
    site accepts unknown devices) an id of its own; otherwise the input is refused."""
    officer = devices.get(device)
    if officer is not None:
        return officer
    if accept_unknown:
        return f"{prefix}:{device}"
    raise Invalid(f"unknown device {device!r} (not in the adapter's devices table)")
