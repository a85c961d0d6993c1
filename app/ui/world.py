"""What the console currently knows of the world, as the GUI thread sees it.

Filled by the hub bridge only (on the GUI thread), read by widgets through `app.ui`:
widgets never reach into adapters. Whether a camera is online is `camera_health`'s answer
(what tiles and adapters saw; "unknown" until one of them did), never a default.
A console is a seat of a room once the room has told who is attached (`seats` is then a
tuple, never None again); `room` is its link to the room's database and service.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from app.core.events import (
    AdapterStatus,
    JournalStatus,
    RecordingStateChanged,
    RoomStatus,
    SeatInfo,
)
from app.core.model import Camera, LatLon, Officer, OfficerStatus, PositionFix
from app.services.camera_health import CameraHealth, Health

__all__ = ["CameraHealth", "Health", "World"]


@dataclass
class World:
    cameras: dict[str, Camera] = field(default_factory=dict)
    officers: dict[str, Officer] = field(default_factory=dict)
    fixes: dict[str, PositionFix] = field(default_factory=dict)
    camera_health: CameraHealth = field(default_factory=CameraHealth)
    live_bodycams: set[str] = field(default_factory=set)
    adapters: dict[str, AdapterStatus] = field(default_factory=dict)
    journal: JournalStatus = field(default_factory=lambda: JournalStatus(ok=True))
    seats: tuple[SeatInfo, ...] | None = None  # None: a single-process console, no room
    room: RoomStatus = field(default_factory=lambda: RoomStatus(database_ok=True,
                                                                service_ok=True))
    # the recorder's latest word per camera (none: this console does not record it)
    recording: dict[str, RecordingStateChanged] = field(default_factory=dict)

    @property
    def is_room(self) -> bool:
        return self.seats is not None

    def positions(self) -> dict[str, LatLon]:
        return {oid: f.position for oid, f in self.fixes.items()}

    def set_status(self, officer_id: str, status: OfficerStatus) -> Officer | None:
        o = self.officers.get(officer_id)
        if o is None:
            return None
        o = replace(o, status=status)
        self.officers[officer_id] = o
        return o

    def officer_of_camera(self, camera_id: str) -> Officer | None:
        cam = self.cameras.get(camera_id)
        if cam is None or cam.officer_id is None:
            return None
        return self.officers.get(cam.officer_id)

    def note_journal(self, status: JournalStatus) -> JournalStatus:
        """The journal's latest state; the news that it was replaced at start stays until
        the operator has seen it (`journal_notice_seen`)."""
        old = self.journal
        if not status.recovered_from and old.recovered_from:
            status = replace(status, recovered_from=old.recovered_from,
                             recovery_problem=old.recovery_problem,
                             saved_alarms=old.saved_alarms, saved_actions=old.saved_actions,
                             saved_events=old.saved_events)
        self.journal = status
        return status

    def journal_notice_seen(self) -> None:
        self.journal = replace(self.journal, recovered_from="", recovery_problem="")
