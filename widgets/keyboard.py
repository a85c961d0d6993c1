"""Keyboard-first, whatever has the focus: what every modal dialog does when it closes."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def give_back_keys(parent: QWidget | None) -> None:
    """The window a dialog came from takes the keyboard again, as a window manager would
    (without one, as under Xvfb or in a kiosk session, no window was active any more after
    the dialog, and every shortcut was lost until the operator clicked somewhere)."""
    if parent is not None:
        parent.window().activateWindow()
