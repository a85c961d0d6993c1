"""Live body-cam viewing is lawful when officers' safety is threatened (CSI L241-2) and every
viewing is logged with who, when and why (CSI R241-14): opening a weapon-drawn alarm lays the
officer's body cam on the wall and logs it; an intrusion alarm linked to a body cam does not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.events import AlarmReported
from app.core.model import Alarm, AlarmType
from app.core.site import Site
from tests.gui.conftest import main_window
from widgets.main_window import MainWindow

SITE = Site.model_validate({
    "site": {"name": "Law"},
    "map": {"center": [60.17, 24.94]},
    "cameras": [
        {"id": "cam-1", "name": "Gare", "main": "http://127.0.0.1:9/cam-1.mjpg",
         "position": [60.1701, 24.9401], "heading": 180},
        {"id": "bc-pm11", "name": "Caméra-piéton PM 11", "kind": "body",
         "main": "http://127.0.0.1:9/bc.mjpg", "officer": "pm11"},
    ],
    "officers": [{"id": "pm11", "callsign": "PM 11", "body_camera": "bc-pm11"}],
})


@pytest.fixture
def window(tmp_path: Path) -> Iterator[MainWindow]:
    with main_window(SITE, tmp_path / "journal.sqlite") as w:
        w.operator = "op.martin"
        yield w


def raise_alarm(qtbot: QtBot, w: MainWindow, sid: str, t: AlarmType) -> Alarm:
    w.runtime.hub.post(AlarmReported("holster", sid, t, 1, f"{t.value} PM 11",
                                     datetime.now(UTC), None, ("bc-pm11", "cam-1"), "pm11"))
    qtbot.waitUntil(lambda: any(
        a.source_id == sid for a in w.alarms.model.alarms()), timeout=5000)
    return next(a for a in w.alarms.model.alarms() if a.source_id == sid)


def test_weapon_drawn_opens_the_body_cam_and_logs_why(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: "bc-pm11" in window.world.cameras, timeout=5000)
    alarm = raise_alarm(qtbot, window, "w1", AlarmType.WEAPON_DRAWN)
    window.alarms.alarm_opened.emit(alarm)
    tile = window.wall.tile(0)
    assert tile.camera is not None
    assert tile.camera.id == "bc-pm11"
    qtbot.waitUntil(lambda: bool(window.runtime.journal.actions()), timeout=5000)
    (logged,) = window.runtime.journal.actions()
    assert (logged.actor, logged.action, logged.target) == (
        "op.martin", "bodycam_live_view", "camera:bc-pm11")
    assert "weapon_drawn" in logged.detail


def test_an_intrusion_does_not_open_a_body_cam(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: "bc-pm11" in window.world.cameras, timeout=5000)
    alarm = raise_alarm(qtbot, window, "i1", AlarmType.INTRUSION)
    window.alarms.alarm_opened.emit(alarm)
    shown = [t.camera.id for t in window.wall.tiles() if t.camera is not None]
    assert "bc-pm11" not in shown
    assert "cam-1" in shown
    assert window.runtime.journal.actions() == []
