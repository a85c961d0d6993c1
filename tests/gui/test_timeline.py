"""The replay timeline, driven like a shift chief drives it: the wheel zooms around the
pointer, + and - zoom, dragging on the ruler asks the clock to seek (never outside the
incident), a click on a mark asks for it, gaps say why in their tooltip, marks stand
where their time is on the painted widget, and the clock's cursor costs no repaint of the
still picture. Keys the replay window owns (space, arrows, J/K/L) pass through."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QShortcut,
    QWheelEvent,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from app.core.recording import Gap, GapReason
from app.ui.style import PRIORITY_COLOURS
from app.ui.timeline_model import Mark, MarkKind, Span, Track
from tests.gui.screen import grab_screen
from widgets.replay.timeline import TimelineView
from widgets.replay.timeline_paint import (
    BOOKMARK,
    GAP_COLOURS,
    LANE_H,
    MARKS_H,
    RECORDED,
    RULER_H,
)
from widgets.replay.timeline_scale import MAX_SPAN, MIN_SPAN

T0 = datetime(2026, 11, 30, 21, 40, tzinfo=UTC)
END = T0 + timedelta(minutes=10)
LANE_Y = RULER_H + MARKS_H + LANE_H // 2  # the middle of the first lane


class KeyCatcher(QWidget):
    """The replay window's stand-in: records the keys that reach it."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        self.keys.append(event.key())


@pytest.fixture
def host(qtbot: QtBot) -> Iterator[tuple[KeyCatcher, TimelineView]]:
    window = KeyCatcher()
    timeline = TimelineView(window)
    QVBoxLayout(window).addWidget(timeline)
    qtbot.addWidget(window)
    window.resize(1000, 150)
    timeline.set_range(T0, END)
    timeline.set_tracks([
        Track("c1", "Place Masséna", (Span(T0, T0 + timedelta(minutes=3)),
                                       Span(T0 + timedelta(minutes=4), END)),
              (Gap("c1", T0 + timedelta(minutes=3), T0 + timedelta(minutes=4),
                   GapReason.CAMERA_UNREACHABLE),)),
        Track("c2", "Port Lympia", (Span(T0, END),)),
    ])
    window.show()
    qtbot.waitExposed(window)
    return window, timeline


@pytest.fixture
def timeline(host: tuple[KeyCatcher, TimelineView]) -> TimelineView:
    return host[1]


