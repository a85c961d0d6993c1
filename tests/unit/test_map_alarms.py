"""The map draws at most a few hundred alarms, the most urgent and latest first, and takes
off what drops out; the desk lists them all."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from app.core.model import Alarm, AlarmState, AlarmType, LatLon
from app.ui.map_alarms import MapAlarms

T = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def alarm(i: int, priority: int = 3, state: AlarmState = AlarmState.NEW,
          placed: bool = True) -> Alarm:
    return Alarm(str(i), "s", str(i), AlarmType.INTRUSION, priority, f"a{i}", T,
                 LatLon(60.17, 24.94) if placed else None, state=state)


def test_a_storm_is_capped_to_the_most_urgent_and_latest() -> None:
    m = MapAlarms(limit=10)
    draw, gone = m.update([alarm(i) for i in range(1, 101)])
    assert sorted(int(a.id) for a in draw) == list(range(91, 101))  # the latest ten
    assert gone == []
    assert m.left_out == 90
    draw, gone = m.update([alarm(200, priority=1)])  # a P1 always makes it
    assert [a.id for a in draw] == ["200"]
    assert gone == ["91"]  # the oldest P3 drawn leaves the map
    closed = replace(alarm(200, priority=1), state=AlarmState.CLOSED)
    draw, gone = m.update([closed])
    assert gone == ["200"]
    assert [a.id for a in draw] == ["91"]  # back on the map now there is room


def test_unplaced_alarms_are_not_drawn_and_changes_are_redrawn() -> None:
    m = MapAlarms(limit=10)
    draw, _ = m.update([alarm(1), alarm(2, placed=False)])
    assert [a.id for a in draw] == ["1"]
    acked = replace(alarm(1), state=AlarmState.ACKNOWLEDGED)
    draw, gone = m.update([acked])
    assert (draw, gone) == ([acked], [])
