"""The alarm table: a QTableView that paints a storm cheaply.

While alarms pour in, the journal and alarm threads run Python beside the GUI thread, and
every call from Qt into Python waits for the GIL (up to the interpreter's 5 ms switch
interval each time). Qt's table asks its model seven roles per painted cell, ~600 calls
into Python for a 12-row desk; a frame of the desk cost 14 ms of waiting alone in a storm
here. So:

- The table paints its visible rows in ONE call into Python (`AlarmTable.paintEvent`), each
  cell drawn from the row's alarm with the style's own item look (`AlarmCellDelegate`),
  as QTableView would (alternate rows, selection, focus, hover); a grid, or a model that is
  not the alarm proxy, falls back to Qt's own painting.
- A drawn row is kept as a picture (`RowPictures`) and copied again while nothing it shows
  has changed: in a storm most frames repaint rows that did not change, and on a machine
  where painting is slow a frame is then a few copies.
- The column titles come from a small model in C++ (the header asks them by the dozen
  after each layout change of the rows), and the table asks the alarm model nothing else.
- A batch of rows is laid out at once, not from Qt's zero timer a moment later: one repaint
  pass per desk batch instead of two.
- A change of cells repaints only the cells on screen that changed (Qt 6 repaints the whole
  viewport for any change of more than one cell, even of rows scrolled away): the waiting
  counters each second are one column strip, the blink only the rows that blink, an alarm
  updated off screen nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import (
    QAccessible,
    QCursor,
    QPainter,
    QPaintEvent,
    QPalette,
    QPixmap,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from app.core.model import Alarm
from app.ui.alarm_model import FLASH_ROLE, Column
from app.ui.alarm_proxy import AlarmFilterProxy
from widgets.alarms.cells import AlarmCellDelegate, RoleDelegate, RowPictures

__all__ = ["AlarmCellDelegate", "AlarmTable", "RoleDelegate", "RowPictures"]

log = logging.getLogger(__name__)

Index = QModelIndex | QPersistentModelIndex
_SELECTED = QStyle.StateFlag.State_Selected
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_FOCUS = QStyle.StateFlag.State_HasFocus
_HOVER = QStyle.StateFlag.State_MouseOver
_ROW_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewRow
# the view's own state bits that change how its items look (the colours of a selection)
_LOOK_STATES = (QStyle.StateFlag.State_Active | QStyle.StateFlag.State_Enabled
                | QStyle.StateFlag.State_Window)


class AlarmTable(QTableView):
    """The queue's table (the model must be an `AlarmFilterProxy`, see `set_proxy`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy: AlarmFilterProxy | None = None
        self._cells: AlarmCellDelegate | None = None
        self._titles = QStandardItemModel(self)
        self.row_pictures = self._pictures = RowPictures()
        self._paint_failed = False

    def set_proxy(self, proxy: AlarmFilterProxy) -> None:
        self._proxy = proxy
        self._cells = AlarmCellDelegate(proxy, self)
        self.setModel(proxy)
        self.setItemDelegate(self._cells)
        # The column titles from a model in C++: after every layout change of the rows
        # (an escalated alarm moving up) the header measures and repaints its sections,
        # asking ~90 header roles; from the alarm model each would be a call into Python.
        self._titles = QStandardItemModel(0, proxy.columnCount(), self)
        self._copy_titles()
        self.horizontalHeader().setModel(self._titles)
        proxy.headerDataChanged.connect(self._copy_titles)
        proxy.settled.connect(self._lay_out_now)
        model = proxy.sourceModel()
        model.ticked.connect(self._on_ticked)
        model.modelReset.connect(self._pictures.clear)
        proxy.headerDataChanged.connect(self._pictures.clear)

    def _on_ticked(self, first: int, _last: int, roles: list[int]) -> None:
        """The counter and the blink are in a row picture's key; any other refresh of cells
        without a change of alarm (callsigns, the language) makes the pictures stale."""
        if first != Column.WAITING and FLASH_ROLE not in roles:
            self._pictures.clear()

    def _lay_out_now(self) -> None:
        """Rows came or went: lay them out now rather than from a timer a moment later, so
        that the batch and its layout are painted in one pass, not two."""
        self.executeDelayedItemsLayout()

    def _copy_titles(self, *_args: object) -> None:
        if self._proxy is not None:
            self._titles.setHorizontalHeaderLabels([
                str(self._proxy.headerData(col, Qt.Orientation.Horizontal) or "")
                for col in range(self._titles.columnCount())])

    def paintEvent(self, event: QPaintEvent) -> None:
        """The rows in the dirty area, as QTableView paints them, in one Python call; should
        that ever fail, Qt paints them (a desk that paints slowly beats a blank one)."""
        proxy = self._proxy
        if (proxy is None or self._cells is None or self._paint_failed or self.showGrid()
                or self.model() is not proxy):
            super().paintEvent(event)
            return
        try:
            self._paint_rows(event, proxy)
        except Exception:
            log.exception("the alarm table's own painting failed; Qt paints it from now on")
            self._paint_failed = True
            self.setItemDelegate(RoleDelegate(self))  # the model's roles, as Qt reads them
            super().paintEvent(event)

    def _paint_rows(self, event: QPaintEvent, proxy: AlarmFilterProxy) -> None:
        rows = proxy.rowCount()
        if not rows:
            return
        columns = [(col, self.columnViewportPosition(col), self.columnWidth(col))
                   for col in range(proxy.columnCount())
                   if not self.isColumnHidden(col) and self.columnWidth(col) > 0]
        if not columns:
            return
        x0 = min(x for _, x, _ in columns)
        width = max(x + w for _, x, w in columns) - x0
        # The rows the dirty region touches (e.g. a counter strip and a blinking row).
        dirty: set[int] = set()
        for area in event.region():  # type: ignore[attr-defined]  # iterable in PySide6
            first = self.rowAt(area.top())
            if first >= 0:
                last = self.rowAt(area.bottom())
                dirty.update(range(first, (rows - 1 if last < 0 else last) + 1))
        if not dirty:
            return
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        if option.state & QStyle.StateFlag.State_Enabled:  # as QTableView: enabled items
            palette = QPalette(option.palette)
            palette.setCurrentColorGroup(QPalette.ColorGroup.Normal)
            option.palette = palette
        viewport = self.viewport()
        current = self.currentIndex()
        focus_at = ((current.row(), current.column())
                    if current.isValid() and (self.hasFocus() or viewport.hasFocus()) else None)
        hover = (self.indexAt(viewport.mapFromGlobal(QCursor.pos()))
                 if viewport.underMouse() else QModelIndex())
        hover_at = (hover.row(), hover.column()) if hover.isValid() else None
        selection = self.selectionModel()
        selected: set[int] = set()  # one look at the selection, not one per row
        if selection is not None:
            for span in selection.selection():  # type: ignore[attr-defined]  # a list in PySide6
                selected.update(range(max(span.top(), min(dirty)),
                                      min(span.bottom(), max(dirty)) + 1))
        alternate = self.alternatingRowColors()
        model = proxy.sourceModel()
        waiting = next(((x, w) for col, x, w in columns if col == Column.WAITING), None)
        # what a row's picture depends on besides its alarm and its own state
        looks = (tuple((col, x - x0, w) for col, x, w in columns), self.palette().cacheKey(),
                 option.font.key(), (option.state & _LOOK_STATES).value,
                 viewport.devicePixelRatioF())
        painter = QPainter(viewport)
        try:
            for row in sorted(dirty):
                a = proxy.alarm_at(row)
                if a is None or self.isRowHidden(row):
                    continue
                y, h = self.rowViewportPosition(row), self.rowHeight(row)
                focus = focus_at[1] if focus_at is not None and focus_at[0] == row else -1
                hovered = hover_at[1] if hover_at is not None and hover_at[0] == row else -1
                odd, chosen = alternate and bool(row & 1), row in selected
                key = (id(a), odd, chosen, focus, hovered, model.is_flashing(a.id), h, looks)
                picture = self._pictures.get(key, a)
                if picture is None:
                    picture = self._draw_row(a, key, option, width, h)
                painter.drawPixmap(x0, y, picture)
                if waiting is not None:  # the one cell that changes every second: live
                    self._draw_cell(painter, self._row_option(option, odd, chosen), a,
                                    Column.WAITING, QRect(waiting[0], y, waiting[1], h),
                                    focus, hovered)
        finally:
            painter.end()

    @staticmethod
    def _row_option(option: QStyleOptionViewItem, odd: bool,
                    selected: bool) -> QStyleOptionViewItem:
        base = QStyleOptionViewItem(option)
        if odd:
            base.features |= _ALTERNATE
        if selected:
            base.state |= _SELECTED
        return base

    def _draw_cell(self, painter: QPainter, base: QStyleOptionViewItem, a: Alarm, col: int,
                   rect: QRect, focus: int, hovered: int) -> None:
        """One cell as QTableView draws it: the row's panel, then the item."""
        cells = self._cells
        assert cells is not None
        opt = QStyleOptionViewItem(base)
        opt.rect = rect
        if col == focus:
            opt.state |= _FOCUS
        if col == hovered:
            opt.state |= _HOVER
        self.style().drawPrimitive(_ROW_PANEL, opt, painter, self)
        cells.draw(painter, opt, a, col)

    def _draw_row(self, a: Alarm, key: tuple[Any, ...], option: QStyleOptionViewItem,
                  width: int, height: int) -> QPixmap:
        """Draw a row but its waiting counter, as QTableView would draw its cells, into a
        picture kept for the next frames; over the viewport's own background, so that the
        picture is the same pixels."""
        _id, odd, selected, focus, hovered, *_rest, looks = key
        viewport = self.viewport()
        ratio = looks[-1]
        picture = QPixmap(max(1, round(width * ratio)), max(1, round(height * ratio)))
        picture.setDevicePixelRatio(ratio)
        picture.fill(viewport.palette().color(viewport.backgroundRole()))
        base = self._row_option(option, odd, selected)
        painter = QPainter(picture)
        try:
            for col, x, w in looks[0]:
                if col != Column.WAITING:
                    self._draw_cell(painter, base, a, col, QRect(x, 0, w, height), focus,
                                    hovered)
        finally:
            painter.end()
        self._pictures.put(key, a, picture)
        return picture

    def shown_rows(self) -> tuple[int, int]:
        """First and last rows on screen; (-1, -1) when none is."""
        model = self.model()
        rows = model.rowCount() if model is not None else 0
        if not rows:
            return -1, -1
        first = self.rowAt(0)
        if first < 0:
            return -1, -1
        last = self.rowAt(self.viewport().height() - 1)
        return first, rows - 1 if last < 0 else last

    def dataChanged(self, top_left: Index, bottom_right: Index,
                    roles: list[int] | None = None) -> None:  # type: ignore[override]
        if top_left == bottom_right or QAccessible.isActive() or self._proxy is None:
            super().dataChanged(top_left, bottom_right, roles or [])
            return
        first, last = self.shown_rows()
        top, bottom = max(top_left.row(), first), min(bottom_right.row(), last)
        if first < 0 or top > bottom:
            return  # nothing on screen changed
        left, right = top_left.column(), bottom_right.column()
        rows = list(range(top, bottom + 1))
        if roles and FLASH_ROLE in roles:  # the blink: only the rows that blink
            model = self._proxy.sourceModel()
            rows = [r for r in rows if (a := self._proxy.alarm_at(r)) is not None
                    and model.blinks(a.id)]
        proxy = self._proxy
        for run_top, run_bottom in _runs(rows):
            area = QRect(self.visualRect(proxy.index(run_top, left)).topLeft(),
                         self.visualRect(proxy.index(run_bottom, right)).bottomRight())
            self.viewport().update(area)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Consecutive rows as (first, last) runs."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and r == out[-1][1] + 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out
