"""Officer announcements from position feeds, sent once per officer (and again only when
the callsign or unit changes): a 1 Hz tracker must not re-announce its wearer every fix."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from app.core.events import Event, OfficerAnnounced
from app.core.model import Officer


class Announcer:
    def __init__(self) -> None:
        self._seen: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def filter(self, events: Iterable[Event]) -> list[Event]:
        out: list[Event] = []
        for e in events:
            if isinstance(e, OfficerAnnounced):
                key = (e.officer.callsign, e.officer.unit)
                with self._lock:
                    if self._seen.get(e.officer.id) == key:
                        continue
                    self._seen[e.officer.id] = key
            out.append(e)
        return out

    def forget(self, event: Event) -> None:
        """The store failed this announcement: make the next one go out again."""
        if isinstance(event, OfficerAnnounced):
            with self._lock:
                if self._seen.get(event.officer.id) == (event.officer.callsign,
                                                        event.officer.unit):
                    del self._seen[event.officer.id]


def announce(officer_id: str, callsign: str, unit: str, source: str) -> OfficerAnnounced:
    return OfficerAnnounced(Officer(officer_id, callsign, unit, source=source))
