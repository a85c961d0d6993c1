"""Words the operator reads for the domain's enums, and times shown in local time.

Every label goes through `QCoreApplication.translate("Labels", ...)` with an English source
string written out literally, so `lupdate` finds it and a language switch (a new translator
installed) is picked up by the next call: nothing is cached here.
Times are stored in UTC everywhere; they are turned into the workstation's local time only
here, at the last moment before being shown.
"""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale
from PySide6.QtGui import QKeySequence

from app.core.alarm_words import EVENTS, UNIT_KINDS, compose, says_type
from app.core.model import Alarm, AlarmOutcome, AlarmState, AlarmType, Officer, OfficerStatus

# The English words of app.core.alarm_words.EVENTS, written out for Qt's translation tools
# (tests/unit/test_translations.py keeps this list and EVENTS equal).
EVENT_SOURCES = (
    QT_TRANSLATE_NOOP("AlarmEvents", "Weapon drawn from the holster"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Body-cam emergency button"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Tracker SOS alarm"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Body-cam battery low"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Gunshot detected"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Intrusion"),
    QT_TRANSLATE_NOOP("AlarmEvents", "LPR: stolen vehicle"),
    QT_TRANSLATE_NOOP("AlarmEvents", "LPR: stolen plate"),
    QT_TRANSLATE_NOOP("AlarmEvents", "LPR: reported vehicle (FOVeS)"),
    QT_TRANSLATE_NOOP("AlarmEvents", "LPR: plate on a watch list"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Alert"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: person on the ground"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: gathering"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: abandoned object"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: vehicle going the wrong way"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Motion detected"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Camera tampering"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Input active"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: person"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: vehicle"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: two-wheeler"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: bicycle"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: dog"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: bus"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Video analytics: lorry"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Citizen report: noise"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Citizen report: obstructive parking"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Citizen report: fly-tipping"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Citizen report: person acting suspiciously"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Citizen report: damage to street furniture"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Citizen report: stray dog"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Medical alarm"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Fire alarm"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Panic alarm"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Panic / duress"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Hold-up alarm"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Burglary"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Burglary verified"),
    QT_TRANSLATE_NOOP("AlarmEvents", "General alarm"),
    QT_TRANSLATE_NOOP("AlarmEvents", "24-hour non-burglary alarm"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Sensor tamper / trouble"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Tamper"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Door forced"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Gas alarm"),
    QT_TRANSLATE_NOOP("AlarmEvents", "Water leak"),
)


def alarm_type_label(t: AlarmType) -> str:
    match t:
        case AlarmType.WEAPON_DRAWN:
            return QCoreApplication.translate("Labels", "Weapon drawn")
        case AlarmType.BODYCAM_EMERGENCY:
            return QCoreApplication.translate("Labels", "Body-cam emergency")
        case AlarmType.GUNSHOT:
            return QCoreApplication.translate("Labels", "Gunshot")
        case AlarmType.INTRUSION:
            return QCoreApplication.translate("Labels", "Intrusion")
        case AlarmType.LPR_HIT:
            return QCoreApplication.translate("Labels", "Plate hit (LPR)")
        case AlarmType.VIDEO_ANALYTICS:
            return QCoreApplication.translate("Labels", "Video analytics")
        case AlarmType.CITIZEN_REPORT:
            return QCoreApplication.translate("Labels", "Citizen report")
    return QCoreApplication.translate("Labels", "Other")


UNIT_SOURCES = (  # app.core.alarm_words.UNIT_KINDS, for Qt's translation tools
    QT_TRANSLATE_NOOP("Units", "Foot patrol"),
    QT_TRANSLATE_NOOP("Units", "Car patrol"),
)


def unit_label(officer: Officer) -> str:
    """An officer's unit: its kind in the operator's language, then its name as written."""
    kind = UNIT_KINDS.get(officer.unit_kind)
    if not kind:
        return officer.unit
    words = QCoreApplication.translate("Units", kind)
    return f"{words} {officer.unit}" if officer.unit else words


def alarm_event_label(event: str) -> str:
    """An event key of app.core.alarm_words in the operator's language ("" if unknown)."""
    words = EVENTS.get(event)
    return QCoreApplication.translate("AlarmEvents", words) if words else ""


def colon(left: str, right: str) -> str:
    """ "left: right", with the space French puts before a colon."""
    return QCoreApplication.translate("Labels", "{0}: {1}").format(left, right)


def alarm_title(alarm: Alarm) -> str:
    """The alarm's title in the operator's language, from its facts; names and the source's
    own words as written. An alarm journaled before titles were data keeps its title."""
    facts = alarm.facts
    if facts is None:
        return alarm.title
    what = alarm_event_label(facts.event) or (
        alarm_type_label(alarm.type) if says_type(facts) else "")
    return compose(what, facts, QCoreApplication.translate("Labels", "{0}: {1}"),
                   QCoreApplication.translate("Labels", "{0} — {1}"))


def alarm_state_label(s: AlarmState) -> str:
    match s:
        case AlarmState.NEW:
            return QCoreApplication.translate("Labels", "New")
        case AlarmState.ACKNOWLEDGED:
            return QCoreApplication.translate("Labels", "Acknowledged")
        case AlarmState.ASSIGNED:
            return QCoreApplication.translate("Labels", "Assigned")
    return QCoreApplication.translate("Labels", "Closed")


def alarm_outcome_label(o: AlarmOutcome) -> str:
    match o:
        case AlarmOutcome.HANDLED:
            return QCoreApplication.translate("Labels", "Handled")
        case AlarmOutcome.FALSE_ALARM:
            return QCoreApplication.translate("Labels", "False alarm")
    return QCoreApplication.translate("Labels", "Escalated")


def officer_status_label(s: OfficerStatus) -> str:
    match s:
        case OfficerStatus.AVAILABLE:
            return QCoreApplication.translate("Labels", "Available")
        case OfficerStatus.BUSY:
            return QCoreApplication.translate("Labels", "Busy")
        case OfficerStatus.INTERVENTION:
            return QCoreApplication.translate("Labels", "On intervention")
        case OfficerStatus.EMERGENCY:
            return QCoreApplication.translate("Labels", "Emergency")
    return QCoreApplication.translate("Labels", "Off duty")


def alarm_action_label(action: str) -> str:
    """A history step's action (the service writes them in English, lower case)."""
    match action:
        case "raised":
            return QCoreApplication.translate("Labels", "Raised")
        case "acknowledged":
            return QCoreApplication.translate("Labels", "Acknowledged")
        case "assigned":
            return QCoreApplication.translate("Labels", "Assigned")
        case "closed":
            return QCoreApplication.translate("Labels", "Closed")
        case "note":
            return QCoreApplication.translate("Labels", "Note")
        case "escalated":
            return QCoreApplication.translate("Labels", "Escalated")
        case "repeated":  # journals from before occurrences were counted
            return QCoreApplication.translate("Labels", "Repeated by the source")
        case "occurred":
            return QCoreApplication.translate("Labels", "Reported again by the source")
    return action


def adapter_state_label(state: str) -> str:
    """An adapter's state (the host reports them in English, lower case)."""
    match state:
        case "starting":
            return QCoreApplication.translate("Labels", "starting")
        case "running":
            return QCoreApplication.translate("Labels", "running")
        case "retrying":
            return QCoreApplication.translate("Labels", "retrying")
        case "failed":
            return QCoreApplication.translate("Labels", "failed")
        case "refused":
            return QCoreApplication.translate("Labels", "credentials refused")
        case "stopped":
            return QCoreApplication.translate("Labels", "stopped")
        case "disabled":
            return QCoreApplication.translate("Labels", "disabled")
    return state


def key_name(keys: QKeySequence | str) -> str:
    """A key as the menus name it, in the operator's language ("Retour", "Ctrl+Maj+F"): the
    one source for key names written in buttons, tips and placeholders."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


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


def journal_problem_label(problem: str) -> str:
    """The journal's problem (app.core.journal.explain) in the operator's language."""
    match problem:
        case "another program holds the journal file (database is locked)":
            return QCoreApplication.translate("Labels", "another program holds the journal file")
        case "the disk holding the journal is full":
            return QCoreApplication.translate("Labels", "the disk holding the journal is full")
        case "the journal file cannot be written (read-only)":
            return QCoreApplication.translate(
                "Labels", "the journal file cannot be written (read-only)")
        case "the disk holding the journal failed to write (I/O error)":
            return QCoreApplication.translate(
                "Labels", "the disk holding the journal failed to write")
        case "the journal file is damaged":
            return QCoreApplication.translate("Labels", "the journal file is damaged")
    return problem


_ROOM_PROBLEMS: tuple[tuple[str, str], ...] = (
    # app.store.connection.explain's sentences, with the server's name as {0}
    (r"the database server (\S+) does not answer \(connection refused\)",
     str(QT_TRANSLATE_NOOP(
         "Labels", "the database server {0} does not answer (connection refused)"))),
    (r"the database server (\S+) does not answer \(timed out\)",
     str(QT_TRANSLATE_NOOP(
         "Labels", "the database server {0} does not answer (timed out)"))),
    (r"the connection to the database server (\S+) was lost",
     str(QT_TRANSLATE_NOOP(
         "Labels", "the connection to the database server {0} was lost"))),
    (r"the database server (\S+) refused the password of user .*",
     str(QT_TRANSLATE_NOOP(
         "Labels", "the database server {0} refused this console's password"))),
    (r"the database server (\S+) has no disk space left",
     str(QT_TRANSLATE_NOOP(
         "Labels", "the database server {0} has no disk space left"))),
)


def room_problem_label(problem: str) -> str:
    """A room's database problem (app.store.connection.explain) in the operator's language;
    one the console has no words for is shown as it came."""
    for pattern, text in _ROOM_PROBLEMS:
        m = re.fullmatch(pattern, problem.strip())
        if m:
            return QCoreApplication.translate("Labels", text).format(m.group(1))
    return problem
