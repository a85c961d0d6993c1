"""A camera dragged from the map onto a wall tile, through the X server (pointer and all):
the page only says the button went down on a camera; Qt carries the drag to the wall."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from pytestqt.qtbot import QtBot

from app.core.site import Site
from tests.gui.conftest import main_window
from tests.gui.test_wall_layouts import xdotool_drag
from widgets.main_window import MainWindow

pytestmark = pytest.mark.video

SITE = Site.model_validate({
    "site": {"name": "Drag"},
    "map": {"center": [60.1700, 24.9400], "zoom": 17},
    "cameras": [
        {"id": "cam-1", "name": "Gare", "main": "http://127.0.0.1:9/cam-1.mjpg",
         "position": [60.1700, 24.9400], "heading": 180},
        {"id": "cam-2", "name": "Port", "main": "http://127.0.0.1:9/cam-2.mjpg",
         "position": [60.1690, 24.9420], "heading": 90},
    ],
})


@pytest.fixture
def window(tmp_path: Path) -> Iterator[MainWindow]:
    with main_window(SITE, tmp_path / "journal.sqlite") as w:
        yield w


def js(qtbot: QtBot, w: MainWindow, script: str) -> object:
    box: list[object] = []
    w.map_view.run_js_for_test(f"JSON.stringify({script})", box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=5000)
    return json.loads(str(box[0]))


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="needs xdotool for a real drag")
def test_a_camera_dragged_from_the_map_lands_on_the_tile(qtbot: QtBot,
                                                         window: MainWindow) -> None:
    w = window
    qtbot.waitUntil(lambda: w.map_view.is_ready, timeout=15_000)
    qtbot.waitUntil(lambda: js(qtbot, w, "CSU.cameras.size") == 2, timeout=10_000)
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    w.wall.clear()
    xy = js(qtbot, w, "(function(){var p=CSU.map.latLngToContainerPoint("
                      "CSU.cameras.get('cam-2').marker.getLatLng());return [p.x,p.y];})()")
    assert isinstance(xy, list)
    start = w.map_view.mapToGlobal(QPoint(round(xy[0]), round(xy[1])))
    tile = w.wall.tile(1)
    end = tile.surface().mapToGlobal(tile.surface().rect().center())
    view_before = js(qtbot, w, "CSU.view()")
    xdotool_drag(qtbot, start, end)
    qtbot.waitUntil(lambda: tile.camera is not None and tile.camera.id == "cam-2",
                    timeout=5000)
    assert w.map_view.camera_drag.drags == 1
    assert js(qtbot, w, "CSU.view()") == view_before  # the map did not pan under the drag
    assert js(qtbot, w, "CSU.map.dragging.enabled()") is True  # and pans again afterwards
