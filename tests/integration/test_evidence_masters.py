"""The evidence export's videos (issue 13), checked with tools nobody on the project wrote:
a recorded range copied into an ordinary MP4 (Debian's ffprobe reads it, libvlc plays it,
no `moof` box), whose video packets are the recorded segments' bytes in order (no
re-encoding), whose first picture's burned-in clock is the UTC it says; a hole gives two
masters; a crash-recovered segment still goes in; the working copy is black inside the
privacy polygon; a cancel kills FFmpeg and leaves nothing; a failed FFmpeg says why."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import struct
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import imageio_ffmpeg
import numpy as np
import pytest

from app.core.evidence import EvidenceCancelled, EvidenceError
from app.core.recording import Segment
from app.services.evidence.masking import write_masked_copy
from app.services.evidence.masters import MasterFile, plan_masters, write_master
from app.services.evidence.video_tags import utc_micro
from app.services.recorder.segments import media_seconds
from tests.servers.clock import decode_clock, ms_apart
from tests.servers.recorded import FPS, Hole, clock_ms, record
from tests.waiting import wait_until

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
FFPROBE = "/usr/bin/ffprobe"  # Debian's: an independent reader, not the FFmpeg that wrote
T0 = datetime(2026, 12, 1, 10, 0, 0, 250_000, tzinfo=UTC)
GOP_S = 1.0  # record() puts a keyframe every second
FRAME = timedelta(seconds=1 / FPS)
TRIANGLE = [(0.3, 0.4), (0.7, 0.45), (0.5, 0.9)]


def never(_: float) -> None:
    """A progress callback for exports whose progress is not under test."""


@pytest.fixture(scope="module")
def recording(tmp_path_factory: pytest.TempPathFactory) -> list[Segment]:
    """32 s of one camera in 4-s fragmented-MP4 segments (burned-in clock, moving square)."""
    folder = tmp_path_factory.mktemp("recording")
    return record(folder, ["cam1"], T0, T0 + timedelta(seconds=32), segment_s=4)


def packets(path: Path) -> list[tuple[float, bytes, bool]]:
    """(media seconds, bytes, keyframe) of every video packet, in file order (PyAV)."""
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        assert s.time_base is not None
        return [(float(p.pts * s.time_base), bytes(p), p.is_keyframe)
                for p in c.demux(s) if p.size and p.pts is not None]


def recorded_packets(segments: list[Segment]) -> list[tuple[datetime, bytes]]:
    """(UTC, bytes) of every recorded video packet, as the index places it."""
    return [(seg.start + timedelta(seconds=t), data)
            for seg in segments for t, data, _ in packets(Path(seg.path))]


def frame_at(path: Path, index: int) -> np.ndarray:
    """The `index`-th decoded picture (RGB) of a file."""
    with av.open(str(path)) as c:
        for i, frame in enumerate(c.decode(video=0)):
            if i == index:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"{path.name} has no picture {index}")


def top_level_boxes(path: Path) -> list[str]:
    data = path.read_bytes()
    boxes, i = [], 0
    while i + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[i:i + 8])
        if size == 1:
            size = struct.unpack(">Q", data[i + 8:i + 16])[0]
        boxes.append(kind.decode("latin-1"))
        if size == 0:
            break
        i += size
    return boxes


def ffprobe(path: Path) -> dict[str, object]:
    out = subprocess.run([FFPROBE, "-v", "error", "-print_format", "json", "-show_format",
                          "-show_streams", str(path)], capture_output=True, check=True,
                         timeout=60)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def export(segments: list[Segment], start: datetime, end: datetime,
           out: Path) -> list[MasterFile]:
    out.mkdir(exist_ok=True)
    return [write_master(plan, out, FFMPEG, never, threading.Event())
            for plan in plan_masters("cam1", segments, start, end)]


def test_the_plan_takes_the_cameras_segments_in_the_range_split_at_holes() -> None:
    def seg(camera: str, a: float, b: float) -> Segment:
        return Segment(camera, T0 + timedelta(seconds=a), T0 + timedelta(seconds=b),
                       f"/rec/{camera}/{a}.mp4", 1, "")

    segments = [seg("cam1", 10, 20), seg("cam2", 0, 10), seg("cam1", 0, 10),
                seg("cam1", 20.9, 30), seg("cam1", 31.2, 40), seg("cam1", 40, 50)]
    plans = plan_masters("cam1", segments, T0 + timedelta(seconds=5),
                         T0 + timedelta(seconds=45))
    assert [[(s.start - T0).total_seconds() for s in p.segments] for p in plans] == [
        [0, 10, 20.9], [31.2, 40]], "0.9 s apart: one run; 1.2 s apart: a gap"
    assert [(p.start - T0, p.end - T0) for p in plans] == [
        (timedelta(seconds=5), timedelta(seconds=30)),
        (timedelta(seconds=31.2), timedelta(seconds=45))]
    assert plan_masters("cam1", segments, T0 + timedelta(seconds=50),
                        T0 + timedelta(seconds=60)) == []


def test_a_range_cut_mid_segment_is_one_ordinary_mp4_that_ffprobe_reads(
        recording: list[Segment], tmp_path: Path) -> None:
    start, end = T0 + timedelta(seconds=5.5), T0 + timedelta(seconds=23.3)
    [master] = export(recording, start, end, tmp_path / "video")

    assert master.path.name == "cam1_20261201T100005Z.mp4"
    assert start - timedelta(seconds=GOP_S) < master.start <= start, "from a keyframe"
    probe = ffprobe(master.path)
    fmt = probe["format"]
    assert isinstance(fmt, dict)
    assert "mp4" in fmt["format_name"]
    duration = float(fmt["duration"])
    asked = (end - start).total_seconds()
    assert asked <= duration <= asked + GOP_S + 0.05
    assert abs(duration - (master.end - master.start).total_seconds()) < 0.01
    tags = fmt["tags"]
    assert utc_micro(master.start) in tags["title"]
    assert "cam1" in tags["title"]
    assert utc_micro(master.start) in tags["comment"]
    assert tags["creation_time"].startswith(master.start.strftime("%Y-%m-%dT%H:%M:%S"))
    [video] = probe["streams"]  # type: ignore[misc]
    assert video["codec_name"] == "h264"
    assert int(video["nb_frames"]) == master.frames

    boxes = top_level_boxes(master.path)
    assert "moof" not in boxes, f"a fragmented MP4: {boxes}"
    assert boxes.index("moov") < boxes.index("mdat"), f"not +faststart: {boxes}"
    assert list(master.path.parent.iterdir()) == [master.path], "no list or part file left"


def test_the_masters_packets_are_the_recorded_bytes_in_order(
        recording: list[Segment], tmp_path: Path) -> None:
    start, end = T0 + timedelta(seconds=5.5), T0 + timedelta(seconds=23.3)
    [master] = export(recording, start, end, tmp_path / "video")

    recorded = recorded_packets(recording)
    copied = packets(master.path)
    first = next(i for i, (t, _) in enumerate(recorded)
                 if abs((t - master.start).total_seconds()) < 0.001)
    span = recorded[first:first + len(copied)]
    assert [data for _, data in span] == [data for _, data, _ in copied], "re-encoded?"
    assert copied[0][2], "the master starts on a keyframe"
    for (t_rec, _), (t_master, _, _) in zip(span, copied, strict=True):
        assert abs((master.start + timedelta(seconds=t_master) - t_rec).total_seconds()) \
            < 0.001, "every picture at its recorded UTC"
    assert recorded[first + len(copied)][0] >= end, "ends at the last picture before the end"
    assert span[-1][0] < end


def test_the_first_and_last_pictures_burned_in_clocks_are_the_utc_the_master_says(
        recording: list[Segment], tmp_path: Path) -> None:
    [master] = export(recording, T0 + timedelta(seconds=9.3), T0 + timedelta(seconds=17.7),
                      tmp_path / "video")
    first = decode_clock(frame_at(master.path, 0))
    last = decode_clock(frame_at(master.path, master.frames - 1))
    assert first is not None
    assert last is not None
    assert ms_apart(first, clock_ms(master.start)) <= 1
    assert ms_apart(last, clock_ms(master.end - FRAME)) <= 1


def test_libvlc_plays_the_master_and_shows_its_utc_start(
        recording: list[Segment], tmp_path: Path) -> None:
    import vlc

    [master] = export(recording, T0 + timedelta(seconds=2), T0 + timedelta(seconds=14),
                      tmp_path / "video")
    instance = vlc.Instance(["--vout=dummy", "--aout=dummy", "--no-video-title-show"])
    player = instance.media_player_new()
    media = instance.media_new(str(master.path))
    player.set_media(media)
    try:
        assert player.play() == 0
        wait_until(lambda: player.get_state() == vlc.State.Playing, 20, "libvlc playing")
        t1 = wait_until(lambda: player.get_time() if player.get_time() > 0 else None, 20,
                        "a first playing time")
        wait_until(lambda: player.get_time() > t1 + 500, 20, "the playing time advancing")
        assert utc_micro(master.start) in (media.get_meta(vlc.Meta.Title) or "")
        assert utc_micro(master.start) in (media.get_meta(vlc.Meta.Description) or "")
    finally:
        player.stop()
        player.release()
        instance.release()


def test_a_hole_in_the_recording_gives_two_masters_with_their_own_starts(
        tmp_path: Path) -> None:
    hole = Hole("cam1", T0 + timedelta(seconds=6.3), T0 + timedelta(seconds=9.1))
    segments = record(tmp_path / "rec", ["cam1"], T0, T0 + timedelta(seconds=14),
                      holes=[hole], segment_s=4)
    before, after = export(segments, T0 + timedelta(seconds=2.5),
                           T0 + timedelta(seconds=12.5), tmp_path / "video")

    assert T0 + timedelta(seconds=1.5) < before.start <= T0 + timedelta(seconds=2.5)
    assert abs((before.end - hole.start).total_seconds()) < 0.05
    resumed = min(s.start for s in segments if s.start >= hole.end)
    assert after.start == resumed
    assert before.path != after.path
    for master in (before, after):
        clock = decode_clock(frame_at(master.path, 0))
        assert clock is not None
        assert ms_apart(clock, clock_ms(master.start)) <= 1
        assert "moof" not in top_level_boxes(master.path)


def test_a_short_hole_stays_a_hole_inside_one_master(tmp_path: Path) -> None:
    """Under GAP_S the run goes on, but the pictures after the hole keep their recorded UTC
    (the master's timeline is the index's, not the segments' lengths added up)."""
    hole = Hole("cam1", T0 + timedelta(seconds=5.02), T0 + timedelta(seconds=5.62))
    segments = record(tmp_path / "rec", ["cam1"], T0, T0 + timedelta(seconds=10),
                      holes=[hole], segment_s=4)
    [master] = export(segments, T0, T0 + timedelta(seconds=10), tmp_path / "video")

    copied = packets(master.path)
    after = next(i for i, (t, _, _) in enumerate(copied)
                 if master.start + timedelta(seconds=t) >= hole.end)
    t_after = master.start + timedelta(seconds=copied[after][0])
    assert abs((t_after - hole.end).total_seconds()) < 0.045
    clock = decode_clock(frame_at(master.path, after))
    assert clock is not None
    assert ms_apart(clock, clock_ms(t_after)) <= 1, "the picture after the hole is out of place"


def test_a_crash_recovered_segment_still_goes_in(recording: list[Segment],
                                                  tmp_path: Path) -> None:
    """The recorder killed mid-segment leaves a torn fragment; recovery indexes it as
    partial (its length from its last readable packet). Its pictures are in the master, and
    so are the segments recorded after it."""
    torn_dir = tmp_path / "torn"
    torn_dir.mkdir()
    segments = list(recording[:5])
    victim = segments[2]
    torn = torn_dir / Path(victim.path).name
    data = Path(victim.path).read_bytes()
    torn.write_bytes(data[:int(len(data) * 0.8)])
    seconds = media_seconds(torn)
    assert seconds is not None
    assert seconds < (victim.end - victim.start).total_seconds()
    segments[2] = replace(victim, path=str(torn), size=torn.stat().st_size, partial=True,
                          end=victim.start + timedelta(seconds=seconds))

    masters = export(segments, segments[0].start, segments[-1].end, tmp_path / "video")

    readable = recorded_packets(segments)
    copied = [data for m in masters for _, data, _ in packets(m.path)]
    assert set(copied) <= {data for _, data in readable}
    assert abs((masters[-1].end - segments[-1].end).total_seconds()) < 0.001, \
        "the segments after the torn one are in"
    torn_packets = [data for t, data in readable
                    if victim.start <= t < segments[2].end - FRAME]
    assert torn_packets
    assert all(p in set(copied) for p in torn_packets), "the torn segment's pictures are in"


def test_the_working_copy_is_black_inside_the_polygon_and_the_master_untouched(
        recording: list[Segment], tmp_path: Path) -> None:
    [master] = export(recording, T0 + timedelta(seconds=3.2), T0 + timedelta(seconds=9.9),
                      tmp_path / "video")
    master_bytes = master.path.read_bytes()
    seen: list[float] = []

    copy = write_masked_copy(master.path, master.path.parent, [TRIANGLE], FFMPEG,
                             seen.append, threading.Event())

    assert copy.name == "cam1_20261201T100003Z_masked-working-copy.mp4"
    assert master.path.read_bytes() == master_bytes
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
    inside = triangle_inside(180, 320)
    for index in (0, master.frames // 2, master.frames - 1):
        original, masked = frame_at(master.path, index), frame_at(copy, index)
        assert original[inside].mean() > 60, "the master shows the scene there"
        assert masked[inside].max() <= 24, f"picture {index} not black under the mask"
        outside = ~triangle_inside(180, 320, grow=6)
        outside[:12] = False  # the clock strip: black and white anyway
        assert np.abs(masked[outside].astype(int) - original[outside]).mean() < 6
    probe = ffprobe(copy)
    fmt = probe["format"]
    assert isinstance(fmt, dict)
    assert "not the exhibit" in fmt["tags"]["comment"]
    assert utc_micro(master.start) in fmt["tags"]["title"]
    assert abs(float(fmt["duration"]) - (master.end - master.start).total_seconds()) < 0.05
    [video] = probe["streams"]  # type: ignore[misc]
    assert int(video["nb_frames"]) == master.frames
    assert video["pix_fmt"] == "yuv420p"


def triangle_inside(height: int, width: int, grow: int = -4) -> np.ndarray:
    """Pixels whose centre is inside TRIANGLE shrunk (grow < 0) or grown by |grow| px."""
    ys, xs = np.mgrid[0:height, 0:width] + 0.5
    pts = [(x * width, y * height) for x, y in TRIANGLE]
    inside = np.ones((height, width), bool)
    for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=True):
        # distance to the edge's line, negative on the triangle's side
        nx, ny = y2 - y1, x1 - x2
        d = ((xs - x1) * nx + (ys - y1) * ny) / float(np.hypot(nx, ny))
        inside &= d <= grow
    return inside


def ffmpeg_children() -> list[int]:
    """Our FFmpeg children still alive (from /proc)."""
    me, found = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == me and "ffmpeg" in name and fields[0] != "Z":
            found.append(int(entry.name))
    return found


@pytest.fixture
def stalled(recording: list[Segment], tmp_path: Path) -> Iterator[list[Segment]]:
    """Two real segments then one on storage that never answers (a FIFO nobody writes:
    FFmpeg blocks in it, as on a share that stalls)."""
    fifo = tmp_path / "stalled.mp4"
    os.mkfifo(fifo)
    last = recording[1]
    yield [recording[0], last, replace(last, path=str(fifo), start=last.end,
                                       end=last.end + timedelta(seconds=4))]
    # an FFmpeg a broken cancel left blocked in the FIFO reads its end and exits (OSError:
    # nobody reads it, nothing is blocked)
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_cancel_kills_ffmpeg_at_once_and_leaves_no_file(stalled: list[Segment],
                                                        tmp_path: Path) -> None:
    out = tmp_path / "video"
    out.mkdir()
    [plan] = plan_masters("cam1", stalled, stalled[0].start, stalled[-1].end)
    cancel = threading.Event()
    seen: list[float] = []
    outcome: list[BaseException] = []

    def work() -> None:
        try:
            write_master(plan, out, FFMPEG, seen.append, cancel)
        except BaseException as e:
            outcome.append(e)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    wait_until(lambda: seen and seen[-1] > 0.3, 30, "the two readable segments copied")
    assert ffmpeg_children(), "FFmpeg is blocked on the stalled segment"
    cancelled_at = time.monotonic()
    cancel.set()
    worker.join(timeout=20)
    assert not worker.is_alive()
    assert time.monotonic() - cancelled_at < 10, "a generous bound: blocked, it never returns"
    assert len(outcome) == 1
    assert isinstance(outcome[0], EvidenceCancelled)
    assert list(out.iterdir()) == [], "the half-written master is gone"
    assert ffmpeg_children() == []


def test_cancel_during_the_working_copy_leaves_no_file(recording: list[Segment],
                                                       tmp_path: Path) -> None:
    [master] = export(recording, T0, T0 + timedelta(seconds=32), tmp_path / "video")
    out = tmp_path / "copy"
    out.mkdir()
    cancel = threading.Event()
    started = time.monotonic()
    with pytest.raises(EvidenceCancelled):
        write_masked_copy(master.path, out, [TRIANGLE], FFMPEG,
                          lambda done: cancel.set(), cancel)
    assert time.monotonic() - started < 20
    assert list(out.iterdir()) == []
    assert ffmpeg_children() == []


def test_a_failed_ffmpeg_says_which_file_and_leaves_nothing(recording: list[Segment],
                                                           tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "000002.mp4"
    segments = [recording[0], replace(recording[1], path=str(missing))]
    out = tmp_path / "video"
    out.mkdir()
    [plan] = plan_masters("cam1", segments, segments[0].start, segments[-1].end)
    with pytest.raises(EvidenceError, match=r"000002\.mp4"):
        write_master(plan, out, FFMPEG, never, threading.Event())
    assert list(out.iterdir()) == []


def test_a_master_of_a_real_recording_is_its_bytes_and_its_clock(tmp_path: Path) -> None:
    """The recorder records the test RTSP server (burned-in clock, x264 with a keyframe a
    second) into 2-s segments; a range cut inside them is copied byte for byte, and its
    first picture's clock is its UTC start within the network's delay."""
    from app.core.events import CameraAnnounced
    from app.core.hub import Hub
    from app.core.journal import Journal
    from app.core.model import Camera, CameraKind, Streams
    from app.core.recording_config import RecordingConfig, StorageConfig
    from app.services.recorder.recorder import Recorder
    from tests.servers.rtsp import RtspServer, rtsp_server_available

    why = rtsp_server_available()
    if why:
        pytest.fail(why)
    wide, far = datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    journal = Journal(tmp_path / "j.sqlite")
    hub = Hub()
    config = RecordingConfig(cameras="*", segment_s=2,
                             storage=[StorageConfig(path=str(tmp_path / "rec"), budget_gb=1)])
    recorder = Recorder(hub, journal, config)
    try:
        with RtspServer(["cam1"], width=320, height=180) as server:
            recorder.start()
            try:
                hub.post(CameraAnnounced(Camera("cam1", "Caméra 1", CameraKind.FIXED,
                                                Streams(server.url("cam1")))))
                wait_until(lambda: len(journal.recorded_segments("cam1", wide, far)) >= 4,
                           60, "four segments recorded and indexed")
            finally:
                recorder.stop()
        segments = journal.recorded_segments("cam1", wide, far)
    finally:
        journal.close()
    start = segments[0].start + timedelta(seconds=1.3)
    end = segments[-1].end - timedelta(seconds=0.7)
    [master] = export(segments, start, end, tmp_path / "video")

    recorded = recorded_packets(segments)
    copied = packets(master.path)
    first = next(i for i, (t, _) in enumerate(recorded)
                 if abs((t - master.start).total_seconds()) < 0.001)
    assert [d for _, d in recorded[first:first + len(copied)]] == [d for _, d, _ in copied]
    assert master.start <= start < master.start + timedelta(seconds=1.05)
    assert "moof" not in top_level_boxes(master.path)
    fmt = ffprobe(master.path)["format"]
    assert isinstance(fmt, dict)
    assert abs(float(fmt["duration"]) - (master.end - master.start).total_seconds()) < 0.05
    clock = decode_clock(frame_at(master.path, 0))
    assert clock is not None
    sent_before = (clock_ms(master.start) - clock) % (1 << 24)
    assert sent_before < 150, f"first picture sent {sent_before} ms before its UTC start"


def test_ffprobe_is_debians() -> None:
    """The reference reader is not the FFmpeg that wrote the files."""
    assert shutil.which(FFPROBE)
    assert os.path.realpath(FFPROBE) != os.path.realpath(FFMPEG)
