"""What a camera's playback hands to the screen: the picture ready to blit, and what the
tile says when there is none."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from app.core.recording import GapReason

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
US = timedelta(microseconds=1)


def to_us(t: datetime) -> int:
    """Microseconds since the epoch: exact, so a picture's time survives a round trip."""
    return (t - EPOCH) // US


def from_us(us: int) -> datetime:
    return EPOCH + us * US


@dataclass(frozen=True, slots=True)
class Frame:
    """A picture converted and scaled by the worker: the GUI thread only blits it."""

    time: datetime  # UTC instant the camera took it
    image: np.ndarray  # RGB, uint8, (height, width, 3), C-contiguous
    seq: int  # grows with every new picture shown (the wall repaints on change)
    is_key: bool
    generation: int = 0  # the run of the clock (ClockState.generation) it is right for


class StatusKind(enum.StrEnum):
    LOADING = "loading"  # the worker is opening the recordings
    PLAYING = "playing"  # a picture of the clock's instant is shown (playing or paused)
    GAP = "gap"  # no recording at this instant (reason when the index knows it)
    NO_RECORDING = "no_recording"  # nothing recorded for this camera in the whole range
    FILE_MISSING = "file_missing"  # the index names a file that is not there
    ERROR = "error"  # the file could not be decoded


@dataclass(frozen=True, slots=True)
class Status:
    kind: StatusKind
    reason: GapReason | None = None  # for GAP, when known
    detail: str = ""  # the file, or the decoder's message, for the log and a tooltip

    def words(self) -> str:
        """Plain English for logs; the tile translates from `kind` and `reason`."""
        text = self.kind.value.replace("_", " ")
        if self.reason is not None:
            text += f" ({self.reason.value.replace('_', ' ')})"
        return text + (f": {self.detail}" if self.detail else "")
