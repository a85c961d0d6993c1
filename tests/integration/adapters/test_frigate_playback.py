"""Replay from Frigate's recordings (issue 12: "where a VMS records, replay can use its
playback"): the segments Frigate lists become playable clips whose time 0 is the segment's
start, the holes between them are gaps said as such, a refused token is said, and a
malformed answer loses nothing else. Against Frigate's API as it answers (tests/servers/
frigate_http.py runs Frigate's own clip command on real segment files)."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import imageio_ffmpeg
import pytest

from app.adapters.frigate.playback import FrigatePlayback, FrigatePlaybackError
from app.core.recording import GapReason
from tests.servers.frigate_http import FrigateHttp, FrigateSegment

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
FPS = 25


@pytest.fixture(scope="module")
def segment_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three 4-s H.264 segments as Frigate writes them from a camera (plain MP4, a keyframe
    a second, no B-frames: surveillance cameras send none)."""
    where = tmp_path_factory.mktemp("frigate")
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error",
                    "-f", "lavfi", "-i", f"testsrc2=size=160x90:rate={FPS}", "-t", "12",
                    "-c:v", "libx264", "-bf", "0", "-g", str(FPS), "-f", "segment",
                    "-segment_time", "4", "-reset_timestamps", "1",
                    str(where / "seg%d.mp4")], check=True, timeout=60)
    return sorted(where.glob("seg*.mp4"))


@pytest.fixture
def frigate(segment_files: list[Path]) -> Iterator[FrigateHttp]:
    """Recorded 21:00:00-21:00:08, then nothing until 21:00:14-21:00:18."""
    t = T0.timestamp()
    starts = [t, t + 4, t + 14]
    segs = [FrigateSegment("parvis", s, s + 4, p) for s, p in zip(starts, segment_files,
                                                                    strict=True)]
    with FrigateHttp(segs, token="jeton-frigate") as server:
        yield server


def test_segments_play_as_clips_on_the_console_s_timeline(frigate: FrigateHttp) -> None:
    source = FrigatePlayback("Frigate (nvr)", frigate.url, {"cam-parvis": "parvis"},
                             token="jeton-frigate")
    start, end = T0 + timedelta(seconds=2), T0 + timedelta(seconds=16)
    got = source.playables("cam-parvis", start, end)
    assert [(p.start, p.end) for p in got] == [
        (T0, T0 + timedelta(seconds=4)), (T0 + timedelta(seconds=4), T0 + timedelta(seconds=8)),
        (T0 + timedelta(seconds=14), T0 + timedelta(seconds=18))]
    # each clip is that segment alone: its frames span its 4 s from time 0
    with av.open(got[1].uri, options={"headers": "".join(
            f"{k}: {v}\r\n" for k, v in got[1].headers)}) as clip:
        stream = clip.streams.video[0]
        times = [float(f.pts * stream.time_base) for f in clip.decode(stream)]
    assert times[0] == pytest.approx(0.0, abs=1 / FPS)
    assert len(times) == 4 * FPS
    assert [(g.start, g.end, g.reason) for g in source.gaps("cam-parvis", start, end)] == [
        (T0 + timedelta(seconds=8), T0 + timedelta(seconds=14), GapReason.NOT_RECORDED)]
    assert source.playables("cam-unknown", start, end) == []


def test_a_refused_token_is_said_and_never_shown(frigate: FrigateHttp) -> None:
    source = FrigatePlayback("Frigate (nvr)", frigate.url, {"cam-parvis": "parvis"},
                             token="mauvais")
    with pytest.raises(FrigatePlaybackError, match="refused the API token") as err:
        source.playables("cam-parvis", T0, T0 + timedelta(seconds=10))
    assert "mauvais" not in str(err.value)
    assert frigate.refused == 1


def test_frigate_unreachable_is_said_in_plain_words() -> None:
    source = FrigatePlayback("Frigate (nvr)", "http://127.0.0.1:9", {"cam-parvis": "parvis"})
    with pytest.raises(FrigatePlaybackError, match="cannot be reached"):
        source.playables("cam-parvis", T0, T0 + timedelta(seconds=10))
