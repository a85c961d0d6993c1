"""What an operator feels of the GUI thread, shared by the benchmarks that run a window.

- `LagProbe`: how late a 5 ms timer fires (the event loop's lag).
- `ThreadCpu`: the CPU time the GUI thread itself used, from the kernel
  (`/proc/self/task/<tid>/schedstat`, nanoseconds; `stat`'s utime+stime where schedstat is
  missing): divided by the wall time it is the thread's busy share. It counts computing
  only: waiting for the GIL or for a CPU quota is lag, not busy time.
- `PaintMeter`: times every paint event of one widget and its children, grouped into
  frames (one frame = one repaint pass of the top-level window, the `UpdateRequest` it
  handles), so "ms per painted frame" and "frames per second" explain why a slower
  machine's lag is what it is.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QWidget


class LagProbe:
    def __init__(self, interval_ms: int = 5) -> None:
        self.interval = interval_ms
        self.samples: list[float] = []
        self._clock = QElapsedTimer()
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0

    def start(self) -> None:
        self.samples.clear()
        self._clock.start()
        self._last = 0.0
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = self._clock.nsecsElapsed() / 1e6
        if self._last:
            self.samples.append(max(0.0, now - self._last - self.interval))
        self._last = now


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank); 0 for no values."""
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))] if s else 0.0


class ThreadCpu:
    """CPU seconds used so far by one thread (the caller's by default)."""

    def __init__(self, tid: int | None = None) -> None:
        self.tid = tid if tid is not None else threading.get_native_id()
        base = Path(f"/proc/self/task/{self.tid}")
        self._schedstat = base / "schedstat"
        self._stat = base / "stat"
        self.source = "schedstat" if self._schedstat.exists() else (
            "stat" if self._stat.exists() else "process_time")
        self._tick_s = 1.0 / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.01

    def waited(self) -> float:
        """Seconds the thread was ready to run but waited for a CPU (schedstat only; 0 else):
        the machine's other load, or a CPU quota. Waiting for the GIL is not in it."""
        if self.source != "schedstat":
            return 0.0
        return int(self._schedstat.read_text().split()[1]) / 1e9

    def seconds(self) -> float:
        if self.source == "schedstat":
            return int(self._schedstat.read_text().split()[0]) / 1e9
        if self.source == "stat":
            # the command name may hold spaces: fields are counted after its closing ')'
            fields = self._stat.read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) * self._tick_s  # utime, stime
        return time.process_time()  # whole process: no per-thread figure on this system


@dataclass
class PaintFigures:
    frames: int = 0  # repaint passes in which the watched widget painted something
    paint_s: float = 0.0  # time in its paint events (and its children's)
    window_frames: int = 0  # repaint passes of the whole window
    window_s: float = 0.0  # time in those passes (every widget, and the flush to the screen)
    lone: int = 0  # watched paints outside any pass (each counted as a frame of its own)


# A repaint pass of a window: the widget's UpdateRequest, or its QWindow's UpdateRequest,
# Paint or Expose (Qt 6 may paint the widgets while handling either).
_WIDGET_PASS = frozenset({QEvent.Type.UpdateRequest})
_WINDOW_PASS = frozenset({QEvent.Type.UpdateRequest, QEvent.Type.Paint, QEvent.Type.Expose})


