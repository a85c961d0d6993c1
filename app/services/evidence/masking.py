"""The working copy of a master with the site's privacy masks burned in (windows, private
courtyards a camera must not show), for the screens of whoever receives the package.

It is re-encoded (there is no other way to paint over pictures), so it is never the
exhibit: its name, its tags and the manifest say so, and the master stays untouched.
Masks are polygons in fractions of the picture (any shape, not only rectangles): drawn
once into an RGBA picture at the master's size, fed to FFmpeg on stdin and laid over
every frame (`overlay` repeats its last picture to the end). Pictures keep the master's
timestamps (`-fps_mode passthrough`), so a hole stays a hole and UTC = start + media time.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

from app.core.evidence import EvidenceError
from app.services.evidence import ffmpeg_job
from app.services.evidence.video_tags import probe_video, working_copy_tags

Polygon = Sequence[tuple[float, float]]
SUFFIX = "_masked-working-copy.mp4"
CRF = "18"  # visually lossless for a court screen; x264 veryfast keeps it near real time
PRESET = "veryfast"


def working_copy_name(master: Path) -> str:
    return f"{master.stem}{SUFFIX}"


def mask_picture(width: int, height: int, masks: Sequence[Polygon]) -> bytes:
    """RGBA bytes of a `width`x`height` picture: opaque black inside every polygon,
    transparent elsewhere. A point on a polygon's edge is masked (Pillow fills the
    outline too)."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    for polygon in masks:
        if len(polygon) < 3:
            raise EvidenceError("a privacy mask needs at least three points")
        # a fraction 1.0 is the last pixel's far edge
        points = [(x * width, y * height) for x, y in polygon]
        draw.polygon(points, fill=(0, 0, 0, 255), outline=(0, 0, 0, 255))
    return img.tobytes()


def write_masked_copy(master: Path, out: Path, masks: Sequence[Polygon], ffmpeg: str,
                      progress: ffmpeg_job.Progress, cancel: threading.Event) -> Path:
    """Write `out/<master stem>_masked-working-copy.mp4` (`out`: a folder) and return its
    path. Raises EvidenceCancelled (nothing left behind) or EvidenceError."""
    info = probe_video(master)
    final = out / working_copy_name(master)
    if final.resolve() == master.resolve():
        raise EvidenceError(f"the working copy would overwrite its master {master.name}")
    part = out / f".{final.name}.part"
    tags = working_copy_tags(info, master.name)
    args = [ffmpeg, "-hide_banner", "-loglevel", "error", *ffmpeg_job.PROGRESS_ARGS,
            "-i", str(master)]
    stdin: bytes | None = None
    if masks:
        stdin = mask_picture(info.width, info.height, masks)
        args += ["-f", "rawvideo", "-pix_fmt", "rgba", "-s", f"{info.width}x{info.height}",
                 "-i", "pipe:0", "-filter_complex",
                 "[0:v][1:v]overlay=eof_action=repeat:format=auto,format=yuv420p[v]",
                 "-map", "[v]"]
    else:
        args += ["-map", "0:v", "-pix_fmt", "yuv420p"]
    args += ["-map", "0:a?", "-c:a", "copy", "-fps_mode", "passthrough",
             "-c:v", "libx264", "-preset", PRESET, "-crf", CRF, "-map_metadata", "-1",
             *tags.args(), "-movflags", "+faststart", "-f", "mp4", "-y", str(part)]
    ffmpeg_job.run(args, expected_s=max(0.001, info.end_s - info.first_s), progress=progress,
                   cancel=cancel, outputs=[part], stdin=stdin,
                   what=f"masked working copy of {master.name}")
    part.replace(final)
    return final
