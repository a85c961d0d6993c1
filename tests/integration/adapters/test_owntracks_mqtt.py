"""OwnTracks against a real mosquitto, messages sent by the real `mosquitto_pub`: fixes
and transitions arrive, garbage is counted, a console outage loses nothing (QoS 1,
persistent session), refused passwords and dead brokers are said in plain words."""

from __future__ import annotations

import asyncio
import json
import time

from app.adapters.owntracks import OwnTracksAdapter, OwnTracksConfig
from app.core.events import OfficerStatusChanged, PositionReported
from app.core.model import OfficerStatus
from app.core.secrets import set_secret
from tests.integration.adapters.adapter_harness import running
from tests.integration.adapters.conftest import BrokerFactory, MosquittoBroker, free_port


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


def test_refused_password_is_said_plainly(mosquitto_broker: MosquittoBroker) -> None:
    set_secret("mqtt-wrong", "not-the-password")
    set_secret("mqtt-right", mosquitto_broker.auth_password)
    bad = config(mosquitto_broker, "ot-auth", port=mosquitto_broker.auth_port,
                 username="csu", password_secret="mqtt-wrong")
    expected = f"127.0.0.1:{mosquitto_broker.auth_port} refused the password for user 'csu'"
    with running(OwnTracksAdapter(bad)) as r:
        assert expected in r.wait_status("retrying", "refused the password")
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


def test_dead_broker_then_a_drop_reconnects(mosquitto_factory: BrokerFactory) -> None:
    port = free_port()
    nobody = OwnTracksConfig(name="ot-dead", port=port)
    [res] = asyncio.run(OwnTracksAdapter(nobody).probe())
    assert not res.ok
    assert f"nothing answers at 127.0.0.1:{port}" in res.detail
    broker = mosquitto_factory.make()
    cfg = config(broker, "ot-drop")
    with running(OwnTracksAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        broker.stop()
        r.wait_status("retrying", "lost the connection")
        broker.start()
        r.statuses.clear()
        r.wait_status("running", "connected", timeout=30)
        broker.publish("owntracks/alice/phone", loc(48.4, 2.4))
        r.wait_for(PositionReported)
