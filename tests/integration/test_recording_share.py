"""A room's recordings reach a seat only through a grant (issue 12): the service serves the
segments of the cameras and range it logged the consultation for, to the bearer of that
grant's token, over HTTP with ranges (a decoder seeks); anything else is refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import pytest
import requests

from app.core.recording import Gap, GapReason, Segment
from app.net.recording_client import RoomRecordings, RoomRecordingsError
from app.net.recording_share import Grants, GrantTicket, RecordingShare
from tests.servers.recorded import synthetic_segments

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


@dataclass
class Index:
    segments: list[Segment] = field(default_factory=list)
    gaps: list[Gap] = field(default_factory=list)

    def recorded_segments(self, camera: str, start: datetime, end: datetime
                          ) -> list[Segment]:
        return [s for s in self.segments if s.camera == camera and s.end > start
                and s.start < end]

    def recording_gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        return [g for g in self.gaps if g.camera == camera]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return synthetic_segments(tmp_path_factory.mktemp("rec"))


@pytest.fixture
def share(files: list[Path]) -> Iterator[tuple[RecordingShare, Index]]:
    index = Index([Segment("cam-gare", T0 + timedelta(seconds=4 * i),
                           T0 + timedelta(seconds=4 * (i + 1)), str(p), p.stat().st_size,
                           "0" * 64, id=i + 1) for i, p in enumerate(files)],
                  [Gap("cam-gare", T0 + timedelta(seconds=8), T0 + timedelta(seconds=20),
                       GapReason.CAMERA_UNREACHABLE)])
    server = RecordingShare(index, Grants(), "127.0.0.1", 0)
    server.start()
    yield server, index
    server.stop()


def ticket(server: RecordingShare, cameras: tuple[str, ...] = ("cam-gare",),
           seconds: float = 30) -> GrantTicket:
    return server.grants.issue("chef", cameras, T0, T0 + timedelta(seconds=seconds),
                               f"http://127.0.0.1:{server.port}")


def test_a_grant_lists_and_plays_its_segments(share: tuple[RecordingShare, Index]) -> None:
    server, _ = share
    source = RoomRecordings(ticket(server))
    got = source.playables("cam-gare", T0, T0 + timedelta(seconds=30))
    assert [(p.start, p.end) for p in got] == [
        (T0, T0 + timedelta(seconds=4)), (T0 + timedelta(seconds=4), T0 + timedelta(seconds=8))]
    assert [g.reason for g in source.gaps("cam-gare", T0, T0 + timedelta(seconds=30))] == [
        GapReason.CAMERA_UNREACHABLE]
    headers = "".join(f"{k}: {v}\r\n" for k, v in got[1].headers)
    with av.open(got[1].uri, options={"headers": headers}) as clip:
        stream = clip.streams.video[0]
        clip.seek(int(2 / stream.time_base), stream=stream)  # a range request
        frame = next(clip.decode(stream))
        assert float(frame.pts * stream.time_base) == pytest.approx(2.0, abs=0.05)


def test_nothing_outside_the_grant(share: tuple[RecordingShare, Index]) -> None:
    server, _ = share
    url = f"http://127.0.0.1:{server.port}/v1/cam-gare/segments/2"
    assert requests.get(url, timeout=10).status_code == 401  # no token
    assert requests.get(url, headers={"Authorization": "Bearer forged"},
                        timeout=10).status_code == 401
    short = ticket(server, seconds=3)  # covers the first segment only
    bearer = {"Authorization": f"Bearer {short.token}"}
    assert requests.get(url, headers=bearer, timeout=10).status_code == 403
    assert requests.get(url.replace("/2", "/1"), headers=bearer, timeout=10).status_code == 200
    other = f"http://127.0.0.1:{server.port}/v1/cam-parc/recordings?start=x&end=y"
    assert requests.get(other, headers=bearer, timeout=10).status_code == 403
    with pytest.raises(RoomRecordingsError, match="refused"):
        RoomRecordings(ticket(server, cameras=("cam-parc",))).playables(
            "cam-gare", T0, T0 + timedelta(seconds=30))
    assert server.refused == 5
    server.grants.revoke("chef")
    assert requests.get(url.replace("/2", "/1"), headers=bearer, timeout=10).status_code == 401
