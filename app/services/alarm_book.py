"""The alarm state machine and the book of current alarms (pure: no threads, no I/O).

new → acknowledged → assigned → closed (handled | false alarm | escalated), with who and
when on every step. An operator may assign or close an alarm still `new`: the book then
records the implied acknowledgement first, so the history always reads in order.

What a source's report means (the one rule, for every adapter):
- the same *message* again (same `message_key` within `RETRANSMISSION_WINDOW`) is a
  retransmission: acknowledged to the source (it is journaled as an event) and ignored;
- another message about an *open* alarm (same source and source id) is a new occurrence:
  counted, added to the history, brought back to the operator (top of the queue, tone);
- another message about a *closed* alarm raises a new alarm.
Nothing a source reports disappears silently.

The book never changes before the journal has stored the change: `plan_reports()`,
`preview()` and `escalation()` compute the alarms' next states without touching the book;
the service stores them durably, and only then `commit()`s them (durable, memory, screen).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from app.core.events import RETRANSMISSION_WINDOW_S, AlarmReported
from app.core.model import Alarm, AlarmOutcome, AlarmState, AlarmStep, AlarmType, LatLon

RETRANSMISSION_WINDOW = timedelta(seconds=RETRANSMISSION_WINDOW_S)  # see app.core.events
MAX_MESSAGES = 32  # message keys remembered per alarm
MAX_OCCURRENCE_STEPS = 20  # occurrence steps kept in an alarm's history; all are counted
OCCURRED = "occurred"


class InvalidTransition(ValueError):
    """The command does not apply to the alarm in its current state."""


class AlreadyHandled(InvalidTransition):
    """Another operator (or this one, from another seat) acted on the alarm first: the
    command was asked on a state that is no longer the alarm's. Says who did what, when."""

    def __init__(self, alarm_id: str, step: AlarmStep) -> None:
        self.alarm_id = alarm_id
        self.step = step
        self.actor = step.actor
        self.action = step.action
        self.time = step.time
        super().__init__(f"alarm {alarm_id} was already {step.action} by {step.actor} "
                         f"at {step.time:%H:%M:%S} UTC")


def handled_state(alarm: Alarm) -> str:
    """What an operator's command is conditional on: the alarm's state and assignee, as
    the operator saw them (a new occurrence or an escalation does not change it)."""
    return f"{alarm.state.value}:{alarm.assigned_to or ''}"


@dataclass(frozen=True, slots=True)
class Acknowledge:
    alarm_id: str
    actor: str
    seen: str = ""  # handled_state() as the operator saw it ("" : unconditional)


@dataclass(frozen=True, slots=True)
class Assign:
    alarm_id: str
    actor: str
    officer_id: str
    seen: str = ""


@dataclass(frozen=True, slots=True)
class Close:
    alarm_id: str
    actor: str
    outcome: AlarmOutcome
    note: str = ""
    seen: str = ""


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
    return replace(alarm, state=state, revision=alarm.revision + 1,
                   history=(*alarm.history, AlarmStep(t, actor, action, state, detail)))


def apply_command(alarm: Alarm, cmd: Command, now: datetime) -> Alarm:
    """The alarm after `cmd`, or InvalidTransition. Pure."""
    if isinstance(cmd, AddNote):
        if not cmd.note.strip():
            raise InvalidTransition("an empty note")
        return _step(alarm, now, cmd.actor, "note", alarm.state, cmd.note.strip())
    if (cmd.seen and cmd.seen != handled_state(alarm)) or (
            isinstance(cmd, Acknowledge) and alarm.state is not AlarmState.NEW):
        last = _last_handling(alarm)
        if last is not None:  # someone acted since the operator looked: one wins, say who
            raise AlreadyHandled(alarm.id, last)
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


def _last_handling(alarm: Alarm) -> AlarmStep | None:
    return next((st for st in reversed(alarm.history)
                 if st.action in ("acknowledged", "assigned", "closed")), None)


def escalate(alarm: Alarm, now: datetime) -> Alarm:
    """Mark an alarm left unacknowledged past its threshold; raise its priority one step."""
    alarm = replace(alarm, escalated=True, priority=max(1, alarm.priority - 1))
    return _step(alarm, now, "system", "escalated", alarm.state,
                 "unacknowledged past the threshold")


