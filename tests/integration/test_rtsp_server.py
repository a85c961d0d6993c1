"""The RTSP test server itself: real H.264 over RTSP on loopback, its burned-in clock,
basic auth, and restarts on the same port (a camera that comes back)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.servers import RtspServer, rtsp_server_available
from tests.servers.clock import decode_clock, latency_ms

_WHY = rtsp_server_available()
pytestmark = pytest.mark.skipif(bool(_WHY), reason=_WHY)
LOW_DELAY = "rtsp_transport;tcp|analyzeduration;0|probesize;32|fflags;nobuffer"


@pytest.fixture
def ffmpeg_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENCV_FFMPEG_CAPTURE_OPTIONS", LOW_DELAY)


def read_frames(url: str, n: int = 3) -> list[Any]:
    import cv2

    cap = cv2.VideoCapture(url, cv2.CAP_FFMPEG,
                           [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, 5000,
                            cv2.CAP_PROP_READ_TIMEOUT_MSEC, 5000])
    try:
        if not cap.isOpened():
            return []
        frames = []
        for _ in range(n):
            ok, frame = cap.read()
            if ok:
                frames.append(frame)
        return frames
    finally:
        cap.release()


def test_serves_mounts_with_a_readable_clock(ffmpeg_env: None) -> None:
    with RtspServer(["a", "b"], width=320, height=180, fps=15) as srv:
        assert srv.url("b") == f"rtsp://127.0.0.1:{srv.port}/b"
        frames = read_frames(srv.url("a"), 5)
        assert len(frames) == 5
        clocks = [decode_clock(f[:, :, ::-1]) for f in frames]
        assert all(c is not None for c in clocks)
        assert all(latency_ms(c) < 60_000 for c in clocks if c is not None)
        assert read_frames(srv.url("b"), 1)


def test_restarts_on_the_same_port_and_checks_passwords(ffmpeg_env: None) -> None:
    srv = RtspServer(["cam"], auth=("op", "pw"), width=320, height=180, fps=15).start()
    try:
        port = srv.port
        assert srv.url("cam").startswith("rtsp://op:pw@127.0.0.1:")
        assert read_frames(srv.url("cam"), 1)
        assert not read_frames(srv.url("cam", credentials=("op", "nope")), 1)
        srv.stop()
        assert not srv.running
        assert not read_frames(srv.url("cam"), 1)
        srv.start()
        assert srv.port == port
        assert read_frames(srv.url("cam"), 1)
    finally:
        srv.stop()


def test_diagnose_names_the_failure() -> None:
    from widgets.video.engine import diagnose

    with RtspServer(["cam"], auth=("op", "pw"), width=320, height=180, fps=15) as srv:
        assert diagnose(srv.url("cam", credentials=("op", "nope"))) == "auth"
        assert diagnose(srv.url("nothing")) == "not_found"
        assert diagnose(srv.url("cam")) == ""
        port = srv.port
    assert diagnose(f"rtsp://127.0.0.1:{port}/cam") == "refused"
    assert os.environ.get("OPENCV_FFMPEG_CAPTURE_OPTIONS", "") in ("", LOW_DELAY)
