"""The alarm detail fits a control-room laptop (1366×768): every Assign button of the
nearest officers is whole on screen, the officer's name elided if need be. Before, the
list's columns took their contents' width and the Assign column fell off its right edge."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.core.events import AlarmReported, OfficerAnnounced, PositionReported
from app.core.model import AlarmType, LatLon, Officer, OfficerStatus, PositionFix, utc_now
from app.core.site import Site
from tests.gui.conftest import main_window

CENTRE = LatLon(60.17, 24.94)
SITE = Site.model_validate({"site": {"name": "Portable"},
                            "map": {"center": [CENTRE.lat, CENTRE.lon]}})
OFFICERS = [("o1", "PM 11 — Brigadier-chef Delacroix-Montespan", OfficerStatus.AVAILABLE),
            ("o2", "PM 12", OfficerStatus.INTERVENTION),
            ("o3", "PM 13 — Gardien Lefèvre", OfficerStatus.BUSY),
            ("o4", "PM 14", OfficerStatus.AVAILABLE),
            ("o5", "PM 15 — Chef de service Vandenberghe", OfficerStatus.AVAILABLE)]


def on_screen(w: QPushButton) -> QRect:
    return QRect(w.mapToGlobal(QPoint(0, 0)), w.size())


def test_assign_buttons_are_whole_at_1366x768(qtbot: QtBot, tmp_path: Path) -> None:
    with main_window(SITE, tmp_path / "journal.sqlite") as w:
        w.setGeometry(QRect(0, 0, 1366, 768))  # a control-room laptop's size
        qtbot.waitUntil(lambda: w.geometry() == QRect(0, 0, 1366, 768), timeout=5000)
        hub, now = w.runtime.hub, utc_now()
        for i, (oid, callsign, status) in enumerate(OFFICERS):
            hub.post(OfficerAnnounced(Officer(oid, callsign, "Police municipale", status)))
            hub.post(PositionReported(PositionFix(
                oid, LatLon(CENTRE.lat + 0.001 * (i + 1), CENTRE.lon), now)))
        hub.post(AlarmReported("panel", "a1", AlarmType.INTRUSION, 2, "Intrusion — école",
                               now, CENTRE))
        qtbot.waitUntil(lambda: len(w.alarms.model.alarms()) == 1, timeout=10_000)
        w.alarms.select_alarm(w.alarms.model.alarms()[0].id)
        detail = w.alarms.detail
        qtbot.waitUntil(lambda: len(detail.assign_buttons) == len(OFFICERS), timeout=10_000)
        QApplication.processEvents()

        viewport = detail.nearby.viewport()
        area = QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size())
        window = QRect(w.mapToGlobal(QPoint(0, 0)), w.size())
        for oid, button in detail.assign_buttons.items():
            assert button.isVisible(), oid
            assert area.contains(on_screen(button)), (oid, on_screen(button), area)
            assert window.contains(on_screen(button)), oid
            assert button.visibleRegion().boundingRect() == button.rect(), oid  # not clipped
        assert detail.nearby.horizontalScrollBar().maximum() == 0  # nothing to scroll to
