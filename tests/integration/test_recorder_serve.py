"""`csu-console serve` records what the site's `[recording]` names: segments indexed in
its journal while it runs, the recording state journaled (how a room's seats learn it), and
on SIGTERM every FFmpeg closes its segment and is gone, the gap saying recording stopped."""

from __future__ import annotations

import signal
from datetime import datetime
from pathlib import Path

from app.core.events import RecordingStateChanged
from app.core.journal import Journal
from app.core.recording import GapReason
from tests.integration.test_recorder_crash import dead, ffmpeg_children
from tests.integration.test_serve import serving
from tests.servers.rtsp import RtspServer
from tests.unit.cli_run import site_file
from tests.waiting import wait_until

WIDE, FAR = datetime(2000, 1, 1).astimezone(), datetime(2100, 1, 1).astimezone()


def test_serve_records_the_site_s_cameras_and_stops_them(tmp_path: Path) -> None:
    with RtspServer(["gare"], width=320, height=180) as cam:
        site = site_file(tmp_path, f"""
[[cameras]]
id = "cam-gare"
name = "Gare"
main = "rtsp://127.0.0.1:{cam.port}/gare"

[recording]
cameras = "*"
segment_s = 2
[[recording.storage]]
path = "{tmp_path / 'rec'}"
budget_gb = 1
""")
        with serving(tmp_path, site) as service:
            wait_until(lambda: service.journal.exists(), 60, "the journal")
            j = Journal(service.journal)
            try:
                wait_until(lambda: len(j.recorded_segments("cam-gare", WIDE, FAR)) >= 2, 90,
                           "two segments indexed by the service")
                ffmpegs = ffmpeg_children(service.proc.pid)
                assert len(ffmpegs) == 1
                assert service.stop(signal.SIGTERM) == 0, service.stderr()
                assert all(dead(p) for p in ffmpegs)
                (gap,) = j.open_gaps("cam-gare")
                assert gap.reason is GapReason.STOPPED
                assert gap.start == j.last_recorded("cam-gare")
                states = [e.state for _, e in j.iter_events()
                          if isinstance(e, RecordingStateChanged)]
                assert states == ["recording", "off"]
                assert j.unfinished_runs() == []
            finally:
                j.close()
