"""One camera of the replay wall: a header strip (camera name, the shown picture's local
time to the millisecond, the state) and the picture the camera's worker made ready.

The tile paints a QImage wrapped around the worker's RGB array (no copy, no conversion,
no scaling on the GUI thread: the worker scaled it to `picture_size()`); it needs no
native video window, so its header and messages are ordinary painting.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

import numpy as np
from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

HEADER_H = 22
BACKGROUND = QColor("#101214")
HEADER_BG = QColor("#1c2026")
FOCUS = QColor("#4fc3f7")


class ShownFrame(Protocol):
    """A picture ready to show (app.services.replay_video.Frame)."""

    @property
    def time(self) -> datetime: ...

    @property
    def seq(self) -> int: ...

    @property
    def generation(self) -> int: ...

    @property
    def image(self) -> np.ndarray: ...


class ShownStatus(Protocol):
    """A playback's state (app.services.replay_video.Status): `kind` and `reason` are
    plain strings (StrEnum values)."""

    @property
    def kind(self) -> str: ...

    @property
    def reason(self) -> str | None: ...


class ReplayTile(QWidget):
    clicked = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayTile")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 68 + HEADER_H)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.name = name
        self._frame: ShownFrame | None = None
        self._image: QImage | None = None
        self._status: ShownStatus | None = None
        self._focused = False

    # --- what the wall gives -----------------------------------------------------------
    def show_frame(self, frame: ShownFrame | None, status: ShownStatus) -> None:
        self._frame, self._status = frame, status
        if frame is None:
            self._image = None
        else:
            img = frame.image  # kept alive by self._frame while the QImage wraps it
            h, w = img.shape[:2]
            self._image = QImage(img.data, w, h, img.strides[0], QImage.Format.Format_RGB888)
        self.update()

    def set_focused(self, focused: bool) -> None:
        if focused != self._focused:
            self._focused = focused
            self.update()

    def shown_time(self) -> datetime | None:
        return None if self._frame is None else self._frame.time

    def picture_size(self) -> QSize:
        """The area below the header the worker scales pictures to (inside a 1-px frame)."""
        return QSize(max(2, self.width() - 2), max(2, self.height() - HEADER_H - 2))

    def picture_rect(self) -> QRect:
        """Where the current picture is painted, in the tile's coordinates (empty when
        none): centred in the picture area, at the size the worker made."""
        if self._image is None:
            return QRect()
        area = self.picture_size()
        w, h = self._image.width(), self._image.height()
        return QRect(1 + (area.width() - w) // 2, HEADER_H + 1 + (area.height() - h) // 2,
                     w, h)

    # --- painting ----------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), BACKGROUND)
        p.fillRect(0, 0, self.width(), HEADER_H, HEADER_BG)
        self._paint_header(p)
        if self._image is not None:
            p.drawImage(self.picture_rect().topLeft(), self._image)
        else:
            p.setPen(QColor("#b0b7c0"))
            area = QRect(QPoint(1, HEADER_H + 1), self.picture_size())
            p.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                       self.state_text())
        if self._focused:
            p.setPen(QPen(FOCUS, 2))
            p.drawRect(self.rect().adjusted(1, 1, -1, -1))
        p.end()

    def _paint_header(self, p: QPainter) -> None:
        right = self.time_text() or self.state_text()
        fm = p.fontMetrics()
        right_w = fm.horizontalAdvance(right) + 8
        p.setPen(QColor("#e0e4e8"))
        p.drawText(QRect(self.width() - right_w - 6, 0, right_w, HEADER_H),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, right)
        font = p.font()
        font.setBold(True)
        p.setFont(font)
        name_w = max(10, self.width() - right_w - 18)
        name = p.fontMetrics().elidedText(self.name, Qt.TextElideMode.ElideMiddle, name_w)
        p.drawText(QRect(6, 0, name_w, HEADER_H),
                   Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, name)

    def time_text(self) -> str:
        """The shown picture's local time, to the millisecond ("" when none)."""
        if self._frame is None:
            return ""
        local = self._frame.time.astimezone()
        return local.strftime("%d/%m %H:%M:%S.") + f"{local.microsecond // 1000:03d}"

    def state_text(self) -> str:
        status = self._status
        kind = "loading" if status is None else str(status.kind)
        if kind == "playing":
            return ""
        if kind == "gap":
            return _gap_words(None if status is None or status.reason is None
                              else str(status.reason))
        return _state_words(kind)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)


def _state_words(kind: str) -> str:
    if kind == "loading":
        return QCoreApplication.translate("ReplayTile", "Opening the recordings…")
    if kind == "no_recording":
        return QCoreApplication.translate(
            "ReplayTile", "Nothing recorded for this camera in this range")
    if kind == "file_missing":
        return QCoreApplication.translate("ReplayTile", "Recording file missing")
    return QCoreApplication.translate("ReplayTile", "This recording cannot be read")


def _gap_words(reason: str | None) -> str:
    if reason == "camera_unreachable":
        return QCoreApplication.translate("ReplayTile", "No recording: camera unreachable")
    if reason == "recorder_down":
        return QCoreApplication.translate("ReplayTile", "No recording: recorder not running")
    if reason == "watchdog":
        return QCoreApplication.translate("ReplayTile", "No recording: recorder restarted")
    if reason == "disk_full":
        return QCoreApplication.translate("ReplayTile", "No recording: disk full")
    if reason == "stopped":
        return QCoreApplication.translate("ReplayTile", "No recording: recording stopped")
    if reason == "purged":
        return QCoreApplication.translate("ReplayTile", "No recording: deleted (retention)")
    return QCoreApplication.translate("ReplayTile", "No recording at this time")
