"""A room: the service records, and every seat learns each camera's recording state
through the journal's feed, as it learns a camera's status (PostgreSQL, real seats)."""

from __future__ import annotations

from app.core.events import CameraAnnounced, RecordingStateChanged
from app.core.model import Camera, CameraKind, Streams
from tests.room.room_rig import Room
from tests.servers.rtsp import RtspServer
from tests.waiting import wait_until


def test_a_seat_sees_the_service_s_recording_state(room: Room) -> None:
    with RtspServer(["cam1"], width=320, height=180) as cam:
        service = room.start_service()
        assert service.recorder is not None  # the demo town records cam-01..03
        alice = room.seat("alice")
        service.hub.post(CameraAnnounced(Camera("cam-01", "Cam 1", CameraKind.FIXED,
                                                Streams(main=cam.url("cam1"), sub=cam.url(
                                                    "cam1")))))
        said = wait_until(lambda: alice.of(RecordingStateChanged), 60,
                          "the recording state on the seat")
        assert (said[0].camera_id, said[0].state) == ("cam-01", "recording")
        room.stop_service()
        wait_until(lambda: [e for e in alice.of(RecordingStateChanged) if e.state == "off"],
                   60, "recording stopped, on the seat")
