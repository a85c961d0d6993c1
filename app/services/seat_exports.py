"""A seat follows an evidence export the room's service runs (app/services/room_exports.py).

The seat sends EXPORT, then asks EXPORT_STATUS twice a second on a thread of its own,
passes the progress on, sends EXPORT_CANCEL once the cancel event is set, and settles the
future from the last status. The thread never outlives the seat: the seat's stop ends it at
once. Every way it can end without a package is said in words: the service refused it,
stopped during it, forgot it (it restarted), or cannot be reached.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from pathlib import Path
from typing import Any

from app.core.codec import to_jsonable
from app.core.evidence import EvidenceCancelled, EvidenceError, Manifest, parse_utc
from app.services import room_auth
from app.services.evidence.export import ExportResult, Progress
from app.services.evidence.request import ExportRequest
from app.services.gate import Refused
from app.services.room_commands import CommandRefused
from app.services.room_exports import UNKNOWN
from app.store.room import RoomLost

EXPORT_POLL_S = 0.5  # a running export's progress asked of the service this often
# how long the service may leave a command unanswered: a little longer than the service
# takes a command late (room_service.MAX_COMMAND_AGE_S = 60 s), so that an EXPORT this
# seat gave up on is refused if the service comes back, never run unfollowed
ANSWER_WAIT_S = 75.0
SLICE_S = 0.2  # how often a wait looks whether the seat stops or the service left

Send = Callable[..., Future[Any]]  # SeatRuntime.send(kind, body, read)

STOPPED = ("this console stopped while the service was exporting: the export goes on in "
           "the service; see its export folder")
SERVICE_GONE = ("the console service stopped during the export: it did not finish and "
                "nothing of it is kept; ask again once the service is back")
FORGOTTEN = ("the console service no longer knows this export ({why}): it restarted "
             "during it, so it did not finish; ask again")
NO_ANSWER = ("the console service has not answered for {s:.0f} s: the export's outcome is "
             "unknown; look in the service's export folder and its access log")


class _SeatStopped(Exception):
    pass


class _ServiceGone(Exception):
    pass


def settle(done: Future[ExportResult], st: dict[str, Any]) -> None:
    """The service's last status of an export, as the seat's future."""
    state = st["state"]
    if state == "done":
        _set(done, result=ExportResult(
            Path(st["folder"]), Path(st["zip"]) if st.get("zip") else None,
            Manifest.from_bytes(str(st["manifest"]).encode("utf-8")),
            parse_utc(st["timestamped"]) if st.get("timestamped") else None,
            tuple(st.get("warnings", ()))))
    elif state == "cancelled":
        _set(done, error=EvidenceCancelled(st.get("error", "")))
    elif state == "refused":
        _set(done, error=Refused(st.get("error", "")))
    else:
        _set(done, error=EvidenceError(st.get("error", "the export failed")))


def _set(done: Future[ExportResult], result: ExportResult | None = None,
         error: BaseException | None = None) -> None:
    """Settle once (the caller may have cancelled the future: then nothing to say)."""
    if done.done():
        return
    if error is not None:
        done.set_exception(error)
    else:
        assert result is not None
        done.set_result(result)


class SeatExports:
    """The exports this seat follows; `stop` ends their threads with the seat."""

    def __init__(self, send: Send, stopping: threading.Event,
                 service_here: Callable[[], bool]) -> None:
        self._send = send
        self._stopping = stopping
        self._service_here = service_here
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self, request: ExportRequest, progress: Progress,
              cancel: threading.Event) -> Future[ExportResult]:
        done: Future[ExportResult] = Future()
        done.add_done_callback(lambda f: cancel.set() if f.cancelled() else None)
        if self._stopping.is_set():
            done.set_exception(EvidenceError(STOPPED))
            return done
        if not self._service_here():  # asked now, it would run whenever the service is back
            done.set_exception(Refused("the console service is not running: nothing was "
                                       "exported; ask again once it is"))
            return done
        started = self._send(room_auth.EXPORT, json.dumps(to_jsonable(request)), int)
        thread = threading.Thread(target=self._follow, args=(started, done, progress, cancel),
                                  name="export-follow", daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()
        return done

    def join(self, timeout_s: float) -> None:
        """Wait for the following threads (the seat's stop is set: they end at once)."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            threads = list(self._threads)
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))

    def _follow(self, started: Future[int], done: Future[ExportResult], progress: Progress,
                cancel: threading.Event) -> None:
        try:
            try:
                number = self._answer(started, service_may_leave=False)
            except (CommandRefused, Refused) as exc:  # judged before it started
                raise Refused(str(exc)) from exc
            self._poll(number, done, progress, cancel)
        except _SeatStopped:
            _set(done, error=EvidenceError(STOPPED))
        except _ServiceGone:
            _set(done, error=EvidenceError(SERVICE_GONE))
        except FutureTimeout:
            _set(done, error=EvidenceError(NO_ANSWER.format(s=ANSWER_WAIT_S)))
        except Exception as exc:  # said as is (a Refused keeps its kind)
            _set(done, error=exc)

    def _poll(self, number: int, done: Future[ExportResult], progress: Progress,
              cancel: threading.Event) -> None:
        asked_cancel = False
        body = json.dumps({"export": number})
        answered = time.monotonic()
        said: tuple[float, str] | None = None
        while True:
            if cancel.is_set() and not asked_cancel:
                asked_cancel = True
                self._send(room_auth.EXPORT_CANCEL, body)  # the next status says it
            try:
                st = self._answer(self._send(room_auth.EXPORT_STATUS, body, json.loads))
            except (CommandRefused, Refused) as exc:
                raise EvidenceError(FORGOTTEN.format(why=exc) if UNKNOWN in str(exc)
                                    else f"the console service does not say how the "
                                         f"export goes ({exc})") from exc
            except RoomLost:  # the database, not the service: the export goes on there
                if time.monotonic() - answered > ANSWER_WAIT_S:
                    raise FutureTimeout from None
                asked_cancel = asked_cancel and not cancel.is_set()  # ask again once back
                if self._stopping.wait(EXPORT_POLL_S):
                    raise _SeatStopped from None
                continue
            answered = time.monotonic()
            if st["state"] == "running" and done.done():
                return  # the caller cancelled the future: the cancel is asked; stop here
            now = (float(st.get("fraction", 0)), str(st.get("step", "")))
            if now != said:  # a status unchanged since the last is not news
                said = now
                progress(*now)
            if st["state"] != "running":
                settle(done, st)
                return
            if self._stopping.wait(EXPORT_POLL_S):
                raise _SeatStopped

    def _answer(self, fut: Future[Any], service_may_leave: bool = True) -> Any:
        """The command's answer; _SeatStopped as soon as the seat stops, _ServiceGone when
        the service left the room meanwhile (`service_may_leave`), FutureTimeout after
        ANSWER_WAIT_S."""
        deadline = time.monotonic() + ANSWER_WAIT_S
        while True:
            try:
                return fut.result(timeout=SLICE_S)
            except FutureTimeout:
                if self._stopping.is_set():
                    raise _SeatStopped from None
                if service_may_leave and not self._service_here():
                    raise _ServiceGone from None
                if time.monotonic() >= deadline:
                    raise
