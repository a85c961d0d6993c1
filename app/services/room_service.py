"""The console service's side of a room: it says it is there (and that it is the only
service on this journal), and takes the seats' commands, in order, applying them through
the same alarm service as its own adapters' reports.

Commands are settled (done, or refused with the reason) in the journal; a seat learns the
outcome through NOTIFY and, for an alarm, the new state through the feed. A command that
waited too long for a service (it was down) is refused rather than applied out of its
moment: the operator asks again on what they see now.
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
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Protocol

from app.core.access import User
from app.core.access_log import AccessLogQuery
from app.core.adapter import PtzCommand
from app.core.audit_chain import AuditRow
from app.core.codec import decode, dumps, to_jsonable
from app.core.events import SeatInfo
from app.core.incident import Bookmark, Incident
from app.core.journal import JournalStore
from app.core.journal_url import JournalLocation
from app.core.model import Alarm, Camera, utc_now
from app.core.retry import backoff_delay
from app.net.recording_share import GrantTicket
from app.services import room_auth
from app.services.alarm_book import Command as AlarmCommand
from app.services.bodycam_policy import BodyCamPolicy, Decision
from app.services.consultation import Consultation
from app.services.evidence.export import ExportResult, Progress
from app.services.evidence.request import ExportRequest
from app.services.gate import Gate, Session
from app.services.room_commands import (
    ALARM,
    PTZ,
    CommandRefused,
    decode_alarm_command,
    decode_ptz_command,
    error_body,
)
from app.services.room_exports import RoomExports
from app.services.sign_in import SignIn
from app.store.room import (
    Attendance,
    Command,
    CommandInbox,
    RoomLost,
    SessionStore,
    StoredSession,
)

log = logging.getLogger(__name__)

BEAT_S = 2.0
MAX_COMMAND_AGE_S = 60.0  # older than this when the service takes it: refused, ask again
RETRY_CAP_S = 5.0



class Served(Protocol):
    """What the service does for a seat's session (the console's `Runtime`): each call asks
    the gate first, so a seat gets exactly what the console itself would."""

    sign_ins: SignIn
    gate: Gate
    bodycams: BodyCamPolicy
    cameras: dict[str, Camera]
    journal: JournalStore

    def submit_as(self, session: Session | None, cmd: AlarmCommand) -> Future[Alarm]: ...
    def ptz_as(self, session: Session | None, command: PtzCommand) -> Future[Any]: ...
    def open_bodycam_as(self, session: Session | None, decision: Decision, operator: str,
                        via: str, reason: str = "") -> Future[None]: ...
    def audit_as(self, session: Session | None, action: str, target: str,
                 detail: str = "") -> Future[None]: ...
    def read_access_log_as(self, session: Session | None, query: AccessLogQuery
                           ) -> Future[list[AuditRow]]: ...
    def consult_recordings_as(self, session: Session | None, consultation: Consultation
                              ) -> Future[GrantTicket | None]: ...
    def incidents_as(self, session: Session | None) -> Future[list[Incident]]: ...
    def save_incident_as(self, session: Session | None, incident: Incident
                         ) -> Future[int]: ...
    def bookmarks_as(self, session: Session | None, incident_id: int
                     ) -> Future[list[Bookmark]]: ...
    def add_bookmark_as(self, session: Session | None, bookmark: Bookmark) -> Future[int]: ...
    def export_evidence_as(self, session: Session | None, request: ExportRequest,
                           progress: Progress, cancel: threading.Event
                           ) -> Future[ExportResult]: ...


@dataclass
class _SeatSession:
    session: Session
    secret: bytes
    seat_id: str
    last_n: int = 0


class ServiceRefused(Exception):
    """This service may not run on this journal (another one does): plain words."""


class RoomService:
    def __init__(self, where: JournalLocation, password: str | None, served: Served) -> None:
        user = _login()
        self.me = SeatInfo(uuid.uuid4().hex[:12], "service", socket.gethostname(), user,
                           utc_now(), utc_now())
        self._key = room_auth.service_key()
        self._attendance = Attendance(where, password, self.me,
                                      room_auth.public_text(self._key))
        self._inbox = CommandInbox(where, password)
        self._stored = SessionStore(where, password)
        self._served = served
        self._sessions: dict[str, _SeatSession] = {}
        self._auth_io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="room-sign-in")
        self._exports = RoomExports(served.export_evidence_as)
        self._done: queue.SimpleQueue[tuple[int, concurrent.futures.Future[Any]]] = \
            queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="room-service", daemon=True)
        self.taken = 0
        self.refused = 0

    def start(self) -> None:
        """Claim the room (ServiceRefused when another service holds it), then serve."""
        try:
            other = self._attendance.claim_service()
            if other:
                raise ServiceRefused(other)
            self._attendance.beat()
            self._load_sessions()
        except RoomLost as exc:
            raise ServiceRefused(f"the room's database cannot be reached: {exc}") from exc
        self._thread.start()

    def _load_sessions(self) -> None:
        """The seats' sessions of before a restart (those this key can open)."""
        for stored in self._stored.open_sessions():
            try:
                secret = room_auth.unseal_secret(self._key, stored.secret_sealed)
                user = decode(User, json.loads(stored.user_body))
            except (room_auth.NotAuthentic, ValueError, TypeError, KeyError):
                self._stored.end(stored.id)  # made with another key: that seat signs in again
                continue
            session = Session(user, stored.workstation, stored.id, stored.locked)
            self._sessions[stored.id] = _SeatSession(session, secret, stored.seat_id,
                                                     stored.last_number)
        if self._sessions:
            log.info("service: %d seat session(s) taken back", len(self._sessions))

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
        self._auth_io.shutdown(wait=True)
        self._exports.stop()  # cancelled, cleaned and logged while the journal is open
        self._attendance.leave()
        self._attendance.close()
        self._inbox.close()
        self._stored.close()

    def _run(self) -> None:
        failures = 0
        next_beat = time.monotonic() + BEAT_S
        while not self._stop.is_set():
            try:
                self._inbox.wait(0.2)
                self._settle_done()
                for command in self._inbox.take():
                    self._take(command)
                if time.monotonic() >= next_beat:
                    if failures:  # connected again: the service lock went with the old link
                        other = self._attendance.claim_service()
                        if other:
                            log.critical("service: %s; this service stops taking commands",
                                         other)
                            raise RoomLost(other)
                    self._attendance.beat()
                    next_beat = time.monotonic() + BEAT_S
                if failures:
                    log.warning("service: the room's database is back")
                failures = 0
            except RoomLost as exc:
                failures += 1
                for link in (self._inbox, self._attendance):
                    link.close()  # each connects afresh next time (a restarted server)
                if failures == 1:
                    log.error("service: the room's database is lost: %s (reconnecting)", exc)
                self._stop.wait(backoff_delay(failures, first_s=0.25, cap_s=RETRY_CAP_S))
                next_beat = 0.0
            except Exception:
                log.exception("service: taking the seats' commands failed")
                failures += 1
                self._stop.wait(backoff_delay(failures, first_s=0.25, cap_s=RETRY_CAP_S))

    def _take(self, command: Command) -> None:
        if command.age_s > MAX_COMMAND_AGE_S:
            self._refuse(command.id, CommandRefused(
                f"the console service was not running when this was asked "
                f"({command.age_s:.0f} s ago): look at the alarm again and ask again"))
            return
        try:
            fut = self._run_command(command)
        except Exception as exc:
            if isinstance(exc, room_auth.NotAuthentic | SessionUnknown):
                self._log_refusal(command, str(exc))
            self._refuse(command.id, exc)
            return
        self.taken += 1
        cid = command.id
        fut.add_done_callback(lambda f: self._done.put((cid, f)))

    def _run_command(self, command: Command) -> Future[Any]:
        """What the command asks, as the session that signed it (the gate decides)."""
        if command.kind == room_auth.SIGN_IN:
            return self._auth_io.submit(self._sign_in, command)
        seat, body = self._authentic(command)
        session = seat.session
        s = self._served
        if command.kind == ALARM:
            return s.submit_as(session, decode_alarm_command(body))
        if command.kind == PTZ:
            return s.ptz_as(session, decode_ptz_command(body))
        if command.kind == room_auth.BODYCAM:
            camera = s.cameras.get(str(body.get("camera")))
            if camera is None:
                raise CommandRefused(f"unknown camera {body.get('camera')!r}")
            via_alarm = body.get("via_alarm")
            decision = s.bodycams.decide(camera, str(via_alarm) if via_alarm else None)
            return s.open_bodycam_as(session, decision, session.user.login,
                                     str(body.get("via", "")), str(body.get("reason", "")))
        if command.kind == room_auth.AUDIT:
            return s.audit_as(session, str(body.get("action", "")), str(body.get("target", "")),
                              str(body.get("detail", "")))
        if command.kind == room_auth.ACCESS_LOG:
            return s.read_access_log_as(session, decode(AccessLogQuery, body))
        if command.kind == room_auth.CONSULT:
            return s.consult_recordings_as(session, decode(Consultation, body))
        if command.kind == room_auth.INCIDENTS:
            return s.incidents_as(session)
        if command.kind == room_auth.INCIDENT:
            return s.save_incident_as(session, decode(Incident, body))
        if command.kind == room_auth.BOOKMARKS:
            return s.bookmarks_as(session, int(body.get("incident", 0)))
        if command.kind == room_auth.BOOKMARK:
            return s.add_bookmark_as(session, decode(Bookmark, body))
        if command.kind == room_auth.EXPORT:
            request = decode(ExportRequest, body)
            return self._auth_io.submit(self._exports.begin, session, request)
        if command.kind == room_auth.EXPORT_STATUS:
            return self._auth_io.submit(self._exports.status, session,
                                        int(body.get("export", 0)))
        if command.kind == room_auth.EXPORT_CANCEL:
            return self._auth_io.submit(self._exports.cancel, session,
                                        int(body.get("export", 0)))
        if command.kind == room_auth.LOCK:
            self._stored.set_locked(session.id, True)
            seat.session = replace(session, locked=True)
            return self._auth_io.submit(s.sign_ins.log_locked, session.user,
                                        session.workstation)
        if command.kind == room_auth.UNLOCK:
            return self._auth_io.submit(self._unlock, seat, body)
        if command.kind == room_auth.SIGN_OUT:
            self._stored.end(session.id)
            self._sessions.pop(session.id, None)
            share = getattr(s, "share", None)
            if share is not None:  # what they were given to replay ends with them
                share.grants.revoke(session.user.login)
            return self._auth_io.submit(s.sign_ins.sign_out, session.user,
                                        session.workstation, str(body.get("why", "")))
        raise CommandRefused(f"unknown command kind {command.kind!r}")

    def _authentic(self, command: Command) -> tuple[_SeatSession, dict[str, Any]]:
        """The session that signed this command and what it asks; NotAuthentic /
        SessionUnknown otherwise."""
        env = room_auth.open_envelope(command.body)
        seat = self._sessions.get(env.session_id)
        if seat is None:
            raise SessionUnknown("the console service does not know this session (it "
                                 "restarted, or the session ended): sign in again")
        if seat.seat_id != command.seat_id or not env.authentic(seat.secret, command.kind):
            raise room_auth.NotAuthentic("the command's signature does not hold for its "
                                         "session")
        if env.n <= seat.last_n:
            raise room_auth.NotAuthentic(f"the command repeats an earlier one (number {env.n})")
        seat.last_n = env.n
        return seat, _inner(env.body)

    def _sign_in(self, command: Command) -> str:
        payload, secret = room_auth.unseal(self._key, command.body)
        workstation = str(payload.get("workstation", ""))[:128] or command.seat_id
        user = self._served.sign_ins.sign_in(str(payload.get("login", "")),
                                             str(payload.get("password", "")), workstation)
        session = Session(user, workstation, room_auth.new_session_id())
        self._stored.end_seat(command.seat_id)
        self._stored.save(StoredSession(
            session.id, command.seat_id, json.dumps(to_jsonable(user)), workstation,
            room_auth.seal_secret(self._key, secret), False, 0), user.login)
        for sid in [k for k, v in self._sessions.items() if v.seat_id == command.seat_id]:
            left = self._sessions.pop(sid, None)  # one session per seat: the new one
            if left is not None:  # switch user: who left is logged too
                self._served.sign_ins.sign_out(left.session.user, left.session.workstation,
                                               f"{user.login} signed in at this seat")
        self._sessions[session.id] = _SeatSession(session, secret, command.seat_id)
        return json.dumps({"session": session.id, "user": to_jsonable(user)})

    def _unlock(self, seat: _SeatSession, body: dict[str, Any]) -> str:
        payload, _ = room_auth.unseal(self._key, body)
        self._served.sign_ins.unlock(seat.session.user, str(payload.get("password", "")),
                                     seat.session.workstation)
        self._stored.set_locked(seat.session.id, False)
        seat.session = replace(seat.session, locked=False)
        return ""

    def _log_refusal(self, command: Command, reason: str) -> None:
        self._served.gate.log_refusal(None, f"command:{command.kind}",
                                      f"from seat {command.seat_id}: {reason}")

    def _refuse(self, command_id: int, exc: BaseException) -> None:
        self.refused += 1
        log.info("service: command %d refused: %s", command_id, exc)
        self._inbox.settle(command_id, error=error_body(exc))

    def _settle_done(self) -> None:
        """Settle every command done since the last pass, together."""
        done: list[tuple[int, concurrent.futures.Future[Any]]] = []
        while True:
            try:
                done.append(self._done.get_nowait())
            except queue.Empty:
                break
        outcomes = []
        for cid, fut in done:
            exc = fut.exception()
            if exc is not None:
                outcomes.append((cid, error_body(exc), ""))
            else:
                outcomes.append((cid, "", result_text(fut.result())))
        try:
            self._inbox.settle_many(outcomes)
        except RoomLost:
            for item in done:
                self._done.put(item)  # settled once the database is back
            raise


def _login() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "service"


class SessionUnknown(Exception):
    """A command from a session this service does not hold: sign in again."""


def _inner(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError as exc:
        raise CommandRefused(f"the command's body is not JSON ({exc})") from exc
    if not isinstance(body, dict):
        raise CommandRefused("the command's body is not a JSON object")
    return body



def result_text(result: object) -> str:
    """A command's result as the seat reads it: an alarm's state, a text (a sign-in's
    answer), rows (a page of the access log, incidents), a number, an object (an export's
    status), or nothing."""
    if isinstance(result, Alarm):
        return dumps(result)
    if isinstance(result, str):
        return result
    if isinstance(result, GrantTicket):
        return json.dumps(to_jsonable(result))
    if isinstance(result, int) and not isinstance(result, bool):
        return str(result)  # a number: an incident's, a bookmark's
    return json.dumps(to_jsonable(result)) if isinstance(result, list | dict) else ""
