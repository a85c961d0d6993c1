"""Replay takes each camera from the console's own recordings when they cover the range,
else from a VMS that records it; a VMS that cannot be asked does not stop the others."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app.core.recording import Gap, Playable
from app.services.replay_sources import ReplaySources

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


@dataclass
class Source:
    name: str
    recorded: dict[str, tuple[datetime, datetime]]
    broken: bool = False

    @property
    def cameras(self) -> frozenset[str]:
        return frozenset(self.recorded)

    def playables(self, camera: str, start: datetime, end: datetime) -> list[Playable]:
        if self.broken:
            raise OSError("connection refused")
        span = self.recorded.get(camera)
        if span is None or span[1] <= start or span[0] >= end:
            return []
        return [Playable(camera, span[0], span[1], f"{self.name}/{camera}")]

    def gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        return []


def test_local_first_then_a_vms_that_records_it() -> None:
    hour = timedelta(hours=1)
    local = Source("local", {"cam-gare": (T0, T0 + hour)})
    down = Source("milestone", {"cam-gare": (T0 - hour, T0 + hour)}, broken=True)
    frigate = Source("frigate", {"cam-gare": (T0 - hour, T0 + hour),
                                 "cam-parc": (T0, T0 + hour)})
    sources = ReplaySources(local, [down, frigate])
    assert sources.for_camera("cam-gare", T0, T0 + hour) is local
    assert sources.for_camera("cam-gare", T0 - hour, T0) is frigate  # before the console's
    assert sources.for_camera("cam-parc", T0, T0 + hour) is frigate
    assert sources.for_camera("cam-nowhere", T0, T0 + hour) is local  # says "no recording"
    assert ReplaySources().for_camera("cam-gare", T0, T0 + hour) is None
