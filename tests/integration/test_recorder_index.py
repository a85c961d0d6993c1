"""The recording index on both journal backends: segments and gaps by span, indexing again
is harmless, the recorder's runs for crash recovery, and what the budget and retention
purges need (oldest unheld segments; rows, register and access log gone or written in one
transaction)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from app.core.holds import Hold, RegisterRow
from app.core.journal import JournalStore
from app.core.recording import Gap, GapReason, RecordingRun, Segment

Opener = Callable[[], JournalStore]
T0 = datetime(2026, 11, 3, 8, 0, tzinfo=UTC)


def seg(camera: str, i: int, storage: str = "/rec", size: int = 1000) -> Segment:
    start = T0 + timedelta(seconds=10 * i)
    return Segment(camera, start, start + timedelta(seconds=10), f"{storage}/{camera}/{i:06d}.mp4",
                   size, f"{i:064x}", storage)


def test_segments_and_gaps_by_span_in_time_order(open_journal: Opener) -> None:
    j = open_journal()
    j.add_segments([seg("c1", 2), seg("c1", 0), seg("c1", 1), seg("c2", 0)])
    j.add_segments([seg("c1", 1)])  # indexed again: nothing changes
    got = j.recorded_segments("c1", T0 + timedelta(seconds=5), T0 + timedelta(seconds=20))
    assert [s.path for s in got] == [seg("c1", 0).path, seg("c1", 1).path]
    assert got[0].start == T0
    assert got[0].end == T0 + timedelta(seconds=10)
    assert got[0].size == 1000
    assert got[0].sha256 == f"{0:064x}"
    assert got[0].id > 0
    # [start, end): a segment that starts exactly at `end` is not in it
    assert j.recorded_segments("c1", T0, T0 + timedelta(seconds=10))[-1].path == seg("c1", 0).path
    gap = j.add_gap(Gap("c1", T0 + timedelta(seconds=30), None, GapReason.CAMERA_UNREACHABLE,
                        "connection refused"))
    assert [g.id for g in j.open_gaps("c1")] == [gap]
    j.close_gap(gap, T0 + timedelta(seconds=45))
    assert j.open_gaps("c1") == []
    gaps = j.recording_gaps("c1", T0, T0 + timedelta(minutes=1))
    assert [(g.reason, g.end) for g in gaps] == [
        (GapReason.CAMERA_UNREACHABLE, T0 + timedelta(seconds=45))]
    assert j.recording_gaps("c1", T0 + timedelta(seconds=46), T0 + timedelta(minutes=1)) == []
    assert j.last_recorded("c1") == T0 + timedelta(seconds=30)
    assert j.storage_used("/rec") == 4000


def test_partial_segment_and_runs_survive_a_reopen(open_journal: Opener) -> None:
    j = open_journal()
    run = j.start_run(RecordingRun("c1", "/rec/c1/run1", "/rec", T0))
    j.set_run_anchor(run, T0 + timedelta(seconds=1))
    done = j.start_run(RecordingRun("c2", "/rec/c2/run1", "/rec", T0))
    j.end_run(done, T0 + timedelta(minutes=5))
    j.add_segments([replace(seg("c1", 0), partial=True)])
    again = open_journal()
    (left,) = again.unfinished_runs()
    assert (left.id, left.camera, left.folder, left.anchor) == (
        run, "c1", "/rec/c1/run1", T0 + timedelta(seconds=1))
    assert again.unfinished_runs("c2") == []
    (s,) = again.recorded_segments("c1", T0, T0 + timedelta(hours=1))
    assert s.partial


def test_oldest_unheld_segments_then_forgotten_with_register_and_access_log(
        open_journal: Opener) -> None:
    j = open_journal()
    j.add_segments([seg("c1", i) for i in range(6)] + [seg("c2", i) for i in range(6)]
                   + [seg("c3", 0, storage="/other")])
    # a hold on c1 over its segments 1 and 2 (the other cameras are not held)
    j.place_hold(Hold("RQ-1", "chief", T0, T0 + timedelta(seconds=12),
                      T0 + timedelta(seconds=25), cameras=("c1",)))
    oldest = j.deletable_segments("/rec", 4)
    assert [(s.camera, s.start) for s in oldest] == [
        ("c1", T0), ("c2", T0), ("c2", T0 + timedelta(seconds=10)),
        ("c2", T0 + timedelta(seconds=20))]
    expired = j.deletable_segments(None, 100, before=T0 + timedelta(seconds=20))
    assert {(s.camera, s.start) for s in expired} == {
        ("c1", T0), ("c2", T0), ("c2", T0 + timedelta(seconds=10)), ("c3", T0)}
    row = RegisterRow(T0 + timedelta(days=1), "disk budget of /rec", "recordings",
                      len(oldest), oldest[0].start, oldest[-1].end, "cameras c1, c2")
    assert j.forget_segments(oldest, row) == 4
    assert j.deletable_segments("/rec", 100)[0].start == T0 + timedelta(seconds=30)
    assert j.storage_used("/rec") == 8000
    (reg,) = [r for r in j.register_rows() if r.what == "recordings"]
    assert (reg.destroyed, reg.rule) == (4, "disk budget of /rec")
    logged = [a for a in j.actions() if a.target == "journal:recordings"]
    assert len(logged) == 1
    assert logged[0].cameras == ("c1", "c2")
    assert logged[0].range_start == T0


def test_an_incident_hold_keeps_every_camera_over_its_alarm(open_journal: Opener) -> None:
    from tests.unit.test_journal import alarm

    j = open_journal()
    a = replace(alarm(1), raised_at=T0 + timedelta(seconds=15))
    j.save_alarm(a)  # open: kept from when it was raised, on every camera
    j.add_segments([seg("c1", i) for i in range(4)] + [seg("c9", 3)])
    j.place_hold(Hold("RQ-2", "chief", T0, incident=a.id))
    assert [(s.camera, s.start) for s in j.deletable_segments(None, 100)] == [("c1", T0)]
