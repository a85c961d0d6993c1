"""An incident: what a shift chief replays. A time range, the cameras and officers to look
at, a title and a note; made from an alarm (its time plus and minus a margin, its cameras,
the officers nearest to it) or by hand, saved in the journal and reopened later. Bookmarks
are instants of it worth coming back to, each with a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

DEFAULT_MARGIN = timedelta(minutes=2)  # before and after an alarm's span


class IncidentError(ValueError):
    """An incident that cannot be saved as given, in plain words."""


@dataclass(frozen=True, slots=True)
class Incident:
    title: str
    start: datetime  # UTC
    end: datetime  # UTC
    cameras: tuple[str, ...] = ()
    officers: tuple[str, ...] = ()
    note: str = ""
    alarm_id: str = ""  # the alarm it was made from, if any
    created_by: str = ""
    created: datetime | None = None
    id: int = 0  # 0 until the journal stores it

    def check(self) -> None:
        if not self.title.strip():
            raise IncidentError("an incident needs a title")
        if self.end <= self.start:
            raise IncidentError("the incident ends before it starts")
        if not (self.cameras or self.officers):
            raise IncidentError("an incident needs at least one camera or one officer")

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Bookmark:
    incident_id: int
    at: datetime  # UTC
    note: str
    by: str
    created: datetime | None = None
    id: int = 0
