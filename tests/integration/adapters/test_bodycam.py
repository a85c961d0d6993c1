"""The generic body-cam platform against a real mosquitto (and over its webhook):
cameras announced with their RTSP URLs; weapon drawn -> P1 alarm + camera live + officer in
emergency; emergency button; battery low as a camera status; ack published back."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest

from app.adapters.bodycam import BodycamAdapter, BodycamConfig
from app.core.events import (
    AlarmReported,
    BodyCamLiveChanged,
    CameraAnnounced,
    CameraStatusChanged,
    OfficerStatusChanged,
    PositionReported,
)
from app.core.model import Alarm, AlarmType, CameraKind, OfficerStatus
from app.core.secrets import set_secret
from tests.integration.adapters.adapter_harness import running
from tests.integration.adapters.conftest import MosquittoBroker, free_port, subscribed

DEVICES = {"BC-0042": {"officer": "pm11"},
           "BC-0043": {"officer": "pm12", "camera": "bc-pm12", "rtsp": "rtsp://10.0.0.9/x"}}


def event(kind: str, event_id: str, **extra: object) -> str:
    return json.dumps({"id": event_id, "type": kind,
                       "time": datetime.now(UTC).isoformat(), **extra})


def test_bodycam_over_mqtt(mosquitto_broker: MosquittoBroker) -> None:
    cfg = BodycamConfig.model_validate({
        "name": "axon", "port": mosquitto_broker.port, "devices": DEVICES,
        "rtsp_template": "rtsp://cloud.local/live/{device}"})
    with running(BodycamAdapter(cfg)) as r:
        cams = [e.camera for e in r.wait_for(CameraAnnounced, 2)
                if isinstance(e, CameraAnnounced)]
        assert {(c.id, c.streams.main, c.officer_id, c.kind) for c in cams} == {
            ("bc-bc-0042", "rtsp://cloud.local/live/BC-0042", "pm11", CameraKind.BODY),
            ("bc-pm12", "rtsp://10.0.0.9/x", "pm12", CameraKind.BODY)}
        r.wait_status("running", "connected")
        pub = mosquitto_broker.publish
        pub("bodycam/BC-0042/event", event("weapon_drawn", "e1", lat=48.85, lon=2.35))
        [alarm] = r.wait_for(AlarmReported)
        [live] = r.wait_for(BodyCamLiveChanged)
        [status] = r.wait_for(OfficerStatusChanged)
        r.wait_for(PositionReported)
        assert isinstance(alarm, AlarmReported)
        assert isinstance(live, BodyCamLiveChanged)
        assert (alarm.type, alarm.priority, alarm.officer_id) == (AlarmType.WEAPON_DRAWN, 1,
                                                                  "pm11")
        assert alarm.camera_ids == ("bc-bc-0042",)
        assert alarm.position is not None
        assert live.live
        assert live.camera_id == "bc-bc-0042"
        assert isinstance(status, OfficerStatusChanged)
        assert status.status is OfficerStatus.EMERGENCY
        pub("bodycam/BC-0043/event", event("emergency", "e2"))
        pub("bodycam/BC-0043/event", event("battery_low", "e3", battery=9))
        pub("bodycam/BC-9999/event", event("emergency", "e4"))  # unknown device
        pub("bodycam/BC-0043/event", event("weapon_drawn", "e5", lat=91, lon=2))
        pub("bodycam/BC-0043/event", "{\"type\": \"emergency\"}")  # no id, no time
        emergency = r.wait_for(AlarmReported, 2)[1]
        assert isinstance(emergency, AlarmReported)
        assert emergency.type is AlarmType.BODYCAM_EMERGENCY
        assert emergency.priority == 1
        [battery] = r.wait_for(CameraStatusChanged)
        assert isinstance(battery, CameraStatusChanged)
        assert battery.detail == "battery low (9 %)"
        assert battery.camera_id == "bc-pm12"
        r.wait_rejected(3)
        assert sum(isinstance(e, AlarmReported) for e in r.events) == 2
        ours = Alarm("A-7", alarm.source, alarm.source_id, alarm.type, 1, alarm.title,
                     alarm.time, camera_ids=alarm.camera_ids, officer_id="pm11")
        with subscribed(mosquitto_broker, "bodycam/+/ack") as acks:
            r.host.acknowledge("axon", ours, "operateur2")
            topic, body = acks.get(timeout=10)
        assert topic == "bodycam/BC-0042/ack"
        assert json.loads(body)["id"] == "e1"


def post(port: int, path: str, body: str, token: str | None) -> int:
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body.encode(),
                                 method="POST", headers={"Content-Type": "application/json"})
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def test_bodycam_over_webhook() -> None:
    set_secret("bodycam-token", "tok-123")
    port = free_port()
    cfg = BodycamConfig.model_validate({
        "name": "bc-hook", "transport": "webhook", "webhook_host": "127.0.0.1",
        "webhook_port": port, "webhook_token_secret": "bodycam-token", "devices": DEVICES,
        "rtsp_template": "rtsp://cloud.local/live/{device}", "battery_alarm": True})
    with running(BodycamAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        assert post(port, "/bodycam/BC-0042/event", event("emergency", "w1"), "tok-123") == 202
        assert post(port, "/bodycam/BC-0042/event", event("emergency", "w2"), "nope") == 401
        assert post(port, "/bodycam/BC-0042/event", "{", "tok-123") == 422
        assert post(port, "/bodycam/BC-0043/event", event("battery_low", "w3", battery=5),
                    "tok-123") == 202
        alarms = [a for a in r.wait_for(AlarmReported, 2) if isinstance(a, AlarmReported)]
        assert [(a.type, a.priority) for a in alarms] == [
            (AlarmType.BODYCAM_EMERGENCY, 1), (AlarmType.OTHER, 4)]
        assert r.sink.rejected == 1


@pytest.mark.parametrize("transport", ["mqtt", "webhook"])
def test_bodycam_probe_words(transport: str) -> None:
    import asyncio

    port = free_port()
    cfg = BodycamConfig.model_validate({"name": "p", "transport": transport, "port": port,
                                        "webhook_host": "127.0.0.1", "webhook_port": port})
    [res] = asyncio.run(BodycamAdapter(cfg).probe())
    if transport == "mqtt":
        assert not res.ok
        assert "connection refused" in res.detail
    else:
        assert res.ok, res.detail


def test_webhook_refuses_bad_requests() -> None:
    """Wrong method, no length, oversized body, garbage: an HTTP error, never a crash."""
    import socket

    port = free_port()
    cfg = BodycamConfig.model_validate({
        "name": "bc-hook2", "transport": "webhook", "webhook_host": "127.0.0.1",
        "webhook_port": port, "devices": DEVICES})

    def raw(data: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            return s.recv(200)

    with running(BodycamAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        assert raw(b"GET /bodycam/BC-0042/event HTTP/1.1\r\n\r\n").startswith(
            b"HTTP/1.1 405")
        assert raw(b"POST /x HTTP/1.1\r\nContent-Length: 99999\r\n\r\n").startswith(
            b"HTTP/1.1 413")
        assert raw(b"POST /x HTTP/1.1\r\n" + b"X: " + b"a" * 9000 + b"\r\n\r\n"
                   ).startswith(b"HTTP/1.1 400")
        assert raw(b"\x00\xff garbage").startswith(b"HTTP/1.1 400")
        body = event("emergency", "w9")
        assert raw(f"POST /elsewhere HTTP/1.1\r\nContent-Length: {len(body)}\r\n\r\n"
                   f"{body}".encode()).startswith(b"HTTP/1.1 422")
        assert post(port, "/bodycam/BC-0042/event", event("emergency", "w10"), None) == 202
        r.wait_for(AlarmReported)


def test_bodycam_webhook_answers_202_once_stored_and_503_without_a_store() -> None:
    port = free_port()
    cfg = BodycamConfig.model_validate({
        "name": "bc-hook3", "transport": "webhook", "webhook_host": "127.0.0.1",
        "webhook_port": port, "devices": DEVICES, "store_timeout_s": 0.3})
    with running(BodycamAdapter(cfg)) as r:  # the journal writer and the alarm service run
        r.wait_status("running", "listening")
        assert post(port, "/bodycam/BC-0042/event", event("emergency", "s1"), None) == 202
        assert r.journal is not None
        alarms = r.journal.load_alarms()  # at once: 202 waited for the commit
        assert [a.source_id for a in alarms] == ["s1"]
    with running(BodycamAdapter(cfg), store=False) as r:  # nothing commits
        r.wait_status("running", "listening")
        body = event("emergency", "s2").encode()
        req = urllib.request.Request(f"http://127.0.0.1:{port}/bodycam/BC-0042/event",
                                     data=body, method="POST")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=10)
        assert err.value.code == 503
        assert err.value.headers["Retry-After"] == "5"
        assert "not stored, retry later" in err.value.read().decode()
        err.value.close()
