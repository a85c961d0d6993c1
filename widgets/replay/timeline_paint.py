"""Paints the still part of the timeline (ruler, lanes, marks, the incident's range) into a
pixmap, once per change of view, size or data. The widget then paints that pixmap and the
cursor only, so a clock moving the cursor 30 times a second costs two thin strips.

Where things are (rows, from the top): the ruler, the marks row, one lane per camera.
Lots of marks or segments cost what the pixels cost: only what the view shows is drawn,
found by bisection, and things on the same pixel are drawn once.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QPixmap, QPolygonF

from app.core.recording import GapReason
from app.ui.style import PRIORITY_COLOURS
from app.ui.timeline_model import Mark, MarkKind, Track
from widgets.replay.timeline_scale import View, tick_label, tick_step, ticks

RULER_H = 24
MARKS_H = 18
LANE_H = 18

BACKGROUND = QColor("#1b1f24")
RULER_BG = QColor("#252a31")
TICK = QColor("#8a929c")
TEXT = QColor("#e6e9ee")
NO_DATA = QColor("#2b3038")  # neither recorded nor a known gap: nothing indexed
RECORDED = QColor("#2e7d4f")
OUTSIDE = QColor(0, 0, 0, 110)  # dims what lies outside the incident
ACTION = QColor("#90caf9")
BOOKMARK = QColor("#4dd0e1")
GAP_COLOURS = {
    GapReason.CAMERA_UNREACHABLE: QColor("#c62828"),
    GapReason.RECORDER_DOWN: QColor("#8e24aa"),
    GapReason.WATCHDOG: QColor("#ef6c00"),
    GapReason.DISK_FULL: QColor("#f9a825"),
    GapReason.STOPPED: QColor("#607d8b"),
    GapReason.PURGED: QColor("#5d4037"),
}


def mark_colour(mark: Mark) -> QColor:
    match mark.kind:
        case MarkKind.ALARM:
            return QColor(PRIORITY_COLOURS.get(mark.priority, PRIORITY_COLOURS[4]))
        case MarkKind.BOOKMARK:
            return BOOKMARK
    return ACTION


def lane_top(index: int) -> int:
    return RULER_H + MARKS_H + index * LANE_H


@dataclass(frozen=True, slots=True)
class Scene:
    """Everything the still picture depends on (the widget rebuilds it when this changes)."""

    view: View
    height: int
    range_start: datetime | None
    range_end: datetime | None
    lanes: tuple[Lane, ...]
    marks: tuple[MarkGroup, ...]  # see group_marks


def paint_scene(scene: Scene, ratio: float) -> QPixmap:
    view = scene.view
    pixmap = QPixmap(max(1, round(view.width * ratio)), max(1, round(scene.height * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(BACKGROUND)
    p = QPainter(pixmap)
    try:
        _ruler(p, view)
        for i, lane in enumerate(scene.lanes):
            _lane(p, view, lane, lane_top(i))
        _marks(p, scene, ratio)
        _outside_range(p, scene)
    finally:
        p.end()
    return pixmap


def _ruler(p: QPainter, view: View) -> None:
    p.fillRect(QRectF(0, 0, view.width, RULER_H), RULER_BG)
    font = QFont(p.font())
    font.setPixelSize(11)
    p.setFont(font)
    step = tick_step(view, min_px=90)
    minor = tick_step(view, min_px=12)
    p.setPen(QPen(TICK, 1))
    for t in ticks(view, minor):
        x = round(view.x_of(t)) + 0.5
        p.drawLine(QPointF(x, RULER_H - 4), QPointF(x, RULER_H))
    metrics = p.fontMetrics()
    for n, t in enumerate(ticks(view, step)):
        x = round(view.x_of(t)) + 0.5
        p.setPen(QPen(TICK, 1))
        p.drawLine(QPointF(x, RULER_H - 10), QPointF(x, RULER_H))
        label = tick_label(t, step)
        if n == 0 and step < timedelta(days=1) and "/" not in label:
            label = f"{t.astimezone():%d/%m} {label}"  # the day, once, on the left
        width = metrics.horizontalAdvance(label)
        if x + 3 + width > view.width:
            continue  # cut by the edge: the next page shows it whole
        p.setPen(TEXT)
        p.drawText(QRectF(x + 3, 1, width + 2, RULER_H - 8),
                   int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), label)


JOIN_S = 0.1  # recorded spans closer than this are one run (segments end to end)


@dataclass(frozen=True, slots=True)
class Runs:
    """Disjoint time intervals as sorted POSIX seconds (an open end is +inf)."""

    starts: tuple[float, ...]
    ends: tuple[float, ...]


def runs_of(intervals: Iterable[tuple[float, float]]) -> Runs:
    starts: list[float] = []
    ends: list[float] = []
    for start, end in sorted(intervals):
        if ends and start <= ends[-1] + JOIN_S:
            ends[-1] = max(ends[-1], end)
        else:
            starts.append(start)
            ends.append(end)
    return Runs(tuple(starts), tuple(ends))


@dataclass(frozen=True, slots=True)
class Lane:
    """A track made ready to paint: a week of 10-s segments is a handful of runs."""

    name: str
    recorded: Runs
    gaps: tuple[tuple[QColor, Runs], ...]


def prepare_lane(track: Track) -> Lane:
    gaps = []
    for reason, colour in GAP_COLOURS.items():
        runs = runs_of((g.start.timestamp(), g.end.timestamp() if g.end else math.inf)
                       for g in track.gaps if g.reason == reason)
        if runs.starts:
            gaps.append((colour, runs))
    recorded = runs_of((s.start.timestamp(), s.end.timestamp()) for s in track.spans)
    return Lane(track.name, recorded, tuple(gaps))


def _lane(p: QPainter, view: View, lane: Lane, top: int) -> None:
    body = QRectF(0, top + 1, view.width, LANE_H - 2)
    p.fillRect(body, NO_DATA)
    _runs(p, view, lane.recorded, RECORDED, body)
    for colour, runs in lane.gaps:
        _runs(p, view, runs, colour, body)
    p.setPen(TEXT)
    font = QFont(p.font())
    font.setPixelSize(11)
    p.setFont(font)
    p.drawText(body.adjusted(4, 0, 0, 0),
               int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), lane.name)


def _runs(p: QPainter, view: View, runs: Runs, colour: QColor, body: QRectF) -> None:
    """Fills the runs in the view, those within a pixel of each other as one rectangle;
    runs wholly inside a pixel already filled are jumped over by bisection."""
    start = view.start.timestamp()
    per_px = view.span.total_seconds() / max(1, view.width)
    i = bisect_right(runs.ends, start)
    run: list[float] | None = None
    while i < len(runs.starts) and runs.starts[i] <= start + per_px * view.width:
        x0 = max(0.0, (runs.starts[i] - start) / per_px)
        x1 = min(float(view.width), (runs.ends[i] - start) / per_px)
        if run is not None and x0 <= run[1] + 1:
            run[1] = max(run[1], x1)
        else:
            if run is not None:
                _fill(p, run, colour, body)
            run = [x0, x1]
        i = max(i + 1, bisect_left(runs.ends, start + (math.floor(run[1]) + 1) * per_px))
    if run is not None:
        _fill(p, run, colour, body)


def _fill(p: QPainter, run: list[float], colour: QColor, body: QRectF) -> None:
    p.fillRect(QRectF(run[0], body.top(), max(1.0, run[1] - run[0]), body.height()), colour)


@dataclass(frozen=True, slots=True)
class MarkGroup:
    """Marks drawn alike (a kind, and for alarms a priority): their instants as sorted
    POSIX seconds, so painting does float arithmetic, not datetime arithmetic."""

    kind: MarkKind
    colour: QColor
    seconds: tuple[float, ...]


def group_marks(marks: Sequence[Mark]) -> tuple[MarkGroup, ...]:
    """In drawing order: actions, bookmarks, then alarms from the least to the most urgent,
    so the most urgent alarm is the one seen where marks share a pixel."""
    by: dict[tuple[int, int], list[Mark]] = {}
    for mark in marks:
        order = {MarkKind.ACTION: 0, MarkKind.BOOKMARK: 1}.get(mark.kind, 10 - mark.priority)
        by.setdefault((order, mark.priority), []).append(mark)
    return tuple(MarkGroup(group[0].kind, mark_colour(group[0]),
                           tuple(sorted(m.at.timestamp() for m in group)))
                 for _, group in sorted(by.items()))


def _pixels(view: View, seconds: tuple[float, ...]) -> list[int]:
    """The pixel columns that hold at least one of `seconds`: a jump per column
    (bisection), so 100,000 marks cost what the widget's width costs."""
    start = view.start.timestamp()
    per_px = view.span.total_seconds() / max(1, view.width)
    end = start + per_px * view.width
    out = []
    i = bisect_left(seconds, start)
    while i < len(seconds) and seconds[i] <= end:
        x = round((seconds[i] - start) / per_px)
        out.append(x)
        i = bisect_left(seconds, start + (x + 0.5) * per_px, lo=i + 1)
    return out


