"""A note for an instant of an incident: what to come back to ("the scooter leaves towards
the port"). The note is what the timeline's bookmark says in its tooltip, so it is needed."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from widgets.keyboard import give_back_keys
from widgets.replay.transport_bar import instant_label


class BookmarkDialog(QDialog):
    def __init__(self, at: datetime, note: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayBookmark")
        self.setWindowTitle(self.tr("Bookmark"))
        self.at = at
        intro = QLabel(self.tr("Bookmark at %1").replace("%1", instant_label(at)), self)
        self.note = QLineEdit(note, self)
        self.note.setMinimumWidth(380)
        self.note.setPlaceholderText(self.tr("What happens here (required)"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.ok.setEnabled(bool(note.strip()))
        self.note.textChanged.connect(lambda t: self.ok.setEnabled(bool(t.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(intro)
        col.addWidget(self.note)
        col.addWidget(self.buttons)
        self.note.setFocus()

    def accept(self) -> None:
        if self.note.text().strip():
            super().accept()


def ask_bookmark(at: datetime, parent: QWidget | None, note: str = "") -> str | None:
    """The note, or None if cancelled."""
    dialog = BookmarkDialog(at, note, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.note.text().strip()
        return None
    finally:
        dialog.deleteLater()
        give_back_keys(parent)