OPERATOR_STEPS = frozenset({"acknowledged", "assigned", "note", "closed"})


def has_unseen_occurrence(alarm: Alarm) -> bool:
    """The source reported an open, already handled alarm again since an operator last
    acted on it: it must come back to the operator's eyes (top of its priority, flashing)
    until someone acts on it again."""
    if not alarm.is_open or alarm.occurrences <= 1 or alarm.state is AlarmState.NEW:
        return False
    acted = max((s.time for s in alarm.history if s.action in OPERATOR_STEPS),
                default=alarm.raised_at)
    return alarm.last_reported > acted


def messages_of(alarm: Alarm) -> tuple[tuple[str, datetime], ...]:
    """The messages known to have reported `alarm` (an alarm journaled before messages
    were remembered counts its source id as its one message)."""
    return alarm.messages or ((alarm.source_id, alarm.last_reported),)


def is_retransmission(alarm: Alarm, message_key: str, now: datetime) -> bool:
    return any(key == message_key and now - seen <= RETRANSMISSION_WINDOW
               for key, seen in messages_of(alarm))


def _remember(alarm: Alarm, message_key: str, now: datetime) -> tuple[tuple[str, datetime], ...]:
    return (*messages_of(alarm), (message_key, now))[-MAX_MESSAGES:]


def _trim_occurrences(history: tuple[AlarmStep, ...]) -> tuple[AlarmStep, ...]:
    """Keep every step but the oldest occurrence steps past MAX_OCCURRENCE_STEPS: a source
    that repeats itself all night must not grow the alarm without bound (the journal's
    events table keeps every report)."""
    occurred = [i for i, s in enumerate(history) if s.action == OCCURRED]
    if len(occurred) <= MAX_OCCURRENCE_STEPS:
        return history
    drop = set(occurred[: len(occurred) - MAX_OCCURRENCE_STEPS])
    return tuple(s for i, s in enumerate(history) if i not in drop)


def occurred(alarm: Alarm, r: AlarmReported, now: datetime) -> Alarm:
    """`alarm` reported again by a new message: counted, in the history, priority kept at
    the most urgent the source said."""
    new = _step(alarm, now, r.source, OCCURRED, alarm.state,
                r.title if r.title != alarm.title else "reported again by the source")
    return replace(new, occurrences=alarm.occurrences + 1, last_occurrence=now,
                   priority=min(alarm.priority, r.priority),
                   messages=_remember(alarm, r.message_key, now),
                   history=_trim_occurrences(new.history))


Locate = Callable[[AlarmReported], LatLon | None]


def _no_place(_r: AlarmReported) -> LatLon | None:
    return None


@dataclass(frozen=True, slots=True)
class Change:
    """One alarm's next state after a batch of reports."""

    alarm: Alarm
    is_new: bool = False  # a new row in the queue
    occurred: bool = False  # a new occurrence of an open alarm: show it to the operator again


@dataclass
class Plan:
    """What a batch of reports changes, computed without touching the book."""

    changes: dict[str, Change] = field(default_factory=dict)
    keys: dict[tuple[str, str], str] = field(default_factory=dict)
    seq: int = 0
    retransmissions: int = 0

    @property
    def alarms(self) -> list[Alarm]:
        return [c.alarm for c in self.changes.values()]


