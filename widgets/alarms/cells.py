"""How a row of the alarm table is drawn: one cell from its alarm with the style's own item
look (`AlarmCellDelegate`), rows kept as pictures while unchanged (`RowPictures`), and Qt's
own painting from the model's roles as the way back (`RoleDelegate`). See
`widgets.alarms.table` for why the table paints this way."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from app.core.model import Alarm
from app.ui.alarm_model import ALIGNMENT, OVERDUE_ROLE, Column
from app.ui.alarm_proxy import AlarmFilterProxy

Index = QModelIndex | QPersistentModelIndex
_HAS_DISPLAY = QStyleOptionViewItem.ViewItemFeature.HasDisplay
_SELECTED = QStyle.StateFlag.State_Selected
_ITEM = QStyle.ControlElement.CE_ItemViewItem
_TEXT = QPalette.ColorRole.Text
ROW_PICTURES_BYTES = 12 * 1024 * 1024  # ~60 rows of a 1920-px desk: two screens, blinking


def _size(picture: QPixmap) -> int:
    return picture.width() * picture.height() * 4


class RowPictures:
    """Rows of the table drawn once and shown again while nothing they show has changed:
    a storm's frames mostly repaint rows that did not change (the new alarms land further
    down), and a slow machine's painting is then a copy of pictures. The key holds the
    alarm's identity (alarms are immutable: a change is a new object) and everything else
    a row's look depends on; the alarm itself is kept with its picture, so that an id()
    reused by a later object never shows the old picture."""

    def __init__(self, budget: int = ROW_PICTURES_BYTES) -> None:
        self._budget = budget
        self._bytes = 0
        self.drawn = 0  # rows drawn (not copied) so far
        self._items: OrderedDict[tuple[Any, ...], tuple[Alarm, QPixmap]] = OrderedDict()

    def get(self, key: tuple[Any, ...], alarm: Alarm) -> QPixmap | None:
        item = self._items.get(key)
        if item is None or item[0] is not alarm:
            return None
        self._items.move_to_end(key)
        return item[1]

    def put(self, key: tuple[Any, ...], alarm: Alarm, picture: QPixmap) -> None:
        self.drawn += 1
        old = self._items.pop(key, None)
        if old is not None:
            self._bytes -= _size(old[1])
        self._items[key] = (alarm, picture)
        self._bytes += _size(picture)
        while self._bytes > self._budget and len(self._items) > 1:
            _key, (_alarm, gone) = self._items.popitem(last=False)
            self._bytes -= _size(gone)

    def clear(self, *_args: object) -> None:
        self._items.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


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


class RoleDelegate(QStyledItemDelegate):
    """Qt's own cell painting from the model's roles (the way back if ours fails), with the
    desk's one rule: the priority chip and an overdue counter keep their fill when selected."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:
        super().initStyleOption(option, index)
        if index.column() == Column.PRIORITY or (
                index.column() == Column.WAITING and index.data(OVERDUE_ROLE)):
            option.state &= ~_SELECTED
