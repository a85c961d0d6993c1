"""Events that flow through the hub, from adapters and services to the journal and the UI.

Adapters emit the *reported* events (what the world said). Services turn alarm reports into
`AlarmChanged` events after journaling them. Every event is a frozen dataclass with a
`kind` used as its name in the journal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from app.core.model import (
    Alarm,
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


@dataclass(frozen=True, slots=True)
class AlarmReported(Event):
    """What a source said about an alarm. De-duplicated on (source, source_id) by services."""

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

    def __post_init__(self) -> None:
        if not 1 <= self.priority <= 4:
            raise ValueError(f"alarm priority must be 1..4, got {self.priority}")
        if not self.source or not self.source_id:
            raise ValueError("an alarm report needs a source and a source id")


@dataclass(frozen=True, slots=True)
class AlarmChanged(Event):
    """An alarm's new state, emitted by services only after it is durable in the journal."""

    kind: ClassVar[str] = "alarm"
    alarm: Alarm
    is_new: bool = False


@dataclass(frozen=True, slots=True)
class AdapterStatus(Event):
    """Health of one adapter instance, for the status bar and the adapters panel."""

    kind: ClassVar[str] = "adapter_status"
    adapter: str
    state: str  # starting, running, retrying, failed, stopped
    detail: str = ""
    time: datetime = field(default_factory=utc_now)
    received: int = 0  # events emitted so far
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
