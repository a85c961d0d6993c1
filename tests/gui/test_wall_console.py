"""The wall in the whole window: camera list, body-cam reasons on every path, layouts
saved and restored, tours, the second wall, "show on map".

The streams point nowhere (the tiles say so): these tests are about what reaches the wall
and what is logged, not about pictures (test_video_wall and test_wall_layouts are)."""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.core.events import CameraStatusChanged
from app.core.layouts import Layout
from app.core.model import Camera
from app.core.site import Site
from app.services.runtime import Runtime
from app.ui.bridge import HubBridge
from app.ui.settings import settings
from app.ui.world import World
from tests.gui.conftest import OP_MARTIN, TEST_OPERATOR, acts, main_window
from tests.gui.test_wall_layouts import xdotool_drag
from tests.servers.mjpeg import MjpegServer
from widgets.camera_list import HEALTH_ROLE
from widgets.main_window import MainWindow
from widgets.video.tile import TileState
from widgets.video.wall import camera_mime

pytestmark = pytest.mark.video  # real X server: native tiles, xdotool drags

SITE = Site.model_validate({
    "site": {"name": "Wall test"},
    "map": {"center": [60.17, 24.94]},
    "cameras": [
        {"id": "cam-1", "name": "Gare", "main": "http://127.0.0.1:9/cam-1.mjpg",
         "position": [60.1701, 24.9401], "heading": 180, "zone": "Centre"},
        {"id": "cam-2", "name": "Mairie", "main": "http://127.0.0.1:9/cam-2.mjpg",
         "zone": "Centre"},
        {"id": "cam-3", "name": "Port", "main": "http://127.0.0.1:9/cam-3.mjpg", "zone": "Port"},
        {"id": "bc-pm11", "name": "Caméra-piéton PM 11", "kind": "body",
         "main": "http://127.0.0.1:9/bc.mjpg", "officer": "pm11"},
    ],
    "officers": [{"id": "pm11", "callsign": "PM 11", "body_camera": "bc-pm11"}],
    "layouts": [{"name": "Avec PM 11", "grid": "1+5", "cameras": ["bc-pm11", "cam-3"]}],
})


def clear_wall_settings() -> None:
    s = settings()
    for group in ("wall", "wall2"):
        s.remove(group)
    s.sync()


class Console:
    """A main window on SITE, with the body-cam question answered by the test."""

    def __init__(self, qtbot: QtBot, journal: Path) -> None:
        self.runtime = Runtime(SITE, {}, journal)
        self.runtime.sign_in_as_demo(TEST_OPERATOR)
        self.bridge = HubBridge(self.runtime.hub, World())
        self.w = MainWindow(SITE, self.runtime, self.bridge)
        self.w.runtime.sign_in_as_demo(OP_MARTIN)  # type: ignore[attr-defined]
        self.w.alarms.alerter.set_muted(True)  # type: ignore[union-attr]
        self.asked: list[str] = []
        self.answer: str | None = None
        self.closed = False
        self.w.gate.ask = self._ask
        try:
            self.bridge.start()
            self.runtime.start()
            self.w.show_restored()
            qtbot.waitUntil(lambda: "bc-pm11" in self.w.world.cameras, timeout=5000)
        except BaseException:
            self.close()
            raise

    def _ask(self, camera: Camera, wearer: str, _parent: QWidget | None) -> str | None:
        self.asked.append(f"{camera.id}/{wearer}")
        return self.answer

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        with ExitStack() as cleanup:  # every step runs even if an earlier one fails
            for step in (self._delete, self.runtime.stop, self.w.shutdown, self.bridge.stop,
                         self.w.close):  # run last-registered first
                cleanup.callback(step)

    def _delete(self) -> None:
        self.w.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)

    def shown(self) -> list[str]:
        return [t.camera.id if t.camera else "" for t in self.w.wall.tiles()]

    def logged(self) -> list[tuple[str, str, str, str]]:
        self.runtime._audit_io.submit(lambda: None).result(timeout=5)  # flush the writer
        return [(a.actor, a.action, a.target, a.detail) for a in acts(self.runtime.journal)]


def focus_tile(qtbot: QtBot, w: MainWindow, index: int) -> None:
    w.activateWindow()  # no window manager under Xvfb: activate by hand
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    w.wall.tile(index).setFocus()
    qtbot.waitUntil(lambda: w.wall.current_index() == index, timeout=2000)


