"""From a run's folder to index rows: completed segments from the segment list, and the
trailing partial one a killed FFmpeg left (its length probed from its last packet).

Hashing reads whole files: it runs on the recorder's own threads, never on a GUI thread.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app.core.recording import RecordingRun, Segment
from app.services.recorder.ffmpeg import LIST_NAME, ListEntry, list_entry

log = logging.getLogger(__name__)
CHUNK = 1 << 20


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


def utc(epoch_s: float) -> datetime:
    return datetime.fromtimestamp(epoch_s, UTC)


def media_seconds(path: Path) -> float | None:
    """How much video a (possibly cut) fragmented MP4 holds: its last packet's pts plus
    duration, in seconds (None: no packet could be read). PyAV reads the fragments that
    were flushed; a torn last fragment is skipped by the demuxer."""
    import av  # only here: recovery is rare, and the recorder starts without it

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            base = stream.time_base
            last = None
            try:
                for packet in container.demux(stream):
                    if packet.pts is not None and packet.size:
                        last = packet.pts + (packet.duration or 0)
            except av.error.FFmpegError as exc:  # torn at the end: keep what was read
                log.debug("recording %s ends torn: %s", path, exc)
            if last is None or base is None:
                return None
            return float(last * base)
    except (av.error.FFmpegError, IndexError, OSError) as exc:
        log.info("recording %s holds no readable video: %s", path, exc)
        return None


def read_list(folder: Path) -> list[ListEntry]:
    """The completed segments a run's list names so far (a torn last line is skipped)."""
    try:
        text = (folder / LIST_NAME).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    lines = text.splitlines(keepends=True)
    return [e for line in lines if line.endswith("\n") and (e := list_entry(line))]


@dataclass
class RunFiles:
    """What of a run has been indexed, so each segment is hashed once."""

    run: RecordingRun
    indexed: set[str] = field(default_factory=set)
    last_end: datetime | None = None
    listed: int = -1  # the list's size when last read: read again only when it grew

    def current(self) -> Path:
        """The segment FFmpeg writes now: the one after those its list names (no folder
        scan at every look)."""
        return self.folder / f"{len(self.indexed):06d}.mp4"

    @property
    def folder(self) -> Path:
        return Path(self.run.folder)

    def segment(self, entry: ListEntry) -> Segment | None:
        """The index row of a completed segment (None: its file is gone)."""
        assert self.run.anchor is not None
        anchor = self.run.anchor.timestamp()
        path = self.folder / entry.name
        try:
            size = path.stat().st_size
            digest = sha256_of(path)
        except FileNotFoundError:
            return None
        return Segment(self.run.camera, utc(anchor + entry.start_s), utc(anchor + entry.end_s),
                       str(path), size, digest, self.run.storage)

    def completed(self) -> list[Segment]:
        """Segments the list names that were not indexed yet."""
        if self.run.anchor is None:
            return []
        try:
            size = (self.folder / LIST_NAME).stat().st_size
        except FileNotFoundError:
            return []
        if size == self.listed:
            return []
        self.listed = size
        out = []
        for entry in read_list(self.folder):
            if entry.name in self.indexed:
                continue
            seg = self.segment(entry)
            self.indexed.add(entry.name)
            if seg is not None:
                out.append(seg)
                self.last_end = max(self.last_end or seg.end, seg.end)
        return out

    def leftovers(self) -> list[Segment]:
        """After FFmpeg is gone (killed, or the recorder was): the list's last lines and the
        trailing files it never listed, each marked partial, starting where the one
        before ended."""
        out = self.completed()
        if self.run.anchor is None:
            return out
        entries = read_list(self.folder)
        start = utc(self.run.anchor.timestamp() + (entries[-1].end_s if entries else 0.0))
        for path in sorted(self.folder.glob("*.mp4")):
            if path.name in self.indexed:
                continue
            self.indexed.add(path.name)
            seconds = media_seconds(path)
            if not seconds:
                continue
            seg = Segment(self.run.camera, start, start + timedelta(seconds=seconds),
                          str(path), path.stat().st_size, sha256_of(path), self.run.storage,
                          partial=True)
            out.append(seg)
            self.last_end = max(self.last_end or seg.end, seg.end)
            start = seg.end
        return out
