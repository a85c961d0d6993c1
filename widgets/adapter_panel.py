"""The adapters status panel: which connected systems work, which do not and why, when each
last spoke, and how much it sent or we refused. The lead docks it in the main window."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QVBoxLayout, QWidget

from app.ui.adapter_model import ADAPTER, DETAIL, AdapterTableModel
from app.ui.bridge import HubBridge


class AdapterPanel(QWidget):
    def __init__(self, bridge: HubBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adapter-panel")
        self.model = AdapterTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("adapter-table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DETAIL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ADAPTER, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        # the world already holds the statuses posted before this panel existed
        if bridge.world.adapters:
            self.model.update(list(bridge.world.adapters.values()))
        bridge.adapters_changed.connect(self.model.update)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.model.retranslate()
        super().changeEvent(event)
