"""Is this screenshot of a smoke start worth keeping? `python check_screenshot.py PNG`:
exit 0 when the file is a PNG of a real screen with something drawn on it, 1 (and why)
when it is missing, empty, tiny or all one colour (a console that drew nothing, a
runner without a desktop)."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MIN_SIDE = 320  # a screen, not an icon
MIN_COLOURS = 16  # the demo shows video, a map and alarms: far more than this


def problem(path: Path) -> str | None:
    """None when the screenshot shows something, else what is wrong, in plain words."""
    try:
        with Image.open(path) as img:
            if img.format != "PNG":
                return f"{path} is a {img.format} image, not a PNG"
            rgb = img.convert("RGB")
    except FileNotFoundError:
        return f"{path} does not exist: the console wrote no screenshot"
    except (OSError, UnidentifiedImageError) as exc:
        return f"{path} is not an image: {exc}"
    if min(rgb.size) < MIN_SIDE:
        return f"{path} is {rgb.size[0]}x{rgb.size[1]}: too small for a screen"
    colours = rgb.getcolors(maxcolors=MIN_COLOURS)  # None: more colours than that
    if colours is not None:
        return (f"{path} holds only {len(colours)} colour(s): a blank screen, the console "
                "drew nothing")
    return None


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: check_screenshot.py PNG\n")
        return 2
    found = problem(Path(argv[0]))
    if found:
        sys.stderr.write(found + "\n")
        return 1
    sys.stdout.write(f"{argv[0]}: a screen with something on it\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
