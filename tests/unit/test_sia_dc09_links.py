"""When a DC-09 connection is garbage: refused frames in a row, or mostly refused frames
(a sender slipping a good frame in between its garbage), never a real panel's few NAKs."""

from __future__ import annotations

from app.adapters.sia_dc09.links import (
    GARBAGE_MIN_REJECTS,
    MAX_CONSECUTIVE_REJECTS,
    GarbageGuard,
)


def _first_verdict(pattern: list[bool], frames: int) -> tuple[int, str] | None:
    guard = GarbageGuard()
    for n in range(frames):
        why = guard.verdict(pattern[n % len(pattern)])
        if why is not None:
            return n + 1, why
    return None


def test_refused_frames_in_a_row_close_the_connection() -> None:
    assert _first_verdict([True], 100) == (MAX_CONSECUTIVE_REJECTS,
                                           f"{MAX_CONSECUTIVE_REJECTS} frames refused in a row")


def test_garbage_with_a_good_frame_now_and_then_is_still_garbage() -> None:
    refused_then_good = [True] * (MAX_CONSECUTIVE_REJECTS - 1) + [False]
    verdict = _first_verdict(refused_then_good, 1000)
    assert verdict is not None
    frames, why = verdict
    assert frames < GARBAGE_MIN_REJECTS * 2
    assert why.startswith(f"{GARBAGE_MIN_REJECTS} of its")


def test_a_panel_with_a_wrong_clock_or_line_noise_is_never_closed() -> None:
    # a bad frame every few good ones, for ever
    assert _first_verdict([True, False, False, False], 10_000) is None
    # nine NAKs while the panel's clock is corrected, then good frames
    start = [True] * (MAX_CONSECUTIVE_REJECTS - 1) + [False] * 10_000
    assert _first_verdict(start, len(start)) is None
