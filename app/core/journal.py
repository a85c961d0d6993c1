"""The journal: every event and every operator action, with UTC times, in SQLite.

It is the source for crash recovery, the audit log and (later) replay. Alarms, the reports
that raised them and audit rows are committed with `synchronous=FULL` before anyone is told
about them, so a console killed at any instant restarts with every alarm it had shown, in
its last state, none twice.

A write that fails (another process holds the file past the busy timeout, a full disk, a
read-only file) is rolled back, so the next write starts clean, and raises
`JournalUnavailable` in plain words; the journal's `health` says it is failing until a
write succeeds again, and each change of health is logged once and announced to
`on_health` listeners (the status bar). Callers keep what could not be stored and retry.

`JournalStore` is the interface every backend implements: this SQLite one (the embedded
default, one console) and the PostgreSQL one in `app.store` (a room of seats sharing one
journal). Nothing SQLite-specific leaves this module.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from time import sleep
from typing import Protocol, TypeVar

from app.core.access import Account, Role, User
from app.core.access_log import AccessLogQuery, page_sql
from app.core.audit_chain import (
    GENESIS,
    PURGE_ACTION,
    AuditRow,
    anchor_target,
    canonical_time,
    chained,
    link_hash,
)
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
    RecordingStateChanged,
)
from app.core.holds import PURGE_ACTOR, Hold, HoldError, RegisterRow, Span, SqlHeld
from app.core.incident import Bookmark, Incident
from app.core.incident_rows import (
    BOOKMARKS_SELECT,
    INCIDENTS_SELECT,
    bookmark_of,
    incident_of,
    incident_values,
    insert_bookmark_sql,
    insert_incident_sql,
    update_incident_sql,
)
from app.core.journal_recordings import SQLITE_SCHEMA_4, RecordingIndex, SqliteRecordings
from app.core.model import Alarm, OperatorAction, utc_now
from app.core.retention import Kind

log = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMA_VERSION = 4
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
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS alarms_key ON alarms (source, source_id);
CREATE UNIQUE INDEX IF NOT EXISTS alarms_one_open_per_key ON alarms (source, source_id)
    WHERE state <> 'closed';
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    detail TEXT NOT NULL
    -- AUDIT_COLUMNS below are added by ALTER, for new and old files alike
);
CREATE TABLE IF NOT EXISTS holds (
    id INTEGER PRIMARY KEY,
    placed TEXT NOT NULL,
    placed_by TEXT NOT NULL,
    reference TEXT NOT NULL,
    range_start TEXT,
    range_end TEXT,
    cameras TEXT NOT NULL DEFAULT '[]',
    incident TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    lifted TEXT,
    lifted_by TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS register (
    id INTEGER PRIMARY KEY,
    ts TEXT NOT NULL,
    rule TEXT NOT NULL,
    what TEXT NOT NULL,
    destroyed INTEGER NOT NULL,
    range_start TEXT,
    range_end TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS incidents (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    note TEXT NOT NULL,
    range_start TEXT NOT NULL,
    range_end TEXT NOT NULL,
    cameras TEXT NOT NULL,
    officers TEXT NOT NULL,
    alarm_id TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created TEXT
);
CREATE TABLE IF NOT EXISTS bookmarks (
    id INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents (id),
    at TEXT NOT NULL,
    note TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created TEXT
);
CREATE INDEX IF NOT EXISTS bookmarks_incident ON bookmarks (incident_id, at);
CREATE TABLE IF NOT EXISTS users (
    login TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    communes TEXT NOT NULL,
    source TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    disabled INTEGER NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
"""

# Schema 4 (issue 12): incidents and their bookmarks (the tables above) and the recording
# index (app.core.journal_recordings).
# Schema 3 (issue 11): judicial holds and the register of purges (the tables above).
# Schema 2 (issue 11): the access log's fields (the union of CSI R241-14 and R241-5) and its
# hash chain (app.core.audit_chain). ALTER TABLE ADD COLUMN keeps existing rows.
AUDIT_COLUMNS = (
    "user_name TEXT NOT NULL DEFAULT ''",
    "role TEXT NOT NULL DEFAULT ''",
    "workstation TEXT NOT NULL DEFAULT ''",
    "purpose TEXT NOT NULL DEFAULT ''",
    "recipients TEXT NOT NULL DEFAULT '[]'",
    "cameras TEXT NOT NULL DEFAULT '[]'",
    "range_start TEXT",
    "range_end TEXT",
    "prev_hash TEXT NOT NULL DEFAULT ''",
    "hash TEXT NOT NULL DEFAULT ''",
)
# Append-only for real: SQL that changes or removes a row of the access log is refused; the
# three-year purge lifts this inside its own transaction (`purge_access_log`).
AUDIT_APPEND_ONLY = tuple(
    f"CREATE TRIGGER IF NOT EXISTS audit_no_{what.lower()} BEFORE {what} ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END"
    for what in ("UPDATE", "DELETE"))
AUDIT_SELECT = ("SELECT id, ts, actor, action, target, detail, user_name, role, workstation,"
                " purpose, recipients, cameras, range_start, range_end, prev_hash, hash"
                " FROM audit")