@pytest.fixture
def console(qtbot: QtBot, tmp_path: Path) -> Iterator[Console]:
    clear_wall_settings()
    c = Console(qtbot, tmp_path / "journal.sqlite")
    yield c
    c.close()
    clear_wall_settings()


def test_camera_list_groups_searches_and_shows_offline(qtbot: QtBot, console: Console) -> None:
    cl = console.w.camera_list
    qtbot.waitUntil(lambda: len(cl.visible_ids()) == 4, timeout=3000)
    groups = [cl.proxy.index(r, 0).data() for r in range(cl.proxy.rowCount())]
    assert groups == ["Centre", "Port", "Body cameras"]
    assert cl.visible_ids() == ["cam-1", "cam-2", "cam-3", "bc-pm11"]
    cl.search.setText("mair")
    assert cl.visible_ids() == ["cam-2"]
    cl.search.setText("pm 11")  # the wearer's callsign finds the body cam
    assert cl.visible_ids() == ["bc-pm11"]
    cl.search.clear()
    console.runtime.hub.post(CameraStatusChanged("cam-3", False))
    qtbot.waitUntil(lambda: "(offline)" in cl._items["cam-3"].text(), timeout=3000)
    assert "offline" in cl._items["cam-3"].toolTip()
    # the shortcut puts the operator in the search box
    console.w.activateWindow()
    qtbot.waitUntil(console.w.isActiveWindow, timeout=3000)
    console.w.search_action.trigger()
    assert cl.search.hasFocus()


def test_choosing_a_camera_fills_the_current_tile(qtbot: QtBot, console: Console) -> None:
    w = console.w
    qtbot.waitUntil(lambda: console.shown()[:3] == ["cam-1", "cam-2", "cam-3"], timeout=5000)
    w.wall.clear()  # a camera already on the wall is not opened twice (test_wall_rules)
    focus_tile(qtbot, w, 4)
    w.camera_list.camera_chosen.emit("cam-3")  # double-click / Enter in the list
    assert console.shown()[4] == "cam-3"
    w.wall.drop_mime(5, camera_mime("cam-2"))  # a drag from the list onto tile 6
    assert console.shown()[5] == "cam-2"
    assert console.asked == []
    assert console.logged() == []


def test_a_body_cam_needs_a_reason_on_every_path(qtbot: QtBot, console: Console) -> None:
    w = console.w
    before = console.shown()
    console.answer = None  # the operator cancels
    w.camera_list.camera_chosen.emit("bc-pm11")
    w.wall.drop_mime(2, camera_mime("bc-pm11"))
    assert console.asked == ["bc-pm11/PM 11", "bc-pm11/PM 11"]
    assert console.shown() == before
    assert console.logged() == []
    console.answer = "Officer asks for support: fight outside the station"
    w.wall.drop_mime(2, camera_mime("bc-pm11"))
    # shown once its viewing is logged, never before
    qtbot.waitUntil(lambda: console.shown()[2] == "bc-pm11", timeout=5000)
    assert console.logged() == [("op.martin", "bodycam_live_view", "camera:bc-pm11",
                                 "drag: Officer asks for support: fight outside the station")]
    # a layout (here the site's shared one) asks too
    w.desk.apply_layout(Layout("Avec PM 11", "1+5", ("bc-pm11", "cam-3")))
    assert len(console.asked) == 4
    qtbot.waitUntil(lambda: console.shown()[:2] == ["bc-pm11", "cam-3"], timeout=5000)
    assert console.logged()[-1][3].startswith("layout 'Avec PM 11': ")


def test_tours_cycle_and_never_show_a_body_cam(qtbot: QtBot, console: Console) -> None:
    w = console.w
    focus_tile(qtbot, w, 1)
    assert w.desk.start_tour(["cam-1", "bc-pm11", "cam-3"], 5)
    tour = w.desk.tours.tours[1]
    assert tour.camera_ids == ["cam-1", "cam-3"]
    assert tour.dwell_s == 5
    seen = [console.shown()[1]]
    for _ in range(3):
        tour.step()
        seen.append(console.shown()[1])
    assert seen == ["cam-1", "cam-3", "cam-1", "cam-3"]
    assert w.wall.tile(1)._badge.text() == "Tour 2/2"  # in the tile's header
    states = []
    for _ in range(2):
        w.desk.toggle_tour()  # Ctrl+Space
        states.append((tour.paused, w.wall.tile(1)._badge.text()))
    assert states == [(True, "Tour 2/2, paused"), (False, "Tour 2/2")]
    w.camera_list.camera_chosen.emit("cam-2")  # the operator takes the tile: tour ends
    assert 1 not in w.desk.tours.tours
    assert w.wall.tile(1)._badge.isHidden()
    assert not w.desk.start_tour(["bc-pm11"], 5)  # body cams only: no tour
    assert console.asked == []
    assert console.logged() == []


