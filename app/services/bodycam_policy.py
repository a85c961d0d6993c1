"""Who may see a body camera live, and the log the law asks for: one rule, decided here.

French law (Code de la sécurité intérieure):
- L241-2: live viewing of a body-worn camera's images is allowed when the safety of the
  officers or of other people is threatened. An OPEN weapon-drawn or emergency alarm about
  the wearer is such a threat by itself; a closed one is over, and is no reason any more.
  Otherwise the operator states the threat.
- R241-14 (and R241-5 for the fields): every consultation is logged with who, when, on which
  camera and why. The log row is written durably BEFORE the picture is shown: if it cannot
  be written, the camera is not opened (fail closed) and the operator is told why.

The policy judges alarms in their CURRENT state, as the alarm service holds them (its book,
the one source of truth), never a copy a window kept: a copy shown before the alarm was
closed would otherwise still count as a reason. It judges twice: when the operator acts
(must a reason be asked?) and again when the viewing is logged (the alarm may have been
closed in between: then, with no reason of the operator's, nothing is shown).

Widgets ask this policy (through `app.ui`); they never decide on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.core.access import Purpose
from app.core.model import Alarm, AlarmType, Camera, CameraKind, OperatorAction, utc_now
from app.services.gate import Session

# Alarm types that are, by themselves, a threat to the wearer's safety (CSI L241-2).
SAFETY_ALARMS = frozenset({AlarmType.WEAPON_DRAWN, AlarmType.BODYCAM_EMERGENCY})
ACTION = "bodycam_live_view"

CurrentAlarms = Callable[[], Iterable[Alarm]]  # the alarm service's alarms, as they are now


class BodyCamRefused(Exception):
    """The body camera may not be opened: `kind` says why ("no_reason": none given;
    "not_logged": the access log could not be written, `detail` says what failed)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        self.kind, self.detail = kind, detail
        super().__init__(
            "no reason was given: live viewing of a body camera needs a threat to the "
            "officers' safety (CSI L241-2)" if kind == "no_reason" else
            f"the access log cannot be written ({detail}): a body camera is shown only once "
            f"its viewing is logged (CSI R241-14)")


@dataclass(frozen=True, slots=True)
class Decision:
    """What opening `camera` needs: nothing (a fixed camera), a reason the operator gives,
    or nothing more than the standing reason an open safety alarm already is.
    `via_alarm`: the alarm the operator reached the camera from, if any."""

    camera: Camera
    is_body: bool
    standing_reason: str = ""  # e.g. "alarm 12 (weapon_drawn): Arme sortie PM 11"
    via_alarm: str | None = None

    @property
    def must_ask(self) -> bool:
        return self.is_body and not self.standing_reason


def is_threat_to(camera: Camera, alarm: Alarm) -> bool:
    """An open weapon-drawn / emergency alarm about the camera's wearer or naming it."""
    return alarm.is_open and alarm.type in SAFETY_ALARMS and (
        (camera.officer_id is not None and alarm.officer_id == camera.officer_id)
        or camera.id in alarm.camera_ids)


def safety_alarm_for(camera: Camera, alarms: Iterable[Alarm]) -> Alarm | None:
    """The first alarm of `alarms` that is a standing reason to view `camera` live."""
    return next((a for a in alarms if is_threat_to(camera, a)), None)


def reason_of_alarm(alarm: Alarm) -> str:
    return f"alarm {alarm.id} ({alarm.type.value}): {alarm.title}"


class BodyCamPolicy:
    """Decides and logs. `record` stores one audit row durably or raises (the journal's
    `record_action`): that is what makes it fail closed. `alarms` gives the alarm service's
    alarms as they are now (callable from any thread)."""

    def __init__(self, record: Callable[[OperatorAction], None],
                 alarms: CurrentAlarms = tuple) -> None:
        self._record = record
        self._alarms = alarms

    def _standing(self, camera: Camera, via_alarm: str | None) -> Alarm | None:
        """The alarm that is a reason by itself, now. Reached from an alarm, only that
        alarm counts: reviewing a closed alarm must not open a body cam because of
        another one the operator did not choose."""
        alarms = self._alarms()
        if via_alarm is not None:
            alarms = (a for a in alarms if a.id == via_alarm)
        return safety_alarm_for(camera, alarms)

    def decide(self, camera: Camera, via_alarm: str | None = None) -> Decision:
        """What opening `camera` needs. `via_alarm`: the id of the alarm the operator is
        opening, if that is how the camera is reached."""
        if camera.kind is not CameraKind.BODY:
            return Decision(camera, is_body=False)
        standing = self._standing(camera, via_alarm)
        return Decision(camera, True, reason_of_alarm(standing) if standing else "", via_alarm)

    def open(self, decision: Decision, operator: str, via: str, reason: str = "",
             session: Session | None = None) -> None:
        """Log the viewing, durably, or raise BodyCamRefused: no reason (the standing
        reason is judged again: the alarm may have closed since), or the log row cannot be
        written. Call it off the GUI thread (it waits for the disk)."""
        if not decision.is_body:
            return
        standing = (self._standing(decision.camera, decision.via_alarm)
                    if decision.standing_reason else None)
        why = reason_of_alarm(standing) if standing else reason.strip()
        if not why:
            raise BodyCamRefused("no_reason")
        user = session.user if session is not None else None
        action = OperatorAction(
            utc_now(), user.login if user else operator, ACTION,
            f"camera:{decision.camera.id}", f"{via}: {why}",
            user_name=user.name if user else "", role=user.role.value if user else "",
            workstation=session.workstation if session else "",
            purpose=Purpose.SAFETY.value, cameras=(decision.camera.id,))
        try:
            self._record(action)
        except Exception as exc:
            raise BodyCamRefused("not_logged", str(exc)) from exc
