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
import logging
import queue
import socket
import threading
import time
import uuid
from typing import Any

from app.core.codec import dumps
from app.core.events import SeatInfo
from app.core.journal_url import JournalLocation
from app.core.model import Alarm, utc_now
from app.core.retry import backoff_delay
from app.services.room_commands import (
    ALARM,
    PTZ,
    CommandRefused,
    decode_alarm_command,
    decode_ptz_command,
    error_body,
)
from app.store.room import Attendance, Command, CommandInbox, RoomLost

log = logging.getLogger(__name__)

BEAT_S = 2.0
MAX_COMMAND_AGE_S = 60.0  # older than this when the service takes it: refused, ask again
RETRY_CAP_S = 5.0

Submit = Any  # AlarmService.submit
Ptz = Any  # Runtime.ptz


class ServiceRefused(Exception):
    """This service may not run on this journal (another one does): plain words."""


class RoomService:
    def __init__(self, where: JournalLocation, password: str | None, submit: Submit,
                 ptz: Ptz) -> None:
        user = _login()
        self.me = SeatInfo(uuid.uuid4().hex[:12], "service", socket.gethostname(), user,
                           utc_now(), utc_now())
        self._attendance = Attendance(where, password, self.me)
        self._inbox = CommandInbox(where, password)
        self._submit = submit
        self._ptz = ptz
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
        except RoomLost as exc:
            raise ServiceRefused(f"the room's database cannot be reached: {exc}") from exc
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(10)
        self._attendance.leave()
        self._attendance.close()
        self._inbox.close()

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
            if command.kind == ALARM:
                fut = self._submit(decode_alarm_command(command.body))
            elif command.kind == PTZ:
                fut = self._ptz(decode_ptz_command(command.body))
            else:
                raise CommandRefused(f"unknown command kind {command.kind!r}")
        except Exception as exc:
            self._refuse(command.id, exc)
            return
        self.taken += 1
        fut.add_done_callback(lambda f, cid=command.id: self._done.put((cid, f)))

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
                result = fut.result()
                outcomes.append((cid, "", dumps(result) if isinstance(result, Alarm) else ""))
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
