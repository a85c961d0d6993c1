"""What a seat of a room shows about the room, on the real main window: the workstations
attached (this one marked) in the connected-systems panel; a red band while the room's
database or console service is lost, in plain words, gone once both are back; what is shown
kept but marked stale, and the alarm buttons greyed with the reason while the database is
lost. A console that is not in a room shows none of it. The room's events are posted on the
window's hub, as the seat runtime posts them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.events import AdapterStatus, AlarmReported, RoomStatus, SeatInfo, SeatsChanged
from app.core.hub import Hub
from app.core.model import AlarmType
from app.core.site import Site
from app.ui.bridge import HubBridge
from app.ui.i18n import apply_language
from app.ui.labels import local_time
from app.ui.seat_model import ROLE, SINCE, USER, WORKSTATION
from app.ui.world import World
from tests.gui.conftest import deliver_posted, main_window
from tests.gui.screen import grab_screen
from tests.gui.test_one_language import giveaways
from widgets.main_window import MainWindow

SITE = Site.model_validate({"site": {"name": "Salle"}, "map": {"center": [43.70, 7.27]}})
RED = (0xB7, 0x1C, 0x1C)
AMBER = (0xFF, 0x8F, 0x00)


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def hms(t: datetime) -> str:
    """As the console writes a time: "14:03:12" today, with the date before."""
    return local_time(t)


def seats(started: datetime) -> SeatsChanged:
    return SeatsChanged(seats=(
        SeatInfo("seat-a", "seat", "PC-ALPHA", "alice", started + timedelta(minutes=2),
                 started + timedelta(minutes=9)),
        SeatInfo("seat-b", "seat", "PC-BRAVO", "bob", started + timedelta(minutes=5),
                 started + timedelta(minutes=9)),
        SeatInfo("svc", "service", "SRV-CSU", "csu", started, started + timedelta(minutes=9)),
    ))


def report(sid: str) -> AlarmReported:
    return AlarmReported("panel", sid, AlarmType.INTRUSION, 2, f"Intrusion {sid}",
                         datetime.now(UTC))


@pytest.fixture
def seat(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    """Seat "seat-b" of a room, one alarm in its queue (selected by the desk)."""
    with main_window(SITE, tmp_path / "journal.sqlite", seat_id="seat-b") as w:
        w.runtime.hub.post(seats(now() - timedelta(hours=1)))
        w.runtime.hub.post(report("a"))
        qtbot.waitUntil(lambda: len(w.alarms.model.alarms()) == 1
                        and w.alarms.current_alarm() is not None, timeout=10_000)
        yield w


def cell(w: MainWindow, row: int, col: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    m = w.adapter_panel.seat_model
    return m.data(m.index(row, col), role)


def on_screen(screen: np.ndarray, widget: QWidget, colour: tuple[int, int, int]) -> bool:
    """The X server shows `colour` at the widget's left edge, half-way down (its margin)."""
    p = widget.mapToGlobal(QPoint(3, widget.height() // 2))
    px = screen[p.y(), p.x()].astype(int)
    return bool(np.abs(px - np.array(colour)).max() <= 12)


def row_brightness(screen: np.ndarray, w: MainWindow) -> float:
    """How bright the alarm table's first row is on the X server's picture."""
    view = w.alarms.queue.view
    r = view.visualRect(view.model().index(0, 2))
    top_left = view.viewport().mapToGlobal(r.topLeft())
    px = screen[top_left.y() + 2: top_left.y() + r.height() - 2,
                top_left.x(): top_left.x() + view.viewport().width() - 40]
    return float(px.mean())


def test_the_room_s_workstations_are_listed_with_this_seat_marked(
        qtbot: QtBot, seat: MainWindow) -> None:
    w = seat
    panel = w.adapter_panel
    w.adapter_dock.raise_()
    qtbot.waitUntil(lambda: panel.seats_table.isVisible()
                    and panel.seat_model.rowCount() == 3, timeout=5000)
    assert panel.seats_title.text() == "Workstations attached to the room"
    started = w.world.seats[2].since if w.world.seats else now()  # the service's
    rows = [[cell(w, r, c) for c in (ROLE, WORKSTATION, USER, SINCE)] for r in range(3)]
    assert rows == [
        ["Console service", "SRV-CSU", "csu", hms(started)],
        ["This seat", "PC-BRAVO", "bob", hms(started + timedelta(minutes=5))],
        ["Seat", "PC-ALPHA", "alice", hms(started + timedelta(minutes=2))],
    ]
    assert cell(w, 1, WORKSTATION, Qt.ItemDataRole.FontRole).bold()  # type: ignore[union-attr]
    assert cell(w, 2, WORKSTATION, Qt.ItemDataRole.FontRole) is None
    assert "Room: connected" in w.room.banner.chip.text()
    assert w.room.banner.chip.isVisible()
    # quitting a seat does not stop the room's alarms, and the question says so
    _head, what = w.quit_guard.texts(Counter({2: 1}))
    assert what.startswith("The alarm service and the other workstations keep these alarms")
    # a seat leaves: the list follows
    w.runtime.hub.post(SeatsChanged(seats=tuple(
        s for s in w.world.seats or () if s.seat_id != "seat-a")))
    qtbot.waitUntil(lambda: panel.seat_model.rowCount() == 2, timeout=5000)


def test_database_lost_red_band_stale_and_buttons_say_why_then_back(
        qtbot: QtBot, seat: MainWindow) -> None:
    w = seat
    banner, queue = w.room.banner, w.alarms.queue
    ack = w.alarms.detail.action_buttons[0]
    assert ack.defaultAction() is queue.act_ack
    assert ack.isEnabled()
    assert not banner.isVisible()
    deliver_posted()
    live = row_brightness(grab_screen(), w)
    lost = now()
    problem = ("connection failed: connection to server at \"10.0.0.5\", port 5432 failed: "
               "Connection refused\n\tIs the server running on that host and accepting "
               "TCP/IP connections?")  # as psycopg says it
    w.runtime.hub.post(RoomStatus(database_ok=False, service_ok=True, since=lost,
                                  problem=problem))
    qtbot.waitUntil(banner.isVisible, timeout=5000)
    text = banner.text.text()
    assert f"The room's database cannot be reached since {hms(lost)}" in text
    assert "what you see is no longer updated" in text
    assert "Reconnecting…" in text
    assert text.endswith('(connection failed: connection to server at "10.0.0.5", port 5432 '
                         'failed: Connection refused)')  # its first line; the rest in the tip
    assert banner.toolTip() == problem
    assert "Room: database lost" in banner.chip.text()
    # stale, not cleared: the alarm is still there, the table and the map say since when
    assert len(w.alarms.model.alarms()) == 1
    assert w.room.alarm_frame.strip.isVisible()
    assert f"Not updated since {hms(lost)}" in w.room.alarm_frame.strip.text()
    assert w.room.map_frame.strip.isVisible()
    assert f"Positions not updated since {hms(lost)}" in w.room.map_frame.strip.text()
    assert w.room.alarm_frame.veil is not None
    assert w.room.alarm_frame.veil.isVisible()
    assert w.room.map_frame.veil is not None
    assert w.room.map_frame.veil.isVisible()
    # the buttons do not pretend: greyed, and they say why
    assert not ack.isEnabled()
    assert not queue.act_close.isEnabled()
    assert not queue.act_note.isEnabled()
    assert "database cannot be reached" in queue.act_ack.toolTip()
    assert queue.act_open.isEnabled()  # opening the alarm's cameras needs no database
    queue.view.setFocus()
    qtbot.keyClick(queue.view, Qt.Key.Key_A)  # the operator's key says why, too
    assert queue.message.isVisible()
    assert "database cannot be reached" in queue.message.text()
    deliver_posted()
    screen = grab_screen()  # what the operator sees: a red band, amber strips
    assert on_screen(screen, banner, RED)
    assert on_screen(screen, w.room.alarm_frame.strip, AMBER)
    assert on_screen(screen, w.room.map_frame.strip, AMBER)
    assert row_brightness(screen, w) < live * 0.7  # the alarms are seen dimmed
    # a later state of the same outage keeps the first time the content was updated
    w.runtime.hub.post(RoomStatus(database_ok=False, service_ok=False,
                                  since=lost + timedelta(seconds=30)))
    qtbot.waitUntil(lambda: w.world.room.since != lost, timeout=5000)
    assert f"Not updated since {hms(lost)}" in w.room.alarm_frame.strip.text()

    w.runtime.hub.post(RoomStatus(database_ok=True, service_ok=True))
    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5000)
    assert "Room: connected" in banner.chip.text()
    assert "reached again" in w.statusBar().currentMessage()
    assert not w.room.alarm_frame.strip.isVisible()
    assert not w.room.map_frame.strip.isVisible()
    assert not w.room.alarm_frame.veil.isVisible()
    assert ack.isEnabled()
    assert queue.act_ack.toolTip().startswith("Acknowledge")
    deliver_posted()
    screen = grab_screen()
    assert not on_screen(screen, w.room.alarm_frame, AMBER)
    assert row_brightness(screen, w) > live * 0.8


def test_service_lost_in_french_alarms_still_handled(qtbot: QtBot, tmp_path: Path) -> None:
    apply_language("fr", remember=False)
    try:
        with main_window(SITE, tmp_path / "journal.sqlite", seat_id="seat-b") as w:
            w.runtime.hub.post(seats(now()))
            w.runtime.hub.post(report("b"))
            qtbot.waitUntil(lambda: w.alarms.current_alarm() is not None, timeout=10_000)
            lost = now()
            w.runtime.hub.post(RoomStatus(database_ok=True, service_ok=False, since=lost,
                                          service="SRV-CSU"))
            banner = w.room.banner
            qtbot.waitUntil(banner.isVisible, timeout=5000)
            assert banner.text.text() == (
                f"Le service console (sur SRV-CSU) ne répond plus depuis {hms(lost)}\u00a0: "
                "aucune nouvelle alarme ne parvient plus à la salle depuis les sources. Les "
                "alarmes déjà affichées peuvent toujours être traitées.")
            assert "Salle\u00a0: service perdu" in banner.chip.text()
            # the database answers: the alarm desk is live, positions are not
            assert w.alarms.queue.act_ack.isEnabled()
            assert not w.room.alarm_frame.strip.isVisible()
            assert w.room.map_frame.strip.isVisible()
            assert "Positions non mises à jour depuis" in w.room.map_frame.strip.text()
            w.runtime.hub.post(RoomStatus(database_ok=False, service_ok=False, since=lost,
                                          problem="connexion refusée"))
            qtbot.waitUntil(lambda: "base de données" in banner.text.text(), timeout=5000)
            assert "Reconnexion…" in banner.text.text()
            assert not w.alarms.queue.act_ack.isEnabled()
            assert "base de données" in w.alarms.queue.act_ack.toolTip()
            w.adapter_dock.raise_()  # the seats list too
            qtbot.waitUntil(w.adapter_panel.seats_table.isVisible, timeout=5000)
            names = ["Salle", "SRV-CSU", "PC-ALPHA", "PC-BRAVO", "alice", "bob", "csu",
                     "Intrusion b", "panel"]
            assert giveaways(w, "fr", names) == []  # every word shown is French
            apply_language("en", remember=False)  # switched live: the band follows
            qtbot.waitUntil(lambda: "Reconnecting…" in banner.text.text(), timeout=5000)
            assert "database cannot be reached" in w.alarms.queue.act_ack.toolTip()
            w.runtime.hub.post(RoomStatus(database_ok=True, service_ok=True))
            qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5000)
            assert "Room: connected" in banner.chip.text()
    finally:
        apply_language("en", remember=False)


