"""What a person sees, read from the X server: `QWidget.grab()` cannot see native video
windows, the screen grab does."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication, QImage

from app.adapters.demo import identity_code
from tests.servers.clock import decode_clock
from widgets.replay.tile import ReplayTile
from widgets.video.tile import HEADER_H, VideoTile


def grab_screen() -> np.ndarray:
    """The X server's picture of the whole screen, as an RGB array."""
    img = QGuiApplication.primaryScreen().grabWindow(0).toImage().convertToFormat(
        QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    rows = np.frombuffer(img.constBits(), np.uint8, count=h * bpl).reshape(h, bpl)
    return rows[:, : w * 3].reshape(h, w, 3).copy()


def video_rect(tile: VideoTile) -> QRect:
    """Where the tile's picture belongs on the screen: its surface, or, while a message
    hides the surface (whose geometry then goes stale), the tile below its header."""
    s = tile.surface()
    if s.isVisible():
        return QRect(s.mapToGlobal(QPoint(0, 0)), s.size())
    top_left = tile.mapToGlobal(QPoint(1, 1 + HEADER_H))
    return QRect(top_left.x(), top_left.y(), tile.width() - 2, tile.height() - 2 - HEADER_H)


def surface_pixels(screen: np.ndarray, tile: VideoTile, inset: int = 6) -> np.ndarray:
    """The part of a screen grab where the tile's video surface is."""
    r = video_rect(tile)
    return screen[r.y() + inset: r.y() + r.height() - inset,
                  r.x() + inset: r.x() + r.width() - inset]


def shows_picture(screen: np.ndarray, tile: VideoTile) -> bool:
    px = surface_pixels(screen, tile)
    return px.size > 0 and float(px.std()) > 15.0


def moved(before: np.ndarray, after: np.ndarray, tile: VideoTile) -> bool:
    """The tile's picture changed: at least the burned-in clock's digits (a mean over the
    whole tile is too weak when only the clock and a few cars move)."""
    diff = np.abs(surface_pixels(after, tile).astype(int)
                  - surface_pixels(before, tile).astype(int)).max(axis=2)
    return int((diff > 40).sum()) >= 50


def picture_rect(tile: VideoTile, frame: tuple[int, int] = (480, 270)) -> QRect:
    """Where the engine draws the picture in the tile's surface, in screen coordinates:
    scaled to fit, aspect kept, centred (libvlc's default)."""
    area = video_rect(tile)
    top_left = area.topLeft()
    fw, fh = frame
    sw, sh = area.width(), area.height()
    if sw * fh > sh * fw:  # wider than the picture: bars left and right
        pw, ph = round(sh * fw / fh), sh
    else:
        pw, ph = sw, round(sw * fh / fw)
    return QRect(top_left.x() + (sw - pw) // 2, top_left.y() + (sh - ph) // 2, pw, ph)


def read_identity(screen: np.ndarray, tile: VideoTile,
                  frame: tuple[int, int] = (480, 270)) -> int | None:
    """The camera number a tile shows, read from the blocks the synthetic cameras burn in
    (`app.adapters.demo.identity_code`); None when the tile shows no such code."""
    pic = picture_rect(tile, frame)
    fw, fh = frame
    sx, sy = pic.width() / fw, pic.height() / fh
    _box, cells = identity_code.cells(fw, fh)
    white: list[bool] = []
    for x0, y0, x1, y1 in cells:
        # the middle half of the block: clear of the blurred edges of a scaled picture
        ax = pic.x() + (x0 + (x1 - x0) / 4) * sx
        bx = pic.x() + (x1 - (x1 - x0) / 4) * sx
        ay = pic.y() + (y0 + (y1 - y0) / 4) * sy
        by = pic.y() + (y1 - (y1 - y0) / 4) * sy
        xa, xb = int(ax), max(int(ax) + 1, round(bx))
        ya, yb = int(ay), max(int(ay) + 1, round(by))
        if not (0 <= xa < xb <= screen.shape[1] and 0 <= ya < yb <= screen.shape[0]):
            return None
        white.append(float(screen[ya:yb, xa:xb].mean()) > 128.0)
    return identity_code.decode(white)


def replay_clock_on_screen(screen: np.ndarray, tile: ReplayTile) -> int | None:
    """The burned-in clock (tests/servers/clock.py) of the picture a replay tile shows,
    read from the X server's grab."""
    r = tile.picture_rect()
    if r.isEmpty():
        return None
    top = tile.mapToGlobal(QPoint(r.x(), r.y()))
    return decode_clock(screen[top.y():top.y() + r.height(), top.x():top.x() + r.width()])
