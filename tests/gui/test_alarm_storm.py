"""An alarm storm on the desk: the GUI thread's work is bounded per second, not per alarm,
and nothing is lost. Through the REAL hub, alarm service, journal and bridge, with the desk
shown; what is counted is what the GUI thread does (repaints, calls into Python), never
how long it took."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QPersistentModelIndex, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QHeaderView, QTableView
from pytestqt.qtbot import QtBot

from app.core.model import AlarmState, AlarmType
from app.ui.alarm_model import FLUSH_MS, AlarmTableModel, Column
from tests.gui.test_alarm_queue import Stack, make_desk, report, start_stack
from tests.unit.test_alarm_model import Clock, expected_order, make
from widgets.alarms import AlarmDesk
from widgets.alarms.alerting import STORM_GAP_S


@pytest.fixture
def stack(tmp_path: Any, qtbot: QtBot) -> Iterator[Stack]:
    s = start_stack(tmp_path / "journal.sqlite")
    yield s
    s.stop()


class PaintRecorder(QObject):
    """The areas a widget is asked to repaint (each rectangle of each dirty region)."""

    def __init__(self, widget: Any) -> None:
        super().__init__(widget)
        self.rects: list[QRect] = []
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.extend(event.region())  # type: ignore[attr-defined]
        return False


def settle(desk: AlarmDesk) -> None:
    """Everything already asked of the table done: posted layouts run, the table painted."""
    QApplication.sendPostedEvents()
    QApplication.processEvents()
    desk.queue.view.viewport().repaint()


def shown_ids(desk: AlarmDesk) -> list[str]:
    proxy = desk.queue.proxy
    return [a.id for r in range(proxy.rowCount()) if (a := proxy.alarm_at(r)) is not None]


def fill(qtbot: QtBot, stack: Stack, desk: AlarmDesk, n: int, priority: int = 3) -> None:
    for i in range(n):
        report(stack, f"F{i}", priority=priority, title=f"alarme {i}")
    qtbot.waitUntil(lambda: desk.model.rowCount() == n, timeout=15_000)


def test_a_storm_repaints_the_desk_a_bounded_number_of_times_and_loses_nothing(
        qtbot: QtBot, stack: Stack) -> None:
    """2,000 alarms a second for 2 s: the desk is updated and repainted at most once per
    tick of its clock (4 a second), not once per bridge batch or per alarm; at the end it
    shows exactly the alarms the journal holds, in the queue's order."""
    desk = make_desk(qtbot, stack)
    paints = PaintRecorder(desk.queue.view.viewport())
    batches: list[int] = []
    desk.model.upserted.connect(lambda alarms: batches.append(len(alarms)))
    rate, seconds = 2000, 2.0
    types = list(AlarmType)

    def feed() -> None:
        t0 = time.perf_counter()
        for i in range(int(rate * seconds)):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)  # the feeder's pace (another thread), not a wait in the test
            report(stack, f"S{i}", priority=1 + i % 4, type_=types[i % len(types)])

    feeder = threading.Thread(target=feed)
    settle(desk)
    paints.rects.clear()
    t0 = time.monotonic()
    feeder.start()
    qtbot.waitUntil(lambda: not feeder.is_alive(), timeout=60_000)
    qtbot.waitUntil(lambda: desk.model.rowCount() == rate * seconds, timeout=60_000)
    elapsed = time.monotonic() - t0
    ticks = elapsed * 1000 / FLUSH_MS
    assert len(batches) <= ticks + 2, f"{len(batches)} desk updates in {elapsed:.1f} s"
    assert len(paints.rects) <= ticks + 4, f"{len(paints.rects)} repaints in {elapsed:.1f} s"
    journaled = stack.journal.load_alarms()
    assert {a.id for a in journaled} == {a.id for a in desk.model.alarms()}
    assert shown_ids(desk) == expected_order(journaled, lambda a: a.is_open)


def test_time_driven_refreshes_repaint_only_what_changes_on_screen(
        qtbot: QtBot, stack: Stack) -> None:
    """Each second the waiting counters tick and the new P1/P2 rows blink, with nothing
    else changing: the desk repaints the counter column and the blinking rows it shows,
    not the whole table."""
    desk = make_desk(qtbot, stack)
    fill(qtbot, stack, desk, 200, priority=3)
    report(stack, "P1", priority=1, title="urgent")  # sorts first: on screen, and blinks
    qtbot.waitUntil(lambda: desk.model.rowCount() == 201, timeout=10_000)
    view = desk.queue.view
    paints = PaintRecorder(view.viewport())
    ticked: list[int] = []
    desk.model.ticked.connect(lambda first, _last, _roles: ticked.append(first))
    qtbot.waitUntil(lambda: Column.WAITING in ticked and 0 in ticked, timeout=5000)
    qtbot.waitUntil(lambda: bool(paints.rects), timeout=5000)
    paints.rects.clear()
    ticked.clear()
    qtbot.waitUntil(lambda: Column.WAITING in ticked, timeout=5000)
    qtbot.waitUntil(lambda: bool(paints.rects), timeout=5000)
    x = view.columnViewportPosition(Column.WAITING)
    counter_strip = QRect(x, 0, view.columnWidth(Column.WAITING), view.viewport().height())
    p1_row = desk.queue.proxy.row_of(next(a.id for a in desk.model.alarms() if a.priority == 1))
    assert p1_row == 0
    blink_row = QRect(0, view.rowViewportPosition(0), view.viewport().width(), view.rowHeight(0))
    for rect in paints.rects:
        assert counter_strip.contains(rect) or blink_row.contains(rect), (
            f"repainted {rect} beyond the counters {counter_strip} and the blinking row "
            f"{blink_row}")
    assert not any(r.width() == view.viewport().width() and r.height() > 2 * view.rowHeight(0)
                   for r in paints.rects)


