"""Tools on a wall tile: digital zoom, PTZ, snapshot, "show on map".

Qt cannot paint over the native window libvlc draws in, so no tool draws on the picture:
zoom is done by libvlc itself (crop geometry, `VideoTile.set_zoom`), the zoom rectangle is
a top-level rubber band (a separate window, which can sit over the video), and the PTZ
pad is a small tool window beside the tile.

Nothing here blocks the GUI thread: PTZ orders go to `runtime.ptz` from a worker (its
answer, or its failure in plain words, comes back through a signal), and a snapshot is
taken by libvlc and stamped with camera, time and operator on a worker too.
"""

from __future__ import annotations

import concurrent.futures
import logging
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QRubberBand,
    QVBoxLayout,
    QWidget,
)

from app.core.adapter import PtzCommand
from app.core.model import Camera
from widgets.video.tile import VideoTile
from widgets.video.wall import VideoWall

log = logging.getLogger(__name__)

MAX_ZOOM = 8.0
ZOOM_STEP = 1.25
PTZ_SPEED = 0.5
PTZ_TIMEOUT_S = 10.0
Frac = tuple[float, float, float, float]


def zoom_rect(cx: float, cy: float, factor: float) -> Frac | None:
    """The part of the picture (x, y, w, h in fractions) a zoom of `factor` centred on
    (cx, cy) shows, kept inside the picture; None at 1× (the whole picture)."""
    factor = min(MAX_ZOOM, factor)
    if factor <= 1.0:
        return None
    size = 1.0 / factor
    x = min(max(cx - size / 2, 0.0), 1.0 - size)
    y = min(max(cy - size / 2, 0.0), 1.0 - size)
    return (x, y, size, size)


