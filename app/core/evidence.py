"""An evidence export's package: its layout and its manifest (issue 13).

A package is a folder (and a ZIP of it) that anyone can check with free tools nobody on the
project wrote: `sha256sum -c SHA256SUMS` for the files, `openssl cms -verify` for the signed
manifest, `openssl ts -verify` for the timestamp. The names below are the contract between
the export's parts (masters, documents, signature, verification); they never change within
one FORMAT.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FORMAT = "csu-evidence/1"

MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.p7s"  # detached CMS (DER) over manifest.json's bytes
TIMESTAMP = "manifest.json.p7s.tsr"  # RFC 3161 reply over the signature's bytes (optional)
SUMS = "SHA256SUMS"  # `sha256sum -c SHA256SUMS`: every file of `files`, and the manifest
CERTIFICATE = "certificate.pem"  # the site's export certificate (signer), PEM
TSA_CERTIFICATES = "tsa-chain.pem"  # the timestamp authority's chain, when timestamped
REPORT = "report.pdf"
VIDEO_DIR = "video"  # <camera>_<YYYYmmddTHHMMSSZ>.mp4, <same stem>_masked-working-copy.mp4
TRACKS_DIR = "tracks"  # tracks.gpx, tracks.geojson, map.png
JOURNAL_DIR = "journal"  # alarms.csv, alarms.json, actions.csv, actions.json

# A file's role in the package (PackageFile.role)
MASTER = "master"  # the recorded stream, copied (never re-encoded) into an ordinary MP4
WORKING_COPY = "working_copy"  # re-encoded with the privacy masks burned in
TRACKS = "tracks"
MAP = "map"
ALARMS = "alarms"
ACTIONS = "actions"
DOCUMENT = "report"


class EvidenceError(ValueError):
    """An export or a verification that cannot go on, in plain words."""


class EvidenceCancelled(Exception):
    """The chief cancelled the export: what was half written is gone."""


def utc_text(t: datetime) -> str:
    """ISO 8601 UTC with milliseconds and a Z: how every time is written in the package."""
    return t.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def stamp(t: datetime) -> str:
    """A time in a file name (sorts, no colon for Windows): 20261201T100000Z."""
    return t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True, slots=True)
class PackageFile:
    """One file of the package. `path`: relative, '/' separated."""

    path: str
    sha256: str
    size: int
    role: str
    camera: str = ""  # a video file's camera
    start: str = ""  # a video file's first picture (utc_text), from the recording index
    end: str = ""


@dataclass(frozen=True, slots=True)
class CameraPart:
    """One camera in the export: what was asked, what was found, and what is missing."""

    id: str
    name: str
    kind: str  # "fixed" | "ptz" | "body" ...
    gaps: tuple[dict[str, str], ...] = ()  # {"start", "end", "reason", "detail"}
    note: str = ""  # e.g. "not recorded by this site" in plain words


@dataclass(frozen=True, slots=True)
class Manifest:
    """What manifest.json says. Written once, after every other file (their hashes), then
    signed; the signature covers its exact bytes (`to_bytes`)."""

    site: str
    software_version: str
    exported_by: dict[str, str]  # {"user", "name", "role"}
    exported_at: str  # utc_text
    purpose: str
    recipient: str
    range_start: str
    range_end: str
    cameras: tuple[CameraPart, ...]
    officers: tuple[str, ...]
    files: tuple[PackageFile, ...]
    incident: dict[str, str] | None = None  # {"id", "title"}
    hold: int | None = None  # the judicial hold placed on the range, if asked
    format: str = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return (json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)
                + "\n").encode("utf-8")

    @classmethod
    def from_bytes(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data.decode("utf-8"))
            if raw.get("format") != FORMAT:
                raise EvidenceError(f"not a {FORMAT} manifest (format {raw.get('format')!r})")
            raw["cameras"] = tuple(CameraPart(**{**c, "gaps": tuple(c.get("gaps", ()))})
                                   for c in raw["cameras"])
            raw["files"] = tuple(PackageFile(**f) for f in raw["files"])
            raw["officers"] = tuple(raw["officers"])
            return cls(**raw)
        except EvidenceError:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise EvidenceError(f"the manifest cannot be read: {e}") from e


def sums_text(files: list[PackageFile]) -> str:
    """SHA256SUMS in sha256sum's own format (two spaces: text mode, read on any OS)."""
    return "".join(f"{f.sha256}  {f.path}\n" for f in files)


def package_path(root: Path, relative: str) -> Path:
    """A manifest's relative path inside `root`, refusing one that leaves it (a forged
    manifest must not make `verify` read /etc/shadow)."""
    p = (root / relative).resolve()
    if not p.is_relative_to(root.resolve()) or relative.startswith(("/", "\\")):
        raise EvidenceError(f"the manifest names a file outside the package: {relative}")
    return p
