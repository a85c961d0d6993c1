"""The RTSP adapter against a real RTSP server (GStreamer's, tests/servers/rtsp.py) on
loopback: DESCRIBE with digest/basic auth, codec read from the SDP, a refused password, a
wrong path, a camera that is down — in the words `check-config --probe` prints."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator

import pytest

from app.adapters.rtsp import RtspAdapter, RtspConfig
from app.adapters.rtsp.probe import check_stream
from app.core.events import CameraAnnounced, CameraStatusChanged
from tests.integration.alarm_adapters.conftest import Running
from tests.servers.rtsp import RtspServer, rtsp_server_available
from tests.waiting import wait_until

WHY = rtsp_server_available()
pytestmark = pytest.mark.skipif(bool(WHY), reason=f"no real RTSP server here: {WHY}")
AUTH = ("viewer", "pw-of-the-viewer")


@pytest.fixture(scope="module")
def server() -> Iterator[RtspServer]:
    with RtspServer(mounts=["cam1", "cam1-sub"], auth=AUTH, width=320, height=180,
                    fps=10) as srv:
        yield srv


def plain(srv: RtspServer, mount: str) -> str:
    return f"rtsp://127.0.0.1:{srv.port}/{mount}"


def test_describe_with_the_right_password_finds_h264(server: RtspServer) -> None:
    chk = asyncio.run(check_stream(plain(server, "cam1"), *AUTH))
    assert chk.ok
    assert chk.codecs == ("H.264",)
    assert chk.detail == "answered, H.264 stream"


def test_wrong_password_missing_password_and_wrong_path(server: RtspServer) -> None:
    wrong = asyncio.run(check_stream(plain(server, "cam1"), AUTH[0], "nope"))
    assert (wrong.ok, wrong.detail) == (False, "refused the password of user 'viewer'")
    none = asyncio.run(check_stream(plain(server, "cam1"), None, None))
    assert not none.ok
    assert "asks for a user name and password" in none.detail
    missing = asyncio.run(check_stream(plain(server, "nothing-here"), *AUTH))
    assert not missing.ok
    assert "404" in missing.detail


def test_a_camera_that_is_down() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    chk = asyncio.run(check_stream(f"rtsp://127.0.0.1:{port}/cam", None, None, timeout=3))
    assert not chk.ok
    assert chk.detail.startswith(f"cannot connect to 127.0.0.1:{port}")


def test_adapter_announces_checks_and_probes(server: RtspServer, secret: Callable[[str], str],
                                             run_adapter: Callable[[RtspAdapter], Running]
                                             ) -> None:
    cfg = RtspConfig(kind="rtsp", name="rtsp", username=AUTH[0], password_secret=secret(AUTH[1]),
                     cameras=[{"id": "cam-1", "name": "Parvis", "main": plain(server, "cam1"),  # type: ignore[list-item]
                               "sub": plain(server, "cam1-sub"), "position": [48.85, 2.35],
                               "heading": 120}])
    adapter = RtspAdapter(cfg)
    running = run_adapter(adapter)
    (announced,) = wait_until(lambda: running.sink.of(CameraAnnounced))
    assert announced.camera.streams.sub == plain(server, "cam1-sub")
    assert "pw-of-the-viewer" not in repr(announced)  # the journal never sees the password
    (status,) = wait_until(lambda: running.sink.of(CameraStatusChanged))
    assert status.online
    assert status.detail == "answered, H.264 stream"
    results = asyncio.run(adapter.probe())
    assert [(r.ok, r.detail) for r in results] == [
        (True, "camera cam-1 answered, H.264 stream")] * 2


def test_a_refused_password_is_not_tried_again_until_it_changes(
        server: RtspServer, secret: Callable[[str], str],
        run_adapter: Callable[[RtspAdapter], Running]) -> None:
    """Cameras lock an account after a few failed logins: a camera that refused the
    password is held (offline, in words) while one that answers is checked as usual; when
    every camera refuses, the adapter stops as refused. Before: a wrong password was sent
    again at every check (60 failed logins an hour)."""
    from app.core.adapter import AuthRefused
    from app.core.secrets import set_secret

    name = secret("wrong")
    cams = [{"id": "cam-1", "name": "Parvis", "main": plain(server, "cam1")},
            {"id": "cam-2", "name": "Gare", "main": plain(server, "cam1-sub"),
             "username": AUTH[0], "password_secret": secret(AUTH[1])}]
    cfg = RtspConfig(kind="rtsp", name="rtsp", username=AUTH[0], password_secret=name,
                     check_interval_s=5, cameras=cams)  # type: ignore[arg-type]
    adapter = RtspAdapter(cfg)
    running = run_adapter(adapter)
    statuses = wait_until(lambda: len(running.sink.of(CameraStatusChanged)) == 2
                          and running.sink.of(CameraStatusChanged))
    by_id = {s.camera_id: s for s in statuses}
    assert not by_id["cam-1"].online
    assert by_id["cam-1"].detail == "refused the password of user 'viewer'"
    assert by_id["cam-2"].online
    before = server.connections
    for _ in range(3):  # three more rounds of checks, straight away
        running.call(adapter._check(cams_of(cfg)[0]))
    assert server.connections == before  # the held camera was not asked again
    set_secret(name, AUTH[1])  # the installer fixes it
    assert running.call(adapter._check(cams_of(cfg)[0])).ok
    # every camera refusing: the adapter stops as refused instead of retrying
    set_secret(name, "wrong-again")
    alone = RtspAdapter(RtspConfig(kind="rtsp", name="solo", username=AUTH[0],
                                   password_secret=name, cameras=cams[:1]))  # type: ignore[arg-type]
    solo = run_adapter(alone)
    wait_until(lambda: solo.error is not None, what="the adapter stopping")
    assert isinstance(solo.error, AuthRefused)


def cams_of(cfg: RtspConfig) -> list:  # type: ignore[type-arg]
    return list(cfg.cameras)
