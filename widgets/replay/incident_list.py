"""Console > Replay…: the incidents saved, latest first, to reopen one or make a new one.

The list is read off the GUI thread (the runtime's future) and shown when it arrives; a
refusal or a journal that cannot be read is said in the dialog, in plain words.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.incident import Incident
from app.ui.access_log_words import local_text, site_zone
from app.ui.futures import hand_over
from app.ui.replay_session import ReplayRuntime


class Choice(enum.Enum):
    OPEN = "open"  # `chosen` is the incident to reopen
    NEW = "new"  # make one (from a time range and cameras)
    EXPORT = "export"  # export `chosen` as evidence, without replaying it


class IncidentList(QDialog):
    _arrived = Signal(object, object)  # incidents, exception (from the runtime's thread)

    def __init__(self, runtime: ReplayRuntime, timezone: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("incident-list")
        self._zone = site_zone(timezone)
        self.incidents: list[Incident] = []
        self.chosen: Incident | None = None
        self.choice: Choice | None = None
        self.status = QLabel(self)
        self.status.setObjectName("incident-list-status")
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("incident-table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._sync)
        self.table.itemDoubleClicked.connect(lambda _item: self._open())
        self.buttons = QDialogButtonBox(self)
        self.open_button = QPushButton(self)
        self.open_button.setObjectName("incident-open")
        self.new_button = QPushButton(self)
        self.new_button.setObjectName("incident-new")
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("incident-export")
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.new_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.open_button.clicked.connect(self._open)
        self.new_button.clicked.connect(self._new)
        self.export_button.clicked.connect(self._export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.resize(760, 420)
        self._arrived.connect(self._show)
        self.retranslate()
        self._sync()
        self.status.setText(self.tr("Reading the incidents…"))
        try:
            future = runtime.incidents()
        except Exception as exc:  # could not even be asked
            self._show(None, exc)
            return
        hand_over(future, self._arrived)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Replay an incident"))
        self.table.setHorizontalHeaderLabels([
            self.tr("Incident"), self.tr("From"), self.tr("To"), self.tr("Cameras"),
            self.tr("Made by")])
        self.open_button.setText(self.tr("&Open"))
        self.new_button.setText(self.tr("&New incident…"))
        self.export_button.setText(self.tr("&Export…"))
        self.export_button.setToolTip(self.tr("Export the selected incident as signed "
                                              "evidence, without replaying it"))

    def _show(self, incidents: list[Incident] | None, exc: BaseException | None) -> None:
        if exc is not None or incidents is None:
            self.status.setText(self.tr("The incidents cannot be read: %1").replace(
                "%1", str(exc)))
            return
        self.incidents = incidents
        self.status.setText(self.tr("No incident saved yet: make one with “New incident…”.")
                            if not incidents else "")
        self.status.setVisible(not incidents)
        self.table.setRowCount(len(incidents))
        for row, i in enumerate(incidents):
            cells = [i.title, local_text(i.start, self._zone), local_text(i.end, self._zone),
                     str(len(i.cameras)), i.created_by]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 0 and i.note:
                    item.setToolTip(i.note)
                self.table.setItem(row, col, item)
        if incidents:
            self.table.selectRow(0)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _sync(self) -> None:
        chosen = bool(self.table.selectionModel().selectedRows())
        self.open_button.setEnabled(chosen)
        self.export_button.setEnabled(chosen)

    def _open(self) -> None:
        self._choose(Choice.OPEN)

    def _export(self) -> None:
        self._choose(Choice.EXPORT)

    def _choose(self, choice: Choice) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        self.chosen = self.incidents[rows[0].row()]
        self.choice = choice
        self.accept()

    def _new(self) -> None:
        self.choice = Choice.NEW
        self.accept()
