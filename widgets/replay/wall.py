"""The replay wall: the incident's cameras in a grid of 1, 4, 9 or 16 tiles, each showing
what its camera's playback made ready for the replay clock's instant.

ONE timer (~25 Hz) reads the clock once, asks every playback for its picture at that
reading, and repaints only the tiles whose
picture or state changed: the workers decode and scale, the GUI thread only blits. The
wall keeps no time of its own: the clock decides, the playbacks follow it, so the tiles
agree by construction. A click focuses a tile (frame steps follow the focused camera).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from widgets.replay.tile import ReplayTile, ShownFrame, ShownStatus

POLL_MS = 40
CATCH_UP_MS = 5  # after a seek, until every tile has its new picture
AGREE_MS = 40  # pictures of one instant: within a frame of each other
HOLD_S = 1.0  # longest a slow camera holds the wall's other tiles after a seek
GRIDS = (1, 2, 3, 4)  # 1, 4, 9, 16 tiles


class Clock(Protocol):
    """The replay clock (app.services.replay_clock.ReplayClock)."""

    def state(self) -> Any: ...

    def add_listener(self, listener: Callable[[Any], None]) -> None: ...

    def remove_listener(self, listener: Callable[[Any], None]) -> None: ...


class Playback(Protocol):
    """A camera's replay worker (app.services.replay_video.CameraPlayback)."""

    @property
    def camera(self) -> str: ...

    @property
    def seq(self) -> int: ...

    @property
    def state(self) -> ShownStatus: ...

    def latest(self, state: Any = None) -> ShownFrame | None: ...

    def set_size(self, width: int, height: int) -> None: ...

    def recent(self, generation: int) -> Sequence[ShownFrame]: ...

    def frame_time_after(self, t: datetime) -> datetime | None: ...

    def frame_time_before(self, t: datetime) -> datetime | None: ...


def agreeing(frames: Sequence[ShownFrame | None], recent: Sequence[Sequence[ShownFrame]],
             forward: bool) -> list[ShownFrame | None]:
    """Hold every tile at the instant of the latest one while playing: when one camera's
    worker is late (a busy machine), the others show the picture of theirs that matches
    it (from their `recent` ones) instead of running ahead, so the wall never shows two
    instants at once; its lag is the late worker's. The instant is the latest (backwards:
    the earliest) that every tile has a picture of, within a frame (a late worker may
    have skipped one that the others showed). Tiles with no picture (a gap) hold nobody
    back; when no instant is common, the tiles show what they have."""
    sign = 1 if forward else -1
    have = {i: [*recent[i], f] for i, f in enumerate(frames) if f is not None}
    if len(have) < 2:
        return list(frames)
    late = min(have, key=lambda i: sign * _ms(have[i][-1]))  # the tile furthest behind
    limit = sign * _ms(have[late][-1])
    instants = sorted({_ms(f) for f in have[late] if sign * _ms(f) <= limit},
                      key=lambda ms: -sign * ms)  # from its picture back
    for c in instants:
        picks = {i: _nearest(pics, c) for i, pics in have.items()}
        if all(abs(_ms(f) - c) < AGREE_MS for f in picks.values()):
            return [picks.get(i) for i in range(len(frames))]
    return list(frames)


def _ms(frame: ShownFrame) -> float:
    return frame.time.timestamp() * 1000


def _nearest(pictures: Sequence[ShownFrame], ms: float) -> ShownFrame:
    return min(pictures, key=lambda f: abs(_ms(f) - ms))


def grid_side(count: int) -> int:
    """Columns (= rows) of the smallest of the 1/4/9/16 grids that holds `count` tiles."""
    for side in GRIDS:
        if count <= side * side:
            return side
    return math.ceil(math.sqrt(count))


