"""The replay wall on the X server: 4 recorded cameras seeked to an instant show pictures
whose burned-in clocks, read from the screen grab, agree with each other and with the
replay clock within one frame; again after a second of 1x play. A gap says so on screen."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from app.core.recording import Segment
from app.services.local_replay_source import LocalSource
from app.services.replay_clock import ReplayClock
from app.services.replay_transport import Key, after_key, apply
from app.services.replay_video import CameraPlayback
from tests.gui.screen import grab_screen, replay_clock_on_screen
from tests.servers.clock import ms_apart
from tests.servers.recorded import Hole, RecordedIndex, clock_ms, record
from widgets.replay import ReplayWall

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
END = T0 + timedelta(seconds=20)
CAMS = ["nord", "sud", "est", "ouest"]
FRAME_MS = 40
HOLE = Hole("ouest", T0 + timedelta(seconds=15), T0 + timedelta(seconds=18))


@pytest.fixture(scope="module")
def segments(tmp_path_factory: pytest.TempPathFactory) -> list[Segment]:
    return record(tmp_path_factory.mktemp("rec"), CAMS, T0, END, holes=[HOLE])


@pytest.fixture
def rig(qtbot: QtBot, segments: list[Segment]
        ) -> Iterator[tuple[ReplayWall, ReplayClock, list[CameraPlayback]]]:
    clock = ReplayClock(T0, END, T0 + timedelta(seconds=2))
    source = LocalSource(RecordedIndex(segments, [HOLE]))
    pbs = [CameraPlayback(source, cam, clock) for cam in CAMS]
    wall = ReplayWall()
    qtbot.addWidget(wall)
    wall.setWindowFlag(Qt.WindowType.FramelessWindowHint)
    wall.move(0, 0)
    wall.resize(1280, 720)
    wall.set_playbacks(pbs, clock=clock)
    wall.show()
    qtbot.waitExposed(wall)
    yield wall, clock, pbs
    wall.stop()
    for pb in pbs:
        pb.close()






def shows(wall: ReplayWall, t: datetime) -> bool:
    """Every tile shows its camera's picture with the largest time <= t (or is in a gap)."""
    times = wall.shown_times()
    return all(v is not None and v <= t and t - v < timedelta(milliseconds=FRAME_MS)
               for v in times.values())


def read_all(qtbot: QtBot, wall: ReplayWall, tiles: int = 4) -> list[int]:
    """The tiles' clocks from one screen grab, once the screen shows what the wall says
    (tiles in a gap show none: `tiles` is how many must show one)."""
    readings: list[int | None] = []

    def readable() -> bool:
        screen = grab_screen()
        times = list(wall.shown_times().values())
        readings[:] = [replay_clock_on_screen(screen, tile) for tile in wall.tiles()]
        agree = all((r is None and t is None) or (r is not None and t is not None
                                                  and r == clock_ms(t))
                    for r, t in zip(readings, times, strict=True))
        return agree and sum(r is not None for r in readings) >= tiles

    qtbot.waitUntil(readable, timeout=10_000)
    return [r for r in readings if r is not None]


def test_tiles_agree_with_each_other_and_the_clock_on_screen(
        qtbot: QtBot, rig: tuple[ReplayWall, ReplayClock, list[CameraPlayback]]) -> None:
    wall, clock, _pbs = rig
    t = T0 + timedelta(seconds=7, milliseconds=123)
    clock.seek(t)
    qtbot.waitUntil(lambda: shows(wall, t), timeout=10_000)
    readings = read_all(qtbot, wall)
    assert len(readings) == 4
    for r in readings:
        assert ms_apart(r, clock_ms(t)) <= FRAME_MS  # t rounded to the ms by clock_ms
        for other in readings:
            assert ms_apart(r, other) < FRAME_MS

    start = clock.position()
    clock.play()
    qtbot.waitUntil(lambda: clock.position() >= start + timedelta(seconds=1), timeout=10_000)
    clock.pause()
    t = clock.position()
    qtbot.waitUntil(lambda: shows(wall, t), timeout=10_000)
    readings = read_all(qtbot, wall)
    for r in readings:
        assert ms_apart(r, clock_ms(t)) <= FRAME_MS  # t rounded to the ms by clock_ms
        for other in readings:
            assert ms_apart(r, other) < FRAME_MS
    assert ms_apart(readings[0], clock_ms(start)) >= 1000 - FRAME_MS


