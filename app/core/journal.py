"""The journal: every event and every operator action, with UTC times, in SQLite.

It is the source for crash recovery, the audit log and (later) replay. Alarms and audit rows
are committed with `synchronous=FULL` before anyone is told about them, so a console killed
at any instant restarts with every alarm it had shown, in its last state, none twice.
The SQL is kept portable (no SQLite-only syntax in the interface) so a PostgreSQL backend
shared by several seats can implement the same class later.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from app.core.codec import decode, decode_event, dumps
from app.core.events import (
    AdapterStatus,
    AlarmChanged,
    AlarmReported,
    BodyCamLiveChanged,
    CameraAnnounced,
    CameraStatusChanged,
    Event,
    OfficerAnnounced,
    OfficerStatusChanged,
    PositionReported,
)
from app.core.model import Alarm, OperatorAction, utc_now

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    kind TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_ts ON events (ts);
CREATE TABLE IF NOT EXISTS alarms (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    state TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (source, source_id)
);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
);
"""


def event_time(event: Event) -> datetime:
    """The time an event happened, as its source said (UTC), else now."""
    match event:
        case PositionReported(fix=fix):
            return fix.time
        case AlarmReported(time=t):
            return t
        case AlarmChanged(alarm=a):
            return a.history[-1].time if a.history else a.raised_at
        case CameraStatusChanged(time=t) | BodyCamLiveChanged(time=t):
            return t
        case OfficerStatusChanged(time=t) | AdapterStatus(time=t):
            return t
        case CameraAnnounced() | OfficerAnnounced():
            return utc_now()
    return utc_now()


class Journal:
    """One SQLite file. Thread-safe: one connection guarded by a lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- events (append-only) -----------------------------------------------------------
    def append_events(self, events: Sequence[Event]) -> None:
        if not events:
            return
        rows = [(event_time(e).isoformat(), e.kind, dumps(e)) for e in events]
        with self._lock:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO events (ts, kind, body) VALUES (?, ?, ?)", rows)
            self._db.execute("COMMIT")

    def iter_events(self, start: datetime | None = None, end: datetime | None = None
                    ) -> Iterator[tuple[datetime, Event]]:
        q = "SELECT ts, kind, body FROM events WHERE ts >= ? AND ts <= ? ORDER BY ts, id"
        lo = start.isoformat() if start else ""
        hi = end.isoformat() if end else "9999"
        with self._lock:
            rows = self._db.execute(q, (lo, hi)).fetchall()
        for ts, kind, body in rows:
            try:
                yield datetime.fromisoformat(ts), decode_event(kind, body)
            except (ValueError, TypeError, KeyError) as exc:
                log.warning("journal row of kind %s cannot be decoded: %s", kind, exc)

    def count_events(self, kind: str | None = None) -> int:
        with self._lock:
            if kind is None:
                return int(self._db.execute("SELECT COUNT(*) FROM events").fetchone()[0])
            return int(self._db.execute(
                "SELECT COUNT(*) FROM events WHERE kind = ?", (kind,)).fetchone()[0])

    # -- alarms (current state, durable before shown) -------------------------------------
    def next_alarm_seq(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT MAX(seq) FROM alarms").fetchone()
        return int(row[0] or 0) + 1

    def save_alarm(self, alarm: Alarm) -> None:
        self.save_alarms([alarm])

    def save_alarms(self, alarms: Sequence[Alarm]) -> None:
        """Store alarms' current state in one durable transaction (one fsync per batch)."""
        if not alarms:
            return
        rows = [
            (int(a.id), a.id, a.source, a.source_id, a.state.value, a.raised_at.isoformat(),
             (a.history[-1].time if a.history else a.raised_at).isoformat(), dumps(a))
            for a in alarms
        ]
        with self._lock:
            self._db.execute("BEGIN")
            try:
                self._db.executemany(
                    "INSERT INTO alarms (seq, id, source, source_id, state, raised_at,"
                    " updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (id) DO UPDATE SET state = excluded.state,"
                    " updated_at = excluded.updated_at, body = excluded.body",
                    rows,
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def load_alarms(self, open_only: bool = False) -> list[Alarm]:
        q = "SELECT body FROM alarms"
        if open_only:
            q += " WHERE state <> 'closed'"
        q += " ORDER BY seq"
        with self._lock:
            rows = self._db.execute(q).fetchall()
        out: list[Alarm] = []
        for (body,) in rows:
            try:
                out.append(decode(Alarm, json.loads(body)))
            except (ValueError, TypeError, KeyError) as exc:
                log.error("an alarm row of the journal cannot be read: %s", exc)
        return out

    # -- audit (who did what) -------------------------------------------------------------
    def record_action(self, action: OperatorAction) -> None:
        """One audit row, durable before the call returns."""
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT INTO audit (ts, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                (action.time.isoformat(), action.actor, action.action, action.target,
                 action.detail),
            )
            self._db.execute("COMMIT")

    def audit(self, actor: str, action: str, target: str, detail: str = "",
              time: datetime | None = None) -> None:
        self.record_action(OperatorAction(time or utc_now(), actor, action, target, detail))

    def actions(self) -> list[OperatorAction]:
        with self._lock:
            rows = self._db.execute(
                "SELECT ts, actor, action, target, detail FROM audit ORDER BY id").fetchall()
        return [OperatorAction(datetime.fromisoformat(ts), actor, action, target, detail)
                for ts, actor, action, target, detail in rows]
