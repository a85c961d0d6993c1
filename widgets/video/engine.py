"""Engines and the chooser: the one shared `vlc.Instance`, per-media options, and which
engine plays a URL (libvlc first, FFmpeg through OpenCV where libvlc cannot).

libvlc decodes and draws into a native child window (no pixel passes through Python). One
instance serves every tile: each instance loads the plugin cache and spawns its own
threads, so one per tile would cost start-up time and memory for nothing.

If python-vlc cannot be imported or libvlc cannot be loaded, `libvlc_status()` says so in
one human line (logged once); the wall shows that line in its tiles instead of crashing.

Debian's libvlc is built without live555 and cannot open rtsp:// at all, a machine may
have no libvlc, and libvlc 3 logs in to HTTP cameras with Basic only (it loops on Digest):
`choose()` then hands the stream to the OpenCV/FFmpeg engine
(`widgets.video.engines.opencv`), picked over Qt Multimedia by measurement (FIELD-NOTES:
9 sub-streams 14% of a core against 52%, 134 ms glass-to-glass against 1.1 s, 0.11 s to
open with the low-delay options). `wall_notice()` says it once in the wall's banner.

`diagnose()` asks the camera why a stream does not open, through the console's one stream
client (`app.net.stream_check`, Basic and Digest), the same the RTSP adapter probes with.
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
from urllib.parse import unquote, urlsplit, urlunsplit

from app.net.stream_check import Outcome, ask_blocking

log = logging.getLogger(__name__)

ENGINE_NAME = "libvlc"
OPENCV_ENGINE = "opencv-ffmpeg"
ENGINE_ENV = "CSU_VIDEO_ENGINE"  # "libvlc" or "opencv" forces one engine (benchmarks, debugging)
RTSP_SCHEMES = ("rtsp", "rtsps", "rtspt", "rtspu")
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


@dataclass(frozen=True, slots=True)
class MediaOptions:
    """Per-camera stream options from the site file (`CameraConfig`), for any engine."""

    network_caching_ms: int = DEFAULT_NETWORK_CACHING_MS
    rtsp_tcp: bool = True
    hw_decoding: bool = False


def media_options(
    url: str, *, network_caching_ms: int = DEFAULT_NETWORK_CACHING_MS, extra: tuple[str, ...] = (),
    rtsp_tcp: bool = True, hw_decoding: bool | None = None,
) -> list[str]:
    """Per-media options for one stream (set on the media, not the instance, on purpose:
    libvlc ignores some of them at instance level, e.g. `:avcodec-hw`).

    MJPEG over HTTP (`multipart/x-mixed-replace`) needs no forced demuxer: libvlc's mjpeg
    demux recognises the content type (checked against the demo camera server). RTSP goes
    over TCP: camera networks and firewalls drop RTP over UDP too often.
    """
    opts = [f":network-caching={int(network_caching_ms)}"]
    scheme = urlsplit(url).scheme.lower()
    if scheme in RTSP_SCHEMES and rtsp_tcp:
        opts.append(":rtsp-tcp")
    if hw_decoding is not None:
        opts.append(":avcodec-hw=any" if hw_decoding else ":avcodec-hw=none")
    opts.extend(extra)
    return opts


# what `diagnose()` reports, from the one stream client's outcome
_DIAGNOSIS = {Outcome.OK: "", Outcome.AUTH_REFUSED: "auth", Outcome.NO_LOGIN: "no_login",
              Outcome.NOT_FOUND: "not_found", Outcome.REFUSED: "refused",
              Outcome.UNREACHABLE: "unreachable"}


def diagnose(url: str, timeout_s: float = 2.0) -> str:
    """Why a stream would not open, asked of the server itself (engines only say "could
    not open"): "auth", "no_login", "not_found", "refused", "unreachable", "status NNN",
    or "" (it answers, or we cannot tell). One RTSP DESCRIBE or HTTP GET through the
    console's one stream client (`app.net.stream_check`), logging in with the URL's user
    and password the way the camera asks (Basic or Digest); blocking, so call it off the
    GUI thread."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "rtspt":  # libvlc's name for RTSP over TCP; the check uses TCP anyway
        scheme = "rtsp"
    if scheme not in ("rtsp", "rtsps", "http") or not parts.hostname:
        return ""
    user = unquote(parts.username) if parts.username is not None else None
    password = unquote(parts.password or "") if parts.username is not None else None
    clean = urlunsplit((scheme, *urlsplit(redact_url(url))[1:]))
    answer = ask_blocking(clean, user, password, timeout_s)
    if answer.outcome is Outcome.STATUS:
        return f"status {answer.status}"
    return _DIAGNOSIS.get(answer.outcome, "")


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


def _libvlc_plugin_dirs() -> list[str]:
    """Where this libvlc looks for plugins (environment first, then beside the library)."""
    dirs = [os.environ.get(v, "") for v in ("VLC_PLUGIN_PATH", "PYTHON_VLC_MODULE_PATH")]
    if _vlc is not None:
        dirs.append(str(getattr(_vlc, "plugin_path", "") or ""))
    libs: list[str] = []
    if sys.platform.startswith("linux"):
        try:
            with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
                libs = sorted({line.split()[-1] for line in maps if "libvlccore" in line})
        except OSError:
            pass
    elif _vlc is not None:
        libs = [str(getattr(getattr(_vlc, "dll", None), "_name", "") or "")]
    for lib in libs:
        here = os.path.dirname(lib)
        dirs += [os.path.join(here, "vlc", "plugins"), os.path.join(here, "plugins"),
                 os.path.join(here, "..", "plugins")]
    return [d for d in dirs if d and os.path.isdir(d)]


_rtsp: bool | None = None
_rtsp_known = False


def libvlc_has_rtsp() -> bool:
    """Whether libvlc has its live555 module (the only one that opens rtsp://). Probed once
    by looking for the plugin file; when no plugin folder can be found, trust libvlc."""
    global _rtsp, _rtsp_known
    if not libvlc_status().available:
        return False
    with _lock:
        if not _rtsp_known:
            dirs = _libvlc_plugin_dirs()
            found = any(name.startswith("liblive555_plugin")
                        for d in dirs for _root, _sub, names in os.walk(d) for name in names)
            _rtsp = found or not dirs
            _rtsp_known = True
            if not _rtsp:
                log.warning("this libvlc has no live555 module (looked in %s): rtsp:// goes "
                            "to the FFmpeg engine", dirs)
        return bool(_rtsp)


_cv_status: EngineStatus | None = None


def opencv_status() -> EngineStatus:
    """Whether OpenCV with its FFmpeg backend can play streams here (never raises)."""
    global _cv_status
    if _cv_status is None:
        try:
            import cv2
        except Exception as exc:
            _cv_status = EngineStatus(False, f"OpenCV is not installed ({exc}).")
        else:
            info = cv2.getBuildInformation()
            ffmpeg = any("FFMPEG:" in ln and "YES" in ln for ln in info.splitlines())
            _cv_status = (EngineStatus(True, "", cv2.__version__) if ffmpeg else
                          EngineStatus(False, "this OpenCV is built without FFmpeg."))
            if not ffmpeg:
                log.error("video fallback unavailable: %s", _cv_status.reason)
    return _cv_status


@dataclass(frozen=True, slots=True)
class Choice:
    """The engine for one URL ("" when none can play it) and why, in one line."""

    engine: str
    reason: str = ""


HTTP_LOGIN_WHY = ("libvlc 3 logs in to HTTP cameras with Basic only, and repeats it "
                  "without pause when the camera asks for Digest")


def choose(url: str, *, login: bool = False) -> Choice:
    """libvlc where it can open `url`, else the OpenCV/FFmpeg engine, else none.

    `login`: the camera needs a user name and password (also when the URL carries them).
    Over HTTP, libvlc 3's access answers a login request with Basic only: against a camera
    that asks for Digest it sent Basic 6,717 times in 4 s here (libvlc 3.0.24), a failed
    login each, until the tile gave the attempt up. FFmpeg answers both, so a camera with a
    login over HTTP plays through the OpenCV/FFmpeg engine."""
    forced = os.environ.get(ENGINE_ENV, "").strip().lower()
    vlc_ok = libvlc_status()
    cv_ok = opencv_status()
    if forced.startswith("opencv") and cv_ok.available:
        return Choice(OPENCV_ENGINE, f"{ENGINE_ENV}={forced}")
    if forced == ENGINE_NAME and vlc_ok.available:
        return Choice(ENGINE_NAME, f"{ENGINE_ENV}={forced}")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    rtsp = scheme in RTSP_SCHEMES
    http_login = scheme in ("http", "https") and (login or parts.username is not None)
    if http_login and cv_ok.available:
        return Choice(OPENCV_ENGINE, HTTP_LOGIN_WHY)
    if vlc_ok.available and not (rtsp and not libvlc_has_rtsp()):
        return Choice(ENGINE_NAME)
    why = vlc_ok.reason if not vlc_ok.available else "libvlc here cannot open rtsp:// (no live555)"
    if cv_ok.available:
        return Choice(OPENCV_ENGINE, why)
    return Choice("", f"{why} {cv_ok.reason}")


def engine_version(name: str) -> str:
    """"libvlc 3.0.21" / "opencv-ffmpeg 4.10": for the tile's tooltip."""
    status = libvlc_status() if name == ENGINE_NAME else opencv_status()
    return f"{name} {status.version}".strip()


_said: set[str] = set()


def wall_notice(urls: list[str]) -> str:
    """One line for the wall's banner about the engines these URLs need ("" if all is
    well); each distinct line is also logged once."""
    if not urls:
        return ""
    from PySide6.QtCore import QCoreApplication

    vlc_ok = libvlc_status()
    cv_ok = opencv_status()
    if not vlc_ok.available and not cv_ok.available:
        why = f"{vlc_ok.reason} {cv_ok.reason}" if cv_ok.reason else vlc_ok.reason
        line = QCoreApplication.translate("VideoWall", "Video is unavailable on this workstation: %1").replace("%1", why)  # noqa: E501 - one literal for lupdate
    elif not vlc_ok.available:
        line = QCoreApplication.translate("VideoWall", "libvlc is missing (%1): every camera plays through FFmpeg (OpenCV)."  # noqa: E501 - one literal for lupdate
        ).replace("%1", vlc_ok.reason)
    elif (any(urlsplit(u).scheme.lower() in RTSP_SCHEMES for u in urls)
          and not libvlc_has_rtsp()):
        if not cv_ok.available:
            line = QCoreApplication.translate("VideoWall", "This libvlc cannot open rtsp:// (built without live555) and there is no fallback: %1"  # noqa: E501 - one literal for lupdate
            ).replace("%1", cv_ok.reason)
        else:
            line = QCoreApplication.translate("VideoWall", "This libvlc (%1) cannot open rtsp:// (built without live555): RTSP cameras play through FFmpeg (OpenCV)."  # noqa: E501 - one literal for lupdate
            ).replace("%1", vlc_ok.version)
    else:
        return ""
    if line not in _said:
        _said.add(line)
        log.warning("video engines: %s", line)
    return line


def _reset_for_tests() -> None:
    """Forget the instance and status (tests that fake a missing libvlc)."""
    global _vlc, _instance, _status, _rtsp_known, _cv_status
    with _lock:
        _vlc, _instance, _status = None, None, None
        _rtsp_known, _cv_status = False, None
