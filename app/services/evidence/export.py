"""One evidence export, start to finish, off the GUI thread: the masters, the working copies,
the documents, the report, the manifest, its signature and timestamp, and the ZIP.

The package is written into `<name>.partial/` and renamed when complete: a folder without
that suffix is always a whole, signed package; a cancel or a failure removes the partial
folder (nothing half-made is ever handed over). The access-log row and the hold are the
caller's (Runtime.export_evidence_as), written before this runs.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from app.core.evidence import (
    ACTIONS,
    ALARMS,
    DOCUMENT,
    JOURNAL_DIR,
    MANIFEST,
    MAP,
    MASTER,
    REPORT,
    SUMS,
    TRACKS,
    TRACKS_DIR,
    VIDEO_DIR,
    WORKING_COPY,
    CameraPart,
    EvidenceCancelled,
    EvidenceError,
    Manifest,
    PackageFile,
    stamp,
    sums_text,
    utc_text,
)
from app.core.recording import Gap, Segment
from app.core.site import Site
from app.services.evidence.journal_files import write_journal_files
from app.services.evidence.keys import ExportKey, fingerprint
from app.services.evidence.map_image import write_map_image
from app.services.evidence.masking import write_masked_copy
from app.services.evidence.masters import plan_masters, write_master
from app.services.evidence.report import write_report
from app.services.evidence.request import ExportRequest
from app.services.evidence.signing import sign_manifest
from app.services.evidence.timestamp import timestamp_signature
from app.services.evidence.tracks import write_tracks
from app.services.replay_history import HistoryJournal, ReplayHistory

# the steps' shares of the progress bar (a re-encode costs more than a copy)
VIDEO, DOCS, SEAL, ZIP = 0.75, 0.07, 0.03, 0.15
RE_ENCODE = 4.0  # a second of video re-encoded costs about this many seconds copied
HOLE = timedelta(seconds=1)  # less than this between two masters is not a gap

Progress = Callable[[float, str], None]  # overall fraction done, the step ("masters", ...)


class RecordingsJournal(HistoryJournal, Protocol):
    def recorded_segments(self, camera: str, start: datetime, end: datetime
                          ) -> list[Segment]: ...
    def recording_gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]: ...


@dataclass(frozen=True, slots=True)
class Exporter:
    """Who exports, as the manifest and the report say it."""

    login: str
    name: str
    role: str
    workstation: str = ""


@dataclass(frozen=True, slots=True)
class ExportResult:
    folder: Path
    zip: Path | None
    manifest: Manifest
    timestamped: datetime | None
    warnings: tuple[str, ...] = ()


@dataclass
class _Files:
    root: Path
    rows: list[PackageFile] = field(default_factory=list)

    def add(self, path: Path, role: str, camera: str = "", start: str = "",
            end: str = "") -> PackageFile:
        row = PackageFile(path.relative_to(self.root).as_posix(), file_sha256(path),
                          path.stat().st_size, role, camera, start, end)
        self.rows.append(row)
        return row


def file_sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def package_name(request: ExportRequest) -> str:
    """`20261201T100000Z_incident-12` / `..._judicial`: sorts by time, says what it is."""
    what = (f"incident-{request.incident_id}" if request.incident_id
            else re.sub(r"[^a-z0-9]+", "-", request.purpose.lower()).strip("-") or "export")
    return f"{stamp(request.start)}_{what}"


def _free(root: Path, name: str) -> str:
    n, candidate = 1, name
    while any((root / f"{candidate}{s}").exists() for s in ("", ".partial", ".zip")):
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def _holes(camera: str, covered: Sequence[tuple[datetime, datetime]], start: datetime,
           end: datetime, gaps: Sequence[Gap]) -> list[dict[str, str]]:
    """The parts of [start, end) no master covers, each with the recorder's reason."""
    out: list[dict[str, str]] = []
    t = start
    for lo, hi in [*sorted(covered), (end, end)]:
        if lo - t > HOLE:
            why = next((g for g in gaps if g.start < lo and (g.end is None or g.end > t)),
                       None)
            out.append({"start": utc_text(t), "end": utc_text(lo),
                        "reason": why.reason.value if why else "not_recorded",
                        "detail": why.detail if why else ""})
        t = max(t, hi)
    return out


