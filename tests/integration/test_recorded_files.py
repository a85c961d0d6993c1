"""The tests' recorded segments are what replay tests trust: every picture's burned-in
clock reads back as its own time, keyframes once a second, pts from 0 in each segment,
holes cut the recording."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import av

from tests.servers.clock import decode_clock
from tests.servers.recorded import CAMERA_COLOURS, Hole, RecordedIndex, clock_ms, record

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_every_picture_carries_its_own_time_and_colour(tmp_path: Path) -> None:
    segs = record(tmp_path, ["a", "b"], T0, T0 + timedelta(seconds=12))
    assert [s.camera for s in segs] == ["a", "a", "b", "b"]
    assert segs[2].start == T0 + timedelta(milliseconds=7)
    for seg in (segs[0], segs[3]):
        with av.open(seg.path) as c:
            frames = list(c.decode(video=0))
        assert frames[0].pts == 0
        assert [i for i, f in enumerate(frames) if f.key_frame] == list(range(0, len(frames), 25))
        for f in frames:
            rgb = f.to_ndarray(format="rgb24")
            assert decode_clock(rgb) == clock_ms(seg.start + timedelta(seconds=float(f.time)))
        colour = CAMERA_COLOURS[segs.index(seg) // 2]
        assert abs(rgb[100, 300].astype(int) - colour).max() < 12


def test_a_hole_cuts_the_recording_and_is_indexed(tmp_path: Path) -> None:
    hole = Hole("a", T0 + timedelta(seconds=3), T0 + timedelta(seconds=5))
    segs = record(tmp_path, ["a"], T0, T0 + timedelta(seconds=8), holes=[hole])
    assert [(s.start - T0).total_seconds() for s in segs] == [0, 5]
    assert segs[0].end == hole.start
    index = RecordedIndex(segs, [hole])
    found = index.recorded_segments("a", T0 + timedelta(seconds=4), T0 + timedelta(seconds=6))
    assert len(found) == 1
    assert index.recording_gaps("a", T0, T0 + timedelta(seconds=8))[0].start == hole.start