def test_a_gap_shows_no_picture_and_says_why(
        qtbot: QtBot, rig: tuple[ReplayWall, ReplayClock, list[CameraPlayback]]) -> None:
    wall, clock, _pbs = rig
    clock.seek(T0 + timedelta(seconds=16))
    qtbot.waitUntil(lambda: wall.shown_times()["ouest"] is None
                    and wall.shown_times()["nord"] is not None, timeout=10_000)
    gap_tile = wall.tiles()[3]
    assert gap_tile.state_text() == "No recording: camera unreachable"
    assert gap_tile.picture_rect().isEmpty()
    screen = grab_screen()
    top = gap_tile.mapToGlobal(QPoint(0, 30))
    area = screen[top.y():top.y() + gap_tile.height() - 40, top.x():top.x() + gap_tile.width()]
    # no camera colour anywhere in the tile: only the dark background and grey text
    assert float(np.abs(area.astype(int) - area.astype(int).mean(axis=2, keepdims=True)).max()) < 30


def test_a_click_focuses_a_tile(
        qtbot: QtBot, rig: tuple[ReplayWall, ReplayClock, list[CameraPlayback]]) -> None:
    wall, _clock, pbs = rig
    with qtbot.waitSignal(wall.focus_changed) as sig:
        qtbot.mouseClick(wall.tiles()[2], Qt.MouseButton.LeftButton)
    assert sig.args == ["est"]
    assert wall.focused_playback() is pbs[2]


def test_steps_reverse_and_16x_on_screen(
        qtbot: QtBot, rig: tuple[ReplayWall, ReplayClock, list[CameraPlayback]]) -> None:
    wall, clock, _pbs = rig
    focused = wall.focused_playback()
    assert focused is not None
    start = T0 + timedelta(seconds=9, milliseconds=930)
    clock.seek(start)
    qtbot.waitUntil(lambda: shows(wall, start), timeout=10_000)
    # K+L three times across the segment boundary at 10 s, then K+J three times back
    expected_ms = []
    for key in (Key.L, Key.L, Key.L, Key.J, Key.J, Key.J):
        apply(clock, after_key(key, clock.playing, clock.rate, k_held=True), focused)
        t = clock.position()
        qtbot.waitUntil(lambda t=t: shows(wall, t), timeout=10_000)
        readings = read_all(qtbot, wall)
        assert readings[0] == clock_ms(t)  # the focused tile shows exactly the step
        assert max(ms_apart(r, readings[0]) for r in readings) < FRAME_MS
        expected_ms.append(readings[0])
    steps = [expected_ms[i + 1] - expected_ms[i] for i in range(5)]
    assert steps == [FRAME_MS, FRAME_MS, -FRAME_MS, -FRAME_MS, -FRAME_MS]

    # J twice: -2x; the clocks on screen go back in time
    apply(clock, after_key(Key.J, False, 1.0))
    apply(clock, after_key(Key.J, True, -1.0))
    assert clock.rate == -2.0
    seen: list[int] = []

    def went_back() -> bool:
        r = read_all(qtbot, wall)
        assert max(ms_apart(x, r[0]) for x in r) < FRAME_MS
        if not seen or r[0] != seen[-1]:
            seen.append(r[0])
        return len(seen) >= 6

    qtbot.waitUntil(went_back, timeout=20_000)
    clock.pause()
    assert seen == sorted(seen, reverse=True)

    # 16x forward through the hole of "ouest": the tiles that show pictures agree
    clock.seek(T0 + timedelta(seconds=1))
    qtbot.waitUntil(lambda: shows(wall, T0 + timedelta(seconds=1)), timeout=10_000)
    clock.set_rate(16)
    clock.play()
    grabs: list[list[int]] = []

    def agreeing() -> bool:
        r = read_all(qtbot, wall, tiles=3)
        grabs.append(r)
        return clock.position() >= T0 + timedelta(seconds=17) or not clock.playing

    qtbot.waitUntil(agreeing, timeout=20_000)
    clock.pause()
    assert len({g[0] for g in grabs}) >= 3  # the wall moved
    for g in grabs:
        assert max(ms_apart(x, g[0]) for x in g) < FRAME_MS


