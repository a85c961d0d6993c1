"""The journal in a room's PostgreSQL database: the same contract as the SQLite journal
(`app.core.journal.JournalStore`), shared by the console service (which writes what the
sources report) and the seats (which read it and write their audit rows).

Durability: PostgreSQL commits are durable by default (`synchronous_commit = on`, fsync);
a write returns only after its commit. A write that fails is rolled back whole; a lost
connection is dropped and the next write connects again. Failures raise
`JournalUnavailable` in plain words and the health says so, exactly as with SQLite, so the
alarm service's waiting and retrying work unchanged.

Every write that adds rows a seat must learn about (alarms, events) takes the feed lock and
numbers them from the `feed` sequence, then NOTIFYs the newest number (app.store.schema).
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

import psycopg

from app.core.access import Account
from app.core.access_log import AccessLogQuery, page_sql
from app.core.audit_chain import GENESIS, AuditRow, chained, link_hash
from app.core.codec import decode, decode_event, dumps
from app.core.events import Event
from app.core.holds import Hold, HoldError, RegisterRow, Span, SqlHeld
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
from app.core.journal import (
    AUDIT_CHUNK,
    AUDIT_SELECT,
    EVENTS_PAGE,
    HOLDS_SELECT,
    INCIDENTS_LISTED,
    PURGE_CHUNK,
    REGISTER_SELECT,
    USERS_SELECT,
    HealthTracking,
    JournalUnavailable,
    account_of,
    audit_row_of,
    by_id_pages,
    event_subject,
    event_time,
    hold_of,
    lifting,
    prefix,
    purge_row,
    register_row_of,
)
from app.core.journal_url import JournalLocation
from app.core.model import Alarm, OperatorAction, utc_now
from app.core.retention import Kind
from app.store import schema
from app.store.connection import (
    JournalCannotReach,
    JournalUnreachable,
    connect,
    explain,
    unreachable,
)
from app.store.postgres_recordings import PostgresRecordings

log = logging.getLogger(__name__)
T = TypeVar("T")


class JournalOutdated(JournalCannotReach):
    """The database's schema is older (or newer) than this console's: which command fixes it."""


def schema_version(conn: psycopg.Connection) -> int | None:
    """The journal schema's version in this database; None: no journal here yet."""
    row = conn.execute("SELECT to_regclass('csu_schema') IS NOT NULL").fetchone()
    if not row or not row[0]:
        return None
    got = conn.execute("SELECT max(version) FROM csu_schema").fetchone()
    return int(got[0]) if got and got[0] is not None else 0


def upgrade(conn: psycopg.Connection) -> list[int]:
    """Apply the migrations this database lacks, each in its own transaction with the version
    it brings. Returns the versions applied ([] when it was up to date)."""
    applied: list[int] = []
    with conn.transaction():
        conn.execute("CREATE TABLE IF NOT EXISTS csu_schema (version INTEGER NOT NULL, "
                     "applied TIMESTAMPTZ NOT NULL DEFAULT now(), about TEXT NOT NULL)")
    for version, about, script in schema.MIGRATIONS:
        with conn.transaction():
            conn.execute("LOCK TABLE csu_schema IN EXCLUSIVE MODE")  # one upgrader at a time
            have = conn.execute("SELECT coalesce(max(version), 0) FROM csu_schema").fetchone()
            if have is not None and int(have[0]) >= version:
                continue
            conn.execute(script)  # our own constant SQL
            if version == 2:
                _chain_unchained(conn)
            conn.execute("INSERT INTO csu_schema (version, about) VALUES (%s, %s)",
                         (version, about))
            log.info("journal schema: applied migration %d (%s)", version, about)
            applied.append(version)
    return applied


