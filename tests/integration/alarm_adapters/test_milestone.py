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
from app.adapters.milestone import adapter as milestone_adapter
from app.core import retry
from app.core.adapter import AuthRefused
from app.core.events import AlarmReported
from app.core.model import Alarm, AlarmType
from app.core.secrets import set_secret
from tests.integration.adapters.adapter_harness import running
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


def config(fake: FakeXProtect, secret_name: str, name: str = "xprotect",
           **extra: Any) -> MilestoneConfig:
    return MilestoneConfig(kind="milestone", name=name, url=fake.url, username="csu",
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
    # counted as received before parsing: the New alarm and the broken one of the list, the
    # two command replies and the two pushes of the WebSocket
    assert running.sink.messages == 6
    polls = server.alarm_polls
    wait_until(lambda: server.alarm_polls >= polls + 2, what="two more polls")
    # the list still holds the same alarms: nothing new received, rejected or raised
    assert running.sink.messages == 6
    assert running.sink.rejects.count("XProtect: alarm has no valid id") == 1
    assert len(running.sink.of(AlarmReported)) == 2


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
    assert isinstance(running.error, AuthRefused)
    assert str(running.error) == (f"XProtect at {server.url} refused the user name or "
                                  "password for 'csu'")
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


@pytest.fixture
def fast_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "BACKOFF_FIRST_S", 0.05)


def test_a_wrong_password_is_not_tried_again_while_an_outage_is(
        server: FakeXProtect, secret: Callable[[str], str], fast_backoff: None) -> None:
    """In the console's host: one refused login, then "refused" and no other try (each
    could count towards locking the account), while an outage is retried."""
    down = FakeXProtect("csu", PASSWORD).start()
    down.down = True
    wrong = secret("wrong")
    try:
        with running(MilestoneAdapter(config(server, wrong))) as bad, \
                running(MilestoneAdapter(config(down, secret(PASSWORD), name="xp2"))) as out:
            detail = bad.wait_status("refused")
            assert detail == (f"XProtect at {server.url} refused the user name or password "
                              "for 'csu' — fix the secret, then retry")
            assert server.login_attempts == 1
            out.wait_until(lambda: down.requests >= 5, what="the outage retried")
            out.wait_status("retrying", "503")
            bad.wait_until(lambda: True)
            assert server.login_attempts == 1, "a refused password was tried again"
            assert bad.sink.state == "refused"
            set_secret(wrong, PASSWORD)  # the installer fixes it, then retries
            bad.host.retry("xprotect")
            bad.wait_status("running", "connected to XProtect")
    finally:
        down.stop()


def test_events_refused_for_a_fresh_token_stop_as_refused(
        server: FakeXProtect, secret: Callable[[str], str], fast_backoff: None) -> None:
    server.ws_refuse = True
    with running(MilestoneAdapter(config(server, secret(PASSWORD)))) as r:
        detail = r.wait_status("refused")
        assert detail == (f"XProtect at {server.url} refused the events stream to 'csu' "
                          "just after logging in — fix the secret, then retry")
        assert server.login_attempts == 1


def test_other_login_errors_are_not_called_a_wrong_password(
        server: FakeXProtect, secret: Callable[[str], str], fast_backoff: None) -> None:
    server.token_error = "invalid_client"
    cfg = config(server, secret(PASSWORD))
    with running(MilestoneAdapter(cfg)) as r:
        detail = r.wait_status("retrying")
        assert detail.startswith(f"XProtect at {server.url} did not accept the login request "
                                 "(HTTP 400 invalid_client: check client_id)")
        r.wait_until(lambda: server.login_attempts >= 2, what="retried like an outage")
    assert not any(s.state == "refused" or "password" in s.detail for s in r.statuses)
    (result,) = asyncio.run(MilestoneAdapter(cfg).probe())
    assert (result.ok, result.detail) == (False, f"XProtect at {server.url} did not accept "
                                                 "the login request (HTTP 400 invalid_client: "
                                                 "check client_id)")


def test_events_refused_to_an_old_token_log_in_again(
        server: FakeXProtect, secret: Callable[[str], str], fast_backoff: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A token refused long after it was issued (revoked, expired early) is not the
    password: the adapter says so, forgets it, and the next start logs in again."""
    monkeypatch.setattr(milestone_adapter, "FRESH_TOKEN_S", 0.0)  # every token is old
    server.ws_refuse = True
    with running(MilestoneAdapter(config(server, secret(PASSWORD)))) as r:
        r.wait_status("retrying", "refused the events stream to an old token: logging in "
                                  "again")
        server.ws_refuse = False
        r.wait_status("running", "connected to XProtect")
        r.wait_until(server.subscribed.is_set, what="the events subscription")
        assert server.login_attempts >= 2
    assert not any(s.state == "refused" for s in r.statuses)
