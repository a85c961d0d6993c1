"""The GUI event loop's lag as an operator feels it, shared by the benchmarks that run a
window: how late a 5 ms timer fires."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer


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