def stamp_snapshot(src: Path, dst: Path, lines: list[str]) -> None:
    """Write `lines` (camera, time, operator) in a strip under the picture, save as PNG.
    QImage/QPainter work off the GUI thread (no widget is involved)."""
    picture = QImage(str(src))
    if picture.isNull():
        raise OSError(f"the video engine wrote no readable picture ({src.name})")
    font = QFont()
    font.setPixelSize(max(12, picture.height() // 30))
    line_h = int(font.pixelSize() * 1.4)
    out = QImage(picture.width(), picture.height() + line_h * len(lines) + 8,
                 QImage.Format.Format_RGB32)
    out.fill(QColor("black"))
    painter = QPainter(out)
    try:
        painter.drawImage(0, 0, picture)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        for i, line in enumerate(lines):
            painter.drawText(QRect(8, picture.height() + 4 + i * line_h, out.width() - 16,
                                   line_h), int(Qt.AlignmentFlag.AlignVCenter), line)
    finally:
        painter.end()
    dst.parent.mkdir(parents=True, exist_ok=True)
    if not out.save(str(dst)):  # PNG, from the file name
        raise OSError(f"cannot write {dst}")


def _tr(text: str) -> str:
    return QCoreApplication.translate("TileTools", text)


def ptz_failure_text(exc: BaseException) -> str:
    """A PTZ failure in words an operator can act on."""
    if isinstance(exc, KeyError):
        return _tr("the camera is not served by any connected system")
    if isinstance(exc, TimeoutError | concurrent.futures.TimeoutError):
        return _tr("the camera did not answer within %1 s").replace(
            "%1", str(int(PTZ_TIMEOUT_S)))
    if isinstance(exc, NotImplementedError):
        return _tr("this camera cannot be moved from the console")
    return _tr("the camera refused the order (%1)").replace("%1", str(exc) or
                                                                   type(exc).__name__)


class PtzPad(QWidget):
    """A small tool window: hold an arrow to move, release to stop; zoom in/out."""

    def __init__(self, tools: TileTools, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool)
        self.setObjectName("ptzPad")
        self.tools, self.index = tools, index
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #ffab91;")
        grid = QGridLayout()
        self.buttons: dict[str, QPushButton] = {}
        moves = {"up": (0, 1, 0.0, PTZ_SPEED, 0.0), "left": (1, 0, -PTZ_SPEED, 0.0, 0.0),
                 "right": (1, 2, PTZ_SPEED, 0.0, 0.0), "down": (2, 1, 0.0, -PTZ_SPEED, 0.0),
                 "zoom_in": (0, 3, 0.0, 0.0, PTZ_SPEED), "zoom_out": (2, 3, 0.0, 0.0, -PTZ_SPEED)}
        labels = {"up": "▲", "left": "◀", "right": "▶", "down": "▼", "zoom_in": "+",
                  "zoom_out": "−"}
        for name, (r, c, pan, tilt, zoom) in moves.items():
            b = QPushButton(labels[name], self)
            b.setFixedSize(QSize(40, 32))
            b.setAutoRepeat(False)
            b.pressed.connect(lambda p=pan, t=tilt, z=zoom: self._move(p, t, z))
            b.released.connect(lambda: self._move(0.0, 0.0, 0.0))
            grid.addWidget(b, r, c)
            self.buttons[name] = b
        self.preset = QLineEdit(self)
        self.preset.setPlaceholderText(self.tr("Preset (Enter to go)"))
        self.preset.returnPressed.connect(self._go_preset)
        col = QVBoxLayout(self)
        col.addLayout(grid)
        col.addWidget(self.preset)
        col.addWidget(self.status)
        tools.ptz_failed.connect(self._failed)

    def _move(self, pan: float, tilt: float, zoom: float) -> None:
        self.status.clear()
        self.tools.ptz_move(self.index, pan, tilt, zoom)

    def _go_preset(self) -> None:
        if self.preset.text().strip():
            self.status.clear()
            self.tools.ptz_preset(self.index, self.preset.text().strip())

    def _failed(self, camera_id: str, text: str) -> None:
        cam = self.tools.wall.tile(self.index).camera
        if cam is not None and cam.id == camera_id:
            self.status.setText(text)


class TileTools(QObject):
    """The tools of every tile of one wall (one event filter, one worker)."""

    show_on_map = Signal(str)  # camera id
    message = Signal(str)  # a line for the status bar
    ptz_failed = Signal(str, str)  # camera id, what went wrong in plain words
    snapshot_saved = Signal(str)  # path of the PNG

    def __init__(self, wall: VideoWall, *, operator: Callable[[], str], snapshot_dir: Path,
                 ptz: Callable[[PtzCommand], concurrent.futures.Future[Any]] | None = None,
                 audit: Callable[[str, str, str], object] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent or wall)
        self.wall = wall
        self.operator = operator  # who is on duty now
        self.snapshot_dir = snapshot_dir
        self._ptz = ptz
        self._audit = audit
        self._io = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="tile-tools")
        self._zoom: dict[int, tuple[float, float, float]] = {}  # cx, cy, factor
        self._band: QRubberBand | None = None
        self._band_from: tuple[int, QPoint] | None = None
        self._pads: dict[int, PtzPad] = {}
        self._ptz_keys: set[int] = set()
        for tile in wall._tiles:
            tile.installEventFilter(self)
            tile.state_changed.connect(lambda _s, t=tile: self._tile_changed(t))
        wall.destroyed.connect(lambda: self._io.shutdown(wait=False))

    def shutdown(self) -> None:
        """Wait for a snapshot or PTZ order under way: the players go next."""
        self._io.shutdown(wait=True, cancel_futures=True)

    # --- zoom -------------------------------------------------------------------------

    def zoom(self, index: int) -> Frac | None:
        cx, cy, f = self._zoom.get(index, (0.5, 0.5, 1.0))
        return zoom_rect(cx, cy, f)

    def zoom_by(self, index: int, step: float, at: tuple[float, float] | None = None) -> None:
        """Zoom in (step > 1) or out, keeping the picture point under `at` (surface
        fractions) where it is."""
        cx, cy, f = self._zoom.get(index, (0.5, 0.5, 1.0))
        rect = zoom_rect(cx, cy, f) or (0.0, 0.0, 1.0, 1.0)
        u, v = at if at is not None else (0.5, 0.5)
        px, py = rect[0] + u * rect[2], rect[1] + v * rect[3]  # picture point under cursor
        nf = min(MAX_ZOOM, max(1.0, f * step))
        size = 1.0 / nf
        self._set_zoom(index, px - u * size + size / 2, py - v * size + size / 2, nf)

    def zoom_to(self, index: int, rect: Frac) -> None:
        """Zoom on a rectangle of the surface (fractions), e.g. drawn with Shift+drag."""
        cur = self.zoom(index) or (0.0, 0.0, 1.0, 1.0)
        x, y, w, h = rect
        side = max(w, h, 1.0 / MAX_ZOOM)
        cx = cur[0] + (x + w / 2) * cur[2]
        cy = cur[1] + (y + h / 2) * cur[3]
        self._set_zoom(index, cx, cy, 1.0 / (side * cur[2]))

    def reset_zoom(self, index: int) -> None:
        self._set_zoom(index, 0.5, 0.5, 1.0)

    def _set_zoom(self, index: int, cx: float, cy: float, factor: float) -> None:
        factor = min(MAX_ZOOM, max(1.0, factor))
        rect = zoom_rect(cx, cy, factor)
        if rect is None:
            self._zoom.pop(index, None)
        else:
            self._zoom[index] = (rect[0] + rect[2] / 2, rect[1] + rect[3] / 2, factor)
        if not self.wall.tile(index).set_zoom(rect) and rect is not None:
            self.message.emit(self.tr("Zoom waits for the picture"))

    def _tile_changed(self, tile: VideoTile) -> None:
        """A new camera or a reconnection starts unzoomed in libvlc: forget our zoom."""
        index = self.wall.index_of(tile)
        if index is not None and tile.camera is None:
            self._zoom.pop(index, None)

    # --- PTZ --------------------------------------------------------------------------

    def can_ptz(self, index: int) -> bool:
        cam = self.wall.tile(index).camera
        return cam is not None and cam.ptz and self._ptz is not None

    def ptz_move(self, index: int, pan: float, tilt: float, zoom: float) -> None:
        """A continuous move (all zero = stop), sent from a worker."""
        cam = self.wall.tile(index).camera
        if cam is None or not self.can_ptz(index):
            return
        self._io.submit(self._send_ptz, PtzCommand(cam.id, pan, tilt, zoom))

    def ptz_preset(self, index: int, preset: str) -> None:
        """Send the camera to one of its presets (its own names or numbers)."""
        cam = self.wall.tile(index).camera
        if cam is not None and self.can_ptz(index):
            self._io.submit(self._send_ptz, PtzCommand(cam.id, preset=preset))

    def _send_ptz(self, command: PtzCommand) -> None:
        assert self._ptz is not None
        try:
            self._ptz(command).result(timeout=PTZ_TIMEOUT_S)
        except BaseException as exc:  # any failure is shown, never raised into Qt
            log.warning("PTZ %s failed: %r", command, exc)
            text = self.tr("PTZ on %1: %2").replace("%1", command.camera_id).replace(
                "%2", ptz_failure_text(exc))
            self.ptz_failed.emit(command.camera_id, text)
            self.message.emit(text)

    def open_ptz_pad(self, index: int) -> PtzPad | None:
        if not self.can_ptz(index):
            self.message.emit(self.tr("This camera cannot be moved from the console"))
            return None
        pad = self._pads.get(index)
        if pad is None:
            pad = PtzPad(self, index, self.wall.window())
            self._pads[index] = pad
        tile = self.wall.tile(index)
        cam = tile.camera
        pad.setWindowTitle(self.tr("PTZ — %1").replace("%1", cam.name if cam else ""))
        pad.move(tile.mapToGlobal(QPoint(tile.width() - 200, 30)))
        pad.show()
        pad.raise_()
        return pad

    # --- snapshot ---------------------------------------------------------------------

    def snapshot(self, index: int) -> concurrent.futures.Future[Path] | None:
        """Save the tile's picture, stamped with camera, time and operator, as a PNG."""
        tile = self.wall.tile(index)
        cam = tile.camera
        if cam is None:
            return None
        now = datetime.now().astimezone()
        lines = [f"{cam.name} ({cam.id})", now.strftime("%Y-%m-%d %H:%M:%S %Z"),
                 self.tr("Operator: %1").replace("%1", self.operator())]
        dst = self.snapshot_dir / f"{cam.id}-{now.strftime('%Y%m%d-%H%M%S-%f')}.png"
        if self._audit is not None:  # an extraction of video: who, when, what (CSI R241-14)
            self._audit("snapshot", f"camera:{cam.id}", str(dst))
        return self._io.submit(self._take, tile, cam, lines, dst)

    def _take(self, tile: VideoTile, cam: Camera, lines: list[str], dst: Path) -> Path:
        try:
            with tempfile.TemporaryDirectory(prefix="csu-snap-") as tmp:
                raw = Path(tmp) / "raw.png"
                if not tile.snapshot_to(str(raw)) or not raw.exists():
                    raise OSError(self.tr("no picture to take (the tile is not playing)"))
                stamp_snapshot(raw, dst, lines)
        except Exception as exc:
            self.message.emit(self.tr("Snapshot of %1 failed: %2").replace(
                "%1", cam.name).replace("%2", str(exc)))
            raise
        self.message.emit(self.tr("Snapshot saved: %1").replace("%1", str(dst)))
        self.snapshot_saved.emit(str(dst))
        return dst

    # --- menu and events --------------------------------------------------------------

    def menu(self, index: int, parent: QWidget | None = None) -> QMenu:
        """The tile's context menu (the same actions have window shortcuts)."""
        menu = QMenu(parent)
        cam = self.wall.tile(index).camera

        def add(text: str, key: str, slot: Callable[[], object], enabled: bool = True) -> None:
            act = QAction(text, menu)
            act.setShortcut(key)
            act.setEnabled(enabled and cam is not None)
            act.triggered.connect(slot)
            menu.addAction(act)

        add(self.tr("Zoom in"), "+", lambda: self.zoom_by(index, ZOOM_STEP))
        add(self.tr("Zoom out"), "-", lambda: self.zoom_by(index, 1 / ZOOM_STEP))
        add(self.tr("Reset zoom"), "0", lambda: self.reset_zoom(index))
        menu.addSeparator()
        add(self.tr("PTZ controls…"), "Ctrl+Shift+P", lambda: self.open_ptz_pad(index),
            self.can_ptz(index))
        add(self.tr("Snapshot"), "Ctrl+Shift+S", lambda: self.snapshot(index))
        add(self.tr("Show on map"), "Ctrl+Shift+M",
            lambda: self.show_on_map.emit(cam.id if cam else ""))
        add(self.tr("Clear tile"), "Del", lambda: self.wall.clear_tile(index))
        return menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        index = self.wall.index_of(watched)
        if index is None or self.wall.tile(index).camera is None:
            return False
        kind = event.type()
        tile = self.wall.tile(index)
        if kind == QEvent.Type.Wheel:
            assert isinstance(event, QWheelEvent)
            self.zoom_by(index, ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP,
                         self._surface_frac(tile, event.position().toPoint()))
            return True
        if kind == QEvent.Type.ContextMenu:
            self.menu(index, tile).exec(tile.cursor().pos())
            return True
        if kind == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(index, event, pressed=True)
        if kind == QEvent.Type.KeyRelease:
            assert isinstance(event, QKeyEvent)
            return self._key(index, event, pressed=False)
        if isinstance(event, QMouseEvent):
            return self._band_event(index, tile, event)
        return False

    _PTZ_KEYS: dict[int, tuple[float, float, float]] = {
        Qt.Key.Key_Left: (-PTZ_SPEED, 0.0, 0.0), Qt.Key.Key_Right: (PTZ_SPEED, 0.0, 0.0),
        Qt.Key.Key_Up: (0.0, PTZ_SPEED, 0.0), Qt.Key.Key_Down: (0.0, -PTZ_SPEED, 0.0),
        Qt.Key.Key_PageUp: (0.0, 0.0, PTZ_SPEED), Qt.Key.Key_PageDown: (0.0, 0.0, -PTZ_SPEED),
    }

    def _key(self, index: int, event: QKeyEvent, *, pressed: bool) -> bool:
        key = event.key()
        if key in self._PTZ_KEYS and self.can_ptz(index):
            if event.isAutoRepeat():
                return True
            if pressed:
                self._ptz_keys.add(key)
                self.ptz_move(index, *self._PTZ_KEYS[key])
            elif key in self._ptz_keys:
                self._ptz_keys.discard(key)
                self.ptz_move(index, 0.0, 0.0, 0.0)
            return True
        if not pressed:
            return False
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(index, ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(index, 1 / ZOOM_STEP)
        elif key == Qt.Key.Key_0:
            self.reset_zoom(index)
        elif key == Qt.Key.Key_Delete:
            self.wall.clear_tile(index)
        else:
            return False
        return True

    def _surface_frac(self, tile: VideoTile, pos: QPoint) -> tuple[float, float]:
        s = tile.surface()
        p = s.mapFrom(tile, pos)
        return (min(max(p.x() / max(1, s.width()), 0.0), 1.0),
                min(max(p.y() / max(1, s.height()), 0.0), 1.0))

    def _band_event(self, index: int, tile: VideoTile, event: QMouseEvent) -> bool:
        """Shift+drag on the picture draws the zoom rectangle (a top-level rubber band:
        a child one would be hidden under the native video window)."""
        kind = event.type()
        gpos = event.globalPosition().toPoint()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton \
                and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._band_from = (index, gpos)
            if self._band is None:
                self._band = QRubberBand(QRubberBand.Shape.Rectangle)
            self._band.setGeometry(QRect(gpos, QSize()))
            self._band.show()
            return True
        if self._band_from is None or self._band_from[0] != index or self._band is None:
            return False
        if kind == QEvent.Type.MouseMove:
            self._band.setGeometry(QRect(self._band_from[1], gpos).normalized())
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            self._band.hide()
            start, self._band_from = self._band_from[1], None
            s = tile.surface()
            a, b = s.mapFromGlobal(start), s.mapFromGlobal(gpos)
            w, h = max(1, s.width()), max(1, s.height())
            r = QRect(a, b).normalized()
            if r.width() > 8 and r.height() > 8:
                self.zoom_to(index, (max(0, r.x()) / w, max(0, r.y()) / h,
                                     min(r.width(), w) / w, min(r.height(), h) / h))
            return True
        return False
