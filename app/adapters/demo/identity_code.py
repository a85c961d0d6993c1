"""A synthetic camera's identity as a row of black and white blocks burned into its picture.

Why: a test must tell, from the X server's picture of the wall, which camera each tile
really shows (a video window left over another tile shows a camera under the wrong name),
and no OCR is available. The human name stays in the picture; beside it, a row of
`CELLS` square blocks says the camera's number: a white start block, 8 bits (most
significant first, white = 1) and a parity block (white when the number of ones is odd:
an all-white patch, like an all-black one, is no code), on a black box. Blocks are 16 px
at the 480×270 sub-stream (scaled with the frame), so a tile of a 5×5 wall at 1366×768
still shows each block about 3 px wide.

Qt-free and numpy-free: the painter draws `cells()`, the tests read them back.
"""

from __future__ import annotations

BITS = 8
CELLS = BITS + 2  # start, bits, parity
MAX_CODE = (1 << BITS) - 1
CELL_AT_270 = 16  # block side at a frame 270 px high

Rect = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive), frame pixels


def code_for(position: int) -> int:
    """The code of the camera at `position` (0-based) in a camera server's list: 1..255,
    repeating past 255 cameras (0 is never used: an all-black box is no code)."""
    return position % MAX_CODE + 1


def blocks(code: int) -> list[bool]:
    """White (True) or black for each block of `code`."""
    if not 1 <= code <= MAX_CODE:
        raise ValueError(f"identity code must be 1..{MAX_CODE}, got {code}")
    bits = [bool(code >> (BITS - 1 - i) & 1) for i in range(BITS)]
    return [True, *bits, sum(bits) % 2 == 1]


def decode(white: list[bool]) -> int | None:
    """The code read from the blocks, or None when they are no code (start block dark,
    parity wrong, zero)."""
    if len(white) != CELLS or not white[0]:
        return None
    bits = white[1:-1]
    if white[-1] != (sum(bits) % 2 == 1):
        return None
    code = 0
    for bit in bits:
        code = code << 1 | int(bit)
    return code or None


def cells(width: int, height: int) -> tuple[Rect, list[Rect]]:
    """The black box and the blocks inside it, for a frame of `width` × `height`:
    centred at the bottom, clear of the name (top left), the clock (top right), the
    recording mark (bottom left) and the demo mark (bottom right)."""
    side = max(4, round(CELL_AT_270 * height / 270))
    margin = max(2, side // 3)
    row_w = CELLS * side
    x0 = (width - row_w) // 2
    y1 = height - max(4, round(8 * height / 270))
    y0 = y1 - side
    box = (x0 - margin, y0 - margin, x0 + row_w + margin, y1 + margin)
    return box, [(x0 + i * side, y0, x0 + (i + 1) * side, y1) for i in range(CELLS)]
