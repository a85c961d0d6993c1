"""NMEA parser: RMC and GGA fixes, checksum and validity enforced; garbage is a reason."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.nmea.parser import Rejected, parse
from app.core.events import PositionReported

NOW = datetime(2026, 11, 21, 0, 0, 30, tzinfo=UTC)


def s(body: str) -> bytes:
    c = functools.reduce(lambda a, ch: a ^ ord(ch), body, 0)
    return f"${body}*{c:02X}\r\n".encode()


def test_rmc_and_gga() -> None:
    [rmc] = parse(s("GNRMC,000010.50,A,4851.3960,N,00221.1320,W,2.0,359.9,211126,,,A"),
                  "pm1", NOW)  # type: ignore[misc]
    assert isinstance(rmc, PositionReported)
    assert rmc.fix.time == datetime(2026, 11, 21, 0, 0, 10, 500000, tzinfo=UTC)
    assert round(rmc.fix.position.lon, 4) == -2.3522
    assert rmc.fix.heading_deg == 359.9
    # GGA just before midnight received just after: yesterday's date
    [gga] = parse(s("GPGGA,235959,4851.3960,S,00221.1320,E,1,08,1.2,45,M,46,M,,"),
                  "pm1", NOW)  # type: ignore[misc]
    assert isinstance(gga, PositionReported)
    assert gga.fix.time == datetime(2026, 11, 20, 23, 59, 59, tzinfo=UTC)
    assert gga.fix.position.lat < 0
    assert parse(s("GPGSV,3,1,11,03,03,111,00"), "pm1", NOW) == []
    assert parse(b"\r\n", "pm1", NOW) == []


def test_refused() -> None:
    cases = {
        s("GPRMC,000010,V,,,,,,,211126,,,N"): "no valid fix",
        s("GPGGA,000010,4851.3960,N,00221.1320,E,0,00,,,M,,M,,"): "no fix",
        b"$GPRMC,000010,A,4851.3960,N,00221.1320,E,2.0,0,211126,,*00\r\n": "bad NMEA checksum",
        s("GPRMC,000010,A,9951.3960,N,00221.1320,E,2.0,0,211126,,"): "out of range",
        s("GPRMC,000010,A,4899.3960,N,00221.1320,E,2.0,0,211126,,"): "minutes out of range",
        s("GPRMC,000010,A,4851.3960,N,00221.1320,E,2.0,0,311126,,"): "does not exist",
        s("GPRMC,000010,A,4851.3960,N,00221.1320,E,2.0,0,221126,,"): "in the future",
        s("GPRMC,250010,A,4851.3960,N,00221.1320,E,2.0,0,211126,,"): "not a time of day",
        b"hello": "not an NMEA sentence",
        b"$" + b"A" * 200: "over 120",
    }
    for raw, reason in cases.items():
        out = parse(raw, "pm1", NOW)
        assert isinstance(out, Rejected), raw
        assert reason in out.reason, (raw, out.reason)


@settings(deadline=None)
@given(st.binary(max_size=130))
def test_garbage_never_crashes(raw: bytes) -> None:
    assert isinstance(parse(raw, "pm1", NOW), (list, Rejected))


@settings(deadline=None)
@given(st.sampled_from(["GPRMC", "GNGGA", "GPGGA"]),
       st.lists(st.text(alphabet="0123456789.-NSEWAV+e", max_size=10), min_size=0,
                max_size=13))
def test_checksummed_garbage(kind: str, fields: list[str]) -> None:
    out = parse(s(",".join([kind, *fields])), "pm1", NOW)
    assert isinstance(out, (list, Rejected))
