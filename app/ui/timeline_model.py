"""What the replay timeline draws, as plain frozen data: one lane per camera (its recorded
spans and its gaps, each gap with its reason) and the marks of the incident (alarms,
operator actions, bookmarks). Qt-free on purpose: the replay window builds these from the
journal and the segment index, tests build them by hand, the widget only paints them.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from app.core.recording import Gap


class MarkKind(enum.StrEnum):
    ALARM = "alarm"
    ACTION = "action"  # an operator's act (acknowledged, assigned, note...)
    BOOKMARK = "bookmark"


@dataclass(frozen=True, slots=True)
class Span:
    """Recorded time of one camera: pictures exist from `start` to `end` (UTC)."""

    start: datetime
    end: datetime


@dataclass(frozen=True, slots=True)
class Track:
    """One lane: a camera, what of it was recorded and the holes, said with their reason."""

    camera: str  # the camera's id
    name: str  # what the operator reads
    spans: tuple[Span, ...] = ()
    gaps: tuple[Gap, ...] = ()


@dataclass(frozen=True, slots=True)
class Mark:
    """An instant worth seeing on the timeline. `text` is what its tooltip says (an
    alarm's title, an act in words, a bookmark's note); `key` lets the caller find what it
    stands for when it is clicked ("alarm:12", "bookmark:3")."""

    at: datetime  # UTC
    kind: MarkKind
    text: str
    priority: int = 0  # alarms only: 1 (highest) to 4
    key: str = ""
