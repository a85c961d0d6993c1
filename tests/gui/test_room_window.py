"""The console's window as a seat of a room, on a real PostgreSQL journal and the room's
service: an alarm the service takes shows in the window; the operator's acknowledgement
from the window reaches the other seat; acting on an alarm another seat handled first is
refused with who did it, in the window's own words."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.model import AlarmState
from app.services.alarm_book import Acknowledge, handled_state
from app.services.seat_runtime import SeatRuntime
from tests.gui.conftest import main_window
from tests.room.room_rig import PASSWORD, Room, quiet_site, report


def test_a_seat_window_acts_through_the_room_and_is_told_who_was_first(
        qtbot: QtBot, room: Room, tmp_path: Path) -> None:
    service = room.start_service()
    bob = room.seat("bob")
    seat = SeatRuntime(quiet_site(), room.where, room.password, user="alice")
    room.account("alice")
    with main_window(seat.site, tmp_path / "unused.sqlite", runtime=seat) as w:
        seat.sign_in("alice", PASSWORD).result(30)
        desk = w.alarms
        # the room's chip speaks for the journal; the single console's "Journal: OK" would
        # stay green while the room's database is lost
        assert not w.journal_banner.chip.isVisible()
        service.hub.post_durable(report("door-w1")).result(10)
        qtbot.waitUntil(lambda: any(a.source_id == "door-w1" for a in desk.model.alarms()),
                        timeout=20000)
        first = next(a for a in desk.model.alarms() if a.source_id == "door-w1")
        actions = desk.commands
        assert actions is not None
        with qtbot.waitSignal(actions.succeeded, timeout=20000):
            actions.acknowledge(first.id)
        on_bob = bob.wait_alarm("door-w1", lambda a: a.state is AlarmState.ACKNOWLEDGED)
        assert on_bob.history[-1].actor == "alice"  # the session's, whatever the seat wrote

        service.hub.post_durable(report("door-w2")).result(10)
        second = bob.wait_alarm("door-w2")
        qtbot.waitUntil(lambda: desk.model.alarm(second.id) is not None, timeout=20000)
        bob.seat.alarms.submit(Acknowledge(second.id, "bob", handled_state(second))
                               ).result(10)  # bob was first
        with qtbot.waitSignal(actions.failed, timeout=20000) as failed:
            actions.acknowledge(second.id)
        assert str(failed.args[0]).startswith(
            f"Alarm {second.id} was already acknowledged by bob at ")
        qtbot.waitUntil(desk.queue.message.isVisible, timeout=5000)
        qtbot.waitUntil(lambda: desk.model.alarm(second.id).state  # type: ignore[union-attr]
                        is AlarmState.ACKNOWLEDGED, timeout=20000)
