"""What watching for inactivity costs the GUI thread per event (`app.ui.inactivity`).

The watch's filter sits on every window: each event a window gets (input, exposes,
update requests) passes through one Python call. Measured here, per event, with the
filter and without it (the reference), on the thread's CPU clock:

- mouse moves as the window system delivers them (QTest through the window, spontaneous:
  the filter reads the clock);
- other events of the window (sent by the program: the filter only checks the type).

    .venv/bin/python -m bench.inactivity_filter [--events 20000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QPoint
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app.ui.inactivity import InactivityWatch


def per_event_ns(run: Callable[[int], None], events: int, rounds: int) -> float:
    """Median over `rounds` of the thread's CPU time per event, in nanoseconds."""
    samples = []
    for _ in range(rounds):
        start = time.thread_time_ns()
        run(events)
        samples.append((time.thread_time_ns() - start) / events)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    widget = QWidget()
    widget.resize(400, 300)
    widget.show()
    QTest.qWaitForWindowExposed(widget)
    window = widget.windowHandle()
    assert window is not None

    def moves(n: int) -> None:
        for i in range(n):
            QTest.mouseMove(widget, QPoint(10 + i % 200, 10 + i % 100))
            if i % 100 == 99:
                QCoreApplication.processEvents()
        QCoreApplication.processEvents()

    def others(n: int) -> None:
        event = QEvent(QEvent.Type.User)
        for _ in range(n):
            QCoreApplication.sendEvent(window, event)

    watch = InactivityWatch(300.0)
    rows = []
    for name, run in (("mouse moves (spontaneous)", moves), ("other window events", others)):
        without = per_event_ns(run, args.events, args.rounds)
        watch.start()
        with_filter = per_event_ns(run, args.events, args.rounds)
        watch.stop()
        rows.append((name, without, with_filter))
    print(f"{'events':28} {'without µs':>11} {'with µs':>9} {'filter µs':>10}  "
          f"({args.events} events, median of {args.rounds})")
    for name, without, with_filter in rows:
        print(f"{name:28} {without / 1000:11.2f} {with_filter / 1000:9.2f} "
              f"{(with_filter - without) / 1000:10.2f}")
    widget.close()
    del app


if __name__ == "__main__":
    main()