def test_a_change_to_rows_scrolled_away_repaints_nothing(qtbot: QtBot, stack: Stack) -> None:
    """Alarms updated below the screen (acknowledged on another seat, escalated) cost the
    desk no paint; two cells on screen cost those two cells."""
    desk = make_desk(qtbot, stack)
    fill(qtbot, stack, desk, 200)
    view, proxy = desk.queue.view, desk.queue.proxy
    view.scrollToTop()
    paints = PaintRecorder(view.viewport())
    settle(desk)
    paints.rects.clear()
    proxy.dataChanged.emit(proxy.index(150, 0), proxy.index(160, len(Column) - 1))
    proxy.dataChanged.emit(proxy.index(0, Column.TITLE), proxy.index(1, Column.TITLE))
    qtbot.waitUntil(lambda: bool(paints.rects), timeout=2000)
    title = QRect(view.columnViewportPosition(Column.TITLE), 0, view.columnWidth(Column.TITLE),
                  2 * view.rowHeight(0)).adjusted(0, 0, 1, 1)  # Qt's cell rects overlap by 1
    assert all(title.contains(r) for r in paints.rects), paints.rects


def entries_into_python(action: Any) -> list[str]:
    """The Python functions Qt calls into (each one takes the GIL) while `action()` runs."""
    here = sys._getframe()
    entries: list[str] = []

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call" and frame.f_back is not None and frame.f_back.f_back is here:
            entries.append(frame.f_code.co_name)

    sys.setprofile(profile)
    try:
        action()
    finally:
        sys.setprofile(None)
    return entries


def test_a_frame_of_the_desk_is_one_call_into_python(qtbot: QtBot, stack: Stack) -> None:
    """While the journal and alarm threads run Python in a storm, each call from Qt into
    Python waits for the GIL: painting the table must not ask the model cell by cell and
    role by role (Qt's own table made ~7 calls per cell, hundreds per frame)."""
    desk = make_desk(qtbot, stack)
    fill(qtbot, stack, desk, 60, priority=2)
    settle(desk)
    viewport = desk.queue.view.viewport()
    entries = entries_into_python(lambda: viewport.repaint())
    assert len(entries) <= 2, f"{len(entries)} calls into Python: {sorted(set(entries))}"
    # and a frame in which no row changed copies the rows' pictures: none is drawn again
    drawn = desk.queue.view.row_pictures.drawn
    viewport.repaint()
    assert desk.queue.view.row_pictures.drawn == drawn


def test_the_table_paints_exactly_as_qt_would_from_the_model(qtbot: QtBot) -> None:
    """The one-call painting, from row pictures, draws the same pixels as QTableView asking
    the model's roles: alternate rows, the selected row, the focused cell, bold new alarms,
    chips, blinking; and again once the rows come from the pictures kept."""
    from app.ui.alarm_proxy import AlarmFilterProxy
    from widgets.alarms.table import AlarmTable, RoleDelegate

    model = AlarmTableModel(clock=Clock())  # a still clock: the counters do not tick between
    states = [AlarmState.NEW, AlarmState.ACKNOWLEDGED, AlarmState.ASSIGNED]
    model.upsert_many([make(i, priority=1 + i % 4, age_s=i * 13, state=states[i % 3],
                            escalated=i % 5 == 0) for i in range(1, 40)])
    proxy = AlarmFilterProxy(model)
    pictures = []
    for view in (AlarmTable(), QTableView()):
        if isinstance(view, AlarmTable):
            view.set_proxy(proxy)
        else:
            view.setModel(proxy)
            view.setItemDelegate(RoleDelegate(view))  # Qt's painting from the roles
        qtbot.addWidget(view)
        view.setAlternatingRowColors(True)
        view.setShowGrid(False)
        view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(26)
        view.resize(1000, 400)
        view.show()
        qtbot.waitExposed(view)
        view.setCurrentIndex(proxy.index(2, Column.TITLE))
        view.activateWindow()
        view.setFocus()
        qtbot.waitUntil(view.hasFocus, timeout=5000)
        pictures.append(view.viewport().grab().toImage())
        if isinstance(view, AlarmTable):  # drawn again from the pictures it kept
            again = view.viewport().grab().toImage()
            assert again == pictures[0]
        view.hide()
    ours, qts = pictures
    assert ours.size() == qts.size()
    assert not bad_pixels(ours, qts)


