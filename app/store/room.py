"""A room's shared journal seen from its processes: who is attached (seats and the service),
what changed since a seat last looked (the feed), and operator commands from the seats to
the service.

Each class owns ONE connection and is used by one thread. A lost connection raises
`RoomLost` (plain words); the caller reconnects with `reconnect()` after a backoff and
catches up from its cursors, so nothing committed while it was away is missed: NOTIFY only
says "look", the rows are the truth (notifications are not stored and carry 8,000 bytes).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import psycopg

from app.core.codec import decode_event
from app.core.events import Event, SeatInfo
from app.core.journal_url import JournalLocation
from app.core.model import Alarm
from app.store import schema
from app.store.connection import connect, explain
from app.store.postgres_journal import decode_alarms

log = logging.getLogger(__name__)

ALIVE_S = 10  # a seat or service not seen for this long is gone
RECENT_CLOSED_H = 12  # closed alarms a seat shows when it attaches
POSITIONS_H = 1  # an officer's last position older than this is not shown at attach
BATCH = 2000  # rows per catch-up query
# a seat away so long that more events than this came meanwhile (a night of positions)
# takes the latest of each instead of every one: the alarms still come one by one
MAX_BACKLOG = 50_000
# what a seat learns from the events table (alarm reports come as alarms)
SEAT_EVENT_KINDS = ("camera", "camera_status", "bodycam_live", "officer", "officer_status",
                    "position", "adapter_status", "recording_state")
LATEST_KINDS = tuple(k for k in SEAT_EVENT_KINDS if k != "position")


class RoomLost(Exception):
    """The room's database cannot be reached now: plain words; reconnect and catch up."""


class _Linked:
    """One connection, connected again on demand; errors in plain words."""

    purpose = "room"
    autocommit = True

    def __init__(self, where: JournalLocation, password: str | None) -> None:
        self.where = where
        self._password = password
        self._conn: psycopg.Connection | None = None

    @property
    def connected(self) -> bool:
        c = self._conn
        return c is not None and not c.closed and not c.broken

    def conn(self) -> psycopg.Connection:
        if not self.connected:
            self.close()
            try:
                self._conn = connect(self.where, self._password, self.purpose, self.autocommit)
            except psycopg.Error as exc:
                raise RoomLost(explain(exc, self.where)) from exc
            self._connected(self._conn)
        assert self._conn is not None
        return self._conn

    def _connected(self, conn: psycopg.Connection) -> None:
        """Called after each (re)connection."""

    def wait(self, timeout_s: float) -> bool:
        """Block until a notification on the channels this link LISTENs to (True) or the
        time is up (False)."""
        try:
            got = False
            for _ in self.conn().notifies(timeout=timeout_s, stop_after=1):
                got = True
            return got
        except psycopg.Error as exc:
            raise self.lost(exc) from exc

    def lost(self, exc: psycopg.Error) -> RoomLost:
        if not self.connected:
            self.close()
        return RoomLost(explain(exc, self.where))

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error as exc:
                log.debug("closing a room connection: %s", exc)
            self._conn = None


class Attendance(_Linked):
    """This process's row in the seats table, kept fresh, and the list of who is there. The
    service also holds the room's service lock on this connection: a second service on the
    same journal is refused at start."""

    purpose = "attendance"

    def __init__(self, where: JournalLocation, password: str | None, me: SeatInfo,
                 public_key: str = "") -> None:
        """`public_key`: the service's key for sealed sign-ins, published on its row."""
        super().__init__(where, password)
        self.me = me
        self.public_key = public_key

    def claim_service(self) -> str:
        """Take the one-service lock; '' when taken, else who holds it (plain words)."""
        try:
            row = self.conn().execute("SELECT pg_try_advisory_lock(%s)",
                                      (schema.SERVICE_LOCK,)).fetchone()
            if row and row[0]:
                return ""
            other = self.conn().execute(
                "SELECT workstation, since FROM seats WHERE role = 'service' AND "
                "last_seen > now() - make_interval(secs => %s) ORDER BY last_seen DESC "
                "LIMIT 1", (ALIVE_S,)).fetchone()
        except psycopg.Error as exc:
            raise self.lost(exc) from exc
        if other:
            return (f"another console service already runs on this journal (on {other[0]}, "
                    f"since {other[1]:%Y-%m-%d %H:%M} UTC)")
        return "another console service already holds this journal"

    def beat(self) -> None:
        """Say we are here (insert or refresh this process's row)."""
        m = self.me
        try:
            self.conn().execute(
                "INSERT INTO seats (seat_id, role, workstation, user_name, since, last_seen,"
                " public_key) VALUES (%s, %s, %s, %s, %s, now(), %s) ON CONFLICT (seat_id)"
                " DO UPDATE SET last_seen = now(), user_name = excluded.user_name,"
                " public_key = excluded.public_key",
                (m.seat_id, m.role, m.workstation, m.user, m.since, self.public_key))
        except psycopg.Error as exc:
            raise self.lost(exc) from exc

    def present(self) -> tuple[SeatInfo, ...]:
        """Who is attached now (seen within ALIVE_S), the service first."""
        try:
            rows = self.conn().execute(
                "SELECT seat_id, role, workstation, user_name, since, last_seen FROM seats"
                " WHERE last_seen > now() - make_interval(secs => %s)"
                " ORDER BY role <> 'service', since, seat_id", (ALIVE_S,)).fetchall()
        except psycopg.Error as exc:
            raise self.lost(exc) from exc
        return tuple(SeatInfo(str(a), str(b), str(c), str(d), e, f)
                     for a, b, c, d, e, f in rows)

    def leave(self) -> None:
        """Remove this process's row (a clean exit; a crash just stops beating)."""
        try:
            if self.connected:
                self.conn().execute("DELETE FROM seats WHERE seat_id = %s", (self.me.seat_id,))
        except psycopg.Error as exc:
            log.debug("leaving the room: %s", exc)


