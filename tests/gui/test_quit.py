"""Quitting: Ctrl+Q did nothing and no menu had Quit; closing the window with P1 alarms open
quit without a word. Now Console > Quit (Ctrl+Q) and the window's close button (the
window manager's WM_DELETE_WINDOW, sent here as a window manager does) ask when alarms are
open, say how many of which priority and what stops; "Keep working" keeps the window."""

from __future__ import annotations

import ctypes
import ctypes.util
import shutil
import subprocess
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.core.events import AlarmReported
from app.core.model import AlarmOutcome, AlarmState, AlarmType, LatLon
from app.core.site import Site
from tests.gui.conftest import deliver_posted, main_window
from widgets.main_window import MainWindow

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None or not ctypes.util.find_library(
    "X11"), reason="needs xdotool and libX11: keys and a window manager's close")

SITE = Site.model_validate({"site": {"name": "Quit"}, "map": {"center": [60.17, 24.94]}})


class _ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class _XEvent(ctypes.Union):
    _fields_ = [("xclient", _ClientMessage), ("pad", ctypes.c_long * 24)]


def close_button(window: MainWindow) -> None:
    """What a window manager sends when the close button of the title bar is clicked."""
    x11 = ctypes.cdll.LoadLibrary(ctypes.util.find_library("X11") or "libX11.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_long,
                               ctypes.POINTER(_XEvent)]
    x11.XFlush.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    dpy = x11.XOpenDisplay(None)
    assert dpy, "no X display"
    try:
        ev = _XEvent()
        ev.xclient.type = 33  # ClientMessage
        ev.xclient.window = int(window.winId())
        ev.xclient.message_type = x11.XInternAtom(dpy, b"WM_PROTOCOLS", 0)
        ev.xclient.format = 32
        ev.xclient.data[0] = x11.XInternAtom(dpy, b"WM_DELETE_WINDOW", 0)
        x11.XSendEvent(dpy, int(window.winId()), 0, 0, ctypes.byref(ev))
        x11.XFlush(dpy)
    finally:
        x11.XCloseDisplay(dpy)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    with main_window(SITE, tmp_path / "journal.sqlite") as w:
        w.activateWindow()  # what a window manager does for a new window
        qtbot.waitUntil(w.isActiveWindow, timeout=5000)
        yield w


def raise_alarm(qtbot: QtBot, w: MainWindow, sid: str, t: AlarmType, priority: int) -> None:
    w.runtime.hub.post(AlarmReported("sensors", sid, t, priority, f"{t.value} {sid}",
                                     datetime.now(UTC), LatLon(60.17, 24.94)))
    qtbot.waitUntil(lambda: any(a.source_id == sid for a in w.alarms.model.alarms()),
                    timeout=5000)


def answer(button: str, seen: list[tuple[str, str]], tries: int = 100) -> Callable[[], None]:
    """Answers the question (a modal box, its own event loop) when it shows; gives up
    after `tries` looks (5 s)."""
    left = [tries]

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "quit-question":
            left[0] -= 1
            if left[0] > 0:
                QTimer.singleShot(50, look)
            return
        seen.append((box.text(), box.informativeText()))
        chosen = next(b for b in box.buttons() if b.text() == button)
        chosen.click()
    return look


def test_quit_asks_when_alarms_are_open_and_keep_working_keeps_the_window(
        qtbot: QtBot, window: MainWindow) -> None:
    w = window
    raise_alarm(qtbot, w, "w1", AlarmType.WEAPON_DRAWN, 1)
    raise_alarm(qtbot, w, "i1", AlarmType.INTRUSION, 2)
    raise_alarm(qtbot, w, "i2", AlarmType.INTRUSION, 2)
    menus = [m.menu() for m in w.menuBar().actions() if m.menu() is not None]
    # the first menu, "Console" (its access log is for chiefs: hidden from this operator)
    assert [a.text() for a in menus[0].actions() if a.isVisible()] == ["&Quit"]

    seen: list[tuple[str, str]] = []
    QTimer.singleShot(0, answer("Keep working", seen))
    subprocess.run(["xdotool", "key", "ctrl+q"], check=True, timeout=10)
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    head, what = seen[0]
    assert head == "Open alarms: 3 (P1: 1, P2: 2)."
    assert "no new alarm is received" in what
    assert "alarm sounds and video wall stop" in what
    deliver_posted()  # whatever the answer set off has run: nothing closed
    assert w.isVisible()

    QTimer.singleShot(0, answer("Keep working", seen))
    close_button(w)  # the title bar's close button
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    deliver_posted()
    assert w.isVisible()

    QTimer.singleShot(0, answer("Quit", seen))
    close_button(w)
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=5000)
    assert len(seen) == 3


def test_nothing_is_asked_without_open_alarms(qtbot: QtBot, window: MainWindow) -> None:
    w = window
    raise_alarm(qtbot, w, "i1", AlarmType.INTRUSION, 2)
    alarm = w.alarms.model.alarms()[0]
    assert w.alarms.commands is not None
    w.alarms.commands.close(alarm.id, AlarmOutcome.FALSE_ALARM)
    qtbot.waitUntil(lambda: w.runtime.alarms.book.by_id[alarm.id].state is AlarmState.CLOSED,
                    timeout=5000)
    seen: list[tuple[str, str]] = []
    QTimer.singleShot(0, answer("Keep working", seen))
    close_button(w)
    qtbot.waitUntil(lambda: not w.isVisible(), timeout=5000)
    assert seen == []
