"""The video wall under a real X server: real libvlc playing a real camera server.

What the operator sees is checked on the X server's own picture (`grabWindow(0)`):
`QWidget.grab()` cannot see native video windows.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from pytestqt.qtbot import QtBot

from app.adapters.demo.camera_server import CameraServerProcess, SyntheticCamera
from app.core.model import Camera, CameraKind, StreamRole, Streams
from tests.gui.screen import grab_screen, moved, shows_picture, surface_pixels
from widgets.video import VideoWall, engine
from widgets.video.engine import EngineStatus
from widgets.video.tile import STALL_S, TileState, VideoTile

pytestmark = pytest.mark.video

SYNTHETIC = [
    SyntheticCamera("cam-01", "CAM-01 Place de la Mairie", "fixed", seed=1),
    SyntheticCamera("cam-02", "CAM-02 Gare", "fixed", seed=2),
    SyntheticCamera("cam-03", "CAM-03 Quai Jaurès", "fixed", seed=3),
    SyntheticCamera("bwc-01", "BWC-01", "body", seed=4, label="PM 12"),
]


def camera_of(server: CameraServerProcess, s: SyntheticCamera) -> Camera:
    return Camera(
        id=s.id,
        name=s.name,
        kind=CameraKind(s.kind),
        streams=Streams(main=server.url(s.id, "main"), sub=server.url(s.id, "sub")),
        officer_id="officer-12" if s.kind == "body" else None,
    )


@pytest.fixture(scope="module")
def camera_server() -> Iterator[CameraServerProcess]:
    """One camera server for the module (starting one takes ~0.1 s, but 4 streams idle
    cost nothing, so sharing it is free)."""
    srv = CameraServerProcess(SYNTHETIC, fps=10)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def cameras(camera_server: CameraServerProcess) -> list[Camera]:
    return [camera_of(camera_server, s) for s in SYNTHETIC]


@pytest.fixture
def wall(qtbot: QtBot) -> Iterator[VideoWall]:
    w = VideoWall(watchdog_ms=250)
    qtbot.addWidget(w)
    w.move(0, 0)
    w.resize(780, 540)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.shutdown()


def double_click_video(qtbot: QtBot, tile: VideoTile) -> None:
    """A double-click on the picture. Through the X server with xdotool when it is there
    (the real path: libvlc's own window is under the pointer), else Qt's synthetic one."""
    if shutil.which("xdotool") is None:
        qtbot.mouseDClick(tile.surface(), Qt.MouseButton.LeftButton)
        return
    centre = tile.surface().mapToGlobal(tile.surface().rect().center())
    subprocess.run(["xdotool", "mousemove", str(centre.x()), str(centre.y()),
                    "click", "--repeat", "2", "--delay", "80", "1"], check=True, timeout=10)


def maximised(wall: VideoWall) -> int | None:
    """Read through a call, so that the type checker does not pin the value between reads."""
    return wall.maximised


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_2x2_wall_plays_moving_video(qtbot: QtBot, wall: VideoWall,
                                     cameras: list[Camera]) -> None:
    wall.set_grid(2)
    wall.set_callsign("bwc-01", "PM 12")
    wall.show_cameras(cameras)
    tiles = wall.tiles()
    assert [t.camera.id if t.camera else None for t in tiles] == [c.id for c in cameras]
    qtbot.waitUntil(lambda: all(t.state is TileState.PLAYING for t in tiles), timeout=10_000)
    qtbot.waitUntil(lambda: all(shows_picture(grab_screen(), t) for t in tiles), timeout=5_000)
    first = grab_screen()
    before = [surface_pixels(first, t).astype(int) for t in tiles]
    for i in range(len(before)):  # four different cameras, not one picture four times
        for j in range(i + 1, len(before)):
            assert np.abs(before[i] - before[j]).mean() > 5

    qtbot.waitUntil(lambda: all(moved(first, grab_screen(), t) for t in tiles),
                    timeout=5_000)
    body = tiles[3]
    assert body._live.isVisible()
    assert body._callsign_label.text() == "PM 12"
    assert "libvlc" in body._header.toolTip()
    assert not tiles[0]._live.isVisible()


def test_lost_signal_is_shown_then_recovers(qtbot: QtBot, wall: VideoWall) -> None:
    port = free_port()
    server = CameraServerProcess(SYNTHETIC[:1], fps=10, port=port)
    server.start()
    try:
        wall.set_grid(1)
        wall.show_camera(camera_of(server, SYNTHETIC[0]), 0)
        tile = wall.tile(0)
        qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=8_000)
        server.stop()
        qtbot.waitUntil(lambda: tile.state is TileState.NO_SIGNAL,
                        timeout=int((STALL_S + 2) * 1000))
        assert "No signal" in tile.message
        assert not tile.surface().isVisible()  # the message page, not a frozen picture
        server.start()
        qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=10_000)
        qtbot.waitUntil(lambda: shows_picture(grab_screen(), tile), timeout=5_000)
    finally:
        server.stop()


@pytest.mark.skipif(sys.platform == "win32", reason="freezes the server with SIGSTOP")
def test_stalled_stream_is_caught_by_the_watchdog(qtbot: QtBot, wall: VideoWall) -> None:
    """The case libvlc reports nothing about: the connection stays open, frames stop."""
    server = CameraServerProcess(SYNTHETIC[:1], fps=10)
    server.start()
    proc = server._proc
    assert proc is not None
    try:
        wall.set_grid(1)
        wall.show_camera(camera_of(server, SYNTHETIC[0]), 0)
        tile = wall.tile(0)
        qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=8_000)
        os.kill(proc.pid, signal.SIGSTOP)
        try:
            qtbot.waitUntil(lambda: tile.state is TileState.NO_SIGNAL,
                            timeout=int((STALL_S + 2) * 1000))
        finally:
            os.kill(proc.pid, signal.SIGCONT)
        qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=10_000)
    finally:
        server.stop()


def test_unreachable_stream_says_so_without_credentials(qtbot: QtBot, wall: VideoWall) -> None:
    bad = Camera("bad", "CAM-99 Nowhere", CameraKind.FIXED,
                 Streams(main="http://op:s3cret@127.0.0.1:1/nothing.mjpg"))
    wall.set_grid(1)
    wall.show_camera(bad, 0)
    tile = wall.tile(0)
    qtbot.waitUntil(lambda: tile.state is TileState.ERROR, timeout=8_000)
    assert "Cannot open the stream" in tile.message
    assert "http://127.0.0.1:1/nothing.mjpg" in tile.message
    assert "s3cret" not in tile.message
    assert "s3cret" not in tile._header.toolTip()
    started = time.perf_counter()
    tile.stop()
    assert time.perf_counter() - started < 0.5  # the GUI thread must not hang on it
    assert tile.state is TileState.STOPPED


def test_hidden_tiles_stop_and_resume(qtbot: QtBot, wall: VideoWall,
                                      cameras: list[Camera]) -> None:
    wall.set_grid(2)
    wall.show_cameras(cameras[:2])
    tiles = wall.tiles()
    assert tiles[2].state is TileState.EMPTY
    assert tiles[2].message == "—"
    qtbot.waitUntil(lambda: all(t.state is TileState.PLAYING for t in tiles[:2]), timeout=8_000)
    qtbot.waitUntil(lambda: shows_picture(grab_screen(), tiles[0]), timeout=5_000)
    assert not shows_picture(grab_screen(), tiles[2])  # the check tells video from no video
    wall.set_grid(1)
    assert not tiles[1].isVisible()
    assert tiles[1].state is TileState.STOPPED
    assert tiles[1].camera == cameras[1]  # kept, to resume
    assert tiles[0].state is TileState.PLAYING
    wall.set_grid(2)
    qtbot.waitUntil(lambda: tiles[1].state is TileState.PLAYING, timeout=8_000)


def test_double_click_maximises_on_the_main_stream(qtbot: QtBot, wall: VideoWall,
                                                   cameras: list[Camera]) -> None:
    wall.set_grid(2)
    wall.show_cameras(cameras)
    tile = wall.tile(1)
    qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=8_000)
    with qtbot.waitSignal(wall.tile_activated, timeout=3_000) as sig:
        double_click_video(qtbot, tile)
    assert sig.args == ["cam-02"]
    assert maximised(wall) == 1
    assert tile.role is StreamRole.MAIN
    assert tile.url.endswith("/cam-02/main.mjpg")
    assert not wall.tile(0).isVisible()
    qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=8_000)
    qtbot.waitUntil(lambda: shows_picture(grab_screen(), tile), timeout=5_000)
    assert tile.surface().width() > wall.width() * 0.9
    with qtbot.waitSignal(wall.tile_activated, timeout=2_000):
        qtbot.keyClick(tile, Qt.Key.Key_Return)
    assert maximised(wall) is None
    assert tile.url.endswith("/cam-02/sub.mjpg")  # back on the sub stream
    qtbot.waitUntil(lambda: all(t.state is TileState.PLAYING for t in wall.tiles()),
                    timeout=8_000)


def test_missing_engine_is_explained(qtbot: QtBot, wall: VideoWall, cameras: list[Camera],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    reason = "The VLC library (libvlc) cannot be loaded: test. Install VLC 3.x."
    monkeypatch.setattr(engine, "libvlc_status", lambda: EngineStatus(False, reason))
    # no fallback either (with OpenCV the wall would play: tests/gui/test_video_engines.py)
    monkeypatch.setattr(engine, "opencv_status", lambda: EngineStatus(False, "no OpenCV"))
    wall.set_grid(1)
    wall.show_camera(cameras[0], 0)
    tile = wall.tile(0)
    assert tile.state is TileState.ERROR
    assert reason in tile.message
    assert wall._banner.isVisible()
    assert reason in wall._banner.text()

    class Marker(QTranslator):
        """A stand-in for the French catalogue: marks every string of ours."""

        def translate(self, context: str, source: str, disambiguation: str | None = None,
                      n: int = -1) -> str:
            return f"«{source}»" if context in ("VideoTile", "VideoWall") else ""

        def isEmpty(self) -> bool:  # an "empty" translator is skipped by Qt
            return False

    marker = Marker()
    QCoreApplication.installTranslator(marker)  # posts LanguageChange to every widget
    try:
        qtbot.waitUntil(lambda: tile.message.startswith("«No video engine"), timeout=2_000)
        assert reason in tile.message
        assert wall._banner.text().startswith("«Video is unavailable")
    finally:
        QCoreApplication.removeTranslator(marker)
    qtbot.waitUntil(lambda: tile.message.startswith("No video engine"), timeout=2_000)