def run_export(request: ExportRequest, *, site: Site, journal: RecordingsJournal,
               key: ExportKey, exporter: Exporter, software_version: str,
               progress: Progress, cancel: threading.Event,
               folder: Path | None = None,
               callsigns: Mapping[str, str] | None = None,
               cameras: Mapping[str, tuple[str, str]] | None = None) -> ExportResult:
    """Write the package (blocking: a worker thread's). `callsigns`, `cameras` (id: name,
    kind): the officers and cameras as announced (an adapter's are not in the site file).
    Raises EvidenceCancelled when
    `cancel` is set, EvidenceError when something cannot be made; either way nothing of
    this export is left on disk."""
    root = folder or site.export.folder_path()
    root.mkdir(parents=True, exist_ok=True)
    name = _free(root, package_name(request))
    work = root / f"{name}.partial"
    work.mkdir()
    try:
        return _write(request, site, journal, key, exporter, software_version, progress,
                      cancel, root, name, work, dict(callsigns or {}),
                      {**{c.id: (c.name, c.kind.value) for c in site.cameras},
                       **(cameras or {})})
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        (root / f"{name}.zip.partial").unlink(missing_ok=True)
        raise


def _stop_if(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise EvidenceCancelled("export cancelled")


def _write(request: ExportRequest, site: Site, journal: RecordingsJournal, key: ExportKey,
           exporter: Exporter, software_version: str, progress: Progress,
           cancel: threading.Event, root: Path, name: str, work: Path,
           callsigns: dict[str, str], cameras: dict[str, tuple[str, str]]) -> ExportResult:
    files = _Files(work)
    plans = {cam: plan_masters(cam, journal.recorded_segments(cam, request.start, request.end),
                               request.start, request.end) for cam in request.cameras}
    masks = site.export.privacy_masks
    # the video's share of the bar, in one running count of work: a second of a working
    # copy (re-encoded) weighs RE_ENCODE seconds of a master (copied), so the bar moves on
    # at an even pace and never goes back, whichever order the files are made in
    work_s = sum((p.duration_s * (1 + (RE_ENCODE if masks.get(cam) else 0))
                  for cam, ps in plans.items() for p in ps), 0.0) or 1.0
    done_s = 0.0
    parts: list[CameraPart] = []
    video = work / VIDEO_DIR
    video.mkdir()

    def step(name: str, base: float, weight: float) -> Callable[[float], None]:
        def report(f: float) -> None:
            progress(VIDEO * (base + f * weight) / work_s, name)
        return report

    for cam in request.cameras:
        covered: list[tuple[datetime, datetime]] = []
        for plan in plans[cam]:
            _stop_if(cancel)
            master = write_master(plan, video, site.recording.ffmpeg_exe(),
                                  step("masters", done_s, plan.duration_s), cancel)
            done_s += plan.duration_s
            covered.append((master.start, master.end))
            files.add(master.path, MASTER, cam, utc_text(master.start), utc_text(master.end))
            if masks.get(cam):
                weight = plan.duration_s * RE_ENCODE
                copy = write_masked_copy(master.path, video, masks[cam],
                                         site.recording.ffmpeg_exe(),
                                         step("working copies", done_s, weight), cancel)
                done_s += weight
                files.add(copy, WORKING_COPY, cam, utc_text(master.start),
                          utc_text(master.end))
        gaps = journal.recording_gaps(cam, request.start, request.end)
        parts.append(CameraPart(
            cam, *cameras.get(cam, (cam, "")),
            tuple(_holes(cam, covered, request.start, request.end, gaps)),
            "" if plans[cam] else "nothing recorded by this site over the range"))
    progress(VIDEO, "documents")
    _stop_if(cancel)
    history = ReplayHistory.load(journal, request.start, request.end, request.officers)
    tracks_dir, journal_dir = work / TRACKS_DIR, work / JOURNAL_DIR
    tracks_dir.mkdir()
    journal_dir.mkdir()
    if request.officers:
        for p in write_tracks(history, list(request.officers), site, tracks_dir,
                              known_callsigns=callsigns):
            files.add(p, TRACKS)
        map_png = tracks_dir / "map.png"
        write_map_image(history, list(request.officers), site, request.start, request.end,
                        map_png, known_callsigns=callsigns, language=request.language)
        files.add(map_png, MAP)
    for p in write_journal_files(history, request.start, request.end, journal_dir, site):
        files.add(p, ACTIONS if p.stem.startswith("action") else ALARMS)
    progress(VIDEO + DOCS, "report")
    _stop_if(cancel)

    def manifest_of(rows: Sequence[PackageFile]) -> Manifest:
        return Manifest(
            site=site.site.name, software_version=software_version,
            exported_by={"user": exporter.login, "name": exporter.name,
                         "role": exporter.role, "workstation": exporter.workstation},
            exported_at=utc_text(datetime.now().astimezone()),
            purpose=(request.purpose + (f": {request.words.strip()}"
                                        if request.words.strip() else "")),
            recipient=request.recipient.strip(),
            range_start=utc_text(request.start), range_end=utc_text(request.end),
            cameras=tuple(parts), officers=request.officers, files=tuple(rows),
            incident=({"id": str(request.incident_id), "title": request.incident_title}
                      if request.incident_id else None),
            hold=None,
            extra={"reference": request.reference.strip()} if request.reference.strip()
            else {})

    report = work / REPORT
    write_report(manifest_of(files.rows), report, site, language=request.language,
                 certificate_fingerprint=fingerprint(key.certificate),
                 timestamped=bool(site.export.tsa_url), known_callsigns=callsigns)
    files.add(report, DOCUMENT)
    manifest = manifest_of(files.rows)
    (work / MANIFEST).write_bytes(manifest.to_bytes())
    (work / SUMS).write_text(sums_text([*files.rows, PackageFile(
        MANIFEST, file_sha256(work / MANIFEST), (work / MANIFEST).stat().st_size, "")]),
        encoding="utf-8", newline="\n")
    sign_manifest(work, key)
    warnings: list[str] = []
    stamped: datetime | None = None
    if site.export.tsa_url:
        chain = site.resolve(site.export.tsa_certificate) if site.export.tsa_certificate \
            else None
        try:
            stamped = timestamp_signature(work, site.export.tsa_url, chain)
        except EvidenceError as e:
            warnings.append(f"the package is signed but not timestamped: {e}")
    progress(VIDEO + DOCS + SEAL, "zip")
    _stop_if(cancel)
    final = root / name
    work.rename(final)
    archive: Path | None = None
    if request.make_zip:
        try:
            archive = _zip(final, root / f"{name}.zip", progress, cancel)
        except BaseException:
            shutil.rmtree(final, ignore_errors=True)
            raise
    progress(1.0, "done")
    return ExportResult(final, archive, manifest, stamped, tuple(warnings))


def _zip(folder: Path, out: Path, progress: Progress, cancel: threading.Event) -> Path:
    """The package folder as one ZIP (stored, not compressed: the videos are already; the
    folder's name is the ZIP's top folder, so unzipping gives the same tree)."""
    partial = out.with_name(out.name + ".partial")
    paths = sorted(p for p in folder.rglob("*") if p.is_file())
    size = sum(p.stat().st_size for p in paths) or 1
    done = 0
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED, allowZip64=True) as z:
        for p in paths:
            _stop_if(cancel)
            z.write(p, f"{folder.name}/{p.relative_to(folder).as_posix()}")
            done += p.stat().st_size
            progress(1 - ZIP + ZIP * done / size, "zip")
    partial.rename(out)
    return out

