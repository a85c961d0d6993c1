"""The locked session: video and the map hidden until the password is typed again.

Issue 11 (and the CNIL's advice on shared workstations): after an inactivity delay the
session locks; alarms keep arriving in the list and the tone still sounds (this widget
touches neither), but nobody walking by sees a camera or where the officers are.

A Qt widget laid over the wall would not hide it: the tiles are native windows that the X
server (or Windows) draws above any widget Qt paints. So the lock HIDES what it covers
(the wall, whose tiles then stop decoding and unmap their native windows; the map view;
the second wall) and takes the wall's place; each other covered place shows a plain
placard meanwhile. Unlocking shows them again (the tiles start again by themselves).

The password check is injected (`unlock(password) -> Future`, resolved with None when
right, raising an exception whose text is the refusal when wrong): it may take a directory
round trip, so the GUI thread never waits for it. The field is cleared as soon as its text
is handed over, and nothing here logs it. Esc or a close does not unlock: only the future.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

log = logging.getLogger(__name__)

Unlock = Callable[[str], "Future[None]"]

_STYLE = """
#lockOverlay { background: #101214; }
#lockOverlay QLabel { color: #e6e9ed; }
#lockTitle { font-size: 20px; font-weight: bold; }
#lockOverlay #lockRefusal { color: #ff8a80; font-weight: bold; }
#lockPlacard { background: #101214; color: #b0b7c0; padding: 12px; }
"""


class LockOverlay(QFrame):
    """Takes the wall's place while the session is locked. `covers()` names what to hide
    at lock time (asked then: a second wall may have opened since the start)."""

    unlocked = Signal()
    locked = Signal()
    switch_user = Signal()
    _answered = Signal(object)  # the unlock future, back on the GUI thread

    def __init__(self, unlock: Unlock, covers: Callable[[], list[QWidget]],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockOverlay")
        self.setStyleSheet(_STYLE)
        self._unlock = unlock
        self._covers = covers
        self._hidden: list[QWidget] = []  # what the lock hid (and shows again)
        self._placards: dict[QWidget, QLabel] = {}
        self._pending: Future[None] | None = None
        self._user = ""
        self._answered.connect(self._on_answer)

        self.title = QLabel(self)
        self.title.setObjectName("lockTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.who = QLabel(self)
        self.who.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.why = QLabel(self)
        self.why.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.why.setWordWrap(True)
        self.password_label = QLabel(self)
        self.password = QLineEdit(self)
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData
                                          | Qt.InputMethodHint.ImhNoPredictiveText
                                          | Qt.InputMethodHint.ImhHiddenText)
        self.password.setMinimumWidth(240)
        self.password_label.setBuddy(self.password)
        self.password.returnPressed.connect(self.submit)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("lockUnlock")
        self.unlock_button.clicked.connect(self.submit)
        self.switch_button = QPushButton(self)
        self.switch_button.setObjectName("lockSwitchUser")
        self.switch_button.clicked.connect(self.switch_user)
        self.refusal = QLabel(self)
        self.refusal.setObjectName("lockRefusal")
        self.refusal.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.refusal.setWordWrap(True)
        self.refusal.hide()

        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.password_label)
        row.addWidget(self.password)
        row.addWidget(self.unlock_button)
        row.addStretch(1)
        switch_row = QHBoxLayout()
        switch_row.addStretch(1)
        switch_row.addWidget(self.switch_button)
        switch_row.addStretch(1)
        col = QVBoxLayout(self)
        col.addStretch(1)
        col.addWidget(self.title)
        col.addWidget(self.who)
        col.addWidget(self.why)
        col.addSpacing(12)
        col.addLayout(row)
        col.addWidget(self.refusal)
        col.addSpacing(12)
        col.addLayout(switch_row)
        col.addStretch(2)
        self.setTabOrder(self.password, self.unlock_button)
        self.setTabOrder(self.unlock_button, self.switch_button)
        self.hide()
        self.retranslate()

    # --- state ----------------------------------------------------------------------------

    @property
    def is_locked(self) -> bool:
        return not self.isHidden()

    @property
    def busy(self) -> bool:
        """A password is being checked."""
        return self._pending is not None

    def set_user(self, name: str) -> None:
        """Who is signed in (shown on the lock, so that the right person types)."""
        self._user = name
        self.retranslate()

    def lock(self) -> None:
        """Hide the video and the map, show the password prompt (no-op when locked)."""
        if self.is_locked:
            return
        self._hidden = [w for w in self._covers() if not w.isHidden()]
        for w in self._hidden:
            w.hide()
            self._placard_for(w).show()
        self.refusal.hide()
        self.password.clear()
        self._set_busy(False)
        self.show()
        self.raise_()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        log.info("session locked")
        self.locked.emit()

    def submit(self) -> None:
        """Hand the typed password to the check (once at a time), and forget it here."""
        if not self.is_locked or self._pending is not None:
            return
        password = self.password.text()
        self.password.clear()
        if not password:
            self._refuse(self.tr("Type your password to unlock."))
            return
        self.refusal.hide()
        self._set_busy(True)
        try:
            future = self._unlock(password)
        except Exception as exc:  # a check that cannot even start refuses, in words
            self._set_busy(False)
            self._refuse(str(exc) or self.tr("The password could not be checked."))
            return
        self._pending = future
        future.add_done_callback(self._answered.emit)

    # --- the answer -----------------------------------------------------------------------

    def _on_answer(self, future: Future[None]) -> None:
        if future is not self._pending:
            return  # an answer for a lock that is over
        self._pending = None
        self._set_busy(False)
        error = future.exception()
        if error is not None:
            self._refuse(str(error) or self.tr("Wrong password."))
            return
        self._open()

    def release(self, name: str) -> None:
        """Another person signed in (switch user): the lock opens for them."""
        self._pending = None
        self.set_user(name)
        if self.is_locked:
            self._open()

    def _open(self) -> None:
        self.hide()
        for w in self._hidden:
            if not isValid(w):
                continue  # gone meanwhile (a second wall closed while locked)
            self._placard_for(w).hide()
            w.show()
        self._hidden = []
        self._placards = {w: p for w, p in self._placards.items() if isValid(w)}
        self.refusal.hide()
        log.info("session unlocked")
        self.unlocked.emit()

    def _refuse(self, text: str) -> None:
        self.refusal.setText(text)
        self.refusal.show()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self._pending = None
        self.password.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.unlock_button.setText(self.tr("Checking…") if busy else self.tr("Unlock"))
        if not busy and self.is_locked:
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _placard_for(self, covered: QWidget) -> QWidget:
        """What shows where `covered` was: this overlay for the widget beside it (the
        wall), else a plain line put in its place in its parent's layout."""
        parent = covered.parentWidget()
        if parent is self.parentWidget():
            return self
        placard = self._placards.get(covered)
        if placard is None:
            placard = QLabel(self._placard_text(), parent)
            placard.setObjectName("lockPlacard")
            placard.setStyleSheet(_STYLE)
            placard.setAlignment(Qt.AlignmentFlag.AlignCenter)
            placard.setWordWrap(True)
            layout = parent.layout() if parent is not None else None
            if isinstance(layout, QBoxLayout):
                layout.insertWidget(layout.indexOf(covered) + 1, placard, 1)
            self._placards[covered] = placard
        return placard

    def _placard_text(self) -> str:
        return self.tr("Hidden while the session is locked.")

    # --- Qt ---------------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.title.setText(self.tr("Session locked"))
        self.who.setText(self.tr("Signed in: %1").replace("%1", self._user)
                         if self._user else "")
        self.who.setVisible(bool(self._user))
        self.why.setText(self.tr("Video and the map are hidden after a time without activity. "
                                 "Alarms still arrive below."))
        self.password_label.setText(self.tr("&Password:"))
        self.password.setAccessibleName(self.tr("Password"))
        self.unlock_button.setText(self.tr("Checking…") if self.busy else self.tr("Unlock"))
        self.switch_button.setText(self.tr("Switch user…"))
        for placard in self._placards.values():
            placard.setText(self._placard_text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()  # Esc does not unlock, and goes nowhere else either
            return
        super().keyPressEvent(event)
