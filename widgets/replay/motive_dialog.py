"""Asks why recorded video is opened, before it is.

French law: every consultation of recordings is logged with its author, date and time and
its purpose (*motif*) (CSI R241-14; R241-5 lists more fields). The purposes offered are the
lawful ones for a shift chief's replay; "Other" needs words. No purpose, no video: the
caller opens nothing when `ask_motive` returns None.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.access import Purpose
from app.ui.labels import colon, local_time
from widgets.keyboard import give_back_keys


@dataclass(frozen=True, slots=True)
class Motive:
    """What the access log keeps of a consultation's purpose: the law's category
    (`purpose`, the log's column), the words chosen (`text`) and a reference (a
    requisition's or a case's number), maybe empty."""

    purpose: Purpose
    text: str
    reference: str = ""


def purpose_box(parent: QWidget) -> QComboBox:
    """The motive's list with the judicial purposes first (a consultation and an export
    both ask them); each dialog adds its own."""
    box = QComboBox(parent)
    box.addItem(QCoreApplication.translate("MotiveDialog", "Choose the purpose…"), None)
    box.addItem(QCoreApplication.translate("MotiveDialog", "Judicial requisition"),
                Purpose.JUDICIAL)
    box.addItem(QCoreApplication.translate(
        "MotiveDialog", "Request from a judicial police officer (OPJ)"), Purpose.JUDICIAL)
    return box


class MotiveDialog(QDialog):
    def __init__(self, cameras: Sequence[str], start: datetime, end: datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayMotive")
        self.setWindowTitle(self.tr("Open recorded video"))
        intro = QLabel(self.tr(
            "Recordings of %1 from %2 to %3. Every consultation is logged with your name, "
            "the time and its purpose (CSI R241-14).")
            .replace("%1", ", ".join(cameras) or "?")
            .replace("%2", local_time(start)).replace("%3", local_time(end)), self)
        intro.setWordWrap(True)
        intro.setMinimumWidth(460)
        self.purposes = purpose_box(self)
        self.purposes.addItem(self.tr("Incident review"), Purpose.ADMINISTRATIVE)
        self.purposes.addItem(self.tr("Other (say which)"), Purpose.ADMINISTRATIVE)
        self.detail = QLineEdit(self)
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText(self.tr("Requisition or case number (optional)"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("Open the recordings"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.purposes.currentIndexChanged.connect(self._check)
        self.detail.textChanged.connect(self._check)
        form = QFormLayout()
        form.addRow(self.tr("&Purpose:"), self.purposes)
        form.addRow(self.tr("&Details:"), self.detail)
        form.addRow(self.tr("&Reference:"), self.reference)
        col = QVBoxLayout(self)
        col.addWidget(intro)
        col.addLayout(form)
        col.addWidget(self.buttons)
        self._check()
        self.purposes.setFocus()

    def _other(self) -> bool:
        return self.purposes.currentIndex() == self.purposes.count() - 1

    def _check(self) -> None:
        self.detail.setPlaceholderText(
            self.tr("Details (required): what is looked for") if self._other()
            else self.tr("Details (optional)"))
        self.ok.setEnabled(self.motive() is not None)

    def motive(self) -> Motive | None:
        """The motive as given, or None while it is not enough to open the video."""
        purpose = self.purposes.currentData()
        detail = self.detail.text().strip()
        if purpose is None or (self._other() and not detail):
            return None
        label = "" if self._other() else self.purposes.currentText()
        text = colon(label, detail) if label and detail else (label or detail)
        return Motive(Purpose(purpose), text, self.reference.text().strip())

    def accept(self) -> None:
        if self.motive() is not None:  # Enter on a disabled OK does nothing either
            super().accept()


def ask_motive(cameras: Sequence[str], start: datetime, end: datetime,
               parent: QWidget | None) -> Motive | None:
    """The motive given, or None if the chief cancelled (then nothing is opened)."""
    dialog = MotiveDialog(cameras, start, end, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.motive()
        return None
    finally:
        dialog.deleteLater()
        give_back_keys(parent)
