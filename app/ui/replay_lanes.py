"""What the replay timeline draws, made from what replay knows: each camera's lane from
what its source recorded (spans joined when they touch, the gaps with their reasons), and
the marks of the incident (alarms raised, operators' acts, bookmarks) in the language
shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta

from PySide6.QtCore import QCoreApplication

from app.core.incident import Bookmark
from app.core.recording import Gap, Playable
from app.services.replay_history import ReplayHistory
from app.ui.labels import alarm_action_label, alarm_title
from app.ui.timeline_model import Mark, MarkKind, Span, Track

JOIN = timedelta(seconds=1.5)  # recorded spans closer than this are drawn as one


def spans_of(playables: Sequence[Playable]) -> tuple[Span, ...]:
    out: list[Span] = []
    for p in sorted(playables, key=lambda p: p.start):
        if out and p.start - out[-1].end <= JOIN:
            if p.end > out[-1].end:
                out[-1] = Span(out[-1].start, p.end)
        else:
            out.append(Span(p.start, p.end))
    return tuple(out)


def lanes(cameras: Sequence[str], names: Mapping[str, str],
          coverage: Mapping[str, tuple[list[Playable], list[Gap]]]) -> list[Track]:
    """One lane per camera, in the incident's order; a camera nobody recorded has an empty
    lane (the tile says "no recording")."""
    out = []
    for cam in cameras:
        playables, gaps = coverage.get(cam, ([], []))
        out.append(Track(cam, names.get(cam, cam), spans_of(playables), tuple(gaps)))
    return out


def marks(history: ReplayHistory, bookmarks: Sequence[Bookmark]) -> list[Mark]:
    out = [Mark(a.raised_at, MarkKind.ALARM, alarm_title(a), a.priority, f"alarm:{a.id}")
           for a in history.alarms if history.start <= a.raised_at <= history.end]
    for act in history.acts:
        text = QCoreApplication.translate("Replay", "{0}: {1}").format(
            act.actor, alarm_action_label(act.action))
        if act.detail:
            text += f" — {act.detail}"
        out.append(Mark(act.time, MarkKind.ACTION, text,
                        key=f"alarm:{act.alarm_id}" if act.alarm_id else ""))
    out += bookmark_marks(bookmarks)
    out.sort(key=lambda m: m.at)
    return out


def bookmark_marks(bookmarks: Sequence[Bookmark]) -> list[Mark]:
    return [Mark(b.at, MarkKind.BOOKMARK, b.note, key=f"bookmark:{b.id}") for b in bookmarks]
