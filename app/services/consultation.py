"""A consultation of recorded video: the access-log row written BEFORE any recorded picture is
shown.

CSI R241-14 (body cams) and the CNIL's rules for video-protection ask that every
consultation of recordings be logged with its author, date and time, purpose (*motif*), the
cameras and the time range. It fails closed: no purpose, no permission, another
territory's camera or a log row that cannot be written, and nothing is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.core.model import OperatorAction
from app.services.gate import Refused, Session

CONSULTED = "recordings_viewed"


@dataclass(frozen=True, slots=True)
class Consultation:
    cameras: tuple[str, ...]
    start: datetime
    end: datetime
    purpose: str  # the motive's category (app.core.access.Purpose), the log's column
    reference: str = ""  # a réquisition's number, a case reference
    incident_id: int = 0  # the incident replayed, if any
    words: str = ""  # the motive in the person's words

    @property
    def target(self) -> str:
        return f"incident:{self.incident_id}" if self.incident_id else "recordings"

    def refusal(self) -> str | None:
        """Why this consultation cannot be asked for as it is (None: it can)."""
        if not self.purpose.strip():
            return "recorded video is shown only for a stated purpose (CSI R241-14)"
        if not self.cameras:
            return "no camera to show"
        if self.end <= self.start:
            return "the range ends before it starts"
        return None

    def action(self, session: Session, time: datetime) -> OperatorAction:
        return access_row(session, time, CONSULTED, self.target,
                          [self.words, f"reference {self.reference.strip()}"
                           if self.reference.strip() else ""],
                          self.purpose, self.cameras, self.start, self.end)


def access_row(session: Session, time: datetime, action: str, target: str,
               details: Sequence[str], purpose: str, cameras: tuple[str, ...],
               start: datetime, end: datetime, recipients: tuple[str, ...] = ()
               ) -> OperatorAction:
    """An access-log row about recordings (a consultation, an extraction): who, from
    where, why, which cameras over which range, for whom; `details` joined, blanks left out."""
    u = session.user
    return OperatorAction(time, u.login, action, target,
                          "; ".join(d.strip() for d in details if d.strip()),
                          user_name=u.name, role=u.role.value,
                          workstation=session.workstation, purpose=purpose.strip(),
                          recipients=recipients, cameras=cameras, range_start=start,
                          range_end=end)


def checked(consultation: Consultation) -> Consultation:
    """The consultation, or Refused in plain words (nothing logged: nothing was asked)."""
    why = consultation.refusal()
    if why is not None:
        raise Refused(why)
    return consultation
