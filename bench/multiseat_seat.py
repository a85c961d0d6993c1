"""One console window of bench/multiseat.py, as its own process: a seat of the room
(`SeatRuntime` on the room's PostgreSQL journal, as app/launch.py builds it) or, with
`--sqlite`, the single-process console (`Runtime` on SQLite with the feeder inside it, the
reference). The whole window as an operator has it (wall, camera list, map, desk), shown.

It measures itself and writes what it saw to `--out` (JSON) when told to stop:
- when each alarm reached it: the bridge's delivery on the GUI thread, and its row in the
  desk's sorted view (wall clock, time.time(): the other processes are on the same machine);
- when each alarm was first seen acknowledged (bridge delivery), and by whom;
- the alarms it acknowledged itself, and when the operator "clicked" (the desk's own
  AlarmActions.acknowledge, on the GUI thread, when the row appears): every `--ack-every`th
  alarm, every `--seats`th of those being this seat's (`--slot`);
- the GUI loop's lag (how late a 5 ms timer fires) and the GUI thread's CPU time, sampled.

    python -m bench.multiseat_seat --journal URL --user NAME --out FILE [--slot K --seats N]
    python -m bench.multiseat_seat --sqlite --out FILE
stdin:  feed RATE SECONDS TAG  (--sqlite only: the feeder runs in this process)
        begin TAG | end TAG    (a phase: where this process's CPU went in it, by thread)
        stop
stdout: READY | SEEN <alarms on the desk> | FED <tag> <stored> <refused>
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import sys
import threading
import time
from pathlib import Path
from typing import Any

import bench.alarm_ingest as ingest  # sets the web engine's flags and a config home too
from bench.multiseat_feed import SOURCE, Feed, index_of

_out = threading.Lock()


def say(line: str) -> None:
    with _out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--journal", help="the room's postgresql:// URL (password: PGPASSWORD)")
    ap.add_argument("--sqlite", action="store_true", help="the single-process console")
    ap.add_argument("--user", default="operator")
    ap.add_argument("--out", required=True)
    ap.add_argument("--slot", type=int, default=0)
    ap.add_argument("--seats", type=int, default=1)
    ap.add_argument("--ack-every", type=int, default=10)
    args = ap.parse_args()

    from maps.scheme import prepare_web_engine

    prepare_web_engine()
    from PySide6.QtCore import QElapsedTimer, QEvent, QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.access import Role, User
    from app.core.journal_url import parse_journal_url
    from app.core.model import Alarm, AlarmState
    from app.services.runtime import Runtime
    from app.services.seat_runtime import SeatRuntime
    from app.ui.bridge import HubBridge
    from app.ui.style import apply_style
    from app.ui.world import World
    from bench.lag import CpuByThread, ThreadCpu
    from widgets.main_window import MainWindow

    app = QApplication(sys.argv[:1])
    apply_style(app)
    site = ingest.bench_site(None)
    runtime: Runtime | SeatRuntime
    if args.sqlite:
        runtime = Runtime(site, {}, ingest._TMP / "journal.sqlite")
        # one console: its operator signed in
        runtime.sign_in_as_demo(User(args.user, args.user, Role.OPERATOR))
    else:
        runtime = SeatRuntime(site, parse_journal_url(args.journal), user=args.user)
    bridge = HubBridge(runtime.hub, World())
    window = MainWindow(site, runtime, bridge)
    assert window.alarms.alerter is not None
    assert window.alarms.commands is not None
    window.alarms.alerter.set_muted(True)
    commands = window.alarms.commands
    commands.operator = args.user
    desk = window.alarms.queue

    bridge_at: dict[str, float] = {}
    desk_at: dict[str, float] = {}
    acked_seen: dict[str, tuple[float, str]] = {}
    my_acks: dict[str, float] = {}
    ack_errors: list[str] = []
    lag: list[tuple[float, float]] = []
    cpu: list[tuple[float, float, float]] = []  # wall time, GUI CPU s, GUI CPU wait s

    def mine(sid: str) -> bool:
        i = index_of(sid)
        if args.ack_every <= 0 or i % args.ack_every:
            return False
        return (i // args.ack_every) % args.seats == args.slot

    def on_alarms(alarms: list[Alarm]) -> None:
        now = time.time()
        for a in alarms:
            if a.source != SOURCE:
                continue
            bridge_at.setdefault(a.source_id, now)
            if a.state != AlarmState.NEW and a.source_id not in acked_seen:
                actor = a.history[-1].actor if a.history else "-"
                acked_seen[a.source_id] = (now, actor)

    def on_rows(_parent: object, first: int, last: int) -> None:
        now = time.time()
        for row in range(first, last + 1):
            a = desk.proxy.alarm_at(row)
            if a is None or a.source != SOURCE or a.source_id in desk_at:
                continue
            desk_at[a.source_id] = now
            if mine(a.source_id) and a.state == AlarmState.NEW:
                my_acks[a.source_id] = time.time()
                commands.acknowledge(a.id)  # the desk's own door, as a click would

    bridge.alarms_changed.connect(on_alarms)
    desk.proxy.rowsInserted.connect(on_rows)
    commands.failed.connect(ack_errors.append)

    clock, gui_cpu = QElapsedTimer(), ThreadCpu()
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        if last[0]:
            lag.append((time.time(), max(0.0, now - last[0] - 5)))
        last[0] = now

    probe = QTimer()
    probe.setInterval(5)
    probe.timeout.connect(tick)
    sampler = QTimer()
    sampler.setInterval(500)
    sampler.timeout.connect(lambda: (cpu.append((time.time(), gui_cpu.seconds(),
                                                  gui_cpu.waited())),
                                     say(f"SEEN {len(desk_at)}")))

    feeds: list[Feed] = []
    phase_cpu: dict[str, Any] = {}  # tag -> CpuByThread while it runs, then its figures
    orders: queue.SimpleQueue[str] = queue.SimpleQueue()

    def read_orders() -> None:
        for line in sys.stdin:
            orders.put(line.strip())
        orders.put("stop")

    def feed_and_say(feed: Feed) -> None:
        feed.run(runtime.hub)
        feed.wait_settled(120)
        say(f"FED {feed.tag} {len(feed.acked)} {len(feed.refused)}")

    def obey() -> None:
        while True:
            try:
                order = orders.get_nowait()
            except queue.Empty:
                return
            verb, *rest = order.split()
            if verb == "feed" and args.sqlite:
                feed = Feed(rest[2], float(rest[0]), float(rest[1]))
                feeds.append(feed)
                threading.Thread(target=feed_and_say, args=(feed,), daemon=True).start()
            elif verb == "begin":
                phase_cpu[rest[0]] = CpuByThread()
            elif verb == "end" and isinstance(phase_cpu.get(rest[0]), CpuByThread):
                phase_cpu[rest[0]] = phase_cpu[rest[0]].since_start()
                for feed in feeds:  # its thread is gone: it says its own CPU time
                    if feed.tag == rest[0]:
                        phase_cpu[rest[0]]["feeder"] = feed.cpu_s
            elif verb == "stop":
                app.quit()
                return

    inbox = QTimer()
    inbox.setInterval(100)
    inbox.timeout.connect(obey)

    bridge.start()
    runtime.start()
    window.show_restored()
    # the seat's operator signs in at the room's service (an account bench/multiseat.py made)
    signed = runtime.sign_in(args.user, os.environ["CSU_BENCH_PASSWORD"]) \
        if isinstance(runtime, SeatRuntime) else None

    def ready() -> None:
        if not window.map_view.is_ready:
            QTimer.singleShot(100, ready)
            return
        if isinstance(runtime, SeatRuntime) and not runtime.attached.is_set():
            QTimer.singleShot(100, ready)
            return
        if signed is not None and not signed.done():
            QTimer.singleShot(100, ready)
            return
        if signed is not None:
            signed.result()  # a refused sign-in stops the bench here, saying why
        clock.start()
        probe.start()
        sampler.start()
        inbox.start()
        threading.Thread(target=read_orders, daemon=True).start()
        say("READY")

    QTimer.singleShot(3000, ready)  # the wall tries its cameras, the map draws its first frames
    app.exec()

    probe.stop()
    sampler.stop()
    in_model = [a.source_id for a in window.alarms.model.alarms() if a.source == SOURCE]
    journal: list[str] = []
    if args.sqlite:
        journal = [a.source_id for a in runtime.journal.load_alarms() if a.source == SOURCE]
    window.close()
    bridge.stop()
    window.shutdown()
    runtime.stop()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    Path(args.out).write_text(json.dumps({
        "user": args.user, "bridge_at": bridge_at, "desk_at": desk_at,
        "acked_seen": acked_seen, "my_acks": my_acks, "ack_errors": ack_errors,
        "lag": lag, "cpu": cpu, "in_model": in_model, "journal": journal,
        "phase_cpu": {k: v for k, v in phase_cpu.items() if isinstance(v, dict)},
        "feeds": [{"tag": f.tag, "rate": f.rate, "seconds": f.seconds, "posted": f.posted,
                   "acked": f.acked, "refused": f.refused, "started": f.started,
                   "fed": f.fed} for f in feeds]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
