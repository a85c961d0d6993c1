"""The blocks the synthetic cameras burn in: every number reads back, and what is not
such a row of blocks reads as nothing."""

from __future__ import annotations

import numpy as np

from app.adapters.demo import identity_code
from app.adapters.demo.footage import FootagePainter


def test_every_code_reads_back() -> None:
    for code in range(1, identity_code.MAX_CODE + 1):
        assert identity_code.decode(identity_code.blocks(code)) == code


def test_no_code_in_black_white_or_a_flipped_block() -> None:
    assert identity_code.decode([False] * identity_code.CELLS) is None
    assert identity_code.decode([True] * identity_code.CELLS) is None  # parity wrong
    blocks = identity_code.blocks(173)
    blocks[3] = not blocks[3]
    assert identity_code.decode(blocks) is None


def test_cameras_are_numbered_by_their_place() -> None:
    assert [identity_code.code_for(i) for i in (0, 1, 254, 255)] == [1, 2, 255, 1]


def test_the_painter_burns_the_blocks_in_at_both_sizes() -> None:
    for size in ((480, 270), (960, 540)):
        frame = FootagePainter("Kaivokatu × Rautatientori", seed=3, size=size, code=42).paint()
        _box, cells = identity_code.cells(*size)
        white = [float(np.mean(frame[y0:y1, x0:x1])) > 128 for x0, y0, x1, y1 in cells]
        assert identity_code.decode(white) == 42

