"""An operator's seat in a room: no adapters of its own; everything from the room's journal.

What the seat shows comes from the journal's feed (app.store.room.FeedReader): at attach a
snapshot, then every change in order, posted on the seat's own hub as the single-process
console's services would post them, so the window and the bridge do not know the
difference. What the operator decides goes to the room's service as commands
(app.services.room_commands) and comes back as the alarm's new state through the feed;
audit rows (a body-cam viewing) are written by the seat itself, durably, before the video
shows.

When the database is lost the seat keeps what it shows, says so (RoomStatus), refuses new
commands with the reason, and reconnects by itself with the house's backoff, then catches
up on everything committed meanwhile. When only the service is gone, the database still
takes commands: they wait for the service, which applies or refuses them when it is back.
"""

from __future__ import annotations

import concurrent.futures
import getpass
import json
import logging
import queue
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from app.core.access import User
from app.core.access_log import AccessLogQuery
from app.core.adapter import PtzCommand
from app.core.audit_chain import AuditRow
from app.core.codec import decode, to_jsonable
from app.core.events import (
    AlarmChanged,
    CameraAnnounced,
    Event,
    JournalStatus,
    OfficerAnnounced,
    RoomStatus,
    SeatInfo,
    SeatsChanged,
)
from app.core.hub import Hub
from app.core.incident import Bookmark, Incident
from app.core.journal import JournalHealth
from app.core.journal_url import JournalLocation
from app.core.model import Alarm, Camera, Officer, OperatorAction, utc_now
from app.core.recording import ReplaySource
from app.core.retry import backoff_delay
from app.core.site import Site
from app.net.recording_client import RoomRecordings
from app.net.recording_share import GrantTicket
from app.services import room_auth
from app.services.alarm_book import Command
from app.services.bodycam_policy import BodyCamPolicy, Decision
from app.services.consultation import Consultation
from app.services.evidence.export import ExportResult, Progress
from app.services.evidence.request import ExportRequest
from app.services.gate import Refused, Session
from app.services.replay_history import ReplayHistory
from app.services.replay_sources import ReplaySources
from app.services.room_commands import (
    ALARM,
    PTZ,
    CommandRefused,
    alarm_command_body,
    alarm_of,
    error_of,
    ptz_command_body,
)
from app.services.seat_exports import SeatExports
from app.store.connection import JournalUnreachable
from app.store.postgres_journal import PostgresJournal
from app.store.room import Attendance, Changes, CommandOutbox, FeedReader, RoomLost

log = logging.getLogger(__name__)

BEAT_S = 2.0  # heartbeat and the seats list, this often
# at most one look at the feed this often: in a storm the service commits hundreds of
# small batches a second, read together (the window's bridge takes them every 50 ms anyway)
LOOK_GAP_S = 0.025
RETRY_CAP_S = 5.0


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "operator"


def _nothing(_result: str) -> None:
    return None


def _service_logs(_action: OperatorAction) -> None:
    raise RuntimeError("a seat writes no access-log row: the room's service does "
                       "(SeatRuntime.open_bodycam)")


def _grant(result: str) -> GrantTicket | None:
    return decode(GrantTicket, json.loads(result)) if result else None


def _rows(result: str) -> list[AuditRow]:
    return [decode(AuditRow, r) for r in json.loads(result)]


@dataclass(frozen=True, slots=True)
class _Send:
    kind: str
    body: str | Callable[[], str]
    read: Callable[[str], Any]
    future: Future[Any]


class SeatAlarms:
    """`submit` like the alarm service's: a future completed once the service stored the
    change (or refused it, saying why)."""

    def __init__(self, seat: SeatRuntime) -> None:
        self._seat = seat

    def submit(self, cmd: Command) -> concurrent.futures.Future[Alarm]:
        return self._seat.send(ALARM, alarm_command_body(cmd), alarm_of)


