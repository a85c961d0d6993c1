"""The checklist shown for an alarm: the site file's steps as the installer wrote them, or
the console's own steps for the type, in the operator's language.

A ticked step is journaled as a note naming its `key`: the English source of a built-in
step (so a tick made in French still shows as ticked after a switch to English, and on a
seat in the other language), the text itself for a site file's step.
"""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from app.core.model import AlarmType
from app.core.site import Site

_CONTEXT = "Procedures"
_CHECK_VIDEO = QT_TRANSLATE_NOOP("Procedures", "Check the video to confirm or dismiss")
_RADIO = QT_TRANSLATE_NOOP("Procedures", "Contact the officer by radio")



def _steps(*texts: object) -> tuple[str, ...]:
    """Steps marked for Qt's translation tools (QT_TRANSLATE_NOOP is typed `object`)."""
    return tuple(str(t) for t in texts)


DEFAULT_STEPS: dict[AlarmType, tuple[str, ...]] = {
    AlarmType.WEAPON_DRAWN: _steps(
        QT_TRANSLATE_NOOP("Procedures", "Show the officer's body camera and the cameras nearby"),
        _RADIO,
        QT_TRANSLATE_NOOP("Procedures", "Send the nearest patrol as back-up"),
        QT_TRANSLATE_NOOP("Procedures",
                          "Alert the Police nationale (17) if the threat is confirmed"),
    ),
    AlarmType.BODYCAM_EMERGENCY: _steps(
        QT_TRANSLATE_NOOP("Procedures", "Show the officer's body camera"),
        _RADIO,
        QT_TRANSLATE_NOOP("Procedures", "Send the nearest patrol"),
    ),
    AlarmType.GUNSHOT: _steps(
        QT_TRANSLATE_NOOP("Procedures", "Show the cameras near the sensor"),
        QT_TRANSLATE_NOOP("Procedures", "Confirm visually"),
        QT_TRANSLATE_NOOP("Procedures", "Alert the Police nationale (17)"),
        QT_TRANSLATE_NOOP("Procedures", "Keep patrols out of the danger zone"),
    ),
    AlarmType.INTRUSION: _steps(
        _CHECK_VIDEO,
        QT_TRANSLATE_NOOP("Procedures", "Call the building's on-call contact"),
        QT_TRANSLATE_NOOP("Procedures", "Send a patrol if the intrusion is confirmed"),
    ),
    AlarmType.LPR_HIT: _steps(
        QT_TRANSLATE_NOOP("Procedures", "Check the plate reading on the picture"),
        QT_TRANSLATE_NOOP("Procedures", "Look the vehicle up in the stolen vehicles file"),
        QT_TRANSLATE_NOOP("Procedures", "Follow the vehicle on the cameras"),
        QT_TRANSLATE_NOOP("Procedures", "Inform the Police nationale"),
    ),
    AlarmType.VIDEO_ANALYTICS: _steps(
        _CHECK_VIDEO,
        QT_TRANSLATE_NOOP("Procedures", "Close as a false alarm or send a patrol"),
    ),
    AlarmType.CITIZEN_REPORT: _steps(
        QT_TRANSLATE_NOOP("Procedures", "Call the person who reported it back"),
        QT_TRANSLATE_NOOP("Procedures", "Send a patrol if needed"),
    ),
}
_BUILT_IN = frozenset(step for steps in DEFAULT_STEPS.values() for step in steps)


class Step(NamedTuple):
    key: str  # what a tick journals
    text: str  # what the operator reads


def procedure(site: Site | None, t: AlarmType) -> list[Step]:
    """The steps for an alarm of type `t`: the site file's (`procedure = [...]`, even
    empty) or, when it sets none, the console's defaults."""
    written = site.alarm_type(t).procedure if site is not None else None
    if written is not None:
        return [Step(s, s) for s in written]
    return [Step(s, step_text(s)) for s in DEFAULT_STEPS.get(t, ())]


def step_text(key: str) -> str:
    """A journaled step in the operator's language (a site file's step: as written)."""
    return QCoreApplication.translate(_CONTEXT, key) if key in _BUILT_IN else key
