"""One camera of a replay: a worker thread that shows, at every moment, the camera's
picture with the largest time <= the replay clock's position, converted and scaled to the
tile's size, so the GUI thread only blits it.

Which pictures get decoded (measured, see bench/replay.py): every one, forward or
backward, while the decoder keeps up; beyond, at 8x and 16x, when one picture's measured
decode time times the pictures per second the rate asks exceeds `DECODE_SHARE` of a core,
keyframes only (a picture a second of the recording instead of 25: the operator scanning
at 16x sees the scene move, the tiles stay on the same keyframe instants).

A gap shows no picture and says so (never an old picture as if current). A missing or
broken file is a status, not a crash.
"""

from __future__ import annotations

import bisect
import logging
import threading
from collections import OrderedDict
from datetime import datetime

import av
import numpy as np

from app.core.recording import Gap, Playable, ReplaySource
from app.services.replay_clock import ClockState, ReplayClock
from app.services.replay_video.decoder import SegmentDecoder, SegmentIndex, index_segment
from app.services.replay_video.frames import Frame, Status, StatusKind, from_us, to_us

log = logging.getLogger(__name__)

DECODE_SHARE = 0.25  # of one core, per camera, before high rates fall back to keyframes
OPEN_DECODERS = 2  # the segment being shown and its neighbour across a boundary
IDLE_WAIT_S = 0.5  # paused: woken by the clock's listener anyway
MAX_WAIT_S = 0.02  # playing: look again at least this often


