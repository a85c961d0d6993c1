"""The video wall: an n×n grid of tiles and the one timer that watches them all.

Tiles beyond the grid are hidden, and a hidden tile stops its player (no decoding for
pictures nobody sees). One QTimer for the whole wall runs every tile's watchdog: a timer
per tile would wake the GUI thread n² times as often for the same work.
A double-click maximises a tile and switches it to the camera's main stream; another
double-click restores the grid and the sub stream.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from app.core.model import Camera, StreamRole
from widgets.video import engine
from widgets.video.tile import VideoTile

MAX_GRID = 4
GRID_SIZES = (1, 2, 3, 4)


class VideoWall(QWidget):
    """A grid of `VideoTile`s; fills them with cameras and keeps them honest."""

    tile_activated = Signal(str)  # camera id

    def __init__(self, parent: QWidget | None = None, *, watchdog_ms: int = 500) -> None:
        super().__init__(parent)
        self.setObjectName("videoWall")
        self._n = 2
        self._maximised: int | None = None
        self._callsigns: dict[str, str] = {}
        self._banner = QLabel(self)
        self._banner.setWordWrap(True)
        self._banner.setStyleSheet("background: #4a1f1f; color: #ffcdd2; padding: 4px 8px;")
        self._banner.hide()
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(0)
        col.addWidget(self._banner)
        col.addLayout(self._grid, 1)
        self._tiles: list[VideoTile] = []
        for i in range(MAX_GRID * MAX_GRID):
            tile = VideoTile(self)
            tile.activated.connect(lambda cam_id, i=i: self._on_activated(i, cam_id))
            tile.hide()
            self._tiles.append(tile)
        self._timer = QTimer(self)
        self._timer.setInterval(watchdog_ms)
        self._timer.timeout.connect(self._watchdog)
        self._timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self._layout_tiles()
        self._retranslate()

    # --- public API -------------------------------------------------------------------

    @property
    def grid(self) -> int:
        return self._n

    @property
    def maximised(self) -> int | None:
        """Index of the maximised tile, or None when the grid is shown."""
        return self._maximised

    def tiles(self) -> list[VideoTile]:
        """The tiles of the current grid, row by row."""
        return self._tiles[: self._n * self._n]

    def tile(self, index: int) -> VideoTile:
        return self._tiles[index]

    def set_grid(self, n: int) -> None:
        """Show an n×n grid (1-4); tiles that fall outside stop playing."""
        if n not in GRID_SIZES:
            raise ValueError(f"grid size must be one of {GRID_SIZES}, got {n}")
        if self._maximised is not None:
            self._restore()
        self._n = n
        self._layout_tiles()

    def show_cameras(self, cameras: list[Camera]) -> None:
        """Fill the grid's tiles in order; tiles left over become empty."""
        if self._maximised is not None:
            self._restore()
        for i, tile in enumerate(self.tiles()):
            if i < len(cameras):
                self._play(tile, cameras[i], StreamRole.SUB)
            else:
                tile.clear()

    def show_camera(self, camera: Camera, index: int | None = None) -> int:
        """Put one camera in tile `index` (default: the first empty tile, else the first).
        Returns the index used."""
        tiles = self.tiles()
        if index is None:
            index = next((i for i, t in enumerate(tiles) if t.camera is None), 0)
        if not 0 <= index < len(tiles):
            raise IndexError(f"tile {index} is outside the {self._n}×{self._n} grid")
        role = StreamRole.MAIN if self._maximised == index else StreamRole.SUB
        self._play(tiles[index], camera, role)
        return index

    def set_callsign(self, camera_id: str, callsign: str) -> None:
        """The officer callsign shown on the tiles of a body camera."""
        self._callsigns[camera_id] = callsign
        for tile in self._tiles:
            if tile.camera is not None and tile.camera.id == camera_id:
                tile.set_callsign(callsign)

    def clear(self) -> None:
        for tile in self._tiles:
            tile.clear()

    def maximise(self, index: int) -> None:
        """Show tile `index` alone, on the camera's main stream."""
        if self._maximised == index:
            return
        if self._maximised is not None:
            self._restore()
        tile = self._tiles[index]
        self._maximised = index
        self._layout_tiles()
        if tile.camera is not None:
            self._play(tile, tile.camera, StreamRole.MAIN)

    def restore(self) -> None:
        """Back to the grid from a maximised tile."""
        if self._maximised is not None:
            self._restore()

    def shutdown(self) -> None:
        """Stop the watchdog and free every player (the console is closing)."""
        self._timer.stop()
        for tile in self._tiles:
            tile.release()

    # --- internals --------------------------------------------------------------------

    def _play(self, tile: VideoTile, camera: Camera, role: StreamRole) -> None:
        tile.play(camera, role)
        if camera.id in self._callsigns:
            tile.set_callsign(self._callsigns[camera.id])
        if self._banner.isHidden():
            self._retranslate()  # first camera: load libvlc, say once if it is missing

    def _restore(self) -> None:
        index, self._maximised = self._maximised, None
        self._layout_tiles()
        if index is not None:
            tile = self._tiles[index]
            if tile.camera is not None:
                self._play(tile, tile.camera, StreamRole.SUB)

    def _layout_tiles(self) -> None:
        for tile in self._tiles:
            self._grid.removeWidget(tile)
        for i in range(MAX_GRID):
            self._grid.setRowStretch(i, 0)
            self._grid.setColumnStretch(i, 0)
        if self._maximised is not None:
            shown = {self._maximised}
            self._grid.addWidget(self._tiles[self._maximised], 0, 0)
            self._grid.setRowStretch(0, 1)
            self._grid.setColumnStretch(0, 1)
        else:
            shown = set(range(self._n * self._n))
            for i in sorted(shown):
                self._grid.addWidget(self._tiles[i], i // self._n, i % self._n)
            for i in range(self._n):
                self._grid.setRowStretch(i, 1)
                self._grid.setColumnStretch(i, 1)
        for i, tile in enumerate(self._tiles):
            if i not in shown:
                tile.hide()  # its hideEvent stops the player
        for i in sorted(shown):
            self._tiles[i].show()

    def _on_activated(self, index: int, camera_id: str) -> None:
        if self._maximised == index:
            self._restore()
        else:
            self.maximise(index)
        self.tile_activated.emit(camera_id)

    def _watchdog(self) -> None:
        now = time.monotonic()
        for tile in self._tiles:
            if tile.isVisible():
                tile.watchdog_tick(now)

    def _retranslate(self) -> None:
        status = engine.libvlc_status() if self._has_cameras() else None
        if status is not None and not status.available:
            self._banner.setText(self.tr("Video is unavailable on this workstation: %1")
                                 .replace("%1", status.reason))
            self._banner.show()
        else:
            self._banner.hide()

    def _has_cameras(self) -> bool:
        return any(t.camera is not None for t in self._tiles)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
