"""The libvlc engine: one shared `vlc.Instance`, created on first use, and the per-media options.

libvlc decodes and draws into a native child window (no pixel passes through Python). One
instance serves every tile: each instance loads the plugin cache and spawns its own
threads, so one per tile would cost start-up time and memory for nothing.

If python-vlc cannot be imported or libvlc cannot be loaded, `libvlc_status()` says so in
one human line (logged once); the wall shows that line in its tiles instead of crashing.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

log = logging.getLogger(__name__)

ENGINE_NAME = "libvlc"
DEFAULT_NETWORK_CACHING_MS = 300

# Instance options, each for a reason:
#  --quiet            libvlc's own log lines would flood the console's stderr
#  --no-audio         a video wall is silent; no audio output module is even opened
#  --no-xlib          (X11) keep libvlc off Xlib: Xlib-based outputs would need
#                     XInitThreads() before Qt opens the display; the XCB outputs (xcb_xv,
#                     xcb_x11) need nothing and need no OpenGL (no GPU on many consoles/CI)
#  --no-video-title-show, --no-osd   no file name or volume drawn over the picture
#  --no-snapshot-preview             a snapshot must not pop a thumbnail over the tile
#  --no-stats is NOT given: the watchdog reads the decoded-frame counters
INSTANCE_ARGS: tuple[str, ...] = (
    "--quiet",
    "--no-audio",
    "--no-video-title-show",
    "--no-osd",
    "--no-snapshot-preview",
    "--no-keyboard-events",
    "--no-mouse-events",
)
_X11_ARGS: tuple[str, ...] = ("--no-xlib",)
EXTRA_ARGS_ENV = "CSU_VLC_ARGS"  # e.g. "-vvv" to debug a stream on an installed console


@dataclass(frozen=True, slots=True)
class EngineStatus:
    """Whether libvlc can play, and if not, one line a person can act on."""

    available: bool
    reason: str = ""
    version: str = ""


_lock = threading.Lock()
_vlc: ModuleType | None = None
_instance: Any = None
_status: EngineStatus | None = None


def _load() -> EngineStatus:
    """Import python-vlc and create the instance once; remember why if it fails."""
    global _vlc, _instance, _status
    if _status is not None:
        return _status
    try:
        import vlc
    except ImportError as exc:
        _status = EngineStatus(False, f"python-vlc is not installed ({exc}).")
    except Exception as exc:  # python-vlc raises OSError/NameError/... when libvlc is missing
        _status = EngineStatus(
            False, f"The VLC library (libvlc) cannot be loaded: {exc}. Install VLC 3.x."
        )
    else:
        args = list(INSTANCE_ARGS)
        if sys.platform.startswith("linux"):
            args += _X11_ARGS
        args += shlex.split(os.environ.get(EXTRA_ARGS_ENV, ""))
        try:
            instance = vlc.Instance(args)
        except Exception as exc:
            instance, why = None, str(exc)
        else:
            why = "libvlc_new() returned NULL (see the lines libvlc printed above)"
        if instance is None:
            _status = EngineStatus(False, f"libvlc could not start with {args}: {why}.")
        else:
            _vlc, _instance = vlc, instance
            raw = vlc.libvlc_get_version()
            version = raw.decode() if isinstance(raw, bytes) else str(raw)
            _status = EngineStatus(True, "", version)
            log.info("video engine: libvlc %s, python-vlc %s, args %s",
                     version, getattr(vlc, "__version__", "?"), args)
    if not _status.available:
        log.error("video engine unavailable: %s", _status.reason)
    return _status


def libvlc_status() -> EngineStatus:
    """Whether libvlc is usable here (loads it on the first call; never raises)."""
    with _lock:
        return _load()


def vlc_module() -> ModuleType:
    """The imported python-vlc module; only call when `libvlc_status().available`."""
    with _lock:
        _load()
        if _vlc is None:
            raise RuntimeError(_status.reason if _status else "libvlc unavailable")
        return _vlc


def instance() -> Any:
    """The one shared `vlc.Instance`; only call when `libvlc_status().available`."""
    with _lock:
        _load()
        if _instance is None:
            raise RuntimeError(_status.reason if _status else "libvlc unavailable")
        return _instance


def media_options(
    url: str, *, network_caching_ms: int = DEFAULT_NETWORK_CACHING_MS, extra: tuple[str, ...] = ()
) -> list[str]:
    """Per-media options for one stream (set on the media, not the instance, on purpose:
    libvlc ignores some of them at instance level, e.g. `:avcodec-hw`).

    MJPEG over HTTP (`multipart/x-mixed-replace`) needs no forced demuxer: libvlc's mjpeg
    demux recognises the content type (checked against the demo camera server). RTSP goes
    over TCP: camera networks and firewalls drop RTP over UDP too often.
    """
    opts = [f":network-caching={int(network_caching_ms)}"]
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("rtsp", "rtsps"):
        opts.append(":rtsp-tcp")
    opts.extend(extra)
    return opts


def redact_url(url: str) -> str:
    """The URL without its user and password, for tooltips and logs."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _reset_for_tests() -> None:
    """Forget the instance and status (tests that fake a missing libvlc)."""
    global _vlc, _instance, _status
    with _lock:
        _vlc, _instance, _status = None, None, None
