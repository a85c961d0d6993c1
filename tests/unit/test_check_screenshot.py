"""packaging/tools/check_screenshot.py, the Windows workflow's check of its smoke start:
a screen with something drawn passes; a blank, tiny, missing or non-PNG file fails, said."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.conftest import REPO

TOOL = REPO / "packaging" / "tools" / "check_screenshot.py"


def check(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(TOOL), str(path)], capture_output=True,
                          text=True, timeout=60)


def test_a_screen_with_something_on_it_passes(tmp_path: Path) -> None:
    img = Image.new("RGB", (800, 600), "black")
    draw = ImageDraw.Draw(img)
    for i in range(40):  # video tiles, a map, alarm rows: many colours
        draw.rectangle((i * 20, 0, i * 20 + 19, 300), fill=(i * 6, 255 - i * 6, 90))
    img.save(tmp_path / "shot.png")
    done = check(tmp_path / "shot.png")
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(("writer", "said"), [
    (lambda p: Image.new("RGB", (1366, 768), (30, 30, 30)).save(p), "only 1 colour(s)"),
    (lambda p: Image.new("RGB", (64, 64), "red").save(p), "too small for a screen"),
    (lambda p: p.write_bytes(b"not an image"), "is not an image"),
    (lambda p: Image.new("RGB", (800, 600)).save(p, format="JPEG"), "not a PNG"),
    (lambda p: None, "does not exist"),
])
def test_what_is_not_a_screenshot_fails_and_says_why(tmp_path: Path, writer: object,
                                                     said: str) -> None:
    path = tmp_path / "shot.png"
    writer(path)  # type: ignore[operator]
    done = check(path)
    assert done.returncode == 1
    assert said in done.stderr
