"""Body-cam platform parser: each event type's mapping; garbage becomes a reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.bodycam.parser import Device, Rejected, Rules, device_of, parse
from app.adapters.parsing import Invalid
from app.core.events import (
    AlarmReported,
    BodyCamLiveChanged,
    CameraStatusChanged,
    OfficerStatusChanged,
    PositionReported,
)
from app.core.model import AlarmType, OfficerStatus

NOW = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
RULES = Rules("bc", {"BC1": Device("pm11", "bc-pm11")})
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4), max_leaves=12)


def ev(kind: str, **kw: Any) -> bytes:
    return json.dumps({"id": "e1", "type": kind, "time": NOW.isoformat(), **kw}).encode()


def kinds(out: object) -> list[type]:
    assert isinstance(out, list)
    return [type(e) for e in out]


def test_weapon_drawn() -> None:
    out = parse("BC1", ev("weapon_drawn", lat=48.8, lon=2.3), RULES, NOW)
    assert kinds(out) == [PositionReported, AlarmReported, BodyCamLiveChanged,
                          OfficerStatusChanged]
    assert isinstance(out, list)
    alarm, live, status = out[1], out[2], out[3]
    assert isinstance(alarm, AlarmReported)
    assert (alarm.type, alarm.priority, alarm.officer_id, alarm.camera_ids) == (
        AlarmType.WEAPON_DRAWN, 1, "pm11", ("bc-pm11",))
    assert isinstance(live, BodyCamLiveChanged)
    assert live.live
    assert isinstance(status, OfficerStatusChanged)
    assert status.status is OfficerStatus.EMERGENCY


def test_other_types() -> None:
    out = parse("BC1", ev("emergency"), RULES, NOW)
    assert isinstance(out, list)
    assert isinstance(out[0], AlarmReported)
    assert out[0].type is AlarmType.BODYCAM_EMERGENCY
    assert kinds(parse("BC1", ev("live_stopped"), RULES, NOW)) == [BodyCamLiveChanged]
    assert kinds(parse("BC1", ev("recording_started"), RULES, NOW)) == [CameraStatusChanged]
    assert kinds(parse("BC1", ev("battery_low", battery=7), RULES, NOW)) == [
        CameraStatusChanged]
    with_alarm = Rules("bc", RULES.devices, battery_alarm=True)
    out = parse("BC1", ev("battery_low", battery=7), with_alarm, NOW)
    assert isinstance(out, list)
    assert isinstance(out[1], AlarmReported)
    assert (out[1].type, out[1].priority) == (AlarmType.OTHER, 4)
    assert isinstance(parse("BC1", ev("position"), RULES, NOW), Rejected)


def test_bad_input() -> None:
    cases = {
        ("BC2", ev("emergency")): "unknown device 'BC2'",
        ("BC1", ev("emergency", time=(NOW + timedelta(hours=2)).isoformat())): "future",
        ("BC1", ev("dance")): "is not one of",
        ("BC1", ev("emergency", lat=12)): "longitude is not a number",
        ("BC1", ev("battery_low", battery=140)): "out of range",
        ("BC1", b"{" * 9000): "over the 8192-byte limit",
    }
    for (dev, raw), reason in cases.items():
        out = parse(dev, raw, RULES, NOW)
        assert isinstance(out, Rejected)
        assert reason in out.reason
    assert device_of("bodycam/BC1/event", "bodycam") == "BC1"
    for topic in ("bodycam/BC1", "x/BC1/event", "bodycam//event"):
        try:
            device_of(topic, "bodycam")
        except Invalid:
            continue
        raise AssertionError(topic)


@settings(deadline=None)
@given(st.text(max_size=10), st.binary(max_size=200))
def test_garbage_never_crashes(device: str, raw: bytes) -> None:
    assert isinstance(parse(device, raw, RULES, NOW), (list, Rejected))


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "type", "time", "lat", "lon", "battery"]),
                       json_values | st.sampled_from(["weapon_drawn", "emergency",
                                                      NOW.isoformat()]), max_size=6))
def test_structured_garbage(d: dict[str, Any]) -> None:
    out = parse("BC1", json.dumps(d).encode(), RULES, NOW)
    assert isinstance(out, (list, Rejected))
