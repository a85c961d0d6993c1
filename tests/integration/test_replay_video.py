"""Replay decoding on recorded segments (tests/servers/recorded.py): what each playback
shows is the picture with the largest time <= the clock, read back from the picture's own
burned-in clock; steps, reverse, 16x, gaps and a missing file."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.recording import GapReason, Segment
from app.services.local_replay_source import LocalSource
from app.services.replay_clock import ReplayClock
from app.services.replay_video import CameraPlayback, Frame, StatusKind
from tests.servers.clock import decode_clock
from tests.servers.recorded import Hole, RecordedIndex, clock_ms, record
from tests.waiting import wait_until

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
END = T0 + timedelta(seconds=30)
FRAME = timedelta(milliseconds=40)
HOLE = Hole("b", T0 + timedelta(seconds=14), T0 + timedelta(seconds=17))


@pytest.fixture(scope="module")
def segments(tmp_path_factory: pytest.TempPathFactory) -> list[Segment]:
    return record(tmp_path_factory.mktemp("rec"), ["a", "b"], T0, END, holes=[HOLE])


@pytest.fixture
def clock() -> ReplayClock:
    return ReplayClock(T0, END, T0 + timedelta(seconds=5))


@pytest.fixture
def playbacks(segments: list[Segment], clock: ReplayClock) -> Iterator[list[CameraPlayback]]:
    source = LocalSource(RecordedIndex(segments, [HOLE]))
    pbs = [CameraPlayback(source, cam, clock) for cam in ("a", "b")]
    yield pbs
    for pb in pbs:
        pb.close()


def expected(cam: int, t: datetime) -> datetime:
    """Camera `cam`'s picture with the largest time <= t (cameras are 7 ms apart)."""
    first = T0 + timedelta(milliseconds=7 * cam)
    return first + ((t - first) // FRAME) * FRAME


def shown(pb: CameraPlayback) -> Frame | None:
    return pb.latest()


def wait_shows(pb: CameraPlayback, t: datetime) -> Frame:
    """The playback's picture once it is the one of time `t`."""
    return wait_until(lambda: (f := shown(pb)) is not None and f.time == t and f,
                      what=f"{pb.camera} shows the picture of {t}")


def seek_and_wait(clock: ReplayClock, pb: CameraPlayback, t: datetime) -> None:
    clock.seek(t)
    wait_until(lambda: (f := shown(pb)) is not None and f.time == expected(0, t),
               what=f"the picture of {t}")


def reads_true(frame: Frame) -> bool:
    """The picture's burned-in clock says the time the playback claims for it."""
    return decode_clock(frame.image) == clock_ms(frame.time)


@pytest.mark.parametrize("offset_ms", [5000, 9999, 10000, 12345, 19987, 23, 29950])
def test_seek_is_frame_exact(playbacks: list[CameraPlayback], clock: ReplayClock,
                             offset_ms: int) -> None:
    t = T0 + timedelta(milliseconds=offset_ms)
    clock.seek(t)
    pb = playbacks[0]
    frame = wait_until(lambda: (f := shown(pb)) is not None and f.time == expected(0, t) and f,
                       what=f"a's picture for {t}")
    assert reads_true(frame)


def test_step_both_ways_across_a_segment_boundary(playbacks: list[CameraPlayback],
                                                  clock: ReplayClock) -> None:
    pb = playbacks[0]
    t = T0 + timedelta(seconds=9, milliseconds=920)
    times = [t]
    for _ in range(4):  # 9.96, then 10.00 in the next segment, ...
        nxt = pb.frame_time_after(times[-1])
        assert nxt is not None
        times.append(nxt)
    assert [x - t for x in times] == [n * FRAME for n in range(5)]
    back = [times[-1]]
    for _ in range(4):
        prev = pb.frame_time_before(back[-1])
        assert prev is not None
        back.append(prev)
    assert back == times[::-1]
    for target in back:
        clock.seek(target)
        assert reads_true(wait_shows(pb, target))


def test_reverse_play_shows_decreasing_exact_pictures(playbacks: list[CameraPlayback],
                                                      clock: ReplayClock) -> None:
    pb = playbacks[0]
    seek_and_wait(clock, pb, T0 + timedelta(seconds=11))
    clock.set_rate(-2)
    clock.play()
    seen: list[datetime] = []
    wait_until(lambda: _collect(pb, seen) and len(seen) >= 40, what="40 pictures backwards")
    clock.pause()
    assert seen == sorted(seen, reverse=True)
    assert seen[0] - seen[-1] >= 30 * FRAME  # crossed GOPs and the segment boundary at 10 s
    assert any(t < T0 + timedelta(seconds=10) for t in seen)


def _collect(pb: CameraPlayback, seen: list[datetime]) -> bool:
    f = pb.latest()
    if f is not None and (not seen or f.time != seen[-1]):
        assert reads_true(f)
        seen.append(f.time)
    return True


def test_16x_keeps_every_camera_on_the_clock(playbacks: list[CameraPlayback],
                                             clock: ReplayClock) -> None:
    """At 16x every camera shows exact pictures of the same instants (a grid 2 s of
    recording apart from where the run started)."""
    start = T0 + timedelta(seconds=1)
    seek_and_wait(clock, playbacks[0], start)
    clock.set_rate(16)
    clock.play()
    pairs: list[tuple[datetime, datetime]] = []

    def sample() -> bool:
        state = clock.state()
        a, b = (pb.latest(state) for pb in playbacks)
        if a is not None and b is not None and (not pairs or pairs[-1][0] != a.time):
            assert reads_true(a)
            assert reads_true(b)
            pairs.append((a.time, b.time))
        return state.position > T0 + timedelta(seconds=12)

    wait_until(sample, what="12 s of recording at 16x")
    clock.pause()
    pos = clock.position()
    for cam, pb in enumerate(playbacks):
        wait_shows(pb, expected(cam, pos))
    times = [a for a, _b in pairs]
    assert times == sorted(times)
    assert len(times) >= 4
    grid = timedelta(seconds=2)
    for a, b in pairs:  # each camera: the exact picture of a line of the grid
        assert (a - start) % grid == timedelta(0)
        line_b = start + ((b - start + FRAME) // grid) * grid
        assert b == expected(1, line_b)
    # (that the tiles show the SAME line at once is the wall's work: test_replay_wall.py)


def test_a_gap_shows_no_picture_and_says_why(playbacks: list[CameraPlayback],
                                             clock: ReplayClock) -> None:
    a, b = playbacks
    clock.seek(T0 + timedelta(seconds=15))
    wait_until(lambda: b.state.kind is StatusKind.GAP, what="b in its gap")
    assert b.latest() is None
    assert b.state.reason is GapReason.CAMERA_UNREACHABLE
    wait_until(lambda: a.latest() is not None and a.latest().time == expected(  # type: ignore[union-attr]
        0, T0 + timedelta(seconds=15)), what="a still shows its picture")
    clock.seek(T0 + timedelta(seconds=17, milliseconds=500))
    wait_until(lambda: b.state.kind is StatusKind.PLAYING, what="b back after the gap")


def test_missing_file_is_a_status_not_a_crash(segments: list[Segment], tmp_path: Path,
                                              clock: ReplayClock) -> None:
    moved = [s for s in segments if s.camera == "a"][1]  # a: 10..20 s
    hidden = tmp_path / "elsewhere.mp4"
    os.rename(moved.path, hidden)
    try:
        pb = CameraPlayback(LocalSource(RecordedIndex(segments)), "a", clock)
        try:
            clock.seek(T0 + timedelta(seconds=12))
            wait_until(lambda: pb.state.kind is StatusKind.FILE_MISSING, what="file missing")
            assert pb.latest() is None
            assert moved.path in pb.state.detail
            clock.seek(T0 + timedelta(seconds=22))
            wait_until(lambda: pb.state.kind is StatusKind.PLAYING, what="the next segment plays")
        finally:
            pb.close()
    finally:
        os.rename(hidden, moved.path)


def test_no_recording_at_all(segments: list[Segment], clock: ReplayClock) -> None:
    pb = CameraPlayback(LocalSource(RecordedIndex(segments)), "nobody", clock)
    try:
        wait_until(lambda: pb.state.kind is StatusKind.NO_RECORDING, what="no recording")
        assert pb.latest() is None
    finally:
        pb.close()


def test_recordings_indexed_later_appear(segments: list[Segment], clock: ReplayClock) -> None:
    """An incident of the last minutes: the segment the clock is in is indexed only when
    the recorder completes it; the playback finds it then, without being reopened."""
    index = RecordedIndex([s for s in segments if s.camera == "a"][:1])  # 0..10 s
    pb = CameraPlayback(LocalSource(index), "a", clock)
    try:
        t = T0 + timedelta(seconds=12, milliseconds=345)
        clock.seek(t)
        wait_until(lambda: pb.state.kind is StatusKind.GAP, what="nothing yet at 12 s")
        index.segments.extend(s for s in segments if s.camera == "a")
        assert reads_true(wait_shows(pb, expected(0, t)))
    finally:
        pb.close()


def test_playing_out_of_a_gap_shows_the_first_pictures_after_it(
        playbacks: list[CameraPlayback], clock: ReplayClock) -> None:
    """Playing through a hole, the camera's pictures come back as the clock leaves it
    (a worker idling half a second in the gap came back 2 s of recording late at 4x)."""
    b = playbacks[1]
    clock.seek(HOLE.end - timedelta(milliseconds=100))
    wait_until(lambda: b.state.kind is StatusKind.GAP, what="b in its gap")
    clock.set_rate(4)
    clock.play()
    first = wait_until(lambda: b.latest(), what="b's first picture after the gap")
    clock.pause()
    assert HOLE.end <= first.time < HOLE.end + timedelta(seconds=1)  # bound: 250 ms of wall
