"""Keyboard-first, whatever has the focus: every window-wide key of the menus and of the
README's keyboard table is pressed through the X server (xdotool, as a person's keyboard)
after the focus was moved, with the mouse, to each part of the window: the alarm queue's
filter button, the alarm table, the detail panel, the camera search, the map, a tile
playing real video. Each key must do what it says from every one of them.

Before: F2 and Ctrl+F did nothing after a click on the "New" filter button or on a tile
(they were the alarm queue's own shortcuts), Ctrl+4 was lost after the body-cam reason
dialog was cancelled (no window was active any more), and in the camera search Enter and
Down did nothing."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.exceptions import TimeoutError
from pytestqt.qtbot import QtBot

from app.core.events import AlarmReported
from app.core.model import AlarmState, AlarmType, LatLon
from app.core.site import Site
from app.ui.settings import settings
from tests.gui.conftest import OP_MARTIN, main_window
from tests.servers.mjpeg import MjpegServer
from widgets.camera_list import CAMERA_ID_ROLE
from widgets.main_window import MainWindow
from widgets.video.tile import TileState

pytestmark = [pytest.mark.video,
              pytest.mark.skipif(shutil.which("xdotool") is None,
                                 reason="needs xdotool: keys and clicks through the X server")]

CENTRE = (60.17, 24.94)


def site_with(url: str) -> Site:
    def cam(i: int, name: str) -> dict[str, object]:
        return {"id": f"cam-{i}", "name": name, "main": url, "zone": "Centre",
                "position": [CENTRE[0] + i / 2000, CENTRE[1]], "heading": 90}

    return Site.model_validate({
        "site": {"name": "Keys"},
        "map": {"center": list(CENTRE)},
        "cameras": [cam(1, "Gare"), cam(2, "Mairie"), cam(3, "Port"),
                    {"id": "bc-pm11", "name": "Caméra-piéton PM 11", "kind": "body",
                     "main": url, "officer": "pm11"}],
        "officers": [{"id": "pm11", "callsign": "PM 11", "body_camera": "bc-pm11"}],
    })


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=10)


def click(widget: QWidget, at: QPoint | None = None) -> None:
    """A real click (the X server's pointer), where a person would click."""
    p = widget.mapToGlobal(at if at is not None else widget.rect().center())
    xdotool("mousemove", str(p.x()), str(p.y()), "click", "1")


@dataclass
class Console:
    w: MainWindow
    qtbot: QtBot

    def wait(self, what: Callable[[], object], timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: bool(what()), timeout=timeout)

    def messages(self) -> str:
        return self.w.statusBar().currentMessage()


@pytest.fixture
def console(qtbot: QtBot, tmp_path: Path) -> Iterator[Console]:
    s = settings()
    s.remove("wall")
    s.sync()
    with MjpegServer() as cam, main_window(site_with(cam.url("live.mjpg")),
                                           tmp_path / "journal.sqlite") as w:
        w.runtime.sign_in_as_demo(OP_MARTIN)  # type: ignore[attr-defined]
        qtbot.waitExposed(w)
        # no window manager here: the console takes the keyboard by itself at start, on
        # the alarm table
        qtbot.waitUntil(w.isActiveWindow, timeout=5000)
        assert QApplication.focusWidget() is w.alarms.queue.view
        w.runtime.hub.post(AlarmReported("sensors", "i1", AlarmType.INTRUSION, 2,
                                         "Intrusion Mairie", datetime.now(UTC), LatLon(*CENTRE)))
        qtbot.waitUntil(lambda: w.alarms.current_alarm() is not None, timeout=5000)
        qtbot.waitUntil(lambda: w.wall.tile(0).state is TileState.PLAYING, timeout=15_000)
        yield Console(w, qtbot)


# -- where the focus is put, with the mouse ---------------------------------------------------

def has_focus(widget: QWidget) -> Callable[[], bool]:
    def inside() -> bool:
        f = QApplication.focusWidget()
        return f is not None and (f is widget or widget.isAncestorOf(f))
    return inside


_clicks = [0]


def click_for_focus(c: Console, widget: QWidget, at: QPoint | None = None,
                    gets_focus: QWidget | None = None) -> None:
    """Put the focus elsewhere, click, wait until the click gave it. Each click lands a little
    apart from the last: two clicks on one spot would make a double-click."""
    neutral = c.w.alarms.queue.priority_combo  # none of the places under test
    neutral.setFocus()
    c.wait(neutral.hasFocus)
    _clicks[0] = (_clicks[0] + 1) % 4
    p = at if at is not None else widget.rect().center()
    click(widget, p + QPoint(12 * _clicks[0], 0))
    c.wait(has_focus(gets_focus or widget))


def on_filter_button(c: Console) -> None:
    """The "New" filter button, clicked twice (on, off): a tool button takes no focus, so
    the keys go wherever the focus was (here: a tile, the worst case seen)."""
    click_for_focus(c, c.w.wall.tile(1).surface(), gets_focus=c.w.wall.tile(1))
    button = c.w.alarms.queue.state_buttons[AlarmState.NEW]
    click(button)
    c.wait(lambda: not button.isChecked())
    click(button)
    c.wait(button.isChecked)


def on_alarm_table(c: Console) -> None:
    view = c.w.alarms.queue.view
    click_for_focus(c, view.viewport(), view.visualRect(view.model().index(0, 3)).center(),
                    view)


def on_detail_panel(c: Console) -> None:
    detail = c.w.alarms.detail
    target = detail.procedure_list if detail.procedure_list.isVisible() else detail.history
    detail.tabs.setCurrentIndex(1 if target is detail.history else 0)
    click_for_focus(c, target)


def on_camera_search(c: Console) -> None:
    click_for_focus(c, c.w.camera_list.search)


def on_map(c: Console) -> None:
    """A click on the map's ground, away from the markers at its centre (a click on an alarm
    pin opens that alarm, which moves the focus on purpose)."""
    view = c.w.map_view
    click_for_focus(c, view, QPoint(view.width() * 4 // 5, view.height() * 4 // 5))


def on_tile(c: Console) -> None:
    click_for_focus(c, c.w.wall.tile(0).surface(), gets_focus=c.w.wall.tile(0))


PLACES: dict[str, Callable[[Console], None]] = {
    "filter button": on_filter_button, "alarm table": on_alarm_table,
    "detail panel": on_detail_panel, "camera search": on_camera_search, "map": on_map,
    "tile": on_tile,
}


# -- each key and what it must do ---------------------------------------------------------------

def find_alarm(c: Console) -> Callable[[], object]:
    search = c.w.alarms.queue.search
    return search.hasFocus


def find_camera(c: Console) -> Callable[[], object]:
    return c.w.camera_list.search.hasFocus


def layout(kind: str) -> Callable[[Console], Callable[[], object]]:
    def arm(c: Console) -> Callable[[], object]:
        c.w.desk.set_kind("2x2" if kind != "2x2" else "3x3")
        return lambda: c.w.wall.kind == kind
    return arm


def mute(c: Console) -> Callable[[], object]:
    was = c.w.alarms.mute_action.isChecked()
    return lambda: c.w.alarms.mute_action.isChecked() != was


def maximise(c: Console) -> Callable[[], object]:
    c.w.wall.restore()
    return lambda: c.w.wall.maximised is not None


def status_says(text: str) -> Callable[[Console], Callable[[], object]]:
    def arm(c: Console) -> Callable[[], object]:
        c.w.statusBar().clearMessage()
        return lambda: text in c.messages()
    return arm


def tour_starts(c: Console) -> Callable[[], object]:
    c.w.desk.tours.stop_all()
    return lambda: bool(c.w.desk.tours.tours)


def tour_pauses(c: Console) -> Callable[[], object]:
    c.w.desk.tours.stop_all()
    index = c.w.wall.current_index()
    c.w.desk.tours.start(index, ["cam-1", "cam-2"], 60)
    return lambda: c.w.desk.tours.tours[index].paused


def tour_stops(c: Console) -> Callable[[], object]:
    c.w.desk.tours.stop_all()
    c.w.desk.tours.start(c.w.wall.current_index(), ["cam-1", "cam-2"], 60)
    return lambda: not c.w.desk.tours.tours


def save_asked(c: Console) -> Callable[[], object]:
    """Ctrl+S asks the layout's name in a modal dialog: answered (cancelled) here."""
    asked: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(50, answer)
            return
        asked.append(box.windowTitle())
        box.close()

    QTimer.singleShot(50, answer)
    return lambda: asked == ["Save layout"]


def quit_asked(c: Console) -> Callable[[], object]:
    """Ctrl+Q with an alarm open asks first (see test_quit): answered "Keep working"."""
    asked: list[str] = []
    left = [100]

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if box is None or box.objectName() != "quit-question":
            left[0] -= 1
            if left[0] > 0:
                QTimer.singleShot(50, answer)
            return
        asked.append(box.objectName())
        box.reject()

    QTimer.singleShot(50, answer)
    return lambda: asked and c.w.isVisible()


def second_wall(c: Console) -> Callable[[], object]:
    return lambda: c.w.second is not None


def full_screen(c: Console) -> Callable[[], object]:
    was = c.w.fullscreen_action.isChecked()
    return lambda: c.w.fullscreen_action.isChecked() != was


def show_on_map(c: Console) -> Callable[[], object]:
    """The tile's camera ringed on the map (asked of the page itself)."""
    cam = c.w.wall.tile(c.w.wall.current_index()).camera
    assert cam is not None
    c.w.map_view.highlight("camera", "")
    answers: list[object] = []
    script = f"CSU._hl !== null && CSU._hl === CSU.layer('camera', '{cam.id}')"

    def ringed() -> bool:
        if not answers or answers[-1] is not None:
            answers.append(None)  # one question at a time
            c.w.map_view.run_js_for_test(script, lambda r: answers.__setitem__(-1, bool(r)))
        return True in answers

    return ringed


def undo(c: Console) -> None:
    """Back to the same start for the next key."""
    w = c.w
    if w.second is not None:
        w.wall_menu.second_action.setChecked(False)
    if w.fullscreen_action.isChecked():
        w.fullscreen_action.setChecked(False)
    w.wall.restore()
    w.desk.set_kind("3x3")
    w.desk.tours.stop_all()
    for pad in [p for p in QApplication.topLevelWidgets() if p.objectName() == "ptzPad"]:
        pad.close()
    w.activateWindow()
    c.wait(w.isActiveWindow)


KEYS: list[tuple[str, Callable[[Console], Callable[[], object]]]] = [
    ("F2", find_alarm), ("ctrl+f", find_alarm), ("ctrl+shift+f", find_camera),
    ("ctrl+1", layout("1")), ("ctrl+2", layout("2x2")), ("ctrl+3", layout("3x3")),
    ("ctrl+4", layout("4x4")), ("ctrl+5", layout("5x5")), ("ctrl+6", layout("1+5")),
    ("ctrl+7", layout("1+7")), ("ctrl+8", layout("1+12")),
    ("ctrl+m", mute), ("ctrl+Return", maximise), ("ctrl+t", tour_starts),
    ("ctrl+space", tour_pauses), ("ctrl+shift+t", tour_stops),
    ("ctrl+shift+s", status_says("Snapshot")), ("ctrl+shift+m", show_on_map),
    ("ctrl+shift+p", status_says("cannot be moved")), ("ctrl+s", save_asked),
    ("ctrl+shift+w", second_wall), ("F11", full_screen), ("ctrl+q", quit_asked),
]


def test_every_window_key_works_wherever_the_focus_is(console: Console) -> None:
    c = console
    failures: list[str] = []
    for place, put_focus in PLACES.items():
        for key, arm in KEYS:
            put_focus(c)
            done = arm(c)
            xdotool("key", key)
            try:
                c.wait(done, timeout=3000)
            except TimeoutError:
                failures.append(f"{key} from the {place}")
            undo(c)
    assert failures == [], "\n".join(failures)


def reason_dialog() -> QWidget | None:
    return next((w for w in QApplication.topLevelWidgets()
                 if w.objectName() == "bodycamReason" and w.isVisible()), None)


def test_window_keys_work_after_the_body_cam_reason_dialog_is_cancelled(
        console: Console) -> None:
    """Ctrl+4 was ignored after Escape on the reason dialog: no window was active any more
    (no window manager gives the activation back)."""
    c = console
    cams = c.w.camera_list
    cams.search.setText("PM 11")  # the body cam, the only one listed
    click_for_focus(c, cams.search)
    xdotool("key", "Down")  # to the list
    c.wait(has_focus(cams.view))
    seen: list[str] = []
    keys: list[subprocess.Popen[bytes]] = []

    def cancel_when_asked() -> None:
        dialog = reason_dialog()
        if dialog is None:
            QTimer.singleShot(50, cancel_when_asked)
            return
        seen.append(dialog.windowTitle())
        keys.append(subprocess.Popen(["xdotool", "key", "Escape"]))  # the dialog's own loop

    QTimer.singleShot(0, cancel_when_asked)
    xdotool("key", "Return")
    c.wait(lambda: seen and reason_dialog() is None)
    for proc in keys:
        proc.wait(10)
    assert "bc-pm11" not in [t.camera.id for t in c.w.wall.tiles() if t.camera is not None]
    c.w.desk.set_kind("2x2")
    xdotool("key", "ctrl+4")
    c.wait(lambda: c.w.wall.kind == "4x4")


def test_the_camera_search_takes_down_and_enter(console: Console) -> None:
    """In the camera search, Enter and Down did nothing (Tab, Down, Enter were needed):
    Down goes to the list, Enter opens the selected camera, or the first one listed, on the
    wall's current tile; Escape clears the search."""
    c = console
    cams = c.w.camera_list
    tile = c.w.wall.tile(4)
    for i in range(c.w.wall.tile_count):  # a camera already on the wall is not shown twice
        c.w.wall.clear_tile(i)
    click_for_focus(c, tile)
    xdotool("key", "ctrl+shift+f")
    c.wait(cams.search.hasFocus)
    xdotool("type", "Port")
    c.wait(lambda: cams.visible_ids() == ["cam-3"])
    xdotool("key", "Return")  # the first (here the only) camera listed, on the current tile
    c.wait(lambda: tile.camera is not None and tile.camera.id == "cam-3")
    xdotool("key", "Escape")
    c.wait(lambda: cams.search.text() == "" and len(cams.visible_ids()) == 4)

    c.w.wall.clear_tile(4)
    xdotool("key", "Down")  # into the list, on the first camera
    c.wait(has_focus(cams.view))
    assert cams.view.currentIndex().data(CAMERA_ID_ROLE) == cams.visible_ids()[0]
    xdotool("key", "Down", "Return")  # the second camera listed
    second = cams.visible_ids()[1]
    c.wait(lambda: tile.camera is not None and tile.camera.id == second)


def test_the_queue_letters_act_from_the_alarm_table_only(console: Console) -> None:
    """A, S... are the queue's keys (README): typed in the camera search they are text, not
    an acknowledgement; from the table they act (Space too)."""
    c = console
    alarm = c.w.alarms.current_alarm()
    assert alarm is not None
    on_camera_search(c)
    xdotool("key", "a", "space")
    c.wait(lambda: c.w.camera_list.search.text() == "a ")
    # an acknowledgement is sent at the key press: it would be on its way (the queue holds
    # its id until the new state comes back) or already stored
    assert not c.w.alarms.queue._acknowledging
    assert c.w.runtime.alarms.book.by_id[alarm.id].state is AlarmState.NEW
    c.w.camera_list.search.clear()
    on_alarm_table(c)
    xdotool("key", "a")
    c.wait(lambda: c.w.runtime.alarms.book.by_id[alarm.id].state is AlarmState.ACKNOWLEDGED)


def test_find_keys_work_from_the_second_wall(console: Console) -> None:
    """The second wall (another monitor) is a window of its own: F2 and Ctrl+Shift+F there
    bring the main window forward, its search ready for typing."""
    c = console
    xdotool("key", "ctrl+shift+w")
    c.wait(lambda: c.w.second is not None and c.w.second.isVisible())
    second = c.w.second
    assert second is not None
    c.qtbot.waitExposed(second)
    for key, search in (("F2", c.w.alarms.queue.search),
                        ("ctrl+shift+f", c.w.camera_list.search)):
        second.activateWindow()
        c.wait(second.isActiveWindow)
        xdotool("key", key)
        c.wait(lambda s=search: c.w.isActiveWindow() and s.hasFocus())
    c.w.wall_menu.second_action.setChecked(False)
