"""The past as replay sees it: positions, alarms and acts at any instant, from a real journal
(both backends), seeking forwards and backwards alike."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from app.core import events as ev
from app.core.journal import JournalStore
from app.core.model import (
    Alarm,
    AlarmOutcome,
    AlarmState,
    AlarmStep,
    AlarmType,
    LatLon,
    OfficerStatus,
    OperatorAction,
    PositionFix,
)
from app.services.alarm_book import Acknowledge, Assign, Close, apply_command
from app.services.replay_history import LOOKBACK, ReplayHistory, alarm_as_of

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


def s(n: float) -> datetime:
    return T0 + timedelta(seconds=n)


def handled_alarm() -> Alarm:
    """Raised at +10 s, acknowledged at +20, assigned to pm12 at +30, closed at +60."""
    a = Alarm("7", "holster", "h-1", AlarmType.WEAPON_DRAWN, 1, "Arme dégainée", s(10),
              LatLon(48.54, 2.66), ("cam-1",), "pm11",
              history=(AlarmStep(s(10), "holster", "raised", AlarmState.NEW, "x"),))
    a = apply_command(a, Acknowledge("7", "op.martin"), s(20))
    a = apply_command(a, Assign("7", "op.martin", "pm12"), s(30))
    return apply_command(a, Close("7", "chef", AlarmOutcome.HANDLED, "done"), s(60))


def test_an_alarm_stands_at_each_instant_as_it_did_then() -> None:
    a = handled_alarm()
    assert alarm_as_of(a, s(5)) is None
    at = {n: alarm_as_of(a, s(n)) for n in (10, 25, 45, 90)}
    assert [x.state if x else None for x in at.values()] == [
        AlarmState.NEW, AlarmState.ACKNOWLEDGED, AlarmState.ASSIGNED, AlarmState.CLOSED]
    assert at[10] is not None
    assert at[10].assigned_to is None
    assert at[10].outcome is None
    assert at[45] is not None
    assert at[45].assigned_to == "pm12"
    assert at[90] == a  # nothing cut: the alarm itself
    revisions = [x.revision for x in at.values() if x is not None]
    assert revisions == sorted(revisions)  # models keep the later state, as live


def test_positions_alarms_and_acts_from_the_journal(open_journal: Callable[[], JournalStore]
                                                    ) -> None:
    journal = open_journal()
    try:
        journal.append_events([
            ev.PositionReported(PositionFix("pm11", LatLon(48.540 + i / 1e4, 2.66), s(i)))
            for i in range(0, 120, 2)] + [
            ev.PositionReported(PositionFix("pm12", LatLon(48.55, 2.67), s(-3600))),
            ev.OfficerStatusChanged("pm11", OfficerStatus.EMERGENCY, s(12)),
        ])
        journal.save_alarm(handled_alarm())
        looked = OperatorAction(s(40), "op.martin", "snapshot", "camera:cam-1")
        h = ReplayHistory.load(journal, s(0), s(120), access=[looked])
    finally:
        journal.close()

    fix = h.fix_at("pm11", s(51))
    assert fix is not None
    assert fix.time == s(50)
    assert h.fix_at("pm11", s(-1)) is None  # before the first fix: nobody there
    assert "pm12" not in h.fixes_at(s(30))  # an hour-old fix is older than the lookback
    assert s(-3600) < s(0) - LOOKBACK
    assert [f.time for f in h.trail("pm11", s(10), timedelta(seconds=5))] == [
        s(6), s(8), s(10)]
    assert h.status_at("pm11", s(11)) is None
    assert h.status_at("pm11", s(13)) is OfficerStatus.EMERGENCY
    # forwards then backwards: the same answers
    assert [a.state for a in h.alarms_at(s(45))] == [AlarmState.ASSIGNED]
    assert [a.state for a in h.alarms_at(s(90))] == [AlarmState.CLOSED]
    assert [a.state for a in h.alarms_at(s(15))] == [AlarmState.NEW]
    assert h.alarms_at(s(5)) == []
    assert [(a.action, a.actor) for a in h.acts] == [
        ("acknowledged", "op.martin"), ("assigned", "op.martin"), ("snapshot", "op.martin"),
        ("closed", "chef")]
    assert [a.action for a in h.acts_between(s(20), s(40))] == ["assigned", "snapshot"]


def test_only_the_chosen_officers_are_loaded(open_journal: Callable[[], JournalStore]) -> None:
    journal = open_journal()
    try:
        journal.append_events([
            ev.PositionReported(PositionFix(o, LatLon(48.54, 2.66), s(1)))
            for o in ("pm11", "pm12", "pm13")])
        h = ReplayHistory.load(journal, s(0), s(10), officers=["pm12"])
    finally:
        journal.close()
    assert set(h.fixes_at(s(5))) == {"pm12"}
