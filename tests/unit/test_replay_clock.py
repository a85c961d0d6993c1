"""The replay clock: position from its anchor and rate, clamped and stopping at the ends, a
new generation at every discontinuity, listeners told; and the J/K/L transport."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.services.replay_clock import RATES, SPEEDS, ClockState, ReplayClock
from app.services.replay_transport import Key, Move, after_key, apply, faster, slower
from app.services.replay_video import pace
from app.services.replay_video.frames import to_us

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
T1 = T0 + timedelta(minutes=10)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(position: datetime = T0 + timedelta(minutes=5)) -> tuple[ReplayClock, FakeTime]:
    ft = FakeTime()
    return ReplayClock(T0, T1, position, monotonic=ft), ft


def test_paused_clock_stands_still() -> None:
    clock, ft = make()
    ft.now += 30
    assert clock.position() == T0 + timedelta(minutes=5)
    assert not clock.playing


@pytest.mark.parametrize("rate", sorted(RATES))
def test_playing_moves_by_elapsed_times_rate(rate: float) -> None:
    clock, ft = make()
    clock.set_rate(rate)
    clock.play()
    ft.now += 8.0
    assert clock.position() == T0 + timedelta(minutes=5, seconds=8 * rate)


def test_forward_stops_at_the_end_with_a_new_generation() -> None:
    clock, ft = make(T1 - timedelta(seconds=1))
    seen: list[ClockState] = []
    clock.add_listener(seen.append)
    clock.set_rate(16)
    clock.play()
    g = clock.generation
    ft.now += 5
    state = clock.state()
    assert state.position == T1
    assert not state.playing
    assert state.generation == g + 1
    assert seen[-1] == state
    clock.play()  # at the end going forward: nothing to play
    assert not clock.playing


def test_backward_stops_at_the_start() -> None:
    clock, ft = make(T0 + timedelta(seconds=2))
    clock.set_rate(-1)
    clock.play()
    ft.now += 3
    assert clock.position() == T0
    assert not clock.playing
    clock.set_rate(1)
    clock.play()
    ft.now += 1
    assert clock.position() == T0 + timedelta(seconds=1)


def test_seek_is_clamped_and_keeps_playing() -> None:
    clock, ft = make()
    clock.play()
    clock.seek(T0 - timedelta(hours=1))
    assert clock.position() == T0
    assert clock.playing
    clock.seek(T0 + timedelta(seconds=10))
    ft.now += 1
    assert clock.position() == T0 + timedelta(seconds=11)


def test_every_discontinuity_bumps_the_generation_and_tells_listeners() -> None:
    clock, _ft = make()
    seen: list[int] = []
    clock.add_listener(lambda s: seen.append(s.generation))
    clock.seek(T0 + timedelta(seconds=1))
    clock.play()
    clock.set_rate(4)
    clock.pause()
    assert seen == [1, 2, 3, 4]
    clock.pause()  # already paused: no discontinuity
    clock.set_rate(4)  # same rate: none either
    assert clock.generation == 4


def test_rate_outside_the_ladder_is_refused() -> None:
    clock, _ = make()
    with pytest.raises(ValueError, match="rate"):
        clock.set_rate(3.0)


@given(st.lists(st.tuples(st.sampled_from(["seek", "play", "pause", "rate", "wait"]),
                          st.floats(-700, 700), st.sampled_from(sorted(RATES))),
                max_size=40))
def test_position_always_within_range_and_generation_monotonic(
        ops: list[tuple[str, float, float]]) -> None:
    clock, ft = make()
    last_gen = clock.generation
    for op, x, rate in ops:
        if op == "seek":
            clock.seek(T0 + timedelta(seconds=300 + x))
        elif op == "play":
            clock.play()
        elif op == "pause":
            clock.pause()
        elif op == "rate":
            clock.set_rate(rate)
        else:
            ft.now += abs(x)
        s = clock.state()
        assert T0 <= s.position <= T1
        assert s.generation >= last_gen
        last_gen = s.generation


def test_readers_on_other_threads_see_consistent_states() -> None:
    clock, _ft = make()
    clock.play()
    errors: list[str] = []

    def read() -> None:
        for _ in range(2000):
            s = clock.state()
            if not T0 <= s.position <= T1:
                errors.append(str(s))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for r in readers:
        r.start()
    for i in range(500):
        clock.seek(T0 + timedelta(seconds=i))
        clock.set_rate(SPEEDS[i % len(SPEEDS)])
    for r in readers:
        r.join()
    assert not errors


# --- J/K/L ---------------------------------------------------------------------------
def test_l_from_pause_plays_1x_then_doubles_up_to_16x() -> None:
    m = after_key(Key.L, False, 1.0)
    rates = [m.rate]
    for _ in range(6):
        m = after_key(Key.L, m.playing, m.rate)
        rates.append(m.rate)
    assert rates == [1, 2, 4, 8, 16, 16, 16]


def test_j_mirrors_l() -> None:
    m = after_key(Key.J, False, 1.0)
    rates = [m.rate]
    for _ in range(5):
        m = after_key(Key.J, m.playing, m.rate)
        rates.append(m.rate)
    assert rates == [-1, -2, -4, -8, -16, -16]


def test_direction_change_goes_to_1x_first() -> None:
    assert after_key(Key.L, True, -8.0) == Move(True, 1.0)
    assert after_key(Key.J, True, 16.0) == Move(True, -1.0)
    assert after_key(Key.L, True, 0.25) == Move(True, 1.0)  # slow forward: L is 1x


def test_k_pauses_and_k_with_l_or_j_steps() -> None:
    assert after_key(Key.K, True, 4.0) == Move(False, 4.0)
    assert after_key(Key.L, False, 1.0, k_held=True).step == 1
    assert after_key(Key.J, True, 2.0, k_held=True) == Move(False, 2.0, -1)


def test_space_toggles_and_resumes_at_1x_forward() -> None:
    assert after_key(Key.SPACE, True, -4.0) == Move(False, -4.0)
    assert after_key(Key.SPACE, False, -4.0) == Move(True, 1.0)


def test_slower_and_faster_walk_the_ladder_keeping_direction() -> None:
    assert slower(-1.0) == -0.5
    assert slower(0.125) == 0.125
    assert faster(-8.0) == -16.0
    assert faster(16.0) == 16.0


class Frames:
    """A camera at 25 fps from T0."""

    def frame_time_after(self, t: datetime) -> datetime | None:
        n = int((t - T0) / timedelta(milliseconds=40)) + 1
        return T0 + n * timedelta(milliseconds=40)

    def frame_time_before(self, t: datetime) -> datetime | None:
        n = -(-(t - T0) // timedelta(milliseconds=40)) - 1
        return T0 + n * timedelta(milliseconds=40) if n >= 0 else None


def test_apply_step_pauses_and_lands_on_the_neighbour_picture() -> None:
    clock, _ft = make(T0 + timedelta(milliseconds=400))
    clock.play()
    apply(clock, after_key(Key.L, True, 1.0, k_held=True), Frames())
    assert not clock.playing
    assert clock.position() == T0 + timedelta(milliseconds=440)
    apply(clock, Move(False, 1.0, -1), Frames())
    apply(clock, Move(False, 1.0, -1), Frames())
    assert clock.position() == T0 + timedelta(milliseconds=360)
    apply(clock, after_key(Key.J, False, 1.0), Frames())
    assert clock.playing
    assert clock.rate == -1.0


# --- which instants a camera shows at which speed ---------------------------------------
def state_at(seconds: float, rate: float, playing: bool = True,
             anchor_s: float = 1.0) -> ClockState:
    return ClockState(T0 + timedelta(seconds=seconds), rate, playing, 1,
                      T0 + timedelta(seconds=anchor_s))


def test_every_picture_at_1x_and_slower_or_paused() -> None:
    assert pace.target(state_at(7.123, 1.0)) == to_us(T0 + timedelta(seconds=7.123))
    assert pace.target(state_at(7.123, -0.25)) == to_us(T0 + timedelta(seconds=7.123))
    assert pace.target(state_at(7.123, 16.0, playing=False)) == to_us(
        T0 + timedelta(seconds=7.123))


@pytest.mark.parametrize(("rate", "step_s"), [(2, 0.08), (4, 0.16), (8, 1.0), (16, 2.0)])
def test_faster_a_grid_from_where_the_run_started(rate: float, step_s: float) -> None:
    anchor = to_us(T0 + timedelta(seconds=1))
    step = round(step_s * 1_000_000)
    for x in (1.0, 1.05, 3.3, 9.99):
        t = pace.target(state_at(x, rate))
        assert (t - anchor) % step == 0  # on the grid
        assert 0 <= to_us(T0 + timedelta(seconds=x)) - t < step  # the line at or before
        back = pace.target(state_at(2 - (x - 1), -rate))
        assert (anchor - back) % step == 0
        assert 0 <= back - to_us(T0 + timedelta(seconds=2 - (x - 1))) < step


def test_step_back_from_between_two_pictures_leaves_the_shown_one() -> None:
    """Paused between pictures (a drag, a pause at 1x), the tile shows the picture at or
    before the clock: one step back is the picture before THAT one, not it again."""
    clock, _ft = make(T0 + timedelta(milliseconds=415))  # shows the picture of 400 ms
    apply(clock, Move(False, 1.0, -1), Frames())
    assert clock.position() == T0 + timedelta(milliseconds=360)
    clock.seek(T0 + timedelta(milliseconds=415))
    apply(clock, Move(False, 1.0, 1), Frames())
    assert clock.position() == T0 + timedelta(milliseconds=440)
