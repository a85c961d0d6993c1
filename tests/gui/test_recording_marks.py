"""The recorder's state of each camera on the live console (issue 12: "a recording state per
camera is shown on the tile and in the camera list"): recording, a gap and why, the disk
full; a camera this console does not record shows no mark; another territory's camera's
state never reaches the window."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.access import Role, User
from app.core.events import CameraAnnounced, RecordingStateChanged
from app.core.site import Site
from tests.gui.conftest import main_window

SITE = Site.model_validate({
    "site": {"name": "Deux-Villes", "communes": ["Melun", "Dammarie"]},
    "map": {"center": [48.54, 2.66]},
    "cameras": [{"id": c, "name": n, "main": f"rtsp://127.0.0.1:1/{c}", "commune": m}
                for c, n, m in (("cam-gare", "Gare", "Melun"), ("cam-parc", "Parc", "Melun"),
                                ("cam-pont", "Pont", "Dammarie"))]})
MELUN = User("op.melun", "Opératrice Melun", Role.OPERATOR, communes=("Melun",))


def test_tiles_and_list_say_what_is_recorded(qtbot: QtBot, tmp_path: Path) -> None:
    with main_window(SITE, tmp_path / "j.sqlite", user=MELUN) as w:
        w.bridge.dispatch([CameraAnnounced(c.to_camera()) for c in SITE.cameras])
        w.desk.wall.show_cameras([w.world.cameras["cam-gare"], w.world.cameras["cam-parc"]])
        tiles = {t.camera.id: t for t in w.desk.wall.tiles() if t.camera is not None}
        assert tiles["cam-gare"].recording_mark() == ""  # nothing said yet: no mark
        w.bridge.dispatch([
            RecordingStateChanged("cam-gare", "recording"),
            RecordingStateChanged("cam-parc", "gap", "camera unreachable"),
            RecordingStateChanged("cam-pont", "disk_full", "storage full"),  # Dammarie's
        ])
        assert tiles["cam-gare"].recording_mark() == "● REC"
        assert tiles["cam-parc"].recording_mark() == "REC ✕"
        assert "camera unreachable" in tiles["cam-parc"]._rec.toolTip()
        items = w.camera_list._items
        assert items["cam-gare"].text().endswith("● REC")
        assert items["cam-parc"].text().endswith("REC ✕")
        assert "cam-pont" not in w.world.recording  # another territory's: never here
        w.bridge.dispatch([RecordingStateChanged("cam-parc", "recording")])
        assert tiles["cam-parc"].recording_mark() == "● REC"
        w.desk.wall.show_cameras([w.world.cameras["cam-parc"]])  # a tile playing it anew
        assert w.desk.wall.tiles()[0].recording_mark() == "● REC"
