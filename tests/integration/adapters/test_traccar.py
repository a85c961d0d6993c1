"""Traccar against a local fake of its documented REST + WebSocket API: snapshot, live
positions, SOS, garbage counted, a dropped socket backfilled without a gap, a refused
password said in plain words."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.adapters.traccar import TraccarAdapter, TraccarConfig
from app.adapters.traccar.client import TraccarError, TraccarRest
from app.core import retry
from app.core.adapter import AuthRefused
from app.core.events import AlarmReported, PositionReported
from app.core.secrets import set_secret
from tests.integration.adapters.adapter_harness import running
from tests.integration.adapters.fake_traccar import FakeTraccar

EMAIL = "csu@ville.fr"
_seq = iter(range(1, 10**6))


def pos(device_id: int, lat: float, ago_s: float = 0) -> dict[str, Any]:
    t = datetime.now(UTC) - timedelta(seconds=ago_s)
    return {"id": next(_seq), "deviceId": device_id, "protocol": "osmand", "valid": True,
            "outdated": False, "fixTime": t.isoformat(), "deviceTime": t.isoformat(),
            "latitude": lat, "longitude": 2.35, "speed": 10.0, "course": 45.0,
            "accuracy": 6.0, "attributes": {}}


@pytest.fixture
def traccar() -> Iterator[FakeTraccar]:
    fake = FakeTraccar(EMAIL, "traccar-pw")
    fake.devices = [{"id": 1, "name": "PM 21", "uniqueId": "860001", "status": "online"},
                    {"id": 2, "name": "Inconnu", "uniqueId": "860002", "status": "online"}]
    fake.positions = [pos(1, 48.80, ago_s=30), pos(2, 48.90, ago_s=30)]
    fake.start()
    set_secret("traccar-pw", "traccar-pw")
    set_secret("traccar-wrong", "nope")
    try:
        yield fake
    finally:
        fake.stop()


def config(fake: FakeTraccar, secret: str = "traccar-pw") -> TraccarConfig:
    return TraccarConfig(name="traccar", url=fake.url, socket_url=fake.socket_url,
                         email=EMAIL, password_secret=secret, devices={"860001": "pm21"})


def lats(events: list[Any]) -> list[float]:
    return [e.fix.position.lat for e in events if isinstance(e, PositionReported)]


def test_snapshot_live_sos_and_a_drop_without_gap(traccar: FakeTraccar,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retry, "BACKOFF_FIRST_S", 0.2)
    with running(TraccarAdapter(config(traccar))) as r:
        r.wait_status("running", "live positions")
        [first] = r.wait_for(PositionReported)
        assert isinstance(first, PositionReported)
        assert first.fix.officer_id == "pm21"
        assert round(first.fix.speed_mps or 0, 2) == 5.14
        assert first.fix.heading_deg == 45
        r.wait_rejected(1)  # device 860002 is not mapped to an officer
        live = pos(1, 48.81, ago_s=10)
        traccar.positions.append(live)
        traccar.push({"positions": [live]})
        traccar.push("{not json")
        traccar.push({"events": [{"id": 7, "type": "alarm", "deviceId": 1,
                                  "eventTime": datetime.now(UTC).isoformat(),
                                  "attributes": {"alarm": "sos"}}]})
        [sos] = r.wait_for(AlarmReported)
        assert isinstance(sos, AlarmReported)
        assert sos.priority == 1
        assert sos.officer_id == "pm21"
        assert sos.source_id == "event-7"
        r.wait_rejected(2)
        # Traccar receives two fixes that the live feed never carries: the link drops
        traccar.positions += [pos(1, 48.82, ago_s=5), pos(1, 48.83, ago_s=3)]
        r.statuses.clear()
        traccar.drop()
        r.wait_status("retrying", "closed the live feed")
        r.wait_status("running", "live positions", timeout=30)
        r.wait_for(PositionReported, 4)
        assert lats(r.events) == [48.80, 48.81, 48.82, 48.83]  # no gap, nothing twice
        assert traccar.logins == 2
        # every REST answer and socket message was counted as received, before parsing:
        # (devices + positions) x 2 sessions + 1 history, and 3 socket messages
        r.wait_until(lambda: r.sink.messages == 8, what="8 messages received")


def test_a_wrong_password_is_not_tried_again_while_an_outage_is(
        traccar: FakeTraccar, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each refused login could count towards locking the account: one try, then the
    adapter waits as "refused" for the installer, while an outage is retried."""
    monkeypatch.setattr(retry, "BACKOFF_FIRST_S", 0.05)
    down = FakeTraccar(EMAIL, "traccar-pw")
    down.down = True
    down.start()
    try:
        with running(TraccarAdapter(config(traccar, "traccar-wrong"))) as bad, \
                running(TraccarAdapter(config(down).model_copy(update={"name": "t2"}))) as out:
            bad.wait_status("refused", "refused the user name or password")
            assert traccar.login_attempts == 1
            out.wait_until(lambda: down.requests >= 5, what="the outage retried")
            out.wait_status("retrying", "HTTP 503")
            bad.wait_until(lambda: True)
            assert traccar.login_attempts == 1, "a refused password was tried again"
            assert bad.sink.state == "refused"
            set_secret("traccar-wrong", "traccar-pw")  # the installer fixes it, retries
            bad.host.retry("traccar")
            bad.wait_status("running", "live positions")
    finally:
        down.stop()
        set_secret("traccar-wrong", "nope")


