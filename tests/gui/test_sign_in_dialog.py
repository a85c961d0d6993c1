"""Signing in (issue 11): a wrong password is refused in the check's words, the right one
closes the dialog with the User; the GUI stays live while the check runs (busy state);
keyboard only: labels, tab order, Enter submits. Driven through the real dialog."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.core.access import Role, User
from widgets.sign_in_dialog import SignInDialog

MARIE = User("mdupont", "Marie Dupont", Role.OPERATOR, ("Nice",))
REFUSAL = "Wrong login or password (2 tries left before a 5-minute wait)."


class Accounts:
    """The auth service's part, off the GUI thread, answering when the test says so."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(1)
        self.go = threading.Event()
        self.asked: list[str] = []

    def __call__(self, login: str, password: str) -> Future[User]:
        self.asked.append(login)
        return self.pool.submit(self._check, login, password)

    def _check(self, login: str, password: str) -> User:
        self.go.wait(60)
        if (login, password) != ("mdupont", "s3cret-Nice"):
            raise PermissionError(REFUSAL)
        return MARIE


@pytest.fixture
def accounts() -> Iterator[Accounts]:
    a = Accounts()
    yield a
    a.go.set()
    a.pool.shutdown(wait=True)


@pytest.fixture
def dialog(qtbot: QtBot, accounts: Accounts) -> SignInDialog:
    d = SignInDialog(accounts, "CSU Nice Côte d'Azur")
    qtbot.addWidget(d)
    d.open()
    qtbot.waitExposed(d)
    d.activateWindow()
    qtbot.waitUntil(d.isActiveWindow, timeout=5000)
    return d


def test_wrong_then_right_password(qtbot: QtBot, dialog: SignInDialog,
                                   accounts: Accounts) -> None:
    assert dialog.site.text() == "CSU Nice Côte d'Azur"
    assert "CSU Nice Côte d'Azur" in dialog.windowTitle()
    assert dialog.login.hasFocus()
    QTest.keyClicks(dialog.login, "mdupont")
    QTest.keyClick(dialog.login, Qt.Key.Key_Tab)
    assert dialog.password.hasFocus()
    QTest.keyClicks(dialog.password, "guess")
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter submits

    # busy while the check runs: nothing to click twice, the GUI thread free
    assert dialog.busy
    assert not dialog.sign_in_button.isEnabled()
    assert not dialog.password.isEnabled()
    assert dialog.sign_in_button.text() == "Signing in…"
    assert dialog.password.text() == ""
    QApplication.processEvents()
    assert dialog.isVisible()
    accounts.go.set()
    qtbot.waitUntil(dialog.refusal.isVisible, timeout=10_000)
    assert dialog.refusal.text() == REFUSAL
    assert dialog.isVisible()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.user is None
    assert dialog.password.isEnabled()
    assert dialog.password.hasFocus()
    assert dialog.login.text() == "mdupont"

    QTest.keyClicks(dialog.password, "s3cret-Nice")
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user == MARIE
    assert dialog.password.text() == ""
    assert accounts.asked == ["mdupont", "mdupont"]


def test_keyboard_and_labels(qtbot: QtBot, dialog: SignInDialog) -> None:
    assert dialog.login_label.buddy() is dialog.login
    assert dialog.password_label.buddy() is dialog.password
    assert dialog.login.accessibleName() == "Login"
    assert dialog.password.accessibleName() == "Password"
    assert dialog.password.echoMode() is dialog.password.EchoMode.Password
    order = []
    for _ in range(3):
        order.append(QApplication.focusWidget())
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert order == [dialog.login, dialog.password, dialog.sign_in_button]
    # an empty form is refused in words, without asking the check
    QTest.keyClick(dialog.sign_in_button, Qt.Key.Key_Space)
    assert dialog.refusal.isVisible()
    assert dialog.refusal.text() == "Type your login and your password."
    assert not dialog.busy


def test_closing_while_the_check_runs_signs_nobody_in(
        qtbot: QtBot, dialog: SignInDialog, accounts: Accounts) -> None:
    QTest.keyClicks(dialog.login, "mdupont")
    dialog.password.setFocus()
    QTest.keyClicks(dialog.password, "s3cret-Nice")
    QTest.keyClick(dialog.password, Qt.Key.Key_Enter)
    assert dialog.busy
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    accounts.go.set()
    accounts.pool.shutdown(wait=True)  # the answer has come: it changes nothing
    QApplication.processEvents()
    assert dialog.user is None
    assert dialog.result() == QDialog.DialogCode.Rejected