class ReplayWall(QWidget):
    focus_changed = Signal(str)  # the focused camera
    _clock_changed = Signal()  # from whichever thread changed the clock

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayWall")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        self._tiles: list[ReplayTile] = []
        self._playbacks: list[Playback] = []
        self._seen: list[tuple[int, object]] = []
        self._clock: Clock | None = None
        self._generation = -1  # the clock's run the wall last saw
        self._since = 0.0  # when that run started (monotonic)
        self._focused = -1
        self._timer = QTimer(self)
        self._timer.setObjectName("replayWallPoll")
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        self._clock_changed.connect(self._catch_up)

    def set_playbacks(self, playbacks: Sequence[Playback],
                      names: Sequence[str] | None = None, clock: Clock | None = None) -> None:
        """Lay out one tile per playback (named by `names`, else by camera id). With the
        replay `clock`, each tick reads it once and every tile shows its picture for that
        one reading (the tiles change together)."""
        self._listen(clock)
        for tile in self._tiles:
            self._grid.removeWidget(tile)
            tile.deleteLater()
        self._playbacks = list(playbacks)
        side = grid_side(len(playbacks))
        self._tiles = []
        for i, pb in enumerate(playbacks):
            tile = ReplayTile(names[i] if names else pb.camera, self)
            tile.installEventFilter(self)
            tile.clicked.connect(lambda i=i: self.focus(i))
            self._grid.addWidget(tile, i // side, i % side)
            self._tiles.append(tile)
        for r in range(side):
            self._grid.setRowStretch(r, 1)
            self._grid.setColumnStretch(r, 1)
        self._seen = [(-1, None)] * len(playbacks)
        self._focused = -1
        if playbacks:
            self.focus(0)
            self._timer.start()
        else:
            self._timer.stop()

    def tiles(self) -> list[ReplayTile]:
        return list(self._tiles)

    def focus(self, index: int) -> None:
        if not 0 <= index < len(self._tiles) or index == self._focused:
            return
        self._focused = index
        for i, tile in enumerate(self._tiles):
            tile.set_focused(i == index)
        self.focus_changed.emit(self._playbacks[index].camera)

    def focused_playback(self) -> Playback | None:
        """The camera frame steps follow."""
        return self._playbacks[self._focused] if self._focused >= 0 else None

    def shown_times(self) -> dict[str, datetime | None]:
        """What each tile shows now: its picture's UTC time, None for no picture."""
        return {pb.camera: tile.shown_time()
                for pb, tile in zip(self._playbacks, self._tiles, strict=True)}

    def poll(self) -> None:
        """Repaint the tiles whose playback has something new (the one timer's tick)."""
        state = self._clock.state() if self._clock is not None else None
        frames = [pb.latest(state) for pb in self._playbacks]
        if state is not None and self._holding(state.generation, frames):
            return
        if state is not None and state.playing:
            frames = agreeing(frames, [pb.recent(state.generation) for pb in self._playbacks],
                              forward=state.rate > 0)
        for i, (pb, frame) in enumerate(zip(self._playbacks, frames, strict=True)):
            seen = (frame.seq if frame is not None else 0, pb.state)
            if seen != self._seen[i]:
                self._seen[i] = seen
                self._tiles[i].show_frame(frame, seen[1])

    def _holding(self, generation: int, frames: Sequence[ShownFrame | None]) -> bool:
        """After a seek, a step or a speed change, every tile keeps its picture until all
        have the new one (at most `HOLD_S`): the wall changes at once, never half old and
        half new."""
        now = time.monotonic()
        if generation != self._generation:
            self._generation, self._since = generation, now
        stale = any(f is not None and f.generation != generation for f in frames)
        holding = stale and now - self._since < HOLD_S
        # while the tiles catch up, the one timer looks more often: a frame step shows
        # when the last camera has it, not up to a tick later
        self._timer.setInterval(CATCH_UP_MS if holding else POLL_MS)
        return holding

    def _listen(self, clock: Clock | None) -> None:
        if self._clock is not None:
            self._clock.remove_listener(self._on_clock)
        self._clock = clock
        if clock is not None:
            clock.add_listener(self._on_clock)

    def _on_clock(self, _state: object) -> None:
        try:
            self._clock_changed.emit()  # queued to the GUI thread when called from another
        except RuntimeError:  # the wall was deleted without stop(): stop listening
            if self._clock is not None:
                self._clock.remove_listener(self._on_clock)

    def _catch_up(self) -> None:
        """A seek, a step or a speed change: look soon, not up to a tick later."""
        if self._playbacks:
            self._timer.start(CATCH_UP_MS)

    def stop(self) -> None:
        self._timer.stop()
        self._listen(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched in self._tiles:
            tile = self._tiles.index(watched)
            size = self._tiles[tile].picture_size()
            self._playbacks[tile].set_size(size.width(), size.height())
        return super().eventFilter(watched, event)
