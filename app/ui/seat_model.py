"""Who is attached to the room's shared journal, for the connected-systems panel: one row per
process (the console service, then this seat, then the other seats by arrival), with its
workstation, user, role and since when (local time). The room's own code drops a seat whose
heartbeat is old; this model only shows the latest list the bridge delivered."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from app.core.events import SeatInfo
from app.ui.labels import local_time

ROLE, WORKSTATION, USER, SINCE = range(4)
THIS_SEAT_COLOUR = "#64b5f6"
Index = QModelIndex | QPersistentModelIndex


def seat_role_label(seat: SeatInfo, own_id: str) -> str:
    if seat.role == "service":
        return QCoreApplication.translate("SeatTableModel", "Console service")
    if own_id and seat.seat_id == own_id:
        return QCoreApplication.translate("SeatTableModel", "This seat")
    return QCoreApplication.translate("SeatTableModel", "Seat")


class SeatTableModel(QAbstractTableModel):
    def __init__(self, own_id: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.own_id = own_id  # this console's seat id: its row is marked "This seat"
        self._rows: list[SeatInfo] = []

    def update(self, seats: tuple[SeatInfo, ...] | list[SeatInfo]) -> None:
        """The whole list each time (a few rows): reset, not diffed."""
        def order(s: SeatInfo) -> tuple[int, object]:
            rank = 0 if s.role == "service" else 1 if s.seat_id == self.own_id else 2
            return rank, s.since
        self.beginResetModel()
        self._rows = sorted(seats, key=order)
        self.endResetModel()

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, SINCE)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, SINCE))

    def seat(self, row: int) -> SeatInfo:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else SINCE + 1

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return (self.tr("Role"), self.tr("Workstation"), self.tr("User"),
                self.tr("Attached since"))[section]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        s, col = self._rows[index.row()], index.column()
        own = bool(self.own_id) and s.seat_id == self.own_id
        if role == Qt.ItemDataRole.DisplayRole:
            return (seat_role_label(s, self.own_id), s.workstation, s.user,
                    local_time(s.since))[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tr("Last heard from at {0}").format(local_time(s.last_seen))
        if role == Qt.ItemDataRole.FontRole and own:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and own:
            return QColor(THIS_SEAT_COLOUR)
        return None
