"""The access log's rows in the chief's words: acts, roles and purposes as the window and the
printed PDF name them (the journal keeps them as English keys), and its times in the site's
time zone (stored UTC)."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QCoreApplication

from app.core.audit_chain import PURGE_ACTION, AuditRow
from app.core.model import OperatorAction

# the acts a chief filters on, in the order the act list offers them
KNOWN_ACTS = (
    "signed_in", "sign_in_refused", "signed_out", "session_locked", "unlocked",
    "unlock_refused", "refused", "bodycam_live_view", "acknowledged", "assigned", "closed",
    "note", "snapshot", "access_log_viewed", "access_log_exported", "user_added",
    "user_password_changed", "user_disabled", "user_enabled", "hold_placed", "hold_lifted",
    "purged", PURGE_ACTION,
)


def act_label(act: str) -> str:
    """An act in the chief's language; one this console does not know, as written."""
    match act:
        case "signed_in":
            return QCoreApplication.translate("AccessLog", "signed in")
        case "sign_in_refused":
            return QCoreApplication.translate("AccessLog", "sign-in refused")
        case "signed_out":
            return QCoreApplication.translate("AccessLog", "signed out")
        case "session_locked":
            return QCoreApplication.translate("AccessLog", "session locked")
        case "unlocked":
            return QCoreApplication.translate("AccessLog", "unlocked")
        case "unlock_refused":
            return QCoreApplication.translate("AccessLog", "unlock refused")
        case "refused":
            return QCoreApplication.translate("AccessLog", "refused")
        case "bodycam_live_view":
            return QCoreApplication.translate("AccessLog", "live body-cam viewing")
        case "acknowledged":
            return QCoreApplication.translate("AccessLog", "alarm acknowledged")
        case "assigned":
            return QCoreApplication.translate("AccessLog", "alarm assigned")
        case "closed":
            return QCoreApplication.translate("AccessLog", "alarm closed")
        case "note":
            return QCoreApplication.translate("AccessLog", "note on an alarm")
        case "snapshot":
            return QCoreApplication.translate("AccessLog", "snapshot taken")
        case "access_log_viewed":
            return QCoreApplication.translate("AccessLog", "access log viewed")
        case "access_log_exported":
            return QCoreApplication.translate("AccessLog", "access log exported")
        case "user_added":
            return QCoreApplication.translate("AccessLog", "user added")
        case "user_password_changed":
            return QCoreApplication.translate("AccessLog", "password changed")
        case "user_disabled":
            return QCoreApplication.translate("AccessLog", "user disabled")
        case "user_enabled":
            return QCoreApplication.translate("AccessLog", "user enabled")
        case "hold_placed":
            return QCoreApplication.translate("AccessLog", "judicial hold placed")
        case "hold_lifted":
            return QCoreApplication.translate("AccessLog", "judicial hold lifted")
        case "purged":
            return QCoreApplication.translate("AccessLog", "recordings purged")
        case "access_log_purged":
            return QCoreApplication.translate("AccessLog", "access log purged (3 years)")
    return act


def role_label(role: str) -> str:
    match role:
        case "viewer":
            return QCoreApplication.translate("AccessLog", "viewer")
        case "operator":
            return QCoreApplication.translate("AccessLog", "operator")
        case "chief":
            return QCoreApplication.translate("AccessLog", "shift chief")
        case "admin":
            return QCoreApplication.translate("AccessLog", "administrator")
    return role


def purpose_label(purpose: str) -> str:
    match purpose:
        case "judicial":
            return QCoreApplication.translate("AccessLog", "judicial")
        case "administrative":
            return QCoreApplication.translate("AccessLog", "administrative")
        case "disciplinary":
            return QCoreApplication.translate("AccessLog", "disciplinary")
        case "training":
            return QCoreApplication.translate("AccessLog", "training")
        case "safety":
            return QCoreApplication.translate("AccessLog", "safety of officers or people")
    return purpose


def site_zone(name: str) -> tzinfo:
    """The site's time zone (`site.operator_timezone`); the workstation's own when this
    machine has no data for it (a Windows machine without the tzdata package)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC


def local_text(t: datetime | None, zone: tzinfo) -> str:
    """A stored (UTC) time as the site reads it, with the date: a log spans years."""
    if t is None:
        return ""
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S")


def utc_text(t: datetime) -> str:
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    return t.astimezone(UTC).strftime("%d/%m/%Y %H:%M:%S UTC")


def person_text(a: OperatorAction) -> str:
    """The login, and the name when the row has one."""
    return f"{a.actor} ({a.user_name})" if a.user_name and a.user_name != a.actor else a.actor


def range_text(a: OperatorAction, zone: tzinfo) -> str:
    if a.range_start is None and a.range_end is None:
        return ""
    return f"{local_text(a.range_start, zone)} → {local_text(a.range_end, zone)}"


def column_titles() -> list[str]:
    """The columns of the window's table and of the printed log, in this order."""
    return [QCoreApplication.translate("AccessLog", "Time"),
            QCoreApplication.translate("AccessLog", "Person"),
            QCoreApplication.translate("AccessLog", "Role"),
            QCoreApplication.translate("AccessLog", "Workstation"),
            QCoreApplication.translate("AccessLog", "Act"),
            QCoreApplication.translate("AccessLog", "Target"),
            QCoreApplication.translate("AccessLog", "Purpose"),
            QCoreApplication.translate("AccessLog", "Cameras"),
            QCoreApplication.translate("AccessLog", "Time range"),
            QCoreApplication.translate("AccessLog", "Detail")]


def row_cells(row: AuditRow, zone: tzinfo) -> list[str]:
    """One row's cells under `column_titles()` (recipients join the detail: few rows have
    them, and the printed page has no room for an eleventh column)."""
    a = row.action
    detail = a.detail
    if a.recipients:
        to = QCoreApplication.translate("AccessLog", "recipients: {0}").format(
            ", ".join(a.recipients))
        detail = f"{detail} — {to}" if detail else to
    return [local_text(a.time, zone), person_text(a), role_label(a.role), a.workstation,
            act_label(a.action), a.target, purpose_label(a.purpose), ", ".join(a.cameras),
            range_text(a, zone), detail]


def refusal_label(reason: str) -> str:
    """Why the log may not be read (app.services.gate's words, in English) in the chief's
    language; a reason this console does not know, as the service wrote it."""
    if reason.startswith("nobody is signed in"):
        return QCoreApplication.translate("AccessLog", "nobody is signed in at this workstation")
    if reason.startswith("the session is locked"):
        return QCoreApplication.translate(
            "AccessLog", "the session is locked: type your password to unlock it")
    if reason.startswith("this account is disabled"):
        return QCoreApplication.translate("AccessLog", "this account is disabled")
    if reason.startswith("the role ") and "read_access_log" in reason:
        return QCoreApplication.translate(
            "AccessLog", "it is kept for shift chiefs and administrators")
    return reason