class PaintMeter(QObject):
    """Times the paint events of one widget tree, grouped by repaint pass of its window.

    An event filter only sees an event before it is handled, so for a paint event the filter
    handles it itself, timed, and stops it there: a plain widget through its public
    `event()`, the viewport of a view through the view's `viewportEvent()` (where a view
    paints its rows). The window's `UpdateRequest` (one repaint pass: every dirty widget,
    then the flush to the screen), sent to its QWindow in Qt 6, is timed the same way.
    Widgets created after the meter (e.g. a dialog) are not metered.
    """

    def __init__(self, window: QWidget, watched: QWidget) -> None:
        super().__init__(window)
        self.figures = PaintFigures()
        self._handlers: dict[int, Callable[[QEvent], bool]] = {}
        self._in_pass = False
        self._pass_paint = 0.0
        self._depth = 0
        # Qt 6 asks the window's QWindow to repaint (QWindow.requestUpdate): its
        # UpdateRequest is the pass; a QWidget may still get one posted to it directly.
        window.winId()  # the native window exists
        handle = window.windowHandle()
        self._passes: dict[int, tuple[Callable[[QEvent], bool], frozenset[QEvent.Type]]] = {
            id(window): (window.event, _WIDGET_PASS)}
        window.installEventFilter(self)
        if handle is not None:
            self._passes[id(handle)] = (handle.event, _WINDOW_PASS)
            handle.installEventFilter(self)
        for w in [watched, *watched.findChildren(QWidget)]:
            handler = self._handler_for(w)
            if handler is not None:
                self._handlers[id(w)] = handler
                w.installEventFilter(self)

    @staticmethod
    def _handler_for(w: QWidget) -> Callable[[QEvent], bool] | None:
        parent = w.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and parent.viewport() is w:
            handle = getattr(parent, "viewportEvent", None)  # protected: Python-made views
            return handle if callable(handle) else None
        return w.event

    def reset(self) -> PaintFigures:
        """The figures since the last reset."""
        out, self.figures = self.figures, PaintFigures()
        return out

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        passing = self._passes.get(id(watched)) if not self._in_pass else None
        if passing is not None and kind in passing[1]:
            handle_pass = passing[0]
            self._in_pass, self._pass_paint = True, 0.0
            t0 = time.perf_counter()
            try:
                handle_pass(event)
            finally:
                f = self.figures
                f.window_s += time.perf_counter() - t0
                f.window_frames += 1
                if self._pass_paint:
                    f.frames += 1
                    f.paint_s += self._pass_paint
                self._in_pass = False
            return True
        if kind == QEvent.Type.Paint and self._depth == 0:
            handler = self._handlers.get(id(watched))
            if handler is None:
                return False
            self._depth += 1
            t0 = time.perf_counter()
            try:
                handler(event)
            finally:
                spent = time.perf_counter() - t0
                self._depth -= 1
                if self._in_pass:
                    self._pass_paint += spent
                else:  # painted outside a window pass (an immediate repaint): a frame alone
                    self.figures.frames += 1
                    self.figures.lone += 1
                    self.figures.paint_s += spent
            return True
        return False


class CpuByThread:
    """CPU seconds per thread of this process (Python threads by name, the others by their
    kernel name) and of its child processes (QtWebEngine's renderer, the camera server):
    where a storm's CPU goes besides the GUI thread."""

    def __init__(self) -> None:
        self._start = self._sample()

    @staticmethod
    def _schedstat(path: Path) -> float:
        try:
            return int(path.read_text().split()[0]) / 1e9
        except (OSError, ValueError, IndexError):
            return 0.0

    def _sample(self) -> dict[str, float]:
        names = {t.native_id: t.name for t in threading.enumerate() if t.native_id}
        names[threading.main_thread().native_id or 0] = "GUI (main)"
        out: dict[str, float] = {}
        tasks = Path("/proc/self/task")
        for task in tasks.iterdir() if tasks.exists() else []:
            tid = int(task.name)
            try:
                comm = (task / "comm").read_text().strip()
            except OSError:
                continue
            name = names.get(tid) or f"{comm} (Qt/C)"
            out[name] = out.get(name, 0.0) + self._schedstat(task / "schedstat")
        for child in self._children(os.getpid()):
            try:
                comm = Path(f"/proc/{child}/comm").read_text().strip()
            except OSError:
                continue
            total = sum(self._schedstat(t / "schedstat")
                        for t in Path(f"/proc/{child}/task").iterdir())
            out[f"process {comm}"] = out.get(f"process {comm}", 0.0) + total
        return out

    @classmethod
    def _children(cls, pid: int) -> list[int]:
        found: list[int] = []
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                kids = [int(k) for k in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
            for k in kids:
                found += [k, *cls._children(k)]
        return found

    def since_start(self) -> dict[str, float]:
        now = self._sample()
        return {k: v - self._start.get(k, 0.0) for k, v in now.items()
                if v - self._start.get(k, 0.0) > 0}
