"""What packaging/csu-console.spec takes from VLC and what it leaves out of the bundle.

VLC's plugins are taken by folder and by name: the console plays network cameras (RTSP,
HTTP, MJPEG, HLS) and local recordings into a native window, without sound, so VLC's
interfaces, scripting, streaming out, discs, capture devices and encoders stay out. Each
plugin left out also leaves out the libraries it would drag in (the Linux bundle's largest
share is the system libraries the kept plugins need). Qt's QML modules stay out (the map
imports QtQuick only to choose its renderer: PyInstaller's hook then takes every QML module
and the Qt libraries they link, Quick 3D, Charts, Graphs...), and so do Qt's translations
other than French and English. Importable without PyInstaller, so a unit test checks the lists.
"""

from __future__ import annotations

import sysconfig
from collections.abc import Callable, Iterable
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath

# PyInstaller's TOC entry: (name in the bundle, source file, type)
Entry = tuple[str, str, str]
QML = "PySide6/Qt/qml/"

# whole folders of VLC's plugins nobody at a console uses
DROPPED_PLUGIN_DIRS = frozenset({
    "gui", "lua", "control", "services_discovery", "meta_engine", "access_output", "mux",
    "stream_out", "visualization", "video_splitter",
})
# single plugins: discs, capture devices, file shares, encoders, GStreamer's own decoders
DROPPED_PLUGINS = (
    "*dvd*", "*bluray*", "*smb*", "*nfs*", "*sftp*", "*dc1394*", "*dv1394*", "*v4l2*",
    "*linsys*", "*dtv*", "*vcd*", "*cdda*", "*jack*", "*xcb_screen*", "*rdp*", "*vnc*",
    "*dsm*", "*mtp*", "*upnp*", "*screen*", "*decklink*", "*gstdecode*", "*x264*", "*x265*",
    "*x26410b*", "*zvbi*", "*aribsub*", "*fluidsynth*", "*kate*", "*schroedinger*",
    "*twolame*", "*shine*", "*qsv*", "*omxil*", "*crystalhd*", "*chromecast*", "*sid_*",
    "*gme_*", "*mod_plugin*", "*mpc_plugin*", "*sdl_image*", "*caca*", "*aa_plugin*",
    "*goom*", "*projectm*", "*notify*", "*skins2*", "*qt_plugin*",
)
KEPT_QT_LANGUAGES = ("fr", "en")


def keep_plugin(relative: str) -> bool:
    """`relative`: a plugin's path under VLC's plugins folder ("codec/libavcodec_plugin.so")."""
    parts = Path(relative).parts
    if len(parts) < 2 or parts[0] in DROPPED_PLUGIN_DIRS:
        return False
    return not any(fnmatch(parts[-1], pattern) for pattern in DROPPED_PLUGINS)


def linux_vlc_dir(explicit: str | None) -> Path:
    """The folder holding libvlc.so.5: VLC_DIR when given, else the system's library folder."""
    if explicit:
        return Path(explicit)
    multiarch = sysconfig.get_config_var("MULTIARCH") or "x86_64-linux-gnu"
    for folder in (f"/usr/lib/{multiarch}", "/usr/lib64", "/usr/lib", "/usr/local/lib"):
        if (Path(folder) / "libvlc.so.5").exists():
            return Path(folder)
    raise SystemExit("no libvlc.so.5 found: install VLC's libvlc (libvlc5, packaging/dev.sh) "
                     "or name its folder with VLC_DIR=")


def vlc_binaries(vlc_dir: str | None, windows: bool) -> list[tuple[str, str]]:
    """(source, folder in the bundle) for libvlc, libvlccore and the kept plugins.
    Windows: VLC_DIR is the unpacked zip (libvlc.dll, plugins\\) and everything goes under
    vlc\\, where libvlccore.dll finds its plugins. Linux: the libraries at the bundle's root
    (no second copy made by the dependency analysis), plugins under vlc/plugins, where
    libvlccore looks beside itself."""
    if windows:
        if not vlc_dir:
            raise SystemExit("set VLC_DIR to VLC's unpacked Windows zip (the folder with "
                             "libvlc.dll and plugins): packaging/windows/BUILD.md")
        base = Path(vlc_dir)
        libs = [base / "libvlc.dll", base / "libvlccore.dll"]
        plugins, lib_dest = base / "plugins", "vlc"
        suffix = ".dll"
    else:
        base = linux_vlc_dir(vlc_dir)
        libs = [base / "libvlc.so.5", base / "libvlccore.so.9"]
        libs += sorted((base / "vlc").glob("libvlc_*.so.0"))  # xcb events, pulse, vdpau
        plugins, lib_dest = base / "vlc" / "plugins", "."
        suffix = ".so"
    missing = [str(p) for p in [*libs, plugins] if not p.exists()]
    if missing:
        raise SystemExit(f"VLC is incomplete here, missing: {', '.join(missing)}")
    found = [(str(lib), lib_dest) for lib in libs]
    for plugin in sorted(plugins.rglob(f"*{suffix}")):
        relative = plugin.relative_to(plugins).as_posix()
        if keep_plugin(relative):
            found.append((str(plugin), f"vlc/plugins/{Path(relative).parent.as_posix()}"))
    return found


def keep_data(dest: str) -> bool:
    """Whether a data file goes in the bundle: Qt's and QtWebEngine's translations only in
    the console's languages."""
    dest = dest.replace("\\", "/")
    if "/qtwebengine_locales/" in dest:
        name = dest.rsplit("/", 1)[-1].removesuffix(".pak")
        return name.split("-")[0] in KEPT_QT_LANGUAGES
    if "/Qt/translations/" in dest and dest.endswith(".qm"):
        stem = dest.rsplit("/", 1)[-1].removesuffix(".qm")
        return stem.rsplit("_", 1)[-1] in KEPT_QT_LANGUAGES
    return True


def _posix(name: str) -> str:
    return name.replace("\\", "/")


def _base(name: str) -> str:
    """A TOC name's file name, whichever separator the build machine used."""
    return PurePosixPath(_posix(name)).name


def is_qt_library(name: str) -> bool:
    base = _base(name)
    return base.startswith("libQt6") or (base.startswith("Qt6") and base.endswith(".dll"))


def without_qml(binaries: Iterable[Entry], imports_of: Callable[[str], Iterable[str]]
                ) -> list[Entry]:
    """The binaries less the QML modules and the Qt libraries only they linked.
    `imports_of(source)`: the library names a binary links (PyInstaller's bindepend)."""
    kept = [e for e in binaries if not _posix(e[0]).startswith(QML)]
    qt = {_base(e[0]): e for e in kept if is_qt_library(e[0])}
    needed: set[str] = set()
    todo = [e[1] for e in kept if not is_qt_library(e[0])]
    while todo:
        for name in imports_of(todo.pop()):
            base = _base(name)
            if base in qt and base not in needed:
                needed.add(base)
                todo.append(qt[base][1])
    return [e for e in kept
            if not is_qt_library(e[0]) or _base(e[0]) in needed]


def drop_qml_data(datas: Iterable[Entry]) -> list[Entry]:
    return [e for e in datas if not _posix(e[0]).startswith(QML)]
