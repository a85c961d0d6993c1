"""Burned-in captions drawn with a real font.

OpenCV's Hershey fonts are ASCII only: "×" came out as "?" and accents were strokes laid
by hand, often misplaced. Captions are drawn with DejaVu Sans (shipped in
`resources/fonts` with its licence, so every machine draws the same pixels) through
Pillow's FreeType. A caption's coverage masks are rendered once per (text, size) and kept:
a camera's name and marks never change, its clock changes once a second, so a frame only
blends a few small masks (numpy), as cheap as the Hershey strokes were.

Sizes follow OpenCV's `putText` scale, so callers keep their layout: at scale 1.0 capitals
stand `CAP_PX` pixels tall, as with `FONT_HERSHEY_SIMPLEX`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image as PilImage
from PIL import ImageDraw, ImageFont

Image = npt.NDArray[np.uint8]
Color = tuple[int, int, int]  # BGR, as the frames are

CAP_PX = 22  # capital height at scale 1.0 with FONT_HERSHEY_SIMPLEX


def font_path() -> Path:
    return Path(str(files("resources") / "fonts" / "DejaVuSans.ttf"))


def pixel_size(scale: float) -> int:
    """The font's em size in pixels whose capitals stand as tall as Hershey's at `scale`."""
    return max(6, round(CAP_PX * scale / _cap_ratio()))


@functools.lru_cache(maxsize=1)
def _cap_ratio() -> float:
    """Capital height / em size of the shipped font (0.73 for DejaVu Sans)."""
    probe = 100
    top, bottom = font(probe).getbbox("E", anchor="ls")[1::2]
    return (bottom - top) / probe


@functools.lru_cache(maxsize=16)
def font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path()), px)


@dataclass(frozen=True)
class Caption:
    """A caption ready to blend: what stays of the picture under it (255 - the outline's
    coverage) and the text's colour times its coverage, placed relative to the origin
    (left end of the baseline) by `left`, `top`. uint8 both, so that a frame's blend is two
    saturating OpenCV operations on a small region."""

    keep: Image  # h x w x 3
    ink: Image  # h x w x 3
    left: int
    top: int


@functools.lru_cache(maxsize=512)
def render(text: str, px: int, outline: int, color: Color) -> Caption:
    f = font(px)
    left, top, right, bottom = _box(f, text, outline)
    size = (max(1, right - left), max(1, bottom - top))
    fill, halo = PilImage.new("L", size), PilImage.new("L", size)
    at = (-left, -top)
    ImageDraw.Draw(halo).text(at, text, font=f, fill=255, anchor="ls",
                              stroke_width=outline, stroke_fill=255)
    ImageDraw.Draw(fill).text(at, text, font=f, fill=255, anchor="ls")
    cover = np.asarray(fill, np.float32)[:, :, None] / 255.0
    keep = np.repeat(255 - np.asarray(halo, np.uint8)[:, :, None], 3, axis=2)
    ink = (cover * np.asarray(color, np.float32) + 0.5).astype(np.uint8)
    return Caption(keep, ink, left, top)


def text_size(text: str, scale: float, thickness: int = 1) -> tuple[tuple[int, int], int]:
    """Like `cv2.getTextSize`: ((width from the origin, height above the baseline), depth
    below it), the outline included: right-aligned text ends where the width says."""
    _left, top, right, bottom = _box(font(pixel_size(scale)), text, max(1, thickness))
    return (right, -top), max(0, bottom)


def _box(f: ImageFont.FreeTypeFont, text: str, outline: int) -> tuple[int, int, int, int]:
    """The ink's box around the origin (left end of the baseline), in whole pixels."""
    left, top, right, bottom = f.getbbox(text, anchor="ls", stroke_width=outline)
    return math.floor(left), math.floor(top), math.ceil(right), math.ceil(bottom)


def draw(img: Image, text: str, org: tuple[int, int], scale: float,
         color: Color = (255, 255, 255), thickness: int = 1) -> None:
    """Draw `text` with its baseline starting at `org`, a dark outline around it (legible
    on sky and asphalt alike); what falls outside the frame is clipped."""
    if not text:
        return
    cap = render(text, pixel_size(scale), max(1, thickness), (color[0], color[1], color[2]))
    h, w = cap.keep.shape[:2]
    x0, y0 = org[0] + cap.left, org[1] + cap.top
    fx0, fy0 = max(0, -x0), max(0, -y0)
    fx1, fy1 = min(w, img.shape[1] - x0), min(h, img.shape[0] - y0)
    if fx1 <= fx0 or fy1 <= fy0:
        return
    roi = img[y0 + fy0: y0 + fy1, x0 + fx0: x0 + fx1]
    # the outline darkens what is under it (the text lies inside its outline), then the ink
    # adds the text's colour: out = picture * (1 - outline) + colour * text
    dark = cv2.multiply(roi, cap.keep[fy0:fy1, fx0:fx1], scale=1 / 255)
    cv2.add(dark, cap.ink[fy0:fy1, fx0:fx1], dst=roi)
