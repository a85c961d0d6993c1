"""A chief at a seat of a room replays the service's recordings (issue 12): the service logs
the consultation, then gives the seat a grant with which, and only within which, the seat
reads the segments over HTTP; the grant ends when the chief signs out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import pytest

from app.core.access import Role
from app.core.recording import Segment
from app.core.recording_config import RecordingConfig
from app.net.recording_client import RoomRecordings, RoomRecordingsError
from app.net.recording_share import GrantTicket
from app.services.consultation import CONSULTED, Consultation
from app.services.runtime import Runtime
from tests.room.room_rig import Room, quiet_site
from tests.servers.recorded import synthetic_segments

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)




def test_a_seat_replays_the_service_s_recordings_through_its_grant(
        room: Room, tmp_path: Path) -> None:
    site = quiet_site().model_copy(update={"recording": RecordingConfig(share="127.0.0.1:0")})
    service = Runtime(site, {}, room.where, room.password)
    service.start()
    room.service = service
    assert service.share is not None
    files = synthetic_segments(tmp_path)
    service.journal.add_segments([
        Segment("cam-gare", T0 + timedelta(seconds=4 * i), T0 + timedelta(seconds=4 * i + 4),
                str(p), p.stat().st_size, "0" * 64) for i, p in enumerate(files)])
    chief = room.seat("chef", role=Role.CHIEF)
    asked = Consultation(("cam-gare",), T0, T0 + timedelta(minutes=1), "judicial",
                         words="réquisition 2026/77")
    grant = chief.seat.consult_recordings(asked).result(20)
    assert isinstance(grant, GrantTicket)
    assert [r.action.actor for r in service.journal.audit_rows()
            if r.action.action == CONSULTED] == ["chef"]  # logged before any byte
    sources = chief.seat.replay_sources(None, grant)
    source = sources.for_camera("cam-gare", T0, T0 + timedelta(minutes=1))
    assert isinstance(source, RoomRecordings)
    played = source.playables("cam-gare", T0, T0 + timedelta(minutes=1))
    assert len(played) == 2
    headers = "".join(f"{k}: {v}\r\n" for k, v in played[0].headers)
    with av.open(played[0].uri, options={"headers": headers}) as clip:
        assert sum(1 for _ in clip.decode(video=0)) == 100  # 4 s at 25 fps
    chief.seat.sign_out().result(20)
    with pytest.raises(RoomRecordingsError, match="refused"):
        source.playables("cam-gare", T0, T0 + timedelta(minutes=1))
