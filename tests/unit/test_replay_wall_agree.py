"""The replay wall's hold while playing: a late camera keeps the others at its instant,
both ways; a tile in a gap holds nobody back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from widgets.replay.wall import agreeing, grid_side

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Pic:
    ms: int

    @property
    def time(self) -> datetime:
        return T0 + timedelta(milliseconds=self.ms)


def test_forward_a_late_camera_holds_the_others() -> None:
    frames = [Pic(2000), Pic(4007), Pic(4014), None]
    recent = [[Pic(2000)], [Pic(2007), Pic(4007)], [Pic(2014), Pic(4014)], []]
    assert agreeing(frames, recent, forward=True) == [Pic(2000), Pic(2007), Pic(2014), None]


def test_backward_a_late_camera_holds_the_others() -> None:
    frames = [Pic(6000), Pic(3987), Pic(3994)]
    recent = [[Pic(6000)], [Pic(5987), Pic(3987)], [Pic(5994), Pic(3994)]]
    assert agreeing(frames, recent, forward=False) == [Pic(6000), Pic(5987), Pic(5994)]


def test_a_line_one_camera_skipped_is_not_the_common_instant() -> None:
    """The late camera shows 4 s; a faster one went from 2 s to 6 s (it was late too and
    skipped 4 s): the wall goes back to 2 s, which every tile has, not 2 s beside 4 s."""
    frames = [Pic(4000), Pic(6007), Pic(6014)]
    recent = [[Pic(2000), Pic(4000)], [Pic(2007), Pic(6007)], [Pic(2014), Pic(4014)]]
    assert agreeing(frames, recent, forward=True) == [Pic(2000), Pic(2007), Pic(2014)]


def test_tiles_within_a_frame_are_left_alone() -> None:
    frames = [Pic(1000), Pic(1007), Pic(1039)]
    assert agreeing(frames, [[f] for f in frames], forward=True) == frames


def test_grid_sides() -> None:
    assert [grid_side(n) for n in (1, 2, 4, 5, 9, 10, 16)] == [1, 2, 2, 3, 3, 4, 4]
