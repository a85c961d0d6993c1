"""MQTT PUBACKs wait for the store: against the real mosquitto, a QoS 1 message the console
never stored is not acknowledged, so the broker delivers it again to the restarted adapter
(persistent session), where it ends up journaled exactly once. A position delivered twice
would be harmless (a repeated fix), an alarm is merged by the alarm book on its source id;
here the count proves the broker got its PUBACK the second time.

Plus the acknowledgement queue itself, with futures completed by hand: PUBACKs leave in
the order the messages arrived, a failed store is never acknowledged and is reported."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gc
import json
import os
import time
from pathlib import Path

from app.adapters.frigate import FrigateAdapter, FrigateConfig
from app.adapters.mqtt_link import MqttConfig, MqttLink
from app.adapters.owntracks import OwnTracksAdapter, OwnTracksConfig
from app.core.events import AlarmReported, PositionReported
from tests.integration.adapters.adapter_harness import running
from tests.integration.adapters.conftest import MosquittoBroker
from tests.integration.adapters.test_frigate_mqtt import frigate_event


def loc(lat: float) -> str:
    return json.dumps({"_type": "location", "lat": lat, "lon": 2.35, "tst": int(time.time()),
                       "tid": "AL"})


def journaled_lats(path: Path) -> list[float]:
    from app.core.journal import Journal

    journal = Journal(path)
    try:
        return [round(e.fix.position.lat, 3) for _t, e in journal.iter_events()
                if isinstance(e, PositionReported)]
    finally:
        journal.close()


def test_an_unstored_position_is_not_acked_and_comes_back_once(
        mosquitto_broker: MosquittoBroker, tmp_path: Path) -> None:
    cfg = OwnTracksConfig.model_validate({"name": "ot-acks", "port": mosquitto_broker.port,
                                          "devices": {"alice/phone": "pm11"}})
    topic = "owntracks/alice/phone"
    journal = tmp_path / "journal.sqlite"
    # 1. the store is stopped (no journal writer): the fix reaches the hub, no PUBACK
    with running(OwnTracksAdapter(cfg), store=False) as r:
        r.wait_status("running", "connected")
        mosquitto_broker.publish(topic, loc(48.501))
        r.wait_for(PositionReported)
        assert isinstance(r.adapter, OwnTracksAdapter)
        assert r.adapter.acked == 0
    # 2. the console's adapter restarts with its session: the broker delivers it again,
    #    now it is journaled, then acknowledged; a new fix follows it
    with running(OwnTracksAdapter(cfg), journal_path=journal) as r:
        r.wait_status("running", "session resumed")
        adapter = r.adapter
        assert isinstance(adapter, OwnTracksAdapter)
        r.wait_until(lambda: adapter.acked == 1, what="the redelivered fix is acknowledged")
        mosquitto_broker.publish(topic, loc(48.502))
        r.wait_until(lambda: adapter.acked == 2, what="the next fix is acknowledged")
    # 3. once more: nothing comes back (it was acknowledged), only the new fix arrives
    with running(OwnTracksAdapter(cfg), journal_path=journal) as r:
        r.wait_status("running", "session resumed")
        adapter = r.adapter
        assert isinstance(adapter, OwnTracksAdapter)
        mosquitto_broker.publish(topic, loc(48.503))
        r.wait_until(lambda: adapter.acked >= 1, what="the third fix is acknowledged")
    assert journaled_lats(journal) == [48.501, 48.502, 48.503]


def test_a_failed_store_is_not_acked_and_the_adapter_reconnects_for_it(
        mosquitto_broker: MosquittoBroker, tmp_path: Path) -> None:
    cfg = OwnTracksConfig.model_validate({"name": "ot-fail", "port": mosquitto_broker.port,
                                          "devices": {"alice/phone": "pm11"}})
    journal = tmp_path / "journal.sqlite"
    with running(OwnTracksAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        assert r.journal is not None
        r.journal.close()  # the disk is gone: every commit of the journal writer fails
        mosquitto_broker.publish("owntracks/alice/phone", loc(48.601))
        detail = r.wait_status("retrying", "could not store a message")
        assert "not acknowledged, the broker will deliver it again" in detail
        r.wait_status("running", "session resumed")  # the host's backoff reconnected
    with running(OwnTracksAdapter(cfg), journal_path=journal) as r:  # a working store
        r.wait_status("running", "session resumed")
        adapter = r.adapter
        assert isinstance(adapter, OwnTracksAdapter)
        r.wait_until(lambda: adapter.acked == 1, what="the fix is stored and acknowledged")
    assert journaled_lats(journal) == [48.601]


def test_an_unstored_frigate_alarm_comes_back_and_is_journaled_once(
        mosquitto_broker: MosquittoBroker, tmp_path: Path) -> None:
    cfg = FrigateConfig(name="frigate-acks", port=mosquitto_broker.port,
                        cameras={"front_door": "cam-hdv"})
    journal = tmp_path / "journal.sqlite"
    with running(FrigateAdapter(cfg), store=False) as r:  # no alarm service
        r.wait_status("running", "connected")
        mosquitto_broker.publish("frigate/events", frigate_event("new", "1700000009.9-abc"))
        mosquitto_broker.publish("frigate/events", frigate_event("update", "1700000009.9-abc"))
        r.wait_for(AlarmReported)
        assert isinstance(r.adapter, FrigateAdapter)
        assert r.adapter.acked == 0  # the update waits for the alarm of its event, too
    with running(FrigateAdapter(cfg), journal_path=journal) as r:
        r.wait_status("running", "session resumed")
        adapter = r.adapter
        assert isinstance(adapter, FrigateAdapter)
        r.wait_until(lambda: adapter.acked == 2, what="both messages acknowledged")
        assert r.journal is not None
        (alarm,) = r.journal.load_alarms()
        assert alarm.source_id == "1700000009.9-abc"


class _Recorded(MqttLink):
    """The link's acknowledgement queue without a broker: PUBACKs are recorded."""

    def __init__(self, failures: list[str]) -> None:
        super().__init__(MqttConfig(kind="test", name="acks"), ["t"], lambda t, p: (),
                         lambda s, d: None, on_store_failure=failures.append)
        self.sent: list[int] = []
        self.client.ack = lambda mid, qos: self.sent.append(mid)  # type: ignore[method-assign,assignment,return-value]

    def arrive(self, mid: int, *futures: concurrent.futures.Future[None]) -> None:
        from app.adapters.mqtt_link import _Inbound

        self._track(_Inbound(mid, 1, "t", len(futures)), list(futures))


