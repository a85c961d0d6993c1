"""The webhook's JSON parser: the documented shape, every refusal, and hypothesis garbage
(an alarm or `Refused`, never a crash). The signature is `test_http_ingress_auth.py`'s."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.webhook.parse import Device, Refused, parse_alarm
from app.core.events import AlarmReported
from app.core.model import AlarmType, LatLon

NOW = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
DEVICES = {"s1": Device("s1", "Marché", LatLon(48.0, 2.0), ("cam-1",))}


def doc(**over: object) -> bytes:
    base: dict[str, object] = {"id": "e1", "type": "gunshot", "time": "2026-11-21T20:59:00Z",
                               "device": "s1"}
    base.update(over)
    return json.dumps({k: v for k, v in base.items() if v is not None}).encode()


def test_the_documented_shape() -> None:
    r = parse_alarm(doc(), DEVICES, "hook", NOW)
    assert (r.type, r.priority, r.title, r.position, r.camera_ids) == (
        AlarmType.GUNSHOT, 1, "Gunshot detected — Marché", LatLon(48.0, 2.0), ("cam-1",))
    assert r.time == datetime(2026, 11, 21, 20, 59, tzinfo=UTC)
    assert parse_alarm(doc(type="other", device=None), {}, "hook", NOW).type is AlarmType.OTHER


@pytest.mark.parametrize(("over", "reason"), [
    ({"id": ""}, "id:"), ({"id": "a b"}, "id:"), ({"type": "x"}, "type:"),
    ({"time": None}, "time:"), ({"time": "2026-11-21T20:59:00"}, "timezone"),
    ({"time": "2026-11-21T22:00:00Z"}, "future"), ({"time": "2020-01-01T00:00:00Z"}, "old"),
    ({"device": "zz"}, "not a known device"), ({"priority": 0}, "priority"),
    ({"priority": True}, "priority"), ({"position": {"lat": 91, "lon": 0}}, "out of range"),
    ({"position": [1, 2]}, "position"), ({"cameras": "cam"}, "cameras"),
    ({"title": "x" * 300}, "title"),
])
def test_refusals_name_the_field(over: dict[str, object], reason: str) -> None:
    with pytest.raises(Refused, match=reason):
        parse_alarm(doc(**over), DEVICES, "hook", NOW)


def test_oversized_and_non_object_bodies() -> None:
    with pytest.raises(Refused, match="larger"):
        parse_alarm(b" " * 70_000, {}, "hook", NOW)
    for body in (b"[]", b"nope", b"\xff", b"[" * 5000):
        with pytest.raises(Refused):
            parse_alarm(body, {}, "hook", NOW)


def test_device_is_required_once_devices_are_configured() -> None:
    with pytest.raises(Refused, match=r"^device: required \(this webhook knows s1\)$"):
        parse_alarm(doc(device=None), DEVICES, "hook", NOW)
    with pytest.raises(Refused, match=r"^device: 'zz' is not a known device \(known: s1\)$"):
        parse_alarm(doc(device="zz"), DEVICES, "hook", NOW)
    assert parse_alarm(doc(device=None), {}, "hook", NOW).title == "Gunshot detected"


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                    lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=10), c,
                                                                          max_size=4),
                    max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "type", "time", "device", "priority",
                                        "position", "cameras", "title", "plate"]), JSON))
def test_garbage_documents_never_crash(d: dict[str, object]) -> None:
    try:
        r = parse_alarm(json.dumps(d).encode(), DEVICES, "hook", NOW)
    except Refused:
        return
    assert isinstance(r, AlarmReported)
    assert r.time <= NOW + timedelta(seconds=60)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=512))
def test_garbage_bytes_never_crash(body: bytes) -> None:
    with contextlib.suppress(Refused):
        parse_alarm(body, {}, "hook", NOW)

