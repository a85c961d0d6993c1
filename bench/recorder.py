"""Recorder benchmark: CPU per camera of the console's recorder against a bare
`ffmpeg -c copy` of the same streams, in the same run, printed side by side (aim <= 1.1x).

The recorder side is everything recording costs: its FFmpeg processes (segment muxer,
fragmented MP4, segment list) plus this process's own CPU (supervisor threads tailing the
list, hashing each segment, the watchdog, the journal's index writes). The reference is
one bare FFmpeg per stream copying it into a single fragmented MP4 (no segments, no
index), running at the same time from the same real RTSP server (tests/servers: GStreamer,
H.264 with a burned-in clock).

    .venv/bin/python -m bench.recorder [--cameras 4] [--seconds 30] [--size 1280x720]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="csu-bench-recorder-"))
os.environ.setdefault("XDG_DATA_HOME", str(_TMP / "data"))

from app.core.events import CameraAnnounced  # noqa: E402
from app.core.hub import Hub  # noqa: E402
from app.core.journal import Journal  # noqa: E402
from app.core.model import Camera, CameraKind, Streams  # noqa: E402
from app.core.recording_config import RecordingConfig, StorageConfig  # noqa: E402
from app.services.recorder.recorder import Recorder  # noqa: E402
from tests.servers.rtsp import RtspServer  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def bare(exe: str, url: str, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [exe, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "error",
         "-rtsp_transport", "tcp", "-i", url, "-map", "0:v", "-c", "copy",
         "-movflags", "+frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", str(out)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cameras", type=int, default=4)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--warmup", type=float, default=5.0)
    args = ap.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    mounts = [f"cam{i + 1}" for i in range(args.cameras)]
    with RtspServer(mounts, width=width, height=height, fps=25) as server:
        hub, journal = Hub(), Journal(_TMP / "journal.sqlite")
        config = RecordingConfig(cameras="*", segment_s=10, storage=[
            StorageConfig(path=str(_TMP / "rec"), budget_gb=50)])
        recorder = Recorder(hub, journal, config)
        recorder.start()
        for m in mounts:
            hub.post(CameraAnnounced(Camera(m, m, CameraKind.FIXED, Streams(main=server.url(m)))))
        refs = [bare(config.ffmpeg_exe(), server.url(m), _TMP / f"bare-{m}.mp4") for m in mounts]
        time.sleep(args.warmup)
        sups = list(recorder.supervisors.values())
        rec_pids = [s.ffmpeg_pid for s in sups if s.ffmpeg_pid is not None]
        if len(rec_pids) != args.cameras:
            raise SystemExit(f"only {len(rec_pids)} of {args.cameras} cameras recording")
        me = os.getpid()
        t0 = time.monotonic()
        py0 = cpu_s(me)
        rec0 = sum(map(cpu_s, rec_pids)) + py0
        ref0 = sum(cpu_s(p.pid) for p in refs)
        server0 = cpu_s(server.pid or 0)
        time.sleep(args.seconds)
        wall = time.monotonic() - t0
        py = cpu_s(me) - py0
        rec = sum(map(cpu_s, rec_pids)) + py + py0 - rec0
        ref = sum(cpu_s(p.pid) for p in refs) - ref0
        server_cpu = cpu_s(server.pid or 0) - server0
        segments = sum(len(journal.recorded_segments(m, *_span())) for m in mounts)
        restarts = sum(s.runs for s in sups) - len(sups)
        for p in refs:
            p.terminate()
            p.wait(10)
        recorder.stop()
        journal.close()
    per = 100 / wall / args.cameras
    print(f"{args.cameras} cameras {width}x{height} 25 fps H.264, {wall:.0f} s measured")
    print(f"{'':30}{'CPU per camera':>16}")
    print(f"{'recorder (FFmpeg + Python)':30}{rec * per:>15.2f}%")
    print(f"{'  of which Python':30}{py * per:>15.2f}%")
    print(f"{'bare ffmpeg -c copy':30}{ref * per:>15.2f}%")
    print(f"{'ratio (aim <= 1.1)':30}{(rec / ref if ref else float('inf')):>16.2f}")
    print(f"(the RTSP server: {server_cpu * 100 / wall:.1f}% for both; {segments} segments "
          f"indexed; {restarts} FFmpeg restarts)")


def _span() -> tuple:
    from datetime import UTC, datetime

    return datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


if __name__ == "__main__":
    main()
