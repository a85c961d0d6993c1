"""What a person sees, read from the X server: `QWidget.grab()` cannot see native video
windows, the screen grab does."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint
from PySide6.QtGui import QGuiApplication, QImage

from widgets.video.tile import VideoTile


def grab_screen() -> np.ndarray:
    """The X server's picture of the whole screen, as an RGB array."""
    img = QGuiApplication.primaryScreen().grabWindow(0).toImage().convertToFormat(
        QImage.Format.Format_RGB888)
    w, h, bpl = img.width(), img.height(), img.bytesPerLine()
    rows = np.frombuffer(img.constBits(), np.uint8, count=h * bpl).reshape(h, bpl)
    return rows[:, : w * 3].reshape(h, w, 3).copy()


def surface_pixels(screen: np.ndarray, tile: VideoTile, inset: int = 6) -> np.ndarray:
    """The part of a screen grab where the tile's video surface is."""
    s = tile.surface()
    p = s.mapToGlobal(QPoint(0, 0))
    return screen[p.y() + inset: p.y() + s.height() - inset,
                  p.x() + inset: p.x() + s.width() - inset]


def shows_picture(screen: np.ndarray, tile: VideoTile) -> bool:
    px = surface_pixels(screen, tile)
    return px.size > 0 and float(px.std()) > 15.0


def moved(before: np.ndarray, after: np.ndarray, tile: VideoTile) -> bool:
    """The tile's picture changed: at least the burned-in clock's digits (a mean over the
    whole tile is too weak when only the clock and a few cars move)."""
    diff = np.abs(surface_pixels(after, tile).astype(int)
                  - surface_pixels(before, tile).astype(int)).max(axis=2)
    return int((diff > 40).sum()) >= 50
