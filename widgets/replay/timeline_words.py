"""What the timeline says in words: why a camera has no recording, and what a mark is.
Translated at each call (context "Timeline") so a language switch shows at the next tooltip."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from app.core.recording import Gap, GapReason
from app.ui.labels import local_time, priority_label
from app.ui.timeline_model import Mark, MarkKind


def _tr(text: str) -> str:
    return QCoreApplication.translate("Timeline", text)


def gap_reason_label(reason: GapReason) -> str:
    match reason:
        case GapReason.CAMERA_UNREACHABLE:
            return _tr("the camera could not be reached")
        case GapReason.RECORDER_DOWN:
            return _tr("the recorder was not running")
        case GapReason.WATCHDOG:
            return _tr("the recording stalled and was restarted")
        case GapReason.DISK_FULL:
            return _tr("the storage disk was full")
        case GapReason.STOPPED:
            return _tr("recording was stopped on purpose")
        case GapReason.PURGED:
            return _tr("recorded, then deleted (retention period or disk budget)")


def gap_tip(camera_name: str, gap: Gap, now: datetime | None = None) -> str:
    """"Cam 3: no recording from 14:02:03 to 14:02:40: the camera could not be reached"."""
    if gap.end is None:
        words = _tr("{0}: no recording since {1}: {2}").format(
            camera_name, local_time(gap.start, now), gap_reason_label(gap.reason))
    else:
        words = _tr("{0}: no recording from {1} to {2}: {3}").format(
            camera_name, local_time(gap.start, now), local_time(gap.end, now),
            gap_reason_label(gap.reason))
    return f"{words}\n{gap.detail}" if gap.detail else words


def mark_tip(mark: Mark, now: datetime | None = None) -> str:
    at = local_time(mark.at, now)
    match mark.kind:
        case MarkKind.ALARM:
            return _tr("Alarm {0} at {1}: {2}").format(
                priority_label(mark.priority), at, mark.text)
        case MarkKind.ACTION:
            return _tr("Operator action at {0}: {1}").format(at, mark.text)
        case MarkKind.BOOKMARK:
            return _tr("Bookmark at {0}: {1}").format(at, mark.text)
