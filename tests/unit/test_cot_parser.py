"""CoT parser and TCP stream splitter: atoms become fixes with callsign/group/track;
pings are ignored; XML bombs, garbage and stale events become reasons (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.cot.parser import Rejected, Rules, parse, split_stream
from app.core.events import OfficerAnnounced, PositionReported

NOW = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
RULES = Rules("tak", {"ANDROID-1": "pm11", "PM 12": "pm12"}, accept_unknown=True)


def cot(uid: str = "ANDROID-1", typ: str = "a-f-G-U-C", lat: str = "48.85",
        t: datetime = NOW, stale: timedelta = timedelta(minutes=2),
        detail: str = '<contact callsign="PM 11"/><__group name="Cyan" role="Team Member"/>'
                      '<track course="90.5" speed="1.5"/>') -> bytes:
    return (f'<?xml version="1.0" standalone="yes"?><event version="2.0" uid="{uid}" '
            f'type="{typ}" how="m-g" time="{t.isoformat()}" start="{t.isoformat()}" '
            f'stale="{(t + stale).isoformat()}"><point lat="{lat}" lon="2.35" hae="35" '
            f'ce="9999999.0" le="9999999.0"/><detail>{detail}</detail></event>').encode()


def test_atom_known_and_unknown() -> None:
    [fix] = parse(cot(stale=timedelta(days=365)), RULES, NOW)  # type: ignore[misc]
    assert isinstance(fix, PositionReported)
    assert (fix.fix.officer_id, fix.fix.heading_deg, fix.fix.speed_mps) == ("pm11", 90.5, 1.5)
    assert fix.fix.accuracy_m is None
    by_callsign = parse(cot(uid="X-9", detail='<contact callsign="PM 12"/>'), RULES, NOW)
    assert isinstance(by_callsign, list)
    assert isinstance(by_callsign[0], PositionReported)
    assert by_callsign[0].fix.officer_id == "pm12"
    new = parse(cot(uid="X-7"), RULES, NOW)
    assert isinstance(new, list)
    assert isinstance(new[0], OfficerAnnounced)
    assert (new[0].officer.id, new[0].officer.callsign, new[0].officer.unit) == (
        "tak:X-7", "PM 11", "Cyan")


def test_ignored_and_refused() -> None:
    assert parse(cot(typ="t-x-d-d", lat="0"), RULES, NOW) == []
    assert parse(cot(typ="b-t-f"), RULES, NOW) == []
    bomb = b'<!DOCTYPE e [<!ENTITY a "aaaa">]><event type="a-f" uid="u">&a;</event>'
    cases = {
        bomb: "document type declaration (DTD): refused",
        cot(lat="91"): "coordinates out of range",
        cot(stale=timedelta(minutes=-1)): "already stale",
        cot(t=NOW + timedelta(hours=1)): "in the future",
        cot(detail='<track speed="900"/>'): "speed 900 is out of range",
        b"<event><oops></event>": "CoT is not well-formed XML",
        b"\xbf\x01protobuf": "not a CoT <event>",
        b"<event " + b"a" * 40_000 + b"/>": "over the",
    }
    strict = Rules("tak", {"ANDROID-1": "pm11"})
    assert isinstance(parse(cot(uid="who"), strict, NOW), Rejected)
    for raw, reason in cases.items():
        out = parse(raw, RULES, NOW)
        assert isinstance(out, Rejected), raw
        assert reason in out.reason


def test_stream_splitting() -> None:
    a, b = cot(), cot(uid="X-2")
    docs, rest, over = split_stream(a + b + b[:30])
    assert docs == [a, b]
    assert rest == b[:30]
    assert not over
    docs, rest, over = split_stream(b"<event " + b"x" * 40_000)
    assert (docs, rest, over) == ([], b"", True)


@settings(deadline=None)
@given(st.binary(max_size=400))
def test_garbage_never_crashes(raw: bytes) -> None:
    assert isinstance(parse(raw, RULES, NOW), (list, Rejected))


@settings(deadline=None)
@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12),
       st.text(max_size=12))
def test_attribute_garbage(uid: str, typ: str, lat: str, course: str) -> None:
    from xml.sax.saxutils import quoteattr
    raw = (f'<event uid={quoteattr(uid)} type={quoteattr("a-" + typ)} '
           f'time="{NOW.isoformat()}"><point lat={quoteattr(lat)} lon="2"/>'
           f'<detail><track course={quoteattr(course)}/></detail></event>').encode()
    assert isinstance(parse(raw, RULES, NOW), (list, Rejected))


@settings(deadline=None)
@given(st.lists(st.binary(max_size=50), max_size=6))
def test_splitter_keeps_every_byte_or_reports(chunks: list[bytes]) -> None:
    buf, seen = b"", b""
    for c in chunks:
        docs, buf, over = split_stream(buf + c)
        seen += b"".join(docs)
        assert not over
    assert seen + buf == b"".join(chunks)
