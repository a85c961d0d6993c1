"""When the operator last touched the console, and the one signal that says "idle".

The law asks the session to lock after an inactivity delay (issue 11, the site file's
`[auth] lock_after_s`). Only what a person does counts: a key, a mouse press or move,
the wheel, a touch or a pen. Timers, paints and events the program sends itself do not
(Qt marks the ones that come from the window system, and QTest's, as spontaneous), or a
wall of playing tiles would keep the console awake for ever.

Where it listens: on every window of the application (`QGuiApplication.allWindows()`, the
native children of the video tiles included), not on the application. Every input a person
makes reaches the window it happens in before any widget; a window sees little else
(exposes, update requests), so the filter runs a few times per input and frame, not for
every timer, paint and child event of the process. An application-wide Python filter was
also unsafe (PySide6 6.11): with the map's web engine, a `QWebEngineUrlRequestJob` under
construction sends its parent a ChildAdded event, PySide wraps the half-made object for
the filter, and the process crashed (SIGSEGV in `getWrapperForQObject`), even with a
filter that returned at once. Windows that appear later (a second wall, a dialog) are
adopted at the next check, within a second.

Cheap on purpose: the filter only stores a monotonic time for input; a timer of at most
one tick a second adopts new windows and compares the time with the delay. No timer is
restarted per event. `bench/inactivity_filter.py` measures what the filter costs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from shiboken6 import isValid

# what a person does (a release always follows a press: the press is enough)
_INPUT = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress,
    QEvent.Type.TabletMove,
})
MAX_CHECK_MS = 1000  # the delay is checked at most once a second


class InactivityWatch(QObject):
    """Emits `idle()` once when no user input came for `lock_after_s`; `reset()` (after
    an unlock) starts counting again."""

    idle = Signal()

    def __init__(self, lock_after_s: float, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self._clock = clock
        self._last_input = clock()
        self._fired = False
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self.lock_after_s = 0.0
        self.set_delay(lock_after_s)
        self._windows: set[QWindow] = set()

    def set_delay(self, lock_after_s: float) -> None:
        """Lock after `lock_after_s` seconds without input from now on."""
        if lock_after_s <= 0:
            raise ValueError(f"lock_after_s must be positive, not {lock_after_s}")
        self.lock_after_s = float(lock_after_s)
        # a short delay is checked more often than every second (tests use 1 s)
        self._timer.setInterval(min(MAX_CHECK_MS, max(50, int(lock_after_s * 1000 / 4))))

    def start(self) -> None:
        """Watch every window's input from now on."""
        if QGuiApplication.instance() is None:
            raise RuntimeError("InactivityWatch needs a QGuiApplication")
        self._adopt_windows()
        self.reset()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        for window in self._windows:
            if isValid(window):  # a window closed since the last check is gone
                window.removeEventFilter(self)
        self._windows = set()

    def _adopt_windows(self) -> None:
        """Listen on the windows that appeared since the last check; forget closed ones."""
        now = set(QGuiApplication.allWindows())
        for window in now - self._windows:
            window.installEventFilter(self)
        self._windows = now

    def reset(self) -> None:
        """Count from now (after an unlock): `idle` may fire again."""
        self._last_input = self._clock()
        self._fired = False

    def idle_for(self) -> float:
        """Seconds since the last user input."""
        return self._clock() - self._last_input

    @property
    def fired(self) -> bool:
        return self._fired

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # per event: one type check; the clock is read for input only
        if event.type() in _INPUT and event.spontaneous():
            self._last_input = self._clock()
        return False

    def _tick(self) -> None:
        self._adopt_windows()
        self.check()

    def check(self) -> None:
        """Emit `idle` if the delay has passed (the timer calls it; so may a test)."""
        if not self._fired and self._clock() - self._last_input >= self.lock_after_s:
            self._fired = True
            self.idle.emit()