AUDIT_CHUNK = 2000  # access-log rows read at a time
PURGE_CHUNK = 10_000  # rows a purge removes per transaction: the write lock is held briefly
PURGE_PAUSE_S = 0.01  # between two chunks of a purge (SQLite): the alarm path's turn
INCIDENTS_LISTED = 500  # the latest incidents offered to reopen
EVENTS_PAGE = 2000  # events read at a time (iter_events streams: a month is 130 M positions)
HOLDS_SELECT = ("SELECT id, placed, placed_by, reference, range_start, range_end, cameras,"
                " incident, note, lifted, lifted_by FROM holds")
REGISTER_SELECT = ("SELECT id, ts, rule, what, destroyed, range_start, range_end, detail"
                   " FROM register")
USERS_SELECT = ("SELECT login, name, role, communes, source, password_hash, disabled, created,"
                " updated FROM users")

# Version 0 had UNIQUE (source, source_id) on alarms: a source could never raise a second
# alarm for a condition once the first was closed. SQLite cannot drop a constraint: the
# table is rebuilt (https://www.sqlite.org/lang_altertable.html, "other kinds of changes").
_MIGRATE_0_TO_1 = """
CREATE TABLE alarms_v1 (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    state TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
);
INSERT INTO alarms_v1 SELECT seq, id, source, source_id, state, raised_at, updated_at, body
    FROM alarms;
DROP TABLE alarms;
ALTER TABLE alarms_v1 RENAME TO alarms;
"""


class JournalUnavailable(Exception):
    """The journal could not store this (nothing of it was stored): say it, keep the data,
    retry later. The message is in plain words for the operator."""


@dataclass(frozen=True, slots=True)
class JournalHealth:
    ok: bool = True
    problem: str = ""  # plain words, empty when ok
    since: datetime = field(default_factory=utc_now)
    failures: int = 0  # failed writes since it started failing