class AlarmBook:
    """Current alarms by id, and the latest alarm of each (source, source id)."""

    def __init__(self, alarms: Iterable[Alarm] | None = None,
                 next_id: Callable[[], str] | None = None, seq: int = 0) -> None:
        """`seq`: the highest alarm number ever given (the journal's), when `alarms` are
        not all of them."""
        self.by_id: dict[str, Alarm] = {}
        self._by_key: dict[tuple[str, str], str] = {}
        self._waiting: set[str] = set()  # new and not escalated: what escalation looks at
        self._seq = seq
        for a in alarms or []:  # in journal order: the latest alarm of a key wins
            self._put(a)
            self._seq = max(self._seq, int(a.id) if a.id.isdigit() else 0)
        self._next_id = next_id

    def _put(self, alarm: Alarm) -> None:
        self.by_id[alarm.id] = alarm
        if alarm.state is AlarmState.NEW and not alarm.escalated:
            self._waiting.add(alarm.id)
        else:
            self._waiting.discard(alarm.id)
        latest = self._by_key.get(alarm.key)
        if latest is None or _order(alarm.id) >= _order(latest):
            self._by_key[alarm.key] = alarm.id

    def _new_id(self, seq: int) -> tuple[str, int]:
        if self._next_id is not None:
            return self._next_id(), seq
        return str(seq + 1), seq + 1

    # -- planning (pure) ----------------------------------------------------------------
    def plan_reports(self, reports: Iterable[AlarmReported], now: datetime,
                     locate: Locate = _no_place) -> Plan:
        """The changes a batch of reports makes, in order, without changing the book."""
        plan = Plan(seq=self._seq)
        for r in reports:
            key = (r.source, r.source_id)
            latest_id = plan.keys.get(key) or self._by_key.get(key)
            old = None
            if latest_id is not None:
                change = plan.changes.get(latest_id)
                old = change.alarm if change is not None else self.by_id[latest_id]
            if old is not None and is_retransmission(old, r.message_key, now):
                plan.retransmissions += 1
                continue
            if old is not None and old.is_open:
                was = plan.changes.get(old.id)
                plan.changes[old.id] = Change(occurred(old, r, now),
                                              is_new=was.is_new if was else False,
                                              occurred=True)
                continue
            alarm_id, plan.seq = self._new_id(plan.seq)
            alarm = Alarm(
                id=alarm_id, source=r.source, source_id=r.source_id, type=r.type,
                priority=r.priority, title=r.title, raised_at=r.time,
                position=r.position or locate(r), camera_ids=r.camera_ids,
                officer_id=r.officer_id, state=AlarmState.NEW, facts=r.facts,
                history=(AlarmStep(r.time, r.source, "raised", AlarmState.NEW, r.title),),
                last_occurrence=now, messages=((r.message_key, now),),
            )
            plan.keys[key] = alarm_id
            plan.changes[alarm_id] = Change(alarm, is_new=True)
        return plan

    def preview(self, cmd: Command, now: datetime) -> Alarm:
        """The alarm after `cmd` (InvalidTransition if it does not apply); book unchanged."""
        alarm = self.by_id.get(cmd.alarm_id)
        if alarm is None:
            raise InvalidTransition(f"no alarm {cmd.alarm_id}")
        return apply_command(alarm, cmd, now)

    def escalation(self, alarm_id: str, now: datetime) -> Alarm:
        """The alarm marked escalated; book unchanged."""
        return escalate(self.by_id[alarm_id], now)

    # -- committing (after the journal stored it) ---------------------------------------
    def commit(self, alarms: Iterable[Alarm], plan: Plan | None = None) -> None:
        for a in alarms:
            self._put(a)
        if plan is not None:
            self._seq = max(self._seq, plan.seq)

    # -- conveniences for one change at a time (tests, tools) ---------------------------
    def report(self, r: AlarmReported, now: datetime) -> tuple[Alarm, bool] | None:
        """(alarm, is_new) after one report, committed at once; None for a retransmission."""
        plan = self.plan_reports([r], now)
        self.commit(plan.alarms, plan)
        change = next(iter(plan.changes.values()), None)
        return None if change is None else (change.alarm, change.is_new)

    def apply(self, cmd: Command, now: datetime) -> Alarm:
        new = self.preview(cmd, now)
        self._put(new)
        return new

    def mark_escalated(self, alarm_id: str, now: datetime) -> Alarm:
        new = self.escalation(alarm_id, now)
        self._put(new)
        return new

    # -- reading --------------------------------------------------------------------------
    def due_for_escalation(self, now: datetime, threshold_s: Callable[[AlarmType], float]
                           ) -> list[Alarm]:
        due = []
        for alarm_id in self._waiting:  # not every alarm of the day: the unacknowledged
            a = self.by_id[alarm_id]
            if (now - a.raised_at).total_seconds() >= threshold_s(a.type):
                due.append(a)
        return sorted(due, key=lambda a: _order(a.id))

    def open_alarms(self) -> list[Alarm]:
        return [a for a in self.by_id.values() if a.is_open]


def _order(alarm_id: str) -> tuple[int, str]:
    return (int(alarm_id), "") if alarm_id.isdigit() else (0, alarm_id)
