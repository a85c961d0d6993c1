"""Makes or edits an incident (app.core.incident): a title, a note, the range (shown and
typed in local time, kept in UTC), the cameras and officers to replay, as checkable lists
the caller gives (pre-checked when the incident is made from an alarm). What
`Incident.check` refuses is said in plain words under the form, and Save waits for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, Qt
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.incident import Incident, IncidentError
from widgets.keyboard import give_back_keys

# Incident.check's words, for the translation tools (the core speaks English, untranslated)
CHECK_WORDS = (
    QT_TRANSLATE_NOOP("IncidentDialog", "an incident needs a title"),
    QT_TRANSLATE_NOOP("IncidentDialog", "the incident ends before it starts"),
    QT_TRANSLATE_NOOP("IncidentDialog", "an incident needs at least one camera or one officer"),
)
TIME_FORMAT = "dd/MM/yyyy HH:mm:ss"


def to_qt(t: datetime) -> QDateTime:
    return QDateTime.fromMSecsSinceEpoch(round(t.timestamp() * 1000))  # local time


def from_qt(t: QDateTime) -> datetime:
    return datetime.fromtimestamp(t.toMSecsSinceEpoch() / 1000, UTC)


class IncidentDialog(QDialog):
    """`cameras` and `officers`: (id, name) pairs offered; those in `incident` are checked."""

    def __init__(self, incident: Incident, cameras: Sequence[tuple[str, str]],
                 officers: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayIncident")
        self._base = incident
        self.setWindowTitle(self.tr("Edit the incident") if incident.id
                            else self.tr("New incident"))
        self.title = QLineEdit(incident.title, self)
        self.title.setPlaceholderText(self.tr("What happened, where (required)"))
        self.note = QPlainTextEdit(incident.note, self)
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.start = self._time(incident.start)
        self.end = self._time(incident.end)
        self.cameras = self._checklist(cameras, incident.cameras, "incidentCameras")
        self.officers = self._checklist(officers, incident.officers, "incidentOfficers")
        self.problem = QLabel(self)
        self.problem.setObjectName("incidentProblem")
        self.problem.setStyleSheet("color: #ff8a80")
        self.problem.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        span = QHBoxLayout()
        span.addWidget(self.start)
        span.addWidget(QLabel(self.tr("to"), self))
        span.addWidget(self.end)
        lists = QHBoxLayout()
        for caption, widget in ((self.tr("Cameras"), self.cameras),
                                (self.tr("Officers"), self.officers)):
            box = QVBoxLayout()
            label = QLabel(caption, self)
            label.setBuddy(widget)
            box.addWidget(label)
            box.addWidget(widget)
            lists.addLayout(box)
        form = QFormLayout()
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("&Note:"), self.note)
        since = QLabel(self.tr("&From:"), self)
        since.setBuddy(self.start)
        form.addRow(since, span)
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addLayout(lists)
        col.addWidget(self.problem)
        col.addWidget(self.buttons)
        for signal in (self.title.textChanged, self.start.dateTimeChanged,
                       self.end.dateTimeChanged, self.cameras.itemChanged,
                       self.officers.itemChanged):
            signal.connect(self._check)
        self._check()
        self.title.setFocus()

    def _time(self, t: datetime) -> QDateTimeEdit:
        edit = QDateTimeEdit(to_qt(t), self)
        edit.setDisplayFormat(TIME_FORMAT)
        edit.setCalendarPopup(True)
        return edit

    def _checklist(self, offered: Sequence[tuple[str, str]], checked: Sequence[str],
                   name: str) -> QListWidget:
        widget = QListWidget(self)
        widget.setObjectName(name)
        for key, words in offered:
            item = QListWidgetItem(words, widget)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if key in checked
                               else Qt.CheckState.Unchecked)
        return widget

    @staticmethod
    def _checked(widget: QListWidget) -> tuple[str, ...]:
        return tuple(str(widget.item(i).data(Qt.ItemDataRole.UserRole))
                     for i in range(widget.count())
                     if widget.item(i).checkState() == Qt.CheckState.Checked)

    def incident(self) -> Incident:
        """The incident as the form says (its id, alarm and author kept)."""
        return replace(self._base, title=self.title.text().strip(),
                       note=self.note.toPlainText().strip(),
                       start=from_qt(self.start.dateTime()), end=from_qt(self.end.dateTime()),
                       cameras=self._checked(self.cameras),
                       officers=self._checked(self.officers))

    def problem_text(self) -> str:
        """What stops the incident being saved, in the operator's words ("" if nothing)."""
        try:
            self.incident().check()
        except IncidentError as error:
            words = QCoreApplication.translate("IncidentDialog", str(error))
            return words[:1].upper() + words[1:] + "."
        return ""

    def _check(self) -> None:
        problem = self.problem_text()
        self.problem.setText(problem)
        self.ok.setEnabled(not problem)

    def accept(self) -> None:
        if not self.problem_text():
            super().accept()


def ask_incident(incident: Incident, cameras: Sequence[tuple[str, str]],
                 officers: Sequence[tuple[str, str]], parent: QWidget | None) -> Incident | None:
    """The incident as saved by the chief, or None if they cancelled."""
    dialog = IncidentDialog(incident, cameras, officers, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.incident()
        return None
    finally:
        dialog.deleteLater()
        give_back_keys(parent)
