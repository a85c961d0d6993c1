"""Paints the still part of the timeline (ruler, lanes, marks, the incident's range) into a
pixmap, once per change of view, size or data. The widget then paints that pixmap and the
cursor only, so a clock moving the cursor 30 times a second costs two thin strips.

Where things are (rows, from the top): the ruler, the marks row, one lane per camera.
Lots of marks or segments cost what the pixels cost: only what the view shows is drawn,
found by bisection, and things on the same pixel are drawn once.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen, QPixmap, QPolygonF

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
    tracks: tuple[Track, ...]
    marks: tuple[Mark, ...]  # sorted by time
    mark_times: tuple[datetime, ...]  # their times, for bisection


def paint_scene(scene: Scene, ratio: float) -> QPixmap:
    view = scene.view
    pixmap = QPixmap(max(1, round(view.width * ratio)), max(1, round(scene.height * ratio)))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(BACKGROUND)
    p = QPainter(pixmap)
    try:
        _ruler(p, view)
        for i, track in enumerate(scene.tracks):
            _lane(p, view, track, lane_top(i))
        _marks(p, scene)
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


def _lane(p: QPainter, view: View, track: Track, top: int) -> None:
    body = QRectF(0, top + 1, view.width, LANE_H - 2)
    p.fillRect(body, NO_DATA)
    _runs(p, view, [(s.start, s.end) for s in track.spans], RECORDED, body)
    for reason, colour in GAP_COLOURS.items():
        spans = [(g.start, g.end or view.end) for g in track.gaps if g.reason == reason]
        _runs(p, view, spans, colour, body)
    p.setPen(TEXT)
    font = QFont(p.font())
    font.setPixelSize(11)
    p.setFont(font)
    p.drawText(body.adjusted(4, 0, 0, 0),
               int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), track.name)


def _runs(p: QPainter, view: View, spans: list[tuple[datetime, datetime]], colour: QColor,
          body: QRectF) -> None:
    """Fills the spans in the view, those closer than a pixel joined into one rectangle."""
    run: list[float] | None = None
    for start, end in sorted(spans):
        if end < view.start or start > view.end:
            continue
        x0, x1 = max(0.0, view.x_of(start)), min(float(view.width), view.x_of(end))
        if run is not None and x0 <= run[1] + 1:
            run[1] = max(run[1], x1)
            continue
        if run is not None:
            p.fillRect(QRectF(run[0], body.top(), max(1.0, run[1] - run[0]), body.height()),
                       colour)
        run = [x0, x1]
    if run is not None:
        p.fillRect(QRectF(run[0], body.top(), max(1.0, run[1] - run[0]), body.height()),
                   colour)


def visible_marks(scene: Scene) -> range:
    view = scene.view
    return range(bisect_left(scene.mark_times, view.start),
                 bisect_right(scene.mark_times, view.end))


def _marks(p: QPainter, scene: Scene) -> None:
    """A coloured tick per mark in the marks row and a thin line down the lanes; one per
    pixel and kind (the most urgent alarm wins the pixel)."""
    view = scene.view
    drawn: dict[tuple[int, MarkKind], Mark] = {}
    for i in visible_marks(scene):
        mark = scene.marks[i]
        key = (round(view.x_of(mark.at)), mark.kind)
        kept = drawn.get(key)
        if kept is None or (mark.kind is MarkKind.ALARM and 0 < mark.priority < kept.priority):
            drawn[key] = mark
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    bottom = scene.height
    for (x, kind), mark in drawn.items():
        colour = mark_colour(mark)
        line = QColor(colour)
        line.setAlpha(90)
        p.setPen(QPen(line, 1))
        p.drawLine(QPointF(x + 0.5, RULER_H + MARKS_H), QPointF(x + 0.5, bottom))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(colour))
        top, mid = RULER_H + 2.0, RULER_H + MARKS_H / 2
        if kind is MarkKind.ALARM:  # a triangle pointing down
            p.drawPolygon(QPolygonF([QPointF(x - 5, top), QPointF(x + 6, top),
                                     QPointF(x + 0.5, RULER_H + MARKS_H - 2)]))
        elif kind is MarkKind.BOOKMARK:  # a flag
            p.drawRect(QRectF(x, top, 1.5, MARKS_H - 4))
            p.drawPolygon(QPolygonF([QPointF(x + 1, top), QPointF(x + 8, top + 3.5),
                                     QPointF(x + 1, top + 7)]))
        else:  # a diamond
            p.drawPolygon(QPolygonF([QPointF(x + 0.5, mid - 5), QPointF(x + 5.5, mid),
                                     QPointF(x + 0.5, mid + 5), QPointF(x - 4.5, mid)]))
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)


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
