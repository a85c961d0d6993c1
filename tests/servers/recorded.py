"""Recordings made as the recorder makes them, without a camera: short fragmented MP4
segments (``movflags=frag_keyframe+empty_moov+default_base_moof``), H.264 from libx264
through PyAV, pts restarting at 0 in each segment, one keyframe a second, 25 fps, 10-s
segments by default, for N cameras over a range with optional holes.

Every picture carries what a test needs to check what replay shows:
- the burned-in clock strip of `tests.servers.clock` (32 cells across the top, 24 bits of
  the picture's UTC milliseconds modulo 2**24 then a check): `decode_clock` reads back the
  exact instant the picture stands for, from a decoded frame or from the screen;
- a distinct per-camera colour (`CAMERA_COLOURS`), so a tile showing the wrong camera is
  seen.
x264 blurs small cells: the pictures are small (320x180: cells of 10 px, strip of 12 rows)
and coded at a low constant quantiser so that every cell stays black or white.

`RecordedIndex` answers the journal's two questions over what was written (the real
journal is the recorder's), so replay runs on these files exactly as on recorded ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from app.core.recording import Gap, GapReason, Segment
from tests.servers.clock import CELLS, MODULO

WIDTH, HEIGHT = 320, 180
FPS = 25
CAMERA_COLOURS: tuple[tuple[int, int, int], ...] = (
    (200, 40, 40), (40, 160, 40), (40, 60, 200), (200, 160, 30), (150, 40, 170),
    (30, 160, 170), (230, 110, 30), (110, 110, 110), (180, 80, 120), (90, 150, 60),
    (60, 90, 140), (170, 120, 80), (120, 60, 60), (60, 120, 120), (140, 140, 40),
    (80, 40, 120),
)


@dataclass(frozen=True, slots=True)
class Hole:
    """No recording of `camera` over [start, end) (the camera was unreachable)."""

    camera: str
    start: datetime
    end: datetime
    reason: GapReason = GapReason.CAMERA_UNREACHABLE


def clock_bits(ms: int) -> list[int]:
    """The strip's 32 cells for `ms`, as `tests/servers/rtsp_server.py` burns them (that
    module needs Debian's GStreamer bindings, which the venv cannot import)."""
    value = ms & 0xFFFFFF
    check = (value ^ (value >> 8) ^ (value >> 16) ^ 0x5A) & 0xFF
    word = (value << 8) | check
    return [(word >> (CELLS - 1 - i)) & 1 for i in range(CELLS)]


def clock_ms(t: datetime) -> int:
    """What the strip of a picture at `t` says (and `decode_clock` reads back)."""
    return round(t.timestamp() * 1000) % MODULO


