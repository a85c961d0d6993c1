"""The alarm state machine, checked against random sequences of commands (hypothesis)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from app.core.events import AlarmReported
from app.core.model import AlarmOutcome, AlarmState, AlarmType
from app.services.alarm_book import (
    Acknowledge,
    AddNote,
    AlarmBook,
    Assign,
    Close,
    InvalidTransition,
)

T0 = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def report(sid: str = "1", priority: int = 2, t: datetime = T0) -> AlarmReported:
    return AlarmReported(source="panel", source_id=sid, type=AlarmType.INTRUSION,
                         priority=priority, title=f"Intrusion {sid}", time=t)


ORDER = [AlarmState.NEW, AlarmState.ACKNOWLEDGED, AlarmState.ASSIGNED, AlarmState.CLOSED]


class AlarmMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.book = AlarmBook()
        self.now = T0
        self.rejected = 0

    def tick(self, seconds: int) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now

    @rule(sid=st.sampled_from("abcde"), prio=st.integers(1, 4), dt=st.integers(0, 30))
    def source_reports(self, sid: str, prio: int, dt: int) -> None:
        before = self.book.by_id.copy()
        result = self.book.report(report(sid, prio, self.now), self.tick(dt))
        ids = [a.id for a in self.book.by_id.values() if a.source_id == sid]
        assert len(ids) == 1  # de-duplicated on (source, source id)
        if result is not None and not result[1]:
            assert result[0].id in before

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
            new = self.book.apply(cmd, self.tick(dt))
        except InvalidTransition:
            self.rejected += 1
            assert self.book.by_id[alarm_id] == old  # a refused command changes nothing
            assert old.state is AlarmState.CLOSED or (
                kind == "ack" and old.state is not AlarmState.NEW)
            return
        assert ORDER.index(new.state) >= ORDER.index(old.state)  # never goes back
        assert new.history[: len(old.history)] == old.history  # history only grows
        assert new.history[-1].actor == actor

    @invariant()
    def every_alarm_is_consistent(self) -> None:
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


def test_a_closed_alarm_resent_is_not_reopened() -> None:
    book = AlarmBook()
    result = book.report(report(), T0)
    assert result is not None
    book.apply(Close(result[0].id, "a", AlarmOutcome.HANDLED), T0)
    assert book.report(report(), T0 + timedelta(seconds=1)) is None
    assert len(book.by_id) == 1


def test_a_repeat_raises_priority_but_keeps_the_row() -> None:
    book = AlarmBook()
    book.report(report(priority=3), T0)
    result = book.report(report(priority=1), T0 + timedelta(seconds=2))
    assert result is not None
    alarm, is_new = result
    assert not is_new
    assert alarm.priority == 1
    assert alarm.history[-1].action == "repeated"


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
    esc = book.mark_escalated(a[0].id, T0 + timedelta(seconds=60))
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
