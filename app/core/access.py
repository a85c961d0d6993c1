"""Who may do what: users, their roles and territories, and the one table that says which
role each command needs.

The table is used twice: the service refuses what a session's role does not allow (never
trust the seat), and the console hides it (`app.ui` asks `allowed`). One table, so the two
can never disagree.

Roles are ordered: a shift chief may do all an operator may, an administrator all a chief
may. The read-only viewer (e.g. a national police liaison) watches and does nothing else.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


class Role(enum.StrEnum):
    VIEWER = "viewer"
    OPERATOR = "operator"
    CHIEF = "chief"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def at_least(self, other: Role) -> bool:
        return self.rank >= other.rank


_RANK = {Role.VIEWER: 0, Role.OPERATOR: 1, Role.CHIEF: 2, Role.ADMIN: 3}


class Purpose(enum.StrEnum):
    """The *motif* of a consultation or an extraction (CSI R241-14 for body cams; R241-5).
    Live body-cam viewing is only ever for the officers' or people's safety (L241-2)."""

    JUDICIAL = "judicial"
    ADMINISTRATIVE = "administrative"
    DISCIPLINARY = "disciplinary"
    TRAINING = "training"
    SAFETY = "safety"


class Permission(enum.StrEnum):
    """What a command does, as far as the law and the house rules care."""

    WATCH_LIVE = "watch_live"  # fixed cameras live on the wall, the map, the alarm list
    VIEW_BODYCAM_LIVE = "view_bodycam_live"  # with a reason (CSI L241-2), logged
    HANDLE_ALARMS = "handle_alarms"  # acknowledge, assign, note, close
    MOVE_CAMERAS = "move_cameras"  # PTZ
    REPLAY = "replay"  # recorded video (a consultation, logged)
    EXPORT = "export"  # an extraction (logged with recipients)
    READ_ACCESS_LOG = "read_access_log"
    HOLD = "hold"  # place or lift a judicial hold (réquisition)
    MANAGE_USERS = "manage_users"
    CHANGE_RETENTION = "change_retention"


NEEDS: dict[Permission, Role] = {
    Permission.WATCH_LIVE: Role.VIEWER,
    Permission.VIEW_BODYCAM_LIVE: Role.OPERATOR,
    Permission.HANDLE_ALARMS: Role.OPERATOR,
    Permission.MOVE_CAMERAS: Role.OPERATOR,
    Permission.REPLAY: Role.CHIEF,
    Permission.EXPORT: Role.CHIEF,
    Permission.READ_ACCESS_LOG: Role.CHIEF,
    Permission.HOLD: Role.CHIEF,
    Permission.MANAGE_USERS: Role.ADMIN,
    Permission.CHANGE_RETENTION: Role.ADMIN,
}


def allowed(role: Role, permission: Permission) -> bool:
    return role.at_least(NEEDS[permission])


ALL_COMMUNES = "*"  # a user bound to every commune of the site (e.g. the CSU's chief)


@dataclass(frozen=True, slots=True)
class User:
    """A person who signs in. `communes`: the territories they may see ("*": all).
    `source`: where the account lives ("local": the journal; "ldap": the directory;
    "demo": the packaged demo's user, never on a real site)."""

    login: str
    name: str
    role: Role
    communes: tuple[str, ...] = (ALL_COMMUNES,)
    source: str = "local"
    disabled: bool = False

    def sees(self, commune: str) -> bool:
        """May this user see what belongs to `commune` ("" = the site's own, seen by all)."""
        return not commune or ALL_COMMUNES in self.communes or commune in self.communes

    def may(self, permission: Permission) -> bool:
        return not self.disabled and allowed(self.role, permission)


@dataclass(frozen=True, slots=True)
class Account:
    """A local account as the journal keeps it: the user, and the password's argon2 hash
    (never the password)."""

    user: User
    password_hash: str
    created: datetime
    updated: datetime


def communes_text(communes: Iterable[str]) -> str:
    items = sorted(set(communes))
    return "all communes" if ALL_COMMUNES in items else ", ".join(items) or "none"
