"""`[recording]` in the site file, as `check-config` says it: a body-worn camera named for
recording is refused with the article (CSI L241-2), values out of range or unknown keys are
named with their key path, and the defaults need no folder from the installer."""

from __future__ import annotations

from pathlib import Path

import platformdirs

from app.core.model import Camera, CameraKind, Streams
from app.core.recording_config import RecordingConfig, StorageConfig
from app.services.recorder.recorder import target_of
from tests.unit.cli_run import csu, site_file

CAMERAS = """
[[cameras]]
id = "cam-gare"
name = "Gare"
main = "rtsp://10.0.0.2/main"
sub = "rtsp://10.0.0.2/sub"

[[cameras]]
id = "bc-pm11"
name = "Caméra-piéton PM 11"
kind = "body"
main = "rtsp://10.0.0.9/live"
"""


def test_a_body_camera_named_for_recording_is_refused_with_the_article(tmp_path: Path
                                                                          ) -> None:
    path = site_file(tmp_path, CAMERAS + '[recording]\ncameras = ["cam-gare", "bc-pm11"]\n')
    out = csu("check-config", str(path))
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    assert "recording.cameras[1]: camera 'bc-pm11': body-worn cameras are never recorded" \
        in text
    assert "CSI L241-2" in text
    assert "recording.cameras[0]" not in text


def test_values_out_of_range_and_unknown_keys_are_named(tmp_path: Path) -> None:
    path = site_file(tmp_path, CAMERAS + '[recording]\ncameras = "*"\nsegment_s = 120\n'
                     'stream = "third"\n[[recording.storage]]\npath = "/srv/rec"\n'
                     'budget_gb = 0\nwarn = 0.8\n[[recording.storage]]\npath = "/srv/rec"\n'
                     'budget_gb = 10\n')
    out = csu("check-config", str(path))
    text = out.stdout + out.stderr
    assert out.returncode == 1, text
    for key in ("recording.segment_s", "recording.stream", "recording.storage[0].budget_gb",
                "recording.storage[0].warn"):
        assert key in text, key
    assert "Traceback" not in text


def test_star_records_the_fixed_cameras_sub_stream_in_the_user_data_folder() -> None:
    config = RecordingConfig(cameras="*", stream="sub")
    fixed = Camera("cam-gare", "Gare", CameraKind.FIXED,
                   Streams(main="rtsp://h/main", sub="rtsp://h/sub"))
    body = Camera("bc-pm11", "PM 11", CameraKind.BODY, Streams(main="rtsp://h/bc"))
    target = target_of(fixed, config)
    assert target is not None
    assert target.url == "rtsp://h/sub"
    assert Path(target.storage) == Path(platformdirs.user_data_dir("csu-console",
                                                                   appauthor=False)) / "recordings"
    assert target_of(body, config) is None
    assert target_of(body, RecordingConfig(cameras=["bc-pm11"])) is None  # never, whatever


def test_a_camera_goes_to_the_folder_that_names_it() -> None:
    config = RecordingConfig(cameras="*", storage=[
        StorageConfig(path="/a", budget_gb=1), StorageConfig(path="/b", budget_gb=1,
                                                             cameras=["cam-2"])])
    assert config.storage_for("cam-2").path == "/b"
    assert config.storage_for("cam-1").path == "/a"
