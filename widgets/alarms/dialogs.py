"""Small keyboard-first dialogs of the alarm queue: close (outcome + note), assign (officers
nearest first, with their status) and note.

They are shown with `open()` (window-modal, non-blocking: no nested event loop, the queue
keeps updating behind them) and report through `accepted` / `finished`; each names the alarm
it acts on, so a selection that moves meanwhile cannot redirect the command.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.model import Alarm, AlarmOutcome, OfficerStatus, utc_now
from app.ui.labels import (
    alarm_outcome_label,
    alarm_title,
    distance,
    officer_status_label,
    unit_label,
)
from app.ui.services import Responder, responders
from app.ui.world import World

# Indicators drawn by the style sheet: a dark palette's native radio dot is near-invisible,
# and the outcome is the one choice of this dialog that must be unmistakable.
RADIO_STYLE = ("QRadioButton { padding: 3px; }"
               " QRadioButton::indicator { width: 12px; height: 12px; border-radius: 8px;"
               " border: 2px solid palette(text); background: palette(base); }"
               " QRadioButton::indicator:checked { background: palette(highlight);"
               " border-color: palette(highlighted-text); }"
               " QRadioButton:focus { background: palette(alternate-base); }")
LIST_STYLE = "QTreeView::item { padding: 3px 4px; }"

STATUS_COLOURS = {
    OfficerStatus.AVAILABLE: QColor("#43a047"),
    OfficerStatus.BUSY: QColor("#fb8c00"),
    OfficerStatus.INTERVENTION: QColor("#e53935"),
    OfficerStatus.EMERGENCY: QColor("#d50000"),
    OfficerStatus.OFF_DUTY: QColor("#8a929c"),
}


def _is_submit(event: QEvent) -> bool:
    """Ctrl+Enter (either Enter key): accept a dialog from inside a multi-line text box."""
    return (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier))


class _NoteBox(QPlainTextEdit):
    """A note field where Tab moves on and Ctrl+Enter submits the dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setMaximumHeight(90)


class _AlarmDialog(QDialog):
    def __init__(self, alarm: Alarm, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.alarm = alarm
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)  # the title comes from outside
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.setMinimumWidth(460)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if _is_submit(event):
            if self.ok_button.isEnabled():
                self.accept()
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        # explicit context: self.tr() would use the subclass's name, which lupdate cannot know
        self.heading.setText(QCoreApplication.translate("AlarmDialog", "Alarm {0} — {1}")
                             .format(self.alarm.id, alarm_title(self.alarm)))


class CloseDialog(_AlarmDialog):
    """Outcome (handled / false alarm / escalated) and a note. OK stays off until an outcome
    is chosen: closing is a decision, not a default. Keys: arrows or Alt+letter to choose,
    Tab to the note, Enter (or Ctrl+Enter in the note) to close."""

    def __init__(self, alarm: Alarm, parent: QWidget | None = None) -> None:
        super().__init__(alarm, parent)
        self.setObjectName("alarm-close-dialog")
        self.setStyleSheet(RADIO_STYLE)
        self.group = QButtonGroup(self)
        self.radios: dict[AlarmOutcome, QRadioButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        self.outcome_label = QLabel(self)
        layout.addWidget(self.outcome_label)
        for outcome in AlarmOutcome:
            radio = QRadioButton(self)
            radio.setObjectName(f"outcome-{outcome.value}")
            self.group.addButton(radio)
            self.radios[outcome] = radio
            layout.addWidget(radio)
        self.note_label = QLabel(self)
        self.note = _NoteBox(self)
        self.note.installEventFilter(self)
        self.note_label.setBuddy(self.note)
        layout.addWidget(self.note_label)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.group.buttonToggled.connect(lambda *_: self._update_ok())
        self.retranslate()
        self._update_ok()
        self.radios[AlarmOutcome.HANDLED].setFocus()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Close alarm {0}").format(self.alarm.id))
        self.outcome_label.setText(self.tr("Outcome:"))
        mnemonics = {AlarmOutcome.HANDLED: self.tr("&Handled"),
                     AlarmOutcome.FALSE_ALARM: self.tr("&False alarm"),
                     AlarmOutcome.ESCALATED: self.tr("&Escalated (handed to another service)")}
        for outcome, radio in self.radios.items():
            radio.setText(mnemonics[outcome])
            radio.setToolTip(alarm_outcome_label(outcome))
        self.note_label.setText(self.tr("&Note (Ctrl+Enter to close the alarm):"))
        self.ok_button.setText(self.tr("Close the alarm"))

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.outcome() is not None)

    def outcome(self) -> AlarmOutcome | None:
        for outcome, radio in self.radios.items():
            if radio.isChecked():
                return outcome
        return None

    def note_text(self) -> str:
        return self.note.toPlainText().strip()


