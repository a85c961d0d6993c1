"""The video wall: tiles in a layout (n×n grid or one big tile with small ones) and the
one timer that watches them all.

Tiles outside the layout are hidden, and a hidden tile stops its player (no decoding for
pictures nobody sees). One QTimer for the whole wall runs every tile's watchdog: a timer
per tile would wake the GUI thread once per tile for the same work.
A double-click (or Enter) maximises a tile and switches it to the camera's main stream;
another double-click (or Enter, or Escape) restores the layout and the sub stream.

Drag and drop: a camera dragged from the camera list (or anything that carries
`CAMERA_MIME`, or the text "csu-camera:<id>" as a web page can) onto a tile is *asked for*
through `camera_dropped` — the window decides, because a body camera needs a reason first
(CSI L241-2); a tile dragged onto another tile swaps the two. An event filter does it so
that the tile itself stays a player only, and it works over the native video window
because Qt, not libvlc, receives the pointer there (`video_set_mouse_input(False)`; a
real drag over playing video is tested through the X server).

What each tile sees (playing: online; its stream refused or lost: offline) leaves the wall
through one signal, `tile_health`, that the window forwards to the camera health.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import (
    QByteArray,
    QCoreApplication,
    QEvent,
    QMimeData,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QDrag, QDragEnterEvent, QDropEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QVBoxLayout, QWidget

from app.core.layouts import (
    CAMERA_MIME,
    CAMERA_TEXT_PREFIX,
    KINDS,
    MAX_TILES,
    grid_kind,
    tile_count,
)
from app.core.model import Camera, StreamRole
from widgets.video import engine
from widgets.video.tile import VideoTile

TILE_MIME = "application/x-csu-tile"  # payload: "<wall object name>:<tile index>"
GRID_SIZES = (1, 2, 3, 4, 5)
MAX_GRID = 5


def camera_mime(camera_id: str) -> QMimeData:
    """The drag payload of one camera (camera list, map, another wall)."""
    data = QMimeData()
    data.setData(CAMERA_MIME, QByteArray(camera_id.encode()))
    data.setText(CAMERA_TEXT_PREFIX + camera_id)
    return data


class VideoWall(QWidget):
    """A layout of `VideoTile`s; fills them with cameras and keeps them honest."""

    tile_activated = Signal(str)  # camera id
    camera_dropped = Signal(str, int)  # camera id, tile index: the operator asks for it
    layout_changed = Signal()  # kind or cameras changed (to save the wall)
    # what a tile shows now, for the console's camera health: tile key ("<wall>/<index>"),
    # camera id ("" none), "online" / "offline" / "" (no evidence), why in words
    tile_health = Signal(str, str, str, str)

    def __init__(self, parent: QWidget | None = None, *, watchdog_ms: int = 250) -> None:
        super().__init__(parent)
        if not self.objectName():
            self.setObjectName("videoWall")
        self._kind = "2x2"
        self._maximised: int | None = None
        self._callsigns: dict[str, str] = {}
        self._recording: dict[str, tuple[str, str]] = {}
        self._press: tuple[int, QPoint] | None = None
        self._current = 0  # the tile the operator last focused
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
        for i in range(MAX_TILES):
            tile = VideoTile(self)
            tile.activated.connect(lambda cam_id, i=i: self._on_activated(i, cam_id))
            tile.health_changed.connect(
                lambda cam_id, verdict, why, i=i: self.tile_health.emit(
                    self.tile_key(i), cam_id, verdict, why))
            tile.setAcceptDrops(True)
            tile.installEventFilter(self)
            tile.hide()
            self._tiles.append(tile)
        self._timer = QTimer(self)
        self._timer.setInterval(watchdog_ms)
        self._timer.timeout.connect(self._watchdog)
        self._timer.start()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)
        self.layout_changed.connect(self._share_names)
        self._layout_tiles()
        self._retranslate()

    # --- public API -------------------------------------------------------------------

    @property
    def kind(self) -> str:
        """The layout kind: "1", "2x2" … "5x5", "1+5", "1+7", "1+12"."""
        return self._kind

    @property
    def grid(self) -> int:
        """Side of the underlying grid (3 for "3x3" and for "1+5")."""
        return KINDS[self._kind][0]

    @property
    def tile_count(self) -> int:
        return tile_count(self._kind)

    @property
    def maximised(self) -> int | None:
        """Index of the maximised tile, or None when the layout is shown."""
        return self._maximised

    def tiles(self) -> list[VideoTile]:
        """The tiles of the current layout, in order (the big tile first)."""
        return self._tiles[: self.tile_count]

    def tile(self, index: int) -> VideoTile:
        return self._tiles[index]

    def tile_key(self, index: int) -> str:
        """A tile's name in the camera health (unique across walls)."""
        return f"{self.objectName()}/{index}"

    def index_of(self, tile: QObject | None) -> int | None:
        """The index of a tile, or of the tile that holds `tile` (a child widget)."""
        while tile is not None:
            if isinstance(tile, VideoTile) and tile in self._tiles:
                return self._tiles.index(tile)
            tile = tile.parent()
        return None

    def current_index(self) -> int:
        """The tile the operator is on: maximised, else focused, else the last focused."""
        if self._maximised is not None:
            return self._maximised
        focused = self.index_of(QApplication.focusWidget())
        if focused is None:
            focused = self._current
        return focused if focused < self.tile_count else 0

    def camera_ids(self) -> tuple[str, ...]:
        """The camera of each tile of the layout ("" for an empty tile), trailing empties cut."""
        ids = [t.camera.id if t.camera else "" for t in self.tiles()]
        while ids and not ids[-1]:
            ids.pop()
        return tuple(ids)

    def set_layout(self, kind: str) -> None:
        """Switch to a layout kind; tiles that fall outside stop playing (cameras kept)."""
        if kind not in KINDS:
            raise ValueError(f"layout must be one of {tuple(KINDS)}, got {kind!r}")
        if self._maximised is not None:
            self._restore()
        self._kind = kind
        self._layout_tiles()
        self.layout_changed.emit()

    def set_grid(self, n: int) -> None:
        """Show an n×n grid (1-5)."""
        if n not in GRID_SIZES:
            raise ValueError(f"grid size must be one of {GRID_SIZES}, got {n}")
        self.set_layout(grid_kind(n))

    def show_cameras(self, cameras: Sequence[Camera | None]) -> None:
        """Fill the layout's tiles in order; None and tiles left over become empty. A new
        wall: every tile's mark (a tour, "was <name>") goes with the old one."""
        if self._maximised is not None:
            self._restore()
        for tile in self._tiles:
            tile.set_badge("")
        for i, tile in enumerate(self.tiles()):
            cam = cameras[i] if i < len(cameras) else None
            if cam is not None:
                self._play(tile, cam, StreamRole.SUB)
            else:
                tile.clear()
        self.layout_changed.emit()

    def show_camera(self, camera: Camera, index: int | None = None) -> int:
        """Put one camera in tile `index` (default: the first empty tile, else the first).
        Returns the index used. The tile's mark goes (a tour that steps sets it again)."""
        tiles = self.tiles()
        if index is None:
            index = next((i for i, t in enumerate(tiles) if t.camera is None), 0)
        if not 0 <= index < len(tiles):
            raise IndexError(f"tile {index} is outside the {self._kind} layout")
        role = StreamRole.MAIN if self._maximised == index else StreamRole.SUB
        tiles[index].set_badge("")
        self._play(tiles[index], camera, role)
        self.layout_changed.emit()
        return index

    def clear_tile(self, index: int) -> None:
        self._tiles[index].clear()
        self.layout_changed.emit()

    def swap(self, a: int, b: int) -> None:
        """Exchange the cameras of two tiles (a tile dragged onto another)."""
        if a == b:
            return
        ta, tb = self._tiles[a], self._tiles[b]
        ca, cb = ta.camera, tb.camera
        for tile, cam in ((ta, cb), (tb, ca)):
            if cam is None:
                tile.clear()
            else:
                role = StreamRole.MAIN if self._maximised == self._tiles.index(tile) \
                    else StreamRole.SUB
                self._play(tile, cam, role)
        self.layout_changed.emit()

    def set_recording(self, camera_id: str, state: str, detail: str = "") -> None:
        """The recorder's state of a camera, on the tiles that show it."""
        self._recording[camera_id] = (state, detail)
        for tile in self._tiles:
            if tile.camera is not None and tile.camera.id == camera_id:
                tile.set_recording(state, detail)

    def set_callsign(self, camera_id: str, callsign: str) -> None:
        """The officer callsign shown on the tiles of a body camera."""
        self._callsigns[camera_id] = callsign
        for tile in self._tiles:
            if tile.camera is not None and tile.camera.id == camera_id:
                tile.set_callsign(callsign)

    def clear(self) -> None:
        for tile in self._tiles:
            tile.clear()
        self.layout_changed.emit()

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
        tile.setFocus()

    def restore(self) -> None:
        """Back to the layout from a maximised tile."""
        if self._maximised is not None:
            self._restore()

    def shutdown(self) -> None:
        """Stop the watchdog and free every player (the console is closing)."""
        self._timer.stop()
        for i, tile in enumerate(self._tiles):
            tile.release()
            self.tile_health.emit(self.tile_key(i), "", "", "")  # it shows nothing any more

    # --- drag and drop ----------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        index = self.index_of(watched)
        if index is None:
            return False
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDropEvent)
            mime = event.mimeData()
            if mime.hasFormat(CAMERA_MIME) or mime.hasFormat(TILE_MIME) \
                    or mime.text().startswith(CAMERA_TEXT_PREFIX):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            return self._drop(index, event.mimeData(), event)
        elif kind == QEvent.Type.MouseButtonPress:
            assert isinstance(event, QMouseEvent)
            if event.button() == Qt.MouseButton.LeftButton:
                self._press = (index, event.globalPosition().toPoint())
        elif kind == QEvent.Type.MouseMove:
            assert isinstance(event, QMouseEvent)
            self._maybe_drag(event)
        elif kind == QEvent.Type.MouseButtonRelease:
            self._press = None
        elif kind == QEvent.Type.FocusIn:
            self._current = index
        elif kind == QEvent.Type.KeyPress and self._maximised == index:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape:  # back to the layout, like a double-click
                self._restore()
                return True
        return False

    def _drop(self, index: int, mime: QMimeData, event: QDropEvent | None = None) -> bool:
        if mime.hasFormat(TILE_MIME):
            wall, _, src = bytes(mime.data(TILE_MIME).data()).decode().partition(":")
            if wall == self.objectName() and src.isdigit():
                self.swap(int(src), index)
                if event is not None:
                    event.acceptProposedAction()
                return True
        camera_id = ""
        if mime.hasFormat(CAMERA_MIME):
            camera_id = bytes(mime.data(CAMERA_MIME).data()).decode()
        elif mime.text().startswith(CAMERA_TEXT_PREFIX):  # from the map's web page
            camera_id = mime.text()[len(CAMERA_TEXT_PREFIX):].strip()
        if camera_id:
            if event is not None:
                event.acceptProposedAction()
            self.camera_dropped.emit(camera_id, index)
            return True
        return False

    def drop_mime(self, index: int, mime: QMimeData) -> bool:
        """What a drop of `mime` on tile `index` does (the drop path, also for tests:
        a real QDrag runs a nested event loop that a test cannot drive)."""
        return self._drop(index, mime)

    def _maybe_drag(self, event: QMouseEvent) -> None:
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        index, start = self._press
        if (event.globalPosition().toPoint() - start).manhattanLength() \
                < QApplication.startDragDistance():
            return
        self._press = None
        cam = self._tiles[index].camera
        if cam is None:
            return
        mime = camera_mime(cam.id)
        mime.setData(TILE_MIME, QByteArray(f"{self.objectName()}:{index}".encode()))
        drag = QDrag(self._tiles[index])
        drag.setMimeData(mime)
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction)

    # --- internals --------------------------------------------------------------------

    def _play(self, tile: VideoTile, camera: Camera, role: StreamRole) -> None:
        tile.play(camera, role)
        if camera.id in self._callsigns:
            tile.set_callsign(self._callsigns[camera.id])
        tile.set_recording(*self._recording.get(camera.id, ("", "")))
        if self._banner.isHidden():
            self._retranslate()  # first camera: load libvlc, say once if it is missing

    def _restore(self) -> None:
        index, self._maximised = self._maximised, None
        self._layout_tiles()
        if index is not None:
            tile = self._tiles[index]
            if tile.camera is not None:
                self._play(tile, tile.camera, StreamRole.SUB)
            tile.setFocus()

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
            side, cells = KINDS[self._kind]
            shown = set(range(len(cells)))
            for i, (r, c, rs, cs) in enumerate(cells):
                self._grid.addWidget(self._tiles[i], r, c, rs, cs)
            for i in range(side):
                self._grid.setRowStretch(i, 1)
                self._grid.setColumnStretch(i, 1)
        for i, tile in enumerate(self._tiles):
            if i not in shown:
                tile.hide()  # its hideEvent stops the player
        for i in sorted(shown):
            self._tiles[i].show()

    def _share_names(self) -> None:
        """Each tile learns the names on the others: a name cut to fit must not read like
        another tile's (two tiles showing "Etelä…")."""
        names = [t.camera.name if t.camera else "" for t in self.tiles()]
        for i, tile in enumerate(self.tiles()):
            tile.set_other_names([n for j, n in enumerate(names) if j != i and n])

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
        # engine notices (no libvlc, no RTSP in libvlc, no engine at all): engine.wall_notice
        notice = engine.wall_notice([t.url for t in self._tiles if t.camera is not None])
        self._banner.setText(notice)
        self._banner.setVisible(bool(notice))

    def _has_cameras(self) -> bool:
        return any(t.camera is not None for t in self._tiles)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