@dataclass
class Changes:
    """What a seat learns in one look: alarms' new states, other events, in feed order."""

    alarms: list[Alarm] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class FeedReader(_Linked):
    """LISTENs to the feed, then reads what is newer than its cursors: at attach a snapshot
    (open alarms, recent closed ones, the latest of each camera, officer, status and adapter),
    then every change, in order."""

    purpose = "seat feed"

    def __init__(self, where: JournalLocation, password: str | None) -> None:
        super().__init__(where, password)
        self.alarm_cursor = -1  # feed number of the newest alarm change seen (-1: none yet)
        self.event_cursor = -1

    def _connected(self, conn: psycopg.Connection) -> None:
        # LISTEN first, then read: a change committed in between is both notified and read
        for channel in (schema.FEED_CHANNEL, schema.DONE_CHANNEL):
            conn.execute(f"LISTEN {channel}")

    def snapshot(self) -> Changes:
        """The room as it is now, and the cursors set to it (one consistent read)."""
        try:
            conn = self.conn()
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursors = conn.execute(
                    "SELECT (SELECT coalesce(max(feed), 0) FROM alarms),"
                    " (SELECT coalesce(max(id), 0) FROM events)").fetchone()
                alarms = conn.execute(
                    "SELECT body FROM alarms WHERE state <> 'closed' OR updated_at > now()"
                    " - make_interval(hours => %s) ORDER BY seq", (RECENT_CLOSED_H,)).fetchall()
                latest = conn.execute(
                    "SELECT DISTINCT ON (kind, subject) id, kind, body FROM events"
                    " WHERE kind = ANY(%s) ORDER BY kind, subject, id DESC",
                    (list(LATEST_KINDS),)).fetchall()
                fixes = conn.execute(
                    "SELECT DISTINCT ON (subject) id, kind, body FROM events"
                    " WHERE kind = 'position' AND ts > now() - make_interval(hours => %s)"
                    " ORDER BY subject, id DESC", (POSITIONS_H,)).fetchall()
        except psycopg.Error as exc:
            raise self.lost(exc) from exc
        assert cursors is not None
        self.alarm_cursor, self.event_cursor = (int(c) for c in cursors)
        # announcements before statuses, each in the order it happened
        rows = sorted([*latest, *fixes], key=lambda r: int(r[0]))
        return Changes(decode_alarms(alarms), _events(rows))

    def catch_up(self) -> Changes:
        """Every change newer than the cursors (all of it, in batches). The cursors move
        only once everything was read: a link lost half-way reads it all again."""
        out = Changes()
        alarm_cursor, event_cursor = self.alarm_cursor, self.event_cursor
        try:
            conn = self.conn()
            # what was notified until now is read below: forget those notifications, or each
            # would bring one more look (a storm of small commits: one look per commit)
            for _ in conn.notifies(timeout=0):
                pass
            while True:
                rows = conn.execute(
                    "SELECT feed, body FROM alarms WHERE feed > %s ORDER BY feed LIMIT %s",
                    (alarm_cursor, BATCH)).fetchall()
                if rows:
                    alarm_cursor = int(rows[-1][0])
                    out.alarms += decode_alarms([(r[1],) for r in rows])
                if len(rows) < BATCH:
                    break
            newest = conn.execute("SELECT coalesce(max(id), 0) FROM events").fetchone()
            top = int(newest[0]) if newest else 0
            if top - event_cursor > MAX_BACKLOG:
                latest = conn.execute(
                    "SELECT DISTINCT ON (kind, subject) id, kind, body FROM events"
                    " WHERE id > %s AND id <= %s AND kind = ANY(%s)"
                    " ORDER BY kind, subject, id DESC",
                    (event_cursor, top, list(SEAT_EVENT_KINDS))).fetchall()
                out.events += _events(sorted(latest, key=lambda r: int(str(r[0]))))
                event_cursor = top
            while True:
                # the bodies of what a seat does not show (the alarm reports) stay on the server
                erows = conn.execute(
                    "SELECT id, kind, CASE WHEN kind = ANY(%s) THEN body END FROM events"
                    " WHERE id > %s ORDER BY id LIMIT %s",
                    (list(SEAT_EVENT_KINDS), event_cursor, BATCH)).fetchall()
                if erows:
                    event_cursor = int(erows[-1][0])
                    out.events += _events([r for r in erows if r[1] in SEAT_EVENT_KINDS])
                if len(erows) < BATCH:
                    break
        except psycopg.Error as exc:
            raise self.lost(exc) from exc
        self.alarm_cursor, self.event_cursor = alarm_cursor, event_cursor
        return out

    def settled(self, command_ids: Sequence[int]) -> list[tuple[int, str, str]]:
        """(id, error, result) of those of these commands the service has settled."""
        if not command_ids:
            return []
        try:
            rows = self.conn().execute(
                "SELECT id, coalesce(error, ''), coalesce(result, '') FROM commands"
                " WHERE id = ANY(%s) AND done IS NOT NULL ORDER BY id",
                (list(command_ids),)).fetchall()
        except psycopg.Error as exc:
            raise self.lost(exc) from exc
        return [(int(a), str(b), str(c)) for a, b, c in rows]


