"""Alarm storm benchmark: alarms per second in (source → journal, durably → the alarm desk on
screen) while the operator keeps control of the WHOLE console window.

The real pieces run: hub, alarm service (synchronous=FULL journal), hub bridge, and the
main window as an operator has it (video wall, camera list, map, alarm desk, status bar),
shown, on the demo town with nine cameras (`--video`: the demo's camera server feeds them;
otherwise their streams are refused and the tiles retry, as with an unreachable camera).
A feeder thread posts `AlarmReported` at a fixed rate; the real event loop runs
(`QEventLoop.exec()`), never `processEvents` and sleeps. Printed per rate:

- lag p50/p99/max: how late a 5 ms timer fires on the GUI thread;
- to screen p50/p99: from the post of an alarm to its row in the desk's sorted view;
- GUI busy: CPU time of the GUI thread (from /proc/self/task/<tid>/schedstat) per second;
  CPU wait: its time ready to run while other threads or processes had the CPUs;
- desk frames/s and paint ms/frame: repaint passes of the window in which the desk painted,
  and the time spent in the desk's paint events per such pass (window ms/s: every widget);
- shown: alarms on screen by the end of the phase; lost: alarms sent that were neither
  stored nor shown even after the pipeline was given time to catch up; at the end the
  desk's alarms are compared with the journal's, id for id;
- where the CPU went: each thread's and child process's share (the map's web process too).

The first row is the reference in the same process: the same window, no alarms.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m bench.alarm_ingest \
        [--seconds 8] [--rates 0,50,200,1000,2000] [--video] [--slow 30]

A slower workstation on a fast one (`--slow PERCENT`, as root, cgroup v1 `cpu` mounted):
the bench puts itself (its threads and the map's web processes) in a CPU quota group,
`/sys/fs/cgroup/cpu/csu-bench-slow`, and removes it at the end. By hand, the same:

    mkdir /sys/fs/cgroup/cpu/slow
    echo 30000 > /sys/fs/cgroup/cpu/slow/cpu.cfs_quota_us    # 30 ms per 100 ms period
    echo $$ > /sys/fs/cgroup/cpu/slow/cgroup.procs             # this shell and its children
    xvfb-run -a ... python -m bench.alarm_ingest ...           # Xvfb is slowed too, here
    echo $$ > /sys/fs/cgroup/cpu/cgroup.procs; rmdir /sys/fs/cgroup/cpu/slow

A quota is not a slower CPU: the group runs at full speed until its 30 ms are spent, then
stops for the rest of the 100 ms period. A GUI thread that competes with its own journal
and alarm threads for those 30 ms is frozen up to 70 ms at a time, whatever the GUI does;
`--slow-period-ms 10` spreads the same share over shorter periods (stops of 7 ms at most).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
_TMP = Path(tempfile.mkdtemp(prefix="csu-bench-"))
os.environ["XDG_CONFIG_HOME"] = str(_TMP / "config")

from bench.slow import CpuQuota, current_quota  # noqa: E402 - Qt-free, before Qt starts

CAMERAS = 9
PHASE_GRACE_S = 60  # a phase ends when all it sent is on screen, or this long after its feed
DRAIN_S = 300  # at the end, how long the pipeline may take to bring in what is still queued
TYPES_CYCLE = ["weapon_drawn", "gunshot", "intrusion", "lpr_hit", "video_analytics",
               "citizen_report", "bodycam_emergency"]


@dataclass
class PhaseResult:
    rate: float
    seconds: float = 0.0
    sent: int = 0
    shown: int = 0
    lags: list[float] = field(default_factory=list)
    to_screen: list[float] = field(default_factory=list)
    busy: float = 0.0  # GUI thread CPU seconds per wall second
    cpu_wait: float = 0.0  # GUI thread seconds waiting for a CPU, per wall second
    desk_frames: int = 0
    desk_paint_s: float = 0.0
    lone_paints: int = 0
    window_paint_s: float = 0.0
    rows_after: int = 0
    cpu_split: dict[str, float] = field(default_factory=dict)  # CPU s by thread/process

    lost: int = 0  # sent, and neither journaled nor shown even after the final drain


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=8.0, help="seconds per rate")
    ap.add_argument("--rates", default="0,50,200,1000,2000",
                    help="alarms per second, one phase each (0 first: the reference)")
    ap.add_argument("--long", type=float, default=0.0, metavar="SECONDS",
                    help="then one more phase at the last rate for this long (e.g. 30)")
    ap.add_argument("--types", default=",".join(TYPES_CYCLE),
                    help="alarm types the feeder cycles through (the first ones escalate"
                         " after 20-30 s on the demo site: their escalations are part of a"
                         " long storm)")
    ap.add_argument("--video", action="store_true",
                    help="the wall plays the demo camera server's nine streams")
    ap.add_argument("--slow", type=int, default=0, metavar="PERCENT",
                    help="run inside a cgroup v1 CPU quota of PERCENT of one CPU (root)")
    ap.add_argument("--slow-period-ms", type=int, default=100,
                    help="the quota's period (default 100 ms, the kernel's default)")
    ap.add_argument("--no-paint-meter", action="store_true",
                    help="do not time paint events (shows the meter's own cost)")
    ap.add_argument("--switch-interval", type=float, default=0.0, metavar="MS",
                    help="sys.setswitchinterval for this run (the interpreter's default 5 ms):"
                         " how long the GUI thread may wait for the GIL at each call into"
                         " Python while other threads run Python")
    ap.add_argument("--no-map-alarms", action="store_true",
                    help="diagnosis only: the map does not draw the alarms (shows what the"
                         " map's alarm layer costs; not how the console runs)")
    ap.add_argument("--profile", metavar="FILE",
                    help="cProfile the GUI thread during the phases with alarms")
    args = ap.parse_args()
    quota = CpuQuota(args.slow, args.slow_period_ms) if args.slow else None
    if quota is not None:
        problem = quota.enter()
        if problem:
            print(f"--slow: {problem}", file=sys.stderr)
            return 2
    try:
        return run(args)
    finally:
        if quota is not None:
            quota.leave()


def run(args: argparse.Namespace) -> int:
    from maps.scheme import prepare_web_engine

    prepare_web_engine()
    from PySide6.QtCore import QEvent, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem

    from app.core.access import Role, User
    from app.core.events import AlarmReported
    from app.core.model import AlarmType, LatLon
    from app.services.runtime import Runtime
    from app.ui.bridge import HubBridge
    from app.ui.style import apply_style
    from app.ui.world import World
    from bench.lag import CpuByThread, LagProbe, PaintFigures, PaintMeter, ThreadCpu, pct
    from widgets.main_window import MainWindow

    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval / 1000)
    app = QApplication(sys.argv[:1])
    apply_style(app)

    def run_until(done: Callable[[], bool], timeout_s: float) -> bool:
        """The real event loop until `done()` (checked every 50 ms) or the timeout."""
        loop = QEventLoop()
        deadline = time.perf_counter() + timeout_s
        check = QTimer()
        check.setInterval(50)
        check.timeout.connect(lambda: (done() or time.perf_counter() > deadline) and loop.quit())
        check.start()
        QTimer.singleShot(0, lambda: done() and loop.quit())
        loop.exec()
        check.stop()
        return done()

    # -- calibration: how fast this machine paints and computes ---------------------------
    table = QTableWidget(40, 8)
    for r in range(40):
        for c in range(8):
            table.setItem(r, c, QTableWidgetItem(f"cell {r}.{c}"))
    table.resize(900, 1300)
    grabs = []
    for _ in range(15):
        t0 = time.perf_counter()
        table.grab()
        grabs.append((time.perf_counter() - t0) * 1000)
    table.deleteLater()
    t0 = time.perf_counter()
    exec("s = 0\nfor i in range(10 ** 7):\n    s += i", {})  # at module level, as in FIELD-NOTES
    loop_s = time.perf_counter() - t0

    # -- the console ----------------------------------------------------------------------
    server = None
    if args.video:
        from app.adapters.demo.camera_server import CameraServerProcess, SyntheticCamera

        server = CameraServerProcess([SyntheticCamera(f"cam-{i + 1:02d}", f"Caméra {i + 1}",
                                                      "fixed", seed=i)
                                      for i in range(CAMERAS)], fps=10)
        server.start()
    site = bench_site(server.port if server is not None else None)
    runtime = Runtime(site, {}, _TMP / "journal.sqlite")
    runtime.sign_in_as_demo(User("bench", "Bench operator", Role.OPERATOR))
    bridge = HubBridge(runtime.hub, World())
    window = MainWindow(site, runtime, bridge)
    assert window.alarms.alerter is not None
    window.alarms.alerter.set_muted(True)
    bridge.start()
    runtime.start()
    window.show_restored()
    meter = None if args.no_paint_meter else PaintMeter(window, window.alarms)
    if args.no_map_alarms:
        bridge.alarms_changed.disconnect(window.map_feed._on_alarms)
    desk = window.alarms.queue
    map_ready = run_until(lambda: window.map_view.is_ready, 60)
    run_until(lambda: False, 3)  # let the wall connect and the map draw its first frames

    posted: dict[str, float] = {}
    seen: set[str] = set()
    phase_delays: list[float] = []

    def on_rows(_parent: object, first: int, last: int) -> None:
        now = time.perf_counter()
        for row in range(first, last + 1):
            a = desk.proxy.alarm_at(row)
            if a is None or a.source != "bench" or a.source_id in seen:
                continue
            t = posted.get(a.source_id)
            if t is not None:
                seen.add(a.source_id)
                phase_delays.append((now - t) * 1000)

    desk.proxy.rowsInserted.connect(on_rows)
    types = [AlarmType(t) for t in args.types.split(",")]

    def feeder(rate: float, seconds: float, tag: str, sent: list[int]) -> None:
        n = int(rate * seconds)
        t0 = time.perf_counter()
        for i in range(n):
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            sid = f"{tag}-{i}"
            posted[sid] = time.perf_counter()
            runtime.hub.post(AlarmReported(
                source="bench", source_id=sid, type=types[i % len(types)],
                priority=1 + i % 4, title=f"Alarme de test {tag} n° {i}", time=datetime.now(UTC),
                position=LatLon(60.1650 + (i % 97) * 1e-4, 24.9300 + (i % 89) * 2.5e-4)))
            sent[0] += 1

    gui_cpu = ThreadCpu()
    profiler = cProfile.Profile() if args.profile else None
    rates = [float(r) for r in args.rates.split(",")]
    plan = [(r, args.seconds) for r in rates]
    if args.long:
        plan.append((rates[-1], args.long))
    results: list[PhaseResult] = []
    load_before = os.getloadavg()
    for i, (rate, seconds) in enumerate(plan):
        by_thread = CpuByThread()
        res = PhaseResult(rate)
        sent = [0]
        phase_delays.clear()
        seen_before = len(seen)
        expected = int(rate * seconds)
        worker = threading.Thread(target=feeder, args=(rate, seconds, f"p{i}", sent),
                                  daemon=True)
        probe = LagProbe()
        if meter is not None:
            meter.reset()
        cpu0, wait0, t0 = gui_cpu.seconds(), gui_cpu.waited(), time.perf_counter()
        probe.start()
        if profiler is not None and rate > 0:
            profiler.enable()
        if rate > 0:
            worker.start()
        run_until(lambda t0=t0, seconds=seconds, expected=expected, seen_before=seen_before:
                  time.perf_counter() - t0 >= seconds
                  and len(seen) - seen_before >= expected, seconds + PHASE_GRACE_S)
        if profiler is not None:
            profiler.disable()
        probe.stop()
        res.seconds = time.perf_counter() - t0
        res.busy = (gui_cpu.seconds() - cpu0) / res.seconds
        res.cpu_wait = (gui_cpu.waited() - wait0) / res.seconds
        if rate > 0:
            worker.join()
        paint = meter.reset() if meter is not None else PaintFigures()
        res.sent, res.shown = sent[0], len(seen) - seen_before
        res.lags, res.to_screen = list(probe.samples), list(phase_delays)
        res.desk_frames, res.desk_paint_s = paint.frames, paint.paint_s
        res.window_paint_s = paint.window_s
        res.lone_paints = paint.lone
        res.rows_after = desk.proxy.rowCount()
        res.cpu_split = by_thread.since_start()
        results.append(res)
    load_after = os.getloadavg()

    # -- the desk holds exactly what the journal holds ------------------------------------
    total_sent = sum(r.sent for r in results)
    t_drain = time.perf_counter()
    drained = run_until(lambda: len(seen) >= total_sent, DRAIN_S)
    drain_s = time.perf_counter() - t_drain
    run_until(lambda: False, 1)
    stored = runtime.journal.load_alarms()
    journaled = {a.id for a in stored}
    for i, r in enumerate(results):
        r.lost = r.sent - sum(1 for a in stored if a.source_id.startswith(f"p{i}-"))
    in_model = {a.id for a in window.alarms.model.alarms()}
    open_in_model = sum(1 for a in window.alarms.model.alarms() if a.is_open)
    in_view = desk.proxy.rowCount()
    window.close()
    bridge.stop()
    window.shutdown()
    runtime.stop()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # before the profile
    if server is not None:
        server.stop()
    if profiler is not None:
        profiler.dump_stats(args.profile)

    quota = current_quota()
    print(f"alarm storm on the whole window ({'video playing' if args.video else 'streams refused'}"
          f", map {'ready' if map_ready else 'NOT READY'}"
          f"{', WITHOUT alarms on the map' if args.no_map_alarms else ''}); CPU quota: {quota}")
    print(f"this machine: a 40x8 QTableWidget paints in {statistics.median(grabs):.1f} ms; "
          f"10^7 Python additions take {loop_s:.2f} s; {os.cpu_count()} CPUs; load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print(f"GUI busy = CPU time of the GUI thread ({gui_cpu.source}) per wall second; CPU wait"
          f" = its time ready to run but waiting for a CPU; frames/s, ms/frame = repaint passes"
          f" in which the desk painted, time in its paint events per such pass"
          f"{' (meter off)' if args.no_paint_meter else ''}")
    print("shown = on screen by the end of the phase (its feed + up to 60 s); lost = never stored"
          " nor shown, even after the last phase")
    print(f"{'offered/s':>9} {'s':>4} {'sent':>6} {'shown':>6} {'lost':>4} "
          f"{'lag p50':>7} {'p99':>6} {'max':>6} {'screen p50':>10} {'p99':>6} "
          f"{'GUI busy':>8} {'CPU wait':>8} {'frames/s':>8} {'ms/frame':>8} "
          f"{'window ms/s':>11} {'rows':>6}")
    for r in results:
        fps = r.desk_frames / r.seconds
        ms_frame = r.desk_paint_s * 1000 / r.desk_frames if r.desk_frames else 0.0
        print(f"{r.rate:>9.0f} {r.seconds:>4.0f} {r.sent:>6} {r.shown:>6} {r.lost:>4} "
              f"{statistics.median(r.lags) if r.lags else 0:>7.1f} {pct(r.lags, 99):>6.1f} "
              f"{max(r.lags, default=0):>6.1f} "
              f"{statistics.median(r.to_screen) if r.to_screen else 0:>10.0f} "
              f"{pct(r.to_screen, 99):>6.0f} {r.busy * 100:>7.1f}% {r.cpu_wait * 100:>7.1f}% "
              f"{fps:>8.1f} {ms_frame:>8.1f} "
              f"{r.window_paint_s * 1000 / r.seconds:>11.0f} {r.rows_after:>6}")
    lone = sum(r.lone_paints for r in results)
    if lone:
        print(f"({lone} desk paints came outside a window pass: each counted as a frame)")
    print("where the CPU went, % of one CPU (threads of this process, and its child processes):")
    for r in results:
        top = sorted(r.cpu_split.items(), key=lambda kv: -kv[1])[:6]
        print(f"{r.rate:>9.0f}/s: " + ", ".join(f"{name} {100 * sec / r.seconds:.0f}%"
                                              for name, sec in top))
    print(f"Python switch interval {sys.getswitchinterval() * 1000:g} ms")
    same = journaled == in_model
    if drain_s > 2:
        print(f"the pipeline (alarm service, journal) was still bringing alarms in after the "
              f"last phase: {drain_s:.0f} s more "
              f"{'until all were in' if drained else 'and then the bench gave up'}")
    print(f"journal holds {len(journaled)} alarms, the desk's model {len(in_model)} "
          f"({'the same ids' if same else 'DIFFERENT ids'}), its view {in_view} rows for "
          f"{open_in_model} open; sent {total_sent}: "
          f"{'none lost' if same and len(journaled) == total_sent else 'LOST'}")
    return 0 if same and len(journaled) == total_sent and in_view == open_in_model else 1


def bench_site(video_port: int | None):  # type: ignore[no-untyped-def]
    """The demo town's map (streets, offline tiles, sectors) with nine fixed cameras and no
    adapter: nothing but the bench raises alarms."""
    from app.core.registry import discover
    from app.core.site import CameraConfig, load_site
    from app.main import demo_site_path

    demo = load_site(demo_site_path(), discover())
    cams = []
    for i in range(CAMERAS):
        cid = f"cam-{i + 1:02d}"
        base = (f"http://127.0.0.1:{video_port}/{cid}" if video_port
                else f"http://127.0.0.1:9/{cid}")  # port 9 (discard): refused
        cams.append(CameraConfig(
            id=cid, name=f"Caméra {i + 1}", main=f"{base}/main.mjpg", sub=f"{base}/sub.mjpg",
            position=(60.1660 + (i % 3) * 0.0030, 24.9350 + (i // 3) * 0.0060),
            heading=(i * 40) % 360))
    return demo.model_copy(update={"adapters": [], "cameras": cams, "layouts": []})


if __name__ == "__main__":
    sys.exit(main())