@pytest.fixture(scope="module")
def heavy(tmp_path_factory: pytest.TempPathFactory) -> list[Segment]:
    """A main-stream camera (1280x720, one keyframe per 10-s segment, as some cameras are
    set): slow to decode any instant far from its keyframe."""
    return record(tmp_path_factory.mktemp("heavy"), ["main"], T0, END, gop=250,
                  size=(1280, 720))


@pytest.fixture
def heavy_rig(qtbot: QtBot, segments: list[Segment], heavy: list[Segment]
              ) -> Iterator[tuple[ReplayWall, ReplayClock]]:
    clock = ReplayClock(T0, END, T0 + timedelta(seconds=1))
    source = LocalSource(RecordedIndex([*segments, *heavy], [HOLE]))
    pbs = [CameraPlayback(source, cam, clock) for cam in ("main", "nord", "sud", "est")]
    wall = ReplayWall()
    qtbot.addWidget(wall)
    wall.setWindowFlag(Qt.WindowType.FramelessWindowHint)
    wall.move(0, 0)
    wall.resize(1280, 720)
    wall.set_playbacks(pbs, clock=clock)
    wall.show()
    qtbot.waitExposed(wall)
    yield wall, clock
    wall.stop()
    for pb in pbs:
        pb.close()


def test_a_late_camera_holds_the_others_at_its_instant(
        qtbot: QtBot, heavy_rig: tuple[ReplayWall, ReplayClock]) -> None:
    """At 16x the main-stream camera cannot decode each instant in time (up to 250
    pictures from its keyframe): the other tiles wait for it instead of showing another
    instant beside it."""
    wall, clock = heavy_rig
    qtbot.waitUntil(lambda: shows(wall, T0 + timedelta(seconds=1)), timeout=10_000)
    clock.set_rate(16)
    clock.play()
    grabs: list[list[int]] = []

    def grab() -> bool:
        grabs.append(read_all(qtbot, wall))
        return not clock.playing or clock.position() >= T0 + timedelta(seconds=14)

    qtbot.waitUntil(grab, timeout=20_000)
    clock.pause()
    assert len({g[0] for g in grabs}) >= 2  # the wall moved
    for g in grabs:
        assert max(ms_apart(x, g[0]) for x in g) < FRAME_MS


def test_after_a_seek_the_wall_changes_at_once(
        qtbot: QtBot, heavy_rig: tuple[ReplayWall, ReplayClock]) -> None:
    """The small cameras have their new picture long before the main-stream one (which
    decodes ~150 pictures from its keyframe): no screen shows half old, half new."""
    wall, clock = heavy_rig
    old = T0 + timedelta(seconds=1)
    qtbot.waitUntil(lambda: shows(wall, old), timeout=10_000)
    new = T0 + timedelta(seconds=6, milliseconds=30)
    clock.seek(new)
    grabs: list[list[int]] = []

    def grab() -> bool:
        grabs.append(read_all(qtbot, wall))
        return ms_apart(grabs[-1][0], clock_ms(new)) < FRAME_MS

    qtbot.waitUntil(grab, timeout=10_000)
    for g in grabs:
        assert max(ms_apart(x, g[0]) for x in g) < FRAME_MS  # all old or all new
    assert len(grabs) >= 2  # the old instant was still on screen after the seek
