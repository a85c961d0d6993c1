"""A frame that says its content is no longer updated, without clearing it.

A seat that lost its room keeps what it shows (the operator still needs the last known
alarms and positions) but must not let it pass for live: a strip above the content says
since when it is stale and why, and the content can be dimmed. Qt cannot paint over a
native or web surface, hence a strip beside the content rather than an overlay on it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QGraphicsOpacityEffect, QLabel, QVBoxLayout, QWidget

from app.ui.labels import local_time

STALE_STYLE = "QLabel { background: #ff8f00; color: black; font-weight: bold; padding: 3px 8px; }"
DIMMED_OPACITY = 0.45


class StaleFrame(QWidget):
    """`content` under a strip shown while stale. `describe(time)` gives the strip's words
    in the current language for the local time the content stopped being updated; `dim`
    (a plain widget, not a web or video surface) is faded meanwhile."""

    def __init__(self, content: QWidget, describe: Callable[[str], str], *,
                 dim: QWidget | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.content = content
        self._describe = describe
        self._dim = dim
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
            if self._dim is not None:
                self._dim.setGraphicsEffect(None)  # type: ignore[arg-type]
            return
        self.strip.setText("⏸ " + html.escape(self._describe(local_time(self.since))))
        self.strip.show()
        if self._dim is not None and self._dim.graphicsEffect() is None:
            effect = QGraphicsOpacityEffect(self._dim)
            effect.setOpacity(DIMMED_OPACITY)
            self._dim.setGraphicsEffect(effect)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange and self.since is not None:
            self._show()
        super().changeEvent(event)
