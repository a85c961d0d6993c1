"""One evidence export, start to finish, off the GUI thread: the masters, the working copies,
the documents, the report, the manifest, its signature and timestamp, and the ZIP.

The package is written into `<name>.partial/` and renamed when complete: a folder without
that suffix is always a whole, signed package; a cancel or a failure removes the partial
folder (nothing half-made is ever handed over), and one left by a console killed mid-export
is swept at the next start (`sweep_partials`). The access-log row and the hold are the
caller's (Runtime.export_evidence_as), written before this runs, after `check_folder`:
a folder that cannot take the package costs no log row.

A failure says why in the chief's words, not FFmpeg's: a full disk names the folder, a
recording purged or damaged under the export names the camera and the file.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import threading
import time
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
    TIMESTAMP,
    TRACKS,
    TRACKS_DIR,
    TSA_CERTIFICATES,
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
from app.services.evidence.masters import MasterFile, MasterPlan, plan_masters, write_master
from app.services.evidence.report import write_report
from app.services.evidence.request import ExportRequest
from app.services.evidence.signing import sign_manifest
from app.services.evidence.timestamp import timestamp_signature
from app.services.evidence.tracks import write_tracks
from app.services.recorder.segments import sha256_of
from app.services.replay_history import HistoryJournal, ReplayHistory

# the steps' shares of the progress bar (a re-encode costs more than a copy)
VIDEO, DOCS, SEAL, ZIP = 0.75, 0.07, 0.03, 0.15
RE_ENCODE = 4.0  # a second of video re-encoded costs about this many seconds copied
HOLE = timedelta(seconds=1)  # less than this between two masters is not a gap
PARTIAL = ".partial"  # a package, or its ZIP, being written: never a whole one
OWNER = ".export-owner"  # in a partial folder: the host and process writing it
STALE_S = 600.0  # a partial untouched this long, of whatever console, is a dead one's
FULL = (errno.ENOSPC, errno.EDQUOT)
PARTIALS_SWEPT = "export_partials_removed"  # the access log's row for a sweep
DOCS_BYTES = 1_000_000  # the report, the tracks, the map, the journal: well under this

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
        row = PackageFile(path.relative_to(self.root).as_posix(), sha256_of(path),
                          path.stat().st_size, role, camera, start, end)
        self.rows.append(row)
        return row


def package_name(request: ExportRequest) -> str:
    """`20261201T100000Z_incident-12` / `..._judicial`: sorts by time, says what it is."""
    what = (f"incident-{request.incident_id}" if request.incident_id
            else re.sub(r"[^a-z0-9]+", "-", request.purpose.lower()).strip("-") or "export")
    return f"{stamp(request.start)}_{what}"


def _free(root: Path, name: str) -> str:
    n, candidate = 1, name
    while any((root / f"{candidate}{s}").exists() for s in ("", PARTIAL, ".zip")):
        n += 1
        candidate = f"{name}-{n}"
    return candidate


def _holes(covered: Sequence[tuple[datetime, datetime]], start: datetime,
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


def check_folder(root: Path) -> None:
    """The export folder exists (made if need be) and takes a file, or EvidenceError naming
    it: known before the extraction is logged, so a wrong folder costs nothing."""
    if root.exists() and not root.is_dir():
        raise EvidenceError(f"the export folder {root} is a file, not a folder: choose "
                            "another folder")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise EvidenceError(f"the export folder {root} cannot be created "
                            f"({_why(e)}): choose another folder") from None
    probe = root / f".csu-write-test-{os.getpid()}-{threading.get_ident()}"
    try:
        probe.write_bytes(b"csu")
    except OSError as e:
        raise EvidenceError(f"the export folder {root} cannot be written ({_why(e)}): "
                            "choose another folder") from None
    finally:
        probe.unlink(missing_ok=True)


def needed_bytes(request: ExportRequest, journal: RecordingsJournal,
                 masks: Mapping[str, object]) -> int:
    """About what the package takes: the recordings over the range (the masters copy
    them; a masked camera's working copy about as much again), the documents, and as
    much again for the ZIP. An upper bound: the first and last segments are cut."""
    video = sum(s.size * (2 if masks.get(cam) else 1) for cam in request.cameras
                for s in journal.recorded_segments(cam, request.start, request.end))
    return (video + DOCS_BYTES) * (2 if request.make_zip else 1)


def check_room(root: Path, needed: int) -> None:
    """EvidenceError, before anything is logged or written, when the export folder's disk
    cannot hold the package: an hour of copying that ends on a full disk helps no one."""
    try:
        free = shutil.disk_usage(root).free
    except OSError:
        return  # not measurable (some network shares): the copy will tell
    if free < needed:
        raise EvidenceError(f"the disk holding the export folder {root} has {_size(free)} "
                            f"free; this export needs about {_size(needed)}: free some "
                            "space there or choose another folder")


def _why(e: OSError) -> str:
    if e.errno == errno.ENOTDIR:
        return "part of its path is a file"
    if e.errno in FULL:
        return "its disk is full"
    return (e.strerror or str(e)).lower()


def run_export(request: ExportRequest, *, site: Site, journal: RecordingsJournal,
               key: ExportKey, exporter: Exporter, software_version: str,
               progress: Progress, cancel: threading.Event,
               folder: Path | None = None,
               callsigns: Mapping[str, str] | None = None,
               cameras: Mapping[str, tuple[str, str]] | None = None,
               hold_id: int | None = None) -> ExportResult:
    """Write the package (blocking: a worker thread's). `callsigns`, `cameras` (id: name,
    kind): the officers and cameras as announced (an adapter's are not in the site file).
    `hold_id`: the judicial hold placed on the range for this export, named in it.
    Raises EvidenceCancelled when
    `cancel` is set, EvidenceError when something cannot be made; either way nothing of
    this export is left on disk. The caller has checked the folder (`check_folder`,
    `check_room`) before it logged the extraction."""
    root = folder or site.export.folder_path()
    name = _free(root, package_name(request))
    work = root / f"{name}{PARTIAL}"
    try:
        work.mkdir()
        (work / OWNER).write_text(f"{socket.gethostname()} {os.getpid()}", encoding="utf-8")
        return _write(request, site, journal, key, exporter, software_version,
                      _forward_only(progress), cancel, root, name, work, dict(callsigns or {}),
                      {**{c.id: (c.name, c.kind.value) for c in site.cameras},
                       **(cameras or {})}, hold_id)
    except BaseException as e:
        shutil.rmtree(work, ignore_errors=True)
        (root / f"{name}.zip{PARTIAL}").unlink(missing_ok=True)
        plain = _plain(e, root)
        if plain is e:
            raise
        raise plain from e


def _forward_only(progress: Progress) -> Progress:
    """The bar never goes back, not even by a rounding error (0.7500000000000001 for the
    video's share, then 0.75 for the documents' start)."""
    top = 0.0

    def report(fraction: float, step: str) -> None:
        nonlocal top
        top = max(top, min(fraction, 1.0))
        progress(top, step)
    return report


def _plain(e: BaseException, root: Path) -> BaseException:
    """The failure in the chief's words: a full disk is said so (FFmpeg, the PDF writer,
    the ZIP each say it their own way), naming the folder."""
    if isinstance(e, EvidenceCancelled):
        return e
    if _says_full(e):
        try:
            free = (f" ({_size(shutil.disk_usage(root).free)} free once this export's "
                    "files were removed)")
        except OSError:
            free = ""
        return EvidenceError(f"the disk holding the export folder {root} is full{free}: "
                             "free some space there or choose another folder, then export "
                             "again")
    if isinstance(e, OSError):
        where = f" ({e.filename})" if e.filename else ""
        return EvidenceError(f"the export folder {root} cannot be written{where}: "
                             f"{_why(e)}")
    return e


def _says_full(e: BaseException) -> bool:
    """A full disk, as an OSError or in FFmpeg's or a library's own words."""
    return (isinstance(e, OSError) and e.errno in FULL) or any(
        words in str(e) for words in ("No space left on device", "Disk quota exceeded"))


def _size(n: int) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB"


def sweep_partials(root: Path, stale_s: float = STALE_S) -> list[str]:
    """Remove what a console killed mid-export (a power cut, a hard kill) left in `root`:
    `*.partial` folders and `*.zip.partial` files, never whole packages. One of this
    machine whose writer is no more goes at once; another's (a shared folder) only once
    untouched for `stale_s`: it may be another console's export under way. Returns the
    names removed."""
    try:
        candidates = [p for p in root.iterdir() if p.name.endswith(PARTIAL)]
    except OSError:
        return []  # no folder yet: nothing to sweep
    removed: list[str] = []
    for p in candidates:
        if not (_dead_writer(p) or time.time() - _newest(p) > stale_s):
            continue
        try:
            shutil.rmtree(p) if p.is_dir() else p.unlink()
        except OSError:
            continue
        removed.append(p.name)
    return removed


def _dead_writer(partial: Path) -> bool:
    try:
        host, pid = (partial / OWNER).read_text(encoding="utf-8").split()
    except (OSError, ValueError):
        return False
    if host != socket.gethostname() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


def _newest(p: Path) -> float:
    try:
        times = [p.stat().st_mtime, *(q.stat().st_mtime for q in p.rglob("*"))] \
            if p.is_dir() else [p.stat().st_mtime]
    except OSError:
        return time.time()  # changing under us: someone writes it
    return max(times)


def _check_recordings(plan: MasterPlan) -> None:
    """Each segment of `plan` is still there and opens: one purged (the retention runs on
    its own) or damaged since the plan is named, with its camera, in words."""
    for seg in plan.segments:
        path = Path(seg.path)
        try:
            with path.open("rb") as f:
                f.read(1)
        except FileNotFoundError:
            raise EvidenceError(
                f"camera {plan.camera}: the recording {path} is gone (deleted since the "
                "export began, by the retention purge or by hand): export a range still "
                "recorded") from None
        except OSError as e:
            raise EvidenceError(f"camera {plan.camera}: the recording {path} cannot be "
                                f"read ({_why(e)})") from None


def _damaged_recording(plan: MasterPlan) -> EvidenceError | None:
    """After FFmpeg failed on `plan`: the segment that caused it, in words, if one is gone,
    unreadable or not a video any more."""
    import av

    _check_recordings(plan)
    for seg in plan.segments:
        try:
            with av.open(seg.path) as container:
                if not container.streams.video:
                    raise ValueError("no video in it")
                next(container.demux(container.streams.video[0]))
        except (av.error.FFmpegError, OSError, ValueError, StopIteration):
            return EvidenceError(f"camera {plan.camera}: the recording {seg.path} is "
                                 "damaged and cannot be read: export a range without it, "
                                 "or ask the administrator to check the recordings' disk")
    return None


def _master(plan: MasterPlan, video: Path, ffmpeg: str, progress: Callable[[float], None],
            cancel: threading.Event) -> MasterFile:
    _check_recordings(plan)
    try:
        return write_master(plan, video, ffmpeg, progress, cancel)
    except EvidenceError as e:
        if _says_full(e):
            raise
        plain = _damaged_recording(plan)
        if plain is None:
            raise
        raise plain from e


def _stop_if(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise EvidenceCancelled("export cancelled")


def _write(request: ExportRequest, site: Site, journal: RecordingsJournal, key: ExportKey,
           exporter: Exporter, software_version: str, progress: Progress,
           cancel: threading.Event, root: Path, name: str, work: Path,
           callsigns: dict[str, str], cameras: dict[str, tuple[str, str]],
           hold_id: int | None) -> ExportResult:
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
            master = _master(plan, video, site.recording.ffmpeg_exe(),
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
            tuple(_holes(covered, request.start, request.end, gaps)),
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
            purpose=request.purpose.strip(),  # the law's category; the words in `extra`
            recipient=request.recipient.strip(),
            range_start=utc_text(request.start), range_end=utc_text(request.end),
            cameras=tuple(parts), officers=request.officers, files=tuple(rows),
            incident=({"id": str(request.incident_id), "title": request.incident_title}
                      if request.incident_id else None),
            hold=hold_id,
            extra={k: v for k, v in (("purpose_detail", request.words.strip()),
                                     ("reference", request.reference.strip())) if v})

    def seal(timestamped: bool) -> Manifest:
        """The report, the manifest over every file and the report, SHA256SUMS, the
        signature. The report is in the manifest, which the signature covers, and the
        stamp covers the signature: the report is written before the stamp is known."""
        rows = [r for r in files.rows if r.role != DOCUMENT]
        files.rows[:] = rows
        report = work / REPORT
        write_report(manifest_of(rows), report, site, language=request.language,
                     certificate_fingerprint=fingerprint(key.certificate),
                     timestamped=timestamped, known_callsigns=callsigns)
        files.add(report, DOCUMENT)
        manifest = manifest_of(files.rows)
        (work / MANIFEST).write_bytes(manifest.to_bytes())
        (work / SUMS).write_text(sums_text([*files.rows, PackageFile(
            MANIFEST, sha256_of(work / MANIFEST), (work / MANIFEST).stat().st_size, "")]),
            encoding="utf-8", newline="\n")
        sign_manifest(work, key)
        return manifest

    # the report says "timestamped" only if the stamp is there: it is written as if it
    # will be, and when the authority does not stamp, written again without the claim
    # (and the manifest and signature with it), so no package claims a missing stamp
    manifest = seal(timestamped=bool(site.export.tsa_url))
    warnings: list[str] = []
    stamped: datetime | None = None
    if site.export.tsa_url:
        chain = site.resolve(site.export.tsa_certificate) if site.export.tsa_certificate \
            else None
        try:
            stamped = timestamp_signature(work, site.export.tsa_url, chain)
        except EvidenceError as e:
            warnings.append(f"the package is signed but not timestamped: {e}")
            for leftover in (TIMESTAMP, TSA_CERTIFICATES):
                (work / leftover).unlink(missing_ok=True)
            _stop_if(cancel)
            manifest = seal(timestamped=False)
    (work / OWNER).unlink(missing_ok=True)
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
    partial = out.with_name(out.name + PARTIAL)
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

