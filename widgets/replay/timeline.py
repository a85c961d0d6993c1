"""The replay's one timeline: the incident's range, one lane per camera (recorded, gaps
with their reason), the marks (alarms, operator actions, bookmarks) and the clock's cursor.

It shows and asks, it does not decide: dragging on it asks the clock to seek
(`seek_requested`), clicking a mark asks for that mark (`mark_activated`), and the clock
answers through `set_position`. Space, arrows and J/K/L belong to the replay window (its
transport): the timeline ignores them so they reach the window even when it has the focus.

Cheap on purpose (a slow machine's GUI thread also plays the video wall): the still part is
a cached pixmap (widgets.replay.timeline_paint), a new position repaints the two thin strips
where the cursor was and is, at most `MAX_REPAINTS_PER_S` times a second, and paint times
are kept (`paint_ms`) so a bench can report them.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Sequence
from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QToolTip, QWidget

from app.ui.labels import key_name
from app.ui.timeline_model import Mark, Track
from widgets.replay.timeline_paint import (
    LANE_H,
    MARKS_H,
    RULER_H,
    Lane,
    MarkGroup,
    Scene,
    group_marks,
    paint_scene,
    prepare_lane,
)
from widgets.replay.timeline_scale import View, fit
from widgets.replay.timeline_words import gap_tip, mark_tip

MAX_REPAINTS_PER_S = 30
SEEK_EVERY_S = 0.05  # while dragging, at most this often
WHEEL_STEP = 0.8  # one notch of the wheel zooms in to 80 % of the span
KEY_STEP = 0.5  # + and - halve or double the span
MARK_HIT_PX = 5
CURSOR = QColor("#ffffff")


class TimelineView(QWidget):
    seek_requested = Signal(object)  # datetime, UTC, always within the incident's range
    mark_activated = Signal(object)  # the Mark clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayTimeline")
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setMouseTracking(False)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        now = datetime.now().astimezone()
        self._range: tuple[datetime, datetime] = (now - timedelta(minutes=5), now)
        self._view: View = fit(*self._range, max(1, self.width()))
        self._tracks: tuple[Track, ...] = ()
        self._lanes: tuple[Lane, ...] = ()
        self._marks: tuple[Mark, ...] = ()
        self._mark_times: tuple[datetime, ...] = ()
        self._mark_groups: tuple[MarkGroup, ...] = ()
        self._position: datetime | None = None
        self._shown_x: int | None = None  # where the cursor was last asked to be painted
        self._base: QPixmap | None = None
        self._dragging = False
        self._last_seek = 0.0
        self._pending_seek: datetime | None = None
        self.paint_ms: deque[float] = deque(maxlen=600)  # the last paints, for benches
        self.rebuilds = 0  # how often the still picture was painted again
        self._repaint = QTimer(self)
        self._repaint.setObjectName("timelineRepaintCap")
        self._repaint.setSingleShot(True)
        self._repaint.timeout.connect(self._show_position)
        self._last_repaint = 0.0
        self._seek_timer = QTimer(self)
        self._seek_timer.setObjectName("timelineSeekCap")
        self._seek_timer.setSingleShot(True)
        self._seek_timer.timeout.connect(self._send_pending_seek)
        self._actions()

    # -- what the caller gives ---------------------------------------------------------

    def set_range(self, start: datetime, end: datetime) -> None:
        """The incident (UTC); the view fits it."""
        self._range = (start, end)
        self.fit_incident()

    def set_tracks(self, tracks: Sequence[Track]) -> None:
        self._tracks = tuple(tracks)
        self._lanes = tuple(prepare_lane(t) for t in self._tracks)
        self.setMinimumHeight(self.sizeHint().height())
        self.updateGeometry()
        self._invalidate()

    def set_marks(self, marks: Sequence[Mark]) -> None:
        self._marks = tuple(sorted(marks, key=lambda m: m.at))
        self._mark_times = tuple(m.at for m in self._marks)
        self._mark_groups = group_marks(self._marks)
        self._invalidate()

    def set_position(self, t: datetime) -> None:
        """Where the clock is. Cheap: called up to 30 times a second while playing."""
        previous = self._position
        self._position = t
        if self._dragging:
            return  # the hand on the ruler wins until it lets go
        if previous is not None and self._view.contains(previous):
            paged = self._view.following(t)  # the cursor walked out of the view: page
            if paged is not self._view:
                self._set_view(paged)
                return
        self._cursor_moved()

    # -- zoom --------------------------------------------------------------------------

    @property
    def view(self) -> View:
        return self._view

    @property
    def position(self) -> datetime | None:
        return self._position

    def fit_incident(self) -> None:
        self._set_view(fit(*self._range, max(1, self.width())))

    def zoom(self, factor: float, x: float | None = None) -> None:
        """`factor` < 1 zooms in, around pixel `x` (by default the cursor, or the middle)."""
        if x is None:
            cx = self._cursor_x()
            x = cx if cx is not None else self.width() / 2
        self._set_view(self._view.zoomed(factor, x))

    def x_of(self, t: datetime) -> float:
        return self._view.x_of(t)

    def t_of(self, x: float) -> datetime:
        return self._view.t_of(x)

    # -- Qt ----------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(800, RULER_H + MARKS_H + LANE_H * max(1, len(self._tracks)) + 4)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, RULER_H + MARKS_H + LANE_H)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._view = self._view.resized(max(1, event.size().width()))
        self._invalidate()
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        began = time.perf_counter()
        if self._base is None:
            self._base = paint_scene(self._scene(), self.devicePixelRatioF())
            self.rebuilds += 1
        p = QPainter(self)
        try:
            p.drawPixmap(event.rect(), self._base, self._source_rect(event.rect()))
            x = self._cursor_x()
            if x is not None:
                p.setPen(QPen(CURSOR, 2))
                p.drawLine(x, 0, x, self.height())
                p.fillRect(QRect(x - 4, 0, 9, 4), CURSOR)
        finally:
            p.end()
        self.paint_ms.append((time.perf_counter() - began) * 1000)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        x = event.position().x()
        if delta.x() and not delta.y():  # a horizontal wheel or a touchpad's swipe: pan
            self._set_view(self._view.panned(-delta.x() / 120 * self.width() / 10))
        elif event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self._set_view(self._view.panned(-delta.y() / 120 * self.width() / 10))
        elif delta.y():
            self.zoom(WHEEL_STEP ** (delta.y() / 120), x)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(KEY_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / KEY_STEP)
        else:
            event.ignore()  # space, arrows, J/K/L...: the replay window's transport
            return
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        x = event.position().x()
        mark = self.mark_at(event.position().toPoint())
        if mark is not None:
            self._position = self._clamp(mark.at)
            self._cursor_moved()
            self.seek_requested.emit(self._position)
            self.mark_activated.emit(mark)
            return
        self._dragging = True
        self._drag_to(x, force=True)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._dragging:
            self._drag_to(event.position().x(), force=False)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if not self._dragging or event.button() != Qt.MouseButton.LeftButton:
            return
        self._dragging = False
        self._seek_timer.stop()
        self._pending_seek = None
        t = self._clamp(self._view.t_of(event.position().x()))
        self._position = t
        self._cursor_moved()
        self.seek_requested.emit(t)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    # -- what is where -----------------------------------------------------------------

    def mark_at(self, pos: QPoint) -> Mark | None:
        """The mark drawn nearest `pos` in the marks row, within a few pixels."""
        if not RULER_H <= pos.y() < RULER_H + MARKS_H or not self._marks:
            return None
        lo = bisect_left(self._mark_times, self._view.t_of(pos.x() - MARK_HIT_PX))
        hi = bisect_right(self._mark_times, self._view.t_of(pos.x() + MARK_HIT_PX))
        near = self._marks[lo:hi]
        if not near:
            return None
        return min(near, key=lambda m: (abs(self._view.x_of(m.at) - pos.x()),
                                        m.priority or 9))

    def tip_at(self, pos: QPoint) -> str:
        """What the tooltip at `pos` says: a mark's words, a gap's reason, a lane's name."""
        mark = self.mark_at(pos)
        if mark is not None:
            return mark_tip(mark)
        lane = (pos.y() - RULER_H - MARKS_H) // LANE_H
        if pos.y() < RULER_H + MARKS_H or not 0 <= lane < len(self._tracks):
            return ""
        track = self._tracks[lane]
        t = self._view.t_of(pos.x())
        slack = self._view.span * (1 / max(1, self.width()))  # a gap thinner than a pixel
        for gap in track.gaps:
            if gap.start - slack <= t <= (gap.end or self._view.end) + slack:
                return gap_tip(track.name, gap)
        return track.name

    # -- inside ------------------------------------------------------------------------

    def _actions(self) -> None:
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.fit_action = QAction(self.tr("Fit the incident"), self)
        self.fit_action.triggered.connect(self.fit_incident)
        # no shortcut on these: the replay window binds + and - for the whole window, and a
        # second binding while the timeline has the focus made both ambiguous (neither
        # fired); keyPressEvent serves a timeline used without such a window
        self.zoom_in_action = QAction(self.tr("Zoom in (%1)").replace("%1", key_name("+")),
                                      self)
        self.zoom_in_action.triggered.connect(lambda: self.zoom(KEY_STEP))
        self.zoom_out_action = QAction(self.tr("Zoom out (%1)").replace("%1", key_name("-")),
                                       self)
        self.zoom_out_action.triggered.connect(lambda: self.zoom(1 / KEY_STEP))
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            self.addAction(action)

    def _scene(self) -> Scene:
        return Scene(self._view, self.height(), self._range[0], self._range[1],
                     self._lanes, self._mark_groups)

    def _source_rect(self, target: QRect) -> QRect:
        r = self.devicePixelRatioF()
        return QRect(round(target.x() * r), round(target.y() * r),
                     round(target.width() * r), round(target.height() * r))

    def _set_view(self, view: View) -> None:
        if view != self._view:
            self._view = view
            self._invalidate()

    def _invalidate(self) -> None:
        self._base = None
        self._shown_x = self._cursor_x()
        self.update()

    def _cursor_x(self) -> int | None:
        if self._position is None or not self._view.contains(self._position):
            return None
        return round(self._view.x_of(self._position))

    def _cursor_moved(self) -> None:
        """Repaint the cursor's strips, at most MAX_REPAINTS_PER_S times a second."""
        if self._cursor_x() == self._shown_x or self._repaint.isActive():
            return
        wait = self._last_repaint + 1 / MAX_REPAINTS_PER_S - time.monotonic()
        if wait > 0:
            self._repaint.start(max(1, round(wait * 1000)))
        else:
            self._show_position()

    def _show_position(self) -> None:
        """Asks for the strips where the cursor was asked last and where it is now (not
        where a paint last drew it: a paint of another region may come in between)."""
        self._last_repaint = time.monotonic()
        x = self._cursor_x()
        for where in {self._shown_x, x}:
            if where is not None:
                self.update(QRect(where - 5, 0, 11, self.height()))
        self._shown_x = x

    def _clamp(self, t: datetime) -> datetime:
        return min(self._range[1], max(self._range[0], t))

    def _drag_to(self, x: float, *, force: bool) -> None:
        self._scroll_past_edge(x)
        t = self._clamp(self._view.t_of(min(max(0.0, x), float(self.width()))))
        self._position = t
        self._cursor_moved()
        if force or time.monotonic() - self._last_seek >= SEEK_EVERY_S:
            self._send(t)
        else:
            self._pending_seek = t
            if not self._seek_timer.isActive():
                wait = self._last_seek + SEEK_EVERY_S - time.monotonic()
                self._seek_timer.start(max(1, round(wait * 1000)))

    def _scroll_past_edge(self, x: float) -> None:
        """A hand dragged past an edge of a zoomed-in view carries the view along (by
        how far past it is), until the incident's end shows."""
        over = x - self.width() if x > self.width() else min(x, 0.0)
        start, end = self._range
        if over > 0 and self._view.end < end:
            self._set_view(self._view.panned(min(over, self._view.x_of(end) - self.width())))
        elif over < 0 and self._view.start > start:
            self._set_view(self._view.panned(max(over, self._view.x_of(start))))

    def _send_pending_seek(self) -> None:
        if self._pending_seek is not None and self._dragging:
            self._send(self._pending_seek)

    def _send(self, t: datetime) -> None:
        self._pending_seek = None
        self._last_seek = time.monotonic()
        self.seek_requested.emit(t)
