"""Who is at the console: the sign-in at start and at a change of shift.

Workstations in a CSU are shared by shifts, so the OS user says nothing about who watches
(issue 11): each person signs in with a login and a password. The check is injected
(`sign_in(login, password) -> Future[User]`: local accounts or the town's directory, which
may take a network round trip), so the GUI thread never waits for it: the dialog shows
"Signing in…" and takes no second try meanwhile. A refusal is shown in the words the
check gives; the password field is emptied after every try and never logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.access import User
from widgets.keyboard import give_back_keys

log = logging.getLogger(__name__)

SignIn = Callable[[str, str], "Future[User]"]
T = TypeVar("T")


class SignInDialog(QDialog):
    """Login + password for `site_name`; `exec()` accepted means `user` is set."""

    _answered = Signal(object)  # the sign-in future, back on the GUI thread

    def __init__(self, sign_in: SignIn, site_name: str, parent: QWidget | None = None, *,
                 login: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("signIn")
        self.setModal(True)
        self._sign_in = sign_in
        self._site_name = site_name
        self._pending: Future[User] | None = None
        self.user: User | None = None
        self._answered.connect(self._on_answer)

        self.site = QLabel(self)
        self.site.setObjectName("signInSite")
        font = self.site.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.site.setFont(font)
        self.site.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.login = QLineEdit(login, self)
        self.login.setObjectName("signInLogin")
        self.login.setMinimumWidth(260)
        self.password = QLineEdit(self)
        self.password.setObjectName("signInPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setInputMethodHints(Qt.InputMethodHint.ImhSensitiveData
                                          | Qt.InputMethodHint.ImhNoPredictiveText
                                          | Qt.InputMethodHint.ImhHiddenText)
        self.login_label = QLabel(self)
        self.login_label.setBuddy(self.login)
        self.password_label = QLabel(self)
        self.password_label.setBuddy(self.password)
        self.refusal = QLabel(self)
        self.refusal.setObjectName("signInRefusal")
        self.refusal.setStyleSheet("color: #c62828; font-weight: bold;")
        self.refusal.setWordWrap(True)
        self.refusal.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        self.sign_in_button: QPushButton = ok
        ok.setObjectName("signInButton")
        ok.setDefault(True)  # Enter in either field signs in
        ok.setAutoDefault(True)
        # the dialog's own accept (Enter, the button) submits; only a right answer closes
        self.buttons.accepted.connect(self.submit)

        form = QFormLayout()
        form.addRow(self.login_label, self.login)
        form.addRow(self.password_label, self.password)
        col = QVBoxLayout(self)
        col.addWidget(self.site)
        col.addLayout(form)
        col.addWidget(self.refusal)
        col.addWidget(self.buttons)
        self.setTabOrder(self.login, self.password)
        self.setTabOrder(self.password, ok)
        (self.password if login else self.login).setFocus()
        self.retranslate()

    @property
    def busy(self) -> bool:
        """A sign-in is being checked."""
        return self._pending is not None

    def submit(self) -> None:
        """Hand login and password to the check (once at a time), and forget the
        password here."""
        if self._pending is not None:
            return
        login = self.login.text().strip()
        password = self.password.text()
        self.password.clear()
        if not login or not password:
            self._refuse(self.tr("Type your login and your password."))
            return
        self.refusal.hide()
        self._set_busy(True)
        try:
            future = self._sign_in(login, password)
        except Exception as exc:  # a check that cannot even start refuses, in words
            self._set_busy(False)
            self._refuse(str(exc) or self.tr("The sign-in could not be checked."))
            return
        self._pending = future
        future.add_done_callback(self._answered.emit)

    def _on_answer(self, future: Future[User]) -> None:
        if future is not self._pending:
            return  # the dialog was closed meanwhile, or this answer is outdated
        self._set_busy(False)
        error = future.exception()
        if error is not None:
            self._refuse(str(error) or self.tr("Wrong login or password."))
            return
        self.user = future.result()
        log.info("signed in: %s", self.user.login)
        self.accept()

    def _refuse(self, text: str) -> None:
        self.refusal.setText(text)
        self.refusal.show()
        (self.password if self.login.text().strip() else self.login).setFocus()

    def _set_busy(self, busy: bool) -> None:
        if not busy:
            self._pending = None
        for w in (self.login, self.password, self.sign_in_button):
            w.setEnabled(not busy)
        self.sign_in_button.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in — %1").replace("%1", self._site_name))
        self.site.setText(self._site_name)
        self.login_label.setText(self.tr("&Login:"))
        self.password_label.setText(self.tr("&Password:"))
        self.login.setAccessibleName(self.tr("Login"))
        self.password.setAccessibleName(self.tr("Password"))
        self.sign_in_button.setText(self.tr("Signing in…") if self.busy else self.tr("Sign in"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def done(self, result: int) -> None:
        """Closing (Esc, the window's button) while a check runs forgets its answer."""
        self._pending = None
        self.password.clear()
        super().done(result)
        give_back_keys(self.parentWidget())


def ask_user(sign_in: SignIn, site_name: str, parent: QWidget | None = None, *,
             login: str = "") -> User | None:
    """Show the dialog until someone signs in (the User) or it is closed (None)."""
    dialog = SignInDialog(sign_in, site_name, parent, login=login)
    try:
        return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def wait_for(future: Future[T], timeout_s: float) -> T | None:
    """The future's result, waited for in a local event loop (the screen keeps painting):
    None when it fails or takes longer than `timeout_s` (the failure is logged)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    poll = QTimer()
    poll.setInterval(20)

    def check() -> None:
        if future.done():
            loop.quit()

    poll.timeout.connect(check)
    timer.start(int(timeout_s * 1000))
    poll.start()
    if not future.done():
        loop.exec()
    poll.stop()
    timer.stop()
    if not future.done():
        log.error("no answer within %.0f s", timeout_s)
        return None
    try:
        return future.result()
    except Exception as exc:
        log.error("refused: %s", exc)
        return None