STAMP_W = 13  # a mark's shape, centred on its pixel column


def _stamp(kind: MarkKind, colour: QColor, ratio: float) -> QPixmap:
    """A mark's shape painted once, then stamped (constructing polygons per mark in Python
    was most of a rebuild's cost)."""
    pixmap = QPixmap(round(STAMP_W * ratio), round(MARKS_H * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(colour))
    c, top, mid = STAMP_W // 2 + 0.5, 2.0, MARKS_H / 2
    if kind is MarkKind.ALARM:  # a triangle pointing down
        p.drawPolygon(QPolygonF([QPointF(c - 5.5, top), QPointF(c + 5.5, top),
                                 QPointF(c, MARKS_H - 2)]))
    elif kind is MarkKind.BOOKMARK:  # a flag
        p.drawRect(QRectF(c - 0.5, top, 1.5, MARKS_H - 4))
        p.drawPolygon(QPolygonF([QPointF(c + 0.5, top), QPointF(c + 7.5, top + 3.5),
                                 QPointF(c + 0.5, top + 7)]))
    else:  # a diamond
        p.drawPolygon(QPolygonF([QPointF(c, mid - 5), QPointF(c + 5, mid),
                                 QPointF(c, mid + 5), QPointF(c - 5, mid)]))
    p.end()
    return pixmap


def _marks(p: QPainter, scene: Scene, ratio: float) -> None:
    """A shape per mark in the marks row and a thin line down the lanes. The lines are one
    strip of pixels stretched down in one call; where marks share a column the last group
    drawn (the most urgent) wins. Shapes closer than 2 px are stamped once: they overlap."""
    view = scene.view
    strip = QImage(max(1, view.width), 1, QImage.Format.Format_ARGB32_Premultiplied)
    strip.fill(Qt.GlobalColor.transparent)
    for group in scene.marks:
        line = QColor(group.colour)
        line.setAlpha(90)
        stamp = _stamp(group.kind, group.colour, ratio)
        last = -10
        for x in _pixels(view, group.seconds):
            if 0 <= x < view.width:
                strip.setPixelColor(x, 0, line)
            if x - last >= 2:
                p.drawPixmap(x - STAMP_W // 2, RULER_H, stamp)
                last = x
    below = RULER_H + MARKS_H
    p.drawImage(QRectF(0, below, view.width, scene.height - below), strip)


def _outside_range(p: QPainter, scene: Scene) -> None:
    view = scene.view
    if scene.range_start is None or scene.range_end is None:
        return
    left = view.x_of(scene.range_start)
    right = view.x_of(scene.range_end)
    if left > 0:
        p.fillRect(QRectF(0, 0, min(left, view.width), scene.height), OUTSIDE)
    if right < view.width:
        x = max(0.0, right)
        p.fillRect(QRectF(x, 0, view.width - x, scene.height), OUTSIDE)
