"""The wall never lies: in the real window, every tile shows its own camera's picture and
an empty tile shows none, through every pair of layouts, maximise/restore, a swap and a
dock resize, at 1920×1080 and at 1366×768 (a control-room laptop).

What a tile shows is read from the X server's picture: the synthetic cameras burn their
number in as blocks (`app.adapters.demo.identity_code`), and `read_identity` decodes
them where the tile's picture is. A video window left where a tile used to be shows a
number under another tile's name, or a picture in an empty tile; both fail.

pytest-xvfb starts one screen per session; a size the session's screen does not have is
run in a child pytest with its own Xvfb of that size."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from app.adapters.demo.camera_server import CameraServerProcess, SyntheticCamera
from app.core.layouts import KINDS
from app.core.site import Site
from tests.gui.conftest import main_window
from tests.gui.screen import grab_screen, read_identity, shows_picture
from widgets.main_window import MainWindow
from widgets.video.tile import TileState, VideoTile, state_label
from widgets.video.wall import VideoWall

pytestmark = pytest.mark.video

SCREENS = ("1920x1080", "1366x768")
# Helsinki's street names, as in the demo: long, many alike at both ends ("Etelä…")
_STREETS = ("Eteläesplanadi", "Eteläinen Makasiinikatu", "Erottajankatu", "Kaivokatu",
            "Pohjoisesplanadi")
_CORNERS = ("Rautatientori", "Simonkatu", "Mannerheimintie", "Aleksanterinkatu",
            "Unioninkatu")
CAMERAS = [SyntheticCamera(f"cam-{i + 1:02d}", f"{_STREETS[i // 5]} × {_CORNERS[i % 5]}",
                           "fixed", seed=i + 1) for i in range(25)]
NAMES_TOLD_APART_W = 150  # a tile this wide tells all of CAMERAS' names apart
SETTLE_S = 20.0  # generous: two cores shared with other test runs


@pytest.fixture(scope="module")
def server() -> Iterator[CameraServerProcess]:
    # the number is still: a few frames suffice
    srv = CameraServerProcess(CAMERAS, fps=4, identity_blocks=True)
    srv.start()
    yield srv
    srv.stop()


def site_for(server: CameraServerProcess) -> Site:
    return Site.model_validate({
        "site": {"name": "Wall truth"},
        "map": {"center": [60.17, 24.94]},
        "cameras": [{"id": c.id, "name": c.name, "main": server.url(c.id, "main"),
                     "sub": server.url(c.id, "sub"), "network_caching_ms": 100}
                    for c in CAMERAS],
    })


def screen_is(size: str) -> bool:
    got = QGuiApplication.primaryScreen().size()
    return f"{got.width()}x{got.height()}" == size


def run_on_own_screen(test_id: str, size: str) -> None:
    """Run one test of this module in a child pytest whose Xvfb has `size`."""
    width, height = size.split("x")
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
           f"{__file__}::{test_id}", "-o", f"xvfb_width={width}", "-o", f"xvfb_height={height}"]
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), env.get("PYTHONPATH")) if p)
    env.pop("DISPLAY", None)  # pytest-xvfb starts the child's own
    done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    why = [line for line in done.stdout.splitlines()
           if line.startswith("E ") and ("Failed:" in line or "Error:" in line)]
    assert done.returncode == 0, f"{size}: " + "\n".join(why or [done.stdout[-6000:]])


def every_pair_once(kinds: list[str]) -> list[str]:
    """A walk through the kinds in which every ordered pair (a → b, a ≠ b) follows once
    (an Eulerian circuit of the complete directed graph, Hierholzer's way)."""
    left = {a: [b for b in kinds if b != a] for a in kinds}
    stack, walk = [kinds[0]], []
    while stack:
        here = stack[-1]
        if left[here]:
            stack.append(left[here].pop())
        else:
            walk.append(stack.pop())
    return walk[::-1]


def shown_tiles(wall: VideoWall) -> list[tuple[int, VideoTile]]:
    if wall.maximised is not None:
        return [(wall.maximised, wall.tile(wall.maximised))]
    return list(enumerate(wall.tiles()))


def lies(wall: VideoWall, server: CameraServerProcess, screen: np.ndarray) -> list[str]:
    """What the screen shows wrongly: a tile not showing its own camera's number, an
    empty tile showing a picture, or a header that misleads (below)."""
    wrong = header_lies(wall)
    frame = (960, 540) if wall.maximised is not None else (480, 270)
    for i, tile in shown_tiles(wall):
        cam = tile.camera
        if cam is None:
            if shows_picture(screen, tile) or read_identity(screen, tile) is not None:
                wrong.append(f"tile {i} (no camera) shows a picture")
            continue
        want = server.code_of(cam.id)
        got = read_identity(screen, tile, frame)
        if tile.state is not TileState.PLAYING or got != want:
            wrong.append(f"tile {i} '{cam.name}' ({tile.state}) shows #{got}, not #{want}")
    return wrong


def header_lies(wall: VideoWall) -> list[str]:
    """Two cameras whose cut names read the same, or a cut name beside a status that kept
    its full width ("Playing · 9 fps")."""
    wrong = []
    shown: dict[str, str] = {}
    for i, tile in shown_tiles(wall):
        cam = tile.camera
        if cam is None:
            continue
        text = tile.shown_name()
        # below about 110 px for the name (a 5x5 wall at 1366x768), 25 names alike at
        # both ends cannot all be told apart in a dozen letters: not checked there
        if tile.width() >= NAMES_TOLD_APART_W and shown.setdefault(text, cam.id) != cam.id:
            wrong.append(f"tile {i} '{cam.name}' reads '{text}' like another camera")
        if text != cam.name and tile.shown_status().startswith(state_label(tile.state)):
            wrong.append(f"tile {i} cuts '{cam.name}' to '{text}' beside "
                         f"'{tile.shown_status()}'")
    return wrong


def assert_truthful(qtbot: QtBot, wall: VideoWall, server: CameraServerProcess,
                    step: str) -> None:
    """Wait (bounded) until the wall shows what its tiles say; fail with what it shows."""
    seen: list[str] = []

    def honest() -> bool:
        seen[:] = lies(wall, server, grab_screen())
        return not seen

    try:
        qtbot.waitUntil(honest, timeout=int(SETTLE_S * 1000))
    except qtbot.TimeoutError:
        shot = Path(tempfile.gettempdir()) / "wall-truth-failure.png"
        QGuiApplication.primaryScreen().grabWindow(0).save(str(shot))
        pytest.fail(f"after {step} ({wall.kind}): " + "; ".join(seen) + f" (screen: {shot})")


def fill(w: MainWindow) -> None:
    """The wall as the operator left it: alarms put one camera on two tiles (1 and 7),
    and some tiles are empty."""
    cams = [w.world.cameras[c.id] for c in CAMERAS]
    wall = w.wall
    wall.set_layout("5x5")
    tiles: list = [cams[i] for i in range(25)]
    tiles[7] = cams[1]
    for empty in (6, 8, 13, 20):
        tiles[empty] = None
    wall.show_cameras(tiles)


@contextmanager
def filled_console(qtbot: QtBot, tmp_path: Path,
                   server: CameraServerProcess) -> Iterator[MainWindow]:
    """The console on the test cameras, its 5x5 wall filled as `fill` says."""
    with main_window(site_for(server), tmp_path / "journal.sqlite") as w:
        qtbot.waitUntil(lambda: len(w.world.cameras) == len(CAMERAS), timeout=10_000)
        fill(w)
        yield w


@pytest.mark.parametrize("size", SCREENS)
def test_every_pair_of_layouts_shows_each_camera_on_its_own_tile(
        qtbot: QtBot, tmp_path: Path, server: CameraServerProcess, size: str) -> None:
    if not screen_is(size):
        run_on_own_screen(f"test_every_pair_of_layouts_shows_each_camera_on_its_own_tile[{size}]",
                          size)
        return
    with filled_console(qtbot, tmp_path, server) as w:
        wall = w.wall
        assert_truthful(qtbot, wall, server, "filling a 5x5 wall")
        walk = every_pair_once(list(KINDS))
        assert len(set(itertools.pairwise(walk))) == len(KINDS) * (len(KINDS) - 1)
        for before, kind in itertools.pairwise(walk):
            wall.set_layout(kind)
            assert_truthful(qtbot, wall, server, f"{before} → {kind}")
        wall.set_layout("1+5")
        wall.maximise(3)
        assert_truthful(qtbot, wall, server, "maximising tile 3")
        wall.restore()
        assert_truthful(qtbot, wall, server, "restoring tile 3")
        wall.swap(0, 4)
        assert_truthful(qtbot, wall, server, "swapping tiles 0 and 4")
        wall.set_layout("3x3")
        width = w.camera_dock.width()
        w.resizeDocks([w.camera_dock], [width + 120], Qt.Orientation.Horizontal)
        qtbot.waitUntil(lambda: w.camera_dock.width() != width, timeout=5000)
        assert_truthful(qtbot, wall, server, "widening the camera list")
        size = w.size()
        w.resize(size.width() - 240, size.height() - 120)
        qtbot.waitUntil(lambda: w.size() != size, timeout=5000)
        assert_truthful(qtbot, wall, server, "making the window smaller")
        # an empty tile's hidden surface kept its size from before: a camera now
        wall.show_camera(w.world.cameras[CAMERAS[6].id], 6)
        assert_truthful(qtbot, wall, server, "a camera on a tile that was empty")


@pytest.mark.parametrize("size", ["1366x768"])
def test_a_dense_wall_on_a_laptop_screen_leaves_the_docks_alone(
        qtbot: QtBot, tmp_path: Path, server: CameraServerProcess, size: str) -> None:
    """At 1366×768, 4x4 and 5x5 used to push the window past the screen's bottom, squeeze
    the camera list and the alarm table, and leave them so back at 3x3."""
    if not screen_is(size):
        run_on_own_screen(f"test_a_dense_wall_on_a_laptop_screen_leaves_the_docks_alone[{size}]",
                          size)
        return
    with filled_console(qtbot, tmp_path, server) as w:
        wall = w.wall
        wall.set_layout("3x3")
        assert_truthful(qtbot, wall, server, "3x3 on a laptop screen")
        screen = w.screen().availableGeometry()

        def sizes() -> tuple[int, int, int, int]:
            return (w.camera_dock.width(), w.alarm_dock.height(), w.map_dock.width(),
                    w.alarms.height())

        before = sizes()
        for kind in ("4x4", "5x5", "1+12", "3x3"):
            wall.set_layout(kind)
            assert_truthful(qtbot, wall, server, f"→ {kind} on a laptop screen")
            assert screen.contains(w.frameGeometry()), (kind, w.frameGeometry(), screen)
            assert sizes() == before, (kind, sizes(), before)


STALE_SIZE_CYCLES = 15


@pytest.mark.parametrize("size", ["1366x768"])
def test_tiles_shown_by_a_layout_change_fill_their_picture(
        qtbot: QtBot, tmp_path: Path, server: CameraServerProcess, size: str) -> None:
    """4x4 → 1 → 3x3, again and again: the tiles the big one hid come back at another size
    than their hidden surfaces kept, and start playing while the layout resizes them.
    libvlc drew such a tile's picture at the stale 4x4 size in its top-left corner, for
    good: 2 runs of this test in 16 failed so on a loaded machine before the nudge at the
    first picture (`Surface.nudge_native_views`), none of 10 after. Not deterministic:
    the race is inside libvlc's start-up; this makes it likely enough to be seen."""
    if not screen_is(size):
        run_on_own_screen(f"test_tiles_shown_by_a_layout_change_fill_their_picture[{size}]",
                          size)
        return
    with filled_console(qtbot, tmp_path, server) as w:
        wall = w.wall
        for cycle in range(STALE_SIZE_CYCLES):
            for kind in ("4x4", "1", "3x3"):
                wall.set_layout(kind)
                assert_truthful(qtbot, wall, server, f"cycle {cycle}: → {kind}")
