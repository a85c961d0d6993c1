"""Local accounts, kept in the journal: what `csu-console user add|passwd|disable|list` does.

Passwords are hashed with argon2id (argon2-cffi's defaults: RFC 9106's second recommended
setting, 64 MiB, 3 passes) and only the hash is stored; no password reaches a log, the
journal or an exception's text. A password shorter than MIN_PASSWORD is refused: the ANSSI
asks for at least 12 characters where, as here, attempts are throttled and logged.

Each change is written to the access log (who changed which account, from where) in the
same transaction as the change: an account that appears or changes role is something a
chief must be able to trace, like a consultation.
"""

from __future__ import annotations

import getpass
import re
import socket
from collections.abc import Sequence

from argon2 import PasswordHasher

from app.core.access import ALL_COMMUNES, Account, Role, User
from app.core.journal import JournalStore
from app.core.model import OperatorAction, utc_now

MIN_PASSWORD = 12
LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
HASHER = PasswordHasher()


class AccountError(Exception):
    """What cannot be done to an account, in plain words (nothing was changed)."""


def check_login(login: str) -> str:
    if not LOGIN.match(login):
        raise AccountError(
            f"{login!r} is not a usable login: 1 to 64 letters, digits, '.', '_', '@' or '-', "
            "starting with a letter or a digit")
    return login


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password is too short: at least {MIN_PASSWORD} characters")
    return password


def check_communes(communes: Sequence[str]) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(c.strip() for c in communes if c.strip()))
    if not cleaned:
        raise AccountError(f"say which communes the user may see (or {ALL_COMMUNES!r} for all)")
    return cleaned


class Accounts:
    """Create, change and list the local accounts of one journal. `by`: who does it (the
    installer's OS login, or a signed-in administrator), for the access log."""

    def __init__(self, journal: JournalStore, by: str, workstation: str) -> None:
        self._journal = journal
        self._by = by
        self._workstation = workstation

    def add(self, login: str, name: str, role: Role, communes: Sequence[str],
            password: str) -> User:
        check_login(login)
        if not name.strip():
            raise AccountError("give the user's full name (the access log shows it)")
        if self._journal.account(login) is not None:
            raise AccountError(f"there is already an account {login!r}: "
                               f"`csu-console user passwd {login}` changes its password")
        user = User(login, name.strip(), role, check_communes(communes))
        now = utc_now()
        self._journal.put_account(
            Account(user, HASHER.hash(check_password(password)), now, now),
            self._logged("user_added", user,
                         f"role {role.value}; communes {', '.join(user.communes)}"))
        return user

    def set_password(self, login: str, password: str) -> User:
        account = self._existing(login)
        self._journal.put_account(
            Account(account.user, HASHER.hash(check_password(password)), account.created,
                    utc_now()),
            self._logged("user_password_changed", account.user))
        return account.user

    def set_disabled(self, login: str, disabled: bool) -> User:
        account = self._existing(login)
        u = account.user
        user = User(u.login, u.name, u.role, u.communes, u.source, disabled)
        self._journal.put_account(
            Account(user, account.password_hash, account.created, utc_now()),
            self._logged("user_disabled" if disabled else "user_enabled", user))
        return user

    def list(self) -> list[User]:
        return [a.user for a in self._journal.accounts()]

    def _existing(self, login: str) -> Account:
        account = self._journal.account(check_login(login))
        if account is None:
            raise AccountError(f"there is no local account {login!r} "
                               "(`csu-console user list` shows them)")
        return account

    def _logged(self, action: str, user: User, detail: str = "") -> OperatorAction:
        return OperatorAction(utc_now(), self._by, action, f"user:{user.login}", detail,
                              workstation=self._workstation)


def installer() -> str:
    """Who runs an installer's command or the set-up assistant, for the access log: the OS
    login (there is no console session yet)."""
    try:
        return f"os:{getpass.getuser()}"
    except (OSError, KeyError):
        return "os:unknown"


def workstation() -> str:
    return socket.gethostname()
