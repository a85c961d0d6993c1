"""One segment file: where its pictures are (a demux-only index, cheap) and a decoder that
answers "the picture with the largest time <= t" frame-exactly.

The decoder keeps the pictures decoded since its last keyframe (the current GOP) as
decoded frames, so that stepping back or playing backwards inside a GOP costs nothing;
before the GOP's start it seeks to the previous keyframe and decodes that whole GOP (one
GOP at a time, presented backwards). Pictures are converted and scaled only when shown.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Iterator
from dataclasses import dataclass

import av
import av.container
import av.video.frame

from app.core.recording import Playable
from app.services.replay_video.frames import to_us

# decoded pictures kept for stepping back / reverse play: a GOP of 2 s at 25 fps, within
# a memory budget per camera (a 1080p picture is 3 MB: 16 of them; 640x360: all 60).
# Beyond it, playing backwards decodes again from the keyframe for the part dropped.
RING_MAX = 60
RING_BYTES = 48 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SegmentIndex:
    """Every picture's time (µs since the epoch, sorted) and which are keyframes."""

    times: tuple[int, ...]
    keys: tuple[int, ...]  # the keyframes' times, sorted

    def at_or_before(self, t: int) -> int | None:
        i = bisect.bisect_right(self.times, t)
        return self.times[i - 1] if i else None

    def after(self, t: int) -> int | None:
        i = bisect.bisect_right(self.times, t)
        return self.times[i] if i < len(self.times) else None

    def before(self, t: int) -> int | None:
        i = bisect.bisect_left(self.times, t)
        return self.times[i - 1] if i else None

    def key_at_or_before(self, t: int) -> int | None:
        i = bisect.bisect_right(self.keys, t)
        return self.keys[i - 1] if i else None


def media_to_us(playable: Playable, seconds: float) -> int:
    return to_us(playable.start) + round((seconds - playable.offset_s) * 1_000_000)


def index_segment(playable: Playable) -> SegmentIndex:
    """Read the packets' times without decoding (a few ms for a 10-s segment). Raises
    FileNotFoundError / av.error.FFmpegError as PyAV does."""
    with av.open(playable.uri, options=_open_options(playable)) as container:
        stream = container.streams.video[0]
        tb = float(stream.time_base or 0)
        times: list[int] = []
        keys: list[int] = []
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            t = media_to_us(playable, packet.pts * tb)
            times.append(t)
            if packet.is_keyframe:
                keys.append(t)
    times.sort()
    keys.sort()
    return SegmentIndex(tuple(times), tuple(keys))


def _open_options(playable: Playable) -> dict[str, str]:
    if not playable.headers:
        return {}
    return {"headers": "".join(f"{k}: {v}\r\n" for k, v in playable.headers)}


@dataclass(slots=True)
class Decoded:
    time: int  # µs since the epoch
    frame: av.video.frame.VideoFrame
    is_key: bool


class SegmentDecoder:
    def __init__(self, playable: Playable, index: SegmentIndex) -> None:
        self.playable, self.index = playable, index
        self._container: av.container.InputContainer = av.open(
            playable.uri, options=_open_options(playable))
        self._stream = self._container.streams.video[0]
        # one thread per camera already: FFmpeg's own threads only add a frame of latency
        # after every seek (0.40 ms a picture with them, 0.34 without, at 640x360)
        self._stream.codec_context.thread_count = 1
        self._tb = float(self._stream.time_base or 0)
        self._ring: list[Decoded] = []
        self._pending: Decoded | None = None  # decoded, later than the last answer
        self._frames: Iterator[av.video.frame.VideoFrame] = iter(())
        self.decode_s = 0.0  # running mean of one picture's decode time (measured)
        self.decoded = 0

    def close(self) -> None:
        self._container.close()

    def frame_at(self, t: int) -> Decoded | None:
        """The picture with the largest time <= t; None when the segment has none that
        early."""
        target = self.index.at_or_before(t)
        if target is None:
            return None
        ring = self._ring
        if ring and ring[0].time <= target <= ring[-1].time:
            i = bisect.bisect_right([d.time for d in ring], target)
            return ring[i - 1]
        key = self.index.key_at_or_before(target)
        if not ring or target < ring[0].time or (key is not None and key > ring[-1].time):
            self._seek(key if key is not None else target)
        return self._decode_until(target)

    # --- decoding --------------------------------------------------------------------
    def _seek(self, key: int) -> None:
        seconds = (key - media_to_us(self.playable, 0.0)) / 1_000_000
        self._container.seek(max(0, int(seconds / self._tb)), stream=self._stream,
                             backward=True, any_frame=False)
        self._ring = []
        self._pending = None
        self._frames = self._container.decode(self._stream)

    def _decode_until(self, target: int) -> Decoded | None:
        while True:
            nxt = self._pending or self._next()
            self._pending = None
            if nxt is None:
                return self._ring[-1] if self._ring else None
            if nxt.time > target:
                self._pending = nxt
                return self._ring[-1] if self._ring else None
            if nxt.is_key:
                self._ring = []
            self._ring.append(nxt)
            if len(self._ring) > self._ring_max(nxt):
                del self._ring[0]
            if nxt.time == target:
                return nxt

    @staticmethod
    def _ring_max(decoded: Decoded) -> int:
        picture_bytes = decoded.frame.width * decoded.frame.height * 3 // 2  # 4:2:0
        return max(2, min(RING_MAX, RING_BYTES // max(1, picture_bytes)))

    def _next(self) -> Decoded | None:
        t0 = time.perf_counter()
        try:
            frame = next(self._frames)
        except StopIteration:
            return None
        self.decoded += 1
        self.decode_s += (time.perf_counter() - t0 - self.decode_s) * 0.1
        pts = frame.pts if frame.pts is not None else 0
        return Decoded(media_to_us(self.playable, pts * self._tb), frame, frame.key_frame)
