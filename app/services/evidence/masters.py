"""The master exhibits: a camera's recorded segments over the asked range, copied (never
re-encoded) into ordinary MP4 files that any player opens, one per continuous run.

Why this way:
- The recording is short fragmented MP4 segments (a crash loses seconds); a court's player
  wants one ordinary file. FFmpeg's concat demuxer joins the segments with `-c copy`: the
  video packets' bytes are the camera's, in order; `+faststart` puts the index first.
- A stream copy can only start on a keyframe: the master starts at the keyframe at or
  before the asked start, and says when its first picture really was (`MasterFile.start`,
  the file name and its tags). It ends at the last picture before the asked end.
- Each segment's place on the master's timeline comes from the recording index (its UTC
  start), not from adding up durations: a short hole inside a run stays a hole, and every
  picture's UTC is the master's start plus its media time. A hole longer than GAP_S
  starts a new master: the package lists it as a gap, no player glosses over it.
- A crash-recovered (partial) segment ends in a torn fragment: its corrupt last packet is
  dropped (`+discardcorrupt`; `-auto_convert 0`, else the demuxer's H.264 filter, useless
  from MP4 to MP4, fails on that packet and ends the master) and the segments after it
  still go in. A segment that cannot
  be read at all fails the master (`-xerror`): FFmpeg would otherwise end it there, exit 0,
  and the exhibit would silently miss the rest of the range.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.core.evidence import EvidenceError, stamp
from app.core.recording import Segment
from app.services.evidence import ffmpeg_job
from app.services.evidence.video_tags import master_tags, probe_video

GAP_S = 1.0  # a hole longer than this between two segments starts a new master
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True, slots=True)
class MasterPlan:
    """One continuous run of a camera's segments, cut to the asked range. `start`/`end`
    are the asked range clipped to the run: the master may begin a little earlier (the
    keyframe at or before `start`)."""

    camera: str
    segments: tuple[Segment, ...]
    start: datetime
    end: datetime

    @property
    def duration_s(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True, slots=True)
class MasterFile:
    """A written master: `start` is its first picture's UTC (media time 0), `end` the end
    of its last picture (like Segment.end), `frames` the video pictures in it."""

    path: Path
    camera: str
    start: datetime
    end: datetime
    frames: int


def plan_masters(camera: str, segments: list[Segment], start: datetime,
                 end: datetime) -> list[MasterPlan]:
    """The masters of `camera` over [start, end): its segments overlapping the range,
    split into continuous runs (a hole longer than GAP_S starts a new one), in time order."""
    mine = sorted((s for s in segments
                   if s.camera == camera and s.end > start and s.start < end),
                  key=lambda s: s.start)
    runs: list[list[Segment]] = []
    for seg in mine:
        if runs and (seg.start - runs[-1][-1].end).total_seconds() <= GAP_S:
            runs[-1].append(seg)
        else:
            runs.append([seg])
    return [MasterPlan(camera, tuple(run), max(start, run[0].start), min(end, run[-1].end))
            for run in runs]


def master_name(camera: str, first_picture: datetime) -> str:
    """`<camera>_<stamp>.mp4` (a camera id that is not a safe file name is made one)."""
    return f"{_UNSAFE.sub('_', camera) or 'camera'}_{stamp(first_picture)}.mp4"


def write_master(plan: MasterPlan, out_dir: Path, ffmpeg: str, progress: ffmpeg_job.Progress,
                 cancel: threading.Event) -> MasterFile:
    """Copy `plan` into `out_dir/<camera>_<stamp(first picture)>.mp4`. Raises
    EvidenceCancelled (nothing left behind) or EvidenceError (FFmpeg's last lines)."""
    if not plan.segments:
        raise EvidenceError(f"camera {plan.camera}: nothing recorded to copy")
    first = plan.segments[0]
    cut = keyframe_at_or_before(Path(first.path), (plan.start - first.start).total_seconds())
    origin = first.start + timedelta(seconds=cut.lead_s)
    tail = plan.segments[-1]
    tail_first_s = first_picture_s(Path(tail.path)) if plan.end < tail.end else 0.0
    final = out_dir / master_name(plan.camera, origin)
    part = out_dir / f".{final.name}.part"
    tags = master_tags(plan.camera, origin)
    # -xerror: a segment that cannot be opened fails the export (without it FFmpeg ends the
    # master there and exits 0); a torn fragment's corrupt packet is only dropped
    args = [ffmpeg, "-hide_banner", "-loglevel", "error", "-xerror", *ffmpeg_job.PROGRESS_ARGS,
            "-f", "concat", "-safe", "0", "-auto_convert", "0", "-fflags", "+discardcorrupt",
            "-protocol_whitelist", "file,pipe", "-i", "pipe:0",
            "-map", "0:v", "-map", "0:a?", "-c", "copy", "-map_metadata", "-1",
            *tags.args(), "-movflags", "+faststart", "-f", "mp4", "-y", str(part)]
    ffmpeg_job.run(args, expected_s=max(0.001, (plan.end - origin).total_seconds()),
                   progress=progress, cancel=cancel, outputs=[part],
                   stdin=concat_list(plan, cut, tail_first_s).encode("utf-8"),
                   what=f"master of camera {plan.camera}")
    try:
        video = probe_video(part)
    except EvidenceError:
        part.unlink(missing_ok=True)
        raise
    part.replace(final)
    return MasterFile(final, plan.camera, origin + timedelta(seconds=video.first_s),
                      origin + timedelta(seconds=video.end_s), video.frames)


@dataclass(frozen=True, slots=True)
class Cut:
    """Where a master starts in its first segment: `inpoint`, the keyframe's media time in
    the file (None: from the segment's first picture), `lead_s`, how long after the
    segment's first picture (Segment.start) that keyframe comes."""

    inpoint: float | None = None
    lead_s: float = 0.0


def concat_list(plan: MasterPlan, cut: Cut, tail_first_s: float = 0.0) -> str:
    """The concat demuxer's script: each segment at its UTC place, the first from its
    keyframe, the last to the asked end. The demuxer puts a segment's first picture at the
    script's running `duration` total (or its keyframe, for an `inpoint`): `duration` is
    the time from this segment's first picture (or keyframe) to the next one's.
    `tail_first_s`: the media time of the last segment's first picture."""
    lines = ["ffconcat version 1.0"]
    last = len(plan.segments) - 1
    for i, seg in enumerate(plan.segments):
        lines.append(f"file {_quoted('file:' + Path(seg.path).resolve().as_posix())}")
        lead = cut.lead_s if i == 0 else 0.0
        if i == 0 and cut.inpoint is not None:
            # up to the next microsecond: rounded down, the demuxer's seek would land on the
            # keyframe before
            lines.append(f"inpoint {math.ceil(cut.inpoint * 1e6) / 1e6:.6f}")
        if i < last:
            span = (plan.segments[i + 1].start - seg.start).total_seconds() - lead
            lines.append(f"duration {max(span, 0.0):.6f}")
        elif plan.end < seg.end:
            # in the file's media time (its decoding time: with B-frames a picture or two
            # past the end may come along)
            out = tail_first_s + (plan.end - seg.start).total_seconds()
            lines.append(f"outpoint {out:.6f}")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A token of the concat script: quoted, a quote written as '\\''."""
    return "'" + text.replace("'", "'\\''") + "'"


def first_picture_s(path: Path) -> float:
    """The media time of a segment's first picture (0 unless B-frames shifted it)."""
    import av

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            return float((stream.start_time or 0) * stream.time_base) if stream.time_base else 0.0
    except (av.error.FFmpegError, IndexError, OSError) as e:
        raise EvidenceError(f"recording {path.name} cannot be read: {e}") from e


def keyframe_at_or_before(path: Path, offset_s: float) -> Cut:
    """The last keyframe at or before `offset_s` seconds after a segment's first picture
    (its first keyframe if none is; no cut when the range starts before the segment).
    Media times are the file's: its first picture's is not always 0 (B-frames)."""
    if offset_s <= 0:
        return Cut()
    import av  # the export's worker only: the console starts without it

    first: float | None = None
    found: float | None = None
    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            base = stream.time_base
            if base is None:
                raise EvidenceError(f"recording {path.name}: its video has no time base")
            first = float((stream.start_time or 0) * base)
            target = first + offset_s
            for packet in container.demux(stream):
                if packet.pts is None:
                    continue
                t = float(packet.pts * base)
                if t > target and found is not None:
                    break
                if packet.is_keyframe:
                    found = t
                    if t > target:
                        break
    except (av.error.FFmpegError, IndexError, OSError) as e:
        if found is None:  # a torn end after a keyframe was found is a partial segment's
            raise EvidenceError(f"recording {path.name} cannot be read: {e}") from e
    if found is None or first is None or found <= first:
        return Cut()
    return Cut(found, found - first)