def explain(exc: sqlite3.Error) -> str:
    """An SQLite error in words an operator or installer can act on."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return "another program holds the journal file (database is locked)"
    if "full" in text:
        return "the disk holding the journal is full"
    if "readonly" in text or "read-only" in text:
        return "the journal file cannot be written (read-only)"
    if "disk i/o" in text:
        return "the disk holding the journal failed to write (I/O error)"
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return "the journal file is damaged"
    return f"the journal cannot be written ({exc})"


def event_time(event: Event) -> datetime:
    """The time an event happened, as its source said (UTC), else now."""
    match event:
        case PositionReported(fix=fix):
            return fix.time
        case AlarmReported(time=t):
            return t
        case AlarmChanged(alarm=a):
            return a.history[-1].time if a.history else a.raised_at
        case CameraStatusChanged(time=t) | BodyCamLiveChanged(time=t) \
                | RecordingStateChanged(time=t):
            return t
        case OfficerStatusChanged(time=t) | AdapterStatus(time=t):
            return t
        case CameraAnnounced() | OfficerAnnounced():
            return utc_now()
    return utc_now()


def event_subject(event: Event) -> str:
    """What an event is about (an officer, a camera, an adapter): a seat that attaches asks
    for the latest event of each kind and subject rather than for the whole history."""
    match event:
        case PositionReported(fix=fix):
            return fix.officer_id
        case OfficerStatusChanged(officer_id=o) | BodyCamLiveChanged(camera_id=o):
            return o
        case CameraStatusChanged(camera_id=c) | RecordingStateChanged(camera_id=c):
            return c
        case CameraAnnounced(camera=cam):
            return cam.id
        case OfficerAnnounced(officer=off):
            return off.id
        case AdapterStatus(adapter=name):
            return name
        case AlarmReported(source=src, source_id=sid):
            return f"{src}/{sid}"
    return ""


HealthListener = Callable[[JournalHealth], None]


class JournalStore(RecordingIndex, Protocol):
    """What the services need from a journal, whatever holds it. Every write is one
    transaction, durable when the call returns, or `JournalUnavailable` with nothing
    stored; reads return what is committed."""

    health: JournalHealth

    @property
    def where(self) -> str:
        """The journal for a log line or a message: a file path, or a URL without secret."""
        ...

    def on_health(self, listener: HealthListener) -> None: ...
    def store(self, alarms: Sequence[Alarm] = (), actions: Sequence[OperatorAction] = (),
              events: Sequence[Event] = ()) -> None: ...
    def append_events(self, events: Sequence[Event]) -> None: ...
    def iter_events(self, start: datetime | None = None, end: datetime | None = None,
                    page: int = ...) -> Iterator[tuple[datetime, Event]]: ...
    def count_events(self, kind: str | None = None) -> int: ...
    def next_alarm_seq(self) -> int: ...
    def save_alarm(self, alarm: Alarm) -> None: ...
    def save_alarms(self, alarms: Sequence[Alarm]) -> None: ...
    def load_alarms(self, open_only: bool = False, changed_since: datetime | None = None
                    ) -> list[Alarm]: ...
    def record_action(self, action: OperatorAction) -> None: ...
    def audit(self, actor: str, action: str, target: str, detail: str = "",
              time: datetime | None = None) -> None: ...
    def actions(self) -> list[OperatorAction]: ...
    def audit_rows(self, start: datetime | None = None, end: datetime | None = None,
                   chunk: int = ...) -> Iterator[AuditRow]: ...
    def audit_page(self, query: AccessLogQuery) -> list[AuditRow]: ...
    def put_account(self, account: Account, logged: OperatorAction | None = None) -> None: ...
    def account(self, login: str) -> Account | None: ...
    def accounts(self) -> list[Account]: ...
    def close(self) -> None: ...
    # judicial holds, the purge and its register (app.core.holds, app.core.retention)
    def place_hold(self, hold: Hold, workstation: str = "") -> int: ...
    def lift_hold(self, hold_id: int, by: str, time: datetime | None = None,
                  workstation: str = "") -> Hold: ...
    def holds(self, active_only: bool = True) -> list[Hold]: ...
    def add_register(self, row: RegisterRow, logged: bool = True) -> None: ...
    def register_rows(self, chunk: int = ...) -> Iterator[RegisterRow]: ...
    def purge(self, kind: Kind, before: datetime, rule: str, time: datetime | None = None,
              chunk: int = ...) -> int: ...
    def save_incident(self, incident: Incident) -> int: ...
    def incidents(self, limit: int = ...) -> list[Incident]: ...
    def incident(self, incident_id: int) -> Incident | None: ...
    def add_bookmark(self, bookmark: Bookmark) -> int: ...
    def bookmarks(self, incident_id: int) -> list[Bookmark]: ...


class HealthTracking:
    """A journal's health, shared by the backends: a failing write is logged once per change
    of health (not once per write) and announced to the `on_health` listeners."""

    health: JournalHealth
    _listeners: list[HealthListener]

    @property
    def where(self) -> str:
        raise NotImplementedError

    def _init_health(self) -> None:
        self.health = JournalHealth()
        self._listeners = []

    def on_health(self, listener: HealthListener) -> None:
        """Call `listener(health)` after each change of health (on the writer's thread)."""
        self._listeners = [*self._listeners, listener]

    def _set_health(self, ok: bool, problem: str = "") -> None:
        old = self.health
        if ok and old.ok:
            return
        if ok:
            log.warning("journal %s: writing again after %d failed write(s) since %s",
                        self.where, old.failures, old.since.isoformat(timespec="seconds"))
            self.health = JournalHealth()
        elif old.ok or old.problem != problem:
            log.error("journal %s: cannot write: %s (what cannot be stored is kept and "
                      "retried; sources are not acknowledged meanwhile)", self.where, problem)
            self.health = JournalHealth(False, problem, utc_now(), old.failures + 1)
        else:
            self.health = JournalHealth(False, problem, old.since, old.failures + 1)
            return  # still failing the same way: counted, not announced again
        for listener in self._listeners:
            try:
                listener(self.health)
            except Exception:
                log.exception("journal health listener failed")

    # -- writes in the services' words, over `store` --------------------------------------
    def store(self, alarms: Sequence[Alarm] = (), actions: Sequence[OperatorAction] = (),
              events: Sequence[Event] = ()) -> None:
        raise NotImplementedError

    def append_events(self, events: Sequence[Event]) -> None:
        self.store(events=events)

    def save_alarm(self, alarm: Alarm) -> None:
        self.store(alarms=[alarm])

    def save_alarms(self, alarms: Sequence[Alarm]) -> None:
        """Store alarms' current state in one durable transaction (one fsync per batch)."""
        self.store(alarms=alarms)

    def record_action(self, action: OperatorAction) -> None:
        """One audit row, durable before the call returns (else `JournalUnavailable`)."""
        self.store(actions=[action])

    def audit(self, actor: str, action: str, target: str, detail: str = "",
              time: datetime | None = None) -> None:
        self.record_action(OperatorAction(time or utc_now(), actor, action, target, detail))


def _run_script(db: sqlite3.Connection, script: str) -> None:
    """Statements one by one, inside the caller's transaction (`executescript` would
    commit it first)."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


class Journal(HealthTracking, SqliteRecordings):
    """One SQLite file. Thread-safe: one connection guarded by a lock."""

    def __init__(self, path: Path | str, busy_timeout_ms: int = 5000) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._init_health()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        try:
            self._db.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            self._prepare()
        except BaseException:
            self._db.close()
            raise

    def _prepare(self) -> None:
        """Create or migrate the schema, in one transaction that also proves the file can
        be written (a read-only or damaged file fails here, at start, not at the first
        alarm)."""
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(
                f"journal schema {version} is newer than this console's ({SCHEMA_VERSION})")
        has_alarms = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alarms'").fetchone()
        self._db.execute("BEGIN IMMEDIATE")
        try:
            if has_alarms and version < 1:
                log.info("journal %s: migrating the alarms table to schema 1", self.path)
                _run_script(self._db, _MIGRATE_0_TO_1)
            _run_script(self._db, SCHEMA)
            _run_script(self._db, SQLITE_SCHEMA_4)
            if version < 2:
                have = {r[1] for r in self._db.execute("PRAGMA table_info(audit)")}
                for column in AUDIT_COLUMNS:
                    if column.split()[0] not in have:
                        self._db.execute(f"ALTER TABLE audit ADD COLUMN {column}")
                self._chain_unchained()
            for trigger in AUDIT_APPEND_ONLY:
                self._db.execute(trigger)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def _chain_unchained(self) -> None:
        """Chain the rows written before schema 2 (they had no hash), in id order."""
        rows = self._db.execute(AUDIT_SELECT + " WHERE hash = '' ORDER BY id").fetchall()
        if not rows:
            return
        prev = self._last_hash()
        for row in rows:
            action = audit_row_of(row).action
            h = link_hash(prev, action)
            self._db.execute("UPDATE audit SET ts = ?, prev_hash = ?, hash = ? WHERE id = ?",
                             (canonical_time(action.time), prev, h, row[0]))
            prev = h
        log.info("journal %s: %d access-log row(s) chained", self.path, len(rows))

    def _append_audit(self, actions: Sequence[OperatorAction]) -> None:
        """Inside the caller's write transaction (which holds SQLite's one write lock, so
        the row before is the same for every writer)."""
        links = chained(self._last_hash(), actions)
        self._db.executemany(
            "INSERT INTO audit (ts, actor, action, target, detail, user_name, role,"
            " workstation, purpose, recipients, cameras, range_start, range_end, prev_hash,"
            " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [_audit_values(x, *link) for x, link in zip(actions, links, strict=True)])

    def _last_hash(self) -> str:
        row = self._db.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        return str(row[0]) if row else GENESIS

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @property
    def where(self) -> str:
        return str(self.path)

    # -- the one write path -----------------------------------------------------------------
    def store(self, alarms: Sequence[Alarm] = (), actions: Sequence[OperatorAction] = (),
              events: Sequence[Event] = ()) -> None:
        """Alarms' current state, audit rows and events, in ONE durable transaction: all
        of it is stored, or none of it (then `JournalUnavailable`)."""
        if not (alarms or actions or events):
            return
        alarm_rows = [
            (int(a.id), a.id, a.source, a.source_id, a.state.value, a.raised_at.isoformat(),
             (a.history[-1].time if a.history else a.raised_at).isoformat(), dumps(a))
            for a in alarms
        ]
        event_rows = [(event_time(e).isoformat(), e.kind, dumps(e)) for e in events]
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                if alarm_rows:
                    self._db.executemany(
                        "INSERT INTO alarms (seq, id, source, source_id, state, raised_at,"
                        " updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        " ON CONFLICT (id) DO UPDATE SET state = excluded.state,"
                        " updated_at = excluded.updated_at, body = excluded.body",
                        alarm_rows)
                if actions:
                    self._append_audit(actions)
                if event_rows:
                    self._db.executemany(
                        "INSERT INTO events (ts, kind, body) VALUES (?, ?, ?)", event_rows)
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                if isinstance(exc, sqlite3.IntegrityError):
                    raise  # a bug of ours, not a state of the disk: let it be seen
                self._set_health(False, explain(exc))
                raise JournalUnavailable(explain(exc)) from exc
            except BaseException:
                self._rollback()
                raise
        self._set_health(True)

    def _rollback(self) -> None:
        """Leave no transaction open behind a failure, whatever failed."""
        try:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
        except sqlite3.Error as exc:  # the rollback itself failed: the connection decides
            log.debug("journal rollback failed: %s", exc)

    # -- checks and recovery (app.core.journal_recovery) -----------------------------------
    def quick_check(self) -> list[str]:
        """SQLite's page-level check: [] when the file is sound, else what is wrong."""
        with self._lock:
            rows = self._db.execute("PRAGMA quick_check").fetchall()
        return [str(r[0]) for r in rows if r[0] != "ok"]

    def insert_rows(self, table: str, columns: Sequence[str],
                    rows: Sequence[tuple[object, ...]]) -> int:
        """Rows salvaged from a damaged journal, as they were; duplicates skipped."""
        if table not in ("alarms", "audit", "events") or not rows:
            return 0
        marks = ", ".join("?" for _ in columns)
        sql = f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                cur = self._db.executemany(sql, rows)
                self._db.execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
        return int(cur.rowcount)

    # -- events (append-only) -----------------------------------------------------------
    def iter_events(self, start: datetime | None = None, end: datetime | None = None,
                    page: int = EVENTS_PAGE) -> Iterator[tuple[datetime, Event]]:
        """Events in time order, read `page` rows at a time after the last one read (a
        keyset: a month of positions never sits in memory, and writers are not held up)."""
        hi = end.isoformat() if end else "9999"
        cts, cid = (start.isoformat() if start else ""), -1
        while True:
            with self._lock:
                rows = self._db.execute(
                    "SELECT ts, id, kind, body FROM events WHERE ts >= ? AND (ts > ? OR id > ?)"
                    " AND ts <= ? ORDER BY ts, id LIMIT ?", (cts, cts, cid, hi, page)).fetchall()
            for ts, _, kind, body in rows:
                try:
                    yield datetime.fromisoformat(ts), decode_event(kind, body)
                except (ValueError, TypeError, KeyError) as exc:
                    log.warning("journal row of kind %s cannot be decoded: %s", kind, exc)
            if len(rows) < page:
                return
            cts, cid = str(rows[-1][0]), int(rows[-1][1])

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

    def load_alarms(self, open_only: bool = False, changed_since: datetime | None = None
                    ) -> list[Alarm]:
        """Every alarm; `open_only`: the open ones; `changed_since`: the open ones and
        those changed since then (a restart needs no closed alarm of last year)."""
        q, params = "SELECT body FROM alarms", list[object]()
        if open_only:
            q += " WHERE state <> 'closed'"
        elif changed_since is not None:
            q += " WHERE state <> 'closed' OR updated_at >= ?"
            params.append(changed_since.isoformat())
        q += " ORDER BY seq"
        with self._lock:
            rows = self._db.execute(q, params).fetchall()
        out: list[Alarm] = []
        for (body,) in rows:
            try:
                out.append(decode(Alarm, json.loads(body)))
            except (ValueError, TypeError, KeyError) as exc:
                log.error("an alarm row of the journal cannot be read: %s", exc)
        return out

    # -- audit (who did what) -------------------------------------------------------------
    def actions(self) -> list[OperatorAction]:
        return [row.action for row in self.audit_rows()]

    def audit_rows(self, start: datetime | None = None, end: datetime | None = None,
                   chunk: int = AUDIT_CHUNK) -> Iterator[AuditRow]:
        """The access log in id order, read `chunk` rows at a time (it holds three years)."""
        lo = canonical_time(start) or ""
        hi = canonical_time(end) or "9999"
        sql = AUDIT_SELECT + " WHERE id > ? AND ts >= ? AND ts <= ? ORDER BY id LIMIT ?"
        return map(audit_row_of, by_id_pages(
            lambda after: self._fetch(sql, (after, lo, hi, chunk)), chunk))

    def _fetch(self, sql: str, params: Sequence[object]) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._db.execute(sql, params).fetchall())

    def audit_page(self, query: AccessLogQuery) -> list[AuditRow]:
        """One page of the access log, newest first (app.core.access_log)."""
        sql, params = page_sql(query, AUDIT_SELECT, postgres=False)
        with self._lock:
            rows = self._db.execute(sql, params).fetchall()
        return [audit_row_of(r) for r in rows]

    # -- users (local accounts) -------------------------------------------------------------
    def put_account(self, account: Account, logged: OperatorAction | None = None) -> None:
        """Create or replace a local account and log it (`logged`), in one durable
        transaction (else `JournalUnavailable`, nothing changed)."""
        u = account.user
        row = (u.login, u.name, u.role.value, json.dumps(list(u.communes)), u.source,
               account.password_hash, int(u.disabled), account.created.isoformat(),
               account.updated.isoformat())
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                self._db.execute(
                    "INSERT INTO users (login, name, role, communes, source, password_hash,"
                    " disabled, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT (login) DO UPDATE SET name = excluded.name,"
                    " role = excluded.role, communes = excluded.communes,"
                    " source = excluded.source, password_hash = excluded.password_hash,"
                    " disabled = excluded.disabled, updated = excluded.updated", row)
                if logged is not None:
                    self._append_audit([logged])
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise JournalUnavailable(explain(exc)) from exc

    def account(self, login: str) -> Account | None:
        with self._lock:
            row = self._db.execute(USERS_SELECT + " WHERE login = ?", (login,)).fetchone()
        return account_of(row) if row else None

    def accounts(self) -> list[Account]:
        with self._lock:
            rows = self._db.execute(USERS_SELECT + " ORDER BY login").fetchall()
        return [account_of(r) for r in rows]

    # -- judicial holds, the purge and its register -----------------------------------------
    def _transaction(self, work: Callable[[], T]) -> T:
        """`work` in one durable write transaction (else `JournalUnavailable`, nothing
        changed; a HoldError from `work` is raised as it is, nothing changed)."""
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                result = work()
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise JournalUnavailable(explain(exc)) from exc
            except BaseException:
                self._rollback()
                raise
        return result

    def place_hold(self, hold: Hold, workstation: str = "") -> int:
        """Store a hold and log its placing, in one transaction. Returns its number."""
        hold.check()

        def write() -> int:
            if hold.incident and not self._db.execute(
                    "SELECT 1 FROM alarms WHERE id = ?", (hold.incident,)).fetchone():
                raise HoldError(f"the journal holds no alarm {hold.incident}")
            cur = self._db.execute(
                "INSERT INTO holds (placed, placed_by, reference, range_start, range_end,"
                " cameras, incident, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (_iso(hold.placed), hold.placed_by, hold.reference, _iso(hold.range_start),
                 _iso(hold.range_end), json.dumps(list(hold.cameras)), hold.incident,
                 hold.note))
            placed = replace(hold, id=int(cur.lastrowid or 0))
            self._append_audit([placed.placed_action(workstation)])
            return placed.id

        return self._transaction(write)

    def lift_hold(self, hold_id: int, by: str, time: datetime | None = None,
                  workstation: str = "") -> Hold:
        """Lift an active hold and log it, in one transaction (HoldError: no such active
        hold). What it kept is purged at the next run, if its retention has passed."""
        when = time or utc_now()

        def write() -> Hold:
            row = self._db.execute(HOLDS_SELECT + " WHERE id = ?", (hold_id,)).fetchone()
            hold = lifting(hold_of(row) if row else None, hold_id)
            self._db.execute("UPDATE holds SET lifted = ?, lifted_by = ? WHERE id = ?",
                             (_iso(when), by, hold_id))
            self._append_audit([hold.lifted_action(by, when, workstation)])
            return replace(hold, lifted=when, lifted_by=by)

        return self._transaction(write)

    def holds(self, active_only: bool = True) -> list[Hold]:
        q = HOLDS_SELECT + (" WHERE lifted IS NULL" if active_only else "") + " ORDER BY id"
        with self._lock:
            return [hold_of(r) for r in self._db.execute(q).fetchall()]

    def add_register(self, row: RegisterRow, logged: bool = True) -> None:
        """A register row and (`logged`) its access-log row, in one transaction."""
        def write() -> None:
            self._db.execute(
                "INSERT INTO register (ts, rule, what, destroyed, range_start, range_end,"
                " detail) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_iso(row.time), row.rule, row.what, row.destroyed, _iso(row.range_start),
                 _iso(row.range_end), row.detail))
            if logged:
                self._append_audit([row.action()])

        self._transaction(write)

    def register_rows(self, chunk: int = AUDIT_CHUNK) -> Iterator[RegisterRow]:
        """The register in order, read `chunk` rows at a time."""
        sql = REGISTER_SELECT + " WHERE id > ? ORDER BY id LIMIT ?"
        return map(register_row_of, by_id_pages(
            lambda after: self._fetch(sql, (after, chunk)), chunk))

    def purge(self, kind: Kind, before: datetime, rule: str, time: datetime | None = None,
              chunk: int = PURGE_CHUNK) -> int:
        """Destroy `kind` older than `before` that no active hold keeps, `chunk` rows per
        transaction (the alarm path writes in between), then write the register row and
        the access-log row. Returns how many rows were destroyed."""
        if kind is Kind.RECORDINGS:
            raise ValueError("recordings are purged with their files: "
                             "app.services.recorder.purge.purge_expired")
        now = time or utc_now()
        held = self._held()
        if kind is Kind.ACCESS_LOG:
            destroyed, first = self._purge_access_log(before, rule, now, chunk)
        elif kind is Kind.CLOSED_ALARMS:
            destroyed, first = self._purge_alarms(before, held, chunk)
        else:
            destroyed, first = self._purge_events(kind is Kind.POSITIONS, before, held, chunk)
        if destroyed:
            self.add_register(RegisterRow(now, rule, kind.value, destroyed, first, before,
                                          held.references), logged=kind is not Kind.ACCESS_LOG)
        return destroyed

    # -- incidents and bookmarks (replay) ---------------------------------------------------
    def save_incident(self, incident: Incident) -> int:
        """Store a new incident (id 0) or change a stored one; returns its id."""
        incident.check()
        if not incident.id:
            incident = replace(incident, created=incident.created or utc_now())
        values = [_param(v) for v in incident_values(incident)]

        def write() -> int:
            if incident.id:
                self._db.execute(update_incident_sql("?"), [*values[:-2], incident.id])
                return incident.id
            return int(self._db.execute(insert_incident_sql("?"), values).lastrowid or 0)

        return self._transaction(write)

    def incidents(self, limit: int = INCIDENTS_LISTED) -> list[Incident]:
        """The latest incidents first."""
        rows = self._fetch(INCIDENTS_SELECT + " ORDER BY id DESC LIMIT ?", (limit,))
        return [incident_of(r) for r in rows]

    def incident(self, incident_id: int) -> Incident | None:
        rows = self._fetch(INCIDENTS_SELECT + " WHERE id = ?", (incident_id,))
        return incident_of(rows[0]) if rows else None

    def add_bookmark(self, bookmark: Bookmark) -> int:
        return self._transaction(lambda: int(self._db.execute(
            insert_bookmark_sql("?"), (bookmark.incident_id, _iso(bookmark.at), bookmark.note,
                                       bookmark.by, _iso(bookmark.created or utc_now()))
        ).lastrowid or 0))

    def bookmarks(self, incident_id: int) -> list[Bookmark]:
        rows = self._fetch(BOOKMARKS_SELECT + " WHERE incident_id = ? ORDER BY at, id",
                           (incident_id,))
        return [bookmark_of(r) for r in rows]

    def _chunk(self, step: Callable[[], T]) -> T:
        """One chunk of a purge in its own transaction, then a pause: a lock released and
        taken again at once by the same thread is not fair to the alarm path waiting for it
        (measured: alarm writes waited 0.5 s at the median during a purge without it)."""
        result = self._transaction(step)
        self._checkpoint()
        sleep(PURGE_PAUSE_S)
        return result

    def _checkpoint(self) -> None:
        """Copy the write-ahead log into the file from a connection of the purge's own,
        outside the journal's lock (a PASSIVE checkpoint never blocks a writer): otherwise
        the alarm path's next commit would pay for the chunk's pages (SQLite's automatic
        checkpoint runs in the connection that commits past 1,000 pages)."""
        if str(self.path) == ":memory:":
            return
        try:
            side = sqlite3.connect(str(self.path), timeout=0)
            try:
                side.execute("PRAGMA wal_checkpoint(PASSIVE)")
            finally:
                side.close()
        except sqlite3.Error as exc:  # the next automatic checkpoint will do it
            log.debug("journal %s: checkpoint after a purge chunk: %s", self.path, exc)

    def _held(self) -> SqlHeld:
        """What the active holds keep now (an incident: its alarm and its span)."""
        spans: list[Span] = []
        alarms: list[str] = []
        for hold in self.holds():
            if hold.range_start is not None and hold.range_end is not None:
                spans.append((hold.range_start, hold.range_end))
            if hold.incident:
                alarms.append(hold.incident)
                with self._lock:
                    row = self._db.execute("SELECT raised_at, updated_at, state FROM alarms"
                                           " WHERE id = ?", (hold.incident,)).fetchone()
                if row:
                    spans.append((_as_time(row[0]),
                                  _as_time(row[1]) if row[2] == "closed" else None))
        return SqlHeld(spans, alarms, "?")

    def _purge_events(self, positions: bool, before: datetime, held: SqlHeld, chunk: int
                      ) -> tuple[int, datetime | None]:
        """Walk the events older than `before` in (ts, id) order, `chunk` at a time: each
        step deletes, up to the chunk's last row, those of the kind that no hold keeps."""
        end = _iso(before)
        kind = " AND kind = 'position'" if positions else " AND kind <> 'position'"
        kept, kept_params = held.outside("ts")
        after: tuple[str, int] = ("", -1)
        with self._lock:
            oldest = self._db.execute("SELECT min(ts) FROM events WHERE ts < ?",
                                      (end,)).fetchone()
        total = 0

        def step() -> tuple[str, int] | None:
            nonlocal total
            cts, cid = after
            window = ("SELECT {} FROM events WHERE ts < ? AND ts >= ? AND (ts > ? OR id > ?)"
                      " ORDER BY ts, id")
            bound = self._db.execute(window.format("ts, id") + " LIMIT 1 OFFSET ?",
                                     (end, cts, cts, cid, chunk - 1)).fetchone()
            # the window's ids (from the ts index alone), then the rows among them of the
            # kind that no hold keeps: measured 3 to 4 times faster in SQLite than a
            # DELETE over the same range of the index
            cur = self._db.execute(
                "DELETE FROM events WHERE id IN (" + window.format("id") + " LIMIT ?)"
                + kind + kept, [end, cts, cts, cid, chunk, *map(_param, kept_params)])
            total += max(cur.rowcount, 0)
            return (str(bound[0]), int(bound[1])) if bound is not None else None

        while (nxt := self._chunk(step)) is not None:
            after = nxt
        return total, _as_time(oldest[0]) if oldest and oldest[0] else None

    def _purge_alarms(self, before: datetime, held: SqlHeld, chunk: int
                      ) -> tuple[int, datetime | None]:
        """Closed alarms last changed before `before`, never an open one, never the newest
        alarm (its number is where the next one counts from: the access log names alarms
        by number for three years, a number must never be given twice)."""
        kept, kept_params = held.alarm_kept_out()
        after, total, first = 0, 0, None

        def step() -> int:
            rows = self._db.execute(
                "DELETE FROM alarms WHERE seq IN (SELECT seq FROM alarms WHERE"
                " state = 'closed' AND updated_at < ? AND seq > ?"
                " AND seq < (SELECT max(seq) FROM alarms)" + kept + " ORDER BY seq LIMIT ?)"
                " RETURNING seq, raised_at",
                [_iso(before), after, *map(_param, kept_params), chunk]).fetchall()
            return _note_alarms(rows)

        def _note_alarms(rows: list[tuple[object, ...]]) -> int:
            nonlocal after, total, first
            total += len(rows)
            if rows:
                after = max(int(str(r[0])) for r in rows)
                oldest = min(_as_time(r[1]) for r in rows)
                first = oldest if first is None else min(first, oldest)
            return len(rows)

        while self._chunk(step) == chunk:
            pass
        return total, first

    def _purge_access_log(self, before: datetime, rule: str, now: datetime, chunk: int
                          ) -> tuple[int, datetime | None]:
        """The oldest rows, older than `before`, `chunk` at a time; each step appends the
        purge row naming the hash the remaining chain starts from (app.core.audit_chain),
        in the same transaction, so the chain verifies intact between steps too."""
        total, first = 0, None

        def step() -> int:
            nonlocal total, first
            rows = self._db.execute("SELECT id, ts, hash FROM audit ORDER BY id LIMIT ?",
                                    (chunk,)).fetchall()
            cut = canonical_time(before) or ""
            old = [r for r in prefix(rows, lambda r: str(r[1]) < cut)]
            if not old:
                return 0
            self._db.execute("DROP TRIGGER IF EXISTS audit_no_delete")
            self._db.execute("DELETE FROM audit WHERE id <= ?", (old[-1][0],))
            self._db.execute(AUDIT_APPEND_ONLY[1])
            self._append_audit([purge_row(len(old), before, rule, now, str(old[-1][2]),
                                          _as_time(old[0][1]))])
            total += len(old)
            first = first or _as_time(old[0][1])
            return len(old)

        while self._chunk(step) == chunk:
            pass
        return total, first


