"""The alarm state machine and the book of current alarms (pure: no threads, no I/O).

new → acknowledged → assigned → closed (handled | false alarm | escalated), with who and
when on every step. An operator may assign or close an alarm still `new`: the book then
records the implied acknowledgement first, so the history always reads in order.
De-duplication is on (source, source id): a repeated report adds a step, never a row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from app.core.events import AlarmReported
from app.core.model import Alarm, AlarmOutcome, AlarmState, AlarmStep, AlarmType


class InvalidTransition(ValueError):
    """The command does not apply to the alarm in its current state."""


@dataclass(frozen=True, slots=True)
class Acknowledge:
    alarm_id: str
    actor: str


@dataclass(frozen=True, slots=True)
class Assign:
    alarm_id: str
    actor: str
    officer_id: str


@dataclass(frozen=True, slots=True)
class Close:
    alarm_id: str
    actor: str
    outcome: AlarmOutcome
    note: str = ""


@dataclass(frozen=True, slots=True)
class AddNote:
    alarm_id: str
    actor: str
    note: str


Command = Acknowledge | Assign | Close | AddNote


def _step(alarm: Alarm, now: datetime, actor: str, action: str, state: AlarmState,
          detail: str = "") -> Alarm:
    # Steps never go back in time, even if the wall clock does.
    last = alarm.history[-1].time if alarm.history else alarm.raised_at
    t = max(now, last)
    return replace(alarm, state=state,
                   history=(*alarm.history, AlarmStep(t, actor, action, state, detail)))


def apply_command(alarm: Alarm, cmd: Command, now: datetime) -> Alarm:
    """The alarm after `cmd`, or InvalidTransition. Pure."""
    if isinstance(cmd, AddNote):
        if not cmd.note.strip():
            raise InvalidTransition("an empty note")
        return _step(alarm, now, cmd.actor, "note", alarm.state, cmd.note.strip())
    if alarm.state is AlarmState.CLOSED:
        raise InvalidTransition(f"alarm {alarm.id} is closed")
    if isinstance(cmd, Acknowledge):
        if alarm.state is not AlarmState.NEW:
            raise InvalidTransition(f"alarm {alarm.id} is already {alarm.state.value}")
        return _step(alarm, now, cmd.actor, "acknowledged", AlarmState.ACKNOWLEDGED)
    if alarm.state is AlarmState.NEW:
        alarm = _step(alarm, now, cmd.actor, "acknowledged", AlarmState.ACKNOWLEDGED)
    if isinstance(cmd, Assign):
        if not cmd.officer_id:
            raise InvalidTransition("assign to whom?")
        alarm = replace(alarm, assigned_to=cmd.officer_id)
        return _step(alarm, now, cmd.actor, "assigned", AlarmState.ASSIGNED, cmd.officer_id)
    # Close
    alarm = replace(alarm, outcome=cmd.outcome)
    return _step(alarm, now, cmd.actor, "closed", AlarmState.CLOSED,
                 f"{cmd.outcome.value}: {cmd.note}".rstrip(": ").strip())


def escalate(alarm: Alarm, now: datetime) -> Alarm:
    """Mark an alarm left unacknowledged past its threshold; raise its priority one step."""
    alarm = replace(alarm, escalated=True, priority=max(1, alarm.priority - 1))
    return _step(alarm, now, "system", "escalated", alarm.state,
                 "unacknowledged past the threshold")


class AlarmBook:
    """Current alarms by id and by (source, source id)."""

    def __init__(self, alarms: list[Alarm] | None = None,
                 next_id: Callable[[], str] | None = None) -> None:
        self.by_id: dict[str, Alarm] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._seq = 0
        for a in alarms or []:
            self._put(a)
            self._seq = max(self._seq, int(a.id) if a.id.isdigit() else 0)
        self._next_id = next_id

    def _put(self, alarm: Alarm) -> None:
        self.by_id[alarm.id] = alarm
        self._by_key[alarm.key] = alarm.id

    def snapshot(self) -> tuple[dict[str, Alarm], dict[tuple[str, str], str], int]:
        return dict(self.by_id), dict(self._by_key), self._seq

    def restore(self, snap: tuple[dict[str, Alarm], dict[tuple[str, str], str], int]) -> None:
        self.by_id, self._by_key, self._seq = dict(snap[0]), dict(snap[1]), snap[2]

    def new_id(self) -> str:
        if self._next_id is not None:
            return self._next_id()
        self._seq += 1
        return str(self._seq)

    def report(self, r: AlarmReported, now: datetime) -> tuple[Alarm, bool] | None:
        """(alarm, is_new) after a source's report; None when nothing changes."""
        existing_id = self._by_key.get((r.source, r.source_id))
        if existing_id is not None:
            old = self.by_id[existing_id]
            if old.state is AlarmState.CLOSED:
                return None  # a late retransmission of a closed alarm: journaled, not reopened
            new = _step(old, now, r.source, "repeated", old.state, "the source sent it again")
            if r.priority < new.priority:
                new = replace(new, priority=r.priority)
            self._put(new)
            return new, False
        alarm = Alarm(
            id=self.new_id(), source=r.source, source_id=r.source_id, type=r.type,
            priority=r.priority, title=r.title, raised_at=r.time, position=r.position,
            camera_ids=r.camera_ids, officer_id=r.officer_id, state=AlarmState.NEW,
            history=(AlarmStep(r.time, r.source, "raised", AlarmState.NEW, r.title),),
        )
        self._put(alarm)
        return alarm, True

    def apply(self, cmd: Command, now: datetime) -> Alarm:
        alarm = self.by_id.get(cmd.alarm_id)
        if alarm is None:
            raise InvalidTransition(f"no alarm {cmd.alarm_id}")
        new = apply_command(alarm, cmd, now)
        self._put(new)
        return new

    def due_for_escalation(self, now: datetime, threshold_s: Callable[[AlarmType], float]
                           ) -> list[Alarm]:
        return [
            a for a in self.by_id.values()
            if a.state is AlarmState.NEW and not a.escalated
            and (now - a.raised_at).total_seconds() >= threshold_s(a.type)
        ]

    def mark_escalated(self, alarm_id: str, now: datetime) -> Alarm:
        new = escalate(self.by_id[alarm_id], now)
        self._put(new)
        return new

    def open_alarms(self) -> list[Alarm]:
        return [a for a in self.by_id.values() if a.is_open]
