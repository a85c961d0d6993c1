"""OwnTracks against a real mosquitto, messages sent by the real `mosquitto_pub`: fixes
and transitions arrive, garbage is counted, a console outage loses nothing (QoS 1,
persistent session), a broker that goes away and comes back is said in the log and loses
nothing it could keep, refused passwords stop the adapter, dead brokers are said in plain
words."""

from __future__ import annotations

import asyncio
import json
import logging
import threading
import time

import pytest

from app.adapters.owntracks import OwnTracksAdapter, OwnTracksConfig
from app.core.events import OfficerStatusChanged, PositionReported
from app.core.model import OfficerStatus
from app.core.secrets import set_secret
from tests.integration.adapters.adapter_harness import running
from tests.integration.adapters.conftest import BrokerFactory, MosquittoBroker, free_port
from tests.waiting import port_open, wait_until

PHONE_FLUSH_S, PHONE_BACKLOG = 2.0, 100  # the phone publishes that long, that many at most


def loc(lat: float, lon: float, **extra: object) -> str:
    return json.dumps({"_type": "location", "lat": lat, "lon": lon, "tst": int(time.time()),
                       "tid": "AL", **extra})


def config(broker: MosquittoBroker, name: str, **kw: object) -> OwnTracksConfig:
    base: dict[str, object] = {"name": name, "port": broker.port,
                               "devices": {"alice/phone": "pm11"}}
    return OwnTracksConfig.model_validate({**base, **kw})


