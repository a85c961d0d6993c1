"""The generic body-cam platform against a real mosquitto (and over its webhook, served by
the shared receiver and posted to with `requests`): cameras announced with their RTSP URLs;
weapon drawn -> P1 alarm + camera live + officer in emergency; emergency button; battery low
as a camera status; ack published back; every MQTT message and HTTP request counted as
received. A `weapon_drawn` forged without the signature or the token opens nothing."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import requests

from app.adapters.bodycam import BodycamAdapter, BodycamConfig
from app.adapters.http_ingress import signed_headers
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
from tests.integration.adapters.adapter_harness import Running, running
from tests.integration.adapters.conftest import MosquittoBroker, free_port, subscribed
from tests.tls import TlsFiles, make_tls_files

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
        r.wait_until(lambda: r.sink.messages == 6, what="6 messages received")
        ours = Alarm("A-7", alarm.source, alarm.source_id, alarm.type, 1, alarm.title,
                     alarm.time, camera_ids=alarm.camera_ids, officer_id="pm11")
        with subscribed(mosquitto_broker, "bodycam/+/ack") as acks:
            r.host.acknowledge("axon", ours, "operateur2")
            topic, body = acks.get(timeout=10)
        assert topic == "bodycam/BC-0042/ack"
        assert json.loads(body)["id"] == "e1"


HMAC_KEY = "bc-hmac-key"
TOKEN = "tok-123"


def webhook_cfg(name: str, **kw: object) -> BodycamConfig:
    set_secret("bodycam-hmac", HMAC_KEY)
    set_secret("bodycam-token", TOKEN)
    return BodycamConfig.model_validate({
        "name": name, "transport": "webhook", "webhook_host": "127.0.0.1", "webhook_port": 0,
        "webhook_secret": "bodycam-hmac", "devices": DEVICES,
        "rtsp_template": "rtsp://cloud.local/live/{device}", **kw})


@pytest.fixture
def hook_url(request: pytest.FixtureRequest) -> Iterator[tuple[Running, str]]:
    """A body-cam adapter on webhook (`request.param`: config overrides), and its base URL."""
    cfg = webhook_cfg("bc-hook", **getattr(request, "param", {}))
    with running(BodycamAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        adapter = r.adapter
        assert isinstance(adapter, BodycamAdapter)
        assert adapter.receiver is not None
        scheme = "https" if cfg.webhook_tls_cert else "http"
        yield r, f"{scheme}://127.0.0.1:{adapter.receiver.port}/bodycam"


def signed(url: str, device: str, body: str, key: str = HMAC_KEY,
           **kw: object) -> requests.Response:
    data = body.encode()
    return requests.post(f"{url}/{device}/event", data=data, timeout=10,  # type: ignore[arg-type]
                         headers=signed_headers(data, key), **kw)


def with_token(url: str, device: str, body: str, token: str | None,
               **kw: object) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return requests.post(f"{url}/{device}/event", data=body.encode(), timeout=10,  # type: ignore[arg-type]
                         headers=headers, **kw)


def opened_nothing(r: Running) -> bool:
    return not any(isinstance(e, (AlarmReported, BodyCamLiveChanged, OfficerStatusChanged))
                   for e in r.events)


def test_a_forged_weapon_drawn_is_no_alarm_and_opens_no_body_cam(
        hook_url: tuple[Running, str]) -> None:
    """The issue: an unauthenticated `weapon_drawn` became a P1 alarm whose opening shows the
    officer's body cam live, logged as lawful. Without the signature, or with a wrong one,
    nothing happens but a counted refusal."""
    r, url = hook_url
    forged = event("weapon_drawn", "f1", lat=48.85, lon=2.35)
    assert requests.post(f"{url}/BC-0042/event", data=forged, timeout=10).status_code == 401
    assert signed(url, "BC-0042", forged, key="guessed").status_code == 401
    assert with_token(url, "BC-0042", forged, HMAC_KEY).status_code == 401  # not a token hook
    r.wait_rejected(3)
    assert opened_nothing(r)
    assert r.sink.last_reject.startswith("HTTP 401: missing X-CSU-Signature")
    # the real platform, signing, still gets through
    assert signed(url, "BC-0042", event("weapon_drawn", "w1")).status_code == 202
    [alarm] = r.wait_for(AlarmReported)
    assert isinstance(alarm, AlarmReported)
    assert (alarm.type, alarm.source_id) == (AlarmType.WEAPON_DRAWN, "w1")
    assert r.sink.rejected == 3
    assert r.sink.messages == 4


def test_signed_events_and_their_replays(hook_url: tuple[Running, str]) -> None:
    r, url = hook_url
    body = event("emergency", "w1")
    headers = signed_headers(body.encode(), HMAC_KEY)
    assert requests.post(f"{url}/BC-0042/event", data=body, headers=headers, timeout=10
                         ).status_code == 202
    copy = requests.post(f"{url}/BC-0042/event", data=body, headers=headers, timeout=10)
    assert copy.status_code == 409
    assert signed(url, "BC-0043", event("battery_low", "w3", battery=5)).status_code == 202
    bad = signed(url, "BC-0042", "{")
    assert (bad.status_code, bad.text.strip()) == (422, "payload is not JSON")
    assert signed(url, "BC-9999", event("emergency", "w4")).status_code == 422
    [alarm] = r.wait_for(AlarmReported)
    assert isinstance(alarm, AlarmReported)
    assert (alarm.type, alarm.priority) == (AlarmType.BODYCAM_EMERGENCY, 1)
    [battery] = r.wait_for(CameraStatusChanged)
    assert isinstance(battery, CameraStatusChanged)
    assert battery.detail == "battery low (5 %)"
    r.wait_rejected(3)
    assert r.sink.messages == 5


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    return make_tls_files(tmp_path_factory.mktemp("tls"))


def test_bearer_token_over_tls(tls_files: TlsFiles) -> None:
    cfg = webhook_cfg("bc-token", webhook_auth="token", webhook_secret="bodycam-token",
                      webhook_tls_cert=str(tls_files.cert), webhook_tls_key=str(tls_files.key),
                      battery_alarm=True)
    with running(BodycamAdapter(cfg)) as r:
        detail = r.wait_status("running", "listening")
        assert detail.startswith("listening for webhooks on https://127.0.0.1:")
        assert detail.endswith("/bodycam/{device}/event (bearer token)")
        adapter = r.adapter
        assert isinstance(adapter, BodycamAdapter)
        assert adapter.receiver is not None
        url = f"https://127.0.0.1:{adapter.receiver.port}/bodycam"
        ca = str(tls_files.ca)
        assert with_token(url, "BC-0042", event("emergency", "t1"), TOKEN, verify=ca
                          ).status_code == 202
        for token in (None, "nope", TOKEN[:-1]):
            assert with_token(url, "BC-0042", event("weapon_drawn", "t2"), token, verify=ca
                              ).status_code == 401
        assert with_token(url, "BC-0043", event("battery_low", "t3", battery=5), TOKEN,
                          verify=ca).status_code == 202
        alarms = [a for a in r.wait_for(AlarmReported, 2) if isinstance(a, AlarmReported)]
        assert [(a.type, a.priority) for a in alarms] == [
            (AlarmType.BODYCAM_EMERGENCY, 1), (AlarmType.OTHER, 4)]
        r.wait_rejected(3)
        assert r.sink.rejected == 3


def test_a_token_over_plain_http_is_said_in_the_status() -> None:
    with running(BodycamAdapter(webhook_cfg("bc-clear", webhook_auth="token",
                                            webhook_secret="bodycam-token"))) as r:
        detail = r.wait_status("running", "listening")
        assert "the bearer token crosses the network in clear" in detail


def test_a_webhook_without_a_secret_is_refused_by_the_config() -> None:
    """There is no open webhook: no `webhook_secret`, no adapter."""
    with pytest.raises(ValueError, match="needs `webhook_secret`"):
        BodycamConfig.model_validate({"name": "x", "transport": "webhook", "devices": DEVICES})
    with pytest.raises(ValueError, match="webhook_token_secret"):  # the former optional token
        BodycamConfig.model_validate({"name": "x", "transport": "webhook",
                                      "webhook_token_secret": "t"})
    BodycamConfig.model_validate({"name": "x", "transport": "mqtt"})  # MQTT needs none


@pytest.mark.parametrize("transport", ["mqtt", "webhook"])
def test_bodycam_probe_words(transport: str) -> None:
    import asyncio

    set_secret("bodycam-hmac", HMAC_KEY)
    port = free_port()
    cfg = BodycamConfig.model_validate({"name": "p", "transport": transport, "port": port,
                                        "webhook_host": "127.0.0.1", "webhook_port": port,
                                        "webhook_secret": "bodycam-hmac"})
    results = asyncio.run(BodycamAdapter(cfg).probe())
    if transport == "mqtt":
        [res] = results
        assert not res.ok
        assert "connection refused" in res.detail
    else:
        assert [(r.check, r.ok, r.detail) for r in results] == [
            (f"listen for webhooks on http://127.0.0.1:{port}/bodycam/<device>/event", True,
             "the port is free"),
            ("HMAC secret 'bodycam-hmac' in the keyring", True, "found")]


@pytest.mark.parametrize("hook_url", [{}], indirect=True)
def test_webhook_refuses_bad_requests(hook_url: tuple[Running, str]) -> None:
    """Wrong method, no length, oversized body, oversized header, garbage, wrong path: an
    HTTP error, counted, never a crash; a good request still passes after."""
    r, url = hook_url
    port = int(url.split(":")[2].split("/")[0])

    def raw(data: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            try:
                s.sendall(data)
                return s.recv(200)
            except ConnectionResetError:  # closed with our bytes unread: answer lost
                return b"RESET"

    ev = b"/bodycam/BC-0042/event HTTP/1.1\r\nHost: x\r\n"
    assert raw(b"GET " + ev + b"\r\n").startswith(b"HTTP/1.1 405")
    assert raw(b"POST " + ev + b"Content-Length: 99999\r\n\r\n").startswith(b"HTTP/1.1 413")
    assert raw(b"POST " + ev + b"\r\n").startswith(b"HTTP/1.1 411")
    assert raw(b"POST /x HTTP/1.1\r\n" + b"X: " + b"a" * 9000 + b"\r\n\r\n"
               ).startswith((b"HTTP/1.0 400", b"RESET"))
    assert raw(b"\x00\xff garbage\r\n\r\n").startswith(b"HTTP/1.0 400")
    body = event("emergency", "w9")
    assert raw(f"POST /elsewhere HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n\r\n"
               f"{body}".encode()).startswith(b"HTTP/1.1 404")
    r.wait_rejected(6)
    assert signed(url, "BC-0042", event("emergency", "w10")).status_code == 202
    r.wait_for(AlarmReported)
    assert r.sink.rejected == 6
    assert r.sink.messages == 7


def test_bodycam_webhook_answers_202_once_stored_and_503_without_a_store() -> None:
    cfg = webhook_cfg("bc-hook3", store_timeout_s=0.3)
    with running(BodycamAdapter(cfg)) as r:  # the journal writer and the alarm service run
        r.wait_status("running", "listening")
        assert isinstance(r.adapter, BodycamAdapter)
        assert r.adapter.receiver is not None
        url = f"http://127.0.0.1:{r.adapter.receiver.port}/bodycam"
        assert signed(url, "BC-0042", event("emergency", "s1")).status_code == 202
        assert r.journal is not None
        alarms = r.journal.load_alarms()  # at once: 202 waited for the commit
        assert [a.source_id for a in alarms] == ["s1"]
    with running(BodycamAdapter(cfg), store=False) as r:  # nothing commits
        r.wait_status("running", "listening")
        assert isinstance(r.adapter, BodycamAdapter)
        assert r.adapter.receiver is not None
        url = f"http://127.0.0.1:{r.adapter.receiver.port}/bodycam"
        resp = signed(url, "BC-0042", event("emergency", "s2"))
        assert resp.status_code == 503
        assert resp.headers["Retry-After"] == "5"
        assert "not stored, retry later" in resp.text
