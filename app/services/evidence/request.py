"""What a chief asks to export, and the access-log row it makes BEFORE a byte is written.

An export is an extraction (CSI R241-5, R241-14): the log keeps who, when, why, the cameras,
the range, and for whom (the recipients). It fails closed: no purpose, no recipient, a
refused permission or a log row that cannot be written, and nothing is exported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.model import OperatorAction
from app.services.consultation import access_row
from app.services.gate import Refused, Session

EXPORTED = "recordings_exported"  # logged before: who, why, for whom, what
EXPORT_DONE = "export_completed"  # after: the package's name and its manifest's SHA-256
EXPORT_CANCELLED = "export_cancelled"
EXPORT_FAILED = "export_failed"

REFUSALS = {  # ExportRequest.missing()'s keys, in the service's words
    "purpose": "an export is made only for a stated purpose (CSI R241-14)",
    "recipient": "say for whom the export is made: the log keeps its recipients",
    "cameras": "no camera to export",
    "range": "the range ends before it starts",
    "reference": "a judicial hold needs the réquisition's reference",
}


@dataclass(frozen=True, slots=True)
class ExportRequest:
    cameras: tuple[str, ...]
    start: datetime
    end: datetime
    purpose: str  # the motive's category (app.core.access.Purpose), the log's column
    recipient: str  # for whom: the parquet, an OPJ, a court ("Parquet de Melun, OPJ Durand")
    officers: tuple[str, ...] = ()  # whose tracks go in (none: no tracks)
    words: str = ""  # the motive in the chief's words
    reference: str = ""  # the réquisition's number: the hold's reference too
    incident_id: int = 0
    incident_title: str = ""
    hold: bool = False  # place a judicial hold on the range and cameras
    language: str = "fr"  # the report's language
    make_zip: bool = True

    @property
    def target(self) -> str:
        return f"incident:{self.incident_id}" if self.incident_id else "recordings"

    def missing(self) -> str | None:
        """What this export still lacks, as a key of REFUSALS (None: nothing): the log's
        words come from it, and a dialog may say it in the chief's language."""
        if not self.purpose.strip():
            return "purpose"
        if not self.recipient.strip():
            return "recipient"
        if not self.cameras:
            return "cameras"
        if self.end <= self.start:
            return "range"
        if self.hold and not self.reference.strip():
            return "reference"
        return None

    def refusal(self) -> str | None:
        """Why this export cannot be asked for as it is (None: it can)."""
        key = self.missing()
        return REFUSALS[key] if key is not None else None

    def action(self, session: Session, time: datetime) -> OperatorAction:
        return access_row(session, time, EXPORTED, self.target,
                          [self.words, f"reference {self.reference.strip()}"
                           if self.reference.strip() else "",
                           "judicial hold placed" if self.hold else ""],
                          self.purpose, self.cameras, self.start, self.end,
                          (self.recipient.strip(),))


def checked(request: ExportRequest) -> ExportRequest:
    """The request, or Refused in plain words (nothing logged: nothing was asked)."""
    why = request.refusal()
    if why is not None:
        raise Refused(why)
    return request
