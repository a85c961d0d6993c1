"""The recorder's proof, against a real RTSP server whose frames carry a burned-in clock:

- killed with SIGKILL mid-segment, it leaves no FFmpeg running; restarted, it indexes the
  partial segment the kill left and a RECORDER_DOWN gap up to its new first picture; every
  segment decodes, and every indexed start agrees with the burned-in clock of its first
  decoded frame within 100 ms; the camera's password (from the keyring) is in no log line;
- the camera server stopped then back: a CAMERA_UNREACHABLE gap, then recording again;
- the camera server frozen (SIGSTOP, the TCP connection stays open and silent): the
  watchdog restarts FFmpeg, gap WATCHDOG, then recording again once it thaws.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import av
import pytest

from app.core.events import CameraAnnounced, Event, RecordingStateChanged
from app.core.hub import Hub, only
from app.core.journal import Journal
from app.core.model import Camera, CameraKind, Streams
from app.core.recording import GapReason, Segment
from app.core.recording_config import RecordingConfig, StorageConfig
from app.core.secrets import set_secret
from app.services.recorder.recorder import Recorder
from tests.servers.clock import MODULO, decode_clock
from tests.servers.rtsp import RtspServer, rtsp_server_available
from tests.waiting import wait_until

REPO = Path(__file__).resolve().parents[2]
WIDE = datetime(2000, 1, 1).astimezone()
FAR = datetime(2100, 1, 1).astimezone()
USER, PASSWORD = "recorder", "Pw-9f3b-never-logged"


@pytest.fixture(scope="module")
def server() -> Iterator[RtspServer]:
    why = rtsp_server_available()
    if why:
        pytest.fail(why)  # packaging/dev.sh installs it: missing is a failure, not a skip
    with RtspServer(["cam1"], auth=(USER, PASSWORD), width=320, height=180) as srv:
        yield srv


def segments(j: Journal) -> list[Segment]:
    return j.recorded_segments("cam1", WIDE, FAR)


def frames(seg: Segment) -> list[tuple[float, int | None]]:
    """(media time, burned-in clock) of every frame the file decodes to."""
    out = []
    with av.open(seg.path) as c:
        for frame in c.decode(video=0):
            out.append((float(frame.time or 0.0), decode_clock(frame.to_ndarray(format="rgb24"))))
    return out


def clock_error_ms(seg: Segment) -> int:
    """How far the index's start is from the camera's clock, at the first decoded frame."""
    decoded = frames(seg)
    assert decoded, f"{seg.path} decodes to no frame"
    media_s, clock = next((t, c) for t, c in decoded if c is not None)
    expected = round((seg.start.timestamp() + media_s) * 1000) % MODULO
    return (expected - clock + MODULO // 2) % MODULO - MODULO // 2


def ffmpeg_children(pid: int) -> list[int]:
    kids: list[int] = []
    for task in os.listdir(f"/proc/{pid}/task"):
        kids += [int(k) for k in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    return [k for k in kids if "ffmpeg" in Path(f"/proc/{k}/cmdline").read_bytes().decode()]


def dead(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith(("Z", "X"))
    except FileNotFoundError:
        return True


def start_child(tmp: Path, server: RtspServer, secret: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.recorder_child", str(tmp / "j.sqlite"),
         str(tmp / "rec"), f"rtsp://127.0.0.1:{server.port}/cam1", "4", "5", "5", USER, secret],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "READY"
    return proc


def test_sigkill_mid_segment_then_restart(tmp_path: Path, server: RtspServer) -> None:
    secret = "recorder-test-cam1"
    set_secret(secret, PASSWORD)
    j = Journal(tmp_path / "j.sqlite")
    child = start_child(tmp_path, server, secret)

    def mid_segment() -> bool:
        done = segments(j)
        if len(done) < 2:
            return False
        folder = Path(done[-1].path).parent
        newest = sorted(folder.glob("*.mp4"))[-1]
        # the segment being written holds flushed fragments (one per second) and is not over
        return str(newest) not in {s.path for s in done} and newest.stat().st_size > 60_000

    wait_until(mid_segment, 60, "two segments indexed and the third half written")
    ffmpegs = ffmpeg_children(child.pid)
    assert len(ffmpegs) == 1
    before = segments(j)
    child.kill()
    _, log1 = child.communicate(timeout=10)
    wait_until(lambda: all(dead(p) for p in ffmpegs), 10, "FFmpeg to die with its recorder")

    child = start_child(tmp_path, server, secret)
    try:
        def resumed() -> list[Segment]:
            gaps = j.recording_gaps("cam1", WIDE, FAR)
            closed = gaps and gaps[0].end is not None
            return [s for s in segments(j) if not s.partial and s.start > before[-1].end] \
                if closed else []

        after = wait_until(lambda: [s for s in resumed()
                                    if Path(s.path).parent != Path(before[0].path).parent],
                           60, "the new run to index a segment")
    finally:
        child.send_signal(signal.SIGTERM)
        _, log2 = child.communicate(timeout=30)

    every = segments(j)
    assert [s.path for s in every[:len(before)]] == [s.path for s in before]
    (partial,) = [s for s in every if s.partial]
    assert Path(partial.path).parent == Path(before[0].path).parent  # the killed run's
    assert partial.start >= before[-1].end
    assert partial.duration.total_seconds() > 0.5
    (gap,) = [g for g in j.recording_gaps("cam1", WIDE, FAR)
              if g.reason is GapReason.RECORDER_DOWN]
    assert gap.start == partial.end
    assert gap.end is not None
    assert gap.end <= after[0].start
    for seg in [*before, partial, after[0]]:
        assert abs(clock_error_ms(seg)) <= 100, seg
    assert j.unfinished_runs() == []
    assert PASSWORD not in log1 + log2
    assert f"rtsp://127.0.0.1:{server.port}/cam1" in log1  # the URL is logged, redacted
    j.close()


def in_process(tmp_path: Path, server: RtspServer, stall_s: float, io_timeout_s: float
               ) -> tuple[Recorder, Journal, list[RecordingStateChanged]]:
    secret = "recorder-test-cam1-inproc"
    set_secret(secret, PASSWORD)
    hub, j = Hub(), Journal(tmp_path / "j.sqlite")
    said: list[RecordingStateChanged] = []

    def heard(e: Event) -> None:
        assert isinstance(e, RecordingStateChanged)
        said.append(e)

    hub.listen(heard, only(RecordingStateChanged))
    rec = Recorder(hub, j, RecordingConfig(
        cameras="*", segment_s=2, stall_s=stall_s, io_timeout_s=io_timeout_s,
        storage=[StorageConfig(path=str(tmp_path / "rec"), budget_gb=1)]))
    rec.start()
    hub.post(CameraAnnounced(Camera("cam1", "Cam 1", CameraKind.FIXED,
                                    Streams(main=f"rtsp://127.0.0.1:{server.port}/cam1"),
                                    username=USER, password_secret=secret)))
    hub.post(CameraAnnounced(Camera("body1", "Body 1", CameraKind.BODY,
                                    Streams(main=f"rtsp://127.0.0.1:{server.port}/cam1"))))
    return rec, j, said


def states(said: list[RecordingStateChanged]) -> list[str]:
    return [e.state for e in said if e.camera_id == "cam1"]


def test_camera_down_then_back(tmp_path: Path, server: RtspServer) -> None:
    rec, j, said = in_process(tmp_path, server, stall_s=5, io_timeout_s=5)
    try:
        wait_until(lambda: len(segments(j)) >= 1, 60, "a first segment")
        assert list(rec.supervisors) == ["cam1"]  # never the body camera (CSI L241-2)
        server.stop()
        gap = wait_until(lambda: j.open_gaps("cam1"), 30, "a gap once the camera is gone")[0]
        assert gap.reason is GapReason.CAMERA_UNREACHABLE
        assert gap.start == j.last_recorded("cam1")
        server.start()
        wait_until(lambda: not j.open_gaps("cam1"), 60, "the gap closed: recording again")
        wait_until(lambda: segments(j)[-1].start > gap.start, 30, "a segment after the gap")
        assert states(said)[:3] == ["recording", "gap", "recording"]
    finally:
        server.start()
        rec.stop()
        j.close()


def test_frozen_camera_restarted_by_the_watchdog(tmp_path: Path, server: RtspServer) -> None:
    # the I/O timeout longer than the watchdog: FFmpeg would otherwise give up by itself
    rec, j, said = in_process(tmp_path, server, stall_s=3, io_timeout_s=60)
    assert server.pid is not None
    try:
        wait_until(lambda: len(segments(j)) >= 1, 60, "a first segment")
        runs = rec.supervisors["cam1"].runs
        os.kill(server.pid, signal.SIGSTOP)
        try:
            gap = wait_until(lambda: j.open_gaps("cam1"), 30, "the watchdog's gap")[0]
            assert gap.reason is GapReason.WATCHDOG
            wait_until(lambda: rec.supervisors["cam1"].runs > runs, 30, "FFmpeg restarted")
        finally:
            os.kill(server.pid, signal.SIGCONT)
        wait_until(lambda: not j.open_gaps("cam1"), 90, "recording again after the thaw")
        assert "gap" in states(said)
        assert states(said)[-1] == "recording"
    finally:
        rec.stop()
        j.close()
