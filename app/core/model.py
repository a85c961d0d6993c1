"""Domain types shared by every layer.

They are plain frozen dataclasses so they cross threads safely and serialise to JSON for
the journal without surprises. Times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime


def utc_now() -> datetime:
    """The one clock of the core (UTC, aware)."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class LatLon:
    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (-90.0 <= self.lat <= 90.0) or not (-180.0 <= self.lon <= 180.0):
            raise ValueError(f"coordinates out of range: {self.lat}, {self.lon}")


class CameraKind(enum.StrEnum):
    FIXED = "fixed"
    BODY = "body"


class StreamRole(enum.StrEnum):
    MAIN = "main"
    SUB = "sub"


@dataclass(frozen=True, slots=True)
class FieldOfView:
    """Where a fixed camera looks: heading in degrees from north, opening angle, reach."""

    heading_deg: float
    angle_deg: float = 60.0
    range_m: float = 80.0


@dataclass(frozen=True, slots=True)
class Streams:
    """Stream URLs of a camera. The sub stream is what tiles play; main for a big tile."""

    main: str
    sub: str | None = None

    def url(self, role: StreamRole) -> str:
        if role is StreamRole.SUB and self.sub:
            return self.sub
        return self.main


@dataclass(frozen=True, slots=True)
class Camera:
    id: str
    name: str
    kind: CameraKind
    streams: Streams
    position: LatLon | None = None
    fov: FieldOfView | None = None
    zone: str = ""
    officer_id: str | None = None  # the wearer of a body camera
    source: str = ""  # the adapter instance that owns it
    ptz: bool = False  # its adapter can move it (Adapter.ptz)
    # stream options for the video engines (site file, per camera)
    network_caching_ms: int = 300  # libvlc's buffer; FFmpeg's RTP reorder delay
    rtsp_tcp: bool = True  # RTP inside the RTSP TCP connection (firewalls drop UDP)
    hw_decoding: bool = False  # ask the engine for hardware decoding where it has it
    # the stream's login: the password stays in the OS keyring under this name and is put
    # into the URL only inside the player (URLs are journaled and shown; passwords never)
    username: str | None = None
    password_secret: str | None = None
    # the territory it belongs to (an intercommunal CSU): only users bound to that commune
    # see it; "": its adapter's commune, else the whole site's (seen by every user)
    commune: str = ""


class OfficerStatus(enum.StrEnum):
    AVAILABLE = "available"
    BUSY = "busy"
    INTERVENTION = "intervention"
    EMERGENCY = "emergency"
    OFF_DUTY = "off_duty"


@dataclass(frozen=True, slots=True)
class Officer:
    id: str
    callsign: str
    unit: str
    status: OfficerStatus = OfficerStatus.AVAILABLE
    body_camera_id: str | None = None
    source: str = ""
    # a kind of unit the console has words for (alarm_words.UNIT_KINDS), shown in the
    # operator's language before `unit` (a name, shown as written); "": `unit` says it all
    unit_kind: str = ""
    commune: str = ""  # the territory it belongs to, as for cameras


@dataclass(frozen=True, slots=True)
class PositionFix:
    officer_id: str
    position: LatLon
    time: datetime
    heading_deg: float | None = None
    speed_mps: float | None = None
    accuracy_m: float | None = None


class AlarmState(enum.StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ASSIGNED = "assigned"
    CLOSED = "closed"


class AlarmOutcome(enum.StrEnum):
    HANDLED = "handled"
    FALSE_ALARM = "false_alarm"
    ESCALATED = "escalated"


class AlarmType(enum.StrEnum):
    """Kinds of alarm the console knows how to present. Adapters may send others as OTHER."""

    WEAPON_DRAWN = "weapon_drawn"
    BODYCAM_EMERGENCY = "bodycam_emergency"
    GUNSHOT = "gunshot"
    INTRUSION = "intrusion"
    LPR_HIT = "lpr_hit"
    VIDEO_ANALYTICS = "video_analytics"
    CITIZEN_REPORT = "citizen_report"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class AlarmFacts:
    """What an alarm is about, as data, so that each seat words its title in its operator's
    language (app.ui.labels.alarm_title). `event` is a key of app.core.alarm_words; the
    other fields are names and words from the site file or the device, shown as written."""

    event: str = ""  # a key of alarm_words.EVENTS; "" or unknown: the alarm type says it
    place: str = ""  # a building, sensor, camera, street or device name
    officer: str = ""  # the officer's callsign (or the id the device gave)
    plate: str = ""  # a number plate read by an LPR camera
    zone: str = ""  # a panel's zone name
    text: str = ""  # the source's own free text


@dataclass(frozen=True, slots=True)
class AlarmStep:
    """One step of an alarm's history: who did what, when."""

    time: datetime
    actor: str  # operator login, or "system" / the adapter name
    action: str  # raised, acknowledged, assigned, closed, note, escalated, occurred
    state: AlarmState
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Alarm:
    """An alarm as the console knows it now. `id` is ours; (source, source_id) is theirs."""

    id: str
    source: str
    source_id: str
    type: AlarmType
    priority: int  # 1 (most urgent) .. 4
    title: str
    raised_at: datetime
    position: LatLon | None = None
    camera_ids: tuple[str, ...] = ()
    officer_id: str | None = None  # the officer the alarm is about (e.g. weapon drawn)
    state: AlarmState = AlarmState.NEW
    assigned_to: str | None = None
    outcome: AlarmOutcome | None = None
    escalated: bool = False
    history: tuple[AlarmStep, ...] = field(default_factory=tuple)
    # how many times the source reported it (retransmissions of one message not counted),
    # and when it last did: a new occurrence brings the alarm back to the operator's eyes
    occurrences: int = 1
    last_occurrence: datetime | None = None
    # the latest messages that reported it, with when they arrived, so that a source's
    # retransmission is recognised as such, even after a restart (bounded)
    messages: tuple[tuple[str, datetime], ...] = ()
    # one more at every change: the UI keeps the newest state of an alarm by it (the history
    # is bounded, so its length alone cannot tell which state is newer)
    revision: int = 0
    # the title as data (None: an alarm journaled before titles were data: `title` says it)
    facts: AlarmFacts | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.priority <= 4:
            raise ValueError(f"alarm priority must be 1..4, got {self.priority}")

    @property
    def last_reported(self) -> datetime:
        return self.last_occurrence or self.raised_at

    @property
    def version(self) -> tuple[int, int]:
        """Orders the states of one alarm: a later state has a greater version (states
        journaled before revisions existed order by their history's length)."""
        return (self.revision, len(self.history))

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.source_id)

    @property
    def is_open(self) -> bool:
        return self.state is not AlarmState.CLOSED


@dataclass(frozen=True, slots=True)
class OperatorAction:
    """Something a person did at the console, for the audit log: who, what, on what, why,
    when. Consultations of body-cam video must be logged with their purpose (CSI R241-14)."""

    time: datetime
    actor: str  # the user's login
    action: str  # acknowledged, assigned, closed, note, bodycam_live_view, ...
    target: str  # "alarm:12", "camera:bc-pm11"
    detail: str = ""
    # the rest of what the access log keeps (the union of CSI R241-14's and R241-5's
    # fields): the user's name and role, the workstation, the purpose (motif), the
    # recipients of a communication, the cameras and the time range concerned
    user_name: str = ""
    role: str = ""
    workstation: str = ""
    purpose: str = ""
    recipients: tuple[str, ...] = ()
    cameras: tuple[str, ...] = ()
    range_start: datetime | None = None
    range_end: datetime | None = None