def _events(rows: Sequence[tuple[object, ...]]) -> list[Event]:
    out: list[Event] = []
    for _id, kind, body in rows:
        try:
            out.append(decode_event(str(kind), str(body)))
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("journal row of kind %s cannot be decoded: %s", kind, exc)
    return out


@dataclass(frozen=True, slots=True)
class Command:
    id: int
    seat_id: str
    kind: str
    body: dict[str, object]
    age_s: float


class CommandOutbox(_Linked):
    """A seat's commands to the service: one row each, then NOTIFY. Used by one thread."""

    purpose = "seat commands"

    def send(self, seat_id: str, kind: str, body: str) -> int:
        try:
            conn = self.conn()
            with conn.transaction():
                row = conn.execute(
                    "INSERT INTO commands (seat_id, kind, body) VALUES (%s, %s, %s)"
                    " RETURNING id", (seat_id, kind, body)).fetchone()
                assert row is not None
                conn.execute("SELECT pg_notify(%s, %s)",
                             (schema.COMMANDS_CHANNEL, str(row[0])))
        except psycopg.Error as exc:
            raise self.lost(exc) from exc
        return int(row[0])

    def service_key(self) -> str:
        """The running service's public key ('' when no service is there)."""
        try:
            row = self.conn().execute(
                "SELECT public_key FROM seats WHERE role = 'service' AND public_key <> ''"
                " AND last_seen > now() - make_interval(secs => %s)"
                " ORDER BY last_seen DESC LIMIT 1", (ALIVE_S,)).fetchone()
        except psycopg.Error as exc:
            raise self.lost(exc) from exc
        return str(row[0]) if row else ""