def test_an_expired_session_is_not_a_refused_password(traccar: FakeTraccar) -> None:
    """A 401 on a later call (the session expired) is not the password: no AuthRefused."""
    rest = TraccarRest(traccar.url, EMAIL, "traccar-pw", None)
    try:
        rest.login()
        traccar.expire_sessions()
        with pytest.raises(TraccarError, match="session") as err:
            rest.get("/api/devices")
        assert not isinstance(err.value, AuthRefused)
        rest.login()  # a new session works
        assert rest.get("/api/devices")
    finally:
        rest.close()
    wrong = TraccarRest(traccar.url, EMAIL, "nope", None)
    with pytest.raises(AuthRefused, match="refused the user name or password for"):
        wrong.login()
    wrong.close()


def test_refused_password_and_probe(traccar: FakeTraccar) -> None:
    bad = config(traccar, "traccar-wrong")
    with running(TraccarAdapter(bad)) as r:
        detail = r.wait_status("refused")
        assert detail == (f"Traccar at {traccar.url} refused the user name or password "
                          f"for '{EMAIL}' — fix the secret, then retry")
        assert "nope" not in detail
    [res] = asyncio.run(TraccarAdapter(bad).probe())
    assert not res.ok
    assert "refused the user name or password" in res.detail
    [res] = asyncio.run(TraccarAdapter(config(traccar)).probe())
    assert res.ok
    assert res.detail == "logged in; 2 devices, 1 of them mapped to officers"


def test_probe_of_a_dead_server() -> None:
    cfg = TraccarConfig(name="t", url="http://127.0.0.1:9", email=EMAIL)
    [res] = asyncio.run(TraccarAdapter(cfg).probe())
    assert not res.ok
    assert "nothing answers at http://127.0.0.1:9" in res.detail


def test_token_login(traccar: FakeTraccar) -> None:
    traccar.token = "tok-7f3a"
    set_secret("traccar-token", "tok-7f3a")
    cfg = TraccarConfig(name="traccar-token", url=traccar.url, socket_url=traccar.socket_url,
                        token_secret="traccar-token", devices={"860001": "pm21"})
    with running(TraccarAdapter(cfg)) as r:
        r.wait_status("running", "live positions")
        r.wait_for(PositionReported)
    set_secret("traccar-token", "stale-token")
    [res] = asyncio.run(TraccarAdapter(cfg).probe())
    assert not res.ok
    assert res.detail == f"Traccar at {traccar.url} refused the token"
