"""The burned-in caption as the operator sees it on the wall: real libvlc playing the demo
camera server, read from the X server's picture. Two cameras film the same street; one is
named "Kaivokatu × Rautatientori", the other "Kaivokatu ? Rautatientori". Their pictures
are the same up to the sign, and differ from it on (the sign, and the rest of the name
moved by its different width). Before (OpenCV's Hershey font, ASCII only), the
"×" was drawn as "?": the two tiles were the same picture."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from app.adapters.demo import captions
from app.adapters.demo.camera_server import ROLE_SIZES, CameraServerProcess, SyntheticCamera
from app.core.model import Camera, CameraKind, Streams
from tests.gui.screen import grab_screen, shows_picture
from widgets.video import VideoWall
from widgets.video.tile import TileState, VideoTile

pytestmark = pytest.mark.video

SIGN = SyntheticCamera("sign", "Kaivokatu × Rautatientori", "fixed", seed=4)
ASCII = SyntheticCamera("ascii", "Kaivokatu ? Rautatientori", "fixed", seed=4)


@pytest.fixture
def server() -> Iterator[CameraServerProcess]:
    srv = CameraServerProcess([SIGN, ASCII], fps=10)
    srv.start()
    yield srv
    srv.stop()


def camera(server: CameraServerProcess, s: SyntheticCamera) -> Camera:
    return Camera(s.id, s.name, CameraKind.FIXED,
                  Streams(main=server.url(s.id, "main"), sub=server.url(s.id, "sub")))


def video_of(screen: np.ndarray, tile: VideoTile) -> np.ndarray:
    """The picture inside the tile's surface (libvlc keeps the aspect ratio, centred)."""
    s = tile.surface()
    p = s.mapToGlobal(QPoint(0, 0))
    vw, vh = ROLE_SIZES["sub"]
    scale = min(s.width() / vw, s.height() / vh)
    w, h = round(vw * scale), round(vh * scale)
    x, y = p.x() + (s.width() - w) // 2, p.y() + (s.height() - h) // 2
    return screen[y: y + h, x: x + w].astype(int)


def test_the_sign_in_a_camera_name_is_burned_in_as_written(
        qtbot: QtBot, wall: VideoWall, server: CameraServerProcess) -> None:
    wall.set_grid(2)
    wall.show_cameras([camera(server, SIGN), camera(server, ASCII)])
    tiles = wall.tiles()[:2]
    qtbot.waitUntil(lambda: all(t.state is TileState.PLAYING for t in tiles), timeout=10_000)
    qtbot.waitUntil(lambda: all(shows_picture(grab_screen(), t) for t in tiles), timeout=5_000)
    screen = grab_screen()
    sign, ascii_ = video_of(screen, tiles[0]), video_of(screen, tiles[1])
    h, w = min(sign.shape[0], ascii_.shape[0]), min(sign.shape[1], ascii_.shape[1])
    caption = (slice(0, h // 9), slice(0, w // 2))  # the name's line, top left
    differs = np.abs(sign[caption] - ascii_[caption]).max(axis=2) > 60
    assert differs.sum() >= 5, "the × was drawn like a ?"
    # ... from where the sign stands in the caption: "Kaivokatu " is the same on both
    k = w / ROLE_SIZES["sub"][0]
    pad, scale = 8, 0.42  # FootagePainter's OSD at 480x270
    left = pad + captions.text_size("Kaivokatu ", scale)[0][0] - 1
    right = pad + captions.text_size("Kaivokatu ×", scale)[0][0]
    first = int(np.nonzero(differs)[1].min())
    assert left * k - 3 <= first <= right * k + 3