def by_id_pages(fetch: Callable[[int], Sequence[Sequence[object]]], chunk: int
                ) -> Iterator[Sequence[object]]:
    """Rows read `chunk` at a time, each page those after the last id read (the rows' first
    column): a table that holds years never sits in memory. `fetch(after)` reads a page."""
    after = 0
    while True:
        rows = fetch(after)
        yield from rows
        if len(rows) < chunk:
            return
        after = int(str(rows[-1][0]))


def account_of(row: Sequence[object]) -> Account:
    """An account from a users row (either backend: times as text or as datetimes)."""
    login, name, role, communes, source, password_hash, disabled, created, updated = row
    return Account(
        User(str(login), str(name), Role(str(role)), tuple(json.loads(str(communes))),
             str(source), bool(disabled)),
        str(password_hash), _as_time(created), _as_time(updated))


def _as_time(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _audit_values(x: OperatorAction, prev_hash: str, hash_: str) -> tuple[object, ...]:
    return (canonical_time(x.time), x.actor, x.action, x.target, x.detail, x.user_name, x.role,
            x.workstation, x.purpose, json.dumps(list(x.recipients)),
            json.dumps(list(x.cameras)), canonical_time(x.range_start),
            canonical_time(x.range_end), prev_hash, hash_)


def audit_row_of(row: Sequence[object]) -> AuditRow:
    """An access-log row (AUDIT_SELECT's columns) from either backend."""
    (id_, ts, actor, action, target, detail, user_name, role, workstation, purpose,
     recipients, cameras, range_start, range_end, prev_hash, hash_) = row
    return AuditRow(int(str(id_)), OperatorAction(
        _as_time(ts), str(actor), str(action), str(target), str(detail), str(user_name),
        str(role), str(workstation), str(purpose), tuple(json.loads(str(recipients))),
        tuple(json.loads(str(cameras))),
        _as_time(range_start) if range_start is not None else None,
        _as_time(range_end) if range_end is not None else None), str(prev_hash), str(hash_))


def purge_row(count: int, before: datetime, rule: str, now: datetime, last_hash: str,
              oldest: datetime) -> OperatorAction:
    """The access-log row of a purge of the access log itself: it names the hash of the last
    row removed (where the remaining chain now starts)."""
    return OperatorAction(now, PURGE_ACTOR, PURGE_ACTION, anchor_target(last_hash),
                          f"{count} row(s) older than {before.isoformat(timespec='seconds')}"
                          f" purged under {rule}", range_start=oldest, range_end=before)


def prefix(rows: Sequence[T], keep: Callable[[T], bool]) -> list[T]:
    """The leading rows for which `keep` holds (the access log is cut only at its start)."""
    out: list[T] = []
    for r in rows:
        if not keep(r):
            break
        out.append(r)
    return out


def lifting(hold: Hold | None, hold_id: int) -> Hold:
    if hold is None:
        raise HoldError(f"there is no hold {hold_id}")
    if hold.lifted is not None:
        raise HoldError(f"hold {hold_id} ({hold.reference}) was already lifted by "
                        f"{hold.lifted_by} on {hold.lifted.isoformat(timespec='seconds')}")
    return hold


def _iso(t: datetime | None) -> str | None:
    return t.isoformat() if t is not None else None


def _param(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def hold_of(row: Sequence[object]) -> Hold:
    """A hold from a holds row (HOLDS_SELECT's columns), either backend."""
    (id_, placed, placed_by, reference, range_start, range_end, cameras, incident, note,
     lifted, lifted_by) = row
    return Hold(str(reference), str(placed_by), _as_time(placed),
                _as_time(range_start) if range_start is not None else None,
                _as_time(range_end) if range_end is not None else None,
                tuple(json.loads(str(cameras))), str(incident), str(note), int(str(id_)),
                _as_time(lifted) if lifted is not None else None, str(lifted_by))


def register_row_of(row: Sequence[object]) -> RegisterRow:
    """A register row (REGISTER_SELECT's columns), either backend."""
    id_, ts, rule, what, destroyed, range_start, range_end, detail = row
    return RegisterRow(_as_time(ts), str(rule), str(what), int(str(destroyed)),
                       _as_time(range_start) if range_start is not None else None,
                       _as_time(range_end) if range_end is not None else None, str(detail),
                       int(str(id_)))
