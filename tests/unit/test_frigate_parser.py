"""Frigate parser: events become one video-analytics alarm when they pass the filters;
garbage becomes a reason (hypothesis)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.frigate.parser import Rejected, Rules, parse
from app.core.events import AlarmReported
from app.core.model import AlarmType

NOW = datetime(2026, 11, 21, 21, 0, tzinfo=UTC)
RULES = Rules("frigate", {"front": ("cam-1",)}, frozenset({"person"}), 0.6,
              frozenset({"parvis"}), 2)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4), max_leaves=12)
AFTER_KEYS = ["id", "camera", "label", "sub_label", "top_score", "score", "start_time",
              "entered_zones", "false_positive", "recognized_license_plate"]


def event(kind: str = "new", **kw: Any) -> bytes:
    after = {"id": "1.2-ab", "camera": "front", "label": "person", "top_score": 0.8,
             "start_time": NOW.timestamp() - 3, "entered_zones": ["parvis"],
             "false_positive": False, **kw}
    return json.dumps({"type": kind, "before": after, "after": after}).encode()


def test_new_event_is_an_alarm() -> None:
    [a] = parse(event(sub_label="Jean"), RULES, NOW)  # type: ignore[misc]
    assert isinstance(a, AlarmReported)
    assert (a.source, a.source_id, a.type, a.priority, a.camera_ids) == (
        "frigate", "1.2-ab", AlarmType.VIDEO_ANALYTICS, 2, ("cam-1",))
    assert a.title == "Video analytics: person: Jean — front — parvis"


def test_names_and_plates_of_current_frigate_reach_the_title() -> None:
    """Frigate sends `sub_label` as [name, score] (a face, a logo, a known plate: 0.14 on)
    and `recognized_license_plate` as [plate, score] (0.16 on); the parser read only a
    plain-text sub_label and dropped both: the plate an LPR camera read is what the
    operator needs first."""
    cars = Rules("frigate", {"front": ("cam-1", "cam-2")}, frozenset({"car"}), 0.6,
                 frozenset(), 2)
    [a] = parse(event(sub_label=["Jean", 0.91]), RULES, NOW)  # type: ignore[misc]
    assert isinstance(a, AlarmReported)
    assert a.title == "Video analytics: person: Jean — front — parvis"
    [b] = parse(event(label="car", sub_label=None,  # type: ignore[misc]
                      recognized_license_plate=["AB-123-CD", 0.93]), cars, NOW)
    assert isinstance(b, AlarmReported)
    assert b.title == "Video analytics: vehicle AB-123-CD — front — parvis"
    assert b.camera_ids == ("cam-1", "cam-2")  # the console's cameras for that Frigate one
    [c] = parse(event(label="car", sub_label=["Benne ville", 0.9],  # type: ignore[misc]
                      recognized_license_plate=["AB-123-CD", 0.93]), cars, NOW)
    assert isinstance(c, AlarmReported)
    assert c.title == "Video analytics: vehicle AB-123-CD: Benne ville — front — parvis"


def test_a_strange_name_never_costs_the_alarm() -> None:
    """A name is decoration: cleaned and cut, or left out; the alarm itself stands."""
    for odd, shown in (("y" * 300, "y" * 40), (["x" * 300, 0.5], "x" * 40),
                       (["Je\x00an\n", 0.5], "Jean"),
                       ([12, "x"], ""), ([], ""), ({"name": "Jean"}, ""), (7, "")):
        [a] = parse(event(sub_label=odd), RULES, NOW)  # type: ignore[misc]
        assert isinstance(a, AlarmReported)
        assert a.title == f"Video analytics: person{': ' + shown if shown else ''}" \
                          " — front — parvis"


def test_filters_and_end() -> None:
    assert parse(event("end"), RULES, NOW) == []
    assert parse(event(label="cat"), RULES, NOW) == []
    assert parse(event(top_score=0.3), RULES, NOW) == []
    assert parse(event(entered_zones=["rue"]), RULES, NOW) == []
    assert parse(event(false_positive=True), RULES, NOW) == []


def test_bad_events_have_reasons() -> None:
    cases = {
        event(camera="garage"): "not in the adapter's cameras table",
        event(top_score=3): "not within 0..1",
        event(start_time=(NOW + timedelta(days=1)).timestamp()): "in the future",
        event("frobnicate"): "is not new, update or end",
        b'{"type": "new"}': "no `after` object",
        b"\x00" * 70_000: "over the 65536-byte limit",
    }
    for raw, reason in cases.items():
        out = parse(raw, RULES, NOW)
        assert isinstance(out, Rejected)
        assert reason in out.reason


@settings(deadline=None)
@given(st.binary(max_size=300))
def test_garbage_never_crashes(raw: bytes) -> None:
    assert isinstance(parse(raw, RULES, NOW), (list, Rejected))


@settings(deadline=None)
@given(st.sampled_from(["new", "update", "end", 3, None]),
       st.dictionaries(st.sampled_from(AFTER_KEYS), json_values, max_size=9))
def test_structured_garbage(kind: object, after: dict[str, Any]) -> None:
    out = parse(json.dumps({"type": kind, "after": after}).encode(), RULES, NOW)
    assert isinstance(out, (list, Rejected))
    if isinstance(out, list):
        assert all(isinstance(a, AlarmReported) and 1 <= a.priority <= 4 for a in out)
