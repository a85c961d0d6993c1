"""`Hub.post_durable`: the future completes only once the event's store has committed it,
so an adapter acknowledges its source (MQTT PUBACK, DC-09 ACK, HTTP 202) only for what
survives a crash."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.events import AlarmReported, PositionReported
from app.core.hub import Hub
from app.core.journal import Journal
from app.core.journal_writer import JournalWriter
from app.core.model import AlarmType, LatLon, PositionFix
from app.services.alarm_service import AlarmService

NOW = datetime.now(UTC)


def test_a_position_is_settled_after_the_journal_commits(tmp_path: Path) -> None:
    hub, journal = Hub(), Journal(tmp_path / "j.sqlite")
    writer = JournalWriter(hub, journal, batch_interval_s=0.05)
    fix = PositionReported(PositionFix("pm11", LatLon(60.17, 24.94), NOW))
    fut = hub.post_durable(fix)
    assert not fut.done()  # nothing stores it yet
    writer.start()
    try:
        fut.result(timeout=10)
        assert journal.count_events("position") == 1
    finally:
        writer.stop()
        journal.close()


def test_an_alarm_report_is_settled_by_the_alarm_service(tmp_path: Path) -> None:
    hub, journal = Hub(), Journal(tmp_path / "j.sqlite")
    service = AlarmService(hub, journal, escalation_threshold_s=lambda _t: 3600)
    report = AlarmReported("panel", "a1", AlarmType.INTRUSION, 2, "Intrusion", NOW)
    fut = hub.post_durable(report)
    service.start()
    try:
        fut.result(timeout=10)
        assert [a.source_id for a in journal.load_alarms()] == ["a1"]
    finally:
        service.stop()
        journal.close()


def test_a_failed_commit_fails_the_future(tmp_path: Path) -> None:
    hub, journal = Hub(), Journal(tmp_path / "j.sqlite")
    writer = JournalWriter(hub, journal, batch_interval_s=0.05)
    journal.close()  # every write now fails
    fut = hub.post_durable(PositionReported(PositionFix("pm11", LatLon(60.17, 24.94), NOW)))
    writer.start()
    try:
        with pytest.raises(Exception, match="closed"):
            fut.result(timeout=10)
    finally:
        writer.stop()
