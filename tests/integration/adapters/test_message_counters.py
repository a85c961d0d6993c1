"""What the Connected systems panel counts is true: messages received from the outside
(before parsing), the events made from them and the rejections, apart. Each adapter is fed
by a real peer on loopback (mosquitto with `mosquitto_pub`, TCP and UDP senders, pytak's
CoT, GStreamer's RTSP server) and run in the real adapter host with its CountingSink."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from app.adapters.bodycam import BodycamAdapter, BodycamConfig
from app.adapters.cot import CotAdapter, CotConfig
from app.adapters.demo import DemoAdapter, DemoConfig
from app.adapters.frigate import FrigateAdapter, FrigateConfig
from app.adapters.nmea import NmeaAdapter, NmeaConfig
from app.adapters.owntracks import OwnTracksAdapter, OwnTracksConfig
from app.adapters.rtsp import RtspAdapter, RtspConfig
from app.core.adapter import CountingSink
from app.core.events import (
    AdapterStatus,
    AlarmReported,
    CameraAnnounced,
    CameraStatusChanged,
    Event,
    OfficerAnnounced,
    OfficerStatusChanged,
    PositionReported,
)
from tests.integration.adapters.adapter_harness import Running, running
from tests.integration.adapters.conftest import MosquittoBroker, free_port
from tests.integration.adapters.test_cot_pytak import atom, send_with_pytak
from tests.integration.adapters.test_frigate_mqtt import frigate_event
from tests.integration.adapters.test_nmea_tcp import gga, rmc, sentence
from tests.servers.rtsp import RtspServer, rtsp_server_available


def counted(r: Running, messages: int, rejected: int) -> tuple[int, int, int]:
    """(messages, events, rejected) once the sink saw `messages` and `rejected`."""
    r.wait_until(lambda: r.sink.messages >= messages and r.sink.rejected >= rejected,
                 what=f"{messages} messages and {rejected} rejected")
    snap = r.sink.snapshot()  # what the panel shows
    return snap.messages, snap.events, snap.rejected


def test_frigate_six_messages_are_six_messages(mosquitto_broker: MosquittoBroker) -> None:
    """The issue saw 6 Frigate messages counted as 2 'received' (the 2 alarms)."""
    cfg = FrigateConfig(name="frigate-count", port=mosquitto_broker.port,
                        cameras={"front_door": "cam-hdv", "yard": "cam-gare"},
                        labels=["person", "car"])
    with running(FrigateAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        pub = mosquitto_broker.publish
        pub("frigate/events", frigate_event("new", "1700000100.1-a"))  # an alarm
        pub("frigate/events", frigate_event("update", "1700000100.1-a"))  # the same alarm
        pub("frigate/events", frigate_event("end", "1700000100.1-a"))  # nothing new
        pub("frigate/events", frigate_event("new", "1700000100.2-d", label="dog"))  # filtered
        pub("frigate/events", frigate_event("new", "1700000100.3-g", camera="garage"))  # bad
        pub("frigate/events", frigate_event("new", "1700000100.4-c", camera="yard",
                                            label="car"))  # an alarm
        r.wait_for(AlarmReported, 2)
        assert counted(r, 6, 1) == (6, 2, 1)


def test_owntracks_messages_events_and_rejections(mosquitto_broker: MosquittoBroker) -> None:
    cfg = OwnTracksConfig.model_validate({
        "name": "ot-count", "port": mosquitto_broker.port, "devices": {"alice/phone": "pm11"},
        "regions": {"Poste": {"enter": "off_duty"}}})
    now = int(time.time())
    with running(OwnTracksAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        pub = mosquitto_broker.publish
        pub("owntracks/alice/phone", json.dumps(
            {"_type": "location", "lat": 48.85, "lon": 2.35, "tst": now}))  # 1 event
        pub("owntracks/alice/phone/event", json.dumps(
            {"_type": "transition", "event": "enter", "desc": "Poste", "lat": 48.85,
             "lon": 2.35, "tst": now}))  # a fix and a status: 2 events
        pub("owntracks/alice/phone", json.dumps({"_type": "waypoint"}))  # ignored
        pub("owntracks/alice/phone", b"\xff{not json")  # rejected
        pub("owntracks/mallory/phone", json.dumps(
            {"_type": "location", "lat": 48.0, "lon": 2.0, "tst": now}))  # rejected
        r.wait_for(OfficerStatusChanged)
        assert counted(r, 5, 2) == (5, 3, 2)


def test_every_mqtt_adapter_counts_a_message_once(mosquitto_broker: MosquittoBroker) -> None:
    """The MQTT base counts each message before the adapter's `handle` parses it: the
    body-cam platform's MQTT path too, once (its `handle` must not count again)."""
    cfg = BodycamConfig.model_validate({"name": "bodycam-count",
                                        "port": mosquitto_broker.port,
                                        "devices": {"BC-0042": {"officer": "pm11"}}})
    with running(BodycamAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        pub = mosquitto_broker.publish
        pub("bodycam/BC-0042/event", json.dumps({
            "id": "e1", "type": "emergency", "time": datetime.now(UTC).isoformat()}))
        pub("bodycam/BC-0042/event", b"\xff{not json")  # rejected
        pub("bodycam/BC-9999/event", json.dumps({
            "id": "e2", "type": "emergency", "time": datetime.now(UTC).isoformat()}))
        r.wait_for(AlarmReported)
        r.wait_rejected(2)
        assert (r.sink.messages, r.sink.rejected) == (3, 2)


def test_nmea_counts_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    port = free_port()
    cfg = NmeaConfig(name="nmea-count", host="127.0.0.1", port=port,
                     devices={"127.0.0.1": "pm15"})
    with running(NmeaAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(rmc(51.396) + gga()  # 2 fixes
                      + sentence("GPGSV,3,1,11,03,03,111,00")  # satellites: ignored
                      + b"$GPRMC,garbage*00\r\n"  # bad checksum: rejected
                      + b"X" * 600 + b"\r\n"  # no end within the limit: rejected
                      + rmc(51.5)[:-2])  # the last sentence, cut by the end of the stream
        r.wait_for(PositionReported, 3)
        assert counted(r, 6, 2) == (6, 3, 2)


def test_nmea_an_unknown_tracker_is_one_input_refused() -> None:
    port = free_port()
    cfg = NmeaConfig(name="nmea-count-unknown", host="127.0.0.1", port=port,
                     devices={"10.9.9.9": "pm15"})
    with running(NmeaAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(rmc(51.0))
        assert counted(r, 1, 1) == (1, 0, 1)


def test_cot_counts_events_over_tcp_and_udp() -> None:
    tcp, udp = free_port(), free_port()
    cfg = CotConfig(name="tak-count", host="127.0.0.1", tcp_port=tcp, udp_port=udp,
                    devices={"ANDROID-pm11": "pm11"})
    with running(CotAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        # pytak over TCP: its hello ping (ignored) and two fixes
        asyncio.run(send_with_pytak(f"tcp://127.0.0.1:{tcp}", [
            atom("ANDROID-pm11", "PM 11", 48.8566, 2.3522, 87.5, 1.4),
            atom("ANDROID-pm11", "PM 11", 48.857, 2.353, 87.5, 1.4)]))
        r.wait_for(PositionReported, 2)
        assert counted(r, 3, 0) == (3, 2, 0)
        # garbage over TCP: a broken event, an unknown uid, one left open at the close
        with socket.create_connection(("127.0.0.1", tcp)) as s:
            s.sendall(b"<event><oops></event>" + atom("ANDROID-x", "X", 1, 1, 0, 0)
                      + b"<event how='h-e'")
        assert counted(r, 6, 3) == (6, 2, 3)
        # over UDP, one event per datagram: a fix and garbage
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.sendto(atom("ANDROID-pm11", "PM 11", 48.858, 2.353, 0, 0), ("127.0.0.1", udp))
            u.sendto(b"\xbf\x01\x00protobuf", ("127.0.0.1", udp))
        r.wait_for(PositionReported, 3)
        assert counted(r, 8, 4) == (8, 3, 4)


WHY_NO_RTSP = rtsp_server_available()


@pytest.mark.skipif(bool(WHY_NO_RTSP), reason=f"no real RTSP server here: {WHY_NO_RTSP}")
def test_rtsp_counts_the_answers_of_its_cameras() -> None:
    """A camera's answer to the periodic DESCRIBE is a message from it; a camera that does
    not answer sends none (the panel's last message says when a camera last answered)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        down = s.getsockname()[1]  # nobody listens here once closed
    with RtspServer(mounts=["cam1"], width=320, height=180, fps=5) as srv:
        cfg = RtspConfig.model_validate({"name": "rtsp-count", "check_interval_s": 5, "cameras": [
            {"id": "cam-up", "name": "Parvis", "main": f"rtsp://127.0.0.1:{srv.port}/cam1"},
            {"id": "cam-down", "name": "Gare", "main": f"rtsp://127.0.0.1:{down}/cam"}]})
        with running(RtspAdapter(cfg)) as r:
            r.wait_for(CameraStatusChanged, 2)
            r.wait_status("running", "1 of 2 camera(s) answer")
            messages, events, rejected = counted(r, 1, 0)
            assert (messages, rejected) == (1, 0)
            assert events == 4  # 2 cameras announced, 2 first states (up, down)


async def _run_demo(adapter: DemoAdapter, sink: CountingSink,
                    until: Callable[[], bool]) -> None:
    task = asyncio.create_task(adapter.start(sink))
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 30
        while not until() and loop.time() < deadline and not task.done():
            await asyncio.sleep(0.02)  # the poll of a bounded wait
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await adapter.stop()


def test_demo_counts_its_simulated_inputs_not_its_site() -> None:
    """Each fix, alarm, status or body-cam change the town simulates stands for a message
    a real system would send; announcing the site's cameras and officers is not one."""
    posted: list[Event] = []
    sink = CountingSink("demo-count", posted.append)  # the host's sink, without a host
    cfg = DemoConfig(name="demo-count", seed=5, video=False, officers=3, cameras=4,
                     first_alarm_after_s=0.1, alarm_interval_s=(0.2, 0.4),
                     position_interval_s=0.1)

    def enough() -> bool:
        return sum(isinstance(e, AlarmReported) for e in posted) >= 2
    asyncio.run(_run_demo(DemoAdapter(cfg), sink, enough))
    assert enough()
    events = [e for e in posted if not isinstance(e, AdapterStatus)]
    site = (CameraAnnounced, OfficerAnnounced, CameraStatusChanged)
    simulated = [e for e in events if not isinstance(e, site)]
    assert sum(isinstance(e, PositionReported) for e in simulated) >= 3
    assert sink.emitted == len(events)
    assert sink.messages == len(simulated)
