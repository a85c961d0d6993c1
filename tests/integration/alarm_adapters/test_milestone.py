"""The Milestone adapter against a local XProtect stand-in (real HTTP + WebSocket on
loopback, XProtect's documented shapes): login, New alarms, live events, write-back of
acknowledgements, a refused password and a dropped stream."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.adapters.milestone import MilestoneAdapter, MilestoneConfig
from app.core.events import AlarmReported
from app.core.model import Alarm, AlarmType
from tests.integration.alarm_adapters.conftest import Running
from tests.integration.alarm_adapters.fake_milestone import FakeXProtect
from tests.waiting import wait_until

PASSWORD = "xp-password"
CAM = "6a8c1f2e-0000-4000-8000-000000000001"
MOTION = "6eb95dd6-7ccc-4bce-99f8-af0d0b582d77"


def iso(delta_s: float = 0) -> str:
    return (datetime.now(UTC) + timedelta(seconds=delta_s)).isoformat()


@pytest.fixture
def server() -> Iterator[FakeXProtect]:
    fake = FakeXProtect("csu", PASSWORD).start()
    fake.alarms = [
        {"id": "a-1", "name": "Intrusion parking", "message": "Person in restricted area",
         "timestamp": iso(-5), "priority": {"level": 1}, "state": {"name": "New"},
         "source": {"type": "cameras", "id": CAM, "name": "Parking P1"}},
        {"id": "a-2", "name": "Old", "timestamp": iso(-60), "state": {"name": "Closed"}},
        {"id": "", "name": "broken"},
    ]
    yield fake
    fake.stop()


def config(fake: FakeXProtect, secret_name: str, **extra: Any) -> MilestoneConfig:
    return MilestoneConfig(kind="milestone", name="xprotect", url=fake.url, username="csu",
                           password_secret=secret_name, events_url=fake.events_url,
                           poll_interval_s=1, camera_map={CAM: "cam-parking"},
                           event_types={MOTION: {"title": "Motion (XProtect)"}},  # type: ignore[dict-item]
                           **extra)


def test_new_alarms_and_mapped_events_become_alarms(
        server: FakeXProtect, secret: Callable[[str], str],
        run_adapter: Callable[[MilestoneAdapter], Running]) -> None:
    running = run_adapter(MilestoneAdapter(config(server, secret(PASSWORD))))
    wait_until(server.subscribed.is_set, what="the events subscription")
    (alarm,) = running.sink.of(AlarmReported)
    assert alarm.source_id == "alarm:a-1"
    assert alarm.priority == 1
    assert alarm.title == "XProtect: Person in restricted area (Parking P1)"
    assert alarm.camera_ids == ("cam-parking",)
    assert running.sink.rejects == ["XProtect: alarm has no valid id"]
    server.push({"events": [
        {"specversion": "1.0", "id": "e-1", "type": MOTION, "source": f"cameras/{CAM}",
         "time": iso(-1), "datatype": "event"},
        {"specversion": "1.0", "id": "e-2", "type": "unmapped", "source": "cameras/x",
         "time": iso()}]})
    server.push("not json")
    wait_until(lambda: len(running.sink.of(AlarmReported)) == 2, what="the motion alarm")
    motion = running.sink.of(AlarmReported)[1]
    assert (motion.type, motion.title, motion.camera_ids) == (
        AlarmType.VIDEO_ANALYTICS, "Motion (XProtect)", ("cam-parking",))
    wait_until(lambda: "XProtect event stream: not JSON" in running.sink.rejects)
    assert ("running", f"connected to XProtect {server.url} as csu") in running.sink.states


def test_acknowledging_in_the_console_updates_the_xprotect_alarm(
        server: FakeXProtect, secret: Callable[[str], str],
        run_adapter: Callable[[MilestoneAdapter], Running]) -> None:
    adapter = MilestoneAdapter(config(server, secret(PASSWORD)))
    running = run_adapter(adapter)
    report = wait_until(lambda: running.sink.of(AlarmReported))[0]
    alarm = Alarm(id="7", source=report.source, source_id=report.source_id, type=report.type,
                  priority=report.priority, title=report.title, raised_at=report.time)
    running.call(adapter.acknowledge(alarm, "op.dupont"))
    assert server.patches == [("a-1", {"state": 4, "comment":
                                       "Acknowledged in the CSU console by op.dupont"})]


def test_a_refused_password_fails_start_and_probe_in_plain_words(
        server: FakeXProtect, secret: Callable[[str], str],
        run_adapter: Callable[[MilestoneAdapter], Running]) -> None:
    adapter = MilestoneAdapter(config(server, secret("wrong")))
    running = run_adapter(adapter)
    wait_until(lambda: running.error is not None, what="start fails")
    assert "refused the user name or password for 'csu'" in str(running.error)
    (result,) = asyncio.run(adapter.probe())
    assert not result.ok
    assert "refused the user name or password" in result.detail
    ok = asyncio.run(MilestoneAdapter(config(server, secret(PASSWORD))).probe())
    assert [r.ok for r in ok] == [True]


def test_a_dropped_event_stream_ends_start_so_the_host_reconnects(
        server: FakeXProtect, secret: Callable[[str], str],
        run_adapter: Callable[[MilestoneAdapter], Running]) -> None:
    running = run_adapter(MilestoneAdapter(config(server, secret(PASSWORD))))
    wait_until(server.subscribed.is_set)
    server.drop_clients()
    wait_until(lambda: running.error is not None, what="start ends with the reason")
    assert isinstance(running.error, ConnectionError)


def test_a_server_that_is_down_is_reported_by_probe(secret: Callable[[str], str]) -> None:
    cfg = MilestoneConfig(kind="milestone", name="xprotect", url="http://127.0.0.1:9",
                          username="csu", password_secret=secret(PASSWORD))
    (result,) = asyncio.run(MilestoneAdapter(cfg).probe())
    assert not result.ok
    assert result.detail.startswith("cannot reach the server")
