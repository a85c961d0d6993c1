"""OwnTracks parser: real messages become fixes; anything else becomes a reason, never a
crash and never a half-built event (hypothesis feeds it garbage)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.owntracks.parser import Rejected, Rules, parse
from app.core.events import OfficerAnnounced, OfficerStatusChanged, PositionReported
from app.core.model import OfficerStatus

NOW = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
TST = int(NOW.timestamp())
RULES = Rules("ot", {"alice/phone": "pm11"}, False,
              {"Poste": {"enter": OfficerStatus.OFF_DUTY}})
TOPIC = "owntracks/alice/phone"
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4), max_leaves=12)
KEYS = ["_type", "lat", "lon", "tst", "acc", "cog", "vel", "tid", "event", "desc"]


def msg(**kw: Any) -> bytes:
    return json.dumps({"_type": "location", "lat": 48.85, "lon": 2.35, "tst": TST, **kw}
                      ).encode()


def test_location_and_transition() -> None:
    [pos] = parse(TOPIC, msg(acc=12, cog=270, vel=36), RULES, NOW)  # type: ignore[misc]
    assert isinstance(pos, PositionReported)
    assert (pos.fix.officer_id, pos.fix.accuracy_m, pos.fix.heading_deg) == ("pm11", 12, 270)
    assert pos.fix.speed_mps == 10.0
    out = parse(TOPIC + "/event", msg(_type="transition", event="enter", desc="Poste"),
                RULES, NOW)
    assert isinstance(out, list)
    assert isinstance(out[1], OfficerStatusChanged)
    assert out[1].status is OfficerStatus.OFF_DUTY


def test_unknown_devices_refused_or_announced() -> None:
    assert parse("owntracks/bob/x", msg(), RULES, NOW) == Rejected(
        "unknown device 'bob/x' (not in the adapter's devices table)")
    out = parse("owntracks/bob/x", msg(tid="BX"), Rules("ot", accept_unknown=True), NOW)
    assert isinstance(out, list)
    assert isinstance(out[0], OfficerAnnounced)
    assert (out[0].officer.id, out[0].officer.callsign) == ("ot:bob/x", "BX")


def test_bad_values_have_reasons() -> None:
    future = int((NOW + timedelta(hours=1)).timestamp())
    cases = {
        msg(lat=95): "coordinates out of range",
        msg(tst=future): "in the future",
        msg(lat=None): "latitude is not a number",
        msg(vel=5000): "vel 5000 is out of range",
        b"x" * 20_000: "over the 16384-byte limit",
        msg(_type="encrypted"): "encrypted payload",
        b'{"_type": "lwt"}': None,
    }
    for raw, reason in cases.items():
        out = parse(TOPIC, raw, RULES, NOW)
        if reason is None:
            assert out == []
        else:
            assert isinstance(out, Rejected), raw
            assert reason in out.reason
    assert isinstance(parse("owntracks/a", msg(), RULES, NOW), Rejected)


@settings(deadline=None)
@given(st.binary(max_size=300), st.text(max_size=40))
def test_garbage_never_crashes(raw: bytes, topic: str) -> None:
    out = parse(topic, raw, RULES, NOW)
    assert isinstance(out, (list, Rejected))


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), json_values, max_size=10),
       st.sampled_from([TOPIC, TOPIC + "/event", "owntracks/bob/x"]))
def test_structured_garbage_gives_whole_events_or_a_reason(d: dict[str, Any],
                                                           topic: str) -> None:
    out = parse(topic, json.dumps(d).encode(), RULES, NOW)
    if isinstance(out, Rejected):
        assert out.reason
        return
    for e in out:
        if isinstance(e, PositionReported):
            assert -90 <= e.fix.position.lat <= 90
            assert e.fix.time <= NOW + timedelta(minutes=5)
