"""Events that flow through the hub, from adapters and services to the journal and the UI.

Adapters emit the *reported* events (what the world said). Services turn alarm reports into
`AlarmChanged` events after journaling them. Every event is a frozen dataclass with a
`kind` used as its name in the journal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from app.core.alarm_words import neutral_title
from app.core.model import (
    Alarm,
    AlarmFacts,
    AlarmType,
    Camera,
    LatLon,
    Officer,
    OfficerStatus,
    PositionFix,
    utc_now,
)


@dataclass(frozen=True, slots=True)
class Event:
    kind: ClassVar[str] = "event"


@dataclass(frozen=True, slots=True)
class CameraAnnounced(Event):
    """An adapter declares a camera it serves (at start, or when discovered)."""

    kind: ClassVar[str] = "camera"
    camera: Camera


@dataclass(frozen=True, slots=True)
class CameraStatusChanged(Event):
    kind: ClassVar[str] = "camera_status"
    camera_id: str
    online: bool
    detail: str = ""
    time: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class RecordingStateChanged(Event):
    """The recorder's state for one camera changed (recording, a gap and why, disk full,
    error). Journaled like a camera's status, so a room's seats see it too. (A storage
    folder nearing its budget is an AdapterStatus: app/services/recorder/budget.py.)"""

    kind: ClassVar[str] = "recording_state"
    camera_id: str
    state: str  # app.core.recording.RecordingState's value
    detail: str = ""
    time: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class BodyCamLiveChanged(Event):
    """A body camera started or stopped streaming live (e.g. started by a holster sensor)."""

    kind: ClassVar[str] = "bodycam_live"
    camera_id: str
    officer_id: str
    live: bool
    reason: str = ""
    time: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class OfficerAnnounced(Event):
    kind: ClassVar[str] = "officer"
    officer: Officer


@dataclass(frozen=True, slots=True)
class OfficerStatusChanged(Event):
    kind: ClassVar[str] = "officer_status"
    officer_id: str
    status: OfficerStatus
    time: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class PositionReported(Event):
    kind: ClassVar[str] = "position"
    fix: PositionFix


# A source that did not get its acknowledgement sends the same message again within seconds
# to minutes (DC-09 panels, webhook senders, MQTT redelivery): the same message key within
# this window is a retransmission. Past it, the same key is taken for a new message (a
# panel's sequence numbers wrap and restart). The alarm book applies it; an adapter's own
# fast path must never answer for longer.
RETRANSMISSION_WINDOW_S = 600.0


@dataclass(frozen=True, slots=True)
class AlarmReported(Event):
    """What a source said about an alarm. (source, source_id) names the alarm (the
    condition: a zone of a panel, a sensor's event); `message_id` names this message."""

    kind: ClassVar[str] = "alarm_report"
    source: str
    source_id: str
    type: AlarmType
    priority: int
    title: str
    time: datetime
    position: LatLon | None = None
    camera_ids: tuple[str, ...] = ()
    officer_id: str | None = None
    # The identity of the *message* (a panel's sequence and timestamp, a request's id):
    # the same message sent again is a retransmission, acknowledged and ignored; another
    # message with the same (source, source_id) is a new occurrence. Empty: source_id.
    message_id: str = ""
    # what the alarm is about, as data: each seat words the title in its own language;
    # given facts and no title, `title` is their neutral (English) wording
    facts: AlarmFacts | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.priority <= 4:
            raise ValueError(f"alarm priority must be 1..4, got {self.priority}")
        if not self.source or not self.source_id:
            raise ValueError("an alarm report needs a source and a source id")
        if self.facts is not None and not self.title:
            object.__setattr__(self, "title", neutral_title(self.type, self.facts))

    @property
    def message_key(self) -> str:
        """What a retransmission of this message repeats."""
        return self.message_id or self.source_id


@dataclass(frozen=True, slots=True)
class AlarmChanged(Event):
    """An alarm's new state, emitted by services only after it is durable in the journal."""

    kind: ClassVar[str] = "alarm"
    alarm: Alarm
    is_new: bool = False
    occurred: bool = False  # the source reported it again (a new occurrence): show it again


@dataclass(frozen=True, slots=True)
class AdapterStatus(Event):
    """Health of one adapter instance, for the status bar and the adapters panel."""

    kind: ClassVar[str] = "adapter_status"
    adapter: str
    state: str  # starting, running, retrying, refused, failed, stopped, disabled
    detail: str = ""
    time: datetime = field(default_factory=utc_now)
    messages: int = 0  # messages received from the system so far (before parsing)
    events: int = 0  # events produced from them
    rejected: int = 0  # inputs refused so far (malformed, out of range, unknown device)
    last_message: datetime | None = None


@dataclass(frozen=True, slots=True)
class GeofenceCrossed(Event):
    """An officer entered or left a patrol sector or geofence of the site file."""

    kind: ClassVar[str] = "geofence"
    officer_id: str
    zone_id: str
    zone_name: str
    entered: bool  # False: left
    position: LatLon
    time: datetime = field(default_factory=utc_now)


@dataclass(frozen=True, slots=True)
class JournalStatus(Event):
    """Whether the journal is storing what happens; while it is not, how much waits.
    Shown loudly to the operator (never journaled: it is about the journal itself)."""

    kind: ClassVar[str] = "journal_status"
    ok: bool
    problem: str = ""  # plain words
    since: datetime = field(default_factory=utc_now)
    waiting_reports: int = 0  # alarm reports not yet stored (their sources not acknowledged)
    waiting_actions: int = 0  # operator actions and escalations not yet stored
    # the journal was found unusable at start and replaced: where the old file was kept
    # (untouched), why, and what could be carried over from it ("" when none of this)
    recovered_from: str = ""
    recovery_problem: str = ""
    saved_alarms: int = 0
    saved_actions: int = 0
    saved_events: int = 0


@dataclass(frozen=True, slots=True)
class SeatInfo:
    """One process attached to a room's shared journal: an operator's seat or the service."""

    seat_id: str
    role: str  # "seat" or "service"
    workstation: str  # host name
    user: str  # the operator signed in at the seat (the OS user until issue 11's logins)
    since: datetime  # UTC, when it attached
    last_seen: datetime  # UTC, its last heartbeat


@dataclass(frozen=True, slots=True)
class SeatsChanged(Event):
    """Who is attached to the room's journal now (the whole list, each time it changes).
    Never journaled: it is read from the journal's seat table."""

    kind: ClassVar[str] = "seats"
    seats: tuple[SeatInfo, ...] = ()


@dataclass(frozen=True, slots=True)
class RoomStatus(Event):
    """A seat's link to its room: the shared database and the console service. While either
    is lost the seat keeps what it shows, marked stale since `since`, and reconnects by
    itself; the operator sees it in a red band. Never journaled."""

    kind: ClassVar[str] = "room_status"
    database_ok: bool
    service_ok: bool
    problem: str = ""  # plain words, empty when both are ok
    since: datetime = field(default_factory=utc_now)  # when the current state began
    service: str = ""  # the service's workstation, when known
