"""The demo's burned-in captions are drawn with a real font: "×" is a multiplication sign
and "é", "è", "ç" carry their accents where the font puts them. Before, OpenCV's Hershey
font drew "×" as "?" and laid accents by hand, misplaced."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from app.adapters.demo import captions
from app.adapters.demo.footage import FIXED, FootagePainter, put_text

TEXT = "Kaivokatu × Rautatientori — é è ç à ô"
SCALE = 0.8
ORG = (10, 40)


def drawn_by_the_font(text: str, size: tuple[int, int]) -> np.ndarray:
    """The same text drawn by FreeType directly, white on black, no outline."""
    img = Image.new("L", size)
    font = ImageFont.truetype(str(captions.font_path()), captions.pixel_size(SCALE))
    ImageDraw.Draw(img).text(ORG, text, font=font, fill=255, anchor="ls")
    return np.asarray(img, np.int16)


def captioned(text: str) -> np.ndarray:
    frame = np.zeros((60, 640, 3), np.uint8)
    put_text(frame, text, ORG, SCALE, (255, 255, 255), 1)
    return frame


def test_a_caption_is_the_font_s_own_drawing() -> None:
    frame = captioned(TEXT)
    expected = drawn_by_the_font(TEXT, (640, 60))
    assert expected.sum() > 0
    for channel in range(3):  # white text: every channel; its black outline vanishes on black
        assert int(np.abs(frame[:, :, channel].astype(np.int16) - expected).max()) <= 2


def test_signs_and_accents_are_not_question_marks_nor_bare_letters() -> None:
    for text, stand_in in (("×", "?"), ("é", "e"), ("è", "e"), ("ç", "c")):
        ours = captioned(f"A {text} B")
        assert not np.array_equal(ours, captioned(f"A {stand_in} B")), text
        font_s = drawn_by_the_font(f"A {text} B", (640, 60))
        assert int(np.abs(ours[:, :, 1].astype(np.int16) - font_s).max()) <= 2, text


def test_a_camera_named_with_a_sign_burns_the_sign_in() -> None:
    t = 1_750_000_000.0
    sign = FootagePainter("Kaivokatu × Rautatientori", FIXED, seed=4).paint(t, wall_time=t)
    ascii_ = FootagePainter("Kaivokatu ? Rautatientori", FIXED, seed=4).paint(t, wall_time=t)
    h, w = sign.shape[:2]
    assert not np.array_equal(sign[: h // 8, : w // 2], ascii_[: h // 8, : w // 2])


def test_text_size_matches_what_is_drawn() -> None:
    (w, h), depth = captions.text_size(TEXT, SCALE, 1)
    ink = np.argwhere(captioned(TEXT)[:, :, 0] > 0)
    assert abs((ink[:, 1].max() + 1 - ORG[0]) - w) <= 3  # the outline: 1 px more
    assert abs((ORG[1] - ink[:, 0].min()) - h) <= 3
    assert depth >= 1  # "ç" reaches below the baseline
