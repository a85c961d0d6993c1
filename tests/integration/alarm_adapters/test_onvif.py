"""The ONVIF adapter against a local ONVIF camera stand-in (real HTTP, SOAP, digest auth
checked): profiles and stream URIs announced, PTZ moves and presets, PullPoint events as
alarms, a refused password and a camera that is down."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.onvif import OnvifAdapter, OnvifConfig
from app.core.adapter import PtzCommand
from app.core.events import AlarmReported, CameraAnnounced, CameraStatusChanged
from app.core.model import AlarmType, LatLon
from tests.integration.alarm_adapters.conftest import Running
from tests.integration.alarm_adapters.fake_onvif import FakeOnvifCamera, notification
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
    assert titles == [(AlarmType.VIDEO_ANALYTICS, "Place du marché: motion"),
                      (AlarmType.VIDEO_ANALYTICS, "Place du marché: tampering"),
                      (AlarmType.INTRUSION, "Place du marché: input DI1 active")]
    wait_until(lambda: any("in the future" in r for r in running.sink.rejects))


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
