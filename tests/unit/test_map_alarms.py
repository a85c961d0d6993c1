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


def test_in_a_storm_the_map_gets_few_big_batches(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Twenty bridge ticks of alarms in a second become at most a few updates of the page,
    every alarm's latest state among them; a first alarm after a quiet spell goes at once."""
    from PySide6.QtCore import QObject, Signal

    from app.core.hub import Hub
    from app.core.site import Site
    from app.ui.bridge import HubBridge
    from app.ui.world import World
    from widgets.map_dock import MapFeed

    class FakeView(QObject):
        view_changed = Signal(float, float, int)
        base_changed = Signal(str)

        def __init__(self) -> None:
            super().__init__()
            self.updates: list[list[str]] = []

        def update_alarms(self, items: list[dict[str, object]]) -> None:
            self.updates.append([str(i["id"]) for i in items])

        def remove_alarms(self, ids: list[str]) -> None:
            pass

        def update_officers(self, items: object) -> None:
            pass

        def set_cameras(self, items: object) -> None:
            pass

    view = FakeView()
    bridge = HubBridge(Hub(), World())
    site = Site.model_validate({"site": {"name": "T"}, "map": {"center": [60.17, 24.94]}})
    MapFeed(view, bridge, site)  # type: ignore[arg-type]
    bridge.alarms_changed.emit([alarm(1)])
    assert view.updates == [["1"]]  # after a quiet spell: at once
    for tick in range(20):
        bridge.alarms_changed.emit([alarm(100 + tick * 10 + k) for k in range(10)])
    qtbot.waitUntil(lambda: any("299" in u for u in view.updates), timeout=5000)
    assert len(view.updates) <= 3
    assert sum(len(u) for u in view.updates) == 201
    bridge.stop()
