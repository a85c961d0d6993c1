"""FFmpeg for the recorder: its command line, what its log says, and a child that dies with
its recorder.

The command (verified on this project's machines against a camera's burned-in clock):
packets are stamped with the wall clock as they arrive (`-use_wallclock_as_timestamps`), so
FFmpeg's `start:` is the UTC instant of the stream's time 0 (the run's *anchor*), and a
segment of the CSV list starts at anchor + its CSV start. Each segment's timestamps restart
at 0 (`-reset_timestamps`). `flush_packets=1` inside the muxer's options writes each
fragment at once: a killed FFmpeg leaves a playable partial segment, not 28 bytes.
`-copyts` is NOT used: it left packets without timestamps and one-second segments.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

SEGMENT_PATTERN = "%06d.mp4"
LIST_NAME = "list.csv"
_ANCHOR = re.compile(r"Duration: .*?, start: (-?\d+(?:\.\d+)?)")
_USERINFO = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\s]*@")
PR_SET_PDEATHSIG = 1


def command(exe: str, url: str, folder: Path, segment_s: int, io_timeout_s: float) -> list[str]:
    """FFmpeg's arguments to record `url` into `folder` (its segments and list.csv)."""
    timeout_us = str(int(io_timeout_s * 1_000_000))
    args = [exe, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info"]
    if url.lower().startswith("rtsp"):
        # RTP inside the RTSP connection (firewalls drop UDP); an I/O timeout, without
        # which FFmpeg waits for ever on a camera that stops answering
        args += ["-rtsp_transport", "tcp", "-timeout", timeout_us]
    elif url.lower().startswith("http"):
        args += ["-rw_timeout", timeout_us]
    args += ["-use_wallclock_as_timestamps", "1", "-fflags", "+genpts+discardcorrupt",
             "-i", url, "-map", "0:v", "-c", "copy",
             "-f", "segment", "-segment_time", str(segment_s), "-segment_format", "mp4",
             "-segment_format_options",
             "movflags=+frag_keyframe+empty_moov+default_base_moof:flush_packets=1",
             "-reset_timestamps", "1", "-segment_list", str(folder / LIST_NAME),
             "-segment_list_type", "csv", "-segment_list_flags", "live",
             str(folder / SEGMENT_PATTERN)]
    return args


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` without any URL's user and password, nor any of `secrets` (a password FFmpeg
    might echo outside a URL). Every log line and error of the recorder goes through it."""
    text = _USERINFO.sub(lambda m: m.group("scheme"), text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


def anchor_of(line: str) -> float | None:
    """The wall-clock epoch seconds of the stream's time 0, from FFmpeg's `Input #0` block
    (`  Duration: N/A, start: 1796106839.182900, bitrate: N/A`)."""
    m = _ANCHOR.search(line)
    return float(m.group(1)) if m else None


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One line of the segment list: a completed segment, its start and end in seconds of
    the stream's time (add the run's anchor for UTC)."""

    name: str
    start_s: float
    end_s: float


def list_entry(line: str) -> ListEntry | None:
    """`000001.mp4,5.007022,8.045667` (None: not a complete line)."""
    parts = line.strip().split(",")
    if len(parts) != 3 or not parts[0].endswith(".mp4"):
        return None
    try:
        return ListEntry(parts[0], float(parts[1]), float(parts[2]))
    except ValueError:
        return None


def die_with_parent() -> None:
    """Run in the child before FFmpeg starts (Linux): the kernel kills it with SIGKILL when
    the thread that started it dies, so a killed recorder leaves no FFmpeg writing behind.
    (PR_SET_PDEATHSIG follows the parent *thread*: the supervisor thread that starts an
    FFmpeg lives as long as it.) Windows needs a job object with
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE holding each FFmpeg instead (issue 14)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def child_options(parent_pid: int) -> dict[str, object]:
    """What `subprocess.Popen` needs on this platform for a child that dies with us."""
    platform: str = sys.platform  # not narrowed: both branches are checked on any machine
    if platform.startswith("linux"):
        def preexec() -> None:
            die_with_parent()
            if os.getppid() != parent_pid:  # the recorder died before prctl took effect
                os._exit(1)
        return {"preexec_fn": preexec}
    if platform == "win32":  # a job object is issue 14's; meanwhile no console window
        return {"creationflags": 0x08000000}  # CREATE_NO_WINDOW
    return {"start_new_session": False}
