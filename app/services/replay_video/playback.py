"""One camera of a replay: a worker thread that shows, at every moment, the camera's
picture with the largest time <= the replay clock's position, converted and scaled to the
tile's size, so the GUI thread only blits it.

Which pictures at which speed: see `pace`.

Each next picture is decoded and scaled before it is due and published when the clock
reaches it, so that tiles change together instead of each a decode late.

A gap shows no picture and says so (never an old picture as if current). A missing or
broken file is a status, not a crash.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import threading
import time
from collections import OrderedDict, deque
from datetime import datetime

import av
import numpy as np

from app.core.recording import Gap, Playable, ReplaySource
from app.services.replay_clock import ClockState, ReplayClock
from app.services.replay_video import pace
from app.services.replay_video.decoder import (
    Decoded,
    SegmentDecoder,
    SegmentIndex,
    index_segment,
)
from app.services.replay_video.frames import Frame, Status, StatusKind, from_us, to_us

log = logging.getLogger(__name__)

OPEN_DECODERS = 2  # the segment being shown and its neighbour across a boundary
IDLE_WAIT_S = 0.5  # paused: woken by the clock's listener anyway
MAX_WAIT_S = 0.02  # playing: look again at least this often
REFRESH_S = 2.0  # past the known recordings, ask the source again this often at most
HISTORY = 16  # pictures kept for the wall to fall back on (a late worker holds the others:
# 16 grid lines are 32 s of recording at 16x; 16 pictures of a 640x360 tile, 11 MB)


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
        self._loaded_at = 0.0  # monotonic
        # the next picture, scaled before it is due, and the tile size it was made for
        self._prepared: tuple[Frame, tuple[int, int]] | None = None
        # that picture for readers: (frame, due µs, forward, clock generation)
        self._upcoming: tuple[Frame, int, bool, int] | None = None
        # paused: the pictures one step forward (True) and back (False), made ready
        self._steps: dict[bool, tuple[Frame, tuple[int, int]]] = {}
        self._back: SegmentDecoder | None = None  # the step back's own decoder
        self._went_forward = True  # the last change of picture (to prepare that way first)
        self._history: deque[tuple[int, Frame]] = deque(maxlen=HISTORY)
        self._generation = 0  # of the clock reading the worker last acted on
        self._shown_for = size  # the tile size the shown picture was made for
        clock.add_listener(self._on_clock)
        self._thread = threading.Thread(target=self._run, name=f"replay-{camera}", daemon=True)
        self._thread.start()

    # --- for the GUI thread (no I/O, no decoding) --------------------------------------
    def latest(self, state: ClockState | None = None) -> Frame | None:
        """The picture to show now. Given the clock's `state` (one reading for the whole
        wall), the picture prepared ahead counts as soon as that reading reaches it: every
        tile is then decided against the same instant, not against when each worker woke."""
        with self._lock:
            up = self._upcoming
            if state is not None and up is not None and up[3] == state.generation:
                at = to_us(state.position)
                if (at >= up[1]) if up[2] else (at < up[1]):
                    return up[0]
            return self._latest

    def recent(self, generation: int) -> list[Frame]:
        """The last pictures shown in this run of the clock (`generation`), oldest first:
        the wall falls back on one of them to keep every tile at the same instant while
        one camera's worker is late."""
        with self._lock:
            return [f for g, f in self._history if g == generation]

    @property
    def state(self) -> Status:
        """What the tile says besides the picture (playing, gap and why, no recording,
        file missing, error); `words()` in plain English for the log."""
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
        found = self._neighbour_us(to_us(t), forward=True)
        return None if found is None else from_us(found)

    def frame_time_before(self, t: datetime) -> datetime | None:
        """This camera's last picture strictly before `t`."""
        found = self._neighbour_us(to_us(t), forward=False)
        return None if found is None else from_us(found)

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
            if self._back is not None:
                self._back.close()

    def _stopping(self) -> bool:
        with self._lock:
            return self._stop

    def _load(self) -> None:
        playables = self.source.playables(self.camera, self.clock.start, self.clock.end)
        self._gaps = self.source.gaps(self.camera, self.clock.start, self.clock.end)
        self._starts = [to_us(p.start) for p in playables]
        self._playables = playables  # one assignment: the GUI thread reads it
        self._loaded_at = time.monotonic()
        self._loaded.set()

    def _maybe_more(self, t: int) -> bool:
        """Past the last known recording (an incident of the last minutes: the recorder
        indexes each segment when it completes), ask the source again, every
        `REFRESH_S` at most. True when it now has something at `t`."""
        known_end = to_us(self._playables[-1].end) if self._playables else None
        if (known_end is not None and t <= known_end) or (
                time.monotonic() - self._loaded_at < REFRESH_S):
            return False
        self._load()
        return self._covering(t) is not None

    def _show(self, state: ClockState) -> float:
        """Present the picture for `state`, prepare the next one; how long to wait."""
        new_run = state.generation != self._generation
        self._generation = state.generation
        t = pace.target(state)
        playable = self._covering(t)
        if playable is None and self._maybe_more(t):
            playable = self._covering(t)
        # with no picture to show, look again soon while playing: the clock leaves the
        # gap (or reaches the next file) while we wait
        idle = MAX_WAIT_S if state.playing else IDLE_WAIT_S
        if playable is None:
            self._publish(None, self._gap_status(t))
            return idle
        try:
            want = self._index(playable).at_or_before(t)
            if want is None:
                self._publish(None, self._gap_status(t))
                return MAX_WAIT_S
            shown = self.latest()
            if shown is not None and to_us(shown.time) != want:
                self._went_forward = want > to_us(shown.time)
            if new_run and shown is not None and to_us(shown.time) == want:
                # still the picture of this run (play from a pause): say so
                self._publish(shown, Status(StatusKind.PLAYING))
            if shown is None or to_us(shown.time) != want or self._shown_for != self._want():
                picture, self._shown_for = self._ready(want) or self._picture(
                    self._decode(playable, t))
                self._publish(picture, Status(StatusKind.PLAYING))
        except (FileNotFoundError, av.error.FileNotFoundError) as exc:
            if self.state.kind is not StatusKind.FILE_MISSING:
                log.warning("replay of %s: %s", self.camera, exc)
            self._publish(None, Status(StatusKind.FILE_MISSING, detail=playable.uri))
            return idle
        except av.error.FFmpegError as exc:
            self._publish(None, Status(StatusKind.ERROR, detail=f"{playable.uri}: {exc}"))
            return idle
        if not state.playing:
            self._index_neighbours(playable)
            self._prepare_steps(want)
            return IDLE_WAIT_S
        return self._prepare_next(state, t, want, playable)

    def _index_neighbours(self, playable: Playable) -> None:
        """Paused: index the segments either side, so that a frame step asked on the GUI
        thread (`frame_time_after` / `_before`) finds their pictures' times in memory."""
        i = self._playables.index(playable)
        for p in self._playables[max(0, i - 1):i + 2]:
            with contextlib.suppress(OSError, av.error.FFmpegError):  # said when shown
                self._index(p)

    def _prepare_steps(self, shown: int) -> None:
        """Paused: the pictures one step either side, decoded and scaled now, so a frame
        step shows at once even across a keyframe (a step back there needs the whole
        previous GOP: decoded by a second decoder, the first keeps this GOP)."""
        for forward in (self._went_forward, not self._went_forward):  # the likelier first
            with self._lock:
                if self._dirty:  # the clock moved again: serve that first
                    return
            t = self._neighbour_us(shown, forward)
            p = None if t is None else self._covering(t)
            if t is None or p is None or self._ready(t) is not None:
                continue
            with contextlib.suppress(OSError, av.error.FFmpegError):  # said when shown
                decoder = self._decoder(p) if forward else self._back_decoder(p)
                decoded = decoder.frame_at(t)
                if decoded is not None:
                    frame, made_for = self._picture(decoded)
                    self._steps[forward] = (self._numbered(frame), made_for)

    def _back_decoder(self, playable: Playable) -> SegmentDecoder:
        if self._back is None or self._back.playable.uri != playable.uri:
            if self._back is not None:
                self._back.close()
            self._back = SegmentDecoder(playable, self._index(playable))
        return self._back

    def _decode(self, playable: Playable, t: int) -> Decoded:
        decoded = self._decoder(playable).frame_at(t)
        if decoded is None:  # the index said there is one: the file changed under us
            raise av.error.InvalidDataError(0, "no picture where the index has one")
        return decoded

    def _ready(self, want: int) -> tuple[Frame, tuple[int, int]] | None:
        """A picture prepared ahead, when it is the one wanted, at the tile's size."""
        for ready in (self._prepared, *self._steps.values()):
            if ready is not None and to_us(ready[0].time) == want and ready[1] == self._want():
                return ready
        return None

    def _prepare_next(self, state: ClockState, t: int, shown: int, playable: Playable) -> float:
        """Decode and scale the next picture before it is due (so it is published on
        time, not a decode later), then say how long until it is due."""
        forward = state.rate > 0
        quantum = pace.quantum(state)
        nxt: int | None
        if quantum:  # the clock crosses the next line of the grid (from where it is
            # now: decoding this line may have taken longer than a line)
            now_state = self.clock.state()
            if now_state.generation == state.generation:
                line = pace.target(now_state)
                t = max(t, line) if forward else min(t, line)
            nxt = change_at = t + quantum if forward else t - quantum
        else:  # the clock reaches the next picture, or (backwards) leaves this one
            nxt = self._neighbour_us(t if forward else shown, forward)
            change_at = (nxt if nxt is not None else to_us(playable.end)) if forward else shown
        if nxt is not None and (p := self._covering(nxt)) is not None:
            try:
                ahead = self._index(p).at_or_before(nxt)
                if ahead is not None and ahead != shown and self._ready(ahead) is None:
                    frame, made_for = self._picture(self._decode(p, nxt))
                    self._prepared = (self._numbered(frame), made_for)
                if ahead is not None and ahead != shown and self._prepared is not None:
                    due = change_at if forward or not quantum else change_at + 1
                    with self._lock:
                        self._upcoming = (self._prepared[0], due, forward, state.generation)
            except (OSError, av.error.FFmpegError):
                pass  # said when it is due, by _show
        now = to_us(self.clock.position())
        due_s = (change_at - now) / 1_000_000 / state.rate
        return min(max(due_s, 0.0005), MAX_WAIT_S)

    def _picture(self, decoded: Decoded) -> tuple[Frame, tuple[int, int]]:
        """The picture scaled to the tile, and the tile size it was made for."""
        want = self._want()
        w, h = _fit(decoded.frame.width, decoded.frame.height, want)
        # fast bilinear: 0.7 ms for 640x360 where swscale's default (bicubic) took 3.6 ms
        rgb = decoded.frame.reformat(w, h, format="rgb24",
                                     interpolation="FAST_BILINEAR").to_ndarray()
        frame = Frame(from_us(decoded.time), np.ascontiguousarray(rgb), 0, decoded.is_key)
        return frame, want

    def _want(self) -> tuple[int, int]:
        with self._lock:
            return self._size

    def _numbered(self, frame: Frame) -> Frame:
        """`frame` with a number of its own (a reader tells pictures apart by it)."""
        with self._lock:
            self._seq += 1
            return Frame(frame.time, frame.image, self._seq, frame.is_key, self._generation)

    def _publish(self, frame: Frame | None, status: Status) -> None:
        with self._lock:
            if frame is None and self._latest is None and status == self._status:
                return
            self._seq += 1
            if frame is not None:  # numbered once (a reader tells pictures apart by it)
                frame = Frame(frame.time, frame.image, frame.seq or self._seq, frame.is_key,
                              self._generation)
                self._history.append((self._generation, frame))
            self._latest, self._status = frame, status

    def _covering(self, t: int) -> Playable | None:
        i = bisect.bisect_right(self._starts, t) - 1
        if i < 0:
            return None
        p = self._playables[i]
        # the end of the last picture belongs to it (the clock stops there at the end)
        return p if t <= to_us(p.end) else None

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

    def _decoder(self, playable: Playable) -> SegmentDecoder:
        decoder = self._decoders.get(playable.uri)
        if decoder is None:
            decoder = SegmentDecoder(playable, self._index(playable))
            self._decoders[playable.uri] = decoder
            while len(self._decoders) > OPEN_DECODERS:
                self._decoders.popitem(last=False)[1].close()
        self._decoders.move_to_end(playable.uri)
        return decoder

    def _neighbour_us(self, t: int, forward: bool) -> int | None:
        """From the segments' indexes (the worker builds those around the shown picture;
        one it has not is built here: a demux of a small file, never a decode)."""
        if not self._loaded.is_set():  # the source is still answering: no waiting here
            return None
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
                return found
        return None


def _fit(width: int, height: int, size: tuple[int, int]) -> tuple[int, int]:
    """The largest picture of the frame's aspect inside `size` (even sizes for swscale)."""
    bw, bh = size
    if bw * height > bh * width:
        w, h = round(bh * width / height), bh
    else:
        w, h = bw, round(bw * height / width)
    return max(2, w - w % 2), max(2, h - h % 2)
