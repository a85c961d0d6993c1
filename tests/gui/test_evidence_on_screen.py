"""An exported master and its masked working copy, played by the console's own video tiles
(libvlc in native windows) under Xvfb and read from the X server's picture: the master
shows the scene where the privacy polygon is, the working copy shows it black there and
the same scene around it (issue 13)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot

from app.core.model import Camera, CameraKind, Streams
from app.services.evidence.masking import write_masked_copy
from app.services.evidence.masters import plan_masters, write_master
from tests.gui.screen import grab_screen, picture_rect, shows_picture
from tests.servers.recorded import CAMERA_COLOURS, HEIGHT, WIDTH, record
from widgets.video import VideoWall
from widgets.video.tile import TileState, VideoTile

pytestmark = pytest.mark.video

T0 = datetime(2026, 12, 1, 10, 0, 0, 250_000, tzinfo=UTC)
# a quadrilateral, not a rectangle: any polygon must work
MASK = [(0.25, 0.35), (0.7, 0.3), (0.8, 0.85), (0.35, 0.75)]
INNER = (0.42, 0.45, 0.62, 0.65)  # a box well inside MASK (fractions: x0, y0, x1, y1)
BESIDE = (0.03, 0.8, 0.2, 0.97)  # a box outside it


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(master, masked working copy) of 40 s of one recorded camera."""
    root = tmp_path_factory.mktemp("evidence")
    segments = record(root / "rec", ["cam1"], T0, T0 + timedelta(seconds=40), segment_s=4)
    out = root / "video"
    out.mkdir()
    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    [plan] = plan_masters("cam1", segments, T0 + timedelta(seconds=1.5),
                          T0 + timedelta(seconds=39))
    master = write_master(plan, out, ffmpeg, lambda _: None, threading.Event())
    copy = write_masked_copy(master.path, out, [MASK], ffmpeg, lambda _: None,
                             threading.Event())
    return master.path, copy


@pytest.fixture
def wall(qtbot: QtBot) -> Iterator[VideoWall]:
    w = VideoWall(watchdog_ms=250)
    qtbot.addWidget(w)
    w.move(0, 0)
    w.resize(1280, 420)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.shutdown()


def region(screen: np.ndarray, tile: VideoTile, box: tuple[float, float, float, float]
           ) -> np.ndarray:
    """The screen pixels of a box (fractions of the picture) of what the tile shows."""
    pic: QRect = picture_rect(tile, (WIDTH, HEIGHT))
    x0, y0, x1, y1 = box
    return screen[pic.y() + round(y0 * pic.height()): pic.y() + round(y1 * pic.height()),
                  pic.x() + round(x0 * pic.width()): pic.x() + round(x1 * pic.width())]


def test_the_tiles_show_the_scene_in_the_master_and_black_in_the_working_copy(
        qtbot: QtBot, wall: VideoWall, videos: tuple[Path, Path]) -> None:
    master, copy = videos
    wall.set_grid(2)
    wall.show_cameras([
        Camera("cam1", "cam1 master", CameraKind.FIXED, Streams(master.as_uri())),
        Camera("cam1-wc", "cam1 working copy", CameraKind.FIXED, Streams(copy.as_uri())),
    ])
    shown, masked = wall.tiles()[:2]
    qtbot.waitUntil(lambda: shown.state is TileState.PLAYING
                    and masked.state is TileState.PLAYING, timeout=20_000)
    qtbot.waitUntil(lambda: shows_picture(grab_screen(), shown)
                    and shows_picture(grab_screen(), masked), timeout=10_000)
    colour = np.array(CAMERA_COLOURS[0])

    def coloured(px: np.ndarray) -> bool:
        """Mostly the camera's colour (the moving white square passes by)."""
        px = px.reshape(-1, 3).astype(int)
        return bool((np.abs(px - colour).max(axis=1) < 40).mean() > 0.5)

    def seen() -> bool:
        screen = grab_screen()
        return (coloured(region(screen, shown, INNER))
                and int(region(screen, masked, INNER).max()) <= 40
                and coloured(region(screen, masked, BESIDE)))

    qtbot.waitUntil(seen, timeout=10_000)
