"""A storage folder's budget, recording a real RTSP camera: the operator is told the folder
is filling BEFORE anything is deleted; past the budget the oldest segments go (files, rows,
the register's row and the access log's row), never one a hold keeps; when everything is
held the camera stops recording (DISK_FULL state and gap, FFmpeg stopped) and records again
once the hold is lifted."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from app.core.events import AdapterStatus, CameraAnnounced, Event, RecordingStateChanged
from app.core.holds import Hold
from app.core.hub import Hub, only
from app.core.journal import Journal
from app.core.model import Camera, CameraKind, Streams, utc_now
from app.core.recording import GapReason, Segment
from app.core.recording_config import RecordingConfig, StorageConfig
from app.services.recorder.budget import DiskKeeper, Folder
from app.services.recorder.recorder import Recorder
from tests.integration.test_recorder_crash import dead
from tests.servers.rtsp import RtspServer
from tests.waiting import wait_until

WIDE, FAR = datetime(2000, 1, 1).astimezone(), datetime(2100, 1, 1).astimezone()
BUDGET_GB = 0.00015  # 150 kB: a few two-second segments of a 320x180 stream


def test_budget_warns_then_deletes_oldest_unheld_then_stops_when_all_is_held(
        tmp_path: Path) -> None:
    store = tmp_path / "rec"
    hub, j = Hub(), Journal(tmp_path / "j.sqlite")
    statuses: list[tuple[AdapterStatus, bool]] = []  # with: had anything been deleted yet
    states: list[str] = []

    def heard(e: Event) -> None:
        if isinstance(e, AdapterStatus):
            deleted = any(r.what == "recordings" for r in j.register_rows())
            statuses.append((e, deleted))
        elif isinstance(e, RecordingStateChanged):
            states.append(e.state)

    hub.listen(heard, only(AdapterStatus, RecordingStateChanged))
    with RtspServer(["cam1"], width=320, height=180) as cam:
        rec = Recorder(hub, j, RecordingConfig(
            cameras="*", segment_s=2, storage=[StorageConfig(path=str(store),
                                                             budget_gb=BUDGET_GB, warn_at=0.5)]),
            disk_every_s=0.3)
        rec.start()
        hub.post(CameraAnnounced(Camera("cam1", "Cam 1", CameraKind.FIXED,
                                        Streams(main=cam.url("cam1")))))
        try:
            first = wait_until(lambda: j.recorded_segments("cam1", WIDE, FAR), 60,
                               "a first segment")[0]
            wait_until(lambda: not Path(first.path).exists(), 90, "the oldest segment deleted")
            warned = [(s, d) for s, d in statuses if s.state == "retrying"]
            assert warned, statuses
            assert warned[0][1] is False  # told before the first deletion
            assert f"storage {store}" in warned[0][0].detail
            assert "full" in warned[0][0].detail
            assert first.path not in {s.path for s in j.recorded_segments("cam1", WIDE, FAR)}
            reg = [r for r in j.register_rows() if r.what == "recordings"]
            assert reg[0].rule.startswith(f"disk budget of the storage folder {store}")
            assert reg[0].range_start == first.start
            assert any(a.target == "journal:recordings" and a.cameras == ("cam1",)
                       for a in j.actions())

            # everything recorded so far is held: nothing may go, the camera stops
            hold = j.place_hold(Hold("RQ-2026-1", "chief", utc_now(), WIDE,
                                     utc_now() + timedelta(days=1)))
            held = [s.path for s in j.recorded_segments("cam1", WIDE, FAR)]
            pid = rec.supervisors["cam1"].ffmpeg_pid
            gap = wait_until(lambda: [g for g in j.open_gaps("cam1")
                                      if g.reason is GapReason.DISK_FULL], 90,
                             "a DISK_FULL gap")[0]
            assert "disk_full" in states
            assert any(s.state == "failed" for s, _ in statuses)
            wait_until(lambda: pid is not None and dead(pid), 20, "FFmpeg stopped")
            assert rec.supervisors["cam1"].ffmpeg_pid is None
            assert all(Path(p).exists() for p in held)

            j.lift_hold(hold, "chief")
            wait_until(lambda: not j.open_gaps("cam1"), 90, "recording again after the lift")
            assert states[-1] == "recording"
            wait_until(lambda: j.recorded_segments("cam1", WIDE, FAR)[-1].start > gap.start,
                       60, "a new segment")
        finally:
            rec.stop()
            j.close()


def test_a_folder_that_jumps_past_its_budget_is_still_announced_before_deleting(
        tmp_path: Path) -> None:
    """One check that finds the folder past its budget at once (a burst, a lowered budget)
    says it before the first file goes."""
    j = Journal(tmp_path / "j.sqlite")
    told: list[tuple[str, bool]] = []  # (state, the oldest file still there)
    t0 = utc_now() - timedelta(hours=1)
    segs = []
    for i in range(12):
        path = tmp_path / "rec" / f"{i:06d}.mp4"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"\0" * 1000)
        segs.append(Segment("cam1", t0 + timedelta(seconds=10 * i),
                            t0 + timedelta(seconds=10 * i + 10), str(path), 1000, "0" * 64,
                            str(tmp_path / "rec")))
    j.add_segments(segs)
    keeper = DiskKeeper(j, [Folder(str(tmp_path / "rec"), 10e-6, 0.9)], lambda _: [],
                        lambda e: told.append((getattr(e, "state", ""),
                                               Path(segs[0].path).exists())))
    keeper.check()
    assert told[0] == ("retrying", True)  # 120 % full, said while nothing was deleted
    assert not Path(segs[0].path).exists()
    assert j.storage_used(str(tmp_path / "rec")) <= 9500
    j.close()
