"""NMEA 0183 sentences from simple GPS trackers -> fixes. Pure: fuzzed.

RMC (`$GPRMC`/`$GNRMC`...) carries date, time, validity, position, speed (knots) and
course: it is the fix. GGA carries the time of day only: its date is today's (UTC), or
yesterday's just after midnight. Other sentences (GSV, GSA, VTG...) are ignored. A bad
checksum, a void fix (status V / quality 0) or a malformed field is refused.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from app.adapters.parsing import (
    MAX_SPEED_MPS,
    Invalid,
    ParseResult,
    Rejected,
    check_time,
    latlon,
    number,
    optional_number,
)
from app.core.events import Event, PositionReported
from app.core.model import PositionFix

MAX_LINE = 120  # NMEA says 82 characters; some trackers run a little over
KNOT_MPS = 0.514444


def checksum_ok(body: str, given: str) -> bool:
    calc = 0
    for ch in body:
        calc ^= ord(ch)
    return f"{calc:02X}" == given.upper()


def _coord(value: str, hemi: str, degree_digits: int, what: str) -> float:
    if len(value) < degree_digits + 2 or hemi not in ("N", "S", "E", "W"):
        raise Invalid(f"{what} {value[:20]!r}{hemi[:2]!r} is not ddmm.mmmm + hemisphere")
    deg = number(value[:degree_digits], what)
    minutes = number(value[degree_digits:], what)
    if not (0 <= minutes < 60 and value[:degree_digits].isdigit()):
        raise Invalid(f"{what} {value[:20]!r} has minutes out of range")
    out = deg + minutes / 60.0
    return -out if hemi in ("S", "W") else out


def _hms(value: str) -> time:
    if len(value) < 6 or not value[:6].isdigit():
        raise Invalid(f"time {value[:12]!r} is not hhmmss")
    h, m, s = int(value[:2]), int(value[2:4]), int(value[4:6])
    frac = value[6:]
    micro = 0
    if frac:
        if not frac.startswith(".") or not frac[1:7].isdigit():
            raise Invalid(f"time {value[:12]!r} has a bad fraction")
        micro = int(frac[1:7].ljust(6, "0"))
    try:
        return time(h, m, s, micro, tzinfo=UTC)
    except ValueError:
        raise Invalid(f"time {value[:12]!r} is not a time of day") from None


def _dmy(value: str) -> date:
    if len(value) != 6 or not value.isdigit():
        raise Invalid(f"date {value[:12]!r} is not ddmmyy")
    try:
        return date(2000 + int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        raise Invalid(f"date {value!r} does not exist") from None


def parse(line: bytes, officer: str, now: datetime) -> ParseResult:
    try:
        return _parse(line, officer, now)
    except Invalid as exc:
        return Rejected(str(exc))


def _parse(line: bytes, officer: str, now: datetime) -> list[Event]:
    if len(line) > MAX_LINE:
        raise Invalid(f"sentence of {len(line)} bytes is over {MAX_LINE}")
    try:
        s = line.decode("ascii").strip()
    except UnicodeDecodeError:
        raise Invalid("sentence is not ASCII") from None
    if not s:
        return []
    if not s.startswith("$") or len(s) < 7 or s[-3:-2] != "*":
        raise Invalid("not an NMEA sentence ($...*hh)")
    body, given = s[1:-3], s[-2:]
    if not checksum_ok(body, given):
        raise Invalid("bad NMEA checksum")
    fields = body.split(",")
    kind = fields[0][2:]
    if kind == "RMC":
        return _rmc(fields, officer, now)
    if kind == "GGA":
        return _gga(fields, officer, now)
    return []


def _rmc(f: list[str], officer: str, now: datetime) -> list[Event]:
    if len(f) < 10:
        raise Invalid("RMC sentence with too few fields")
    if f[2] != "A":
        raise Invalid("RMC: the receiver has no valid fix (status V)")
    t = datetime.combine(_dmy(f[9]), _hms(f[1]))
    knots = optional_number(f[7], "speed", 0, MAX_SPEED_MPS / KNOT_MPS)
    return [PositionReported(PositionFix(
        officer_id=officer,
        position=latlon(_coord(f[3], f[4], 2, "latitude"), _coord(f[5], f[6], 3, "longitude")),
        time=check_time(t, now),
        heading_deg=optional_number(f[8], "course", 0, 360),
        speed_mps=None if knots is None else knots * KNOT_MPS,
    ))]


def _gga(f: list[str], officer: str, now: datetime) -> list[Event]:
    if len(f) < 9:
        raise Invalid("GGA sentence with too few fields")
    if f[6] in ("", "0"):
        raise Invalid("GGA: the receiver has no fix (quality 0)")
    t = datetime.combine(now.date(), _hms(f[1]))
    if t > now + timedelta(minutes=5):
        t -= timedelta(days=1)  # a time just before midnight, received just after
    hdop = optional_number(f[8], "hdop", 0, 100)
    return [PositionReported(PositionFix(
        officer_id=officer,
        position=latlon(_coord(f[2], f[3], 2, "latitude"), _coord(f[4], f[5], 3, "longitude")),
        time=check_time(t, now),
        accuracy_m=None if hdop is None else hdop * 5.0,  # ~5 m per unit of HDOP: a rough guide
    ))]
