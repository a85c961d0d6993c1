"""The PostgreSQL journal's recording index (migration 4): the same contract as the SQLite
one (`app.core.journal_recordings.RecordingIndex`), mixed into `PostgresJournal`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

import psycopg

from app.core.holds import Hold, RegisterRow
from app.core.journal_recordings import (
    SEGMENT_COLUMNS,
    SEGMENTS_PAGE,
    RecordingReads,
    as_time,
    kept_spans,
    register_action,
    segment_of,
    unheld,
)
from app.core.model import OperatorAction
from app.core.recording import Gap, RecordingRun, Segment

T = TypeVar("T")


class PostgresRecordings(RecordingReads):
    """Provided by `PostgresJournal`: `_read`, `_write`, `_audit_rows`, `holds`."""

    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        raise NotImplementedError

    def _select(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        return self._read(sql.replace("?", "%s"), tuple(params))

    def _when(self, t: datetime | None) -> object:
        return t

    def _write(self, work: Callable[[psycopg.Cursor], T]) -> T:
        raise NotImplementedError

    @staticmethod
    def _audit_rows(cur: psycopg.Cursor, actions: Sequence[OperatorAction]) -> None:
        raise NotImplementedError

    def holds(self, active_only: bool = True) -> list[Hold]:
        raise NotImplementedError

    def add_segments(self, segments: Sequence[Segment]) -> None:
        if not segments:
            return
        rows = [(s.camera, s.start, s.end, s.path, s.size, s.sha256, s.storage, s.partial)
                for s in segments]
        self._write(lambda cur: cur.executemany(
            "INSERT INTO segments (camera, start_ts, end_ts, path, size, sha256, storage,"
            " partial) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (path) DO NOTHING",
            rows))

    def add_gap(self, gap: Gap) -> int:
        def write(cur: psycopg.Cursor) -> int:
            row = cur.execute(
                "INSERT INTO gaps (camera, start_ts, end_ts, reason, detail)"
                " VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (gap.camera, gap.start, gap.end, gap.reason.value, gap.detail)).fetchone()
            return int(row[0]) if row else 0

        return self._write(write)

    def close_gap(self, gap_id: int, end: datetime) -> None:
        self._write(lambda cur: cur.execute("UPDATE gaps SET end_ts = %s WHERE id = %s",
                                            (end, gap_id)))

    def start_run(self, run: RecordingRun) -> int:
        def write(cur: psycopg.Cursor) -> int:
            row = cur.execute(
                "INSERT INTO recording_runs (camera, folder, storage, started, anchor, ended)"
                " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                (run.camera, run.folder, run.storage, run.started, run.anchor,
                 run.ended)).fetchone()
            return int(row[0]) if row else 0

        return self._write(write)

    def set_run_anchor(self, run_id: int, anchor: datetime) -> None:
        self._write(lambda cur: cur.execute(
            "UPDATE recording_runs SET anchor = %s WHERE id = %s", (anchor, run_id)))

    def end_run(self, run_id: int, ended: datetime) -> None:
        self._write(lambda cur: cur.execute(
            "UPDATE recording_runs SET ended = %s WHERE id = %s", (ended, run_id)))

    def deletable_segments(self, storage: str | None, limit: int,
                           before: datetime | None = None) -> list[Segment]:
        kept = kept_spans(self.holds(), self._alarm_span)
        out: list[Segment] = []
        after: tuple[datetime | None, int] = (None, -1)
        while len(out) < limit:
            page = self._read(
                f"SELECT {SEGMENT_COLUMNS} FROM segments WHERE"
                " (%s::timestamptz IS NULL OR start_ts > %s OR (start_ts = %s AND id > %s))"
                " AND (%s::text IS NULL OR storage = %s)"
                " AND (%s::timestamptz IS NULL OR end_ts <= %s)"
                " ORDER BY start_ts, id LIMIT %s",
                (after[0], after[0], after[0], after[1], storage, storage, before, before,
                 SEGMENTS_PAGE))
            out += unheld(map(segment_of, page), kept)
            if len(page) < SEGMENTS_PAGE:
                break
            after = (as_time(page[-1][2]), int(str(page[-1][0])))
        return out[:limit]

    def forget_segments(self, segments: Sequence[Segment], register: RegisterRow,
                        gaps_before: datetime | None = None) -> int:
        def write(cur: psycopg.Cursor) -> int:
            ids = [s.id for s in segments]
            cur.execute("DELETE FROM segments WHERE id = ANY(%s)", (ids,))
            removed = max(cur.rowcount, 0)
            if gaps_before is not None:
                cur.execute("DELETE FROM gaps WHERE end_ts IS NOT NULL AND end_ts < %s",
                            (gaps_before,))
            cur.execute("INSERT INTO register (ts, rule, what, destroyed, range_start,"
                        " range_end, detail) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                        (register.time, register.rule, register.what, register.destroyed,
                         register.range_start, register.range_end, register.detail))
            self._audit_rows(cur, [register_action(register, segments)])
            return removed

        return self._write(write)
