"""The packaged demo started again: the alarms an earlier run left open are closed by the
demo's user (a newcomer would otherwise meet alarms waiting for hours); a real site's
open alarms are never touched this way, and this run's own alarms stay open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.events import AlarmReported
from app.core.model import AlarmState, AlarmType
from app.services.demo_session import DEMO_USER, close_earlier_runs
from app.services.runtime import Runtime
from tests.room.room_rig import quiet_site
from tests.waiting import wait_until


def report(source_id: str, when: datetime) -> AlarmReported:
    return AlarmReported("demo", source_id, AlarmType.INTRUSION, 2, f"Intrusion {source_id}",
                         when)


def test_a_restarted_demo_closes_what_its_earlier_run_left_open(tmp_path: Path) -> None:
    journal = tmp_path / "demo.sqlite"
    first = Runtime(quiet_site(), {}, journal)
    first.start()
    try:
        first.hub.post_durable(report("old-1", datetime.now(UTC) - timedelta(hours=7))
                               ).result(10)
        wait_until(lambda: len(first.current_alarms()) == 1, 10)
    finally:
        first.stop()
    again = Runtime(quiet_site(), {}, journal)
    again.start()
    try:
        again.sign_in_as_demo(DEMO_USER)
        again.hub.post_durable(report("new-1", datetime.now(UTC))).result(10)
        wait_until(lambda: len(again.current_alarms()) == 2, 10)
        for done in close_earlier_runs(again):
            done.result(10)
        states = {a.source_id: a.state for a in again.current_alarms()}
        assert states == {"old-1": AlarmState.CLOSED, "new-1": AlarmState.NEW}
        closed = next(a for a in again.current_alarms() if a.source_id == "old-1")
        assert closed.history[-1].actor == "demo"
        assert "demo started again" in closed.history[-1].detail
    finally:
        again.stop()
