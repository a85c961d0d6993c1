"""Keyboard transport of a replay, as video editors (Avid, Premiere Pro, DaVinci Resolve)
do it, so a shift chief who has cut video finds it where his fingers expect:

- **L** plays forward at 1x; L again while playing forward doubles the speed
  (1x, 2x, 4x, 8x, 16x, then stays at 16x). From pause, from reverse or from a slow
  forward speed (below 1x), L goes to 1x forward first.
- **J** is L's mirror: backwards at 1x, then -2x ... -16x; from forward it first goes to
  -1x (editors never jump straight from +8x to -16x).
- **K** pauses.
- **K held + L** (or J) steps one picture forward (backward) and stays paused; Left/Right
  arrows do the same (the window wires them to `step_target`).
- **Space** pauses a playing replay; on a paused one it plays at 1x forward, as Premiere's
  and Resolve's space bar do (not at the last speed: a surprise 16x after a pause loses the
  moment the chief was looking for).
- Slow speeds (1/8x to 1/2x, both ways) are reached with `slower` / `faster`, which walk
  the ladder of `SPEEDS` one rung at a time keeping the direction.

Pure functions: the window owns the keys, the clock owns time; nothing here has state.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from app.services.replay_clock import SPEEDS, ReplayClock

TOP = SPEEDS[-1]


class Key(enum.StrEnum):
    J = "j"
    K = "k"
    L = "l"
    SPACE = "space"


@dataclass(frozen=True, slots=True)
class Move:
    """What a key asks of the clock: play or pause at a rate, or one picture's step
    (+1 forward, -1 backward) from a pause."""

    playing: bool
    rate: float
    step: int = 0


def after_key(key: Key, playing: bool, rate: float, k_held: bool = False) -> Move:
    """The move `key` makes from a clock that is `playing` (or not) at `rate`."""
    if key is Key.K:
        return Move(False, rate)
    if key is Key.SPACE:
        return Move(False, rate) if playing else Move(True, 1.0)
    forward = key is Key.L
    if k_held:
        return Move(False, rate, 1 if forward else -1)
    sign = 1.0 if forward else -1.0
    same_way = playing and rate * sign > 0
    if same_way and abs(rate) >= 1.0:
        return Move(True, sign * min(abs(rate) * 2, TOP))
    return Move(True, sign)


def faster(rate: float) -> float:
    """One rung up the speed ladder, same direction; 16x stays 16x."""
    i = SPEEDS.index(abs(rate))
    return _signed(SPEEDS[min(i + 1, len(SPEEDS) - 1)], rate)


def slower(rate: float) -> float:
    """One rung down the speed ladder, same direction; 1/8x stays 1/8x."""
    i = SPEEDS.index(abs(rate))
    return _signed(SPEEDS[max(i - 1, 0)], rate)


def _signed(speed: float, like: float) -> float:
    return speed if like > 0 else -speed


class FrameFinder(Protocol):
    """The focused camera's playback: where its pictures are."""

    def frame_time_after(self, t: datetime) -> datetime | None: ...

    def frame_time_before(self, t: datetime) -> datetime | None: ...


def step_target(now: datetime, finder: FrameFinder, step: int) -> datetime | None:
    """The exact time of the focused camera's picture after (step > 0) or before the one
    it shows at `now` (its picture at or before `now`: paused between two pictures, a
    step back must leave it), so that one step is one picture whatever the camera's
    frame rate; None at the recording's ends."""
    if step > 0:
        return finder.frame_time_after(now)
    shown = finder.frame_time_before(now + timedelta(microseconds=1))
    return None if shown is None else finder.frame_time_before(shown)


def apply(clock: ReplayClock, move: Move, finder: FrameFinder | None = None) -> None:
    """Carry `move` out on `clock` (a step needs the focused camera's `finder`)."""
    if move.step:
        clock.pause()
        if finder is not None:
            target = step_target(clock.position(), finder, move.step)
            if target is not None:
                clock.seek(target)
        return
    if not move.playing:
        clock.pause()
        return
    clock.set_rate(move.rate)
    clock.play()
