"""The site file's `[export]` table: where evidence packages go and how they are signed.

The signing key is the site's own (`csu-console export-key init`): its private part lives in
the OS keyring by default, or in a file only the service's account can read (`key_file`);
its certificate is a plain PEM anyone may have (printed for the parquet). A timestamp
authority (RFC 3161) is optional: with one, the package proves it existed at that time.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, field_validator

APP = "csu-console"


def default_exports() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / "exports"


def default_certificate() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "export-certificate.pem"


class ExportConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    folder: str | None = None  # where packages are written (default: the user's data folder)
    certificate: str | None = None  # the export certificate, PEM (default: the config folder)
    key_file: str | None = None  # the private key in a file (PEM, mode 0600), not the keyring
    tsa_url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    tsa_certificate: str | None = None  # the authority's chain (PEM), to check its replies
    # Areas a working copy hides (private windows, doorways), by camera id (any camera: the
    # site's, a VMS's, the demo's): polygons of [x, y] points, fractions of the picture's
    # width and height from its top-left corner. The master exhibit is never masked.
    privacy_masks: dict[str, list[list[tuple[float, float]]]] = Field(default_factory=dict)

    @field_validator("privacy_masks")
    @classmethod
    def _masks(cls, v: dict[str, list[list[tuple[float, float]]]]
               ) -> dict[str, list[list[tuple[float, float]]]]:
        for camera, polygons in v.items():
            for polygon in polygons:
                if len(polygon) < 3:
                    raise ValueError(f"{camera}: a privacy mask needs at least three points")
                if any(not (0 <= x <= 1 and 0 <= y <= 1) for x, y in polygon):
                    raise ValueError(f"{camera}: a privacy mask's points are fractions of "
                                     "the picture, between 0 and 1")
        return v

    def folder_path(self) -> Path:
        return Path(self.folder) if self.folder else default_exports()

    def certificate_path(self) -> Path:
        return Path(self.certificate) if self.certificate else default_certificate()
