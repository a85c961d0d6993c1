"""The whole console on the demo site, as an operator sees it: real adapter, real camera
server, real libvlc tiles, real QtWebEngine map, real alarm desk, under Xvfb."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from app.core.journal import Journal
from app.services.runtime import Runtime
from app.ui.alarm_model import ALARM_ROLE
from app.ui.bridge import HubBridge
from app.ui.world import World
from tests.gui.conftest import TEST_OPERATOR, delete_now, demo_window
from tests.gui.screen import grab_screen, moved, surface_pixels
from widgets.main_window import MainWindow
from widgets.video.tile import TileState

pytestmark = pytest.mark.video


def js(qtbot: QtBot, window: MainWindow, script: str) -> object:
    box: list[object] = []
    window.map_view.run_js_for_test(f"JSON.stringify({script})", box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=5000)
    return json.loads(str(box[0]))


@pytest.fixture
def console(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[MainWindow, Runtime]]:
    with demo_window(tmp_path / "journal.sqlite") as window:
        qtbot.waitExposed(window)
        yield window, window.runtime


def test_demo_town_at_work(qtbot: QtBot, console: tuple[MainWindow, Runtime]) -> None:
    window, runtime = console
    tiles = window.wall.tiles()[:9]
    # every visible tile plays a camera of the demo
    qtbot.waitUntil(lambda: all(t.state is TileState.PLAYING for t in tiles), timeout=20_000)
    assert len({t.camera.id for t in tiles if t.camera}) == 9
    # moving video: each tile shows a picture, and it changes (the clock ticks, cars move)
    first = grab_screen()
    assert all(float(surface_pixels(first, t).std()) > 15 for t in tiles)
    qtbot.waitUntil(lambda: all(moved(first, grab_screen(), t) for t in tiles), timeout=5000)
    # officers and cameras on the map, with cones, moved through the JS bridge
    qtbot.waitUntil(lambda: window.map_view.is_ready, timeout=15_000)
    qtbot.waitUntil(lambda: js(qtbot, window, "CSU.counts().officers") == 6, timeout=10_000)
    counts = js(qtbot, window, "CSU.counts()")
    assert isinstance(counts, dict)
    assert counts["cameras"] >= 9
    assert counts["cones"] >= 9
    assert counts["errors"] == 0
    assert window.map_view.blocked_count == 0  # nothing asked of the network
    officer = next(iter(window.world.officers))
    before = js(qtbot, window, f"CSU.officerLatLng({officer!r})")
    qtbot.waitUntil(lambda: js(qtbot, window, f"CSU.officerLatLng({officer!r})") != before,
                    timeout=10_000)
    # alarms arrive, durable in the journal before they are shown
    qtbot.waitUntil(lambda: window.alarms.model.rowCount() >= 2, timeout=15_000)
    journaled = {a.id for a in runtime.journal.load_alarms()}
    shown = {window.alarms.model.index(r, 0).data(ALARM_ROLE).id
             for r in range(window.alarms.model.rowCount())}
    assert shown <= journaled


def test_selecting_an_alarm_shows_it_on_map_and_wall(
        qtbot: QtBot, console: tuple[MainWindow, Runtime]) -> None:
    window, _runtime = console
    model, table = window.alarms.model, window.alarms.queue.view

    def fixed_camera_alarm() -> int | None:
        for r in range(model.rowCount()):
            a = model.index(r, 0).data(ALARM_ROLE)
            cams = [window.world.cameras.get(c) for c in a.camera_ids]
            if a.position and cams and cams[0] and cams[0].kind.value == "fixed":
                return r
        return None

    qtbot.waitUntil(lambda: fixed_camera_alarm() is not None and window.map_view.is_ready,
                    timeout=30_000)
    row = fixed_camera_alarm()
    assert row is not None
    alarm = model.index(row, 0).data(ALARM_ROLE)
    window.activateWindow()  # no window manager under Xvfb: activate by hand
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus, timeout=2000)
    proxy_row = table.model().mapFromSource(model.index(row, 0))  # type: ignore[attr-defined]
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(proxy_row).center())
    assert window.alarms.current_alarm() is not None
    assert window.alarms.current_alarm().id == alarm.id  # type: ignore[union-attr]
    # the wall's first tile plays the alarm's first camera
    first = window.wall.tile(0)
    assert first.camera is not None
    assert first.camera.id == alarm.camera_ids[0]
    # the map is centred on the alarm
    def centred() -> bool:
        lat, lon, _zoom = js(qtbot, window, "CSU.view()")  # type: ignore[misc]
        return abs(lat - alarm.position.lat) < 1e-3 and abs(lon - alarm.position.lon) < 1e-3

    qtbot.waitUntil(centred, timeout=5000)
    # the detail lists the nearest officers, with distances
    detail = window.alarms.detail
    qtbot.waitUntil(lambda: detail.nearby.topLevelItemCount() > 0, timeout=5000)
    assert detail.nearby.topLevelItem(0).text(2).endswith("m")


def test_dock_layout_is_restored(qtbot: QtBot, tmp_path: Path,
                                 console: tuple[MainWindow, Runtime]) -> None:
    window, _ = console
    window.alarm_dock.hide()
    window.resizeDocks([window.map_dock], [700], Qt.Orientation.Horizontal)
    qtbot.waitUntil(lambda: abs(window.map_dock.width() - 700) < 20, timeout=3000)
    window.close()
    site = window.site
    runtime = Runtime(site, {}, tmp_path / "second.sqlite")
    runtime.sign_in_as_demo(TEST_OPERATOR)
    bridge = HubBridge(runtime.hub, World())
    again = MainWindow(site, runtime, bridge)
    again.show_restored()
    qtbot.waitExposed(again)
    try:
        assert again.alarm_dock.isHidden()
        assert abs(again.map_dock.width() - 700) < 20
    finally:
        again.close()
        again.alarm_dock.show()
        again.close()
        again.shutdown()
        delete_now(again)
        runtime.journal.close()


def test_command_line_screenshot_shows_the_console(tmp_path: Path) -> None:
    shot, journal = tmp_path / "shot.png", tmp_path / "journal.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "app.main", "--demo", "--screenshot", str(shot),
         "--quit-after", "10", "--journal", str(journal)],
        capture_output=True, text=True, timeout=90, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    img = QImage(str(shot))
    assert (img.width(), img.height()) == (1920, 1080)
    px = img.convertToFormat(QImage.Format.Format_RGB888)
    arr = np.frombuffer(px.constBits(), np.uint8, count=px.height() * px.bytesPerLine())
    assert float(arr.std()) > 20  # a screen full of content, not a blank grab
    j = Journal(journal)
    try:
        assert j.load_alarms(), "the demo raised no alarm in 10 s"
    finally:
        j.close()
