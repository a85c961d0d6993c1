"""The recording index in the journal (schema 4): segments, gaps and the recorder's runs.

Replay asks which segments and gaps cover a span of one camera; the recorder indexes each
segment it completes, says where it could not record (a gap, with its reason), and keeps
one row per FFmpeg process (a *run*) so that, after a crash, the next start knows which
folders hold segments nobody indexed yet. The budget and the retention purge ask for the
oldest segments that no hold keeps, delete their files, then forget them here together with
the register's row and the access log's row, in one transaction.

`RecordingIndex` is the part of `JournalStore` this module adds; `SqliteRecordings` is the
SQLite backend's half (mixed into `app.core.journal.Journal`), `app.store.postgres_recordings`
the PostgreSQL one. Times are stored in UTC (SQLite: ISO text of one fixed width, so the
text sorts as time does).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from app.core.audit_chain import canonical_time
from app.core.holds import Hold, RegisterRow
from app.core.model import OperatorAction
from app.core.recording import Gap, GapReason, KeptSpan, RecordingRun, Segment

T = TypeVar("T")

SEGMENTS_PAGE = 500  # segments read at a time when looking for deletable ones

SQLITE_SCHEMA_4 = """
CREATE TABLE IF NOT EXISTS segments (
    id INTEGER PRIMARY KEY,
    camera TEXT NOT NULL,
    start_ts TEXT NOT NULL,
    end_ts TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    storage TEXT NOT NULL DEFAULT '',
    partial INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS segments_camera ON segments (camera, start_ts);
CREATE INDEX IF NOT EXISTS segments_age ON segments (storage, start_ts);
CREATE TABLE IF NOT EXISTS gaps (
    id INTEGER PRIMARY KEY,
    camera TEXT NOT NULL,
    start_ts TEXT NOT NULL,
    end_ts TEXT,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS gaps_camera ON gaps (camera, start_ts);
CREATE TABLE IF NOT EXISTS recording_runs (
    id INTEGER PRIMARY KEY,
    camera TEXT NOT NULL,
    folder TEXT NOT NULL,
    storage TEXT NOT NULL,
    started TEXT NOT NULL,
    anchor TEXT,
    ended TEXT
);
"""

SEGMENT_COLUMNS = "id, camera, start_ts, end_ts, path, size, sha256, storage, partial"
GAP_COLUMNS = "id, camera, start_ts, end_ts, reason, detail"
RUN_COLUMNS = "id, camera, folder, storage, started, anchor, ended"


class RecordingIndex(Protocol):
    """What the recorder, replay and the purges need from the journal about recordings."""

    def recorded_segments(self, camera: str, start: datetime, end: datetime
                          ) -> list[Segment]:
        """The segments of `camera` overlapping [start, end), in time order."""
        ...

    def recording_gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        """The gaps of `camera` overlapping [start, end) (open ones too), in time order."""
        ...

    def add_segments(self, segments: Sequence[Segment]) -> None:
        """Index segments; one already indexed (same path) is left as it is."""
        ...

    def add_gap(self, gap: Gap) -> int: ...
    def close_gap(self, gap_id: int, end: datetime) -> None: ...
    def open_gaps(self, camera: str) -> list[Gap]:
        """Gaps of `camera` still going on (a recorder that died left them open)."""
        ...

    def start_run(self, run: RecordingRun) -> int: ...
    def set_run_anchor(self, run_id: int, anchor: datetime) -> None: ...
    def end_run(self, run_id: int, ended: datetime) -> None: ...
    def unfinished_runs(self, camera: str | None = None) -> list[RecordingRun]:
        """Runs never ended: their recorder was killed (or is recording now)."""
        ...

    def last_recorded(self, camera: str) -> datetime | None:
        """The end of `camera`'s last indexed segment."""
        ...

    def storage_used(self, storage: str) -> int:
        """Bytes the index counts in a storage folder (no disk scan)."""
        ...

    def deletable_segments(self, storage: str | None, limit: int,
                           before: datetime | None = None) -> list[Segment]:
        """Up to `limit` of the oldest segments (of `storage`, else of every folder; ending
        before `before` if given) that no active hold keeps."""
        ...

    def forget_segments(self, segments: Sequence[Segment], register: RegisterRow,
                        gaps_before: datetime | None = None) -> int:
        """Remove these segments' rows (their files are already gone), write the register's
        row and its access-log row, and (`gaps_before`) the gaps that ended before then, in
        ONE transaction. Returns the rows removed."""
        ...


# -- shared by both backends ------------------------------------------------------------
def as_time(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def maybe_time(value: object) -> datetime | None:
    return None if value is None else as_time(value)


def segment_of(row: Sequence[object]) -> Segment:
    id_, camera, start, end, path, size, sha, storage, partial = row
    return Segment(str(camera), as_time(start), as_time(end), str(path), int(str(size)),
                   str(sha), str(storage), bool(partial), int(str(id_)))


def gap_of(row: Sequence[object]) -> Gap:
    id_, camera, start, end, reason, detail = row
    return Gap(str(camera), as_time(start), maybe_time(end), GapReason(str(reason)),
               str(detail), int(str(id_)))


def run_of(row: Sequence[object]) -> RecordingRun:
    id_, camera, folder, storage, started, anchor, ended = row
    return RecordingRun(str(camera), str(folder), str(storage), as_time(started),
                        maybe_time(anchor), maybe_time(ended), int(str(id_)))


def kept_spans(holds: Iterable[Hold], alarm_span: Callable[[str], tuple[datetime, datetime
                                                                         | None] | None]
               ) -> list[KeptSpan]:
    """What active holds keep of the recordings: a range hold its range (for its cameras,
    if it names some); an incident hold its alarm's span, for every camera (the alarm's
    cameras are not the only ones that may have seen it)."""
    out: list[KeptSpan] = []
    for hold in holds:
        if hold.range_start is not None and hold.range_end is not None:
            out.append(KeptSpan(hold.range_start, hold.range_end, hold.cameras))
        if hold.incident:
            span = alarm_span(hold.incident)
            if span is not None:
                out.append(KeptSpan(span[0], span[1]))
    return out


def unheld(segments: Iterable[Segment], kept: Sequence[KeptSpan]) -> list[Segment]:
    return [s for s in segments if not any(k.keeps(s) for k in kept)]


def segments_detail(segments: Sequence[Segment]) -> str:
    """The register's detail: which cameras, how many bytes."""
    cameras = sorted({s.camera for s in segments})
    size = sum(s.size for s in segments)
    return f"cameras {', '.join(cameras)}; {size} bytes"


def register_action(row: RegisterRow, segments: Sequence[Segment]) -> OperatorAction:
    """The access-log row of a deletion of recordings: the cameras and the range (R241-14
    asks for them), on top of the register's own words."""
    action = row.action()
    return OperatorAction(action.time, action.actor, action.action, action.target,
                          action.detail, cameras=tuple(sorted({s.camera for s in segments})),
                          range_start=action.range_start, range_end=action.range_end)


def _t(t: datetime | None) -> str | None:
    return canonical_time(t)


class RecordingReads:
    """The reads of the recording index, the same SQL on both backends: written with `?`,
    run by the backend's `_select` (PostgreSQL's turns the marks into `%s`), times given
    as the backend's driver takes them (`_when`)."""

    def _select(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        raise NotImplementedError

    def _when(self, t: datetime | None) -> object:
        raise NotImplementedError

    def recorded_segments(self, camera: str, start: datetime, end: datetime
                          ) -> list[Segment]:
        return [segment_of(r) for r in self._select(
            f"SELECT {SEGMENT_COLUMNS} FROM segments WHERE camera = ? AND start_ts < ?"
            " AND end_ts > ? ORDER BY start_ts, id",
            (camera, self._when(end), self._when(start)))]

    def recording_gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        return [gap_of(r) for r in self._select(
            f"SELECT {GAP_COLUMNS} FROM gaps WHERE camera = ? AND start_ts < ?"
            " AND (end_ts IS NULL OR end_ts > ?) ORDER BY start_ts, id",
            (camera, self._when(end), self._when(start)))]

    def open_gaps(self, camera: str) -> list[Gap]:
        return [gap_of(r) for r in self._select(
            f"SELECT {GAP_COLUMNS} FROM gaps WHERE camera = ? AND end_ts IS NULL"
            " ORDER BY start_ts, id", (camera,))]

    def unfinished_runs(self, camera: str | None = None) -> list[RecordingRun]:
        sql = f"SELECT {RUN_COLUMNS} FROM recording_runs WHERE ended IS NULL"
        params: tuple[object, ...] = ()
        if camera is not None:
            sql, params = sql + " AND camera = ?", (camera,)
        return [run_of(r) for r in self._select(sql + " ORDER BY id", params)]

    def last_recorded(self, camera: str) -> datetime | None:
        rows = self._select("SELECT max(end_ts) FROM segments WHERE camera = ?", (camera,))
        return maybe_time(rows[0][0]) if rows else None

    def storage_used(self, storage: str) -> int:
        rows = self._select("SELECT coalesce(sum(size), 0) FROM segments WHERE storage = ?",
                            (storage,))
        return int(str(rows[0][0]))

    def _alarm_span(self, alarm_id: str) -> tuple[datetime, datetime | None] | None:
        rows = self._select("SELECT raised_at, updated_at, state FROM alarms WHERE id = ?",
                            (alarm_id,))
        if not rows:
            return None
        raised, updated, state = rows[0]
        return as_time(raised), (as_time(updated) if state == "closed" else None)


class SqliteRecordings(RecordingReads):
    """The SQLite journal's recording index (mixed into `Journal`, which provides these)."""

    _db: sqlite3.Connection
    _lock: threading.Lock

    def _transaction(self, work: Callable[[], T]) -> T:
        raise NotImplementedError

    def _append_audit(self, actions: Sequence[OperatorAction]) -> None:
        raise NotImplementedError

    def holds(self, active_only: bool = True) -> list[Hold]:
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._db.execute(sql, params).fetchall())

    def _select(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        return self._rows(sql, params)

    def _when(self, t: datetime | None) -> object:
        return _t(t)

    def add_segments(self, segments: Sequence[Segment]) -> None:
        if not segments:
            return
        rows = [(s.camera, _t(s.start), _t(s.end), s.path, s.size, s.sha256, s.storage,
                 int(s.partial)) for s in segments]
        self._transaction(lambda: self._db.executemany(
            "INSERT INTO segments (camera, start_ts, end_ts, path, size, sha256, storage,"
            " partial) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (path) DO NOTHING", rows))

    def add_gap(self, gap: Gap) -> int:
        def write() -> int:
            cur = self._db.execute(
                "INSERT INTO gaps (camera, start_ts, end_ts, reason, detail)"
                " VALUES (?, ?, ?, ?, ?)", (gap.camera, _t(gap.start), _t(gap.end),
                                            gap.reason.value, gap.detail))
            return int(cur.lastrowid or 0)

        return self._transaction(write)

    def close_gap(self, gap_id: int, end: datetime) -> None:
        self._transaction(lambda: self._db.execute(
            "UPDATE gaps SET end_ts = ? WHERE id = ?", (_t(end), gap_id)))

    def start_run(self, run: RecordingRun) -> int:
        def write() -> int:
            cur = self._db.execute(
                "INSERT INTO recording_runs (camera, folder, storage, started, anchor, ended)"
                " VALUES (?, ?, ?, ?, ?, ?)", (run.camera, run.folder, run.storage,
                                               _t(run.started), _t(run.anchor),
                                               _t(run.ended)))
            return int(cur.lastrowid or 0)

        return self._transaction(write)

    def set_run_anchor(self, run_id: int, anchor: datetime) -> None:
        self._transaction(lambda: self._db.execute(
            "UPDATE recording_runs SET anchor = ? WHERE id = ?", (_t(anchor), run_id)))

    def end_run(self, run_id: int, ended: datetime) -> None:
        self._transaction(lambda: self._db.execute(
            "UPDATE recording_runs SET ended = ? WHERE id = ?", (_t(ended), run_id)))

    def deletable_segments(self, storage: str | None, limit: int,
                           before: datetime | None = None) -> list[Segment]:
        kept = kept_spans(self.holds(), self._alarm_span)
        where, params = "(start_ts > ? OR (start_ts = ? AND id > ?))", list[object]()
        if storage is not None:
            where += " AND storage = ?"
        if before is not None:
            where += " AND end_ts <= ?"
        out: list[Segment] = []
        after: tuple[str, int] = ("", -1)
        while len(out) < limit:
            params = [after[0], after[0], after[1]]
            if storage is not None:
                params.append(storage)
            if before is not None:
                params.append(_t(before))
            page = self._rows(f"SELECT {SEGMENT_COLUMNS} FROM segments WHERE {where}"
                              " ORDER BY start_ts, id LIMIT ?", [*params, SEGMENTS_PAGE])
            out += unheld(map(segment_of, page), kept)
            if len(page) < SEGMENTS_PAGE:
                break
            after = (str(page[-1][2]), int(str(page[-1][0])))
        return out[:limit]

    def forget_segments(self, segments: Sequence[Segment], register: RegisterRow,
                        gaps_before: datetime | None = None) -> int:
        def write() -> int:
            cur = self._db.executemany("DELETE FROM segments WHERE id = ?",
                                       [(s.id,) for s in segments])
            removed = max(cur.rowcount, 0)
            if gaps_before is not None:
                self._db.execute("DELETE FROM gaps WHERE end_ts IS NOT NULL AND end_ts < ?",
                                 (_t(gaps_before),))
            self._db.execute(
                "INSERT INTO register (ts, rule, what, destroyed, range_start, range_end,"
                " detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (register.time.isoformat(), register.rule, register.what, register.destroyed,
                 _iso(register.range_start), _iso(register.range_end), register.detail))
            self._append_audit([register_action(register, segments)])
            return removed

        return self._transaction(write)


def _iso(t: datetime | None) -> str | None:
    """As `app.core.journal` writes the register's times (its reader parses either)."""
    return t.isoformat() if t is not None else None
