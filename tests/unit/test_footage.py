"""The synthetic footage: right size, moving, a burned-in clock that ticks, honest marks."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from app.adapters.demo.footage import (
    BODY,
    FIXED,
    FootagePainter,
)

T0 = 1_750_000_000.25  # scene time, a quarter past a whole second
WALL = 1_750_000_000.1  # clock time, held still unless a test moves it


def _outside(frame: np.ndarray, rect: tuple[int, int, int, int]) -> np.ndarray:
    """The frame with the clock box blanked, to compare everything but the clock."""
    x, y, w, h = rect
    out = frame.copy()
    out[y : y + h, x : x + w] = 0
    return out


def _inside(frame: np.ndarray, rect: tuple[int, int, int, int]) -> np.ndarray:
    x, y, w, h = rect
    return frame[y : y + h, x : x + w]


@pytest.mark.parametrize("kind", [FIXED, BODY])
@pytest.mark.parametrize("size", [(480, 270), (960, 540)])
def test_frame_has_the_requested_size(kind: str, size: tuple[int, int]) -> None:
    frame = FootagePainter("CAM-01", kind, seed=3, label="PM 12", size=size).paint(T0)
    assert frame.shape == (size[1], size[0], 3)
    assert frame.dtype == np.uint8
    assert frame.std() > 20  # a picture, not a flat colour


@pytest.mark.parametrize("kind", [FIXED, BODY])
def test_same_instant_same_picture(kind: str) -> None:
    a = FootagePainter("CAM-01", kind, seed=5).paint(T0, wall_time=WALL)
    b = FootagePainter("CAM-01", kind, seed=5).paint(T0, wall_time=WALL)
    assert np.array_equal(a, b)


@pytest.mark.parametrize("kind", [FIXED, BODY])
def test_scene_moves_with_time(kind: str) -> None:
    p = FootagePainter("CAM-01", kind, seed=2)
    frames = [p.paint(T0 + k * 0.1, wall_time=WALL) for k in range(30)]
    for prev, cur in itertools.pairwise(frames):
        moved = np.any(_outside(prev, p.clock_rect) != _outside(cur, p.clock_rect), axis=2)
        assert moved.mean() > 0.0005, "consecutive frames 100 ms apart should differ"


@pytest.mark.parametrize("kind", [FIXED, BODY])
def test_clock_changes_with_the_second_and_only_the_clock(kind: str) -> None:
    p = FootagePainter("CAM-01", kind, seed=1, label="PM 12")
    a = p.paint(T0, wall_time=WALL)
    same_second = p.paint(T0, wall_time=WALL + 0.3)
    next_second = p.paint(T0, wall_time=WALL + 1.0)
    two_later = p.paint(T0, wall_time=WALL + 2.0)  # same blink phase of the REC mark
    assert np.array_equal(a, same_second)
    assert not np.array_equal(_inside(a, p.clock_rect), _inside(next_second, p.clock_rect))
    assert np.array_equal(_outside(a, p.clock_rect), _outside(two_later, p.clock_rect))


def test_name_is_burned_in() -> None:
    a = FootagePainter("CAM-01", FIXED, seed=4).paint(T0, wall_time=WALL)
    b = FootagePainter("CAM-77 Quai Jean Jaurès", FIXED, seed=4).paint(T0, wall_time=WALL)
    h, w = a.shape[:2]
    top_left = (slice(0, h // 8), slice(0, w // 2))
    assert not np.array_equal(a[top_left], b[top_left])
    assert np.array_equal(a[h // 4 :], b[h // 4 :])  # the scene itself is the same


def test_demo_mark_is_drawn_bottom_right() -> None:
    frame = FootagePainter("CAM-01", FIXED, seed=4).paint(T0)
    h, w = frame.shape[:2]
    corner = frame[h - h // 8 :, w // 2 :].astype(int)
    mark = np.array([60, 220, 255])  # BGR of the mark
    close = np.all(np.abs(corner - mark) < 30, axis=2)
    assert close.sum() > 40


def test_callsign_on_a_body_camera() -> None:
    a = FootagePainter("BWC-01", BODY, seed=1, label="").paint(T0, wall_time=WALL)
    b = FootagePainter("BWC-01", BODY, seed=1, label="PM 12 - Dupont").paint(T0, wall_time=WALL)
    h, w = a.shape[:2]
    second_line = (slice(h // 14, h // 6), slice(0, w // 2))
    assert not np.array_equal(a[second_line], b[second_line])


def test_seeds_give_different_streets() -> None:
    a = FootagePainter("CAM", FIXED, seed=1).paint(T0, wall_time=WALL)
    b = FootagePainter("CAM", FIXED, seed=2).paint(T0, wall_time=WALL)
    assert np.any(a != b, axis=2).mean() > 0.3


def test_jpeg_decodes_back() -> None:
    import cv2

    data = FootagePainter("CAM", FIXED, seed=1).jpeg(T0)
    img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert img is not None
    assert img.shape == (270, 480, 3)


@pytest.mark.parametrize(("kind", "size"), [("ptz", (480, 270)), (FIXED, (10, 10))])
def test_rejects_bad_arguments(kind: str, size: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match=r"kind|size"):
        FootagePainter("X", kind, size=size)