def wheel(widget: QWidget, x: float, notches: float, *, shift: bool = False) -> None:
    pos = QPointF(x, LANE_Y)
    mods = Qt.KeyboardModifier.ShiftModifier if shift else Qt.KeyboardModifier.NoModifier
    event = QWheelEvent(pos, QPointF(widget.mapToGlobal(pos.toPoint())), QPoint(0, 0),
                        QPoint(0, round(notches * 120)), Qt.MouseButton.NoButton, mods,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def mouse(widget: QWidget, kind: QEvent.Type, x: float, y: float = RULER_H / 2) -> None:
    pos = QPointF(x, y)
    held = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease \
        else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, pos, QPointF(widget.mapToGlobal(pos.toPoint())),
                        Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove
                        else Qt.MouseButton.NoButton, held, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def close_to(a: datetime, b: datetime, seconds: float) -> bool:
    return abs((a - b).total_seconds()) <= seconds


def test_the_incident_fills_the_width(timeline: TimelineView) -> None:
    assert 0 < timeline.x_of(T0) < 40
    assert timeline.width() - 40 < timeline.x_of(END) < timeline.width()


def test_the_wheel_zooms_around_the_pointer(timeline: TimelineView) -> None:
    x = 700.0
    under = timeline.t_of(x)
    span = timeline.view.span
    for _ in range(12):
        wheel(timeline, x, 1)
        assert close_to(timeline.t_of(x), under, 0.01)
    assert timeline.view.span < span / 10
    for _ in range(80):  # well past the widest view
        wheel(timeline, x, -1)
        assert close_to(timeline.t_of(x), under, 1)
    assert timeline.view.span == MAX_SPAN
    for _ in range(80):
        wheel(timeline, 90, 2)
    assert timeline.view.span == MIN_SPAN


def test_shift_wheel_pans(timeline: TimelineView) -> None:
    start, span = timeline.view.start, timeline.view.span
    wheel(timeline, 500, -1, shift=True)
    assert timeline.view.start > start
    assert timeline.view.span == span


def test_plus_and_minus_zoom_and_the_window_keeps_its_keys(
        qtbot: QtBot, host: tuple[KeyCatcher, TimelineView]) -> None:
    window, timeline = host
    window.activateWindow()
    timeline.setFocus()
    qtbot.waitUntil(timeline.hasFocus, timeout=5000)
    span = timeline.view.span
    QTest.keyClick(timeline, Qt.Key.Key_Plus)
    assert timeline.view.span == span / 2
    QTest.keyClick(timeline, Qt.Key.Key_Minus)
    QTest.keyClick(timeline, Qt.Key.Key_Minus)
    assert timeline.view.span == span * 2
    timeline.fit_action.trigger()
    assert timeline.view.span == span
    owned = [Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_J,
             Qt.Key.Key_K, Qt.Key.Key_L]
    for key in owned:
        QTest.keyClick(timeline, key)
    assert window.keys == owned
    assert timeline.view.span == span


def test_drag_seeks_within_the_incident_and_once_more_on_release(
        qtbot: QtBot, timeline: TimelineView) -> None:
    seeks: list[datetime] = []
    timeline.seek_requested.connect(seeks.append)
    width = timeline.width()
    mouse(timeline, QEvent.Type.MouseButtonPress, width / 2)
    assert len(seeks) == 1
    assert close_to(seeks[0], timeline.t_of(width / 2), 1)
    moves = [*range(round(width / 2), -200, -7), *range(-200, width + 200, 9)]
    for x in moves:
        mouse(timeline, QEvent.Type.MouseMove, x)
    qtbot.waitUntil(lambda: len(seeks) > 1, timeout=5000)  # the last pending one is sent
    assert len(seeks) < len(moves) / 2, "seeks while dragging are rate-limited"
    assert all(T0 <= t <= END for t in seeks), "never outside the incident"
    mouse(timeline, QEvent.Type.MouseButtonRelease, width + 200)
    assert seeks[-1] == END
    count = len(seeks)
    mouse(timeline, QEvent.Type.MouseButtonPress, 3)
    mouse(timeline, QEvent.Type.MouseButtonRelease, 3)
    assert seeks[count:] == [T0, T0], "a click seeks (press), and once on release"
    assert timeline.position == T0


def test_the_drag_keeps_seeking_while_the_hand_moves(
        qtbot: QtBot, timeline: TimelineView) -> None:
    seeks: list[datetime] = []
    timeline.seek_requested.connect(seeks.append)
    mouse(timeline, QEvent.Type.MouseButtonPress, 100)
    for x in range(100, 900, 40):
        before = len(seeks)
        mouse(timeline, QEvent.Type.MouseMove, x)
        qtbot.waitUntil(lambda b=before: len(seeks) > b, timeout=5000)
        assert close_to(seeks[-1], timeline.t_of(x), 1)
    mouse(timeline, QEvent.Type.MouseButtonRelease, 900)


def test_marks_are_drawn_where_their_time_is(timeline: TimelineView) -> None:
    alarm = Mark(T0 + timedelta(minutes=2), MarkKind.ALARM, "Arme sortie", priority=1)
    bookmark = Mark(T0 + timedelta(minutes=7, seconds=30), MarkKind.BOOKMARK, "voiture")
    timeline.set_marks([bookmark, alarm])
    image = timeline.grab().toImage()
    row = RULER_H + 5  # high in the marks row: the alarm's triangle, the bookmark's flag
    red = QColor(PRIORITY_COLOURS[1])
    xa = round(timeline.x_of(alarm.at))
    assert image.pixelColor(xa, row) == red
    assert all(image.pixelColor(x, row) != red for x in range(image.width())
               if abs(x - xa) > 8)
    xb = round(timeline.x_of(bookmark.at))
    assert image.pixelColor(xb + 3, row) == BOOKMARK
    timeline.zoom(0.1, xb)  # zoomed in around the bookmark, it stays under its time
    image = timeline.grab().toImage()
    assert image.pixelColor(xb + 3, row) == BOOKMARK
    assert all(image.pixelColor(x, row) != red for x in range(image.width()))


def test_a_click_on_a_mark_seeks_to_it_and_asks_for_it(timeline: TimelineView) -> None:
    alarm = Mark(T0 + timedelta(minutes=5), MarkKind.ALARM, "Intrusion", 2, key="alarm:7")
    near = Mark(T0 + timedelta(minutes=5, seconds=40), MarkKind.ACTION, "acquittée")
    timeline.set_marks([alarm, near])
    seeks: list[datetime] = []
    asked: list[Mark] = []
    timeline.seek_requested.connect(seeks.append)
    timeline.mark_activated.connect(asked.append)
    x = timeline.x_of(alarm.at) + 2
    mouse(timeline, QEvent.Type.MouseButtonPress, x, RULER_H + MARKS_H / 2)
    mouse(timeline, QEvent.Type.MouseButtonRelease, x, RULER_H + MARKS_H / 2)
    assert asked == [alarm]
    assert seeks == [alarm.at]


def tooltip_at(qtbot: QtBot, widget: QWidget, x: float, y: float) -> str:
    pos = QPoint(round(x), round(y))
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, pos,
                                              widget.mapToGlobal(pos)))
    qtbot.waitUntil(QToolTip.isVisible, timeout=5000)
    return QToolTip.text()


