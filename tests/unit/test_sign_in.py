"""Local accounts and signing in (issue 11): argon2id hashes only, the same words for a
wrong password and an unknown login, throttled guessing, every sign-in and refusal in the
access log, and no sign-in at all when the log cannot be written."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.core.access import Role, User
from app.core.audit_chain import verify
from app.core.journal import Journal
from app.services.accounts import AccountError, Accounts
from app.services.sign_in import FREE_FAILURES, WRONG, SignIn, SignInRefused
from tests.integration.journal_faults import locked_by_another_process

PASSWORD = "correct horse battery"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal(tmp_path / "journal.sqlite")
    Accounts(j, "installer", "poste-0").add("amartin", "Alice Martin", Role.CHIEF,
                                            ["Melun"], PASSWORD)
    yield j
    j.close()


def test_a_local_account_signs_in_and_it_is_logged(journal: Journal) -> None:
    user = SignIn(journal).sign_in("amartin", PASSWORD, "poste-2")
    assert user == User("amartin", "Alice Martin", Role.CHIEF, ("Melun",))
    rows = list(journal.audit_rows())
    assert [(r.action.action, r.action.actor, r.action.workstation) for r in rows] == [
        ("user_added", "installer", "poste-0"), ("signed_in", "amartin", "poste-2")]
    assert rows[1].action.role == "chief"
    assert rows[1].action.user_name == "Alice Martin"
    assert verify(rows).intact


def test_wrong_password_and_unknown_login_read_the_same_but_are_logged_apart(
        journal: Journal) -> None:
    sign_in = SignIn(journal)
    with pytest.raises(SignInRefused) as wrong:
        sign_in.sign_in("amartin", "not the password", "poste-2")
    with pytest.raises(SignInRefused) as unknown:
        sign_in.sign_in("nobody", "not the password", "poste-2")
    assert str(wrong.value) == str(unknown.value) == WRONG
    refused = [(r.action.action, r.action.detail) for r in journal.audit_rows()][1:]
    assert refused == [("sign_in_refused", "wrong password"),
                       ("sign_in_refused", "unknown login")]


def test_no_password_reaches_the_journal_or_the_log(journal: Journal, tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    typed = "a wrong guess 123456"
    with pytest.raises(SignInRefused):
        SignIn(journal).sign_in("amartin", typed, "poste-2")
    Accounts(journal, "installer", "poste-0").set_password("amartin", "another long one!")
    journal.close()
    stored = (tmp_path / "journal.sqlite").read_bytes() + b"".join(
        p.read_bytes() for p in tmp_path.glob("journal.sqlite-*"))
    for secret in (PASSWORD, typed, "another long one!"):
        assert secret.encode() not in stored
        assert secret not in caplog.text


def test_a_disabled_account_cannot_sign_in(journal: Journal) -> None:
    Accounts(journal, "installer", "poste-0").set_disabled("amartin", True)
    with pytest.raises(SignInRefused, match="disabled"):
        SignIn(journal).sign_in("amartin", PASSWORD, "poste-2")
    Accounts(journal, "installer", "poste-0").set_disabled("amartin", False)
    assert SignIn(journal).sign_in("amartin", PASSWORD, "poste-2").login == "amartin"


def test_guessing_is_throttled_then_forgiven(journal: Journal) -> None:
    clock = Clock()
    sign_in = SignIn(journal, clock=clock)
    for _ in range(FREE_FAILURES):
        with pytest.raises(SignInRefused, match=WRONG):
            sign_in.sign_in("amartin", "guess", "poste-2")
    with pytest.raises(SignInRefused, match="too many failed attempts"):
        sign_in.sign_in("amartin", PASSWORD, "poste-2")  # even the right one, meanwhile
    clock.now += 31
    assert sign_in.sign_in("amartin", PASSWORD, "poste-2").login == "amartin"
    assert sign_in.sign_in("amartin", PASSWORD, "poste-2").login == "amartin"  # reset


def test_no_sign_in_when_the_access_log_cannot_be_written(journal: Journal) -> None:
    sign_in = SignIn(journal)
    with locked_by_another_process(journal.path), \
            pytest.raises(SignInRefused, match="access log cannot be written"):
        sign_in.sign_in("amartin", PASSWORD, "poste-2")
    assert [r.action.action for r in journal.audit_rows()] == ["user_added"]


def test_unlock_is_the_same_person_with_their_password(journal: Journal) -> None:
    sign_in = SignIn(journal)
    user = sign_in.sign_in("amartin", PASSWORD, "poste-2")
    with pytest.raises(SignInRefused, match=WRONG):
        sign_in.unlock(user, "not it", "poste-2")
    sign_in.unlock(user, PASSWORD, "poste-2")
    assert [r.action.action for r in journal.audit_rows()][-2:] == ["unlock_refused",
                                                                     "unlocked"]


@pytest.mark.parametrize(("login", "password", "problem"), [
    ("amartin", PASSWORD, "already an account"),
    ("a b", PASSWORD, "not a usable login"),
    ("x" * 65, PASSWORD, "not a usable login"),
    ("bdupont", "short", "too short"),
])
def test_bad_accounts_are_refused_in_plain_words(journal: Journal, login: str, password: str,
                                                 problem: str) -> None:
    with pytest.raises(AccountError, match=problem):
        Accounts(journal, "installer", "poste-0").add(login, "B Dupont", Role.OPERATOR,
                                                      ["*"], password)
