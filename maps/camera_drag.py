"""Drag a camera from the map onto a wall tile.

The page draws cameras on a canvas, so HTML drag and drop cannot start there: the page
says when the left button goes down on a camera (and stops Leaflet panning), and this
filter on the view's render widget starts a real Qt drag once the pointer has moved far
enough, carrying the camera id the wall accepts (`CAMERA_MIME`, and the text form).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QByteArray, QEvent, QMimeData, QObject, QPoint, Qt
from PySide6.QtGui import QDrag, QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.core.layouts import CAMERA_MIME, CAMERA_TEXT_PREFIX

PRESS_VALID_S = 2.0  # a press notice older than this is stale (the button went up unseen)


class CameraDragSource(QObject):
    def __init__(self, view: QWidget) -> None:
        """`view` (the parent) answers `has_camera(id)`. No Python reference to it is kept:
        a cycle would keep its wrapper alive after Qt deletes it."""
        super().__init__(view)
        self._pressed: tuple[str, float] | None = None  # camera id, when
        self._origin: QPoint | None = None
        self._filtered: QWidget | None = None
        self.drags = 0

    def on_pressed(self, kind: str, item_id: str) -> None:
        view = self._parent_view()
        if kind != "camera" or view is None or not view.has_camera(item_id):  # type: ignore[attr-defined]
            return
        self._pressed = (item_id, time.monotonic())
        self._origin = None
        target = view.focusProxy() or view
        if target is not self._filtered:  # the render widget exists once the page shows
            if self._filtered is not None:
                self._filtered.removeEventFilter(self)
            target.installEventFilter(self)
            self._filtered = target

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._pressed is None:
            return False
        if event.type() == QEvent.Type.MouseButtonRelease:
            self._pressed = None
        elif event.type() == QEvent.Type.MouseMove and isinstance(event, QMouseEvent):
            if not event.buttons() & Qt.MouseButton.LeftButton \
                    or time.monotonic() - self._pressed[1] > PRESS_VALID_S:
                self._pressed = None
                return False
            pos = event.globalPosition().toPoint()
            if self._origin is None:
                self._origin = pos
            elif (pos - self._origin).manhattanLength() >= QApplication.startDragDistance():
                camera_id, self._pressed = self._pressed[0], None
                self._drag(camera_id)
                return True
        return False

    def _parent_view(self) -> QWidget | None:
        parent = self.parent()
        return parent if isinstance(parent, QWidget) else None

    def _drag(self, camera_id: str) -> None:
        view = self._parent_view()
        if view is None:
            return
        data = QMimeData()
        data.setData(CAMERA_MIME, QByteArray(camera_id.encode()))
        data.setText(CAMERA_TEXT_PREFIX + camera_id)
        drag = QDrag(view)
        drag.setMimeData(data)
        self.drags += 1
        drag.exec(Qt.DropAction.CopyAction)
        page = getattr(view, "page", None)
        if callable(page):  # Chromium never saw the button go up: let the map pan again
            page().runJavaScript("CSU.endPress && CSU.endPress()")
