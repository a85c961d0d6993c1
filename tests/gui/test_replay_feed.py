"""The replay feed drives a bridge as the live world does: what changed between two instants
going forwards, everything as it stood after a jump (back, or a seek), and what is gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core import events as ev
from app.core.hub import Hub
from app.core.journal import Journal
from app.core.model import (
    Alarm,
    AlarmOutcome,
    AlarmState,
    AlarmStep,
    AlarmType,
    LatLon,
    Officer,
    OfficerStatus,
    PositionFix,
)
from app.services.alarm_book import Acknowledge, Close, apply_command
from app.services.replay_history import ReplayHistory
from app.ui.bridge import HubBridge
from app.ui.replay_feed import ReplayFeed
from app.ui.world import World

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


def s(n: float) -> datetime:
    return T0 + timedelta(seconds=n)


class Clock:
    def __init__(self) -> None:
        self.t = s(0)
        self.generation = 0

    def position(self) -> datetime:
        return self.t

    def seek(self, t: datetime) -> None:
        self.t, self.generation = t, self.generation + 1


def history(tmp_path: Path) -> ReplayHistory:
    j = Journal(tmp_path / "j.sqlite")
    j.append_events([ev.PositionReported(PositionFix("pm11", LatLon(48.54 + i / 1e4, 2.66),
                                                     s(i))) for i in range(0, 60, 5)])
    a = Alarm("3", "panel", "z1", AlarmType.INTRUSION, 2, "Intrusion", s(20),
              LatLon(48.54, 2.66), history=(AlarmStep(s(20), "panel", "raised",
                                                      AlarmState.NEW),))
    a = apply_command(a, Acknowledge("3", "op.martin"), s(30))
    j.save_alarm(apply_command(a, Close("3", "op.martin", AlarmOutcome.FALSE_ALARM), s(40)))
    h = ReplayHistory.load(j, s(0), s(60))
    j.close()
    return h


def test_forwards_changes_then_a_jump_back_resets(qtbot: QtBot, tmp_path: Path) -> None:
    world = World(officers={"pm11": Officer("pm11", "PM 11", "VL1", OfficerStatus.AVAILABLE)})
    bridge = HubBridge(Hub(), world)
    fixes: list[list[PositionFix]] = []
    alarms: list[list[Alarm]] = []
    resets: list[tuple[list[str], list[str], list[Alarm]]] = []
    bridge.positions_changed.connect(fixes.append)
    bridge.alarms_changed.connect(alarms.append)
    clock = Clock()
    feed = ReplayFeed(history(tmp_path), clock, bridge)
    feed.reset.connect(lambda o, a, all_: resets.append((o, a, all_)))
    try:
        feed.tick()  # the first instant: a reset
        assert resets == [([], [], [])]
        assert world.fixes["pm11"].time == s(0)
        for n in (4, 11, 25, 35, 45):
            clock.t = s(n)
            feed.tick()
        assert world.fixes["pm11"].time == s(45)
        assert [[a.state for a in batch] for batch in alarms] == [
            [AlarmState.NEW], [AlarmState.ACKNOWLEDGED], [AlarmState.CLOSED]]
        assert len(resets) == 1  # going forwards: changes only
        moved = len(fixes)
        clock.t = s(45)
        feed.tick()  # nothing new at the same instant: nothing sent
        assert len(fixes) == moved
        clock.t = s(12)  # backwards: a reset, the alarm not raised yet is gone
        feed.tick()
        assert resets[-1][1] == ["3"]
        assert resets[-1][2] == []
        assert world.fixes["pm11"].time == s(10)
        clock.seek(s(33))  # a seek forwards is a jump too
        feed.tick()
        assert [a.state for a in resets[-1][2]] == [AlarmState.ACKNOWLEDGED]
        assert feed.instant == s(33)
    finally:
        feed.stop()
        bridge.stop()