def test_layout_is_restored_without_reopening_a_body_cam(
        qtbot: QtBot, console: Console, tmp_path: Path) -> None:
    w = console.w
    w.wall_menu.kind_actions["1+7"].trigger()
    assert w.wall.kind == "1+7"
    w.wall.clear()
    console.answer = "Officer in danger (seen or reported): radio call"
    w.desk.open_camera("cam-3", 0)
    w.desk.open_camera("bc-pm11", 2)
    w.desk.open_camera("cam-1", 7)
    qtbot.waitUntil(lambda: console.shown()[2] == "bc-pm11", timeout=5000)
    console.close()
    saved = json.loads(str(settings().value("wall/wall-test/current")))
    assert saved == {"name": "wall/wall-test", "grid": "1+7",
                     "cameras": ["cam-3", "", "bc-pm11", "", "", "", "", "cam-1"],
                     "camera_names": ["Port", "", "Caméra-piéton PM 11", "", "", "", "",
                                      "Gare"],
                     "site": "Wall test"}
    again = Console(qtbot, tmp_path / "second.sqlite")
    try:
        qtbot.waitUntil(lambda: again.shown()[0] == "cam-3", timeout=5000)
        assert again.w.wall.kind == "1+7"
        assert again.shown() == ["cam-3", "", "", "", "", "", "", "cam-1"]
        assert again.w.wall.tile(2)._badge.text() == "was Caméra-piéton PM 11"
        assert again.asked == []
        assert again.logged() == []
    finally:
        again.close()