def test_locations_and_transitions_arrive(mosquitto_broker: MosquittoBroker) -> None:
    cfg = config(mosquitto_broker, "ot-live",
                 regions={"Poste": {"enter": "off_duty", "leave": "available"}})
    with running(OwnTracksAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        mosquitto_broker.publish("owntracks/alice/phone", loc(48.8566, 2.3522, vel=18, cog=90))
        [fix] = r.wait_for(PositionReported)
        assert isinstance(fix, PositionReported)
        assert fix.fix.officer_id == "pm11"
        assert fix.fix.speed_mps == 5.0
        assert fix.fix.heading_deg == 90
        transition = {"_type": "transition", "event": "enter", "desc": "Poste",
                      "lat": 48.857, "lon": 2.353, "tst": int(time.time()), "t": "c"}
        mosquitto_broker.publish("owntracks/alice/phone/event", json.dumps(transition))
        [st] = r.wait_for(OfficerStatusChanged)
        assert isinstance(st, OfficerStatusChanged)
        assert st.status is OfficerStatus.OFF_DUTY
        # garbage, an unknown phone and a fix from the future: counted, nothing emitted
        mosquitto_broker.publish("owntracks/alice/phone", b"\xff{not json")
        mosquitto_broker.publish("owntracks/mallory/phone", loc(48.0, 2.0))
        mosquitto_broker.publish("owntracks/alice/phone",
                                 loc(48.0, 2.0, tst=int(time.time()) + 86400))
        r.wait_rejected(3)
        assert "unknown device 'mallory/phone'" in r.sink.last_reject or r.sink.rejected == 3
        assert len([e for e in r.events if isinstance(e, PositionReported)]) == 2


def test_nothing_is_lost_while_the_console_is_away(mosquitto_broker: MosquittoBroker) -> None:
    cfg = config(mosquitto_broker, "ot-persist")
    with running(OwnTracksAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        mosquitto_broker.publish("owntracks/alice/phone", loc(48.1, 2.1))
        r.wait_for(PositionReported)  # subscribed: the broker now keeps our session
        adapter = r.adapter
        assert isinstance(adapter, OwnTracksAdapter)
        r.wait_until(lambda: adapter.acked == 1, what="the fix is stored and acknowledged")
    # the console is closed; the phone keeps publishing (QoS 1)
    for i in range(5):
        mosquitto_broker.publish("owntracks/alice/phone", loc(48.2 + i / 100, 2.2))
    with running(OwnTracksAdapter(cfg)) as r:
        r.wait_status("running", "session resumed")
        fixes = r.wait_for(PositionReported, 5)
        lats = sorted(round(e.fix.position.lat, 2) for e in fixes
                      if isinstance(e, PositionReported))
        assert lats == [48.2, 48.21, 48.22, 48.23, 48.24]


def test_refused_password_stops_the_adapter(mosquitto_broker: MosquittoBroker) -> None:
    """Not an outage: the adapter stops as "refused" (retrying would lock the account)."""
    set_secret("mqtt-wrong", "not-the-password")
    set_secret("mqtt-right", mosquitto_broker.auth_password)
    bad = config(mosquitto_broker, "ot-auth", port=mosquitto_broker.auth_port,
                 username="csu", password_secret="mqtt-wrong")
    expected = f"127.0.0.1:{mosquitto_broker.auth_port} refused the password for user 'csu'"
    with running(OwnTracksAdapter(bad)) as r:
        assert expected in r.wait_status("refused", "refused the password")
        assert not any(s.state == "retrying" for s in r.statuses)
        adapter = r.adapter
        assert isinstance(adapter, OwnTracksAdapter)
        r.wait_until(lambda: adapter._link is None, what="the MQTT client closed")
    [res] = asyncio.run(OwnTracksAdapter(bad).probe())
    assert not res.ok
    assert expected in res.detail
    assert mosquitto_broker.auth_password not in res.detail
    good = bad.model_copy(update={"password_secret": "mqtt-right"})
    [res] = asyncio.run(OwnTracksAdapter(good).probe())
    assert res.ok, res.detail
    assert "as 'csu'" in res.detail
    assert "owntracks/+/+" in res.detail
    with running(OwnTracksAdapter(good)) as r:
        r.wait_status("running", "connected")
        mosquitto_broker.publish("owntracks/alice/phone", loc(48.3, 2.3), auth=True)
        r.wait_for(PositionReported)


def test_a_password_changed_while_the_broker_was_away_stops_the_adapter(
        mosquitto_factory: BrokerFactory) -> None:
    """paho's own reconnection meets the refusal: it stops there too, until the installer
    fixes the secret and asks for a retry."""
    broker = mosquitto_factory.make()
    set_secret("mqtt-rotated", broker.auth_password)
    cfg = config(broker, "ot-rotated", port=broker.auth_port, username="csu",
                 password_secret="mqtt-rotated")
    with running(OwnTracksAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        broker.stop()
        broker.change_password("rotated-while-away")
        broker.start()
        detail = r.wait_status("refused")
        assert f"127.0.0.1:{broker.auth_port} refused the password for user 'csu'" in detail
        assert "rotated-while-away" not in detail
        adapter = r.adapter
        assert isinstance(adapter, OwnTracksAdapter)
        r.wait_until(lambda: adapter._link is None, what="paho's reconnection stopped")
        assert r.sink.state == "refused"
        set_secret("mqtt-rotated", "rotated-while-away")  # the installer fixes it
        r.statuses.clear()
        r.host.retry("ot-rotated")
        r.wait_status("running", "connected")
        broker.publish("owntracks/alice/phone", loc(48.31, 2.3), auth=True)
        r.wait_for(PositionReported)


def test_dead_broker_then_a_restart_without_persistence_is_said(
        mosquitto_factory: BrokerFactory) -> None:
    port = free_port()
    nobody = OwnTracksConfig(name="ot-dead", port=port)
    [res] = asyncio.run(OwnTracksAdapter(nobody).probe())
    assert not res.ok
    assert f"nothing answers at 127.0.0.1:{port}" in res.detail
    broker = mosquitto_factory.make()  # no persistence: a restart forgets every session
    cfg = config(broker, "ot-drop")
    with running(OwnTracksAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        broker.stop()
        r.wait_status("retrying", f"lost the connection to mqtt://127.0.0.1:{broker.port}")
        broker.start()
        back = r.wait_status("running", "connected again")
        assert "the broker had forgotten our session" in back
        assert "what was published to it before we subscribed again is lost" in back
        broker.publish("owntracks/alice/phone", loc(48.4, 2.4))  # subscribed again
        r.wait_for(PositionReported)


def test_a_broker_away_at_the_start_is_awaited_at_the_same_pace(
        mosquitto_factory: BrokerFactory) -> None:
    """Not the host's restarts with a backoff growing to a minute: paho keeps trying, at
    most a second apart, and the adapter is never restarted."""
    broker = mosquitto_factory.make()
    broker.stop()
    cfg = config(broker, "ot-late")
    with running(OwnTracksAdapter(cfg)) as r:
        detail = r.wait_status("retrying", f"nothing answers at 127.0.0.1:{broker.port}")
        assert "trying again every 1 s at most" in detail
        broker.start()
        r.wait_status("running", "connected")
        assert [s.state for s in r.statuses].count("starting") <= 1  # started once
        broker.publish("owntracks/alice/phone", loc(48.45, 2.4))
        r.wait_for(PositionReported)


def phone_flushing_its_backlog(broker: MosquittoBroker, sent: list[float]) -> None:
    """A phone that waits for the broker, then publishes a numbered series (QoS 1, each
    message by its own real `mosquitto_pub`) for a bounded time."""
    wait_until(lambda: port_open(broker.port), 30, "the broker back")
    end = time.monotonic() + PHONE_FLUSH_S
    while time.monotonic() < end and len(sent) < PHONE_BACKLOG:
        lat = round(48.5 + len(sent) / 1000, 3)
        broker.publish("owntracks/alice/phone", loc(lat, 2.5))
        sent.append(lat)


def test_what_is_published_on_the_brokers_return_reaches_the_journal(
        mosquitto_factory: BrokerFactory, caplog: pytest.LogCaptureFixture) -> None:
    """A broker with persistence keeps our session (subscriptions, queue) across its
    restart: what phones publish the moment it is back, before we are, waits for us.
    The log says once that the broker dropped and once that it is back."""
    broker = mosquitto_factory.make(persistent=True)
    cfg = config(broker, "ot-return")
    sent: list[float] = []
    with caplog.at_level(logging.INFO, logger="app.core.adapter"), \
            running(OwnTracksAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        broker.stop()
        r.wait_status("retrying", f"lost the connection to mqtt://127.0.0.1:{broker.port}")
        phone = threading.Thread(target=phone_flushing_its_backlog, args=(broker, sent))
        phone.start()
        broker.start()
        phone.join(PHONE_FLUSH_S + 30)
        assert len(sent) >= 5

        def fixes() -> list[float]:
            return sorted(round(e.fix.position.lat, 3) for e in r.events
                          if isinstance(e, PositionReported))
        r.wait_until(lambda: len(fixes()) >= len(sent), what=f"{len(sent)} fixes")
        assert fixes() == sent
        back = r.wait_status("running", "connected again to mqtt://")
        assert "session resumed" in back
        states = [s.state for s in r.statuses]
        assert states.index("retrying") < len(states) - 1 - states[::-1].index("running")
        assert r.journal is not None
        journal = r.journal
        r.wait_until(lambda: sum(isinstance(e, PositionReported)
                                 for _t, e in journal.iter_events()) == len(sent),
                     what="every fix journaled")
    lines = [rec.getMessage() for rec in caplog.records]
    drops = [m for m in lines if m.startswith("ot-return: running -> retrying")]
    backs = [m for m in lines if m.startswith("ot-return: retrying -> running")]
    assert len(drops) == 1, lines
    assert len(backs) == 1, lines
    assert f"lost the connection to mqtt://127.0.0.1:{broker.port}" in drops[0]
    assert "connected again" in backs[0]
