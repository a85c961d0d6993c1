"""Replay benchmark: the replay wall (9 cameras, one PyAV worker each, one clock) against a
bare PyAV decode of the same files in the same run, figure beside figure.

* open: from creating the 9 playbacks and the wall until every tile shows its first
  picture (aim < 1.5 s); reference: one thread opening the 9 files, seeking and decoding
  each to the same instant;
* cold seek: to an instant in segments not yet opened, until every tile shows the exact
  picture (aim < 500 ms); reference: open + seek + decode to it, the 9 files in a row;
* drift at 1x and 16x: sampled every 10 ms on the GUI thread, the spread of the 9 shown
  pictures' times (media ms) beside the spread the cameras' own phases force (each tile
  exactly at its picture <= the clock), and the worst lag of a tile behind the clock
  (aim <= 40 ms, one frame);
* frame step, forward and back (the focused camera's next/previous picture, until the
  focused tile shows it; aim < 100 ms); reference: the bare decoder's next picture, and
  a seek + decode of the previous GOP;
* the GUI thread's busy share (CPU time of the thread per wall second) at 1x and 16x.

The recordings are made first (tests/servers/recorded.py: fragmented MP4, H.264, 25 fps,
GOP 1 s, 10-s segments; flat synthetic pictures decode faster than a street scene).

    xvfb-run -a -s "-screen 0 1920x1080x24" /work/main/.venv/bin/python -m bench.replay \\
        [--size 640x360] [--seconds 40] [--folder /tmp/replay-bench]
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import av

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer

    from app.services.replay_clock import ReplayClock
    from bench.lag import ThreadCpu
    from widgets.replay import ReplayWall

CAMS = [f"cam{i + 1}" for i in range(9)]
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FRAME = timedelta(milliseconds=40)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", default="640x360", help="recorded picture size, WxH")
    ap.add_argument("--seconds", type=int, default=40, help="length of the recording")
    ap.add_argument("--step-gap-s", type=float, default=0.3,
                    help="time between two frame steps (a person pressing a key)")
    ap.add_argument("--folder", help="keep the recordings here and reuse them next time")
    ap.add_argument("--drift-s", type=float, default=3.0, help="wall seconds per drift run")
    args = ap.parse_args(argv)
    w, h = (int(x) for x in args.size.split("x"))

    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.recording import Segment
    from app.services.local_replay_source import LocalSource
    from app.services.replay_clock import ReplayClock
    from app.services.replay_video import CameraPlayback
    from bench.lag import PaintMeter, ThreadCpu
    from tests.servers.recorded import RecordedIndex, record
    from widgets.replay import ReplayWall

    app = QApplication(sys.argv[:1])
    end = T0 + timedelta(seconds=args.seconds)
    t = time.perf_counter()
    folder = Path(args.folder or tempfile.mkdtemp(prefix="replay-bench-"))
    listing = folder / f"segments-{w}x{h}-{args.seconds}.json"
    if listing.exists():  # made by an earlier run with --folder
        segments = [Segment(**{**d, "start": datetime.fromisoformat(d["start"]),
                               "end": datetime.fromisoformat(d["end"])})
                    for d in json.loads(listing.read_text())]
    else:
        segments = record(folder, CAMS, T0, end, size=(w, h))
        listing.write_text(json.dumps([{**asdict(s), "start": s.start.isoformat(),
                                        "end": s.end.isoformat()} for s in segments]))
    print(f"recorded 9 cameras x {args.seconds} s at {w}x{h} in "
          f"{time.perf_counter() - t:.1f} s ({len(segments)} segments)")
    paths = {cam: [s for s in segments if s.camera == cam] for cam in CAMS}

    def pump_until(cond: Callable[[], bool], timeout: float = 20.0) -> float:
        t0 = time.perf_counter()
        while not cond():
            if time.perf_counter() - t0 > timeout:
                raise SystemExit(f"bench: not within {timeout} s")
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            time.sleep(0.001)
        return time.perf_counter() - t0

    def exact(wall: ReplayWall, at: datetime) -> bool:
        return all(v is not None and v <= at < v + FRAME for v in wall.shown_times().values())

    # --- open ------------------------------------------------------------------------
    at = T0 + timedelta(seconds=4, milliseconds=520)
    t0 = time.perf_counter()
    clock = ReplayClock(T0, end, at)
    source = LocalSource(RecordedIndex(segments))
    playbacks = [CameraPlayback(source, cam, clock) for cam in CAMS]
    wall = ReplayWall()
    wall.setWindowFlag(Qt.WindowType.FramelessWindowHint)
    wall.move(0, 0)
    wall.resize(1920, 1080)
    wall.set_playbacks(playbacks, clock=clock)
    wall.show()
    pump_until(lambda: all(v is not None for v in wall.shown_times().values()))
    open_s = time.perf_counter() - t0
    pump_until(lambda: exact(wall, at))
    ref_open = _bare_seek([paths[c][0].path for c in CAMS], 4.52)

    # --- cold seek (segments not opened yet) -------------------------------------------
    far = T0 + timedelta(seconds=args.seconds - 7, milliseconds=260)
    seg_i = int((far - T0).total_seconds() // 10)
    t0 = time.perf_counter()
    clock.seek(far)
    pump_until(lambda: exact(wall, far))
    seek_s = time.perf_counter() - t0
    ref_seek = _bare_seek([paths[c][seg_i].path for c in CAMS],
                          (far - paths[CAMS[0]][seg_i].start).total_seconds())

    # --- frame step ------------------------------------------------------------------
    focused = playbacks[0]
    steps: dict[str, list[float]] = {"forward": [], "back": [], "held back": []}
    plan = ["forward"] * 10 + ["back"] * 40 + ["held back"] * 40  # across GOPs
    for direction in plan:
        if direction != "held back":  # a person pressing a key; held: back to back
            pump_until(functools.partial(_later, time.perf_counter() + args.step_gap_s))
        pos = clock.position()
        shown = wall.shown_times()[focused.camera] or pos
        target = (focused.frame_time_after(shown) if direction == "forward"
                  else focused.frame_time_before(shown))  # shown: a picture's exact time
        assert target is not None
        t0 = time.perf_counter()
        clock.seek(target)
        pump_until(functools.partial(_shows, wall, focused.camera, target))
        steps[direction].append(time.perf_counter() - t0)
    ref_next, ref_prev_gop = _bare_step(paths[CAMS[0]][seg_i].path)

    # --- drift, then the GUI thread's busy share (without the drift probe) ------------
    gui = ThreadCpu()
    meter = PaintMeter(wall, wall)
    paints: dict[float, tuple[float, float]] = {}  # rate: (repaints/s, ms per repaint)
    cores: dict[float, float] = {}  # rate: CPU seconds of the whole process per second
    drift: dict[float, tuple[float, float, float, float, float]] = {}
    for rate in (1.0, 16.0):
        samples: dict[str, list[float]] = {"spread": [], "ideal": [], "lag": []}
        probe = QTimer()
        probe.setInterval(10)
        probe.timeout.connect(functools.partial(_sample, wall, clock, samples))
        run_s = min(args.drift_s, (args.seconds - 3) / rate)  # stop before the end
        _run(clock, wall, rate, run_s, probe, pump_until, exact)
        meter.reset()
        cpu0 = time.process_time()
        busy = _run(clock, wall, rate, run_s, None, pump_until, exact, gui)
        cores[rate] = (time.process_time() - cpu0) / run_s  # the seek before: noise
        fig = meter.reset()
        paints[rate] = (fig.window_frames / run_s,
                        fig.window_s * 1000 / max(1, fig.window_frames))
        drift[rate] = (_p(samples["spread"], 99), max(samples["spread"]),
                       max(samples["ideal"]), _p(samples["lag"], 99), busy)

    wall.stop()
    for pb in playbacks:
        pb.close()
    wall.close()

    print()
    print(f"9 tiles in a 1920x1080 wall, recordings {w}x{h}, 25 fps, GOP 1 s; "
          "median of 10 forward, 40 backward and 40 held-back frame steps")
    print(f"{'figure':<44} {'replay wall':>12} {'reference':>12}  aim / reference is")
    print(f"{'open 9 cameras, every tile shows (ms)':<44} {open_s * 1000:>12.0f} "
          f"{ref_open * 1000:>12.0f}  < 1500 / bare PyAV open+seek+decode x9, one thread")
    print(f"{'cold seek, 9 tiles exact (ms)':<44} {seek_s * 1000:>12.0f} "
          f"{ref_seek * 1000:>12.0f}  < 500 / same, the 9 files of that instant")
    for name, ref in (("forward", ref_next), ("back", ref_prev_gop),
                      ("held back", ref_prev_gop)):
        vals = steps[name]
        print(f"{'frame step ' + name + ', median / max (ms)':<44} "
              f"{statistics.median(vals) * 1000:>5.0f} /{max(vals) * 1000:>5.0f} "
              f"{ref * 1000:>12.1f}  < 100 / bare: "
              + ("next picture" if name == "forward" else "seek + decode the previous GOP"))
    print(f"{'':<44} {'':>12} {'':>12}  (steps {args.step_gap_s * 1000:.0f} ms apart; held: "
          "back to back, as a held arrow key)")
    for rate, (spread, worst, ideal_spread, lag, busy) in drift.items():
        label = f"{rate:g}x"
        print(f"{'drift ' + label + ': spread of 9 tiles p99 / max (ms)':<44} "
              f"{spread:>5.0f} /{worst:>5.0f} {ideal_spread:>12.0f}  <= 40 / the cameras' own "
              "phases (media ms)")
        print(f"{'   ' + label + ': p99 lag of a tile behind clock (ms)':<44} {lag:>12.0f} "
              f"{'':>12}  media ms; at 16x, 40 ms = 2.5 ms of wall time")
        print(f"{'   ' + label + ': GUI thread busy share':<44} {busy * 100:>11.1f}% {'':>12}")
        per_s, ms = paints[rate]
        print(f"{'   ' + label + ': wall repaints/s, ms each':<44} {per_s:>5.0f} /{ms:>5.1f}")
        print(f"{'   ' + label + ': whole process CPU (cores)':<44} {cores[rate]:>12.2f}")
    return 0


def _later(deadline: float) -> bool:
    return time.perf_counter() >= deadline


def _shows(wall: ReplayWall, camera: str, t: datetime) -> bool:
    return wall.shown_times()[camera] == t


def _sample(wall: ReplayWall, clock: ReplayClock, samples: dict[str, list[float]]) -> None:
    """What the screen shows now (the wall's last tick) against the clock."""
    now = clock.position()
    shown = [v for v in wall.shown_times().values() if v is not None]
    if len(shown) == len(CAMS):
        samples["spread"].append((max(shown) - min(shown)).total_seconds() * 1000)
        samples["lag"].append((now - min(shown)).total_seconds() * 1000)
        samples["ideal"].append(_ideal_spread(now))


def _run(clock: ReplayClock, wall: ReplayWall, rate: float, seconds: float,
         probe: QTimer | None, pump_until: Callable[[Callable[[], bool]], float],
         exact: Callable[[ReplayWall, datetime], bool], gui: ThreadCpu | None = None) -> float:
    """Play at `rate` from 1 s into the recording for `seconds`; the GUI thread's busy
    share over that time when `gui` is given."""
    from PySide6.QtCore import QEventLoop, QTimer

    start = T0 + timedelta(seconds=1)
    clock.pause()
    clock.seek(start)
    pump_until(lambda: exact(wall, start))
    clock.set_rate(rate)
    cpu0 = gui.seconds() if gui else 0.0
    w0 = time.perf_counter()
    clock.play()
    if probe is not None:
        probe.start()
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()
    if probe is not None:
        probe.stop()
    clock.pause()
    return (gui.seconds() - cpu0) / (time.perf_counter() - w0) if gui else 0.0


def _ideal_spread(now: datetime) -> float:
    """The spread of the 9 cameras' pictures <= now when every tile is exact (the cameras
    are 7 ms apart in phase, tests/servers/recorded.py)."""
    times = []
    for i in range(len(CAMS)):
        first = T0 + timedelta(milliseconds=7 * i)
        times.append(first + ((now - first) // FRAME) * FRAME)
    return (max(times) - min(times)).total_seconds() * 1000


def _bare_seek(paths: list[str], seconds: float) -> float:
    """One thread: open each file, seek to the keyframe before `seconds`, decode to it."""
    t0 = time.perf_counter()
    for path in paths:
        with av.open(path) as c:
            st = c.streams.video[0]
            c.seek(int(seconds / float(st.time_base or 1)), stream=st, backward=True)
            for f in c.decode(st):
                if f.time is not None and f.time >= seconds - 0.04:
                    f.to_ndarray(format="rgb24")
                    break
    return time.perf_counter() - t0


def _bare_step(path: str) -> tuple[float, float]:
    """The bare decoder's cost of the next picture, and of a previous GOP (seek + 25)."""
    with av.open(path) as c:
        st = c.streams.video[0]
        frames = c.decode(st)
        next(frames)
        t0 = time.perf_counter()
        next(frames).to_ndarray(format="rgb24")
        nxt = time.perf_counter() - t0
        t0 = time.perf_counter()
        c.seek(int(3.0 / float(st.time_base or 1)), stream=st, backward=True)
        for n, f in enumerate(c.decode(st), 1):
            if n == 25:
                f.to_ndarray(format="rgb24")
                break
        return nxt, time.perf_counter() - t0


def _p(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))] if s else float("nan")


if __name__ == "__main__":
    sys.exit(main())
