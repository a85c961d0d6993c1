"""A frame that says its content is no longer updated, without clearing it.

A seat that lost its room keeps what it shows (the operator still needs the last known
alarms and positions) but must not let it pass for live: a strip above the content says
since when it is stale and why, and a hatched veil dims the content. The veil is a child
widget that lets the mouse through (the operator can still select and open an alarm); a
QGraphicsOpacityEffect on a table garbled its header and rows when they repainted.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.ui.labels import local_time

STALE_STYLE = "QLabel { background: #ff8f00; color: black; font-weight: bold; padding: 3px 8px; }"
VEIL = QColor(20, 22, 26, 150)
HATCH = QColor(255, 255, 255, 22)


class Veil(QWidget):
    """A translucent hatched cover over `target`, following its size; clicks go through."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setObjectName("stale-veil")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        target.installEventFilter(self)
        self.setGeometry(target.rect())
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), VEIL)
        p.fillRect(self.rect(), QBrush(HATCH, Qt.BrushStyle.BDiagPattern))
        p.end()


class StaleFrame(QWidget):
    """`content` under a strip shown while stale. `describe(time)` gives the strip's words
    in the current language for the local time the content stopped being updated; `dim`
    (a widget Qt paints, not a native video surface) is veiled meanwhile."""

    def __init__(self, content: QWidget, describe: Callable[[str], str], *,
                 dim: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self._describe = describe
        self.veil = Veil(dim) if dim is not None else None
        self.since: datetime | None = None
        self.strip = QLabel(self)
        self.strip.setObjectName("stale-strip")
        self.strip.setStyleSheet(STALE_STYLE)
        self.strip.setWordWrap(True)
        self.strip.setTextFormat(Qt.TextFormat.RichText)
        self.strip.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.strip)
        column.addWidget(content, 1)

    @property
    def stale(self) -> bool:
        return self.since is not None

    def set_stale(self, since: datetime | None) -> None:
        """Stale since `since` (UTC), or fresh again (None). Already stale: the earlier time
        stays, it is when the content last was updated."""
        if since is None:
            self.since = None
        elif self.since is None:
            self.since = since
        self._show()

    def _show(self) -> None:
        if self.since is None:
            self.strip.hide()
            if self.veil is not None:
                self.veil.hide()
            return
        self.strip.setText(html.escape(self._describe(local_time(self.since))))
        self.strip.show()
        if self.veil is not None:
            self.veil.show()
            self.veil.raise_()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.since is not None:
            self._show()
        super().changeEvent(event)
