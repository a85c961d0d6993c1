"""Milestone XProtect answers → alarm reports: the documented shapes and hypothesis
garbage (a report, None, or `Refused`; never a crash)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.milestone.parse import Mapped, Refused, parse_alarms, parse_token, parse_ws
from app.core.events import AlarmReported
from app.core.model import AlarmType

NOW = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
TYPES = {"motion-type": Mapped(AlarmType.VIDEO_ANALYTICS, 3, "Motion")}


def test_token() -> None:
    assert parse_token(b'{"access_token": "t", "expires_in": 3600}') == ("t", 3600.0)
    for bad in (b"{}", b'{"access_token": ""}', b"[1]", b'{"access_token":"t","expires_in":0}'):
        with pytest.raises(Refused):
            parse_token(bad)


def test_alarm_list() -> None:
    body = json.dumps({"array": [
        {"id": "a1", "message": "Intrusion", "timestamp": "2026-11-21T20:59:00Z",
         "priority": {"level": 1}, "state": {"name": "New"},
         "source": {"id": "c1", "name": "P1"}},
        {"id": "a2", "message": "old", "timestamp": "2026-11-21T20:00:00Z", "state": 11},
        {"id": "a3", "message": "late", "timestamp": "2027-01-01T00:00:00Z"},
    ]})
    out = parse_alarms(body, "xp", {"c1": "cam-1"}, NOW)
    assert isinstance(out[0], AlarmReported)
    assert out[0].camera_ids == ("cam-1",)
    assert out[0].title == "XProtect: Intrusion (P1)"
    assert out[0].priority == 1
    assert isinstance(out[1], Refused)
    assert "future" in str(out[1])
    assert len(out) == 2


def test_ws_messages() -> None:
    assert parse_ws('{"commandId": 1, "status": 201}', "xp", TYPES, {}, NOW)[0] == {
        "commandId": 1, "status": 201}
    _, items = parse_ws(json.dumps({"events": [
        {"id": "e1", "type": "MOTION-TYPE", "source": "cameras/c1",
         "time": "2026-11-21T20:59:59Z"},
        {"id": "e2", "type": "other", "time": "x"}]}), "xp", TYPES, {"c1": "cam-1"}, NOW)
    (r,) = items
    assert isinstance(r, AlarmReported)
    assert r.camera_ids == ("cam-1",)
    assert r.title == "Motion"


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=30),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=12), c,
                                                                          max_size=5),
                    max_leaves=25)
KEYS = st.sampled_from(["id", "message", "name", "timestamp", "time", "priority", "state",
                        "source", "type", "events", "array", "commandId"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(KEYS, JSON | st.lists(st.dictionaries(KEYS, JSON), max_size=3)))
def test_garbage_never_crashes(d: dict[str, object]) -> None:
    text = json.dumps(d)
    for fn in (lambda: parse_alarms(text, "xp", {}, NOW),
               lambda: parse_ws(text, "xp", TYPES, {}, NOW)[1]):
        try:
            out = fn()
        except Refused:
            continue
        assert all(isinstance(x, AlarmReported | Refused) for x in out)
