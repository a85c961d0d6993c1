"""A frozen console (the PyInstaller one-folder bundle) plays and records with the libvlc and
the FFmpeg it carries, never with whatever the machine has: an operator's workstation has no
VLC installed, and one that has another version must not change what the console does.

`use_bundled_tools()` runs first in `app.main.main()`, before anything imports python-vlc or
imageio-ffmpeg (both read their environment variables once, at import). Where the bundle
keeps them is `packaging/csu-console.spec`'s business; this module only looks there.
Qt-free; a no-op when run from a source tree or a venv.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# Where the spec puts them, relative to the bundle's root (sys._MEIPASS, `_internal`).
VLC_LIBS = ("vlc/libvlc.dll", "libvlc.so.5", "vlc/libvlc.so.5")
VLC_PLUGINS = "vlc/plugins"
FFMPEG_DIR = "imageio_ffmpeg/binaries"


@dataclass(frozen=True, slots=True)
class BundledTools:
    """What the bundle holds; None where it lacks a tool (the console then says so itself:
    the video engine's and the recorder's own messages name what is missing)."""

    root: Path
    libvlc: Path | None
    vlc_plugins: Path | None
    ffmpeg: Path | None


def bundle_root() -> Path | None:
    """The bundle's folder of libraries and data, or None when not frozen."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))


def find_tools(root: Path) -> BundledTools:
    libvlc = next((root / p for p in VLC_LIBS if (root / p).is_file()), None)
    plugins = root / VLC_PLUGINS
    ffmpeg_dir = root / FFMPEG_DIR
    ffmpegs = sorted(ffmpeg_dir.glob("ffmpeg*")) if ffmpeg_dir.is_dir() else []
    return BundledTools(root, libvlc, plugins if plugins.is_dir() else None,
                        ffmpegs[0] if ffmpegs else None)


def point_at(tools: BundledTools, environ: MutableMapping[str, str]) -> None:
    """Set the variables python-vlc, libvlc and imageio-ffmpeg read to the bundle's own."""
    if tools.libvlc is not None:
        environ["PYTHON_VLC_LIB_PATH"] = str(tools.libvlc)
    if tools.vlc_plugins is not None:
        environ["PYTHON_VLC_MODULE_PATH"] = str(tools.vlc_plugins)
        environ["VLC_PLUGIN_PATH"] = str(tools.vlc_plugins)
    if tools.ffmpeg is not None:
        environ["IMAGEIO_FFMPEG_EXE"] = str(tools.ffmpeg)


_found: BundledTools | None = None


def use_bundled_tools() -> BundledTools | None:
    """In a bundle: make this process (and its children) use the bundle's libvlc and FFmpeg.
    Returns what it found, None when not frozen."""
    global _found
    root = bundle_root()
    if root is None:
        return None
    _found = find_tools(root)
    point_at(_found, os.environ)
    if sys.platform == "win32" and _found.libvlc is not None:
        # libvlc.dll loads libvlccore.dll beside it
        os.add_dll_directory(str(_found.libvlc.parent))
    return _found


def log_origin() -> None:
    """One line in the log saying which libvlc and FFmpeg this run uses (support's first
    question); call once logging is set up."""
    if _found is None:
        return
    missing = [name for name, p in (("libvlc", _found.libvlc), ("VLC plugins",
               _found.vlc_plugins), ("FFmpeg", _found.ffmpeg)) if p is None]
    log.info("bundle %s: libvlc %s, VLC plugins %s, FFmpeg %s", _found.root,
             _found.libvlc, _found.vlc_plugins, _found.ffmpeg)
    if missing:
        log.error("this bundle lacks %s: rebuild it with packaging/csu-console.spec",
                  ", ".join(missing))
