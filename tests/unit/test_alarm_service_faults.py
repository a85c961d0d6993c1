"""While the journal cannot write, the alarm service loses nothing and hides nothing:
reports wait (their sources are told "not stored"), acknowledgements and escalations wait in
order, the operator is told what waits and why, and everything is stored, then shown, once
the journal writes again. Memory and journal never disagree."""

from __future__ import annotations

import concurrent.futures
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.events import AlarmChanged, AlarmReported, JournalStatus
from app.core.hub import Hub, only
from app.core.journal import Journal, JournalUnavailable
from app.core.model import AlarmState, AlarmType, LatLon
from app.services.alarm_book import Acknowledge
from app.services.alarm_service import AlarmService
from tests.integration.journal_faults import SmallDisk
from tests.waiting import wait_until

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += timedelta(seconds=seconds)


def report(sid: str, msg: str = "") -> AlarmReported:
    return AlarmReported("panel", sid, AlarmType.INTRUSION, 3, f"Intrusion {sid}", T0,
                         camera_ids=("cam-1",), message_id=msg)


@pytest.fixture
def rig(tmp_path: Path):  # type: ignore[no-untyped-def]
    disk = SmallDisk(tmp_path / "disk")
    hub = Hub()
    journal = Journal(disk.path / "j.sqlite")
    clock = Clock()
    ui = hub.subscribe("ui", only(AlarmChanged, JournalStatus))
    service = AlarmService(hub, journal, escalation_threshold_s=lambda _t: 5, clock=clock,
                           tick_s=0.05, locate=lambda r: LatLon(60.17, 24.94))
    service.start()
    yield hub, journal, clock, ui, service, disk
    service.stop()
    journal.close()
    disk.unmount()


def test_nothing_is_lost_while_the_disk_is_full(rig) -> None:  # type: ignore[no-untyped-def]
    hub, journal, clock, ui, service, disk = rig
    first = hub.post_durable(report("a"))
    first.result(10)
    (shown,) = [e.alarm for e in wait_until(ui.drain, 10) if isinstance(e, AlarmChanged)]
    assert shown.position == LatLon(60.17, 24.94)  # the camera's place (Frigate case)

    disk.fill()
    refused = hub.post_durable(report("b"))
    with pytest.raises(JournalUnavailable):  # the source is told at once: it will resend
        refused.result(10)
    ack = service.submit(Acknowledge(shown.id, "alice"))
    clock.advance(6)  # alarm "a" would escalate now
    status = wait_until(lambda: next((e for e in ui.drain() if isinstance(e, JournalStatus)
                                      and not e.ok and e.waiting_actions >= 1), None), 10,
                        "a journal status saying what waits")
    assert status.problem == "the disk holding the journal is full"
    assert status.waiting_reports == 1
    # nothing was shown that is not stored, and memory agrees with the journal
    assert not ack.done()
    assert service.book.by_id[shown.id] == journal.load_alarms()[0]
    assert [a.id for a in journal.load_alarms()] == [shown.id]

    disk.free()
    acked = ack.result(10)
    assert acked.state is AlarmState.ACKNOWLEDGED
    wait_until(lambda: len(journal.load_alarms()) == 2, 10, "the waiting report stored")
    changes: list[AlarmChanged] = []
    wait_until(lambda: changes.extend(e for e in ui.drain() if isinstance(e, AlarmChanged))
               or any(c.alarm.source_id == "b" for c in changes), 10)
    assert journal.health.ok
    stored = {a.source_id: a for a in journal.load_alarms()}
    assert stored["a"].state is AlarmState.ACKNOWLEDGED
    assert [s.action for s in stored["a"].history] == ["raised", "acknowledged"]
    assert stored["b"].state is AlarmState.NEW
    assert journal.count_events("alarm_report") == 2  # the reports themselves, durably
    assert any(a.action == "acknowledged" for a in journal.actions())


def test_an_escalation_due_while_the_disk_is_full_is_stored_later(
        rig) -> None:  # type: ignore[no-untyped-def]
    """Before: 613 escalations attempted on a full disk were lost for good (alarm stayed
    P2): the book had been changed before the failed save."""
    hub, journal, clock, _ui, service, disk = rig
    hub.post_durable(report("a")).result(10)
    disk.fill()
    clock.advance(6)
    wait_until(lambda: not journal.health.ok, 10, "the escalation tried and refused")
    assert not service.book.by_id["1"].escalated
    disk.free()
    wait_until(lambda: journal.load_alarms()[0].escalated, 10, "the escalation stored")
    esc = journal.load_alarms()[0]
    assert esc.priority == 2
    assert service.book.by_id["1"] == esc


def test_a_retransmission_is_stored_as_an_event_not_as_an_alarm(
        rig) -> None:  # type: ignore[no-untyped-def]
    hub, journal, _clock, _ui, service, _disk = rig
    futures: list[concurrent.futures.Future[None]] = [
        hub.post_durable(report("a", msg="seq-7")) for _ in range(3)]
    for f in futures:
        f.result(10)  # every copy acknowledged to its source
    assert len(journal.load_alarms()) == 1
    assert journal.count_events("alarm_report") == 3  # nothing a source says disappears
    assert service.retransmissions == 2
