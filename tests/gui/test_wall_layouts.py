"""The wall's layouts, drag and drop and tile tools, under a real X server with real libvlc
playing a real camera server. What the operator sees is read from the screen grab."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.adapters.demo.camera_server import CameraServerProcess, SyntheticCamera
from app.core.adapter import PtzCommand
from app.core.model import Camera, CameraKind, Streams
from tests.gui.screen import grab_screen, shows_picture, surface_pixels
from widgets.video.tile import TileState
from widgets.video.tools import TileTools, stamp_snapshot
from widgets.video.wall import TILE_MIME, VideoWall, camera_mime

pytestmark = pytest.mark.video

SYNTHETIC = [SyntheticCamera(f"cam-0{i}", f"CAM-0{i}", "fixed", seed=i) for i in range(1, 4)]


@pytest.fixture(scope="module")
def server() -> Iterator[CameraServerProcess]:
    srv = CameraServerProcess(SYNTHETIC, fps=10)
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def cams(server: CameraServerProcess) -> list[Camera]:
    return [Camera(s.id, s.name, CameraKind.FIXED,
                   Streams(main=server.url(s.id, "main"), sub=server.url(s.id, "sub")),
                   ptz=s.id == "cam-01") for s in SYNTHETIC]


def test_one_large_plus_seven(qtbot: QtBot, wall: VideoWall, cams: list[Camera]) -> None:
    wall.set_layout("1+7")
    assert wall.tile_count == 8
    wall.show_cameras([cams[i % 3] for i in range(8)])
    tiles = wall.tiles()
    qtbot.waitUntil(lambda: all(t.state is TileState.PLAYING for t in tiles), timeout=15_000)
    big, small = tiles[0], tiles[1]
    assert big.width() > 2.5 * small.width()
    assert big.height() > 2.5 * small.height()
    assert not wall.tile(8).isVisible()
    qtbot.waitUntil(lambda: all(shows_picture(grab_screen(), t) for t in tiles), timeout=5_000)
    wall.set_layout("5x5")
    assert len(wall.tiles()) == 25
    assert wall.tiles()[:8] == tiles  # the cameras stay where they were


def test_tiles_swap_and_cameras_drop(qtbot: QtBot, wall: VideoWall, cams: list[Camera]) -> None:
    wall.set_layout("2x2")
    wall.show_cameras(cams[:2])
    swap = QMimeData()
    swap.setData(TILE_MIME, QByteArray(f"{wall.objectName()}:0".encode()))
    assert wall.drop_mime(1, swap)
    assert [t.camera.id if t.camera else "" for t in wall.tiles()[:2]] == ["cam-02", "cam-01"]
    assert wall.drop_mime(3, swap)  # onto an empty tile: a move
    assert wall.camera_ids() == ("", "cam-01", "", "cam-02")
    with qtbot.waitSignal(wall.camera_dropped, timeout=1000) as sig:
        assert wall.drop_mime(2, camera_mime("cam-03"))
    assert sig.args == ["cam-03", 2]
    assert wall.tile(2).camera is None  # asked for, not shown: the window decides
    from_map = QMimeData()
    from_map.setText("csu-camera:cam-01")  # what the map's web page can drag: text
    with qtbot.waitSignal(wall.camera_dropped, timeout=1000) as sig:
        assert wall.drop_mime(0, from_map)
    assert sig.args == ["cam-01", 0]
    plain = QMimeData()
    plain.setText("hello")
    assert not wall.drop_mime(0, plain)


def test_snapshot_is_stamped_with_camera_time_and_operator(
        qtbot: QtBot, wall: VideoWall, cams: list[Camera], tmp_path: Path) -> None:
    audit: list[tuple[str, str, str]] = []
    tools = TileTools(wall, operator=lambda: "op.martin", snapshot_dir=tmp_path,
                      audit=lambda *a: audit.append(a))
    wall.set_layout("1")
    wall.show_camera(cams[1], 0)
    qtbot.waitUntil(lambda: wall.tile(0).state is TileState.PLAYING, timeout=8_000)
    fut = tools.snapshot(0)
    assert fut is not None
    qtbot.waitUntil(fut.done, timeout=10_000)
    path = fut.result()
    img = QImage(str(path))
    assert path.parent == tmp_path
    assert path.name.startswith("cam-02-")
    assert img.width() >= 320
    strip = img.copy(0, img.height() - 20, img.width(), 20)
    assert any(strip.pixelColor(x, y).lightness() > 200
               for x in range(0, strip.width(), 2) for y in range(strip.height()))
    assert audit == [("snapshot", "camera:cam-02", str(path))]


def test_stamp_refuses_a_missing_picture(tmp_path: Path) -> None:
    with pytest.raises(OSError, match="no readable picture"):
        stamp_snapshot(tmp_path / "none.png", tmp_path / "out.png", ["x"])


def test_digital_zoom_enlarges_the_picture(qtbot: QtBot, wall: VideoWall,
                                           cams: list[Camera], tmp_path: Path) -> None:
    tools = TileTools(wall, operator=lambda: "op", snapshot_dir=tmp_path)
    wall.set_layout("1")
    wall.show_camera(cams[0], 0)
    tile = wall.tile(0)
    qtbot.waitUntil(lambda: tile.state is TileState.PLAYING, timeout=8_000)
    qtbot.waitUntil(lambda: shows_picture(grab_screen(), tile), timeout=5_000)
    before = surface_pixels(grab_screen(), tile).astype(int)
    tile.setFocus()
    qtbot.keyClick(tile, Qt.Key.Key_Plus)
    qtbot.keyClick(tile, Qt.Key.Key_Plus)
    qtbot.keyClick(tile, Qt.Key.Key_Plus)
    assert tools.zoom(0) is not None

    def changed() -> bool:
        return float(np.abs(surface_pixels(grab_screen(), tile).astype(int) - before)
                     .mean()) > 20

    qtbot.waitUntil(changed, timeout=5_000)
    tools.zoom_to(0, (0.0, 0.0, 0.5, 0.5))  # the rectangle path: top-left quarter
    cx, _cy, w, _h = tools.zoom(0) or (0, 0, 0, 0)
    assert w < 0.5
    assert cx < 0.5
    qtbot.keyClick(tile, Qt.Key.Key_0)
    assert tools.zoom(0) is None


def test_ptz_keys_move_and_stop_and_failures_are_plain(
        qtbot: QtBot, wall: VideoWall, cams: list[Camera], tmp_path: Path) -> None:
    sent: list[PtzCommand] = []

    def ptz(cmd: PtzCommand) -> Future[None]:
        sent.append(cmd)
        fut: Future[None] = Future()
        if cmd.camera_id == "cam-01":
            fut.set_result(None)
        else:
            fut.set_exception(KeyError(cmd.camera_id))
        return fut

    tools = TileTools(wall, operator=lambda: "op", snapshot_dir=tmp_path, ptz=ptz)
    wall.set_layout("2x2")
    wall.show_cameras([cams[0], cams[1]])
    tile = wall.tile(0)
    tile.setFocus()
    qtbot.keyPress(tile, Qt.Key.Key_Left)
    qtbot.keyRelease(tile, Qt.Key.Key_Left)
    qtbot.waitUntil(lambda: len(sent) == 2, timeout=3000)
    assert sent == [PtzCommand("cam-01", pan=-0.5), PtzCommand("cam-01")]
    assert not tools.can_ptz(1)  # cam-02 has no PTZ: no order leaves
    menus = [tools.menu(0), tools.menu(1)]  # the tile's context menu
    ptz_items = [{a.text(): a.isEnabled() for a in m.actions()}["PTZ controls…"] for m in menus]
    assert ptz_items == [True, False]
    pad = tools.open_ptz_pad(0)
    assert pad is not None
    assert pad.isVisible()
    wall.tile(0).play(Camera("cam-xx", "CAM-XX", CameraKind.FIXED, cams[0].streams, ptz=True))
    with qtbot.waitSignal(tools.ptz_failed, timeout=3000) as sig:
        pad.buttons["up"].pressed.emit()
    assert sig.args[0] == "cam-xx"
    assert "not served by any connected system" in sig.args[1]
    qtbot.waitUntil(lambda: "not served" in pad.status.text(), timeout=2000)
    pad.close()


def test_wheel_zoom_keeps_the_point_under_the_cursor(
        qtbot: QtBot, wall: VideoWall, cams: list[Camera], tmp_path: Path) -> None:
    tools = TileTools(wall, operator=lambda: "op", snapshot_dir=tmp_path)
    wall.set_layout("1")
    wall.show_camera(cams[0], 0)
    tools.zoom_by(0, 2.0, at=(1.0, 1.0))  # at the bottom-right corner
    assert tools.zoom(0) == pytest.approx((0.5, 0.5, 0.5, 0.5))
    tools.zoom_by(0, 0.25, at=(0.3, 0.3))
    assert tools.zoom(0) is None


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="needs xdotool for a real drag")
def test_a_tile_dragged_over_playing_video_swaps(qtbot: QtBot, wall: VideoWall,
                                                 cams: list[Camera]) -> None:
    """The pointer is over libvlc's own window: Qt must still get press, moves and drop."""
    wall.set_layout("2x2")
    wall.show_cameras(cams[:2])
    a, b = wall.tile(0), wall.tile(1)
    qtbot.waitUntil(lambda: a.state is TileState.PLAYING and b.state is TileState.PLAYING,
                    timeout=8_000)
    qtbot.waitUntil(lambda: shows_picture(grab_screen(), a), timeout=5_000)
    xdotool_drag(qtbot, a.surface().mapToGlobal(a.surface().rect().center()),
                 b.surface().mapToGlobal(b.surface().rect().center()))
    qtbot.waitUntil(lambda: wall.camera_ids() == ("cam-02", "cam-01"), timeout=3000)


def xdotool_drag(qtbot: QtBot, start: QPoint, end: QPoint) -> None:
    """Press, move in steps, release: the pacing is xdotool's, the test only waits for it."""
    steps: list[str] = ["mousemove", str(start.x()), str(start.y()), "sleep", "0.2",
                        "mousedown", "1", "sleep", "0.2"]
    for i in range(1, 11):
        x = start.x() + (end.x() - start.x()) * i // 10
        y = start.y() + (end.y() - start.y()) * i // 10
        steps += ["mousemove", str(x), str(y), "sleep", "0.05"]
    steps += ["sleep", "0.3", "mouseup", "1"]
    proc = subprocess.Popen(["xdotool", *steps])
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None, timeout=10_000)
    finally:
        proc.kill()
        proc.wait()
