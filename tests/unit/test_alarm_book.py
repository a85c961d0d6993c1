"""The alarm state machine, checked against random sequences of commands (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from app.core.events import AlarmReported
from app.core.model import Alarm, AlarmOutcome, AlarmState, AlarmType
from app.services.alarm_book import (
    MAX_MESSAGES,
    MAX_OCCURRENCE_STEPS,
    RETRANSMISSION_WINDOW,
    Acknowledge,
    AddNote,
    AlarmBook,
    Assign,
    Close,
    InvalidTransition,
)

T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def report(sid: str = "1", priority: int = 2, t: datetime = T0, msg: str = "") -> AlarmReported:
    return AlarmReported(source="panel", source_id=sid, type=AlarmType.INTRUSION,
                         priority=priority, title=f"Intrusion {sid}", time=t, message_id=msg)


ORDER = [AlarmState.NEW, AlarmState.ACKNOWLEDGED, AlarmState.ASSIGNED, AlarmState.CLOSED]


class AlarmMachine(RuleBasedStateMachine):
    """Random reports (retransmissions, new messages, before and after closing) and
    operator commands, against the one rule of DESIGN.md."""

    def __init__(self) -> None:
        super().__init__()
        self.book = AlarmBook()
        self.now = T0
        self.rejected = 0
        self.first_seen: dict[tuple[str, str, str], datetime] = {}  # (sid, msg, alarm id)

    def tick(self, seconds: int) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    def latest(self, sid: str) -> Alarm | None:
        mine = [a for a in self.book.by_id.values() if a.source_id == sid]
        return max(mine, key=lambda a: int(a.id)) if mine else None

    @rule(sid=st.sampled_from("abc"), msg=st.sampled_from(["m1", "m2", "m3"]),
          prio=st.integers(1, 4), dt=st.sampled_from([0, 5, 30, 300, 700]))
    def source_reports(self, sid: str, msg: str, prio: int, dt: int) -> None:
        now = self.tick(dt)
        before = dict(self.book.by_id)
        old = self.latest(sid)
        plan = self.book.plan_reports([report(sid, prio, now, msg)], now)
        assert self.book.by_id == before  # planning never touches the book
        self.book.commit(plan.alarms, plan)
        seen = old is not None and self.first_seen.get((sid, msg, old.id))
        if old is not None and seen and now - seen <= RETRANSMISSION_WINDOW:
            assert plan.retransmissions == 1
            assert self.book.by_id == before  # a retransmission changes nothing
            return
        (change,) = plan.changes.values()
        if old is not None and old.is_open:
            assert change.alarm.id == old.id
            assert change.occurred
            assert change.alarm.occurrences == old.occurrences + 1
            assert change.alarm.priority == min(old.priority, prio)
        else:
            assert change.is_new
            assert change.alarm.id not in before
            assert change.alarm.state is AlarmState.NEW
        self.first_seen[(sid, msg, change.alarm.id)] = now

    @rule(data=st.data(), actor=st.sampled_from(["alice", "bob"]), dt=st.integers(0, 30),
          kind=st.sampled_from(["ack", "assign", "close", "note"]),
          outcome=st.sampled_from(list(AlarmOutcome)))
    def operator_acts(self, data: st.DataObject, actor: str, dt: int, kind: str,
                      outcome: AlarmOutcome) -> None:
        if not self.book.by_id:
            return
        alarm_id = data.draw(st.sampled_from(sorted(self.book.by_id)))
        old = self.book.by_id[alarm_id]
        cmd = {
            "ack": Acknowledge(alarm_id, actor),
            "assign": Assign(alarm_id, actor, "pm11"),
            "close": Close(alarm_id, actor, outcome, "fin"),
            "note": AddNote(alarm_id, actor, "vu"),
        }[kind]
        try:
            new = self.book.preview(cmd, self.tick(dt))
        except InvalidTransition:
            self.rejected += 1
            assert self.book.by_id[alarm_id] == old  # a refused command changes nothing
            assert old.state is AlarmState.CLOSED or (
                kind == "ack" and old.state is not AlarmState.NEW)
            return
        assert self.book.by_id[alarm_id] == old  # not before it is stored
        self.book.commit([new])
        assert ORDER.index(new.state) >= ORDER.index(old.state)  # never goes back
        assert new.history[: len(old.history)] == old.history  # history only grows
        assert new.history[-1].actor == actor

    @invariant()
    def every_alarm_is_consistent(self) -> None:
        open_keys = [a.key for a in self.book.by_id.values() if a.is_open]
        assert len(open_keys) == len(set(open_keys))  # one open alarm per condition
        for a in self.book.by_id.values():
            assert a.history[0].action == "raised"
            assert a.state is a.history[-1].state
            times = [s.time for s in a.history]
            assert times == sorted(times)
            assert (a.outcome is not None) == (a.state is AlarmState.CLOSED)
            assert (a.assigned_to is not None) or a.state is not AlarmState.ASSIGNED
            actions = [s.action for s in a.history]
            if a.state is not AlarmState.NEW:
                first_ack = actions.index("acknowledged")
                for act in ("assigned", "closed"):
                    if act in actions:
                        assert actions.index(act) > first_ack
            assert actions.count("closed") <= 1
            assert 1 <= a.priority <= 4
            assert a.occurrences == 1 + actions.count("occurred") or (
                actions.count("occurred") == MAX_OCCURRENCE_STEPS)


TestAlarmMachine = AlarmMachine.TestCase
TestAlarmMachine.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)


def test_close_on_new_records_the_implied_acknowledgement() -> None:
    book = AlarmBook()
    alarm, is_new = book.report(report(), T0) or (None, False)
    assert alarm is not None
    assert is_new
    closed = book.apply(Close(alarm.id, "alice", AlarmOutcome.FALSE_ALARM, "chat"),
                        T0 + timedelta(seconds=5))
    assert [s.action for s in closed.history] == ["raised", "acknowledged", "closed"]
    assert closed.outcome is AlarmOutcome.FALSE_ALARM
    assert closed.history[-1].detail == "false_alarm: chat"


def test_a_retransmission_is_ignored_even_of_a_closed_alarm() -> None:
    book = AlarmBook()
    result = book.report(report(msg="seq-7"), T0)
    assert result is not None
    assert book.report(report(msg="seq-7"), T0 + timedelta(seconds=30)) is None
    book.apply(Close(result[0].id, "a", AlarmOutcome.HANDLED), T0 + timedelta(seconds=40))
    assert book.report(report(msg="seq-7"), T0 + timedelta(seconds=50)) is None
    assert len(book.by_id) == 1


def test_a_new_message_on_a_closed_alarm_raises_a_new_alarm() -> None:
    """Before: a report matching a closed alarm was dropped without a trace."""
    book = AlarmBook()
    first = book.report(report(msg="seq-7"), T0)
    assert first is not None
    book.apply(Close(first[0].id, "a", AlarmOutcome.HANDLED), T0 + timedelta(seconds=5))
    again = book.report(report(msg="seq-8"), T0 + timedelta(seconds=10))
    assert again is not None
    alarm, is_new = again
    assert is_new
    assert alarm.id != first[0].id
    assert alarm.state is AlarmState.NEW
    # the same message long after the window is a new message too (sequences wrap)
    book.apply(Close(alarm.id, "a", AlarmOutcome.HANDLED), T0 + timedelta(seconds=20))
    late = book.report(report(msg="seq-8"), T0 + RETRANSMISSION_WINDOW + timedelta(minutes=1))
    assert late is not None
    assert late[1]


def test_a_new_message_on_an_open_alarm_is_a_new_occurrence() -> None:
    """Before: a rebooted panel's new report was merged silently as "repeated"."""
    book = AlarmBook()
    book.report(report(priority=3, msg="seq-1"), T0)
    plan = book.plan_reports([report(priority=1, msg="seq-1-after-reboot")],
                             T0 + timedelta(seconds=2))
    (change,) = plan.changes.values()
    assert change.occurred
    assert not change.is_new
    assert change.alarm.occurrences == 2
    assert change.alarm.priority == 1
    assert change.alarm.last_occurrence == T0 + timedelta(seconds=2)
    assert change.alarm.history[-1].action == "occurred"


