"""Destroying recordings: the files first, then their index rows together with the
register's row and the access log's row, in one transaction. A file already gone is fine
(a purge cut short by a crash runs again); a file that cannot be removed keeps its row.

Both the disk budget (oldest unheld first, down to 95 % of it) and retention (older than
the site's `fixed_video_days`, CSI L252-5) come through here, and never touch a segment an
active hold keeps (the journal's `deletable_segments` leaves those out).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from app.core.holds import RegisterRow
from app.core.journal import JournalStore
from app.core.journal_recordings import segments_detail
from app.core.recording import Segment

log = logging.getLogger(__name__)
WHAT = "recordings"  # the register's word for them
BATCH = 500  # segments destroyed per transaction


def destroy(journal: JournalStore, segments: Sequence[Segment], rule: str, now: datetime,
            gaps_before: datetime | None = None) -> int:
    """Remove these segments' files, then forget those whose file is gone (and the gaps
    that ended before `gaps_before`: retention). Returns how many were destroyed."""
    gone: list[Segment] = []
    for seg in segments:
        try:
            Path(seg.path).unlink(missing_ok=True)
        except OSError as exc:  # kept, and its row with it: said, tried again next time
            log.error("recordings: %s cannot be deleted: %s", seg.path, exc)
            continue
        gone.append(seg)
        _drop_empty_folder(Path(seg.path).parent)
    if not gone:
        return 0
    row = RegisterRow(now, rule, WHAT, len(gone), min(s.start for s in gone),
                      max(s.end for s in gone), segments_detail(gone))
    return journal.forget_segments(gone, row, gaps_before)


def _drop_empty_folder(folder: Path) -> None:
    """A run's folder once its last segment is gone (its list alone is no recording)."""
    try:
        if not any(folder.glob("*.mp4")):
            (folder / "list.csv").unlink(missing_ok=True)
            folder.rmdir()
    except OSError:
        pass  # FFmpeg still writes there, or another file: left as it is


def purge_expired(journal: JournalStore, before: datetime, rule: str, now: datetime,
                  batch: int = BATCH) -> int:
    """Retention: every segment that ended before `before` and no hold keeps."""
    total = 0
    while True:
        old = journal.deletable_segments(None, batch, before=before)
        done = destroy(journal, old, rule, now, gaps_before=before) if old else 0
        total += done
        if len(old) < batch or done == 0:
            return total
