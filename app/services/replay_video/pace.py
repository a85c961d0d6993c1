"""Which pictures a camera shows at which speed: the same rule for every camera of a
replay, so that their tiles agree.

Which pictures (measured, see bench/replay.py and the report of issue 12): at 1x and
slower, every one. Faster, every camera shows the exact picture (largest time <= t) of
the SAME instants, a grid laid from where the run started: at 2x and 4x 25 a second of
wall time (the wall repaints no faster; the decoder still decodes every picture in
order, 100 a second per camera at 4x, ~0.35 ms each at 640x360, but scales only the 25
shown); at 8x and 16x 8 a second (1 s, 2 s of recording apart), each decoded from the
keyframe before it (about half a GOP per picture), because decoding every picture of 9
cameras at 16x (3,600 a second) is beyond 2 cores. Keyframes only (tried first) left
tiles on keyframes up to 3 s of recording apart, since cameras' GOPs are not aligned;
the grid keeps them within one frame of each other, at the cost of fewer pictures.
"""

from __future__ import annotations

from app.services.replay_clock import ClockState
from app.services.replay_video.frames import to_us

SCREEN_PICTURES_PER_S = 25  # at 2x and 4x: the wall repaints 25 times a second anyway
HIGH_RATE = 8  # from this speed on, fewer pictures: each costs a decode from a keyframe
HIGH_RATE_PICTURES_PER_S = 8  # 1 s of recording apart at 8x, 2 s at 16x


def quantum(state: ClockState) -> int:
    """Beyond 1x, the grid (µs of recording) every tile's pictures are taken on; 0 at 1x
    and below (every picture shown)."""
    speed = abs(state.rate)
    if not state.playing or speed <= 1:
        return 0
    per_s = SCREEN_PICTURES_PER_S if speed < HIGH_RATE else HIGH_RATE_PICTURES_PER_S
    return round(speed / per_s * 1_000_000)


def target(state: ClockState) -> int:
    """The instant (µs) to show: the clock's, or at high rates the last line of a grid
    laid from where this run of the clock started (so playing never first jumps back),
    the same for every camera of the wall (they read the same clock)."""
    t = to_us(state.position)
    step = quantum(state)
    if not step:
        return t
    anchor = to_us(state.anchor)
    if state.rate > 0:
        return anchor + ((t - anchor) // step) * step
    return anchor - ((anchor - t) // step) * step
