"""`[recording]` of the site file: which cameras the console records itself, from which
stream, in segments of what length, and where (storage folders, each with a disk budget).

    [recording]
    cameras = "*"          # every fixed camera; or ["cam-01", "cam-02"]
    stream = "main"        # or "sub" (lighter; the demo records sub-streams)
    segment_s = 10
    [[recording.storage]]
    path = "D:/CSU/recordings"   # absent: the user's data folder; relative: to this file
    budget_gb = 500
    warn_at = 0.9          # the operator is told past this share of the budget
    # a room: its service serves the recordings to the seats, one grant per consultation
    share = "0.0.0.0:8745"
    share_url = "http://csu-serveur:8745"   # what the seats reach (default: its host name)

Body-worn cameras are never recorded here: the body-cam system records them and the
console keeps no copy of a live body-cam feed (CSI L241-2); `check-config` refuses a site
that names one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.user_paths import APP

BODYCAM_REFUSAL = ("body-worn cameras are never recorded by the console: the body-cam "
                   "system records them and no copy of a live body-cam feed is kept "
                   "(CSI L241-2)")


class StorageConfig(BaseModel):
    """`[[recording.storage]]`: one folder and its budget."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # None: the user's data folder (the packaged demo's install folder is read-only);
    # relative: to the site file's folder
    path: str | None = Field(default=None, min_length=1)
    budget_gb: float = Field(gt=0)
    cameras: list[str] | None = None  # None: every recorded camera no other folder names
    warn_at: float = Field(default=0.9, gt=0, le=1)

    @property
    def budget_bytes(self) -> int:
        return int(self.budget_gb * 1_000_000_000)


DEFAULT_BUDGET_GB = 20.0


def default_folder() -> Path:
    """Where recordings go when the site names no folder: the user's data folder (the
    packaged demo's install folder is read-only)."""
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "recordings"


class RecordingConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    cameras: Literal["*"] | list[str] = Field(default_factory=list)
    stream: Literal["main", "sub"] = "main"
    segment_s: int = Field(default=10, ge=2, le=60)
    stall_s: float = Field(default=10, ge=1, le=300)  # no growth of the segment this long: restart
    io_timeout_s: float = Field(default=5, ge=1, le=120)  # FFmpeg's network I/O timeout
    # Default: imageio-ffmpeg's executable (imageio_ffmpeg.get_ffmpeg_exe()): the same
    # FFmpeg on every platform, carried by the wheel into the Windows bundle, no system
    # package to install or to drift. A path here overrides it (a site's own build).
    ffmpeg: str | None = None
    storage: list[StorageConfig] = Field(default_factory=list)
    # A room: where its service serves the recordings to the seats ("0.0.0.0:8745"; none:
    # seats cannot replay video), and the address the seats use to reach it (default: the
    # address it listens on, or for 0.0.0.0 http://<the service's host name>:<port>). Each
    # consultation gets its own grant (app/net/recording_share.py).
    share: str | None = Field(default=None, pattern=r"^[^\s:]+:\d{1,5}$")
    share_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(:\d+)?$")

    @field_validator("cameras")
    @classmethod
    def _ids(cls, v: Literal["*"] | list[str]) -> Literal["*"] | list[str]:
        if isinstance(v, list) and any(not c.strip() for c in v):
            raise ValueError("a camera id cannot be empty")
        return v

    @model_validator(mode="after")
    def _folders(self) -> RecordingConfig:
        paths = [s.path or "" for s in self.storage]
        for dup in sorted({p for p in paths if paths.count(p) > 1}):
            raise ValueError(f"storage folder {dup!r} is given twice")
        return self

    @property
    def records(self) -> bool:
        return self.cameras == "*" or bool(self.cameras)

    def names(self, camera_id: str) -> bool:
        """Whether the site asks to record this camera (its kind is checked elsewhere)."""
        return self.cameras == "*" or camera_id in self.cameras

    def folders(self) -> list[StorageConfig]:
        """The storage folders, each with its path (the default folder where none is given;
        relative paths as `resolved` left them)."""
        given = list(self.storage) or [StorageConfig(budget_gb=DEFAULT_BUDGET_GB)]
        return [s if s.path else s.model_copy(update={"path": str(default_folder())})
                for s in given]

    def resolved(self, site_dir: Path) -> RecordingConfig:
        """Relative storage paths made absolute from the site file's folder."""
        return self.model_copy(update={"storage": [
            s.model_copy(update={"path": str(site_dir / s.path)})
            if s.path and not Path(s.path).is_absolute() else s for s in self.storage]})

    def storage_for(self, camera_id: str) -> StorageConfig:
        """The folder that names this camera, else the first that names none."""
        folders = self.folders()
        for s in folders:
            if s.cameras is not None and camera_id in s.cameras:
                return s
        return next((s for s in folders if s.cameras is None), folders[0])

    def share_address(self) -> tuple[str, int] | None:
        if not self.share:
            return None
        host, _, port = self.share.rpartition(":")
        return host, int(port)

    def ffmpeg_exe(self) -> str:
        if self.ffmpeg:
            return self.ffmpeg
        import imageio_ffmpeg

        return str(imageio_ffmpeg.get_ffmpeg_exe())