def test_an_alarm_reported_all_night_stays_bounded() -> None:
    book = AlarmBook()
    for i in range(1000):
        book.report(report(msg=f"m{i}"), T0 + timedelta(seconds=i))
    (alarm,) = book.by_id.values()
    assert alarm.occurrences == 1000
    assert len(alarm.history) == 1 + MAX_OCCURRENCE_STEPS
    assert len(alarm.messages) <= MAX_MESSAGES
    assert alarm.history[-1].time == T0 + timedelta(seconds=999)


def test_a_new_alarm_takes_its_place_from_what_the_service_knows() -> None:
    from app.core.model import LatLon

    book = AlarmBook()
    cam = LatLon(60.17, 24.94)
    plan = book.plan_reports([report()], T0, lambda r: cam)
    assert plan.alarms[0].position == cam
    placed = AlarmReported(source="p", source_id="x", type=AlarmType.GUNSHOT, priority=1,
                           title="t", time=T0, position=LatLon(1, 2))
    assert book.plan_reports([placed], T0, lambda r: cam).alarms[0].position == LatLon(1, 2)


def test_escalation_only_for_unacknowledged_past_threshold() -> None:
    book = AlarmBook()
    a = book.report(report("x", 3), T0)
    b = book.report(report("y", 3), T0)
    assert a is not None
    assert b is not None
    book.apply(Acknowledge(b[0].id, "alice"), T0)
    due = book.due_for_escalation(T0 + timedelta(seconds=59), lambda _t: 60)
    assert due == []
    due = book.due_for_escalation(T0 + timedelta(seconds=60), lambda _t: 60)
    assert [d.id for d in due] == [a[0].id]
    preview = book.escalation(a[0].id, T0 + timedelta(seconds=60))
    assert not book.by_id[a[0].id].escalated  # not before it is stored
    book.commit([preview])
    esc = book.by_id[a[0].id]
    assert esc.escalated
    assert esc.priority == 2
    assert book.due_for_escalation(T0 + timedelta(seconds=99), lambda _t: 60) == []


@given(st.integers(-5, 10))
def test_priority_outside_1_to_4_is_refused(p: int) -> None:
    if 1 <= p <= 4:
        assert report(priority=p).priority == p
    else:
        with pytest.raises(ValueError, match="priority"):
            report(priority=p)
