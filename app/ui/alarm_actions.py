"""The UI's one door to the alarm service: operator decisions become commands.

`submit` (e.g. `AlarmService.submit`) only queues the command and returns a future; the
future completes on the service's thread and its outcome is marshalled back to the GUI thread
through a queued signal. Nothing here waits: the GUI thread never blocks on the service.
The alarm's new state is NOT taken from the future: it arrives through the hub bridge like
every other change, so the queue has one source of truth and never shows an older state.
"""

from __future__ import annotations

import concurrent.futures
import functools
import getpass
import logging
import re
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from app.core.model import Alarm, AlarmOutcome, AlarmState
from app.services.alarm_book import (
    Acknowledge,
    AddNote,
    AlreadyHandled,
    Assign,
    Close,
    Command,
    InvalidTransition,
    handled_state,
)
from app.ui.labels import alarm_state_label, local_time

log = logging.getLogger(__name__)

_STATES = {s.value for s in AlarmState}

Submit = Callable[[Command], "concurrent.futures.Future[Alarm]"]
Lookup = Callable[[str], "Alarm | None"]


def _operator() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in the environment
        return "operator"


class AlarmActions(QObject):
    """acknowledge / assign / close / note, as the operator `operator`."""

    succeeded = Signal(object)  # Alarm, as the service stored it
    failed = Signal(str)  # a sentence for the operator
    # internal: (command, future) crossing from the service's thread to this object's thread
    _completed = Signal(object, object)

    def __init__(self, submit: Submit, operator: str | None = None,
                 parent: QObject | None = None, seen: Lookup | None = None) -> None:
        super().__init__(parent)
        self._submit = submit
        # the alarm as this operator sees it: commands are conditional on it, so that of two
        # operators acting on one alarm at once, one wins and the other is told who did
        self._seen = seen or (lambda _id: None)
        self.operator = operator or _operator()
        self.pending = 0
        self._completed.connect(self._on_completed, Qt.ConnectionType.QueuedConnection)

    def acknowledge(self, alarm_id: str) -> None:
        self._send(Acknowledge(alarm_id, self.operator, self._state_seen(alarm_id)))

    def assign(self, alarm_id: str, officer_id: str) -> None:
        self._send(Assign(alarm_id, self.operator, officer_id, self._state_seen(alarm_id)))

    def close(self, alarm_id: str, outcome: AlarmOutcome, note: str = "") -> None:
        self._send(Close(alarm_id, self.operator, outcome, note.strip(),
                         self._state_seen(alarm_id)))

    def _state_seen(self, alarm_id: str) -> str:
        alarm = self._seen(alarm_id)
        return handled_state(alarm) if alarm is not None else ""

    def note(self, alarm_id: str, text: str) -> None:
        self._send(AddNote(alarm_id, self.operator, text))

    def _send(self, cmd: Command) -> None:
        try:
            fut = self._submit(cmd)
        except Exception as exc:  # the service is gone (shutting down): say so, do not crash
            log.exception("command %r could not be submitted", cmd)
            self.failed.emit(self.tr("Alarm {0}: the alarm service did not take the command ({1})")
                             .format(cmd.alarm_id, exc))
            return
        self.pending += 1
        fut.add_done_callback(functools.partial(self._done, cmd))

    def _done(self, cmd: Command, fut: concurrent.futures.Future[Alarm]) -> None:
        # On the service's thread (or here, if already done): hand over, never touch Qt state.
        try:
            self._completed.emit(cmd, fut)
        except RuntimeError:  # this object was deleted meanwhile (window closing)
            log.debug("alarm command %r completed after its UI went away", cmd)

    def _on_completed(self, cmd: Command, fut: concurrent.futures.Future[Alarm]) -> None:
        self.pending -= 1
        exc = fut.exception()
        if exc is None:
            self.succeeded.emit(fut.result())
            return
        if not isinstance(exc, InvalidTransition):
            log.error("alarm command %r failed", cmd, exc_info=exc)
        self.failed.emit(self.explain(cmd, exc))

    def explain(self, cmd: Command, exc: BaseException) -> str:
        """The failure in plain words, e.g. "Alarm 12 is already closed"."""
        text = str(exc)
        aid = cmd.alarm_id
        if isinstance(exc, AlreadyHandled):
            what = {"acknowledged": self.tr("acknowledged"), "assigned": self.tr("assigned"),
                    "closed": self.tr("closed")}.get(exc.action, exc.action)
            return self.tr("Alarm {0} was already {1} by {2} at {3}").format(
                aid, what, exc.actor, local_time(exc.time))
        if re.search(r"\bis closed\b", text):
            return self.tr("Alarm {0} is already closed").format(aid)
        m = re.search(r"\bis already (\w+)", text)
        if m and m.group(1) in _STATES:
            state = alarm_state_label(AlarmState(m.group(1))).lower()
            return self.tr("Alarm {0} is already {1}").format(aid, state)
        if text.startswith("no alarm"):
            return self.tr("Alarm {0} is unknown to the alarm service").format(aid)
        if "empty note" in text:
            return self.tr("Alarm {0}: the note is empty").format(aid)
        if "assign to whom" in text:
            return self.tr("Alarm {0}: choose an officer to assign").format(aid)
        return self.tr("Alarm {0}: the action failed ({1})").format(aid, text)
