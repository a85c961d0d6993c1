"""What the journal says happened around an incident, asked "as of instant t".

Replay feeds the console's own models and widgets (the map, the alarm queue) from this, with
the replay clock's instant: the same code that draws the live world draws the past one. The
journal is read once, off the GUI thread (`load`); every later question is answered from
memory by bisection, so a seek backwards costs the same as one forwards.

- An officer's position at t is their latest fix at or before t (none if older than the
  lookback: the map shows no one where nobody knows).
- An alarm at t is the alarm as the journal holds it now with its history cut at t: its
  state is that of its last step at or before t (an alarm not yet raised at t is absent).
- The operators' actions are the alarm steps taken by people, plus the access-log rows of
  the range (who looked at what), in time order: the timeline marks them.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from operator import attrgetter, itemgetter
from typing import Protocol

from app.core.events import Event, OfficerStatusChanged, PositionReported
from app.core.model import Alarm, AlarmState, OfficerStatus, OperatorAction, PositionFix
from app.services.alarm_book import OPERATOR_STEPS

LOOKBACK = timedelta(minutes=15)  # a fix older than this before the range is not shown


class HistoryJournal(Protocol):
    """What `load` reads (both journal backends have it)."""

    def iter_events(self, start: datetime | None = None, end: datetime | None = None
                    ) -> Iterator[tuple[datetime, Event]]: ...
    def load_alarms(self, open_only: bool = False, changed_since: datetime | None = None
                    ) -> list[Alarm]: ...


@dataclass(frozen=True, slots=True)
class Act:
    """Something a person did, for the timeline: when, who, what, on which alarm."""

    time: datetime
    actor: str
    action: str
    alarm_id: str = ""
    detail: str = ""


def alarm_as_of(alarm: Alarm, t: datetime) -> Alarm | None:
    """`alarm` as it stood at `t` (None: not raised yet). Its history, state, assignment,
    outcome and escalation are cut at `t`; its revision counts the steps kept, so the
    models take a later state over an earlier one as they do live."""
    if alarm.raised_at > t:
        return None
    steps = tuple(s for s in alarm.history if s.time <= t)
    if len(steps) == len(alarm.history):
        return alarm
    state = steps[-1].state if steps else AlarmState.NEW
    assigned = next((s.detail for s in reversed(steps) if s.action == "assigned"), None)
    escalated = any(s.action == "escalated" for s in steps)
    occurred = [s.time for s in steps if s.action == "occurred"]
    return replace(
        alarm, history=steps, state=state,
        assigned_to=assigned,
        outcome=alarm.outcome if state is AlarmState.CLOSED else None,
        escalated=escalated,
        # escalation raised the priority one step (never past 1): undo it before it
        priority=alarm.priority + (1 if alarm.escalated and not escalated
                                   and alarm.priority < 4 else 0),
        occurrences=1 + len(occurred),
        last_occurrence=occurred[-1] if occurred else alarm.raised_at,
        revision=len(steps))


@dataclass
class _Track:
    times: list[datetime] = field(default_factory=list)
    fixes: list[PositionFix] = field(default_factory=list)


@dataclass
class ReplayHistory:
    start: datetime
    end: datetime
    tracks: dict[str, _Track] = field(default_factory=dict)
    alarms: list[Alarm] = field(default_factory=list)
    statuses: dict[str, list[tuple[datetime, OfficerStatus]]] = field(default_factory=dict)
    acts: list[Act] = field(default_factory=list)
    # every instant an alarm was raised or changed, with its index in `alarms`, in order:
    # what changed between two instants is found by bisection, not by recomputing them all
    changes: list[tuple[datetime, int]] = field(default_factory=list, repr=False)

    @classmethod
    def load(cls, journal: HistoryJournal, start: datetime, end: datetime,
             officers: Iterable[str] | None = None,
             access: Iterable[OperatorAction] = ()) -> ReplayHistory:
        """Read [start - LOOKBACK, end] of the journal (blocking: call it off the GUI
        thread). `officers`: whose tracks (None: everyone's). `access`: the access-log
        rows of the range, if the caller may read them."""
        wanted = set(officers) if officers is not None else None
        h = cls(start, end)
        for t, e in journal.iter_events(start - LOOKBACK, end):
            if isinstance(e, PositionReported):
                fix = e.fix
                if wanted is not None and fix.officer_id not in wanted:
                    continue
                track = h.tracks.setdefault(fix.officer_id, _Track())
                when = fix.time
                if track.times and when < track.times[-1]:  # out of order: keep it sorted
                    i = bisect.bisect_right(track.times, when)
                    track.times.insert(i, when)
                    track.fixes.insert(i, fix)
                else:
                    track.times.append(when)
                    track.fixes.append(fix)
            elif isinstance(e, OfficerStatusChanged):
                h.statuses.setdefault(e.officer_id, []).append((t, e.status))
        h.alarms = [a for a in journal.load_alarms(changed_since=start - LOOKBACK)
                    if a.raised_at <= end and (_last_change(a) >= start - LOOKBACK
                                               or _open_at(a, start))]
        h.changes = sorted((when, i) for i, a in enumerate(h.alarms)
                           for when in {a.raised_at, *(s.time for s in a.history)})
        h.acts = sorted(_acts(h.alarms, start, end, access), key=lambda a: a.time)
        return h

    # -- questions, answered from memory -----------------------------------------------------
    def fix_at(self, officer_id: str, t: datetime) -> PositionFix | None:
        track = self.tracks.get(officer_id)
        if track is None:
            return None
        i = bisect.bisect_right(track.times, t)
        if i == 0 or t - track.times[i - 1] > LOOKBACK:
            return None
        return track.fixes[i - 1]

    def fixes_at(self, t: datetime) -> dict[str, PositionFix]:
        out = {}
        for oid in self.tracks:
            fix = self.fix_at(oid, t)
            if fix is not None:
                out[oid] = fix
        return out

    def trail(self, officer_id: str, t: datetime, span: timedelta) -> list[PositionFix]:
        """The officer's fixes in (t - span, t]."""
        track = self.tracks.get(officer_id)
        if track is None:
            return []
        lo = bisect.bisect_right(track.times, t - span)
        hi = bisect.bisect_right(track.times, t)
        return track.fixes[lo:hi]

    def status_at(self, officer_id: str, t: datetime) -> OfficerStatus | None:
        changes = self.statuses.get(officer_id, [])
        i = bisect.bisect_right(changes, t, key=itemgetter(0))
        return changes[i - 1][1] if i else None

    def alarms_at(self, t: datetime) -> list[Alarm]:
        """Every alarm raised by `t`, as it stood then (closed ones included: the queue
        filters them as it does live)."""
        return [a for x in self.alarms if (a := alarm_as_of(x, t)) is not None]

    def alarms_changed(self, lo: datetime, hi: datetime) -> list[Alarm]:
        """The alarms raised or changed in (lo, hi], as they stood at `hi`: what the feed
        sends when the clock moves on from `lo` (the others stand as they did)."""
        first = bisect.bisect_right(self.changes, lo, key=itemgetter(0))
        last = bisect.bisect_right(self.changes, hi, key=itemgetter(0))
        touched = sorted({i for _, i in self.changes[first:last]})
        return [a for i in touched if (a := alarm_as_of(self.alarms[i], hi)) is not None]

    def acts_between(self, lo: datetime, hi: datetime) -> list[Act]:
        """The acts in (lo, hi]: what the feed shows appearing as the clock passes them."""
        key = attrgetter("time")
        return self.acts[bisect.bisect_right(self.acts, lo, key=key):
                         bisect.bisect_right(self.acts, hi, key=key)]


def _open_at(a: Alarm, t: datetime) -> bool:
    """Raised by `t` and not closed then: an alarm left open for hours is still alive."""
    x = alarm_as_of(a, t)
    return x is not None and x.state is not AlarmState.CLOSED


def _last_change(a: Alarm) -> datetime:
    return a.history[-1].time if a.history else a.raised_at


def _acts(alarms: list[Alarm], start: datetime, end: datetime,
          access: Iterable[OperatorAction]) -> Iterator[Act]:
    for a in alarms:
        for s in a.history:
            if s.action in OPERATOR_STEPS and start <= s.time <= end:
                yield Act(s.time, s.actor, s.action, a.id, s.detail)
    for x in access:
        if start <= x.time <= end:
            alarm_id = x.target.removeprefix("alarm:") if x.target.startswith("alarm:") \
                else ""
            yield Act(x.time, x.actor, x.action, alarm_id, x.detail)
