"""What an exported video says about itself, in tags ordinary players show, and what a
written file holds (read back from its index, not trusted from the plan).

MP4's own creation time (`mvhd`) keeps whole seconds only: `creation_time` is set, and the
exact UTC start (microseconds) and the camera also go in `title` and `comment`, which
ffprobe prints and VLC shows as Title and Description.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app.core.evidence import EvidenceError

WORKING_COPY_NOTE = ("working copy, privacy masks burned in, re-encoded: not the exhibit "
                     "(the exhibit is the master {master})")


def utc_micro(t: datetime) -> str:
    """ISO 8601 UTC to the microsecond, with a Z."""
    return t.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class VideoTags:
    creation_time: str
    title: str
    comment: str

    def args(self) -> list[str]:
        """FFmpeg's arguments writing these tags, on the file and on its video track."""
        return ["-metadata", f"creation_time={self.creation_time}",
                "-metadata:s:v:0", f"creation_time={self.creation_time}",
                "-metadata", f"title={self.title}", "-metadata", f"comment={self.comment}"]


def master_tags(camera: str, start: datetime) -> VideoTags:
    when = utc_micro(start)
    return VideoTags(when, f"{camera} {when}",
                     f"camera {camera}; first picture {when} (UTC); recorded stream copied, "
                     "never re-encoded: the master exhibit")


def working_copy_tags(master: VideoInfo, master_name: str) -> VideoTags:
    """The master's own creation time and title, and a comment saying what the copy is."""
    note = WORKING_COPY_NOTE.format(master=master_name)
    head = master.comment.split("; recorded stream", 1)[0]
    return VideoTags(master.creation_time, f"{master.title} (masked working copy)",
                     f"{head}; {note}" if head else note)


@dataclass(frozen=True, slots=True)
class VideoInfo:
    """A written MP4's video track: first picture and end (media seconds), pictures, size,
    and the tags it carries."""

    first_s: float
    end_s: float
    frames: int
    width: int
    height: int
    creation_time: str = ""
    title: str = ""
    comment: str = ""


def probe_video(path: Path) -> VideoInfo:
    """Read from the file's index (the `moov` at its front): no packet is read, except to
    count pictures when the index does not say."""
    import av  # the export's worker only

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            base = stream.time_base
            if base is None:
                raise EvidenceError(f"{path.name}: its video has no time base")
            first = float((stream.start_time or 0) * base)
            end = first + float((stream.duration or 0) * base)
            frames = stream.frames or sum(1 for p in container.demux(stream) if p.size)
            meta = dict(container.metadata)
            return VideoInfo(first, end, frames, stream.codec_context.width,
                             stream.codec_context.height, meta.get("creation_time", ""),
                             meta.get("title", ""), meta.get("comment", ""))
    except (av.error.FFmpegError, IndexError, OSError) as e:
        raise EvidenceError(f"{path.name} cannot be read back: {e}") from e
