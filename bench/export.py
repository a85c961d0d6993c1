"""Evidence export benchmark (issue 13): the masters of 3 cameras x 10 minutes of recorded
segments written by `write_master` against a bare `ffmpeg -f concat -safe 0 -i list -c copy
out.mp4` of the same segments, in the same run, printed side by side (aim <= 1.2x); then
the GUI thread's lag (a 10 ms QTimer's lateness, worst and p99) while the export runs on a
worker thread, against the same timer idle.

The segments are made once per run as the recorder makes them (FFmpeg's segment muxer,
fragmented MP4, 10-s segments, a keyframe a second, timestamps reset in each), from
FFmpeg's moving test picture encoded in H.264 (`--size`, default 1280x720, `--kbps`),
then copied to each camera's folder (each camera's own files on disk). The range asked is
cut inside the first and last segments, as a real export's is. Both sides read the same
files from the page cache (a warm-up pass first), so what is compared is the work, not
the disk.

    .venv/bin/python -m bench.export [--cameras 3] [--minutes 10] [--size 1280x720]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import imageio_ffmpeg

from app.core.recording import Segment
from app.services.evidence.masters import MasterPlan, plan_masters, write_master

T0 = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)
FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()


def make_segments(folder: Path, seconds: int, size: str, kbps: int) -> list[tuple[str, float,
                                                                                 float]]:
    """One camera's recording: (file name, start s, end s) from the segment list."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [FFMPEG, "-hide_banner", "-loglevel", "error", "-f", "lavfi",
         "-i", f"testsrc2=size={size}:rate=25", "-t", str(seconds), "-c:v", "libx264",
         "-preset", "ultrafast", "-g", "25", "-b:v", f"{kbps}k", "-maxrate", f"{kbps}k",
         "-bufsize", f"{2 * kbps}k", "-pix_fmt", "yuv420p", "-f", "segment",
         "-segment_time", "10", "-segment_format", "mp4", "-segment_format_options",
         "movflags=+frag_keyframe+empty_moov+default_base_moof", "-reset_timestamps", "1",
         "-segment_list", str(folder / "list.csv"), "-segment_list_type", "csv",
         str(folder / "%06d.mp4")], check=True, timeout=3600)
    with (folder / "list.csv").open(newline="") as f:
        return [(row[0], float(row[1]), float(row[2])) for row in csv.reader(f) if row]


def camera_segments(root: Path, camera: str, source: Path,
                    listed: list[tuple[str, float, float]]) -> list[Segment]:
    folder = root / camera
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, start, end in listed:
        path = folder / name
        shutil.copyfile(source / name, path)
        out.append(Segment(camera, T0 + timedelta(seconds=start), T0 + timedelta(seconds=end),
                           str(path), path.stat().st_size, ""))
    return out


def ours(plans: list[MasterPlan], out: Path) -> float:
    fresh(out)
    started = time.perf_counter()
    for plan in plans:
        write_master(plan, out, FFMPEG, lambda _: None, threading.Event())
    return time.perf_counter() - started


def reference(plans: list[MasterPlan], out: Path) -> float:
    """The same segments through a bare concat + stream copy (whole segments, no cut, no
    faststart, no tags): the floor of what copying them costs."""
    fresh(out)
    started = time.perf_counter()
    for plan in plans:
        listing = out / f"{plan.camera}.txt"
        listing.write_text("".join(f"file '{s.path}'\n" for s in plan.segments))
        subprocess.run([FFMPEG, "-hide_banner", "-loglevel", "error", "-f", "concat",
                        "-safe", "0", "-i", str(listing), "-c", "copy", "-y",
                        str(out / f"{plan.camera}.mp4")], check=True, timeout=3600)
    return time.perf_counter() - started


def fresh(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def lag_figures(plans: list[MasterPlan], out: Path, idle_s: float
                ) -> tuple[tuple[list[float], float], tuple[list[float], float]]:
    """(idle, while exporting): a 10 ms timer's lateness (ms), and the share of the phase
    the GUI thread waited for a CPU (the machine's load, not our locks)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from bench.lag import LagProbe, ThreadCpu

    app = QApplication.instance() or QApplication([])
    probe = LagProbe(interval_ms=10)
    gui = ThreadCpu()

    def run_loop(until: threading.Thread | None, seconds: float) -> tuple[list[float], float]:
        loop = QEventLoop()
        deadline = time.monotonic() + seconds
        check = QTimer()
        check.setInterval(20)
        check.timeout.connect(lambda: loop.quit() if (
            (until is not None and not until.is_alive())
            or (until is None and time.monotonic() >= deadline)) else None)
        waited, began = gui.waited(), time.monotonic()
        probe.start()
        check.start()
        loop.exec()
        check.stop()
        probe.stop()
        share = (gui.waited() - waited) / max(1e-9, time.monotonic() - began)
        return list(probe.samples), share

    idle = run_loop(None, idle_s)
    worker = threading.Thread(target=ours, args=(plans, out))
    worker.start()
    busy = run_loop(worker, 0)
    worker.join()
    QCoreApplication.processEvents()
    del app
    return idle, busy


def main() -> None:
    from bench.lag import pct

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cameras", type=int, default=3)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--kbps", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    seconds = round(args.minutes * 60)
    work = Path(tempfile.mkdtemp(prefix="csu-bench-export-"))
    try:
        made = time.perf_counter()
        listed = make_segments(work / "source", seconds, args.size, args.kbps)
        cameras = [f"cam{i + 1}" for i in range(args.cameras)]
        segments = [s for c in cameras
                    for s in camera_segments(work / "rec", c, work / "source", listed)]
        shutil.rmtree(work / "source")
        start, end = T0 + timedelta(seconds=3.3), T0 + timedelta(seconds=seconds - 4.6)
        plans = [p for c in cameras for p in plan_masters(c, segments, start, end)]
        size_mb = sum(s.size for s in segments) / 1e6
        print(f"segments: {args.cameras} cameras x {args.minutes:g} min of H.264 "
              f"{args.size} at {args.kbps} kb/s, {len(segments)} files, {size_mb:.0f} MB "
              f"(made in {time.perf_counter() - made:.0f} s); range cut inside the first "
              "and last segments")
        out = work / "out"
        reference(plans, out)  # warm-up: every segment in the page cache
        ours_s, ref_s = [], []
        for _ in range(args.rounds):
            ours_s.append(ours(plans, out))
            ref_s.append(reference(plans, out))
        o, r = statistics.median(ours_s), statistics.median(ref_s)
        print(f"{'':28}{'write_master':>14}{'ffmpeg -c copy':>16}")
        print(f"{'export time, median (s)':28}{o:>14.2f}{r:>16.2f}")
        print(f"{'export time, best (s)':28}{min(ours_s):>14.2f}{min(ref_s):>16.2f}")
        print(f"ratio (median): {o / r:.2f}x  (aim <= 1.2x); rounds: {args.rounds}")
        (idle, idle_wait), (busy, busy_wait) = lag_figures(plans, out, idle_s=max(3.0, o))
        print(f"{'GUI lag, 10 ms timer (ms)':28}{'idle':>14}{'exporting':>16}")
        for label, p in (("median", 50), ("p99", 99), ("worst", 100)):
            print(f"{label:28}{pct(idle, p):>14.1f}{pct(busy, p):>16.1f}")
        print(f"{'samples':28}{len(idle):>14}{len(busy):>16}")
        print(f"{'GUI thread waiting for a CPU':28}{idle_wait:>13.0%}{busy_wait:>16.0%}")
        print(f"machine load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
