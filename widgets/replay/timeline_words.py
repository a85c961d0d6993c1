"""What the timeline says in words: why a camera has no recording, and what a mark is.
Translated at each call (context "Timeline") so a language switch shows at the next tooltip."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from app.core.recording import Gap, GapReason
from app.ui.labels import local_time, priority_label
from app.ui.timeline_model import Mark, MarkKind


def gap_reason_label(reason: GapReason) -> str:
    match reason:
        case GapReason.CAMERA_UNREACHABLE:
            return QCoreApplication.translate(
                "Timeline", "the camera could not be reached")
        case GapReason.RECORDER_DOWN:
            return QCoreApplication.translate(
                "Timeline", "the recorder was not running")
        case GapReason.WATCHDOG:
            return QCoreApplication.translate(
                "Timeline", "the recording stalled and was restarted")
        case GapReason.DISK_FULL:
            return QCoreApplication.translate(
                "Timeline", "the storage disk was full")
        case GapReason.STOPPED:
            return QCoreApplication.translate(
                "Timeline", "recording was stopped on purpose")
        case GapReason.PURGED:
            return QCoreApplication.translate(
                "Timeline", "recorded, then deleted (retention period or disk budget)")
        case GapReason.NOT_RECORDED:
            return QCoreApplication.translate(
                "Timeline", "the video management system recorded nothing here")


def gap_tip(camera_name: str, gap: Gap, now: datetime | None = None) -> str:
    """"Cam 3: no recording from 14:02:03 to 14:02:40: the camera could not be reached"."""
    reason = gap_reason_label(gap.reason)
    since = local_time(gap.start, now)
    if gap.end is None:
        words = QCoreApplication.translate("Timeline", "{0}: no recording since {1}: {2}")
        words = words.format(camera_name, since, reason)
    else:
        words = QCoreApplication.translate("Timeline", "{0}: no recording from {1} to {2}: {3}")
        words = words.format(camera_name, since, local_time(gap.end, now), reason)
    return f"{words}\n{gap.detail}" if gap.detail else words


def mark_tip(mark: Mark, now: datetime | None = None) -> str:
    at = local_time(mark.at, now)
    match mark.kind:
        case MarkKind.ALARM:
            words = QCoreApplication.translate("Timeline", "Alarm {0} at {1}: {2}")
            return words.format(priority_label(mark.priority), at, mark.text)
        case MarkKind.ACTION:
            words = QCoreApplication.translate("Timeline", "Operator action at {0}: {1}")
            return words.format(at, mark.text)
        case MarkKind.BOOKMARK:
            words = QCoreApplication.translate("Timeline", "Bookmark at {0}: {1}")
            return words.format(at, mark.text)
