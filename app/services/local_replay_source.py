"""Replay from the local recordings: the journal's segment index, as a `ReplaySource`.

Each recorded segment is one `Playable`: its pictures' pts restart at 0 in every segment
(the recorder's ``-reset_timestamps 1``), and the segment's `start` is the wall-clock
instant of its first picture, so pts 0 is `start` (offset 0).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from app.core.recording import Gap, Playable, Segment


class RecordingIndex(Protocol):
    """The journal's two questions about recordings (the recorder keeps them)."""

    def recorded_segments(self, camera: str, start: datetime, end: datetime) -> list[Segment]: ...

    def recording_gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]: ...


class LocalSource:
    def __init__(self, index: RecordingIndex) -> None:
        self._index = index

    @property
    def name(self) -> str:
        return "local"

    def playables(self, camera: str, start: datetime, end: datetime) -> list[Playable]:
        segments = sorted(self._index.recorded_segments(camera, start, end),
                          key=lambda s: s.start)
        return [Playable(camera=s.camera, start=s.start, end=s.end, uri=s.path)
                for s in segments]

    def gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        return sorted(self._index.recording_gaps(camera, start, end), key=lambda g: g.start)
