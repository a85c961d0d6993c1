"""Who is at the workstation: signing in, unlocking, signing out, each in the access log.

The OS login is not an identity here (workstations are shared by shifts): a person signs in
with a local account (the journal's, argon2id) or, when the site names one, the town's
directory. A local account of that login is tried first, so that an installer's local
administrator still works when the directory is down.

Against guessing (a user may be an adversary): a wrong password and an unknown login get
the same words, and the same time (an unknown login is checked against a dummy hash); after
FREE_FAILURES failures on a login, each further attempt waits, doubling up to THROTTLE_CAP_S.
Every refusal is logged, with its true reason, for the chief; never the password.

What the law requires fails closed: a sign-in that cannot be written to the access log does
not happen (with no log, nothing that follows could be logged either).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import argon2

from app.core.access import User
from app.core.directory_config import DirectoryConfig
from app.core.journal import JournalStore, JournalUnavailable
from app.core.model import OperatorAction, utc_now
from app.core.secrets import SecretMissing, get_secret
from app.services.accounts import HASHER

log = logging.getLogger(__name__)

FREE_FAILURES = 5
THROTTLE_FIRST_S = 30.0
THROTTLE_CAP_S = 900.0
FORGET_AFTER_S = 3600.0  # a login's failures are forgotten after an hour without one
_DUMMY_HASH = HASHER.hash("not a password anyone has: equalises the time of a refusal")
WRONG = "wrong login or password"


class SignInRefused(Exception):
    """Not signed in: plain words for the person at the workstation."""


class DirectoryDown(Exception):
    """The town's directory could not answer: plain words (what to check)."""


Directory = Callable[[str, str], User]  # (login, password) -> User; SignInRefused when not


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    wait_until: float = 0.0