def _chain_unchained(conn: psycopg.Connection) -> None:
    """Chain the access-log rows written before schema 2 (they had no hash), in id order,
    inside the migration's transaction."""
    rows = conn.execute(AUDIT_SELECT + " WHERE hash = '' ORDER BY id").fetchall()
    if not rows:
        return
    last = conn.execute("SELECT hash FROM audit WHERE hash <> '' ORDER BY id DESC LIMIT 1"
                        ).fetchone()
    prev = str(last[0]) if last else GENESIS
    conn.execute("ALTER TABLE audit DISABLE TRIGGER audit_append_only")
    for row in rows:
        h = link_hash(prev, audit_row_of(row).action)
        conn.execute("UPDATE audit SET prev_hash = %s, hash = %s WHERE id = %s",
                     (prev, h, row[0]))
        prev = h
    conn.execute("ALTER TABLE audit ENABLE TRIGGER audit_append_only")
    log.info("journal schema: %d access-log row(s) chained", len(rows))


class PostgresJournal(HealthTracking, PostgresRecordings):
    """A room's journal. Thread-safe: one connection guarded by a lock, connected again after
    a loss. `create`: set the schema up in an empty database (the service's first start)."""

    def __init__(self, where: JournalLocation, password: str | None = None,
                 purpose: str = "journal", create: bool = False, check: bool = True) -> None:
        """`check`: connect now and check the schema (else at the first use: a seat that
        starts while the server does not answer)."""
        self.location = where
        self._password = password
        self._purpose = purpose
        self._lock = threading.Lock()
        self._conn: psycopg.Connection | None = None
        self._init_health()
        if not check:
            return
        try:
            conn = self._connection()
            version = schema_version(conn)
            conn.rollback()
            if version is None and create:
                upgrade(conn)
            elif version is None:
                raise JournalOutdated(
                    f"the database {where.database!r} on {where.host} holds no journal yet: "
                    f"start the console service on it (`csu-console serve`) or run "
                    f"`csu-console db upgrade --journal {where.url}`")
            elif version < schema.LATEST:
                raise JournalOutdated(
                    f"the journal in {where.database!r} on {where.host} has schema {version}, "
                    f"this console needs {schema.LATEST}: back the database up, then run "
                    f"`csu-console db upgrade --journal {where.url}`")
            elif version > schema.LATEST:
                raise JournalOutdated(
                    f"the journal in {where.database!r} on {where.host} has schema {version}, "
                    f"newer than this console's ({schema.LATEST}): update this console")
        except psycopg.Error as exc:
            self.close()
            kind = JournalUnreachable if unreachable(exc) else JournalCannotReach
            raise kind(f"the room's journal cannot be opened: {explain(exc, where)}") from exc
        except BaseException:
            self.close()
            raise

    @property
    def where(self) -> str:
        return self.location.url

    def _connection(self) -> psycopg.Connection:
        conn = self._conn
        if conn is None or conn.closed or conn.broken:
            self._conn = conn = connect(self.location, self._password, self._purpose)
        return conn

    def _drop_if_broken(self) -> None:
        conn = self._conn
        if conn is not None and (conn.closed or conn.broken):
            with contextlib.suppress(psycopg.Error):
                conn.close()
            self._conn = None

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except psycopg.Error as exc:
                    log.debug("closing the journal's connection: %s", exc)
                self._conn = None

    # -- the one write path -----------------------------------------------------------------
    def store(self, alarms: Sequence[Alarm] = (), actions: Sequence[OperatorAction] = (),
              events: Sequence[Event] = ()) -> None:
        """Alarms' current state, audit rows and events in ONE transaction: all of it is
        committed, or none of it (then `JournalUnavailable`)."""
        if not (alarms or actions or events):
            return
        event_rows = [(event_time(e), e.kind, event_subject(e), dumps(e)) for e in events]
        def write(cur: psycopg.Cursor) -> None:
            if alarms or events:
                self._feed_rows(cur, alarms, event_rows)
            if actions:
                self._audit_rows(cur, actions)

        with self._lock:
            try:
                self._in_transaction(write)
            except psycopg.IntegrityError:
                raise  # a bug of ours, not a state of the database: let it be seen
            except psycopg.Error as exc:
                problem = explain(exc, self.location)
                self._set_health(False, problem)
                raise JournalUnavailable(problem) from exc
        self._set_health(True)

    def _in_transaction(self, work: Callable[[psycopg.Cursor], T]) -> T:
        """`work` in one transaction, committed. A connection found dead before the commit
        (the server restarted while it idled) is replaced and the work done once more:
        nothing of it was committed. A failure at the commit itself is not retried."""
        conn = self._connection()
        try:
            try:
                with conn.cursor() as cur:
                    result = work(cur)
            except psycopg.OperationalError:
                if not conn.broken:
                    raise
                self._drop_if_broken()
                conn = self._connection()
                with conn.cursor() as cur:
                    result = work(cur)
            conn.commit()
            return result
        except BaseException:
            if not conn.broken and not conn.closed:
                with contextlib.suppress(psycopg.Error):
                    conn.rollback()
            self._drop_if_broken()
            raise

    @staticmethod
    def _feed_rows(cur: psycopg.Cursor, alarms: Sequence[Alarm],
                   event_rows: list[tuple[datetime, str, str, str]]) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (schema.FEED_LOCK,))
        count = len(alarms) + len(event_rows)
        cur.execute("SELECT nextval('feed') FROM generate_series(1, %s)", (count,))
        numbers = sorted(int(r[0]) for r in cur.fetchall())
        if event_rows:
            cur.executemany(
                "INSERT INTO events (id, ts, kind, subject, body) VALUES (%s, %s, %s, %s, %s)",
                [(n, *row) for n, row in zip(numbers, event_rows, strict=False)])
        if alarms:
            cur.executemany(
                "INSERT INTO alarms (seq, id, source, source_id, state, raised_at, updated_at,"
                " revision, feed, body) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (id) DO UPDATE SET state = excluded.state,"
                " updated_at = excluded.updated_at, revision = excluded.revision,"
                " feed = excluded.feed, body = excluded.body",
                [(int(a.id), a.id, a.source, a.source_id, a.state.value, a.raised_at,
                  a.history[-1].time if a.history else a.raised_at, a.revision, n, dumps(a))
                 for n, a in zip(numbers[len(event_rows):], alarms, strict=True)])
        cur.execute("SELECT pg_notify(%s, %s)", (schema.FEED_CHANNEL, str(numbers[-1])))

    @staticmethod
    def _audit_rows(cur: psycopg.Cursor, actions: Sequence[OperatorAction]) -> None:
        """Append to the access log, each row chained to the one before: the lock makes
        "the row before" the same for every writer."""
        cur.execute("SELECT pg_advisory_xact_lock(%s)", (schema.AUDIT_LOCK,))
        last = cur.execute("SELECT hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
        links = chained(str(last[0]) if last else GENESIS, actions)
        cur.executemany(
            "INSERT INTO audit (ts, actor, action, target, detail, user_name, role,"
            " workstation, purpose, recipients, cameras, range_start, range_end, prev_hash,"
            " hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [(x.time, x.actor, x.action, x.target, x.detail, x.user_name, x.role,
              x.workstation, x.purpose, json.dumps(list(x.recipients)),
              json.dumps(list(x.cameras)), x.range_start, x.range_end, prev, h)
             for x, (prev, h) in zip(actions, links, strict=True)])

    def audit_page(self, query: AccessLogQuery) -> list[AuditRow]:
        """One page of the access log, newest first (app.core.access_log)."""
        sql, params = page_sql(query, AUDIT_SELECT, postgres=True)
        return [audit_row_of(r) for r in self._read(sql, tuple(params))]

    # -- users (local accounts) -------------------------------------------------------------
    def put_account(self, account: Account, logged: OperatorAction | None = None) -> None:
        """Create or replace a local account and log it (`logged`), in one durable
        transaction (else `JournalUnavailable`, nothing changed)."""
        u = account.user
        row = (u.login, u.name, u.role.value, json.dumps(list(u.communes)), u.source,
               account.password_hash, u.disabled, account.created, account.updated)

        def write(cur: psycopg.Cursor) -> None:
            cur.execute(
                "INSERT INTO users (login, name, role, communes, source, password_hash,"
                " disabled, created, updated) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (login) DO UPDATE SET name = excluded.name,"
                " role = excluded.role, communes = excluded.communes,"
                " source = excluded.source, password_hash = excluded.password_hash,"
                " disabled = excluded.disabled, updated = excluded.updated", row)
            if logged is not None:
                self._audit_rows(cur, [logged])

        with self._lock:
            try:
                self._in_transaction(write)
            except psycopg.Error as exc:
                raise JournalUnavailable(explain(exc, self.location)) from exc

    def account(self, login: str) -> Account | None:
        rows = self._read(USERS_SELECT + " WHERE login = %s", (login,))
        return account_of(rows[0]) if rows else None

    def accounts(self) -> list[Account]:
        return [account_of(r) for r in self._read(USERS_SELECT + " ORDER BY login")]

    # -- reads ----------------------------------------------------------------------------
    def _read(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        def read(cur: psycopg.Cursor) -> list[tuple[object, ...]]:
            return list(cur.execute(sql, params).fetchall())

        with self._lock:
            try:
                return self._in_transaction(read)
            except psycopg.Error as exc:
                raise JournalUnavailable(explain(exc, self.location)) from exc

    def iter_events(self, start: datetime | None = None, end: datetime | None = None,
                    page: int = EVENTS_PAGE) -> Iterator[tuple[datetime, Event]]:
        """Events in time order, read `page` rows at a time after the last one read (a
        keyset on the ts index: a month of positions never sits in memory)."""
        cts: datetime | None = start
        cid = -1
        while True:
            rows = self._read(
                "SELECT ts, id, kind, body FROM events WHERE (%s::timestamptz IS NULL OR"
                " (ts >= %s AND (ts > %s OR id > %s))) AND (%s::timestamptz IS NULL OR ts <= %s)"
                " ORDER BY ts, id LIMIT %s", (cts, cts, cts, cid, end, end, page))
            for ts, _, kind, body in rows:
                try:
                    assert isinstance(ts, datetime)
                    yield ts, decode_event(str(kind), str(body))
                except (ValueError, TypeError, KeyError) as exc:
                    log.warning("journal row of kind %s cannot be decoded: %s", kind, exc)
            if len(rows) < page:
                return
            last_ts, last_id = rows[-1][0], rows[-1][1]
            assert isinstance(last_ts, datetime)
            cts, cid = last_ts, int(str(last_id))

    def count_events(self, kind: str | None = None) -> int:
        if kind is None:
            rows = self._read("SELECT count(*) FROM events")
        else:
            rows = self._read("SELECT count(*) FROM events WHERE kind = %s", (kind,))
        return int(str(rows[0][0]))

    def next_alarm_seq(self) -> int:
        rows = self._read("SELECT coalesce(max(seq), 0) + 1 FROM alarms")
        return int(str(rows[0][0]))

    def load_alarms(self, open_only: bool = False, changed_since: datetime | None = None
                    ) -> list[Alarm]:
        """Every alarm; `open_only`: the open ones; `changed_since`: the open ones and
        those changed since then (a restart needs no closed alarm of last year)."""
        q, params = "SELECT body FROM alarms", tuple[object, ...]()
        if open_only:
            q += " WHERE state <> 'closed'"
        elif changed_since is not None:
            q += " WHERE state <> 'closed' OR updated_at >= %s"
            params = (changed_since,)
        return decode_alarms(self._read(q + " ORDER BY seq", params))

    def actions(self) -> list[OperatorAction]:
        return [row.action for row in self.audit_rows()]

    def audit_rows(self, start: datetime | None = None, end: datetime | None = None,
                   chunk: int = AUDIT_CHUNK) -> Iterator[AuditRow]:
        """The access log in id order, read `chunk` rows at a time (it holds three years)."""
        sql = (AUDIT_SELECT + " WHERE id > %s AND (%s::timestamptz IS NULL OR ts >= %s)"
               " AND (%s::timestamptz IS NULL OR ts <= %s) ORDER BY id LIMIT %s")
        return map(audit_row_of, by_id_pages(
            lambda after: self._read(sql, (after, start, start, end, end, chunk)), chunk))

    # -- judicial holds, the purge and its register -----------------------------------------
    def _write(self, work: Callable[[psycopg.Cursor], T]) -> T:
        """`work` in one committed transaction (else `JournalUnavailable`, nothing changed;
        a HoldError from `work` is raised as it is)."""
        with self._lock:
            try:
                return self._in_transaction(work)
            except psycopg.Error as exc:
                raise JournalUnavailable(explain(exc, self.location)) from exc

    def place_hold(self, hold: Hold, workstation: str = "") -> int:
        """Store a hold and log its placing, in one transaction. Returns its number."""
        hold.check()

        def write(cur: psycopg.Cursor) -> int:
            if hold.incident and not cur.execute(
                    "SELECT 1 FROM alarms WHERE id = %s", (hold.incident,)).fetchone():
                raise HoldError(f"the journal holds no alarm {hold.incident}")
            row = cur.execute(
                "INSERT INTO holds (placed, placed_by, reference, range_start, range_end,"
                " cameras, incident, note) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
                " RETURNING id",
                (hold.placed, hold.placed_by, hold.reference, hold.range_start,
                 hold.range_end, json.dumps(list(hold.cameras)), hold.incident,
                 hold.note)).fetchone()
            placed = replace(hold, id=int(row[0]) if row else 0)
            self._audit_rows(cur, [placed.placed_action(workstation)])
            return placed.id

        return self._write(write)

    def lift_hold(self, hold_id: int, by: str, time: datetime | None = None,
                  workstation: str = "") -> Hold:
        """Lift an active hold and log it, in one transaction (HoldError: no such active
        hold). What it kept is purged at the next run, if its retention has passed."""
        when = time or utc_now()

        def write(cur: psycopg.Cursor) -> Hold:
            row = cur.execute(HOLDS_SELECT + " WHERE id = %s FOR UPDATE", (hold_id,)
                              ).fetchone()
            hold = lifting(hold_of(row) if row else None, hold_id)
            cur.execute("UPDATE holds SET lifted = %s, lifted_by = %s WHERE id = %s",
                        (when, by, hold_id))
            self._audit_rows(cur, [hold.lifted_action(by, when, workstation)])
            return replace(hold, lifted=when, lifted_by=by)

        return self._write(write)

    def holds(self, active_only: bool = True) -> list[Hold]:
        q = HOLDS_SELECT + (" WHERE lifted IS NULL" if active_only else "") + " ORDER BY id"
        return [hold_of(r) for r in self._read(q)]

    def add_register(self, row: RegisterRow, logged: bool = True) -> None:
        """A register row and (`logged`) its access-log row, in one transaction."""
        def write(cur: psycopg.Cursor) -> None:
            self._register(cur, row, logged)

        self._write(write)

    # -- incidents and bookmarks (replay) ---------------------------------------------------
    def save_incident(self, incident: Incident) -> int:
        """Store a new incident (id 0) or change a stored one; returns its id."""
        incident.check()
        if not incident.id:
            incident = replace(incident, created=incident.created or utc_now())
        values = list(incident_values(incident))

        def write(cur: psycopg.Cursor) -> int:
            if incident.id:
                cur.execute(update_incident_sql("%s"), [*values[:-2], incident.id])
                return incident.id
            row = cur.execute(insert_incident_sql("%s") + " RETURNING id", values).fetchone()
            return int(row[0]) if row else 0

        return self._write(write)

    def incidents(self, limit: int = INCIDENTS_LISTED) -> list[Incident]:
        """The latest incidents first."""
        return [incident_of(r) for r in self._read(
            INCIDENTS_SELECT + " ORDER BY id DESC LIMIT %s", (limit,))]

    def incident(self, incident_id: int) -> Incident | None:
        rows = self._read(INCIDENTS_SELECT + " WHERE id = %s", (incident_id,))
        return incident_of(rows[0]) if rows else None

    def add_bookmark(self, bookmark: Bookmark) -> int:
        def write(cur: psycopg.Cursor) -> int:
            row = cur.execute(insert_bookmark_sql("%s") + " RETURNING id", (
                bookmark.incident_id, bookmark.at, bookmark.note, bookmark.by,
                bookmark.created or utc_now())).fetchone()
            return int(row[0]) if row else 0

        return self._write(write)

    def bookmarks(self, incident_id: int) -> list[Bookmark]:
        return [bookmark_of(r) for r in self._read(
            BOOKMARKS_SELECT + " WHERE incident_id = %s ORDER BY at, id", (incident_id,))]

    def _register(self, cur: psycopg.Cursor, row: RegisterRow, logged: bool) -> None:
        cur.execute("INSERT INTO register (ts, rule, what, destroyed, range_start, range_end,"
                    " detail) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                    (row.time, row.rule, row.what, row.destroyed, row.range_start,
                     row.range_end, row.detail))
        if logged:
            self._audit_rows(cur, [row.action()])

    def register_rows(self, chunk: int = AUDIT_CHUNK) -> Iterator[RegisterRow]:
        """The register in order, read `chunk` rows at a time."""
        sql = REGISTER_SELECT + " WHERE id > %s ORDER BY id LIMIT %s"
        return map(register_row_of, by_id_pages(lambda after: self._read(sql, (after, chunk)),
                                                chunk))

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
        try:  # its own connection: the alarm path's writes never queue behind a chunk
            conn = connect(self.location, self._password, "retention")
        except psycopg.Error as exc:
            raise JournalUnavailable(explain(exc, self.location)) from exc
        try:
            if kind is Kind.ACCESS_LOG:
                destroyed, first = self._purge_access_log(conn, before, rule, now, chunk)
            elif kind is Kind.CLOSED_ALARMS:
                destroyed, first = self._purge_alarms(conn, before, held, chunk)
            else:
                destroyed, first = self._purge_events(conn, kind is Kind.POSITIONS, before,
                                                      held, chunk)
        finally:
            conn.close()
        if destroyed:
            self.add_register(RegisterRow(now, rule, kind.value, destroyed, first, before,
                                          held.references), logged=kind is not Kind.ACCESS_LOG)
        return destroyed

    def _chunk(self, conn: psycopg.Connection, work: Callable[[psycopg.Cursor], T]) -> T:
        """One chunk of a purge in one committed transaction on the purge's connection."""
        try:
            with conn.cursor() as cur:
                result = work(cur)
            conn.commit()
            return result
        except psycopg.Error as exc:
            if not conn.broken and not conn.closed:
                with contextlib.suppress(psycopg.Error):
                    conn.rollback()
            raise JournalUnavailable(explain(exc, self.location)) from exc

    def _held(self) -> SqlHeld:
        """What the active holds keep now (an incident: its alarm and its span)."""
        spans: list[Span] = []
        alarms: list[str] = []
        for hold in self.holds():
            if hold.range_start is not None and hold.range_end is not None:
                spans.append((hold.range_start, hold.range_end))
            if hold.incident:
                alarms.append(hold.incident)
                rows = self._read("SELECT raised_at, updated_at, state FROM alarms"
                                  " WHERE id = %s", (hold.incident,))
                for raised, updated, state in rows:
                    assert isinstance(raised, datetime)
                    assert isinstance(updated, datetime)
                    spans.append((raised, updated if state == "closed" else None))
        return SqlHeld(spans, alarms, "%s")

    def _purge_events(self, conn: psycopg.Connection, positions: bool, before: datetime,
                      held: SqlHeld, chunk: int) -> tuple[int, datetime | None]:
        """Walk the events older than `before` in (ts, id) order, `chunk` at a time: each
        step deletes, up to the chunk's last row, those of the kind that no hold keeps."""
        kind = " AND kind = 'position'" if positions else " AND kind <> 'position'"
        kept, kept_params = held.outside("ts")
        oldest = self._read("SELECT min(ts) FROM events WHERE ts < %s", (before,))[0][0]
        if not isinstance(oldest, datetime):
            return 0, None
        after: tuple[datetime, int] = (oldest, -1)
        total = 0

        def step(cur: psycopg.Cursor) -> tuple[datetime, int] | None:
            nonlocal total
            cts, cid = after
            bound = cur.execute(
                "SELECT ts, id FROM events WHERE ts < %s AND ts >= %s AND (ts > %s OR id > %s)"
                " ORDER BY ts, id LIMIT 1 OFFSET %s", (before, cts, cts, cid, chunk - 1)
            ).fetchone()
            upto, upto_params = "", list[object]()
            if bound is not None:
                upto = " AND ts <= %s AND (ts < %s OR id <= %s)"
                upto_params = [bound[0], bound[0], bound[1]]
            cur.execute("DELETE FROM events WHERE ts < %s AND ts >= %s AND (ts > %s OR id > %s)"
                        + upto + kind + kept,
                        [before, cts, cts, cid, *upto_params, *kept_params])
            total += max(cur.rowcount, 0)
            return (bound[0], int(bound[1])) if bound is not None else None

        while (nxt := self._chunk(conn, step)) is not None:
            after = nxt
        return total, oldest

    def _purge_alarms(self, conn: psycopg.Connection, before: datetime, held: SqlHeld,
                      chunk: int) -> tuple[int, datetime | None]:
        """Closed alarms last changed before `before`, never an open one, never the newest
        alarm (its number is where the next one counts from: the access log names alarms
        by number for three years, a number must never be given twice)."""
        kept, kept_params = held.alarm_kept_out()
        after, total = 0, 0
        first: datetime | None = None

        def step(cur: psycopg.Cursor) -> int:
            nonlocal after, total, first
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (schema.FEED_LOCK,))
            rows = cur.execute(
                "DELETE FROM alarms WHERE seq IN (SELECT seq FROM alarms WHERE"
                " state = 'closed' AND updated_at < %s AND seq > %s"
                " AND seq < (SELECT max(seq) FROM alarms)" + kept + " ORDER BY seq LIMIT %s)"
                " RETURNING seq, raised_at", [before, after, *kept_params, chunk]).fetchall()
            total += len(rows)
            if rows:
                after = max(int(r[0]) for r in rows)
                oldest = min(r[1] for r in rows)
                first = oldest if first is None else min(first, oldest)
            return len(rows)

        while self._chunk(conn, step) == chunk:
            pass
        return total, first

    def _purge_access_log(self, conn: psycopg.Connection, before: datetime, rule: str,
                          now: datetime, chunk: int) -> tuple[int, datetime | None]:
        """The oldest rows, older than `before`, `chunk` at a time; each step appends the
        purge row naming the hash the remaining chain starts from (app.core.audit_chain),
        in the same transaction, so the chain verifies intact between steps too. Only this
        transaction may delete (`csu.purging`, the trigger of schema 2)."""
        total = 0
        first: datetime | None = None

        def step(cur: psycopg.Cursor) -> int:
            nonlocal total, first
            cur.execute("SELECT pg_advisory_xact_lock(%s)", (schema.AUDIT_LOCK,))
            rows = cur.execute("SELECT id, ts, hash FROM audit ORDER BY id LIMIT %s",
                               (chunk,)).fetchall()
            old = prefix(rows, lambda r: r[1] < before)
            if not old:
                return 0
            cur.execute("SET LOCAL csu.purging = 'on'")
            cur.execute("DELETE FROM audit WHERE id <= %s", (old[-1][0],))
            cur.execute("SET LOCAL csu.purging = 'off'")
            self._audit_rows(cur, [purge_row(len(old), before, rule, now, str(old[-1][2]),
                                             old[0][1])])
            total += len(old)
            first = first or old[0][1]
            return len(old)

        while self._chunk(conn, step) == chunk:
            pass
        return total, first


def decode_alarms(rows: Sequence[tuple[object, ...]]) -> list[Alarm]:
    """Alarms from rows whose first column is the alarm's body; an unreadable one is said."""
    out: list[Alarm] = []
    for row in rows:
        try:
            out.append(decode(Alarm, json.loads(str(row[0]))))
        except (ValueError, TypeError, KeyError) as exc:
            log.error("an alarm row of the journal cannot be read: %s", exc)
    return out