class CameraPlayback:
    def __init__(self, source: ReplaySource, camera: str, clock: ReplayClock,
                 size: tuple[int, int] = (320, 180)) -> None:
        self.source, self.camera, self.clock = source, camera, clock
        self._size = size
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._latest: Frame | None = None
        self._status = Status(StatusKind.LOADING)
        self._stop = False
        self._dirty = True
        self._seq = 0
        self._playables: list[Playable] = []
        self._starts: list[int] = []
        self._gaps: list[Gap] = []
        self._indexes: dict[str, SegmentIndex | Exception] = {}
        self._decoders: OrderedDict[str, SegmentDecoder] = OrderedDict()
        self._loaded = threading.Event()
        clock.add_listener(self._on_clock)
        self._thread = threading.Thread(target=self._run, name=f"replay-{camera}", daemon=True)
        self._thread.start()

    # --- for the GUI thread (no I/O, no decoding) --------------------------------------
    def latest(self) -> Frame | None:
        with self._lock:
            return self._latest

    @property
    def status(self) -> Status:
        with self._lock:
            return self._status

    @property
    def seq(self) -> int:
        with self._lock:
            return self._seq

    def set_size(self, width: int, height: int) -> None:
        """The tile's picture area; the next picture comes at that size (aspect kept)."""
        with self._lock:
            if (width, height) != self._size:
                self._size = (max(2, width), max(2, height))
                self._dirty = True
                self._wake.notify()

    def frame_time_after(self, t: datetime) -> datetime | None:
        """This camera's first picture strictly after `t` (None: none recorded)."""
        return self._neighbour(to_us(t), forward=True)

    def frame_time_before(self, t: datetime) -> datetime | None:
        """This camera's last picture strictly before `t`."""
        return self._neighbour(to_us(t), forward=False)

    def close(self) -> None:
        self.clock.remove_listener(self._on_clock)
        with self._lock:
            self._stop = True
            self._wake.notify()
        self._thread.join(timeout=5)

    # --- worker ------------------------------------------------------------------------
    def _on_clock(self, _state: ClockState) -> None:
        with self._lock:
            self._dirty = True
            self._wake.notify()

    def _run(self) -> None:
        try:
            self._load()
            while not self._stopping():
                wait = self._show(self.clock.state())
                with self._lock:
                    if not self._stop and not self._dirty:
                        self._wake.wait(wait)
                    self._dirty = False
        except Exception as exc:  # a worker says why it stopped, it does not die silently
            log.exception("replay of %s stopped", self.camera)
            self._publish(None, Status(StatusKind.ERROR, detail=str(exc)))
        finally:
            for decoder in self._decoders.values():
                decoder.close()

    def _stopping(self) -> bool:
        with self._lock:
            return self._stop

    def _load(self) -> None:
        playables = self.source.playables(self.camera, self.clock.start, self.clock.end)
        self._gaps = self.source.gaps(self.camera, self.clock.start, self.clock.end)
        self._playables = playables
        self._starts = [to_us(p.start) for p in playables]
        self._loaded.set()

    def _show(self, state: ClockState) -> float:
        """Present the picture for `state`; how long to wait before looking again."""
        t = to_us(state.position)
        playable = self._covering(t)
        if playable is None:
            self._publish(None, self._gap_status(t))
            return IDLE_WAIT_S
        try:
            index = self._index(playable)
            decoder = self._decoder(playable, index)
            decoded = decoder.frame_at(t, self._keyframes_only(decoder, state))
        except (FileNotFoundError, av.error.FileNotFoundError) as exc:
            self._publish(None, Status(StatusKind.FILE_MISSING, detail=playable.uri))
            log.warning("replay of %s: %s", self.camera, exc)
            return IDLE_WAIT_S
        except av.error.FFmpegError as exc:
            self._publish(None, Status(StatusKind.ERROR, detail=f"{playable.uri}: {exc}"))
            return IDLE_WAIT_S
        if decoded is None:
            self._publish(None, self._gap_status(t))
            return MAX_WAIT_S
        shown = self.latest()
        with self._lock:
            size = self._size
        if shown is None or to_us(shown.time) != decoded.time or shown.image.shape[1::-1] != _fit(
                decoded.frame.width, decoded.frame.height, size):
            w, h = _fit(decoded.frame.width, decoded.frame.height, size)
            image = np.ascontiguousarray(decoded.frame.reformat(w, h, format="rgb24").to_ndarray())
            self._publish(Frame(from_us(decoded.time), image, 0, decoded.is_key),
                          Status(StatusKind.PLAYING))
        if not state.playing:
            return IDLE_WAIT_S
        nxt = (index.after(t) if state.rate > 0 else decoded.time) or t
        due_s = abs(nxt - t) / 1_000_000 / abs(state.rate)
        return min(max(due_s, 0.001), MAX_WAIT_S)

    def _keyframes_only(self, decoder: SegmentDecoder, state: ClockState) -> bool:
        if not state.playing or abs(state.rate) < 8:
            return False
        per_s = abs(state.rate) * _fps(decoder.index)
        return decoder.decode_s * per_s > DECODE_SHARE

    def _publish(self, frame: Frame | None, status: Status) -> None:
        with self._lock:
            if frame is None and self._latest is None and status == self._status:
                return
            if frame is not None:
                self._seq += 1
                frame = Frame(frame.time, frame.image, self._seq, frame.is_key)
            elif self._latest is not None:
                self._seq += 1
            self._latest, self._status = frame, status

    def _covering(self, t: int) -> Playable | None:
        i = bisect.bisect_right(self._starts, t) - 1
        if i < 0:
            return None
        p = self._playables[i]
        return p if t < to_us(p.end) else None

    def _gap_status(self, t: int) -> Status:
        if not self._playables:
            return Status(StatusKind.NO_RECORDING)
        for gap in self._gaps:
            if to_us(gap.start) <= t and (gap.end is None or t < to_us(gap.end)):
                return Status(StatusKind.GAP, gap.reason, gap.detail)
        return Status(StatusKind.GAP)

    def _index(self, playable: Playable) -> SegmentIndex:
        found = self._indexes.get(playable.uri)
        if found is None:
            try:
                found = index_segment(playable)
            except (OSError, av.error.FFmpegError) as exc:
                found = exc
            self._indexes[playable.uri] = found
        if isinstance(found, Exception):
            raise found
        return found

    def _decoder(self, playable: Playable, index: SegmentIndex) -> SegmentDecoder:
        decoder = self._decoders.get(playable.uri)
        if decoder is None:
            decoder = SegmentDecoder(playable, index)
            self._decoders[playable.uri] = decoder
            while len(self._decoders) > OPEN_DECODERS:
                self._decoders.popitem(last=False)[1].close()
        self._decoders.move_to_end(playable.uri)
        return decoder

    def _neighbour(self, t: int, forward: bool) -> datetime | None:
        """From the segments' indexes (built here when the worker has not yet: a demux of
        one or two small files, never a decode)."""
        self._loaded.wait(5)
        order = self._playables if forward else list(reversed(self._playables))
        for p in order:
            if (forward and to_us(p.end) <= t) or (not forward and to_us(p.start) >= t):
                continue
            try:
                index = self._index(p)
            except (OSError, av.error.FFmpegError):
                continue
            found = index.after(t) if forward else index.before(t)
            if found is not None:
                return from_us(found)
        return None


def _fit(width: int, height: int, size: tuple[int, int]) -> tuple[int, int]:
    """The largest picture of the frame's aspect inside `size` (even sizes for swscale)."""
    bw, bh = size
    if bw * height > bh * width:
        w, h = round(bh * width / height), bh
    else:
        w, h = bw, round(bw * height / width)
    return max(2, w - w % 2), max(2, h - h % 2)


def _fps(index: SegmentIndex) -> float:
    if len(index.times) < 2:
        return 25.0
    return (len(index.times) - 1) * 1_000_000 / max(1, index.times[-1] - index.times[0])