class CommandInbox(_Linked):
    """The service's side: LISTEN for commands, take the waiting ones in order, settle each."""

    purpose = "service commands"

    def __init__(self, where: JournalLocation, password: str | None) -> None:
        super().__init__(where, password)
        # taken, not settled yet (not a cursor: ids are taken before their commits, which
        # may come in another order)
        self.in_hand: set[int] = set()

    def _connected(self, conn: psycopg.Connection) -> None:
        conn.execute(f"LISTEN {schema.COMMANDS_CHANNEL}")

    def take(self) -> list[Command]:
        """Commands not settled and not already in hand, oldest first."""
        try:
            rows = self.conn().execute(
                "SELECT id, seat_id, kind, body, extract(epoch FROM now() - created)"
                " FROM commands WHERE done IS NULL AND NOT (id = ANY(%s)) ORDER BY id"
                " LIMIT 500", (list(self.in_hand),)).fetchall()
        except psycopg.Error as exc:
            raise self.lost(exc) from exc
        out: list[Command] = []
        for cid, seat, kind, body, age in rows:
            self.in_hand.add(int(cid))
            try:
                data = json.loads(str(body))
            except ValueError:
                data = {}
            out.append(Command(int(cid), str(seat), str(kind),
                               data if isinstance(data, dict) else {}, float(age)))
        return out

    def settle(self, command_id: int, error: str = "", result: str = "") -> None:
        self.settle_many([(command_id, error, result)])

    def settle_many(self, outcomes: Sequence[tuple[int, str, str]]) -> None:
        """Settle commands, (id, error, result) each, in one transaction and one NOTIFY
        (a seat looks up which of its own are settled): one each was a commit per
        acknowledgement, and in a storm of them the service took new commands late."""
        if not outcomes:
            return
        try:
            conn = self.conn()
            with conn.transaction():
                with conn.cursor() as cur:
                    cur.executemany(
                        "UPDATE commands SET done = now(), error = %s, result = %s"
                        " WHERE id = %s", [(e or None, r or None, cid) for cid, e, r in outcomes])
                conn.execute("SELECT pg_notify(%s, %s)",
                             (schema.DONE_CHANNEL, str(outcomes[-1][0])))
        except psycopg.Error as exc:
            raise self.lost(exc) from exc
        for cid, _error, _result in outcomes:
            self.in_hand.discard(cid)


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A seat's session as the service keeps it (the secret sealed with its own key)."""

    id: str
    seat_id: str
    user_body: str
    workstation: str
    secret_sealed: str
    locked: bool
    last_number: int  # the highest command number the service has seen in it


class SessionStore(_Linked):
    """The service's record of the seats' sessions (only the service uses it). Used rarely
    (a sign-in, a lock): a link found dead (the server restarted meanwhile) is connected
    again and the write done once more; each write is one statement, nothing was done."""

    purpose = "service sessions"

    def save(self, s: StoredSession, login: str) -> None:
        self._update(
            "INSERT INTO sessions (id, seat_id, login, user_body, workstation,"
            " secret_sealed, locked, started) VALUES (%s, %s, %s, %s, %s, %s, %s, now())",
            (s.id, s.seat_id, login, s.user_body, s.workstation, s.secret_sealed, s.locked))

    def set_locked(self, session_id: str, locked: bool) -> None:
        self._update("UPDATE sessions SET locked = %s WHERE id = %s", (locked, session_id))

    def end(self, session_id: str) -> None:
        self._update("UPDATE sessions SET ended = now() WHERE id = %s", (session_id,))

    def end_seat(self, seat_id: str) -> None:
        """A seat signs in again: its earlier sessions end."""
        self._update("UPDATE sessions SET ended = now() WHERE seat_id = %s AND ended IS NULL",
                     (seat_id,))

    def _update(self, sql: str, params: tuple[object, ...]) -> None:
        for attempt in (1, 2):
            try:
                self.conn().execute(sql, params)
                return
            except psycopg.OperationalError as exc:
                if attempt == 2 or self.connected:
                    raise self.lost(exc) from exc
                self.close()
            except psycopg.Error as exc:
                raise self.lost(exc) from exc

    def open_sessions(self) -> list[StoredSession]:
        """The sessions not ended, each with the highest command number the service has
        settled (read from the commands themselves: no write per command to keep it; those
        still waiting are taken next)."""
        try:
            conn = self.conn()
            rows = conn.execute(
                "SELECT id, seat_id, user_body, workstation, secret_sealed, locked, started"
                " FROM sessions WHERE ended IS NULL").fetchall()
            out = []
            for sid, seat, user_body, workstation, sealed, locked, started in rows:
                bodies = conn.execute(
                    "SELECT body FROM commands WHERE seat_id = %s AND created >= %s"
                    " AND kind <> 'sign_in' AND done IS NOT NULL", (seat, started)).fetchall()
                out.append(StoredSession(str(sid), str(seat), str(user_body),
                                         str(workstation), str(sealed), bool(locked),
                                         _highest_number(str(sid), (b for (b,) in bodies))))
        except psycopg.Error as exc:
            raise self.lost(exc) from exc
        return out


def _highest_number(session_id: str, bodies: Iterable[object]) -> int:
    """The highest command number of a session among command bodies (a seat may have
    written anything there: what does not read is skipped)."""
    best = 0
    for text in bodies:
        try:
            body = json.loads(str(text))
            if isinstance(body, dict) and body.get("session") == session_id:
                best = max(best, int(body.get("n", 0)))
        except (ValueError, TypeError):
            continue
    return best