def bad_pixels(a: QImage, b: QImage, tolerance: int = 2) -> list[tuple[int, int]]:
    """Pixels that differ by more than `tolerance` in a channel: the row pictures are
    drawn into a picture and copied, so an antialiased focus frame may round one unit off."""
    bad = []
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixel(x, y), b.pixel(x, y)
            if pa != pb and max(abs((pa >> s & 255) - (pb >> s & 255))
                                for s in (0, 8, 16)) > tolerance:
                bad.append((x, y))
    return bad


def test_the_selection_stays_on_its_alarm_through_a_storm(qtbot: QtBot, stack: Stack) -> None:
    desk = make_desk(qtbot, stack)
    fill(qtbot, stack, desk, 50, priority=3)
    chosen = shown_ids(desk)[20]
    assert desk.queue.select_alarm(chosen)
    held = QPersistentModelIndex(desk.queue.view.currentIndex())
    selected: list[object] = []
    desk.alarm_selected.connect(selected.append)
    for i in range(600):  # above it and below it, in a few desk batches
        report(stack, f"T{i}", priority=1 + i % 4, title=f"t {i}")
    qtbot.waitUntil(lambda: desk.model.rowCount() == 650, timeout=20_000)
    assert desk.current_alarm() is not None
    assert desk.current_alarm().id == chosen  # type: ignore[union-attr]
    assert desk.queue.proxy.alarm_at(desk.queue.view.currentIndex().row()).id == chosen  # type: ignore[union-attr]
    assert held.isValid()
    assert selected == []
    assert desk.queue.view.selectionModel().isRowSelected(held.row(), held.parent())


def test_a_storm_of_p2_alarms_chimes_once_a_second_not_once_a_batch(
        qtbot: QtBot, stack: Stack) -> None:
    """Every bridge batch of a storm brings new P2 alarms: the chime (and the taskbar alert)
    sounds once a second at most, not 50 times."""
    desk = make_desk(qtbot, stack, sound=True)
    assert desk.alerter is not None
    desk.mute_action.trigger()  # muted, the tones are still counted
    tones: list[int] = []
    desk.alerter.tone_played.connect(tones.append)
    rate, seconds = 400, 1.5

    def feed() -> None:
        t0 = time.perf_counter()
        for i in range(int(rate * seconds)):
            delay = t0 + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)  # the feeder's pace (another thread), not a wait in the test
            report(stack, f"C{i}", priority=2)

    t0 = time.monotonic()
    feeder = threading.Thread(target=feed)
    feeder.start()
    qtbot.waitUntil(lambda: desk.model.rowCount() == rate * seconds, timeout=30_000)
    feeder.join()
    elapsed = time.monotonic() - t0
    assert tones
    assert set(tones) == {2}
    assert len(tones) <= elapsed / STORM_GAP_S + 1, f"{len(tones)} chimes in {elapsed:.1f} s"


def test_if_the_tables_own_painting_fails_qt_paints_it(
        qtbot: QtBot, stack: Stack, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A bug in the desk's painting must not blank the desk (or crash the console): the rows
    are painted by Qt instead, and the failure is logged once."""
    from widgets.alarms.table import AlarmCellDelegate

    desk = make_desk(qtbot, stack)
    fill(qtbot, stack, desk, 20)
    settle(desk)

    def broken(*_args: object) -> None:
        raise RuntimeError("a painting bug")

    monkeypatch.setattr(AlarmCellDelegate, "draw", broken)
    desk.queue.view.row_pictures.clear()
    viewport = desk.queue.view.viewport()
    picture = viewport.grab().toImage()
    viewport.repaint()
    errors = [r for r in caplog.records if "painting failed" in r.getMessage()]
    assert len(errors) == 1
    # the rows are there, painted by Qt: the first alarm's title is drawn
    assert any(picture.pixel(x, y) != picture.pixel(0, y) for x in range(300, 600)
               for y in range(0, view_row_height(desk)))
    assert shown_ids(desk)  # the desk still works


def view_row_height(desk: AlarmDesk) -> int:
    return desk.queue.view.rowHeight(0)


def test_row_pictures_keep_to_their_budget_and_never_show_another_alarm(qtbot: QtBot) -> None:
    from PySide6.QtGui import QPixmap

    from widgets.alarms.table import RowPictures

    pictures = RowPictures(budget=3 * 100 * 10 * 4)  # three 100x10 pictures
    a, b = make(1), make(2)
    for i in range(5):
        pictures.put(("row", i), a, QPixmap(100, 10))
    assert len(pictures) == 3
    assert pictures.get(("row", 0), a) is None  # the oldest went first
    assert pictures.get(("row", 4), a) is not None
    # the same key for another alarm (an id() reused once the first alarm is gone): a miss
    assert pictures.get(("row", 4), b) is None
    pictures.clear()
    assert len(pictures) == 0