def test_pubacks_leave_in_arrival_order_and_never_for_a_failed_store() -> None:
    failures: list[str] = []
    link = _Recorded(failures)
    a, b1, b2, c, d = (concurrent.futures.Future[None]() for _ in range(5))
    link.arrive(1, a)
    link.arrive(2, b1, b2)  # a message that made two events (e.g. an alarm and a fix)
    link.arrive(3)  # rejected: nothing to store, but it must not overtake 1 and 2
    link.arrive(4, c)
    link.arrive(5, d)
    b1.set_result(None)
    c.set_result(None)
    assert link.sent == []  # 1 is not stored yet
    a.set_result(None)
    assert link.sent == [1]  # 2 still waits for its second event
    b2.set_result(None)
    assert link.sent == [1, 2, 3, 4]
    d.set_exception(OSError("disk full"))
    assert link.sent == [1, 2, 3, 4]  # 5 is never acknowledged: the broker re-sends it
    assert len(failures) == 1
    assert "disk full" in failures[0]
    assert "not acknowledged" in failures[0]


def test_a_closed_link_leaves_no_socket_open(mosquitto_broker: MosquittoBroker) -> None:
    """paho's loop opens a socket pair it closes only in `__del__`; our link and its client
    hold each other (callbacks), so without `close()` closing it, the pair stayed open
    until some garbage collection, which then warned of two unclosed sockets in whatever
    test ran at that moment (a failure under the strict warning settings)."""
    cfg = MqttConfig(kind="test", name="fd-check", port=mosquitto_broker.port)

    async def connect_and_close() -> None:
        link = MqttLink(cfg, ["t/#"], lambda t, p: (), lambda s, d: None)
        await link.connect()
        await link.close()

    def open_fds() -> int:
        return len(os.listdir("/proc/self/fd"))

    gc.collect()
    gc.disable()  # what a collection would free late must be free already
    try:
        before = open_fds()
        asyncio.run(connect_and_close())
        assert open_fds() == before
    finally:
        gc.enable()
