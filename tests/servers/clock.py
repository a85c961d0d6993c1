"""Read the clock that `tests/servers/rtsp_server.py` burns into its frames.

The strip: 32 cells across the top of the picture (1/15 of its height), 24 bits of
milliseconds (``time.time()`` modulo 2**24) then an 8-bit check, most significant first.
"""

from __future__ import annotations

import time

import numpy as np

CELLS = 32
MODULO = 1 << 24


def _check(value: int) -> int:
    return (value ^ (value >> 8) ^ (value >> 16) ^ 0x5A) & 0xFF


def decode_clock(picture: np.ndarray) -> int | None:
    """The sender's milliseconds from an RGB picture of the whole frame, or None if the
    strip cannot be read (torn frame, not the test source)."""
    h, w = picture.shape[:2]
    strip_h = max(2, h // 15)
    row = picture[strip_h // 2, :, :].astype(int).mean(axis=1)
    word = 0
    for i in range(CELLS):
        x = int((i + 0.5) * w / CELLS)
        v = float(row[max(0, x - 1):x + 2].mean())
        if 70 < v < 180:
            return None  # neither black nor white: a blurred or torn cell
        word = (word << 1) | (v >= 128)
    value, check = word >> 8, word & 0xFF
    return value if _check(value) == check else None


def latency_ms(sent: int, now_s: float | None = None) -> int:
    """Milliseconds from `sent` (a decoded clock) to now, across the 2**24 wrap."""
    now = int((time.time() if now_s is None else now_s) * 1000) % MODULO
    return (now - sent) % MODULO


def ms_apart(a: int, b: int) -> int:
    """How far apart two decoded clocks are, in ms, across the 2**24 wrap."""
    d = (a - b) % MODULO
    return min(d, MODULO - d)