def picture(t: datetime, colour: tuple[int, int, int], n: int,
            width: int = WIDTH, height: int = HEIGHT) -> np.ndarray:
    """An RGB picture: the camera's colour, a moving white square, the clock strip."""
    img = np.empty((height, width, 3), np.uint8)
    img[:] = colour
    strip_h = max(2, height // 15)
    cell = width // CELLS
    for i, bit in enumerate(clock_bits(clock_ms(t))):
        img[:strip_h, i * cell:(i + 1) * cell] = 255 if bit else 0
    img[:strip_h, CELLS * cell:] = 0
    size = height // 6
    x0 = (n * 4) % (width - size)
    y0 = strip_h + 8 + (n * 2) % (height - size - strip_h - 16)
    img[y0:y0 + size, x0:x0 + size] = 255
    return img


def write_segment(path: Path, camera: str, colour: tuple[int, int, int],
                  times: Sequence[datetime], first_n: int = 0, gop: int = FPS,
                  size: tuple[int, int] = (WIDTH, HEIGHT)) -> Segment:
    """One fragmented MP4 of `times` (pts from 0 at the first picture)."""
    start = times[0]
    width, height = size
    with av.open(str(path), "w", format="mp4",
                 options={"movflags": "frag_keyframe+empty_moov+default_base_moof"}) as out:
        stream = out.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.codec_context.gop_size = gop
        stream.codec_context.options = {"preset": "ultrafast", "tune": "zerolatency",
                                        "qp": "4", "keyint_min": str(gop),
                                        "sc_threshold": "0"}
        tb = Fraction(1, 1000)
        stream.codec_context.time_base = tb
        for i, t in enumerate(times):
            rgb = picture(t, colour, first_n + i, width, height)
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts = round((t - start).total_seconds() * 1000)
            frame.time_base = tb
            for packet in stream.encode(frame.reformat(format="yuv420p")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    data = path.read_bytes()
    return Segment(camera=camera, start=start, end=times[-1] + timedelta(seconds=1 / FPS),
                   path=str(path), size=len(data), sha256=hashlib.sha256(data).hexdigest())


def record(folder: Path, cameras: Sequence[str], start: datetime, end: datetime, *,
           holes: Iterable[Hole] = (), segment_s: float = 10.0, gop: int = FPS,
           phase_ms: int = 7, size: tuple[int, int] = (WIDTH, HEIGHT)) -> list[Segment]:
    """Segments for every camera over [start, end), in camera then time order. Camera i's
    pictures are `i * phase_ms` late on the round 40 ms (cameras are never in phase);
    a hole cuts the segment it falls in, as a camera outage does. Bigger `size`s (a
    camera's sub-stream, 640x360, or main stream) are for the bench."""
    holes = list(holes)
    segments: list[Segment] = []
    for ci, camera in enumerate(cameras):
        cam_dir = folder / camera
        cam_dir.mkdir(parents=True, exist_ok=True)
        colour = CAMERA_COLOURS[ci % len(CAMERA_COLOURS)]
        first = start + timedelta(milliseconds=ci * phase_ms)
        cam_holes = [h for h in holes if h.camera == camera]
        for n, times in _runs(first, end, cam_holes, segment_s):
            path = cam_dir / f"{len(segments) + 1:06d}.mp4"
            segments.append(write_segment(path, camera, colour, times, n, gop, size))
    return segments


def _runs(first: datetime, end: datetime, holes: list[Hole],
          segment_s: float) -> list[tuple[int, list[datetime]]]:
    """The picture times of each segment (with the first picture's number), cut every
    `segment_s` and around holes."""
    frame_dt = timedelta(seconds=1 / FPS)
    runs: list[tuple[int, list[datetime]]] = []
    run: list[datetime] = []
    t, n = first, 0
    while t < end:
        in_hole = any(h.start <= t < h.end for h in holes)
        if run and (in_hole or t - run[0] >= timedelta(seconds=segment_s)):
            runs.append((n - len(run), run))
            run = []
        if not in_hole:
            run.append(t)
        t += frame_dt
        n += 1
    if run:
        runs.append((n - len(run), run))
    return runs


@dataclass
class RecordedIndex:
    """The journal's recording index over written segments (tests' stand-in for the
    recorder's journal, same two methods)."""

    segments: list[Segment]
    holes: list[Hole] = field(default_factory=list)

    def recorded_segments(self, camera: str, start: datetime, end: datetime) -> list[Segment]:
        return sorted((s for s in self.segments
                       if s.camera == camera and s.end > start and s.start < end),
                      key=lambda s: s.start)

    def recording_gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        return [Gap(h.camera, h.start, h.end, h.reason) for h in self.holes
                if h.camera == camera and h.end > start and h.start < end]


def synthetic_segments(folder: Path, seconds: int = 8, segment_s: int = 4) -> list[Path]:
    """Fragmented-MP4 segments of FFmpeg's test picture (160x90, 25 fps, a keyframe a
    second, no B-frames), for tests that serve or list files rather than read clocks."""
    import subprocess

    import imageio_ffmpeg

    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error",
                    "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=25", "-t", str(seconds),
                    "-c:v", "libx264", "-bf", "0", "-g", "25", "-f", "segment",
                    "-segment_time", str(segment_s), "-segment_format", "mp4",
                    "-segment_format_options", "movflags=+frag_keyframe+empty_moov",
                    "-reset_timestamps", "1", str(folder / "%03d.mp4")], check=True,
                   timeout=60)
    return sorted(folder.glob("*.mp4"))
