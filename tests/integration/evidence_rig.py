"""A small signed evidence package made in a test's folder: a few files of the real layout,
a manifest from app/core/evidence.py, SHA256SUMS, the signature; and the free tools a
recipient runs on it (`openssl cms -verify`, `openssl ts -verify`, `sha256sum -c`)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from app.core.evidence import (
    ALARMS,
    CERTIFICATE,
    MANIFEST,
    MASTER,
    SIGNATURE,
    SUMS,
    TIMESTAMP,
    TRACKS,
    TSA_CERTIFICATES,
    CameraPart,
    Manifest,
    PackageFile,
    sums_text,
)
from app.core.export_config import ExportConfig
from app.core.site import MapConfig, Site, SiteInfo
from app.services.evidence.keys import ExportKey
from app.services.evidence.signing import sign_manifest

VIDEO = "video/cam-1_20261201T100000Z.mp4"
PURPOSE = "Réquisition PV 2026/123 : rixe place de la Mairie"
CONTENTS = {
    VIDEO: bytes(range(256)) * 64,
    "tracks/tracks.geojson": b'{"type": "FeatureCollection", "features": []}\n',
    "journal/alarms.csv": b"number,type,time\r\n1,gunshot,2026-12-01T10:00:05Z\r\n",
}


def signing_site(folder: Path, key_file: str | None = "export-key.pem",
              name: str = "Ville-Témoin") -> Site:
    """A site whose export key and certificate live in `folder` (a key file by default:
    the keyring is for the export-key tests, which clean it)."""
    return Site(site=SiteInfo(name=name), map=MapConfig(center=(48.85, 2.35)),
                export=ExportConfig(certificate="export-certificate.pem", key_file=key_file),
                source_path=str(folder / "site.toml"))


def make_package(root: Path, key: ExportKey, names: dict[str, bytes] | None = None) -> Path:
    """Write the files, the manifest naming them, SHA256SUMS and the signature."""
    contents = CONTENTS if names is None else names
    files = []
    for rel, data in contents.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
        files.append(PackageFile(rel, hashlib.sha256(data).hexdigest(), len(data),
                                 MASTER if rel.startswith("video/") else
                                 TRACKS if rel.startswith("tracks/") else ALARMS,
                                 camera="cam-1" if rel.startswith("video/") else ""))
    manifest = Manifest(
        site="Ville-Témoin", software_version="0.1.0",
        exported_by={"user": "chef", "name": "Claire Chef", "role": "chief"},
        exported_at="2026-12-01T11:00:00.000Z", purpose=PURPOSE, recipient="Parquet de Test",
        range_start="2026-12-01T10:00:00.000Z", range_end="2026-12-01T10:10:00.000Z",
        cameras=(CameraPart("cam-1", "Mairie", "fixed"),), officers=("agent-7",),
        files=tuple(files))
    data = manifest.to_bytes()
    (root / MANIFEST).write_bytes(data)
    listed = [*files, PackageFile(MANIFEST, hashlib.sha256(data).hexdigest(), len(data), "")]
    (root / SUMS).write_text(sums_text(listed), encoding="utf-8", newline="\n")
    sign_manifest(root, key)
    return root


def copy_of(root: Path, dest: Path) -> Path:
    shutil.copytree(root, dest)
    return dest


def flip_byte(path: Path, at: int | None = None) -> None:
    """Change one bit of one byte (the middle one unless told)."""
    data = bytearray(path.read_bytes())
    i = len(data) // 2 if at is None else at
    data[i] ^= 0x01
    path.write_bytes(bytes(data))


def openssl_cms_verify(root: Path, ca: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The line the README quotes, run in the package's folder."""
    return subprocess.run(
        ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", SIGNATURE,
         "-content", MANIFEST, "-CAfile", str(ca or CERTIFICATE), "-purpose", "any",
         "-out", "/dev/null"], cwd=root, capture_output=True, text=True, timeout=60)


def openssl_ts_verify(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["openssl", "ts", "-verify", "-in", TIMESTAMP, "-data", SIGNATURE,
         "-CAfile", TSA_CERTIFICATES], cwd=root, capture_output=True, text=True, timeout=60)


def sha256sum_check(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sha256sum", "-c", SUMS], cwd=root, capture_output=True, text=True,
                          timeout=60)
