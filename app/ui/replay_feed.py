"""Feeds a replay window's own bridge from the journal's past, at the replay clock's instant.

Replay is not a second program (DESIGN.md): the replay window has its own `World` and
`HubBridge`, and the same map and alarm desk as the live window listen to it. This feed is
what the adapters and the alarm service are to the live bridge: on each tick it says what
changed between the last instant and this one (officers who moved, alarms whose state
changed), as the same events, through the same `dispatch`. A jump (a seek, playing
backwards, a change of rate) resets instead: every position and every alarm as they stood
at the new instant, and `reset` says which officers and alarms are gone from it.

The history is in memory (`ReplayHistory`): a tick does no I/O on the GUI thread.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.events import AlarmChanged, Event, OfficerStatusChanged, PositionReported
from app.core.model import Alarm, PositionFix
from app.services.replay_history import ReplayHistory
from app.ui.bridge import HubBridge

TICK_MS = 100  # the map glides between fixes; ten updates a second are plenty


class ClockLike(Protocol):
    """What the feed reads of the replay clock."""

    def position(self) -> datetime: ...
    @property
    def generation(self) -> int: ...


class ReplayFeed(QObject):
    # after a jump: (officer ids no longer placed, alarm ids not raised yet at the instant,
    # every alarm as it stood) -- the window clears the map and resets the desk with them
    reset = Signal(list, list, list)
    moved = Signal(object)  # datetime: the instant just shown

    def __init__(self, history: ReplayHistory, clock: ClockLike, bridge: HubBridge,
                 interval_ms: int = TICK_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.clock = clock
        self.bridge = bridge
        self._at: datetime | None = None
        self._generation: int | None = None
        self._fixes: dict[str, PositionFix] = {}
        self._alarms: dict[str, Alarm] = {}
        self.ticks = 0
        self.resets = 0
        self._timer = QTimer(self)
        self._timer.setObjectName("replay-feed")
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.tick)

    def start(self) -> None:
        self.tick()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def instant(self) -> datetime | None:
        """The instant the map and the desk show now."""
        return self._at

    def tick(self) -> None:
        t = self.clock.position()
        generation = self.clock.generation
        if t == self._at and generation == self._generation:
            return
        self.ticks += 1
        jumped = (self._at is None or generation != self._generation or t < self._at)
        self._generation = generation
        if jumped:
            self._reset(t)
        else:
            self._advance(t)
        self._at = t
        self.moved.emit(t)

    def _reset(self, t: datetime) -> None:
        self.resets += 1
        h = self.history
        fixes = h.fixes_at(t)
        gone_officers = [oid for oid in self._fixes if oid not in fixes]
        for oid in gone_officers:
            self.bridge.world.fixes.pop(oid, None)
        alarms = {a.id: a for a in h.alarms_at(t)}
        gone_alarms = [aid for aid in self._alarms if aid not in alarms]
        self._fixes, self._alarms = fixes, alarms
        events: list[Event] = [PositionReported(f) for f in fixes.values()]
        events += self._statuses(t)
        self.bridge.dispatch(events)
        self.reset.emit(gone_officers, gone_alarms, list(alarms.values()))

    def _advance(self, t: datetime) -> None:
        h = self.history
        events: list[Event] = []
        for oid, fix in h.fixes_at(t).items():
            if self._fixes.get(oid) != fix:
                self._fixes[oid] = fix
                events.append(PositionReported(fix))
        assert self._at is not None  # a first instant is always a reset
        for a in h.alarms_changed(self._at, t):
            known = self._alarms.get(a.id)
            if known is None or known.version != a.version:
                self._alarms[a.id] = a
                events.append(AlarmChanged(a, is_new=known is None))
        events += self._statuses(t)
        if events:
            self.bridge.dispatch(events)

    def _statuses(self, t: datetime) -> list[Event]:
        out: list[Event] = []
        world = self.bridge.world
        for oid, officer in world.officers.items():
            status = self.history.status_at(oid, t)
            if status is not None and status is not officer.status:
                out.append(OfficerStatusChanged(oid, status, t))
        return out