def test_named_layouts_and_sharing(qtbot: QtBot, console: Console,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from widgets.video.layouts import saved_layouts
    w = console.w
    w.wall_menu.kind_actions["2x2"].trigger()
    w.wall.clear()
    w.desk.open_camera("cam-2", 1)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Nuit", True))
    w.wall_menu.save_action.trigger()
    assert saved_layouts() == [Layout("Nuit", "2x2", ("", "cam-2"), ("", "Mairie"),
                                      "Wall test")]
    w.wall_menu.copy_action.trigger()
    assert 'grid = "2x2"' in QApplication.clipboard().text()
    w.wall_menu._fill_layouts()
    names = [a.text() for a in w.wall_menu.layouts_menu.actions()]
    assert "Nuit" in names
    assert "Avec PM 11" in names


def test_show_on_map(qtbot: QtBot, console: Console, monkeypatch: pytest.MonkeyPatch) -> None:
    w = console.w
    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(w.map_view, "highlight", lambda *a: calls.append(("hl", *a)))
    monkeypatch.setattr(w.map_view, "center_on", lambda *a: calls.append(("c", *a)))
    w.desk.open_camera("cam-1", 0)
    w.desk.tools.show_on_map.emit("cam-1")  # from the tile's menu
    assert ("hl", "camera", "cam-1") in calls
    assert ("c", 60.1701, 24.9401) in calls


def test_second_wall_comes_back_where_it_was(qtbot: QtBot, console: Console,
                                             tmp_path: Path) -> None:
    """One screen under Xvfb: the screen name and geometry are restored; putting it back
    on another monitor cannot be shown here."""
    w = console.w
    w.wall_menu.second_action.setChecked(True)
    second = w.second
    assert second is not None
    assert second.isVisible()
    qtbot.waitExposed(second)
    second.setGeometry(QRect(300, 200, 640, 400))
    qtbot.waitUntil(lambda: second.geometry().size().width() == 640, timeout=3000)
    assert w.second_desk is not None
    w.second_desk.open_camera("cam-2", 0)
    second.activateWindow()  # the Wall menu's shortcuts act on the wall the operator is on
    qtbot.waitUntil(second.isActiveWindow, timeout=3000)
    qtbot.keyClick(second, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert second.wall.kind == "1+5"
    assert w.wall.kind == "3x3"
    console.close()
    again = Console(qtbot, tmp_path / "second.sqlite")
    try:
        restored = again.w.second
        assert restored is not None
        assert restored.isVisible()
        qtbot.waitExposed(restored)
        assert restored.wall.kind == "1+5"
        assert restored.geometry().size().width() == 640
        assert restored.geometry().size().height() == 400
        assert abs(restored.geometry().x() - 300) < 40
        qtbot.waitUntil(lambda: restored.wall.tile(0).camera is not None, timeout=5000)
        assert restored.wall.tile(0).camera.id == "cam-2"  # type: ignore[union-attr]
        restored.close()  # the operator closes it: the menu follows
        assert not again.w.wall_menu.second_action.isChecked()
        assert again.w.second is None
    finally:
        again.close()


def test_layout_shortcuts(qtbot: QtBot, console: Console) -> None:
    w = console.w
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    for key, kind in ((Qt.Key.Key_6, "1+5"), (Qt.Key.Key_8, "1+12"), (Qt.Key.Key_5, "5x5"),
                      (Qt.Key.Key_1, "1")):
        qtbot.keyClick(w, key, Qt.KeyboardModifier.ControlModifier)
        assert w.wall.kind == kind


def test_the_reason_dialog_wants_details(qtbot: QtBot) -> None:
    from widgets.bodycam_reason import BodyCamReasonDialog
    cam = SITE.cameras[3].to_camera()
    dialog = BodyCamReasonDialog(cam, "PM 11")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.buttons()[0]
    assert any("CSI L241-2" in label.text() for label in dialog.findChildren(QLabel))
    assert not ok.isEnabled()  # no reason, no video
    qtbot.keyClicks(dialog.detail, "agent au sol, radio muette")
    assert ok.isEnabled()
    dialog.reasons.setCurrentIndex(2)
    assert dialog.reason() == "Radio contact lost with the officer: agent au sol, radio muette"


def test_escape_leaves_a_maximised_tile(qtbot: QtBot, console: Console) -> None:
    w = console.w
    focus_tile(qtbot, w, 0)
    w.wall_menu.maximise_action.trigger()  # Ctrl+Return
    assert w.wall.maximised == 0
    qtbot.keyClick(w.wall.tile(0), Qt.Key.Key_Escape)
    assert w.wall.maximised is None


@pytest.mark.skipif(shutil.which("xdotool") is None, reason="needs xdotool for a real drag")
def test_a_real_drag_from_the_list_onto_a_tile(qtbot: QtBot, console: Console) -> None:
    """Through the X server, pointer and all: the list item is dragged onto tile 2."""
    w = console.w
    w.wall.clear()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=3000)
    view = w.camera_list.view
    item = w.camera_list.proxy.mapFromSource(w.camera_list._items["cam-3"].index())
    start = view.viewport().mapToGlobal(view.visualRect(item).center())
    tile = w.wall.tile(2)
    end = tile.surface().mapToGlobal(tile.surface().rect().center())
    xdotool_drag(qtbot, start, end)
    qtbot.waitUntil(lambda: console.shown()[2] == "cam-3", timeout=3000)
    # then the tile itself, dragged onto tile 1: the two swap. Its stream leads nowhere:
    # wait until it says so, as a page flip under a pressed pointer ends the press.
    qtbot.waitUntil(lambda: tile.state is TileState.ERROR, timeout=10_000)
    other = w.wall.tile(1)
    # (pressed away from the last release: the same spot would make a double-click)
    xdotool_drag(qtbot, end + QPoint(30, 20),
                 other.surface().mapToGlobal(other.surface().rect().center()))
    qtbot.waitUntil(lambda: console.shown()[1:3] == ["cam-3", ""], timeout=3000)


def test_ptz_through_the_runtime_fails_in_plain_words(qtbot: QtBot, console: Console) -> None:
    """The real path: `runtime.ptz` from the tools' worker, for a camera whose system is
    not connected; the operator reads why in the status bar."""
    from app.core.events import CameraAnnounced
    from app.core.model import CameraKind, Streams
    w = console.w
    cam = Camera("ptz-1", "Dôme Gare", CameraKind.FIXED,
                 Streams(main="http://127.0.0.1:9/ptz.mjpg"), source="onvif-gare", ptz=True)
    console.runtime.hub.post(CameraAnnounced(cam))
    qtbot.waitUntil(lambda: "ptz-1" in w.world.cameras, timeout=5000)
    w.desk.open_camera("ptz-1", 0)
    with qtbot.waitSignal(w.desk.tools.ptz_failed, timeout=5000) as sig:
        w.desk.tools.ptz_move(0, 0.5, 0.0, 0.0)
    assert "not served by any connected system" in sig.args[1]
    qtbot.waitUntil(lambda: "PTZ on ptz-1" in w.statusBar().currentMessage(), timeout=3000)


# --- one truth for "online": what the tiles (or the adapters) really saw -------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def map_state(qtbot: QtBot, w: MainWindow, camera_id: str) -> str:
    from tests.gui.test_map import evaluate

    state: str = evaluate(qtbot, w.map_view, f"CSU.cameras.get('{camera_id}').marker._state")
    return state


def test_online_is_what_the_tiles_saw(qtbot: QtBot, tmp_path: Path) -> None:
    """Two cameras whose streams are refused, two that play, one no tile shows: before,
    the list showed all five online and the status bar said "Cameras online 5/5"."""
    clear_wall_settings()
    down = closed_port()
    with MjpegServer() as cam:
        def entry(i: int, url: str) -> dict[str, object]:
            return {"id": f"cam-{i}", "name": f"Camera {i}", "main": url, "zone": "Centre",
                    "position": [60.17 + i / 1000, 24.94], "heading": 90}

        site = Site.model_validate({
            "site": {"name": "Health test"}, "map": {"center": [60.172, 24.94]},
            "cameras": [entry(1, f"http://127.0.0.1:{down}/a.mjpg"),
                        entry(2, f"http://127.0.0.1:{down}/b.mjpg"),
                        entry(3, cam.url("c.mjpg")), entry(4, cam.url("d.mjpg")),
                        entry(5, cam.url("e.mjpg"))]})
        try:
            with main_window(site, tmp_path / "journal.sqlite") as w:
                w.wall.set_layout("2x2")  # before the cameras arrive: camera 5 stays off it
                qtbot.waitUntil(lambda: len(w.world.cameras) == 5, timeout=5_000)
                tiles = w.wall.tiles()
                assert [t.camera.id if t.camera else "" for t in tiles] == [
                    "cam-1", "cam-2", "cam-3", "cam-4"]  # the first start fills the wall
                qtbot.waitUntil(lambda: all(t.state is TileState.PLAYING for t in tiles[2:]),
                                timeout=10_000)
                qtbot.waitUntil(lambda: all("Connection refused" in t.message
                                            for t in tiles[:2]), timeout=10_000)
                items = w.camera_list._items
                status = w.statusBar()._counts  # type: ignore[attr-defined]
                qtbot.waitUntil(lambda: "Cameras online: 2/4, 1 unknown" in status.text(),
                                timeout=3_000)
                health = {c: items[c].data(HEALTH_ROLE) for c in sorted(items)}
                assert health == {"cam-1": "offline", "cam-2": "offline", "cam-3": "online",
                                  "cam-4": "online", "cam-5": "unknown"}
                assert items["cam-1"].text() == "Camera 1 (offline)"
                assert "Connection refused" in items["cam-1"].toolTip()
                assert items["cam-5"].text() == "Camera 5"  # not called online, nor offline
                qtbot.waitUntil(lambda: w.map_view.is_ready, timeout=30_000)
                qtbot.waitUntil(lambda: [map_state(qtbot, w, f"cam-{i}") for i in range(1, 6)]
                                == ["offline", "offline", "online", "online", "unknown"],
                                timeout=10_000)
                # the adapter's word counts for a camera no tile shows
                w.runtime.hub.post(CameraStatusChanged("cam-5", True, "answered"))
                qtbot.waitUntil(lambda: "Cameras online: 3/5" in status.text(), timeout=3_000)
                assert "unknown" not in status.text()
                # the two cameras come back: their tiles play, and everything says so
                with MjpegServer(port=down):
                    qtbot.waitUntil(lambda: all(t.state is TileState.PLAYING for t in tiles),
                                    timeout=10_000)
                    qtbot.waitUntil(lambda: "Cameras online: 5/5" in status.text(),
                                    timeout=3_000)
                    assert items["cam-1"].text() == "Camera 1"
                    # the map's page is told in its own turn (the web channel), not with
                    # the status bar's batch
                    qtbot.waitUntil(lambda: map_state(qtbot, w, "cam-1") == "online",
                                    timeout=10_000)
        finally:
            clear_wall_settings()