class NoteDialog(_AlarmDialog):
    def __init__(self, alarm: Alarm, parent: QWidget | None = None) -> None:
        super().__init__(alarm, parent)
        self.setObjectName("alarm-note-dialog")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        self.note = _NoteBox(self)
        self.note.installEventFilter(self)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.note.textChanged.connect(
            lambda: self.ok_button.setEnabled(bool(self.note_text())))
        self.retranslate()
        self.ok_button.setEnabled(False)
        self.note.setFocus()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Note on alarm {0}").format(self.alarm.id))
        self.note.setPlaceholderText(self.tr("What happened, who was called… (Ctrl+Enter to add)"))
        self.ok_button.setText(self.tr("Add the note"))

    def note_text(self) -> str:
        return self.note.toPlainText().strip()


class AssignDialog(_AlarmDialog):
    """The officers who can respond (`app.services.responders`: not the alarm's own
    subject, not in emergency, on an intervention or off duty), placed ones nearest first,
    then those without a recent position. The nearest available officer is preselected:
    Enter assigns them."""

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, alarm: Alarm, world: World, parent: QWidget | None = None, *,
                 stale_after_s: float | None = 60.0) -> None:
        super().__init__(alarm, parent)
        self.setObjectName("alarm-assign-dialog")
        self.world = world
        self.stale_after_s = stale_after_s
        self.resize(520, 380)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        layout.addWidget(self.search)
        self.list = QTreeWidget(self)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setStyleSheet(LIST_STYLE)
        self.list.setColumnCount(4)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemActivated.connect(lambda *_: self.accept())
        self.list.currentItemChanged.connect(lambda *_: self._update_ok())
        layout.addWidget(self.list)
        layout.addWidget(self.buttons)
        self.search.returnPressed.connect(self._accept_if_chosen)
        self.retranslate()
        self._fill()
        self.list.setFocus()

    def _rows(self) -> list[Responder]:
        return responders(self.alarm, self.world.officers.values(), self.world.fixes,
                          utc_now(), self.stale_after_s)

    def _fill(self) -> None:
        self.list.clear()
        first: QTreeWidgetItem | None = None
        for r in self._rows():
            officer = r.officer
            item = QTreeWidgetItem([officer.callsign, unit_label(officer),
                                    officer_status_label(officer.status),
                                    distance(r.distance_m) if r.distance_m is not None
                                    else self.tr("position unknown")])
            item.setData(0, self.ID_ROLE, officer.id)
            item.setForeground(2, QBrush(STATUS_COLOURS[officer.status]))
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if officer.id == self.alarm.assigned_to:
                item.setText(0, self.tr("{0} (assigned)").format(officer.callsign))
            self.list.addTopLevelItem(item)
            if first is None and r.suggestible:
                first = item
        start = first or self.list.topLevelItem(0)
        if start is not None:
            self.list.setCurrentItem(start)
        self._update_ok()

    def _items(self) -> list[QTreeWidgetItem]:
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [item for item in items if item is not None]

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        for item in self._items():
            item.setHidden(bool(needle) and needle not in
                           f"{item.text(0)} {item.text(1)}".casefold())
        current = self.list.currentItem()
        if current is None or current.isHidden():
            for item in self._items():
                if not item.isHidden() and not item.isDisabled():
                    self.list.setCurrentItem(item)
                    break

    def _accept_if_chosen(self) -> None:
        if self.ok_button.isEnabled():
            self.accept()

    def _update_ok(self) -> None:
        self.ok_button.setEnabled(self.officer_id() is not None)

    def officer_id(self) -> str | None:
        item = self.list.currentItem()
        if item is None or item.isHidden() or item.isDisabled():
            return None
        value = item.data(0, self.ID_ROLE)
        return str(value) if value else None

    def accept(self) -> None:
        if self.officer_id() is not None:
            super().accept()

    def retranslate(self) -> None:
        super().retranslate()
        self.setWindowTitle(self.tr("Assign alarm {0}").format(self.alarm.id))
        self.search.setPlaceholderText(self.tr("Find an officer (callsign, unit)"))
        self.list.setHeaderLabels([self.tr("Callsign"), self.tr("Unit"), self.tr("Status"),
                                   self.tr("Distance")])
        self.ok_button.setText(self.tr("Assign"))
        if self.list.topLevelItemCount():
            current = self.officer_id()
            self._fill()  # status words are translated
            if current is not None:
                for item in self._items():
                    if item.data(0, self.ID_ROLE) == current:
                        self.list.setCurrentItem(item)
