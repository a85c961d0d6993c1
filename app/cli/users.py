"""`csu-console user add|passwd|disable|enable|list`: the local accounts, for installers.

Passwords are read like secrets (app/cli/terminal): from standard input, typed twice and
not shown on a terminal, never from the command line. Exit codes: 0 done; 1 nothing done
(the message says why).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.cli.journal_choice import (
    installer,
    open_or_say,
    workstation,
)
from app.cli.output import say
from app.cli.terminal import read_secret_input
from app.core.access import Role, User, communes_text
from app.core.journal import JournalStore, JournalUnavailable
from app.services.accounts import AccountError, Accounts, check_login


def cmd_user(action: str, site_file: str | None, journal: str | None, login: str | None,
             name: str | None = None, role: str | None = None,
             communes: Sequence[str] = ()) -> int:
    store = open_or_say(site_file, journal)
    if store is None:
        return 1
    try:
        return _run(store, action, login or "", name, role, communes)
    except (AccountError, JournalUnavailable) as exc:
        say(f"{exc}: nothing was changed", err=True)
        return 1
    finally:
        store.close()


def _run(store: JournalStore, action: str, login: str, name: str | None, role: str | None,
         communes: Sequence[str]) -> int:
    accounts = Accounts(store, installer(), workstation())
    if action == "list":
        users = accounts.list()
        if not users:
            say(f"no local account in the journal {store.where}")
        for u in users:
            say(_line(u))
        return 0
    if action in ("disable", "enable"):
        user = accounts.set_disabled(login, action == "disable")
        say(f"{user.login}: {'disabled' if user.disabled else 'enabled'}")
        return 0
    if action == "add":  # what can be refused before the password is typed
        check_login(login)
        if store.account(login) is not None:
            raise AccountError(f"there is already an account {login!r}")
    password = read_secret_input(f"Password for {login!r} (typing is not shown): ",
                                 "nothing was changed")
    if password is None:
        return 1
    if action == "passwd":
        accounts.set_password(login, password)
        say(f"{login}: password changed")
        return 0
    user = accounts.add(login, name or "", Role(role or "operator"), communes or ["*"],
                        password)
    say(f"added {_line(user)}")
    return 0


def _line(u: User) -> str:
    state = "  (disabled)" if u.disabled else ""
    return f"{u.login}  {u.name}  {u.role.value}  {communes_text(u.communes)}{state}"
