"""From a real camera to a replayed picture (issue 12): the recorder records the test RTSP
server (burned-in clock) into the journal's index; replay, through the journal as the
console reads it, shows at any instant the picture whose burned-in clock says that instant
(within the network's delay and one frame)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from app.core.events import CameraAnnounced
from app.core.hub import Hub
from app.core.journal import Journal
from app.core.model import Camera, CameraKind, Streams
from app.core.recording_config import RecordingConfig, StorageConfig
from app.services.local_replay_source import LocalSource
from app.services.recorder.recorder import Recorder
from app.services.replay_clock import ReplayClock
from app.services.replay_video import CameraPlayback
from tests.servers.clock import MODULO, decode_clock
from tests.servers.rtsp import RtspServer, rtsp_server_available
from tests.waiting import wait_until

WIDE = datetime(2000, 1, 1).astimezone()
FAR = datetime(2100, 1, 1).astimezone()


@pytest.fixture
def recorded(tmp_path: Path) -> Iterator[Journal]:
    why = rtsp_server_available()
    if why:
        pytest.fail(why)
    journal = Journal(tmp_path / "j.sqlite")
    hub = Hub()
    config = RecordingConfig(cameras="*", segment_s=2,
                             storage=[StorageConfig(path=str(tmp_path / "rec"), budget_gb=1)])
    recorder = Recorder(hub, journal, config)
    with RtspServer(["cam1"], width=320, height=180) as server:
        recorder.start()
        try:
            hub.post(CameraAnnounced(Camera("cam1", "Caméra 1", CameraKind.FIXED,
                                            Streams(server.url("cam1")))))
            wait_until(lambda: len(journal.recorded_segments("cam1", WIDE, FAR)) >= 3, 60,
                       "three segments recorded and indexed")
        finally:
            recorder.stop()
    yield journal
    journal.close()


def test_the_replayed_picture_is_the_instant_asked(recorded: Journal) -> None:
    segments = recorded.recorded_segments("cam1", WIDE, FAR)
    start, end = segments[0].start, segments[-1].end
    clock = ReplayClock(start, end)
    playback = CameraPlayback(LocalSource(recorded), "cam1", clock, (320, 180))
    try:
        for offset in (0.5, 2.3, (end - start).total_seconds() - 0.3):
            t = start + timedelta(seconds=offset)
            clock.seek(t)
            frame = wait_until(
                lambda t=t: (f if (f := playback.latest()) is not None and f.time <= t
                             and t - f.time < timedelta(milliseconds=80) else None),
                20, f"the picture of {t}")
            burned = decode_clock(frame.image)
            assert burned is not None
            shown = round(frame.time.timestamp() * 1000) % MODULO
            delay = (shown - burned) % MODULO
            assert delay < 100, f"picture at {frame.time} was sent {delay} ms before"
    finally:
        playback.close()
