"""The adapters status panel: which connected systems work, which do not and why, when each
last spoke, and how much it sent or we refused. The lead docks it in the main window.
In a room (once the room listed its seats) it also lists who is attached to the room's
journal: the console service and the seats, this one marked; a single-process console
shows no such section."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.events import SeatInfo
from app.ui.adapter_model import ADAPTER, DETAIL, AdapterTableModel
from app.ui.bridge import HubBridge
from app.ui.seat_model import WORKSTATION, SeatTableModel


class AdapterPanel(QWidget):
    def __init__(self, bridge: HubBridge, parent: QWidget | None = None, *,
                 seat_id: str = "") -> None:
        """`seat_id`: this console's id in its room, marked "This seat" in the list."""
        super().__init__(parent)
        self.setObjectName("adapter-panel")
        self.model = AdapterTableModel(self)
        self.table = _table(self, "adapter-table", self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAIL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ADAPTER, QHeaderView.ResizeMode.ResizeToContents)
        # the room's seats: hidden until the room lists them
        self.seat_model = SeatTableModel(seat_id, self)
        self.seats_title = QLabel(self)
        self.seats_title.setObjectName("seats-title")
        self.seats_title.setStyleSheet("QLabel { font-weight: bold; padding: 4px 2px 0 2px; }")
        self.seats_table = _table(self, "seats-table", self.seat_model)
        self.seats_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.seats_table.horizontalHeader().setSectionResizeMode(
            WORKSTATION, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.seats_title)
        layout.addWidget(self.seats_table, 1)
        self.seats_title.hide()
        self.seats_table.hide()
        self._retranslate()
        # the world already holds the statuses posted before this panel existed
        if bridge.world.adapters:
            self.model.update(list(bridge.world.adapters.values()))
        if bridge.world.seats is not None:
            self.show_seats(bridge.world.seats)
        bridge.adapters_changed.connect(self.model.update)
        bridge.seats_changed.connect(self.show_seats)

    def show_seats(self, seats: tuple[SeatInfo, ...]) -> None:
        """The room's latest list of who is attached (the service and the seats)."""
        self.seat_model.update(seats)
        self.seats_title.show()
        self.seats_table.show()

    def _retranslate(self) -> None:
        self.seats_title.setText(self.tr("Workstations attached to the room"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.model.retranslate()
            self.seat_model.retranslate()
            self._retranslate()
        super().changeEvent(event)


def _table(parent: QWidget, name: str, model: QAbstractTableModel) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    return table