def test_a_gap_says_why_in_plain_words(qtbot: QtBot, timeline: TimelineView) -> None:
    x = timeline.x_of(T0 + timedelta(minutes=3, seconds=30))
    tip = tooltip_at(qtbot, timeline, x, LANE_Y)
    assert tip.startswith("Place Masséna: no recording from ")
    assert tip.endswith("the camera could not be reached")
    tip = tooltip_at(qtbot, timeline, x, LANE_Y + LANE_H)
    assert tip == "Port Lympia"


def test_a_bookmark_shows_its_note(qtbot: QtBot, timeline: TimelineView) -> None:
    at = T0 + timedelta(minutes=6)
    timeline.set_marks([Mark(at, MarkKind.BOOKMARK, "le scooter repart vers le port")])
    tip = tooltip_at(qtbot, timeline, timeline.x_of(at) + 1, RULER_H + MARKS_H / 2)
    assert tip.startswith("Bookmark at ")
    assert tip.endswith(": le scooter repart vers le port")


def test_the_view_pages_with_the_clock_and_does_not_crawl(
        qtbot: QtBot, timeline: TimelineView) -> None:
    timeline.set_range(T0, T0 + timedelta(hours=2))
    timeline.zoom(1 / 12, 0)  # about ten minutes across
    starts = []
    for s in range(0, 3600, 2):  # an hour of playing, a position every two seconds
        timeline.set_position(T0 + timedelta(seconds=s))
        assert timeline.view.contains(timeline.position)  # type: ignore[arg-type]
        starts.append(timeline.view.start)
    assert 4 <= len(set(starts)) <= 8, "a page at a time, not a crawl"
    timeline.set_position(T0 + timedelta(seconds=2000))  # a seek back into view
    assert timeline.view.contains(T0 + timedelta(seconds=2000))
    timeline.zoom(1, 0)


def test_the_clock_repaints_the_cursor_only(qtbot: QtBot, timeline: TimelineView) -> None:
    """10,000 marks: a moving cursor never paints the still picture again (and the paint
    times are there for the bench to read)."""
    timeline.set_marks([Mark(T0 + timedelta(milliseconds=60 * i), MarkKind.ALARM, f"a{i}",
                             1 + i % 4) for i in range(10_000)])
    timeline.repaint()
    rebuilds = timeline.rebuilds
    painted = len(timeline.paint_ms)
    for s in range(0, 540, 3):
        timeline.set_position(T0 + timedelta(seconds=s))
        QApplication.processEvents()
    qtbot.waitUntil(lambda: not timeline._repaint.isActive(), timeout=5000)
    QApplication.processEvents()
    assert timeline.rebuilds == rebuilds
    assert len(timeline.paint_ms) > painted
    image = timeline.grab().toImage()
    x = round(timeline.x_of(T0 + timedelta(seconds=537)))
    assert image.pixelColor(x, LANE_Y) == QColor("#ffffff")


def test_lanes_show_recorded_time_and_gaps_where_they_are(timeline: TimelineView) -> None:
    image = timeline.grab().toImage()
    y = LANE_Y
    in_gap = round(timeline.x_of(T0 + timedelta(minutes=3, seconds=30)))
    recorded = round(timeline.x_of(T0 + timedelta(minutes=1)))
    assert image.pixelColor(in_gap, y) == GAP_COLOURS[GapReason.CAMERA_UNREACHABLE]
    assert image.pixelColor(recorded, y) == RECORDED
    assert image.pixelColor(in_gap, y + LANE_H) == RECORDED  # the other camera recorded


def test_a_short_gap_in_a_week_of_segments_still_shows(
        qtbot: QtBot, timeline: TimelineView) -> None:
    """A week of 10-s segments (60,480 per camera) and a 30-s outage: at the widest zoom
    the outage is far under a pixel, and still drawn, where it was."""
    week = timedelta(days=7)
    hole = T0 + timedelta(days=3, hours=5)
    spans = tuple(Span(T0 + timedelta(seconds=s), T0 + timedelta(seconds=s + 10))
                  for s in range(0, round(week.total_seconds()), 10)
                  if not hole <= T0 + timedelta(seconds=s) < hole + timedelta(seconds=30))
    timeline.set_range(T0, T0 + week)
    timeline.set_tracks([Track("c1", "Place Masséna", spans,
                               (Gap("c1", hole, hole + timedelta(seconds=30),
                                    GapReason.WATCHDOG),))])
    image = timeline.grab().toImage()
    x = round(timeline.x_of(hole))
    colour = GAP_COLOURS[GapReason.WATCHDOG]
    assert colour in [image.pixelColor(x + dx, LANE_Y) for dx in (-1, 0, 1)]
    assert all(image.pixelColor(c, LANE_Y) != colour for c in range(20, image.width() - 20)
               if abs(c - x) > 2)
    assert image.pixelColor(x - 100, LANE_Y) == RECORDED


