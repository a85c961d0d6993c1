"""A console window in a process of its own, for the sound tests: Qt Multimedia binds to
the sound server once per process, so a test that brings a sound server (and plugs an
output into it) needs a fresh process. Run as `python -m tests.gui.sound_seat`; prints the
sound state shown on screen as JSON lines: once settled at start, then once changed (or
after WAIT_S)."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QToolButton

from app.core.site import Site
from tests.gui.conftest import main_window
from widgets.main_window import MainWindow

WAIT_S = 20.0
SITE = Site.model_validate({"site": {"name": "Sound"}, "map": {"center": [60.17, 24.94]}})


def shown(w: MainWindow) -> dict[str, object]:
    button = w.findChild(QToolButton, "alarm-mute")
    assert button is not None
    chip = w.alarms.sound_chip
    return {"chip": chip.isVisible(), "chip_tip": chip.toolTip(), "button": button.text(),
            "button_tip": button.toolTip()}


def settle(w: MainWindow, until: object = None) -> dict[str, object]:
    """Let Qt run until the state differs from `until` (or WAIT_S), then return it: the
    alerter says when it changes (`audio_changed`), a timer bounds the wait."""
    if shown(w) != until:
        return shown(w)
    alerter = w.alarms.alerter
    assert alerter is not None
    loop = QEventLoop()
    alerter.audio_changed.connect(lambda _reason: loop.quit())
    QTimer.singleShot(int(WAIT_S * 1000), loop.quit)
    loop.exec()
    QCoreApplication.processEvents()  # the button and chip follow the same signal
    return shown(w)


def say(state: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(state) + "\n")
    sys.stdout.flush()


def main() -> int:
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp, main_window(SITE, Path(tmp) / "j.sqlite") as w:
        assert w.alarms.alerter is not None
        w.alarms.alerter.set_muted(False)  # main_window() mutes: the operator did not
        for _ in range(50):
            app.processEvents()
        first = shown(w)
        say(first)  # the test plugs an output in when it has read this
        say(settle(w, until=first))
    return 0


if __name__ == "__main__":
    sys.exit(main())
