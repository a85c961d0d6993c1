"""The adapters status panel's model: one row per adapter with its state (coloured), what
is wrong in plain words, the last message time (local), and three counters kept apart:
messages received from the system, events produced from them, inputs rejected.
Fed by the bridge's `adapters_changed`; rows are kept in the order adapters first appear."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from app.core.events import AdapterStatus
from app.ui.labels import adapter_state_label, local_time

STATE_COLOURS = {"running": "#43a047", "starting": "#f9a825", "retrying": "#fb8c00",
                 "failed": "#e53935", "refused": "#e53935", "stopped": "#757575",
                 "disabled": "#757575"}
ADAPTER, STATE, DETAIL, LAST, MESSAGES, EVENTS, REJECTED = range(7)
COUNTERS = (MESSAGES, EVENTS, REJECTED)
Index = QModelIndex | QPersistentModelIndex


class AdapterTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AdapterStatus] = []
        self._where: dict[str, int] = {}

    # -- feeding --------------------------------------------------------------------------
    def update(self, statuses: list[AdapterStatus]) -> None:
        """Latest status per adapter; new adapters appended in one insert per batch."""
        latest: dict[str, AdapterStatus] = {}
        for s in statuses:
            latest[s.adapter] = s
        new = [s for name, s in latest.items() if name not in self._where]
        for name, s in latest.items():
            row = self._where.get(name)
            if row is not None:
                self._rows[row] = s
                self.dataChanged.emit(self.index(row, 0), self.index(row, REJECTED))
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            for s in new:
                self._where[s.adapter] = len(self._rows)
                self._rows.append(s)
            self.endInsertRows()

    def retranslate(self) -> None:
        """Headers and state words are looked up when painted: ask the view to repaint."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, REJECTED)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, REJECTED))

    def status(self, row: int) -> AdapterStatus:
        return self._rows[row]

    # -- Qt model -------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else REJECTED + 1

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Adapter"), self.tr("State"), self.tr("Detail"),
                self.tr("Last message"), self.tr("Messages"), self.tr("Events"),
                self.tr("Rejected"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        s, col = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(s, col)
        if role == Qt.ItemDataRole.ToolTipRole and col in (STATE, DETAIL):
            return s.detail or adapter_state_label(s.state)
        if role == Qt.ItemDataRole.ForegroundRole and col == STATE:
            return QColor(STATE_COLOURS.get(s.state, "#9e9e9e"))
        if role == Qt.ItemDataRole.DecorationRole and col == STATE:
            return QColor(STATE_COLOURS.get(s.state, "#9e9e9e"))
        if role == Qt.ItemDataRole.ForegroundRole and col == REJECTED and s.rejected:
            return QColor("#fb8c00")
        if role == Qt.ItemDataRole.ToolTipRole and col in COUNTERS:
            return (self.tr("Messages received from this system"),
                    self.tr("Events produced from them (alarms, positions, statuses)"),
                    self.tr("Inputs refused: malformed, unsigned, replayed, too large, "
                            "unknown device"))[col - MESSAGES]
        if role == Qt.ItemDataRole.TextAlignmentRole and col in COUNTERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _text(self, s: AdapterStatus, col: int) -> str:
        if col == ADAPTER:
            return s.adapter
        if col == STATE:
            return adapter_state_label(s.state)
        if col == DETAIL:
            return s.detail
        if col == LAST:
            return local_time(s.last_message) if s.last_message is not None else self.tr("never")
        if col == MESSAGES:
            return str(s.messages)
        if col == EVENTS:
            return str(s.events)
        return str(s.rejected)
