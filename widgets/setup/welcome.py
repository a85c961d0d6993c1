"""The first run's welcome, on a machine with no site file: the demo town (the default
button, so Enter gives a newcomer the demo as before), the set-up assistant, or a site file
opened from disk."""

from __future__ import annotations

import enum

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget


class Choice(enum.StrEnum):
    DEMO = "demo"
    SET_UP = "set-up"
    OPEN = "open"


class WelcomeDialog(QDialog):
    """`choice` says which button was pressed (None: the dialog was closed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setWindowTitle(self.tr("Welcome to CSU Console"))
        self.choice: Choice | None = None
        text = QLabel(self.tr(
            "<b>No site is set up on this workstation.</b><br><br>"
            "Open the demo town to look around, set this site up (its connections, its "
            "journal and its first administrator), or open a site file an installer gave "
            "you."))
        text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        self.buttons: dict[Choice, QPushButton] = {}
        for choice, label in ((Choice.DEMO, self.tr("Open the demo town")),
                              (Choice.SET_UP, self.tr("Set up this site…")),
                              (Choice.OPEN, self.tr("Open a site file…"))):
            button = QPushButton(label)
            button.setObjectName(f"welcome-{choice.value}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            layout.addWidget(button)
            self.buttons[choice] = button
        self.buttons[Choice.DEMO].setDefault(True)
        self.buttons[Choice.DEMO].setFocus()
        self.setMinimumWidth(460)

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()