class SignIn:
    """Thread-safe; call it off the GUI thread (a hash takes ~0.2 s by design)."""

    def __init__(self, journal: JournalStore, directory: Directory | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._journal = journal
        self._directory = directory
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, _Failures] = {}

    def sign_in(self, login: str, password: str, workstation: str) -> User:
        """The user, once the sign-in is logged; else SignInRefused (logged too)."""
        user = self._check(login, password, workstation, "sign_in")
        self._log(user, "signed_in", workstation)
        return user

    def unlock(self, user: User, password: str, workstation: str) -> None:
        """The same person types their password again after the lock (logged)."""
        again = self._check(user.login, password, workstation, "unlock")
        if again.login != user.login:
            raise SignInRefused(WRONG)
        self._log(user, "unlocked", workstation)

    def sign_out(self, user: User, workstation: str, why: str = "") -> None:
        """Logged; a failure to log is said but does not keep anyone signed in."""
        self.record(user, "signed_out", workstation, why)

    def log_locked(self, user: User, workstation: str) -> None:
        """Logged; locking happens whatever the log says."""
        self.record(user, "session_locked", workstation, "inactivity")

    def record(self, user: User, action: str, workstation: str, detail: str = "") -> None:
        """A session's row of the access log where a failure to write it must not stop
        what it records (a sign-out, a lock, the demo's sign-in): said in the log."""
        try:
            self._log(user, action, workstation, detail)
        except SignInRefused as exc:
            log.error("%s of %s could not be logged: %s", action, user.login, exc)

    # -- the check --------------------------------------------------------------------------
    def _check(self, login: str, password: str, workstation: str, what: str) -> User:
        login = login.strip()
        shown = _printable(login)
        wait = self._throttled(login)
        if wait:
            self._refused(shown, workstation, what, "throttled")
            raise SignInRefused(f"too many failed attempts for this login: try again in "
                                f"{wait:.0f} s")
        if not login or not password:
            raise SignInRefused("type your login and your password")
        try:
            user = self._verify(login, password)
        except SignInRefused as exc:
            self._failed(login)
            self._refused(shown, workstation, what, str(exc.args[1]) if len(exc.args) > 1
                          else str(exc))
            raise SignInRefused(str(exc.args[0])) from None
        except DirectoryDown as exc:
            self._refused(shown, workstation, what, f"directory down: {exc}")
            raise SignInRefused(f"the town's directory cannot be reached ({exc}); a local "
                                "account can still sign in") from None
        with self._lock:
            self._failures.pop(login, None)
        return user

    def _verify(self, login: str, password: str) -> User:
        """The user, or SignInRefused(words for the person, true reason for the log)."""
        try:
            account = self._journal.account(login)
        except JournalUnavailable as exc:
            raise SignInRefused(f"the journal cannot be read ({exc}): nobody can sign in "
                                "until it can", "journal unreadable") from exc
        if account is None and self._directory is not None:
            return self._directory(login, password)
        try:
            HASHER.verify(account.password_hash if account else _DUMMY_HASH, password)
        except argon2.exceptions.VerificationError:
            raise SignInRefused(WRONG, "unknown login" if account is None
                                else "wrong password") from None
        except argon2.exceptions.InvalidHashError:
            raise SignInRefused(WRONG, "the account's stored hash is unreadable") from None
        if account is None:  # the dummy hash matched: cannot happen, but never sign in
            raise SignInRefused(WRONG, "unknown login")
        if account.user.disabled:
            raise SignInRefused("this account is disabled: see the CSU's administrator",
                                "account disabled")
        if HASHER.check_needs_rehash(account.password_hash):
            log.info("the password hash of %s uses old parameters: it is renewed at the next "
                     "`csu-console user passwd`", login)
        return account.user

    # -- throttling -------------------------------------------------------------------------
    def _throttled(self, login: str) -> float:
        now = self._clock()
        with self._lock:
            f = self._failures.get(login)
            if f is None:
                return 0.0
            if now - f.last > FORGET_AFTER_S:
                del self._failures[login]
                return 0.0
            return max(0.0, f.wait_until - now)

    def _failed(self, login: str) -> None:
        now = self._clock()
        with self._lock:
            f = self._failures.setdefault(login, _Failures())
            f.count += 1
            f.last = now
            if f.count >= FREE_FAILURES:
                f.wait_until = now + min(THROTTLE_CAP_S,
                                         THROTTLE_FIRST_S * 2 ** (f.count - FREE_FAILURES))

    # -- the access log ---------------------------------------------------------------------
    def _log(self, user: User, action: str, workstation: str, detail: str = "") -> None:
        try:
            self._journal.record_action(OperatorAction(
                utc_now(), user.login, action, f"user:{user.login}", detail,
                user_name=user.name, role=user.role.value, workstation=workstation))
        except JournalUnavailable as exc:
            raise SignInRefused(f"the access log cannot be written ({exc}): nobody can sign "
                                "in until it can") from exc

    def _refused(self, shown: str, workstation: str, what: str, reason: str) -> None:
        log.warning("%s refused for %r at %s: %s", what, shown, workstation, reason)
        try:
            self._journal.record_action(OperatorAction(
                utc_now(), shown, f"{what}_refused", f"user:{shown}", reason,
                workstation=workstation))
        except JournalUnavailable as exc:
            log.error("a refused %s could not be logged: %s", what, exc)


def _printable(login: str) -> str:
    """A login as typed, safe for a log line: bounded, no control characters."""
    return "".join(c if c.isprintable() else "?" for c in login[:64])


def directory_of(config: DirectoryConfig | None) -> Directory | None:
    """The town's directory as `SignIn` asks it (None: the site names none)."""
    if config is None:
        return None

    def ask(login: str, password: str) -> User:
        from app.net.directory import DirectoryRefused, DirectoryUnreachable, authenticate

        bind_password: str | None = None
        if config.bind_password_secret:
            try:
                bind_password = get_secret(config.bind_password_secret)
            except SecretMissing as exc:
                raise DirectoryDown(str(exc)) from exc
        try:
            return authenticate(config, login, password, bind_password)
        except DirectoryRefused as exc:
            raise SignInRefused(str(exc), f"directory: {exc.reason}") from None
        except DirectoryUnreachable as exc:
            raise DirectoryDown(str(exc)) from None

    return ask
