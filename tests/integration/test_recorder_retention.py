"""Recordings under retention, on both journal backends, with the clock moved on: the hourly
run "40 days later" destroys the fixed cameras' segments older than `fixed_video_days`
(files and rows, the register citing CSI L252-5, the access log naming the cameras), keeps
what a hold keeps until it is lifted, and leaves recent segments alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.holds import Hold
from app.core.journal import JournalStore
from app.core.recording import Gap, GapReason, Segment
from app.core.retention import Kind, RetentionConfig
from app.services.recorder.segments import sha256_of
from app.services.retention_runner import RetentionRunner

Opener = Callable[[], JournalStore]
DAY0 = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)
LATER = DAY0 + timedelta(days=40)
WIDE, FAR = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)


def recorded(store: Path, camera: str, start: datetime) -> Segment:
    path = store / camera / f"{start:%Y%m%dT%H%M%S}.mp4"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * 1000)
    return Segment(camera, start, start + timedelta(seconds=10), str(path), 1000,
                   sha256_of(path), str(store))


def test_old_recordings_destroyed_held_ones_kept_until_lifted(open_journal: Opener,
                                                               tmp_path: Path) -> None:
    j = open_journal()
    old = [recorded(tmp_path, cam, DAY0 + timedelta(seconds=10 * i))
           for cam in ("c1", "c2") for i in range(3)]
    recent = recorded(tmp_path, "c1", LATER - timedelta(days=2))
    j.add_segments([*old, recent])
    j.add_gap(Gap("c1", DAY0 - timedelta(hours=1), DAY0, GapReason.CAMERA_UNREACHABLE))
    hold = j.place_hold(Hold("RQ-7", "chief", DAY0, DAY0, DAY0 + timedelta(seconds=15),
                             cameras=("c2",)))
    runner = RetentionRunner(j, RetentionConfig(fixed_video_days=30), clock=lambda: LATER)

    assert runner.run_once()[Kind.RECORDINGS] == 4
    kept = {s.path for s in j.recorded_segments("c1", WIDE, FAR)} | {
        s.path for s in j.recorded_segments("c2", WIDE, FAR)}
    held = {old[3].path, old[4].path}  # c2 over [DAY0, DAY0 + 15 s)
    assert kept == {recent.path, *held}
    assert {p for p in map(Path, (s.path for s in old)) if p.exists()} == set(map(Path, held))
    assert Path(recent.path).exists()
    assert j.recording_gaps("c1", WIDE, FAR) == []  # its recordings gone, its gaps too
    (reg,) = [r for r in j.register_rows() if r.what == "recordings"]
    assert reg.rule.startswith("CSI L252-5")
    assert "fixed_video_days = 30" in reg.rule
    assert (reg.destroyed, reg.range_start) == (4, DAY0)
    logged = [a for a in j.actions() if a.target == "journal:recordings"]
    assert logged[0].cameras == ("c1", "c2")

    j.lift_hold(hold, "chief", time=LATER)
    assert runner.run_once()[Kind.RECORDINGS] == 2
    assert not any(Path(p).exists() for p in held)
    assert [s.path for s in j.recorded_segments("c2", WIDE, FAR)] == []
    assert runner.run_once()[Kind.RECORDINGS] == 0  # nothing twice, no empty register row
    assert len([r for r in j.register_rows() if r.what == "recordings"]) == 2
