"""What the replay timeline costs the GUI thread (`widgets.replay.timeline`).

Two figures per number of marks, medians over the frames, with the reference beside them:
- a frame of the playing clock (`set_position`, then the paint it asks for: the two
  cursor strips over the cached still picture);
- a rebuild of the still picture (what a zoom or a new page costs), next to the
  reference of painting the same widget with no marks and no lanes;
- a week of 10-s segments per camera: preparing the lanes (once) and a rebuild.

    .venv/bin/python -m bench.timeline_paint [--marks 1000 10000 100000] [--frames 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import UTC, datetime, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from app.core.recording import Gap, GapReason
from app.ui.timeline_model import Mark, MarkKind, Span, Track
from widgets.replay.timeline import TimelineView

T0 = datetime(2026, 12, 1, 12, tzinfo=UTC)
HOUR = timedelta(hours=1)


def tracks(cameras: int) -> list[Track]:
    """An hour of 10-s segments per camera, a gap in one of them."""
    out = []
    for c in range(cameras):
        spans = tuple(Span(T0 + timedelta(seconds=s), T0 + timedelta(seconds=s + 10))
                      for s in range(0, 3600, 10))
        gaps = (Gap(f"c{c}", T0 + 20 * timedelta(minutes=1), T0 + 21 * timedelta(minutes=1),
                    GapReason.WATCHDOG),) if c == 0 else ()
        out.append(Track(f"c{c}", f"Camera {c + 1}", spans, gaps))
    return out


def week(app: QApplication, cameras: int) -> tuple[float, float]:
    """A week of 10-s segments per camera (60,480 each), fitted: what preparing the lanes
    costs once (`set_tracks`), and a rebuild of the still picture after that."""
    days = timedelta(days=7)
    tracks = [Track(f"c{c}", f"Camera {c + 1}",
                    tuple(Span(T0 + timedelta(seconds=s), T0 + timedelta(seconds=s + 10))
                          for s in range(0, round(days.total_seconds()), 10)))
              for c in range(cameras)]
    view = TimelineView()
    view.resize(1600, 40 + 18 * cameras + 8)
    view.set_range(T0, T0 + days)
    began = time.perf_counter()
    view.set_tracks(tracks)
    prepare = (time.perf_counter() - began) * 1000
    view.show()
    app.processEvents()
    rebuild = []
    for z in range(10):
        view.zoom(0.9 if z % 2 else 1 / 0.9, 800)
        began = time.perf_counter()
        view.repaint()
        rebuild.append((time.perf_counter() - began) * 1000)
    view.close()
    view.deleteLater()
    return prepare, median_ms(rebuild)


def marks(n: int) -> list[Mark]:
    step = HOUR / max(1, n)
    return [Mark(T0 + step * i, MarkKind.ALARM if i % 3 else MarkKind.ACTION, f"m{i}",
                 1 + i % 4) for i in range(n)]


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) if samples else float("nan")


def measure(app: QApplication, n: int, frames: int, cameras: int) -> tuple[float, float]:
    view = TimelineView()
    view.resize(1600, 40 + 18 * cameras + 8)
    view.set_range(T0, T0 + HOUR)
    view.set_tracks(tracks(cameras) if n else [])
    view.set_marks(marks(n))
    view.show()
    app.processEvents()
    view.paint_ms.clear()
    for f in range(frames):  # 40 ms of clock a frame, spread over the hour
        view.set_position(T0 + HOUR * (f / frames))
        view.repaint()
    frame = median_ms(list(view.paint_ms))
    rebuild = []
    for z in range(20):
        view.zoom(0.9 if z % 2 else 1 / 0.9, 800)
        began = time.perf_counter()
        view.repaint()
        rebuild.append((time.perf_counter() - began) * 1000)
    view.close()
    view.deleteLater()
    return frame, median_ms(rebuild)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marks", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--cameras", type=int, default=9)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    ref_frame, ref_rebuild = measure(app, 0, args.frames, args.cameras)
    print(f"reference (no marks, no lanes): frame {ref_frame:.2f} ms, "
          f"rebuild {ref_rebuild:.2f} ms")
    for n in args.marks:
        frame, rebuild = measure(app, n, args.frames, args.cameras)
        print(f"{n:>7} marks, {args.cameras} lanes: frame {frame:.2f} ms, "
              f"rebuild {rebuild:.2f} ms")
    prepare, rebuild = week(app, args.cameras)
    print(f"a week of 10-s segments, {args.cameras} lanes: set_tracks {prepare:.0f} ms "
          f"(once), rebuild {rebuild:.2f} ms")


if __name__ == "__main__":
    main()
