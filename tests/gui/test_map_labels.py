"""Map labels never lie on top of each other, and an alarm leaves the officer it is about
visible. Before: "Suggested: PM 16" lay under an alarm marker, a callsign over "Secteur
Sud", two callsigns on top of each other, and an alarm marker covered its officer.

The crowded case of the demo, rebuilt on the real page (QtWebEngine under Xvfb): two
officers a few metres apart beside a sector's name, a weapon-drawn alarm on one of them,
the responders' lines with their labels, a camera next to them."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from maps.view import MapView
from tests.gui.screen import grab_screen
from tests.gui.test_map import (  # noqa: F401 - _chromium_flags: the module's Chromium flags
    JS_MS,
    LOAD_MS,
    TOWN,
    _chromium_flags,
    delete,
    evaluate,
    make_view,
    ready_view,
    wait_counts,
)

ZONES = TOWN.parent / "sectors.geojson"
AVAILABLE = (0x2E, 0x7D, 0x32)  # tracks.js STATUS_COLORS.available


@pytest.fixture
def view(qtbot: QtBot, tmp_path: Path) -> Iterator[MapView]:
    yield from ready_view(qtbot, tmp_path, zones_geojson=ZONES)


def at(qtbot: QtBot, view: MapView, x: float, y: float) -> tuple[float, float]:
    """The place under a point of the view."""
    ll = evaluate(qtbot, view, f"CSU.map.containerPointToLatLng([{x}, {y}])")
    return ll["lat"], ll["lng"]


def overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return bool(a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
                and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def officer(oid: str, callsign: str, ll: tuple[float, float]) -> dict[str, object]:
    return {"id": oid, "callsign": callsign, "lat": ll[0], "lon": ll[1], "status": "available",
            "heading": None, "live": False}


def test_labels_avoid_each_other_and_alarms_leave_their_officer_visible(
        qtbot: QtBot, view: MapView) -> None:
    view.set_motion_smoothing(False)
    sector = evaluate(qtbot, view, "(function(){var t=CSU.zones.tips.filter(function(t)"
                                   "{return t._csuName==='Secteur Sud'})[0];"
                                   "var ll=t.getLatLng();return [ll.lat, ll.lng]})()")
    view.center_on(sector[0], sector[1])
    qtbot.waitUntil(lambda: abs(evaluate(qtbot, view, "CSU.view()")[0] - sector[0]) < 1e-6,
                    timeout=JS_MS)
    cx, cy = 450, 350  # the sector's name is at the middle of the 900x700 view
    pm14 = at(qtbot, view, cx - 45, cy)       # its callsign would cover "Secteur Sud"
    pm15 = at(qtbot, view, cx - 42, cy + 3)   # 4 m away: the same place for a label
    pm16 = at(qtbot, view, cx - 30, cy + 40)  # the responder's label lies by the alarm
    pm17 = at(qtbot, view, cx + 60, cy - 10)
    pm18 = at(qtbot, view, 885, 200)  # by the view's right edge: named on its left
    view.update_officers([officer("o14", "PM 14", pm14), officer("o15", "PM 15", pm15),
                          officer("o16", "PM 16", pm16), officer("o17", "PM 17", pm17),
                          officer("o18", "PM 18", pm18)])
    view.set_cameras([{"id": "c1", "name": "Place", "lat": at(qtbot, view, cx + 20, cy)[0],
                       "lon": at(qtbot, view, cx + 20, cy)[1], "heading": 90, "angle": 60,
                       "range": 40, "online": True}])
    view.update_alarms([{"id": "a1", "lat": pm14[0], "lon": pm14[1], "priority": 1,
                         "title": "Arme sortie — PM 14", "state": "acknowledged"},
                        {"id": "a2", "lat": pm14[0], "lon": pm14[1], "priority": 1,
                         "title": "Détonation", "state": "new"}])  # the same place
    view.show_responders(pm14[0], pm14[1], [
        {"id": "o16", "label": "Suggested: PM 16 · 40 m", "suggested": True},
        {"id": "o15", "label": "PM 15 · 4 m", "suggested": False},
        {"id": "o17", "label": "PM 17 · 110 m", "suggested": False}])
    wait_counts(qtbot, view, officers=5, alarms=2, cameras=1, responders=3)

    def labels_of_the_last_frame() -> dict[str, Any]:
        boxes: dict[str, Any] = evaluate(qtbot, view, "CSU.labelBoxes()")
        assert boxes is not None
        assert {b["text"] for b in boxes["labels"]} >= {"Suggested: PM 16 · 40 m", "Secteur Sud"}
        return boxes

    qtbot.waitUntil(lambda: labels_of_the_last_frame() and None, timeout=JS_MS)
    boxes = labels_of_the_last_frame()
    labels = boxes["labels"]
    clashes = [(a["text"], b["text"]) for a, b in combinations(labels, 2) if overlap(a, b)]
    assert clashes == []
    under_alarm = [b["text"] for b in labels for a in boxes["alarms"] if overlap(a, b)]
    assert under_alarm == []
    heads = {a["id"]: a["head"] for a in boxes["alarms"]}
    assert not overlap(heads["a1"], heads["a2"])  # two alarms at one place stand side by side
    for aid, head in heads.items():  # and each is clicked where it is drawn
        at_head = QPoint(round(head["x"] + head["w"] / 2), round(head["y"] + head["h"] / 2))
        with qtbot.waitSignal(view.alarm_clicked, timeout=JS_MS) as clicked:
            QTest.mouseClick(view.focusProxy(), Qt.MouseButton.LeftButton,
                             Qt.KeyboardModifier.NoModifier, at_head)
        assert clicked.args == [aid]
    callsigns = [b["text"] for b in labels if b["kind"] == "callsign"]
    assert "PM 16" in callsigns
    assert "PM 17" in callsigns
    assert callsigns.count("PM 14") + callsigns.count("PM 15") >= 1  # one at least, not piled
    edge = next(b for b in labels if b["text"] == "PM 18")
    assert edge["x"] >= 0
    assert edge["x"] + edge["w"] <= boxes["size"][0]  # whole, not cut by the view's edge

    # On the X server's picture: the officer under the alarm still shows his colour at his
    # place (the alarm's pin stands above him), and the sector's name is on screen.
    point = evaluate(qtbot, view, "CSU.officerPoint('o14')")
    origin = view.mapToGlobal(QPoint(0, 0))
    px, py = origin.x() + round(point[0]), origin.y() + round(point[1])

    def officer_visible() -> bool:
        patch = grab_screen()[py - 2: py + 3, px - 2: px + 3].reshape(-1, 3).astype(int)
        return bool((np.abs(patch - np.array(AVAILABLE)).sum(axis=1) < 60).sum() >= 10)

    qtbot.waitUntil(officer_visible, timeout=JS_MS)
