"""One truth for "is this camera online" (`app.services.camera_health`): unknown until seen;
a tile that plays it beats everything; a tile that cannot open it says offline; after the
tiles stop, the latest of the adapter's word and the tiles' last verdict; counts for the
status bar."""

from __future__ import annotations

from app.services.camera_health import CameraHealth, Health


def test_unknown_until_something_saw_it() -> None:
    h = CameraHealth()
    assert h.state("cam-1") is Health.UNKNOWN
    assert h.detail("cam-1") == ""
    assert h.counts(["cam-1", "cam-2"]) == (0, 0, 2)


def test_two_tiles_whose_streams_are_refused_say_offline() -> None:
    h = CameraHealth()
    assert h.tile_reported("wall/0", "cam-1", "offline", "Connection refused") == {"cam-1"}
    assert h.tile_reported("wall/1", "cam-2", "offline", "Connection refused") == {"cam-2"}
    assert h.state("cam-1") is Health.OFFLINE
    assert h.detail("cam-2") == "Connection refused"
    assert h.counts(["cam-1", "cam-2", "cam-3"]) == (0, 2, 1)


def test_a_playing_tile_wins_over_the_adapter_and_over_a_failing_tile() -> None:
    h = CameraHealth()
    h.adapter_reported("cam-1", False, "DESCRIBE timed out")
    assert h.state("cam-1") is Health.OFFLINE
    h.tile_reported("wall/0", "cam-1", "online")
    assert h.state("cam-1") is Health.ONLINE
    h.tile_reported("wall2/3", "cam-1", "offline", "sub stream lost")  # another stream fails
    assert h.state("cam-1") is Health.ONLINE  # some stream of it plays
    h.adapter_reported("cam-1", False, "DESCRIBE timed out")
    assert h.state("cam-1") is Health.ONLINE  # what is on the screen now wins


def test_after_the_tiles_stop_the_latest_word_counts() -> None:
    h = CameraHealth()
    h.adapter_reported("cam-1", True, "answered, H.264 stream")
    h.tile_reported("wall/0", "cam-1", "offline", "Connection refused")
    assert h.tile_reported("wall/0", "cam-1", "") == set()  # hidden: still offline (last seen)
    assert h.state("cam-1") is Health.OFFLINE
    assert h.adapter_reported("cam-1", True, "answered, H.264 stream")  # newer: online
    assert h.state("cam-1") is Health.ONLINE
    assert not h.adapter_reported("cam-1", True, "answered, H.264 stream")  # no change


def test_a_tile_moving_to_another_camera_withdraws_its_evidence() -> None:
    h = CameraHealth()
    h.tile_reported("wall/0", "cam-1", "online")
    h.tile_reported("wall/1", "cam-1", "offline", "lost")
    assert h.tile_reported("wall/0", "cam-2", "online") == {"cam-1", "cam-2"}
    assert h.state("cam-1") is Health.OFFLINE  # only the failing tile shows it now
    h.tile_reported("wall/1", "", "")  # the wall closed
    assert h.state("cam-1") is Health.OFFLINE  # its last verdict
    assert h.counts(["cam-1", "cam-2"]) == (1, 1, 0)
