"""Where a top-level window was, and putting it back exactly there.

`saveGeometry()/restoreGeometry()` store the *frame* position and Qt guesses the frame
margins when it restores: on X11 (no window manager, or one that reports its frame late)
the guess is wrong and the window came back 25 px lower at each start, with a black band
above it. We store what we mean instead: the screen's name, the window's normal geometry
(client area, as `setGeometry` takes it) and whether it was maximized or full screen, and
restore those with `setGeometry` and the `show*()` call that matches.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, QSettings
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget


def save_placement(window: QWidget, s: QSettings, key: str) -> None:
    screen = window.screen()
    s.setValue(f"{key}/screen", screen.name() if screen else "")
    normal = window.normalGeometry() if (window.isMaximized() or window.isFullScreen()) \
        else window.geometry()
    s.setValue(f"{key}/normal", normal)
    s.setValue(f"{key}/maximized", window.isMaximized())
    s.setValue(f"{key}/fullscreen", window.isFullScreen())


def saved_screen(s: QSettings, key: str) -> QScreen | None:
    """The screen the window was on, if it is still connected."""
    name = str(s.value(f"{key}/screen", ""))
    return next((sc for sc in QGuiApplication.screens() if sc.name() == name), None)


def restore_placement(window: QWidget, s: QSettings, key: str,
                      before_show: Callable[[], object] | None = None) -> bool:
    """Place and show `window` as it was (`before_show` runs once it has its size, before
    it is shown: e.g. `restoreState` of a main window's docks). False (nothing done) when
    nothing usable was saved or its screen is gone: the caller places it as on a first
    start."""
    screen = saved_screen(s, key)
    normal = s.value(f"{key}/normal")
    if screen is None or not isinstance(normal, QRect) or not normal.isValid():
        return False
    area = screen.availableGeometry()
    if not area.intersects(normal):
        return False  # the window would be off every screen
    window.setGeometry(normal if area.contains(normal) else normal.intersected(area))
    if before_show is not None:
        before_show()
    if s.value(f"{key}/fullscreen", False) in (True, "true"):
        window.setScreen(screen)
        window.showFullScreen()
    elif s.value(f"{key}/maximized", False) in (True, "true"):
        window.showMaximized()
        if not window.isMaximized():  # no window manager (Xvfb): maximize by hand
            window.setGeometry(area)
    else:
        window.show()
    return True
