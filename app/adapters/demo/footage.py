"""Honest synthetic footage for the demo site's cameras.

Each demo camera gets a procedurally drawn street scene (a seed picks the street, the
buildings, the traffic) with the on-screen display a real CCTV camera burns in: its name
and the local date and time with seconds. Every frame also carries a "DÉMO / SYNTHÉTIQUE"
mark so that nobody mistakes a demo picture for real footage, e.g. on a screenshot.

Cost matters (a demo site serves a dozen streams from one process): everything that does
not move is painted once per camera into a background; a frame is a copy of it plus a few
dozen filled shapes and a few lines of text (about 1-2 ms for 480×270 here).

Pure numpy/OpenCV, and Pillow for the text: no Qt, no libvlc.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from app.adapters.demo import captions, identity_code

Image = npt.NDArray[np.uint8]
Color = tuple[int, int, int]  # BGR

FIXED = "fixed"
BODY = "body"

DEMO_MARK = "DÉMO / SYNTHÉTIQUE"
_SHIFT = 4  # OpenCV fixed-point bits: sub-pixel positions, so slow far objects glide
_ONE = 1 << _SHIFT

def put_text(
    img: Image,
    text: str,
    org: tuple[int, int],
    scale: float,
    color: Color = (255, 255, 255),
    thickness: int = 1,
) -> None:
    """Draw legible OSD text (dark outline) with a real font: "×", "é", "ç" as written
    (`captions`); `org` and `scale` as with `cv2.putText`."""
    captions.draw(img, text, org, scale, color, thickness)


def _mix(a: Color, b: Color, k: float) -> Color:
    """Blend two colours; k=0 gives a, k=1 gives b."""
    k = min(1.0, max(0.0, k))
    return (
        int(a[0] + (b[0] - a[0]) * k),
        int(a[1] + (b[1] - a[1]) * k),
        int(a[2] + (b[2] - a[2]) * k),
    )


def _shade(c: Color, k: float) -> Color:
    return (min(255, int(c[0] * k)), min(255, int(c[1] * k)), min(255, int(c[2] * k)))


@dataclass(frozen=True, slots=True)
class _Camera:
    """A pinhole camera: world metres (X right, Y up, Z ahead) to pixels."""

    cx: float  # vanishing point x (pixels)
    cy: float  # horizon y (pixels)
    f: float  # focal length (pixels)
    x: float  # camera position across the street (m)
    h: float  # camera height (m)

    def px(self, X: float, Y: float, Z: float, dx: float = 0.0, dy: float = 0.0) -> list[int]:
        """Fixed-point pixel of a world point (Z clipped at 0.5 m in front of the lens)."""
        z = max(Z, 0.5)
        return [
            int((self.cx + self.f * (X - self.x) / z - dx) * _ONE),
            int((self.cy + self.f * (self.h - Y) / z - dy) * _ONE),
        ]


def _quad(
    img: Image,
    cam: _Camera,
    corners: list[tuple[float, float, float]],
    color: Color,
    dx: float = 0.0,
    dy: float = 0.0,
) -> None:
    pts = np.array([cam.px(X, Y, Z, dx, dy) for X, Y, Z in corners], np.int32)
    cv2.fillConvexPoly(img, pts, color, cv2.LINE_8, _SHIFT)


_FACADES: list[Color] = [
    (150, 180, 205),  # sand stone
    (120, 140, 170),  # ochre
    (185, 190, 195),  # light grey render
    (110, 120, 150),  # brick-ish
    (170, 200, 215),  # cream
    (135, 150, 140),  # grey-green
    (95, 110, 135),  # dark brick
    (200, 205, 200),  # white render
]
_CARS: list[Color] = [
    (40, 40, 40),
    (200, 200, 205),
    (160, 160, 160),
    (40, 40, 150),
    (140, 80, 30),
    (230, 230, 235),
    (60, 90, 60),
    (30, 110, 200),
    (90, 60, 40),
]
_SHIRTS: list[Color] = [
    (50, 50, 60),
    (160, 90, 40),
    (40, 40, 170),
    (200, 200, 200),
    (60, 120, 60),
    (30, 140, 200),
    (120, 60, 120),
    (80, 80, 80),
]
_SKIN: list[Color] = [(140, 170, 220), (100, 140, 190), (70, 100, 140), (150, 185, 230)]
_ROAD: Color = (92, 92, 96)
_WALK: Color = (150, 155, 160)


@dataclass(slots=True)
class _Mover:
    """A car or a pedestrian going up or down the street, on a loop."""

    x: float
    z0: float
    speed: float  # m/s, negative = towards the camera
    span: float  # loop length along Z (m)
    zmin: float
    color: Color
    other: Color  # pedestrian: skin; car: unused
    car: bool
    phase: float

    def z(self, t: float) -> float:
        return self.zmin + (self.z0 + self.speed * t) % self.span


class FootagePainter:
    """Paints frames for one synthetic camera at one size.

    `paint(t)` is a pure function of the time: two painters with the same arguments give
    the same pictures, and a test can ask for any instant.
    """

    def __init__(
        self,
        name: str,
        kind: str = FIXED,
        *,
        seed: int = 0,
        label: str = "",
        size: tuple[int, int] = (480, 270),
        code: int | None = None,
    ) -> None:
        if kind not in (FIXED, BODY):
            raise ValueError(f"camera kind must be {FIXED!r} or {BODY!r}, got {kind!r}")
        w, h = size
        if w < 64 or h < 36:
            raise ValueError(f"frame size too small: {w}x{h}")
        self.name = name
        self.kind = kind
        self.seed = seed
        self.label = label
        self.code = code  # the identity burned in as blocks (`identity_code`); None: none
        self.size = (w, h)
        self._rng = np.random.default_rng(seed)
        self._scale = h / 270.0
        self._font = 0.42 * self._scale
        self._thick = max(1, round(self._scale))
        if kind == BODY:
            self._init_body()
        else:
            self._init_fixed()
        self._osd_static = self._osd_layout()

    # --- public -----------------------------------------------------------------------

    @property
    def clock_rect(self) -> tuple[int, int, int, int]:
        """Where the burned-in clock is drawn: x, y, width, height (pixels)."""
        return self._clock_rect

    def paint(self, t: float | None = None, *, wall_time: float | None = None) -> Image:
        """A new BGR frame of the scene at `t` (epoch seconds), with the clock of `wall_time`.

        By default both are now; a test can move one without the other.
        """
        if t is None:
            t = time.time()
        if wall_time is None:
            wall_time = t
        frame = self._paint_body(t) if self.kind == BODY else self._paint_fixed(t)
        self._paint_osd(frame, wall_time)
        return frame

    def jpeg(self, t: float | None = None, quality: int = 80) -> bytes:
        """The frame at `t` encoded as JPEG (what the camera server sends)."""
        ok, buf = cv2.imencode(".jpg", self.paint(t), [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:  # pragma: no cover - OpenCV always encodes a valid BGR array
            raise RuntimeError("JPEG encoding failed")
        return buf.tobytes()

    # --- fixed camera: a street seen from a pole ----------------------------------------

    def _init_fixed(self) -> None:
        rng = self._rng
        w, h = self.size
        lanes = int(rng.choice([2, 2, 4]))
        lane_w = 3.2
        self._road_half = lanes * lane_w / 2
        walk = float(rng.uniform(2.5, 4.0))
        self._walk_x = self._road_half + walk  # facade line
        side = float(rng.choice([-1.0, 1.0]))
        cam = _Camera(
            cx=w * float(rng.uniform(0.38, 0.62)),
            cy=h * float(rng.uniform(0.28, 0.40)),
            f=w * float(rng.uniform(0.85, 1.15)),
            x=side * float(rng.uniform(0.0, self._road_half + 1.0)),
            h=float(rng.uniform(5.0, 8.0)),
        )
        self._cam = cam
        self._light = float(rng.uniform(0.85, 1.08))
        self._znear = cam.f * cam.h / (h - cam.cy) * 0.8
        bg = np.empty((h, w, 3), np.uint8)
        self._paint_sky(bg, cam.cy + h * 0.05)
        self._paint_street(bg, cam, zfar=260.0)
        self._bg = self._vignette(bg)

        movers: list[_Mover] = []
        span = 170.0
        for lane in range(lanes):
            x = -self._road_half + lane_w * (lane + 0.5)
            away = lane >= lanes // 2  # drive on the right
            for _ in range(int(rng.integers(1, 3))):
                v = float(rng.uniform(7.0, 13.0))
                movers.append(
                    _Mover(
                        x=x + float(rng.uniform(-0.3, 0.3)),
                        z0=float(rng.uniform(0, span)),
                        speed=v if away else -v,
                        span=span,
                        zmin=self._znear * 0.7,
                        color=_CARS[int(rng.integers(len(_CARS)))],
                        other=(0, 0, 0),
                        car=True,
                        phase=0.0,
                    )
                )
        for _ in range(int(rng.integers(6, 11))):
            s = float(rng.choice([-1.0, 1.0]))
            v = float(rng.uniform(1.0, 1.7)) * float(rng.choice([-1.0, 1.0]))
            movers.append(
                _Mover(
                    x=s * (self._road_half + float(rng.uniform(0.6, walk - 0.5))),
                    z0=float(rng.uniform(0, 60.0)),
                    speed=v,
                    span=60.0,
                    zmin=self._znear * 0.8,
                    color=_SHIRTS[int(rng.integers(len(_SHIRTS)))],
                    other=_SKIN[int(rng.integers(len(_SKIN)))],
                    car=False,
                    phase=float(rng.uniform(0, 6.28)),
                )
            )
        self._movers = movers

    def _paint_sky(self, bg: Image, horizon: float) -> None:
        h, w = bg.shape[:2]
        top = _shade((205, 150, 95), self._light)
        low = _shade((235, 215, 195), self._light)
        ys = np.clip(np.arange(h, dtype=np.float32) / max(1.0, horizon), 0, 1)[:, None]
        for c in range(3):
            bg[:, :, c] = (top[c] + (low[c] - top[c]) * ys).astype(np.uint8)
        rng = self._rng
        clouds = np.zeros((h, w), np.uint8)
        for _ in range(int(rng.integers(2, 6))):
            cx, cy = int(rng.uniform(0, w)), int(rng.uniform(0, horizon * 0.7))
            for _ in range(4):
                ax = int(rng.uniform(0.03, 0.09) * w)
                cv2.ellipse(
                    clouds,
                    (cx + int(rng.uniform(-ax, ax)), cy + int(rng.uniform(-ax / 4, ax / 4))),
                    (ax, max(2, ax // 3)),
                    0,
                    0,
                    360,
                    255,
                    -1,
                )
        k = max(3, (w // 40) | 1)
        alpha = cv2.GaussianBlur(clouds, (k, k), 0).astype(np.float32)[:, :, None] / 255 * 0.6
        bg[:] = (bg * (1 - alpha) + 245 * alpha).astype(np.uint8)

    def _haze(self, c: Color, z: float) -> Color:
        return _shade(_mix(c, (205, 195, 185), z / 420.0), self._light)

    def _paint_street(self, bg: Image, cam: _Camera, zfar: float) -> None:
        rng = self._rng
        zn = 0.8
        rh, fx = self._road_half, self._walk_x
        # distant skyline closing the street
        far_h = float(rng.uniform(14, 30))
        _quad(bg, cam, [(-fx * 3, 0, zfar), (fx * 3, 0, zfar), (fx * 3, far_h, zfar),
                        (-fx * 3, far_h, zfar)], self._haze((150, 150, 160), zfar))
        # ground: sidewalks, curbs, road
        _quad(bg, cam, [(-fx, 0, zn), (fx, 0, zn), (fx, 0, zfar), (-fx, 0, zfar)],
              self._haze(_WALK, 30))
        _quad(bg, cam, [(-rh, 0, zn), (rh, 0, zn), (rh, 0, zfar), (-rh, 0, zfar)],
              self._haze(_ROAD, 30))
        for s in (-1.0, 1.0):
            _quad(bg, cam, [(s * rh, 0, zn), (s * (rh + 0.2), 0, zn), (s * (rh + 0.2), 0, zfar),
                            (s * rh, 0, zfar)], self._haze((175, 180, 185), 30))
            _quad(bg, cam, [(s * (rh - 0.35), 0, zn), (s * (rh - 0.2), 0, zn),
                            (s * (rh - 0.2), 0, zfar), (s * (rh - 0.35), 0, zfar)],
                  self._haze((215, 215, 215), 40))
        # lane dashes and a zebra crossing
        lanes = round(rh * 2 / 3.2)
        for lane in range(1, lanes):
            x = -rh + 3.2 * lane
            dash = (225, 225, 225) if lane == lanes // 2 else (200, 200, 200)
            z = zn
            while z < zfar:
                _quad(bg, cam, [(x - 0.07, 0, z), (x + 0.07, 0, z), (x + 0.07, 0, z + 3),
                                (x - 0.07, 0, z + 3)], self._haze(dash, z))
                z += 9.0
        zc = self._znear * float(rng.uniform(1.3, 2.2))
        x = -rh + 0.4
        while x < rh - 0.4:
            _quad(bg, cam, [(x, 0, zc), (x + 0.5, 0, zc), (x + 0.5, 0, zc + 4), (x, 0, zc + 4)],
                  self._haze((225, 225, 228), zc))
            x += 1.0
        # parked cars along the curbs
        for s in (-1.0, 1.0):
            z = self._znear * float(rng.uniform(1.0, 2.5))
            while z < 120:
                if rng.random() < 0.55:
                    self._car(bg, s * (rh - 1.1), z, _CARS[int(rng.integers(len(_CARS)))],
                              toward=rng.random() < 0.5, parked=True)
                z += float(rng.uniform(5.0, 9.0))
        # facades, far to near so that near blocks cover far ones
        for s in (-1.0, 1.0):
            blocks: list[tuple[float, float, float, Color]] = []
            z = 0.5
            while z < zfar:
                depth = float(rng.uniform(8, 22))
                blocks.append((z, min(zfar, z + depth), float(rng.uniform(9, 24)),
                               _FACADES[int(rng.integers(len(_FACADES)))]))
                z += depth
            for z0, z1, hgt, col in reversed(blocks):
                self._block(bg, cam, s * fx, s, z0, z1, hgt, col)
        # street furniture on the sidewalk edge
        for s in (-1.0, 1.0):
            z = float(rng.uniform(8, 20))
            items: list[tuple[float, bool]] = []
            while z < 150:
                items.append((z, bool(rng.random() < 0.5)))
                z += float(rng.uniform(14, 26))
            for z, tree in reversed(items):
                self._furniture(bg, cam, s * (rh + 0.7), z, tree)

    def _block(self, bg: Image, cam: _Camera, x: float, s: float, z0: float, z1: float,
               hgt: float, col: Color) -> None:
        lit = 1.12 if s > 0 else 0.9  # the sun is on one side of the street
        # end wall towards the camera, seen where the nearer block is lower
        _quad(bg, cam, [(x, 0, z0), (x + s * 14, 0, z0), (x + s * 14, hgt, z0), (x, hgt, z0)],
              self._haze(_shade(col, 0.7), z0))
        _quad(bg, cam, [(x, 0, z0), (x, 0, z1), (x, hgt, z1), (x, hgt, z0)],
              self._haze(_shade(col, lit), z0))
        _quad(bg, cam, [(x, hgt - 0.5, z0), (x, hgt - 0.5, z1), (x, hgt, z1), (x, hgt, z0)],
              self._haze(_shade(col, 0.6), z0))
        rng = self._rng
        glass = (95, 80, 70)
        awning = _CARS[int(rng.integers(len(_CARS)))]
        z = z0 + 0.8
        while z + 2.8 < z1:  # ground-floor shop windows and awnings
            _quad(bg, cam, [(x, 0.3, z), (x, 0.3, z + 2.4), (x, 2.6, z + 2.4), (x, 2.6, z)],
                  self._haze(glass, z))
            _quad(bg, cam, [(x, 2.8, z), (x, 2.8, z + 2.4), (x - s * 0.8, 2.5, z + 2.4),
                            (x - s * 0.8, 2.5, z)], self._haze(awning, z))
            z += 3.2
        cam_f_px = cam.f * 1.2 / max(z0, 1)
        if cam_f_px < 1.5:
            return
        floor = 4.0
        while floor + 2.0 < hgt - 0.5:
            z = z0 + 1.0
            while z + 1.4 < z1:
                if self._rng.random() < 0.93:
                    lum = float(self._rng.uniform(0.7, 1.3))
                    _quad(bg, cam, [(x, floor, z), (x, floor, z + 1.2),
                                    (x, floor + 1.6, z + 1.2), (x, floor + 1.6, z)],
                          self._haze(_shade((90, 75, 60), lum), z))
                z += 2.6
            floor += 3.0

    def _furniture(self, bg: Image, cam: _Camera, x: float, z: float, tree: bool) -> None:
        if tree:
            trunk = self._haze((40, 60, 80), z)
            _quad(bg, cam, [(x - 0.15, 0, z), (x + 0.15, 0, z), (x + 0.15, 3, z),
                            (x - 0.15, 3, z)], trunk)
            cx, cy = cam.px(x, 4.6, z)
            r = int(cam.f * 2.0 / z * _ONE)
            green = self._haze((50, 110, 60), z)
            cv2.circle(bg, (cx, cy), r, green, -1, cv2.LINE_AA, _SHIFT)
            cv2.circle(bg, (cx - r // 3, cy - r // 3), r // 2, _shade(green, 1.25), -1,
                       cv2.LINE_AA, _SHIFT)
        else:
            pole = self._haze((60, 60, 60), z)
            _quad(bg, cam, [(x - 0.06, 0, z), (x + 0.06, 0, z), (x + 0.06, 6.5, z),
                            (x - 0.06, 6.5, z)], pole)
            arm = -0.9 if x > 0 else 0.9
            _quad(bg, cam, [(x, 6.3, z), (x + arm, 6.3, z), (x + arm, 6.5, z), (x, 6.5, z)],
                  pole)

    def _car(self, img: Image, x: float, z: float, col: Color, *, toward: bool,
             parked: bool = False, dx: float = 0.0, dy: float = 0.0) -> None:
        """A car whose nearest face is at depth z: shadow, top, side, near face, lights."""
        cam = self._cam
        hw, hgt, length = 0.9, 1.45, 4.4
        zf = z + length
        hz = self._haze if not parked else (lambda c, _z: self._haze(c, _z * 1.3))
        _quad(img, cam, [(x - hw - 0.15, 0, z - 0.1), (x + hw + 0.15, 0, z - 0.1),
                         (x + hw + 0.15, 0, zf), (x - hw - 0.15, 0, zf)],
              hz((45, 45, 48), z), dx, dy)
        if cam.h > hgt:
            _quad(img, cam, [(x - hw, hgt, z + 1.0), (x + hw, hgt, z + 1.0),
                             (x + hw, hgt, zf - 0.8), (x - hw, hgt, zf - 0.8)],
                  hz(_shade(col, 1.15), z), dx, dy)
        rel = x - cam.x
        if abs(rel) > hw:
            sx = x - hw if rel > 0 else x + hw
            _quad(img, cam, [(sx, 0.25, z), (sx, 0.25, zf), (sx, 0.95, zf), (sx, 0.95, z)],
                  hz(_shade(col, 0.75), z), dx, dy)
            _quad(img, cam, [(sx, 0.95, z + 1.0), (sx, 0.95, zf - 0.8), (sx, hgt, zf - 0.8),
                             (sx, hgt, z + 1.0)], hz((70, 60, 55), z), dx, dy)
        _quad(img, cam, [(x - hw, 0.25, z), (x + hw, 0.25, z), (x + hw, 0.95, z),
                         (x - hw, 0.95, z)], hz(col, z), dx, dy)
        _quad(img, cam, [(x - hw + 0.1, 0.95, z + 0.3), (x + hw - 0.1, 0.95, z + 0.3),
                         (x + hw - 0.2, hgt, z + 1.0), (x - hw + 0.2, hgt, z + 1.0)],
              hz((80, 65, 55), z), dx, dy)
        light = (190, 230, 245) if toward else (40, 40, 210)
        for lx in (x - hw + 0.05, x + hw - 0.35):
            _quad(img, cam, [(lx, 0.7, z - 0.01), (lx + 0.3, 0.7, z - 0.01),
                             (lx + 0.3, 0.85, z - 0.01), (lx, 0.85, z - 0.01)], hz(light, z),
                  dx, dy)
        for wx in (x - hw + 0.1, x + hw - 0.45):
            _quad(img, cam, [(wx, 0.0, z + 0.05), (wx + 0.35, 0.0, z + 0.05),
                             (wx + 0.35, 0.3, z + 0.05), (wx, 0.3, z + 0.05)], (20, 20, 20),
                  dx, dy)

    def _walker(self, img: Image, m: _Mover, z: float, t: float, dx: float = 0.0,
                dy: float = 0.0) -> None:
        """A pedestrian: shadow, swinging legs, body, head."""
        cam = self._cam
        if cam.f * 1.75 / z < 3:
            return
        swing = math.sin(t * abs(m.speed) * 4.2 + m.phase) * 0.28
        legs = _shade(m.color, 0.45)
        hip = cam.px(m.x, 0.9, z, dx, dy)
        th = max(1, int(cam.f * 0.16 / z))
        for s in (swing, -swing):
            foot = cam.px(m.x + 0.08 * (1 if s > 0 else -1), 0.0, z - s, dx, dy)
            cv2.line(img, tuple(hip), tuple(foot), legs, th, cv2.LINE_AA, _SHIFT)
        _quad(img, cam, [(m.x - 0.22, 0.85, z), (m.x + 0.22, 0.85, z), (m.x + 0.2, 1.5, z),
                         (m.x - 0.2, 1.5, z)], self._haze(m.color, z), dx, dy)
        head = cam.px(m.x, 1.63, z, dx, dy)
        r = max(_ONE, int(cam.f * 0.12 / z * _ONE))
        cv2.circle(img, (head[0], head[1]), r, self._haze(m.other, z), -1, cv2.LINE_AA, _SHIFT)

    def _paint_fixed(self, t: float) -> Image:
        frame = self._bg.copy()
        items = sorted(((m.z(t), m) for m in self._movers), key=lambda it: -it[0])
        for z, m in items:
            if m.car:
                self._car(frame, m.x, z, m.color, toward=m.speed < 0)
            else:
                self._walker(frame, m, z, t)
        return frame

    # --- body camera: a street at eye level, walking, handheld -------------------------

    def _init_body(self) -> None:
        rng = self._rng
        w, h = self.size
        self._margin = int(0.05 * w)
        m = self._margin
        self._road_half = 3.4
        self._walk_x = self._road_half + 3.2
        cam = _Camera(
            cx=(w + 2 * m) * float(rng.uniform(0.52, 0.60)),
            cy=(h + 2 * m) * 0.47,
            f=w * 0.55,
            x=self._road_half + 1.9,
            h=1.55,
        )
        self._cam = cam
        self._light = float(rng.uniform(0.85, 1.05))
        self._znear = 0.8
        self._walk_speed = float(rng.uniform(1.2, 1.5))
        bg = np.empty((h + 2 * m, w + 2 * m, 3), np.uint8)
        self._paint_sky(bg, cam.cy)
        zfar = 200.0
        rh, fx = self._road_half, self._walk_x
        _quad(bg, cam, [(-fx * 3, 0, zfar), (fx * 3, 0, zfar), (fx * 3, 25, zfar),
                        (-fx * 3, 25, zfar)], self._haze((150, 150, 160), zfar))
        _quad(bg, cam, [(-fx, 0, 0.5), (fx, 0, 0.5), (fx, 0, zfar), (-fx, 0, zfar)],
              self._haze(_WALK, 10))
        _quad(bg, cam, [(-rh, 0, 0.5), (rh, 0, 0.5), (rh, 0, zfar), (-rh, 0, zfar)],
              self._haze(_ROAD, 10))
        for s in (-1.0, 1.0):  # facades: flat here, their details pass by in _paint_body
            col = _FACADES[int(rng.integers(len(_FACADES)))]
            lit = 1.1 if s > 0 else 0.85
            _quad(bg, cam, [(s * fx, 0, 0.5), (s * fx, 0, zfar), (s * fx, 22, zfar),
                            (s * fx, 22, 0.5)], self._haze(_shade(col, lit), 40))
        self._bg = self._vignette(bg, strength=0.45)
        self._facade_cols = [_FACADES[int(rng.integers(len(_FACADES)))] for _ in range(4)]
        movers = []
        for _ in range(int(rng.integers(2, 4))):  # people coming the other way
            movers.append(
                _Mover(
                    x=cam.x - float(rng.uniform(0.8, 1.3)),
                    z0=float(rng.uniform(0, 40)),
                    speed=-float(rng.uniform(1.0, 1.5)) - self._walk_speed,
                    span=40.0,
                    zmin=0.6,
                    color=_SHIRTS[int(rng.integers(len(_SHIRTS)))],
                    other=_SKIN[int(rng.integers(len(_SKIN)))],
                    car=False,
                    phase=float(rng.uniform(0, 6.28)),
                )
            )
        for lane, away in ((-1.6, False), (1.6, True)):
            for _ in range(2):
                v = float(rng.uniform(6, 11))
                movers.append(
                    _Mover(
                        x=lane,
                        z0=float(rng.uniform(0, 150)),
                        speed=(v if away else -v) - self._walk_speed,
                        span=150.0,
                        zmin=-4.0 if not away else 2.0,
                        color=_CARS[int(rng.integers(len(_CARS)))],
                        other=(0, 0, 0),
                        car=True,
                        phase=0.0,
                    )
                )
        self._movers = movers
        self._shake = [float(rng.uniform(0, 6.28)) for _ in range(6)]

    def _paint_body(self, t: float) -> Image:
        w, h = self.size
        m = self._margin
        p = self._shake
        step = t * self._walk_speed * 1.35 * math.pi  # about two steps per second
        bob = abs(math.sin(step)) * 0.045 * h
        sway = math.sin(step / 2 + p[0]) * 0.02 * w
        jx = (math.sin(t * 7.3 + p[1]) + math.sin(t * 11.9 + p[2])) * 0.004 * w
        jy = (math.sin(t * 8.1 + p[3]) + math.sin(t * 13.7 + p[4])) * 0.004 * h
        ox = round(min(2 * m, max(0, m + sway + jx)))
        oy = round(min(2 * m, max(0, m - 0.02 * h + bob + jy)))
        frame = self._bg[oy : oy + h, ox : ox + w].copy()
        cam = self._cam
        walked = t * self._walk_speed
        rh, fx = self._road_half, self._walk_x
        dx, dy = float(ox), float(oy)

        def periodic(period: float, zmax: float, offset: float = 0.0) -> list[float]:
            z = period - (walked + offset) % period
            out = []
            while z < zmax:
                out.append(z)
                z += period
            return out

        for z in reversed(periodic(1.6, 25.0)):  # paving joints rushing past
            _quad(frame, cam, [(rh + 0.2, 0, z), (fx, 0, z), (fx, 0, z + 0.05),
                               (rh + 0.2, 0, z + 0.05)], self._haze((120, 125, 130), z), dx, dy)
        for z in reversed(periodic(9.0, 80.0)):  # centre line dashes
            _quad(frame, cam, [(-0.07, 0, z), (0.07, 0, z), (0.07, 0, z + 3), (-0.07, 0, z + 3)],
                  self._haze((220, 220, 220), z), dx, dy)
        _quad(frame, cam, [(rh, 0, 0.6), (rh + 0.2, 0, 0.6), (rh + 0.2, 0, 200),
                           (rh, 0, 200)], (185, 185, 190), dx, dy)
        for s, period, zmax in ((-1.0, 3.0, 60.0), (1.0, 6.5, 40.0)):  # facade details
            x = s * fx
            for z in reversed(periodic(period, zmax, offset=2.0 if s > 0 else 0.0)):
                if s > 0:  # near side: shop fronts and doors
                    k = int((z + walked) / period) % len(self._facade_cols)
                    col = self._facade_cols[k]
                    _quad(frame, cam, [(x, 0, z), (x, 0, z + 0.4), (x, 4, z + 0.4), (x, 4, z)],
                          self._haze(_shade(col, 0.8), z), dx, dy)
                    _quad(frame, cam, [(x, 0.4, z + 0.8), (x, 0.4, z + 4.4), (x, 2.7, z + 4.4),
                                       (x, 2.7, z + 0.8)], self._haze((100, 85, 70), z), dx, dy)
                    _quad(frame, cam, [(x, 2.9, z + 0.6), (x, 2.9, z + 4.6),
                                       (x - 0.9, 2.6, z + 4.6), (x - 0.9, 2.6, z + 0.6)],
                          self._haze(_CARS[k % len(_CARS)], z), dx, dy)
                else:  # across the street: rows of windows
                    for floor in (4.0, 7.0, 10.0, 13.0):
                        _quad(frame, cam, [(x, floor, z), (x, floor, z + 1.2),
                                           (x, floor + 1.6, z + 1.2), (x, floor + 1.6, z)],
                              self._haze((90, 75, 60), z), dx, dy)
        for z in reversed(periodic(18.0, 90.0, offset=5.0)):  # lamp posts on the kerb
            _quad(frame, cam, [(rh + 0.45, 0, z), (rh + 0.6, 0, z), (rh + 0.6, 6, z),
                               (rh + 0.45, 0 + 6, z)], self._haze((55, 55, 55), z), dx, dy)
        items = sorted(((mv.z(t), mv) for mv in self._movers), key=lambda it: -it[0])
        for z, mv in items:
            if z < 0.7:
                continue
            if mv.car:
                self._car(frame, mv.x, z, mv.color, toward=mv.speed < -self._walk_speed,
                          dx=dx, dy=dy)
            else:
                self._walker(frame, mv, z, t, dx, dy)
        roll = (math.sin(step / 2 + p[5]) * 1.2 + math.sin(t * 5.1 + p[2]) * 0.4) * self._scale
        rot = cv2.getRotationMatrix2D((w / 2, h / 2), roll, 1.04)
        return cv2.warpAffine(frame, rot, (w, h), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_REFLECT)  # type: ignore[return-value]

    # --- shared ----------------------------------------------------------------------------

    @staticmethod
    def _vignette(img: Image, strength: float = 0.3) -> Image:
        h, w = img.shape[:2]
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        r = ((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2
        k = (1.0 - strength * np.clip(r - 0.35, 0, None) / 1.65)[:, :, None]
        return (img.astype(np.float32) * k).clip(0, 255).astype(np.uint8)

    def _osd_layout(self) -> list[tuple[str, tuple[int, int], Color, float]]:
        w, h = self.size
        pad = int(8 * self._scale)
        line = int(18 * self._scale)
        (cw, ch), base = captions.text_size("00/00/0000 00:00:00", self._font, self._thick)
        self._clock_rect = (w - cw - 2 * pad, 0, cw + 2 * pad, ch + base + 2 * pad)
        self._clock_org = (w - cw - pad, pad + ch)
        static: list[tuple[str, tuple[int, int], Color, float]] = [
            (self.name, (pad, pad + ch), (255, 255, 255), self._font),
        ]
        if self.kind == BODY and self.label:
            static.append((self.label, (pad, pad + ch + line), (120, 235, 255), self._font))
        mark = self._font * 0.9
        mw = captions.text_size(DEMO_MARK, mark, self._thick)[0][0]
        static.append((DEMO_MARK, (w - mw - pad, h - pad), (60, 220, 255), mark))
        return static

    def _paint_identity(self, frame: Image, code: int) -> None:
        """The camera's number as blocks a test reads back from a screen grab."""
        w, h = self.size
        (bx0, by0, bx1, by1), blocks = identity_code.cells(w, h)
        frame[by0:by1, bx0:bx1] = 0
        for (x0, y0, x1, y1), white in zip(blocks, identity_code.blocks(code), strict=True):
            if white:
                frame[y0:y1, x0:x1] = 255

    def _paint_osd(self, frame: Image, wall_time: float) -> None:
        x, y, cw, ch = self._clock_rect
        roi = frame[y : y + ch, x : x + cw]
        roi[:] = roi // 2  # a darker box so the clock stays readable on a bright sky
        clock = time.strftime("%d/%m/%Y %H:%M:%S", time.localtime(wall_time))
        put_text(frame, clock, self._clock_org, self._font, (255, 255, 255), self._thick)
        for text, org, col, scale in self._osd_static:
            put_text(frame, text, org, scale, col, self._thick)
        if self.code is not None:
            self._paint_identity(frame, self.code)
        if self.kind == BODY and int(wall_time * 2) % 2 == 0:  # blinking recording mark
            h = self.size[1]
            pad = int(8 * self._scale)
            r = max(3, int(5 * self._scale))
            cy = h - pad - r
            cv2.circle(frame, (pad + r, cy), r, (0, 0, 230), -1, cv2.LINE_AA)
            put_text(frame, "REC", (pad + 3 * r, cy + r), self._font * 0.9, (255, 255, 255),
                     self._thick)
