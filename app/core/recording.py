"""What the recorder writes and replay reads: segments of recorded video, the gaps between
them, and the recording state of a camera. No I/O here: the recorder (`app.services`)
makes these, the journal indexes them, a `ReplaySource` hands them to replay.

A segment is a short fragmented MP4 (about 10 s) of one camera's stream, copied as the
camera sent it (never re-encoded). Its `start`/`end` are UTC instants of its first and
last picture, taken from the wall clock when the packets arrived
(`-use_wallclock_as_timestamps`), so the segments of different cameras line up on one
timeline to within the network's delay.

A gap is time with no recording, said as such and why: a replay timeline draws it, an
export lists it, and nobody mistakes "the recorder was down" for "nothing happened".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


class GapReason(enum.StrEnum):
    CAMERA_UNREACHABLE = "camera_unreachable"  # the stream could not be opened or stalled
    RECORDER_DOWN = "recorder_down"  # the recorder (or its machine) was not running
    WATCHDOG = "watchdog"  # FFmpeg stopped writing and was restarted
    DISK_FULL = "disk_full"  # the storage folder could not take more
    STOPPED = "stopped"  # recording of this camera was stopped on purpose
    PURGED = "purged"  # recorded, then destroyed (retention or the disk budget)
    NOT_RECORDED = "not_recorded"  # a VMS that replay asks has nothing here


class RecordingState(enum.StrEnum):
    """Shown on the tile and in the camera list."""

    RECORDING = "recording"
    GAP = "gap"  # should be recording and is not (camera unreachable, restarting)
    DISK_FULL = "disk_full"
    ERROR = "error"  # the recorder cannot run for this camera (FFmpeg missing, bad folder)
    OFF = "off"  # the site does not record this camera


@dataclass(frozen=True, slots=True)
class Segment:
    camera: str
    start: datetime  # UTC, first picture
    end: datetime  # UTC, end of the last picture
    path: str  # absolute, on the machine that records
    size: int  # bytes
    sha256: str  # hex, of the file as indexed
    storage: str = ""  # the storage folder (its budget) it lives in
    partial: bool = False  # recovered after a crash: ends where the data stopped
    id: int = 0  # 0 until the journal stores it

    @property
    def duration(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Gap:
    camera: str
    start: datetime
    end: datetime | None  # None: still going on
    reason: GapReason
    detail: str = ""
    id: int = 0


@dataclass(frozen=True, slots=True)
class Playable:
    """Something a replay decoder can open for one camera over [start, end): a local
    segment file or a VMS's clip URL. A picture at media time `pts` seconds (in the file's
    own timeline) was seen at ``start + (pts - offset_s)``."""

    camera: str
    start: datetime
    end: datetime
    uri: str  # a path, or an http(s) URL
    offset_s: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()  # e.g. a VMS's session token


class ReplaySource(Protocol):
    """Where replay gets recorded video: the local recordings (the journal's index) or a
    VMS's playback (an adapter with the `playback` capability)."""

    @property
    def name(self) -> str: ...

    def playables(self, camera: str, start: datetime, end: datetime) -> list[Playable]:
        """What covers [start, end) for `camera`, in time order (may be empty)."""
        ...

    def gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        """The known holes in [start, end), in time order."""
        ...


@dataclass(frozen=True, slots=True)
class RecordingRun:
    """One FFmpeg process recording one camera into its own folder, as the journal keeps it
    for crash recovery: a run with no `ended` was cut short (the recorder was killed), and
    the next start indexes what it left behind. `anchor` is the UTC instant of the stream's
    time 0 (FFmpeg's `start:`), known once FFmpeg has opened the stream."""

    camera: str
    folder: str  # absolute: the run's segments and its segment list (list.csv)
    storage: str  # the storage folder (its budget) the run writes into
    started: datetime
    anchor: datetime | None = None
    ended: datetime | None = None
    id: int = 0


@dataclass(frozen=True, slots=True)
class KeptSpan:
    """What an active hold keeps of the recordings: [start, end) (end None: still open, an
    incident whose alarm is not closed), for `cameras` (empty: every camera)."""

    start: datetime
    end: datetime | None
    cameras: tuple[str, ...] = ()

    def keeps(self, segment: Segment) -> bool:
        if self.cameras and segment.camera not in self.cameras:
            return False
        return segment.end > self.start and (self.end is None or segment.start < self.end)


class VmsSource(ReplaySource, Protocol):
    """A VMS's playback (an adapter with the `playback` capability): it knows which of the
    console's cameras it records."""

    @property
    def cameras(self) -> frozenset[str]: ...