class SeatRuntime:
    """The runtime of a seat: the same surface the window uses as `Runtime`'s."""

    def __init__(self, site: Site, where: JournalLocation, password: str | None = None,
                 user: str | None = None) -> None:
        self.site = site
        self.where = where
        self.hub = Hub()
        self.seat_id = uuid.uuid4().hex[:12]
        # connects and checks the schema now: JournalCannotReach in plain words at start
        # (a wrong password, an old schema); a server that does not answer yet is waited
        # for, the red band saying so: the workstation may boot before the database
        try:
            self.journal = PostgresJournal(where, password, purpose="seat")
        except JournalUnreachable as exc:
            log.error("seat: %s; starting anyway, attaching when it answers", exc)
            self.journal = PostgresJournal(where, password, purpose="seat", check=False)
        self.journal.on_health(self._journal_health)
        self.me = SeatInfo(self.seat_id, "seat", socket.gethostname(), user or _login(),
                           utc_now(), utc_now())
        self._feed = FeedReader(where, password)
        self._attendance = Attendance(where, password, self.me)
        self._outbox = CommandOutbox(where, password)
        self.alarms = SeatAlarms(self)
        self.cameras: dict[str, Camera] = {}
        self.officers: dict[str, Officer] = {}
        self._alarms: dict[str, Alarm] = {}
        # by command id: the future, and how to read the service's result for it
        self._waiting: dict[int, tuple[Future[Any], Callable[[str], Any]]] = {}
        self._waiting_lock = threading.Lock()
        self._sends: queue.SimpleQueue[_Send | None] = queue.SimpleQueue()
        # who is signed in here, as the service knows them (app.services.room_auth)
        self.session: Session | None = None
        self._secret = b""
        self._number = 0  # the last command number signed (the service refuses repeats)
        # the seat only asks the rule what a camera needs; the room's service logs viewings
        self.bodycams = BodyCamPolicy(_service_logs, alarms=self.current_alarms)
        self._stop = threading.Event()
        self._exports = SeatExports(self.send, self._stop, lambda: self._status.service_ok)
        self._reads = concurrent.futures.ThreadPoolExecutor(max_workers=1,
                                                            thread_name_prefix="seat-replay")
        self._feed_thread = threading.Thread(target=self._follow, name="seat-feed",
                                             daemon=True)
        self._send_thread = threading.Thread(target=self._send_loop, name="seat-commands",
                                             daemon=True)
        self._status = RoomStatus(database_ok=True, service_ok=True)
        self._seats: tuple[SeatInfo, ...] = ()
        self.attached = threading.Event()  # the first snapshot is shown
        self._started = False
        self._closed = False

    # -- the window's surface ----------------------------------------------------------------
    def current_alarms(self) -> list[Alarm]:
        return list(self._alarms.values())

    def submit(self, cmd: Command) -> concurrent.futures.Future[Alarm]:
        return self.alarms.submit(cmd)

    def audit(self, actor: str, action: str, target: str, detail: str = "") -> Future[None]:
        """Written by the service, as the signed-in person (the seat writes no log row)."""
        return self.send(room_auth.AUDIT, json.dumps(
            {"action": action, "target": target, "detail": detail}), _nothing)

    def open_bodycam(self, decision: Decision, operator: str, via: str,
                     reason: str = "") -> Future[None]:
        """The service judges and logs the viewing (fails closed: no service, no body cam)."""
        if not decision.is_body:
            done: Future[None] = Future()
            done.set_result(None)
            return done
        return self.send(room_auth.BODYCAM, json.dumps(
            {"camera": decision.camera.id, "via_alarm": decision.via_alarm, "via": via,
             "reason": reason}), _nothing)

    def ptz(self, command: PtzCommand) -> Future[Any]:
        if command.camera_id not in self.cameras:
            raise KeyError(f"unknown camera {command.camera_id!r}")
        return self.send(PTZ, ptz_command_body(command), _nothing)

    def read_access_log(self, query: AccessLogQuery) -> Future[list[AuditRow]]:
        """A page of the access log, read by the service for a chief (a seat's own database
        role cannot read it)."""
        return self.send(room_auth.ACCESS_LOG, json.dumps(to_jsonable(query)), _rows)

    def consult_recordings(self, consultation: Consultation) -> Future[GrantTicket | None]:
        """Judged and logged by the service before anything is shown (fails closed: no
        service, no recorded video); the grant to read its recordings comes back."""
        return self.send(room_auth.CONSULT, json.dumps(to_jsonable(consultation)),
                         _grant)

    def replay_sources(self, local: ReplaySource | None, grant: GrantTicket | None = None
                       ) -> ReplaySources:
        """The room's recordings, through the grant the service gave (none: nothing)."""
        return ReplaySources(RoomRecordings(grant) if grant is not None else local, ())

    # -- replay: the service keeps the incidents; the seat reads the journal's past itself --
    def incidents(self) -> Future[list[Incident]]:
        return self.send(room_auth.INCIDENTS, "{}", lambda r: [
            decode(Incident, row) for row in json.loads(r)])

    def save_incident(self, incident: Incident) -> Future[int]:
        return self.send(room_auth.INCIDENT, json.dumps(to_jsonable(incident)), int)

    def bookmarks(self, incident_id: int) -> Future[list[Bookmark]]:
        return self.send(room_auth.BOOKMARKS, json.dumps({"incident": incident_id}),
                         lambda r: [decode(Bookmark, row) for row in json.loads(r)])

    def add_bookmark(self, bookmark: Bookmark) -> Future[int]:
        return self.send(room_auth.BOOKMARK, json.dumps(to_jsonable(bookmark)), int)

    def export_evidence(self, request: ExportRequest, progress: Progress,
                        cancel: threading.Event) -> Future[ExportResult]:
        """Run by the service (it has the recordings; it judges and logs the export before
        it starts); this seat follows its progress and may cancel it
        (app/services/seat_exports.py). The package is in the service's export folder: the
        result's paths are the service's."""
        return self._exports.start(request, progress, cancel)

    def replay_history(self, start: datetime, end: datetime,
                       officers: Sequence[str] | None = None) -> Future[ReplayHistory]:
        """The journal's past, read by this seat (its database role reads events and
        alarms, as its live feed does); replay asks for it once the service has judged and
        logged the consultation."""
        return self._reads.submit(ReplayHistory.load, self.journal, start, end, officers)

    # -- who is signed in (sealed to the service; app.services.room_auth) ---------------------
    def sign_in(self, login: str, password: str) -> Future[User]:
        """Signed in at the service: the future gives the User, or fails with the service's
        refusal in plain words."""
        secret: list[bytes] = []  # the session's, once sealed (on the sending thread)

        def sealed() -> str:
            key = self._outbox.service_key()  # on the sending thread, the outbox's link
            if not key:
                raise CommandRefused("the console service is not running: nobody can sign "
                                     "in until it is")
            body, made = room_auth.seal(key, {"login": login, "password": password,
                                              "workstation": self.me.workstation})
            secret.append(made)
            return body

        return self.send(room_auth.SIGN_IN, sealed,
                         lambda result: self._signed_in(result, secret[0]))

    def lock(self) -> Future[None]:
        return self.send(room_auth.LOCK, "{}", self._locked)

    def unlock(self, password: str) -> Future[None]:
        def sealed() -> str:
            body, _ = room_auth.seal(self._outbox.service_key(), {"password": password})
            return body

        return self.send(room_auth.UNLOCK, sealed, self._unlocked)

    def sign_out(self, why: str = "") -> Future[None]:
        fut = self.send(room_auth.SIGN_OUT, json.dumps({"why": why}), _nothing)
        fut.add_done_callback(lambda _f: self._forget_session())
        return fut

    def _signed_in(self, result: str, secret: bytes) -> User:
        data = json.loads(result)
        user = decode(User, data["user"])
        self._secret, self._number = secret, 0
        self.session = Session(user, self.me.workstation, str(data["session"]))
        # the room's list of seats names who is signed in here (from the next beat)
        self.me = self._attendance.me = replace(self.me, user=user.login)
        return user

    def _locked(self, _result: str) -> None:
        if self.session is not None:
            self.session = replace(self.session, locked=True)

    def _unlocked(self, _result: str) -> None:
        if self.session is not None:
            self.session = replace(self.session, locked=False)

    def _forget_session(self) -> None:
        self.session, self._secret = None, b""

    def send(self, kind: str, body: str | Callable[[], str],
             read: Callable[[str], Any] = _nothing) -> concurrent.futures.Future[Any]:
        """Queue a command for the service (never blocks the caller). `body` may be made
        on the sending thread (a sealed sign-in reads the service's key first); `read`
        turns the service's result into the future's."""
        fut: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._sends.put(_Send(kind, body, read, fut))
        return fut

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> None:
        for cam in self.site.cameras:
            self._post(CameraAnnounced(cam.to_camera()))
        for off in self.site.officers:
            self._post(OfficerAnnounced(off.to_officer()))
        self._feed_thread.start()
        self._send_thread.start()
        self._started = True

    def stop(self) -> None:
        if self._started:
            self._started = False
            self._stop.set()
            self._sends.put(None)
            self._feed_thread.join(10)
            self._send_thread.join(10)
            self._exports.join(10)  # they see the stop at once
            self._attendance.leave()
        if not self._closed:
            self._closed = True
            for link in (self._feed, self._attendance, self._outbox):
                link.close()
            self._reads.shutdown(wait=True, cancel_futures=True)
            self.journal.close()
            with self._waiting_lock:
                waiting, self._waiting = self._waiting, {}
            for fut, _read in waiting.values():
                fut.cancel()

    # -- commands ---------------------------------------------------------------------------
    def _send_loop(self) -> None:
        while True:
            item = self._sends.get()
            if item is None:
                return
            fut = item.future
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                body = self._signed(item)
                # registered under the lock before the feed can see it settled
                with self._waiting_lock:
                    cid = self._outbox.send(self.seat_id, item.kind, body)
                    self._waiting[cid] = (fut, item.read)
            except RoomLost as exc:
                fut.set_exception(RoomLost(
                    f"the room's database cannot be reached: the action was not taken ({exc})"))
            except Exception as exc:  # nobody signed in, no service key...: said as is
                fut.set_exception(exc)

    def _signed(self, item: _Send) -> str:
        """The command's body as the service takes it: a sign-in sealed to its key, any
        other command in its session's envelope (numbered, signed)."""
        body = item.body() if callable(item.body) else item.body
        if item.kind == room_auth.SIGN_IN:
            return body
        session = self.session
        if session is None:
            raise Refused("nobody is signed in at this workstation")
        self._number += 1
        return room_auth.envelope(session.id, self._secret, self._number, item.kind, body)

    def _settle(self) -> None:
        """Complete the futures of the commands the service has settled."""
        with self._waiting_lock:
            ids = list(self._waiting)
        for cid, error, result in self._feed.settled(ids):
            with self._waiting_lock:
                waiting = self._waiting.pop(cid, None)
            if waiting is None:
                continue
            fut, read = waiting
            if error:
                fut.set_exception(error_of(error))
                continue
            try:
                fut.set_result(read(result))
            except Exception as exc:  # a result this seat cannot read: the command failed
                fut.set_exception(CommandRefused(f"the service's answer is unreadable ({exc})"))

    # -- following the room ----------------------------------------------------------------------
    def _follow(self) -> None:
        failures = 0
        next_beat = 0.0
        last_look = 0.0
        while not self._stop.is_set():
            try:
                if not self.attached.is_set():
                    self._show(self._feed.snapshot(), snapshot=True)
                    self.attached.set()
                elif self._feed.wait(min(0.5, max(0.0, next_beat - time.monotonic()))) \
                        or failures or time.monotonic() >= next_beat:
                    self._stop.wait(max(0.0, last_look + LOOK_GAP_S - time.monotonic()))
                    last_look = time.monotonic()
                    self._show(self._feed.catch_up())
                if time.monotonic() >= next_beat:
                    self._attendance.beat()
                    self._seen(self._attendance.present())
                    next_beat = time.monotonic() + BEAT_S
                if failures:
                    log.warning("seat: the room's database is back; caught up")
                failures = 0
                self._say(database_ok=True)
            except RoomLost as exc:
                failures += 1
                for link in (self._feed, self._attendance):
                    link.close()  # each connects afresh next time (a restarted server)
                if failures == 1:
                    log.error("seat: the room's database is lost: %s (what is shown is kept, "
                              "marked stale; reconnecting)", exc)
                self._say(database_ok=False, problem=str(exc))
                self._stop.wait(backoff_delay(failures, first_s=0.25, cap_s=RETRY_CAP_S))
                next_beat = 0.0
            except Exception:  # never let the feed thread die: say it, retry
                log.exception("seat: reading the room's journal failed")
                failures += 1
                self._stop.wait(backoff_delay(failures, first_s=0.25, cap_s=RETRY_CAP_S))

    def _show(self, changes: Changes, snapshot: bool = False) -> None:
        for event in changes.events:
            self._post(event)
        for alarm in changes.alarms:
            before = self._alarms.get(alarm.id)
            self._alarms[alarm.id] = alarm
            is_new = before is None and not snapshot
            occurred = before is not None and alarm.occurrences > before.occurrences
            self.hub.post(AlarmChanged(alarm, is_new=is_new, occurred=occurred))
        self._settle()

    def _post(self, event: Event) -> None:
        if isinstance(event, CameraAnnounced):
            self.cameras = {**self.cameras, event.camera.id: event.camera}
        elif isinstance(event, OfficerAnnounced):
            self.officers = {**self.officers, event.officer.id: event.officer}
        self.hub.post(event)

    def _seen(self, seats: tuple[SeatInfo, ...]) -> None:
        if [(s.seat_id, s.user) for s in seats] != [(s.seat_id, s.user) for s in self._seats]:
            self._seats = seats
            self.hub.post(SeatsChanged(seats))
        service = next((s for s in seats if s.role == "service"), None)
        self._say(service_ok=service is not None,
                  service=service.workstation if service else self._status.service)

    def _say(self, database_ok: bool | None = None, service_ok: bool | None = None,
             problem: str | None = None, service: str | None = None) -> None:
        old = self._status
        db = old.database_ok if database_ok is None else database_ok
        svc = old.service_ok if service_ok is None else service_ok
        text = (problem if problem is not None else old.problem) if not db else ""
        where = old.service if service is None else service
        if (db, svc, text, where) == (old.database_ok, old.service_ok, old.problem,
                                      old.service):
            return
        since = old.since if (db, svc) == (old.database_ok, old.service_ok) else utc_now()
        self._status = RoomStatus(db, svc, text, since, where)
        if svc != old.service_ok and db:
            (log.warning if svc else log.error)(
                "seat: the console service %s", "is back" if svc else "is not running")
        self.hub.post(self._status)

    def _journal_health(self, health: JournalHealth) -> None:
        """The seat writes only its audit rows; a database that fails them is the room's
        link lost, which RoomStatus says in a seat's words. The journal's own band (a
        single console's: sources not acknowledged...) would say wrong things here."""
        if health.ok:
            self.hub.post(JournalStatus(ok=True, since=health.since))
