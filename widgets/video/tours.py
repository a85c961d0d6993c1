"""Sequences (tours): one tile cycles through a list of cameras, `dwell_s` on each.

A tour never shows a body camera: live body-cam viewing needs a reason for each opening
(CSI L241-2), which an unattended cycle cannot give, so body cams are dropped when the
tour is built and skipped if the world learns later that a camera is one.
Each tour has its own QTimer (a handful at most, unlike tiles), paused and resumed by the
operator; a tile the operator fills by hand stops its tour (see `TourSet.stop`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.model import Camera, CameraKind
from widgets.video.wall import VideoWall

MIN_DWELL_S = 2
DEFAULT_DWELL_S = 10


class Tour(QObject):
    """Cycles tile `index` of `wall` through `camera_ids`."""

    stepped = Signal(str)  # camera id now shown

    def __init__(self, wall: VideoWall, index: int, camera_ids: list[str],
                 lookup: Callable[[str], Camera | None], dwell_s: float = DEFAULT_DWELL_S,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wall, self.index = wall, index
        self._lookup = lookup
        self.camera_ids = [c for c in camera_ids if not self._is_body(c)]
        self.position = -1
        self._timer = QTimer(self)
        self._timer.setInterval(int(max(MIN_DWELL_S, dwell_s) * 1000))
        self._timer.timeout.connect(self.step)

    @property
    def dwell_s(self) -> float:
        return self._timer.interval() / 1000

    @property
    def paused(self) -> bool:
        return not self._timer.isActive()

    def _is_body(self, camera_id: str) -> bool:
        cam = self._lookup(camera_id)
        return cam is not None and cam.kind is CameraKind.BODY

    def start(self) -> None:
        self._timer.start()
        self.step()

    def step(self) -> None:
        """Show the next camera that exists and is not a body cam."""
        for _ in range(len(self.camera_ids)):
            self.position = (self.position + 1) % len(self.camera_ids)
            cam = self._lookup(self.camera_ids[self.position])
            if cam is not None and cam.kind is not CameraKind.BODY:
                if self.index < self.wall.tile_count:
                    self.wall.show_camera(cam, self.index)
                self._badge()
                self.stepped.emit(cam.id)
                return

    def _badge(self) -> None:
        """Say in the tile's header that it tours, where it is, and if it is paused."""
        # words, not a pause glyph: the consoles' fonts may not have one
        text = (self.tr("Tour %1/%2, paused") if self.paused and self.position >= 0
                else self.tr("Tour %1/%2"))
        text = text.replace("%1", str(self.position + 1)).replace(
            "%2", str(len(self.camera_ids)))
        self.wall.tile(self.index).set_badge(text)

    def pause(self) -> None:
        self._timer.stop()
        self._badge()

    def resume(self) -> None:
        self._timer.start()
        self._badge()

    def stop(self) -> None:
        self._timer.stop()
        self.wall.tile(self.index).set_badge("")
        self.deleteLater()


class TourSet(QObject):
    """The tours running on one wall, one per tile at most."""

    changed = Signal()

    def __init__(self, wall: VideoWall, lookup: Callable[[str], Camera | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wall = wall
        self._lookup = lookup
        self.tours: dict[int, Tour] = {}

    def start(self, index: int, camera_ids: list[str], dwell_s: float = DEFAULT_DWELL_S
              ) -> Tour | None:
        """Start a tour on tile `index`; None if no camera in the list may be toured."""
        self.stop(index)
        tour = Tour(self.wall, index, camera_ids, self._lookup, dwell_s, self)
        if not tour.camera_ids:
            tour.deleteLater()
            return None
        self.tours[index] = tour
        tour.start()
        self.changed.emit()
        return tour

    def stop(self, index: int) -> None:
        tour = self.tours.pop(index, None)
        if tour is not None:
            tour.stop()
            self.changed.emit()

    def toggle_pause(self, index: int) -> bool | None:
        """Pause or resume the tour on a tile; its new paused state (None: no tour there)."""
        tour = self.tours.get(index)
        if tour is None:
            return None
        tour.resume() if tour.paused else tour.pause()
        self.changed.emit()
        return tour.paused

    def stop_all(self) -> None:
        for index in list(self.tours):
            self.stop(index)
