"""Traccar parser: devices, positions and SOS events from its documented JSON; each bad
item is one reason, never a crash (hypothesis)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.traccar.parser import Batch, Device, Rejected, Rules, devices_list, message
from app.core.events import AlarmReported, OfficerAnnounced, PositionReported

NOW = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
KNOWN = {1: Device(1, "860001", "PM 21"), 2: Device(2, "860002", "Velo 3")}
RULES = Rules("traccar", {"860001": "pm21"})
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4), max_leaves=12)
POS_KEYS = ["deviceId", "fixTime", "latitude", "longitude", "speed", "course", "accuracy",
            "valid", "outdated"]


def pos(**kw: Any) -> dict[str, Any]:
    return {"id": 9, "deviceId": 1, "fixTime": NOW.isoformat(), "latitude": 48.8,
            "longitude": 2.3, "speed": 20.0, "course": 10, "accuracy": 0, "valid": True,
            "outdated": False, **kw}


def batch(msg: object, rules: Rules = RULES) -> Batch:
    out = message(json.dumps(msg), KNOWN, rules, NOW)
    assert isinstance(out, Batch)
    return out


def test_positions_devices_and_sos() -> None:
    b = batch({"positions": [pos(), pos(deviceId=2), pos(deviceId=3), pos(valid=False),
                             pos(outdated=True), pos(latitude=-100)]})
    assert [type(e) for e in b.events] == [PositionReported]
    fix = b.events[0]
    assert isinstance(fix, PositionReported)
    assert round(fix.fix.speed_mps or 0, 3) == 10.289
    assert fix.fix.accuracy_m is None
    assert len(b.rejects) == 4  # unknown officer, unknown device, no valid fix, out of range
    b = batch({"devices": [{"id": 5, "uniqueId": "77", "name": "Moto"}],
               "positions": [pos(deviceId=5)]}, Rules("traccar", {}, accept_unknown=True))
    assert [type(e) for e in b.events] == [OfficerAnnounced, PositionReported]
    b = batch({"events": [{"id": 3, "type": "alarm", "deviceId": 1,
                           "eventTime": NOW.isoformat(), "attributes": {"alarm": "sos"}},
                          {"id": 4, "type": "deviceOnline", "deviceId": 1}]})
    assert isinstance(b.events[0], AlarmReported)
    assert b.events[0].source_id == "event-3"
    assert not b.rejects


def test_whole_message_refused() -> None:
    for raw in ("[]", "{", '{"positions": 3}', json.dumps({"positions": [pos()] * 10_001})):
        assert isinstance(message(raw, KNOWN, RULES, NOW), Rejected)
    b = message(json.dumps({"positions": [pos(fixTime=(NOW + timedelta(days=1)).isoformat())]}),
                KNOWN, RULES, NOW)
    assert isinstance(b, Batch)
    assert "in the future" in b.rejects[0]
    d = devices_list(b'[{"id": 1, "uniqueId": "a"}, {"id": "x"}, 5]')
    assert isinstance(d, Batch)
    assert (len(d.devices), len(d.rejects)) == (1, 2)


@settings(deadline=None)
@given(st.binary(max_size=300))
def test_garbage_never_crashes(raw: bytes) -> None:
    assert isinstance(message(raw, KNOWN, RULES, NOW), (Batch, Rejected))
    assert isinstance(devices_list(raw), (Batch, Rejected))


@settings(deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(POS_KEYS), json_values, max_size=9),
                max_size=4),
       st.lists(json_values, max_size=3), st.lists(json_values, max_size=3))
def test_structured_garbage(positions: list[Any], devices: list[Any], events: list[Any]) -> None:
    out = message(json.dumps({"positions": positions, "devices": devices, "events": events}),
                  KNOWN, RULES, NOW)
    assert isinstance(out, (Batch, Rejected))
