"""The ONVIF adapter against a local ONVIF camera stand-in (real HTTP, SOAP, digest auth
checked): profiles and stream URIs announced, PTZ moves and presets, PullPoint events as
alarms, a refused password and a camera that is down."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.onvif import OnvifAdapter, OnvifConfig
from app.adapters.onvif.adapter import PtzFailed
from app.core.adapter import PtzCommand
from app.core.events import AlarmReported, CameraAnnounced, CameraStatusChanged
from app.core.model import AlarmType, LatLon
from tests.integration.alarm_adapters.conftest import Running
from tests.integration.alarm_adapters.fake_onvif import ENV, FakeOnvifCamera, notification
from tests.waiting import wait_until

PASSWORD = "onvif-pass"


@pytest.fixture
def camera() -> Iterator[FakeOnvifCamera]:
    fake = FakeOnvifCamera("admin", PASSWORD).start()
    yield fake
    fake.stop()


def config(url: str, secret_name: str) -> OnvifConfig:
    return OnvifConfig(kind="onvif", name="onvif", username="admin",
                       password_secret=secret_name, devices=[  # type: ignore[list-item]
                           {"id": "cam-ptz", "name": "Place du marché", "url": url,
                            "position": [48.857, 2.353], "heading": 90}])


def test_profiles_streams_ptz_and_events(camera: FakeOnvifCamera, secret: Callable[[str], str],
                                         run_adapter: Callable[[OnvifAdapter], Running]) -> None:
    adapter = OnvifAdapter(config(camera.url, secret(PASSWORD)))
    running = run_adapter(adapter)
    (announced,) = wait_until(lambda: running.sink.of(CameraAnnounced))
    cam = announced.camera
    assert (cam.id, cam.ptz, cam.streams.main, cam.streams.sub) == (
        "cam-ptz", True, "rtsp://127.0.0.1:8554/main", "rtsp://127.0.0.1:8554/sub")
    assert cam.position == LatLon(48.857, 2.353)
    wait_until(lambda: camera.subscriptions == 1, what="a PullPoint subscription")

    running.call(adapter.ptz(PtzCommand("cam-ptz", pan=0.5, tilt=-2.0)))
    running.call(adapter.ptz(PtzCommand("cam-ptz")))
    running.call(adapter.ptz(PtzCommand("cam-ptz", preset="Fontaine")))
    assert camera.moves == [{"op": "ContinuousMove", "PanTilt": "0.500", "Zoom": "0.000"},
                            {"op": "Stop"}, {"op": "GotoPreset", "preset": "p2"}]

    now = datetime.now(UTC)
    camera.push(
        notification("tns1:RuleEngine/CellMotionDetector/Motion", {"IsMotion": "true"},
                     {"VideoSourceConfigurationToken": "vs0"}, now),
        notification("tns1:RuleEngine/CellMotionDetector/Motion", {"IsMotion": "false"},
                     {"VideoSourceConfigurationToken": "vs0"}, now),
        notification("tns1:VideoSource/GlobalSceneChange/ImagingService", {"State": "true"},
                     {"Source": "vs0"}, now),
        notification("tns1:Device/Trigger/DigitalInput", {"LogicalState": "true"},
                     {"InputToken": "DI1"}, now),
        notification("tns1:Device/Trigger/DigitalInput", {"LogicalState": "true"},
                     {"InputToken": "DI1"}, now, operation="Initialized"),
        notification("tns1:RuleEngine/CellMotionDetector/Motion", {"IsMotion": "true"},
                     {}, now + timedelta(days=2)),
    )
    wait_until(lambda: len(running.sink.of(AlarmReported)) == 3, what="three alarms")
    titles = [(a.type, a.title) for a in running.sink.of(AlarmReported)]
    assert titles == [(AlarmType.VIDEO_ANALYTICS, "Motion detected — Place du marché"),
                      (AlarmType.VIDEO_ANALYTICS, "Camera tampering — Place du marché"),
                      (AlarmType.INTRUSION, "Input active: DI1 — Place du marché")]
    wait_until(lambda: any("in the future" in r for r in running.sink.rejects))
    assert running.sink.messages == 6  # every notification counted as received


def test_hostile_pull_answers_are_rejected_and_the_next_event_is_read(
        camera: FakeOnvifCamera, secret: Callable[[str], str],
        run_adapter: Callable[[OnvifAdapter], Running]) -> None:
    running = run_adapter(OnvifAdapter(config(camera.url, secret(PASSWORD))))
    wait_until(lambda: camera.subscriptions == 1, what="a PullPoint subscription")
    laughs = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    body = ENV.split("?>", 1)[1].format("<tev:PullMessagesResponse>{}</tev:PullMessagesResponse>")
    camera.push_raw(
        f'<!DOCTYPE s [<!ENTITY l0 "lol">{laughs}]>{body.format("&l9;")}'.encode(),
        f'<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>{body.format("&x;")}'.encode(),
        b"\x00\xffnot XML at all")
    wait_until(lambda: len(running.sink.rejects) == 3, what="three rejections")
    camera.push(notification("tns1:RuleEngine/CellMotionDetector/Motion", {"IsMotion": "true"},
                             {}, datetime.now(UTC)))
    (alarm,) = wait_until(lambda: running.sink.of(AlarmReported), what="the next event")
    assert alarm.title == "Motion detected — Place du marché"
    dtd, dtd2, garbage = running.sink.rejects
    assert dtd == dtd2 == ("ONVIF cam-ptz: the answer carries a document type declaration "
                           "(DTD): refused, it could hold an entity bomb or an external "
                           "reference")
    assert garbage.startswith("ONVIF cam-ptz: the answer is not well-formed XML (not "
                              "well-formed (invalid token): line 1, column ")
    assert running.sink.messages == 4
    assert camera.subscriptions == 1  # the same subscription went on: no reconnection
    assert [e for e in running.sink.of(CameraStatusChanged) if not e.online] == []


def test_a_ptz_answer_that_is_not_xml_is_reported_in_words(
        camera: FakeOnvifCamera, secret: Callable[[str], str],
        run_adapter: Callable[[OnvifAdapter], Running]) -> None:
    """ipycam answers ContinuousMove with a prefix it never declared (not well-formed)."""
    adapter = OnvifAdapter(config(camera.url, secret(PASSWORD)))
    running = run_adapter(adapter)
    wait_until(lambda: running.sink.of(CameraAnnounced))
    camera.ptz_answer = ENV.format("<ptz:ContinuousMoveResponse/>").encode()
    with pytest.raises(PtzFailed) as failed:
        running.call(adapter.ptz(PtzCommand("cam-ptz", pan=0.5)))
    words = str(failed.value)
    assert words.startswith("camera cam-ptz: its answer to the order could not be read (the "
                            "answer is not well-formed XML (unbound prefix: line 1, column ")
    assert words.endswith(")); it may have moved anyway")
    assert camera.moves[-1]["op"] == "ContinuousMove"
    camera.ptz_answer = None
    running.call(adapter.ptz(PtzCommand("cam-ptz")))  # the next order goes through
    assert camera.moves[-1] == {"op": "Stop"}


def test_a_refused_password_shows_offline_in_words_and_probe_says_so(
        camera: FakeOnvifCamera, secret: Callable[[str], str],
        run_adapter: Callable[[OnvifAdapter], Running]) -> None:
    adapter = OnvifAdapter(config(camera.url, secret("wrong")))
    running = run_adapter(adapter)
    wait_until(lambda: any("refused the user name or password" in d
                           for _s, d in running.sink.states), what="the state says why")
    assert running.sink.of(CameraAnnounced) == []
    (bad,) = asyncio.run(adapter.probe())
    assert not bad.ok
    assert bad.detail == "camera cam-ptz: refused the user name or password"
    (good,) = asyncio.run(OnvifAdapter(config(camera.url, secret(PASSWORD))).probe())
    assert good.ok
    assert good.detail.startswith("camera cam-ptz answered: Acme PTZ-3000")


def test_a_camera_that_goes_down_is_marked_offline(
        camera: FakeOnvifCamera, secret: Callable[[str], str],
        run_adapter: Callable[[OnvifAdapter], Running]) -> None:
    running = run_adapter(OnvifAdapter(config(camera.url, secret(PASSWORD))))
    wait_until(lambda: camera.subscriptions == 1)
    camera.stop()
    offline = wait_until(lambda: [e for e in running.sink.of(CameraStatusChanged)
                                  if not e.online], what="offline")
    assert offline[0].camera_id == "cam-ptz"
    assert running.sink.states[-1][0] == "retrying"
