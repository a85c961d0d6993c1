"""The one place that says yes or no to what a session asks, and logs every no.

Whoever takes commands (one console's own runtime, or the room's service for its seats)
asks the gate before acting: is someone signed in, is their session unlocked, does their
role allow it (app.core.access.NEEDS), is every camera and alarm concerned inside their
territory. The console also hides what the gate would refuse, but never relies on that
(a seat may be modified; never trust the seat).

Each refusal is written to the access log with who asked, what, and why ("asked for
another territory's camera"); a refusal that cannot be logged is still a refusal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NoReturn

from app.core.access import NEEDS, Permission, User, communes_text
from app.core.journal import JournalStore, JournalUnavailable
from app.core.model import Alarm, Camera, OperatorAction, utc_now
from app.core.territory import Territory

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Session:
    """Someone signed in at a workstation. `id` names a seat's session at the room's
    service ("" for one console's own)."""

    user: User
    workstation: str
    id: str = ""
    locked: bool = False


class Refused(Exception):
    """The gate said no: plain words for the person who asked."""


class Gate:
    def __init__(self, journal: JournalStore, territory: Territory,
                 cameras: Callable[[], Mapping[str, Camera]] = dict) -> None:
        """`cameras`: every camera known now (announced by adapters too), for their communes."""
        self._journal = journal
        self.territory = territory
        self._cameras = cameras

    def check(self, session: Session | None, permission: Permission, target: str,
              cameras: Sequence[str] = (), alarm: Alarm | None = None) -> Session:
        """The session when allowed; else Refused, logged (call it off the GUI thread)."""
        reason = self.why_not(session, permission, cameras, alarm)
        if reason is not None:
            self.refuse(session, permission, target, reason, cameras)
        assert session is not None
        return session

    def refuse(self, session: Session | None, permission: Permission, target: str,
               reason: str, cameras: Sequence[str] = ()) -> NoReturn:
        """Log the refusal `why_not` gave, then raise it."""
        self.log_refusal(session, target, f"{permission.value}: {reason}", cameras)
        raise Refused(reason)

    def why_not(self, session: Session | None, permission: Permission,
                cameras: Sequence[str] = (), alarm: Alarm | None = None) -> str | None:
        """None when allowed, else why not in plain words (in memory only: any thread)."""
        if session is None:
            return "nobody is signed in at this workstation"
        user = session.user
        if session.locked:
            return "the session is locked: type your password to unlock it"
        if user.disabled:
            return "this account is disabled"
        if not user.may(permission):
            return (f"the role {user.role.value!r} may not do this "
                    f"({permission.value} needs {_needed(permission)})")
        known = self._cameras()
        outside = self.territory.outside(user, cameras, known)
        if outside:
            cam, commune = outside[0]
            return (f"asked for another territory's camera: {cam!r} belongs to {commune}, "
                    f"outside {communes_text(user.communes)}")
        if alarm is not None and not self.territory.sees_alarm(user, alarm, known):
            communes = ", ".join(sorted(self.territory.alarm_communes(alarm, known)))
            return (f"asked for another territory's alarm: alarm {alarm.id} concerns "
                    f"{communes}, outside {communes_text(user.communes)}")
        return None

    def log_refusal(self, session: Session | None, target: str, detail: str,
                    cameras: Sequence[str] = ()) -> None:
        """One `refused` row of the access log (who, if known, what, why); a row that
        cannot be written is said in the log, the refusal stands anyway."""
        user = session.user if session else None
        log.warning("refused to %s: %s: %s", user.login if user else "(nobody)", target,
                    detail)
        try:
            self._journal.record_action(OperatorAction(
                utc_now(), user.login if user else "", "refused", target, detail,
                user_name=user.name if user else "", role=user.role.value if user else "",
                workstation=session.workstation if session else "", cameras=tuple(cameras)))
        except JournalUnavailable as exc:
            log.error("a refusal could not be logged: %s", exc)


def _needed(permission: Permission) -> str:
    return f"the role {NEEDS[permission].value!r} or above"
