"""What the replay timeline draws, as plain frozen data: one lane per camera (its recorded
spans and its gaps, each gap with its reason) and the marks of the incident (alarms,
operator actions, bookmarks). Qt-free on purpose: the replay window builds these from the
journal and the segment index, tests build them by hand, the widget only paints them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.core.recording import Gap, Segment

JOIN = timedelta(milliseconds=100)  # segments closer than this are one recorded span


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


def recorded_spans(segments: Iterable[Segment], join: timedelta = JOIN) -> tuple[Span, ...]:
    """The recorded time of one camera as few spans: a week of 10-s segments end to end is
    one span, not 60,480 (build this off the GUI thread; the timeline joins them anyway,
    but a span per segment costs it about 60 ms per camera-week to prepare)."""
    spans: list[Span] = []
    for seg in sorted(segments, key=lambda s: s.start):
        if spans and seg.start <= spans[-1].end + join:
            if seg.end > spans[-1].end:
                spans[-1] = Span(spans[-1].start, seg.end)
        else:
            spans.append(Span(seg.start, seg.end))
    return tuple(spans)
