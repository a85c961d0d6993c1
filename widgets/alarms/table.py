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

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt
from PySide6.QtGui import (
    QAccessible,
    QCursor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from app.core.model import Alarm
from app.ui.alarm_model import ALIGNMENT, FLASH_ROLE, Column
from app.ui.alarm_proxy import AlarmFilterProxy

Index = QModelIndex | QPersistentModelIndex
_HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
_SELECTED = QStyle.StateFlag.State_Selected
_ITEM = QStyle.ControlElement.CE_ItemViewItem
_TEXT = QPalette.ColorRole.Text
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_FOCUS = QStyle.StateFlag.State_HasFocus
_HOVER = QStyle.StateFlag.State_MouseOver
_ROW_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewRow


class AlarmCellDelegate(QStyledItemDelegate):
    """Draws a cell from the row's alarm, with the style's own item look.

    A cell's own fill (the priority chip, an overdue counter) stays on the selected row:
    the priority colour must not vanish from the alarm the operator is working on.
    """

    def __init__(self, proxy: AlarmFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy = proxy
        self._base_font: QFont | None = None
        self._bold = QFont()
        self._bold_metrics = QFontMetrics(self._bold)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        a = self._proxy.alarm_at(index.row())
        if a is None:
            super().paint(painter, option, index)
            return
        self.draw(painter, QStyleOptionViewItem(option), a, index.column())

    def draw(self, painter: QPainter, opt: QStyleOptionViewItem, a: Alarm, col: int) -> None:
        """Draw `a`'s cell in column `col` (`opt` is the cell's own copy: it is changed)."""
        m = self._proxy.sourceModel()
        opt.text = m.text(a, col)
        opt.features |= _HAS_DISPLAY
        align = ALIGNMENT.get(col)
        if align is not None:
            opt.displayAlignment = align
        if m.is_bold(a, col):
            if self._base_font is None or self._base_font != opt.font:
                self._base_font = QFont(opt.font)
                self._bold = QFont(opt.font)
                self._bold.setBold(True)
                self._bold_metrics = QFontMetrics(self._bold)
            opt.font = self._bold
            opt.fontMetrics = self._bold_metrics
        fill = m.background(a, col)
        if fill is not None:
            opt.backgroundBrush = fill
            if col in (Column.PRIORITY, Column.WAITING):
                opt.state &= ~_SELECTED  # the chip keeps its colour on the selected row
        ink = m.foreground(a, col)
        if ink is not None:
            palette = QPalette(opt.palette)
            palette.setBrush(_TEXT, ink)
            opt.palette = palette
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(_ITEM, opt, painter, widget)


class AlarmTable(QTableView):
    """The queue's table (the model must be an `AlarmFilterProxy`, see `set_proxy`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._proxy: AlarmFilterProxy | None = None
        self._cells: AlarmCellDelegate | None = None
        self._titles = QStandardItemModel(self)

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
        """The rows in the dirty area, as QTableView paints them, in one Python call."""
        proxy, cells = self._proxy, self._cells
        if proxy is None or cells is None or self.showGrid() or self.model() is not proxy:
            super().paintEvent(event)
            return
        rows = proxy.rowCount()
        if not rows:
            return
        columns = [(col, self.columnViewportPosition(col), self.columnWidth(col))
                   for col in range(proxy.columnCount())
                   if not self.isColumnHidden(col) and self.columnWidth(col) > 0]
        # The dirty region as Qt gives it (e.g. a counter strip and a blinking row): only
        # the cells it touches are drawn, each once.
        dirty: dict[int, dict[int, tuple[int, int]]] = {}
        for area in event.region():  # type: ignore[attr-defined]  # iterable in PySide6
            first = self.rowAt(area.top())
            if first < 0:
                continue
            last = self.rowAt(area.bottom())
            hit = {col: (x, w) for col, x, w in columns
                   if x <= area.right() and x + w > area.left()}
            for row in range(first, (rows - 1 if last < 0 else last) + 1):
                dirty.setdefault(row, {}).update(hit)
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
        style = self.style()
        painter = QPainter(viewport)
        try:
            for row in sorted(dirty):
                a = proxy.alarm_at(row)
                if a is None or self.isRowHidden(row):
                    continue
                y, h = self.rowViewportPosition(row), self.rowHeight(row)
                base = QStyleOptionViewItem(option)
                if alternate and row & 1:
                    base.features |= _ALTERNATE
                if row in selected:
                    base.state |= _SELECTED
                for col, (x, w) in sorted(dirty[row].items()):
                    opt = QStyleOptionViewItem(base)
                    opt.rect = QRect(x, y, w, h)
                    if focus_at == (row, col):
                        opt.state |= _FOCUS
                    if hover_at == (row, col):
                        opt.state |= _HOVER
                    style.drawPrimitive(_ROW_PANEL, opt, painter, self)
                    cells.draw(painter, opt, a, col)
        finally:
            painter.end()

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