def test_the_window_shortcuts_fire_while_the_timeline_has_the_focus(
        qtbot: QtBot, host: tuple[KeyCatcher, TimelineView]) -> None:
    """The replay window binds its transport as shortcuts; a focused timeline must not
    take them (a widget that accepts ShortcutOverride would)."""
    window, timeline = host
    fired: list[str] = []
    for key in ("Space", "Left", "Right", "J", "K", "L"):
        shortcut = QShortcut(QKeySequence(key), window)
        shortcut.activated.connect(lambda k=key: fired.append(k))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    timeline.setFocus()
    qtbot.waitUntil(timeline.hasFocus, timeout=5000)
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_J,
                Qt.Key.Key_K, Qt.Key.Key_L):
        QTest.keyClick(timeline, key)
    assert fired == ["Space", "Left", "Right", "J", "K", "L"]


def test_the_cursor_leaves_no_trace(qtbot: QtBot, timeline: TimelineView) -> None:
    """Positions faster than the repaint cap, with paints of other regions in between
    (an expose, a tooltip going away): one cursor on the picture, where the clock is."""

    def settle() -> None:
        qtbot.waitUntil(lambda: not timeline._repaint.isActive(), timeout=5000)
        QApplication.processEvents()

    for s in range(0, 480, 40):
        timeline.set_position(T0 + timedelta(seconds=s))  # drawn here...
        settle()
        for later in (s + 10, s + 20):  # ...then moved twice within the cap
            timeline.set_position(T0 + timedelta(seconds=later))
            timeline.repaint(QRect(0, 0, 40, timeline.height()))  # another region's paint
        settle()
    QApplication.sync()
    screen = grab_screen()  # what the X server shows, not a fresh render like grab()
    origin = timeline.mapToGlobal(QPoint(0, LANE_Y))
    row = screen[origin.y(), origin.x():origin.x() + timeline.width()]
    white = [x for x in range(len(row)) if tuple(row[x]) == (255, 255, 255)]
    x = round(timeline.x_of(T0 + timedelta(seconds=460)))
    assert white
    assert all(abs(w - x) <= 1 for w in white), (white, x)


def test_dragging_past_an_edge_carries_a_zoomed_in_view_along(
        qtbot: QtBot, timeline: TimelineView) -> None:
    seeks: list[datetime] = []
    timeline.seek_requested.connect(seeks.append)
    timeline.zoom(0.05, timeline.width() / 2)  # 30 s across, in the middle
    shown_end = timeline.view.end
    width = timeline.width()
    mouse(timeline, QEvent.Type.MouseButtonPress, width / 2)
    for _ in range(400):  # far past the right edge, then far past the left one
        mouse(timeline, QEvent.Type.MouseMove, width + 150)
    assert timeline.view.end == END  # carried to the incident's end, not beyond
    qtbot.waitUntil(lambda: seeks[-1] == END, timeout=5000)  # the pending seek, sent
    for _ in range(800):
        mouse(timeline, QEvent.Type.MouseMove, -150)
    assert timeline.view.start == T0
    mouse(timeline, QEvent.Type.MouseButtonRelease, -150)
    assert all(T0 <= t <= END for t in seeks)
    assert seeks[-1] == T0
    assert shown_end < END


def test_plus_and_minus_zoom_once_when_the_window_binds_them_too(
        qtbot: QtBot, host: tuple[KeyCatcher, TimelineView]) -> None:
    """The replay window binds + and - to the timeline's zoom for when something else has
    the focus; a focused timeline must not make them ambiguous (then neither fires)."""
    window, timeline = host
    for key, factor in (("+", 0.5), ("-", 2.0)):
        shortcut = QShortcut(QKeySequence(key), window)
        shortcut.activated.connect(lambda f=factor: timeline.zoom(f))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    timeline.setFocus()
    qtbot.waitUntil(timeline.hasFocus, timeout=5000)
    span = timeline.view.span
    QTest.keyClick(timeline, Qt.Key.Key_Plus)
    assert timeline.view.span == span / 2
    QTest.keyClick(timeline, Qt.Key.Key_Minus)
    QTest.keyClick(timeline, Qt.Key.Key_Minus)
    assert timeline.view.span == span * 2
