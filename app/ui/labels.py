"""Words the operator reads for the domain's enums, and times shown in local time.

Every label goes through `QCoreApplication.translate("Labels", ...)` with an English source
string written out literally, so `lupdate` finds it and a language switch (a new translator
installed) is picked up by the next call: nothing is cached here.
Times are stored in UTC everywhere; they are turned into the workstation's local time only
here, at the last moment before being shown.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QLocale

from app.core.model import AlarmOutcome, AlarmState, AlarmType, OfficerStatus


def alarm_type_label(t: AlarmType) -> str:
    tr = QCoreApplication.translate
    match t:
        case AlarmType.WEAPON_DRAWN:
            return tr("Labels", "Weapon drawn")
        case AlarmType.BODYCAM_EMERGENCY:
            return tr("Labels", "Body-cam emergency")
        case AlarmType.GUNSHOT:
            return tr("Labels", "Gunshot")
        case AlarmType.INTRUSION:
            return tr("Labels", "Intrusion")
        case AlarmType.LPR_HIT:
            return tr("Labels", "Plate hit (LPR)")
        case AlarmType.VIDEO_ANALYTICS:
            return tr("Labels", "Video analytics")
        case AlarmType.CITIZEN_REPORT:
            return tr("Labels", "Citizen report")
    return tr("Labels", "Other")


def alarm_state_label(s: AlarmState) -> str:
    tr = QCoreApplication.translate
    match s:
        case AlarmState.NEW:
            return tr("Labels", "New")
        case AlarmState.ACKNOWLEDGED:
            return tr("Labels", "Acknowledged")
        case AlarmState.ASSIGNED:
            return tr("Labels", "Assigned")
    return tr("Labels", "Closed")


def alarm_outcome_label(o: AlarmOutcome) -> str:
    tr = QCoreApplication.translate
    match o:
        case AlarmOutcome.HANDLED:
            return tr("Labels", "Handled")
        case AlarmOutcome.FALSE_ALARM:
            return tr("Labels", "False alarm")
    return tr("Labels", "Escalated")


def officer_status_label(s: OfficerStatus) -> str:
    tr = QCoreApplication.translate
    match s:
        case OfficerStatus.AVAILABLE:
            return tr("Labels", "Available")
        case OfficerStatus.BUSY:
            return tr("Labels", "Busy")
        case OfficerStatus.INTERVENTION:
            return tr("Labels", "On intervention")
        case OfficerStatus.EMERGENCY:
            return tr("Labels", "Emergency")
    return tr("Labels", "Off duty")


def alarm_action_label(action: str) -> str:
    """A history step's action (the service writes them in English, lower case)."""
    tr = QCoreApplication.translate
    match action:
        case "raised":
            return tr("Labels", "Raised")
        case "acknowledged":
            return tr("Labels", "Acknowledged")
        case "assigned":
            return tr("Labels", "Assigned")
        case "closed":
            return tr("Labels", "Closed")
        case "note":
            return tr("Labels", "Note")
        case "escalated":
            return tr("Labels", "Escalated")
        case "repeated":
            return tr("Labels", "Repeated by the source")
    return action


def priority_label(priority: int) -> str:
    return QCoreApplication.translate("Labels", "P{0}").format(priority)


def local_time(t: datetime, now: datetime | None = None) -> str:
    """`t` (aware, UTC) in the workstation's local time: "14:03:22" today, else with the date."""
    local = t.astimezone()
    today = (now or datetime.now().astimezone()).astimezone().date()
    if local.date() == today:
        return local.strftime("%H:%M:%S")
    return local.strftime("%d/%m/%Y %H:%M:%S")


def elapsed(seconds: float) -> str:
    """A waiting time as the counter shows it: "0:42", "12:05", "1:02:09"."""
    s = max(0, int(seconds))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


def distance(metres: float) -> str:
    """A distance in the operator's locale: "240 m", "1,3 km"."""
    loc = QLocale()
    if metres < 1000:
        return QCoreApplication.translate("Labels", "{0} m").format(loc.toString(round(metres)))
    km = loc.toString(metres / 1000, "f", 1)
    return QCoreApplication.translate("Labels", "{0} km").format(km)