def test_a_console_without_a_room_shows_none_of_it(qtbot: QtBot, tmp_path: Path) -> None:
    with main_window(SITE, tmp_path / "journal.sqlite") as w:
        w.runtime.hub.post(AdapterStatus("demo", "running", "ok"))
        w.runtime.hub.post(report("c"))
        qtbot.waitUntil(lambda: w.adapter_panel.model.rowCount() == 1
                        and len(w.alarms.model.alarms()) == 1, timeout=10_000)
        w.adapter_dock.raise_()
        qtbot.waitUntil(w.adapter_panel.table.isVisible, timeout=5000)
        assert not w.world.is_room
        assert w.adapter_panel.seats_table.isHidden()
        assert w.adapter_panel.seats_title.isHidden()
        assert w.room.banner.chip.isHidden()
        assert w.room.banner.isHidden()
        assert not w.room.systems_frame.strip.isVisible()
        assert w.alarms.queue.act_note.isEnabled()
        _head, what = w.quit_guard.texts(Counter({2: 1}))
        assert what.startswith("This workstation receives the site's alarms itself")


def test_the_bridge_delivers_the_latest_room_state_of_a_batch(qtbot: QtBot) -> None:
    """Several room events between two ticks: one signal each, with the latest, and the
    world keeps them (a panel built later shows them)."""
    hub, world = Hub(), World()
    bridge = HubBridge(hub, world)  # drained by hand, never started
    got: list[object] = []
    bridge.seats_changed.connect(got.append)
    bridge.room_changed.connect(got.append)
    first, latest = seats(now()), SeatsChanged(seats=seats(now()).seats[:1])
    down = RoomStatus(database_ok=False, service_ok=True, problem="timeout")
    up = RoomStatus(database_ok=True, service_ok=True)
    for e in (first, down, latest, up):
        hub.post(e)
    bridge.drain()
    assert got == [latest.seats, up]
    assert world.seats == latest.seats
    assert world.room is up
    assert world.is_room
    assert not World().is_room
