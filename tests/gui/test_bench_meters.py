"""The storm bench's own instruments, and the bench run end to end (briefly): a figure that
explains a slower machine must itself be right."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from bench.lag import CpuByThread, PaintMeter, ThreadCpu
from bench.slow import current_quota

REPO = Path(__file__).resolve().parents[2]


def spin(seconds: float) -> None:
    """Compute (not sleep) for `seconds` of this thread's CPU time."""
    import time

    end = time.thread_time() + seconds
    while time.thread_time() < end:
        pass


def test_thread_cpu_counts_this_threads_computing_only() -> None:
    cpu = ThreadCpu()
    before = cpu.seconds()
    other = threading.Thread(target=spin, args=(0.3,))
    other.start()
    other.join()  # another thread's computing is not ours
    mine = cpu.seconds() - before
    spin(0.2)
    assert mine < 0.1
    assert 0.15 <= cpu.seconds() - before - mine < 0.5
    assert cpu.waited() >= 0.0


def test_cpu_by_thread_names_the_python_threads() -> None:
    split = CpuByThread()
    worker = threading.Thread(target=spin, args=(0.2,), name="bench-spinner")
    worker.start()
    worker.join()
    # the thread is gone: its CPU is not lost from the process, but it is not named either
    spin(0.1)
    assert split.since_start().get("GUI (main)", 0.0) >= 0.05


def test_the_paint_meter_times_the_watched_widgets_per_window_pass(qtbot: QtBot) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    watched, other = QWidget(window), QLabel("elsewhere", window)
    inner = QLabel("inside", watched)
    QVBoxLayout(watched).addWidget(inner)
    layout.addWidget(watched)
    layout.addWidget(other)
    qtbot.addWidget(window)
    window.resize(300, 200)
    window.show()
    qtbot.waitExposed(window)
    meter = PaintMeter(window, watched)
    QApplication.processEvents()
    window.repaint()  # whatever the first exposure still had to paint, painted
    meter.reset()
    other.setText("only the other label changes")
    qtbot.waitUntil(lambda: meter.figures.window_frames >= 1, timeout=3000)
    assert meter.figures.frames == 0  # a pass that did not paint the watched tree
    assert meter.figures.window_s > 0
    inner.setText("the watched label changes")
    qtbot.waitUntil(lambda: meter.figures.frames >= 1, timeout=3000)
    figures = meter.reset()
    assert figures.paint_s > 0
    assert figures.window_s >= figures.paint_s
    assert inner.text() == "the watched label changes"  # painted through the meter


def test_current_quota_says_what_it_found() -> None:
    assert re.match(r"(none|\d+% of one CPU|unknown)", current_quota())


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_storm_bench_runs_the_whole_window_and_loses_nothing() -> None:
    """A short run: the table has the lag, the time to screen, the GUI thread's busy share,
    the desk's frames and paint time, and the journal and the desk agree."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-m", "bench.alarm_ingest", "--seconds", "2",
                          "--rates", "0,100"], cwd=REPO, env=env, capture_output=True,
                         text=True, timeout=280)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    text = out.stdout
    assert "map ready" in text
    for column in ("lag p50", "screen p50", "GUI busy", "CPU wait", "frames/s", "ms/frame"):
        assert column in text
    assert re.search(r"^\s+100\s+\d+\s+200\s+200\s+0\s", text, re.M), text
    assert "the same ids" in text
    assert "none lost" in text
