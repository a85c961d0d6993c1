"""Live body-cam viewing is lawful when officers' safety is threatened (CSI L241-2) and every
viewing is logged with who, when and why (CSI R241-14): opening a weapon-drawn alarm lays the
officer's body cam on the wall and logs it; an intrusion alarm linked to a body cam does not."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.core.events import AlarmReported
from app.core.model import Alarm, AlarmOutcome, AlarmState, AlarmType
from app.core.site import Site
from tests.gui.conftest import OP_MARTIN, acts, main_window
from tests.integration.journal_faults import SmallDisk
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
        w.runtime.sign_in_as_demo(OP_MARTIN)  # type: ignore[attr-defined]
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
    qtbot.waitUntil(lambda: tile.camera is not None and tile.camera.id == "bc-pm11",
                    timeout=5000)
    (logged,) = acts(window.runtime.journal)
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
    assert acts(window.runtime.journal) == []


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    d = SmallDisk(tmp_path / "disk")
    yield d
    d.unmount()


def test_no_body_cam_is_shown_when_its_viewing_cannot_be_logged(
        qtbot: QtBot, disk: SmallDisk) -> None:
    """What the law requires fails closed: the access log row cannot be written (a full
    disk), so the body cam does not open, by any path, and the operator is told why.
    Before: the audit write's result was ignored and the video shown anyway."""
    with main_window(SITE, disk.path / "journal.sqlite") as w:
        w.runtime.sign_in_as_demo(OP_MARTIN)  # type: ignore[attr-defined]
        w.gate.ask = lambda _c, _w, _p: "Officer asks for support: fight"
        qtbot.waitUntil(lambda: "bc-pm11" in w.world.cameras, timeout=5000)
        alarm = raise_alarm(qtbot, w, "w1", AlarmType.WEAPON_DRAWN)
        disk.fill()
        messages: list[str] = []
        w.bodycam_access.refused.connect(messages.append)
        w.alarms.alarm_opened.emit(alarm)  # from the alarm
        w.camera_list.camera_chosen.emit("bc-pm11")  # from the list
        w.map_controller.open_bodycam("pm11")  # from the map
        qtbot.waitUntil(lambda: len(messages) == 3, timeout=10_000)
        assert all("access log cannot be written" in m for m in messages)
        assert "the disk holding the journal is full" in messages[0]
        assert all(t.camera is None or t.camera.id != "bc-pm11" for t in w.wall.tiles())
        assert "was not opened" in w.statusBar().currentMessage()
        disk.free()  # the log can be written again: the same action now works
        w.alarms.alarm_opened.emit(alarm)
        qtbot.waitUntil(lambda: w.wall.tile(0).camera is not None
                        and w.wall.tile(0).camera.id == "bc-pm11", timeout=10_000)
        assert [a.action for a in acts(w.runtime.journal)] == ["bodycam_live_view"]


def reason_dialogs() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets()
            if w.objectName() == "bodycamReason" and w.isVisible()]


def test_a_closed_weapon_alarm_is_no_reason_on_any_path(qtbot: QtBot, window: MainWindow) -> None:
    """Closing a weapon-drawn alarm, then selecting it again with the Closed filter,
    reopened the officer's body cam live with no reason asked, the closed alarm logged as
    the reason: the window still held the copy it had shown while the alarm was open.
    Now the policy judges the alarm as the service holds it: selecting or opening the closed
    alarm (even through the old copy) shows no body cam and logs nothing; from the camera
    list the reason dialog is asked, and cancelling it shows nothing."""
    w = window
    qtbot.waitUntil(lambda: "bc-pm11" in w.world.cameras, timeout=5000)
    seen_open = raise_alarm(qtbot, w, "w1", AlarmType.WEAPON_DRAWN)  # the window's copy
    assert w.alarms.commands is not None
    w.alarms.commands.close(seen_open.id, AlarmOutcome.HANDLED, "situation maîtrisée")
    qtbot.waitUntil(lambda: w.runtime.alarms.book.by_id[seen_open.id].state
                    is AlarmState.CLOSED, timeout=5000)
    w.alarms.alarm_opened.emit(seen_open)  # the copy shown before the close arrived here
    queue = w.alarms.queue
    queue.state_buttons[AlarmState.CLOSED].click()  # the operator's Closed filter
    for state in (AlarmState.NEW, AlarmState.ACKNOWLEDGED, AlarmState.ASSIGNED):
        queue.state_buttons[state].setChecked(False)
    qtbot.waitUntil(lambda: queue.proxy.row_of(seen_open.id) is not None, timeout=5000)
    queue.view.setFocus()
    rect = queue.view.visualRect(queue.proxy.index(queue.proxy.row_of(seen_open.id) or 0, 3))
    qtbot.mouseClick(queue.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.keyClick(queue.view, Qt.Key.Key_Return)  # "open cameras" on it
    qtbot.waitUntil(lambda: not w.bodycam_access.pending, timeout=5000)
    assert "bc-pm11" not in [t.camera.id for t in w.wall.tiles() if t.camera is not None]
    assert not [a for a in acts(w.runtime.journal) if a.action == "bodycam_live_view"]

    asked: list[str] = []

    def answer_cancel() -> None:  # the dialog is modal: answer it from the event loop
        dialogs = reason_dialogs()
        if not dialogs:
            QTimer.singleShot(50, answer_cancel)
            return
        asked.append(dialogs[0].windowTitle())
        dialogs[0].reject()

    QTimer.singleShot(0, answer_cancel)
    w.camera_list.camera_chosen.emit("bc-pm11")  # the camera list: a reason is asked
    assert asked == ["Open a body camera live"]
    assert not reason_dialogs()
    assert "bc-pm11" not in [t.camera.id for t in w.wall.tiles() if t.camera is not None]
    assert not [a for a in acts(w.runtime.journal) if a.action == "bodycam_live_view"]
