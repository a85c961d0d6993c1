"""A fresh Debian machine gets everything the console and its tests need from
`bash packaging/dev.sh test` (issue 8, section 1).

The failure this guards: `timeoverlay` lives in Debian's gstreamer1.0-x, which dev.sh did
not install; the CI machine had it by chance, so CI stayed green while a fresh machine got
503 from every RTSP test. Each test here maps what is needed (derived from the source where
the source says it) to the file that provides it on THIS machine, that file to its Debian
package (`dpkg -S`), and fails naming the package when dev.sh's APT_PACKAGES neither lists
it nor pulls it in through Depends (`--no-install-recommends`: Recommends do not count).
"""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.debian import (
    Coverage,
    apt_packages,
    gstreamer_element_packages,
    has_dpkg,
    uncovered,
)
from tests.servers.rtsp import SYSTEM_PYTHON
from tests.system_needs import (
    REPO,
    commands,
    gi_users,
    gst_elements,
    imports_of,
    pipeline_elements,
    pyside_modules,
    python_files,
)

pytestmark = pytest.mark.skipif(not has_dpkg(), reason="not a Debian system (no dpkg-query)")

VLC_PLUGINS = Path("/usr/lib/x86_64-linux-gnu/vlc/plugins")

# The libvlc modules the console uses, chosen from widgets/video/engine.py and
# engines/libvlc.py (MJPEG over HTTP and files, drawn into a native X11 child window with
# --no-xlib, snapshots) and checked against what libvlc reports it uses
# (`test_libvlc_uses_only_the_modules_named_here`): plugin file, module name as libvlc logs
# it ("using ... module NAME"), why.
LIBVLC_MODULES: tuple[tuple[str, str, str], ...] = (
    ("access/libhttp_plugin.so", "access", "HTTP: MJPEG cameras and the demo camera server"),
    ("access/libfilesystem_plugin.so", "filesystem", "local files (recorded segments)"),
    ("stream_filter/libprefetch_plugin.so", "prefetch", "read-ahead of network streams"),
    ("stream_filter/libcache_read_plugin.so", "cache_read", "read cache of files"),
    ("stream_filter/librecord_plugin.so", "record", "loaded on every input"),
    ("demux/libmjpeg_plugin.so", "mjpeg", "multipart/x-mixed-replace JPEG streams"),
    ("demux/libmp4_plugin.so", "mp4", "MP4 recordings and exports"),
    ("codec/libavcodec_plugin.so", "avcodec", "JPEG and H.264 decoding"),
    ("codec/libpng_plugin.so", "png", "snapshots (wall tools) are written as PNG"),
    ("video_chroma/libswscale_plugin.so", "swscale", "decoded YUV to the X11 output's RGB"),
    ("video_chroma/libchain_plugin.so", "chain", "conversions in more than one step"),
    ("video_chroma/libyuvp_plugin.so", "yuvp", "tried for every conversion"),
    ("vaapi/libvaapi_filters_plugin.so", "vaapi_filters", "tried for every conversion"),
    ("video_output/libxcb_window_plugin.so", "xcb_window", "the tile's native window "
     "(set_xwindow)"),
    ("video_output/libxcb_x11_plugin.so", "xcb_x11", "X11 output needing neither OpenGL nor "
     "Xv (Xvfb, workstations without a GPU)"),
    ("video_output/libxcb_xv_plugin.so", "xcb_xv", "XVideo output, where the X server has it"),
    ("text_renderer/libfreetype_plugin.so", "freetype", "opened with every video output"),
    ("audio_output/libalsa_plugin.so", "alsa", "opened by every player despite --no-audio"),
    ("audio_output/libpulse_plugin.so", "pulse", "the same, where PulseAudio runs"),
    ("misc/libxdg_screensaver_plugin.so", "xdg", "screensaver inhibition while playing"),
    ("keystore/libmemory_keystore_plugin.so", "memory", "libvlc's credential store"),
    ("logger/libconsole_logger_plugin.so", "console", "libvlc's log (-vv)"),
    ("misc/libxml_plugin.so", "xml", "XML reader libvlc opens for network inputs"),
)

# Programs run by the harness that no source names as a literal (the ones pytest-xvfb's
# PyVirtualDisplay runs by name, xdpyinfo and xauth, are read from its source).
HARNESS_COMMANDS = {
    "Xvfb": "pytest-xvfb starts it for the GUI tests",
    "xvfb-run": "`dev.sh demo` runs the console under it on a machine without a display",
    "bash": "dev.sh itself",
    # PyInstaller, building packaging/csu-console.spec in tests/bundle, reads every binary
    # with these (it stops at once without objdump)
    "objdump": "PyInstaller (tests/bundle builds the bundle)",
    "ldd": "PyInstaller (tests/bundle builds the bundle)",
}

QT_PLUGIN_GLOBS = ("platforms/libqxcb.so", "platforms/libqoffscreen.so",
                   "xcbglintegrations/*.so", "imageformats/*.so", "iconengines/*.so")


@pytest.fixture(scope="module")
def coverage() -> Coverage:
    return Coverage(apt_packages())


def test_the_package_list_is_read_from_dev_sh(tmp_path: Path) -> None:
    listed = apt_packages()
    assert {"xvfb", "mosquitto", "gstreamer1.0-tools", "libvlc5"} <= set(listed)
    assert not [p for p in listed if not re.fullmatch(r"[a-z0-9][a-z0-9.+-]+", p)], listed
    script = tmp_path / "dev.sh"
    script.write_text("#!/usr/bin/env bash\nAPT_PACKAGES=(\n  a b  # b's reason (with c)\n"
                      "  # d is not a package\n  e\n)\nAPT_PACKAGES+=(f)\n")
    assert apt_packages(script) == ["a", "b", "e", "f"]


def test_pipelines_are_read_like_gst_launch_reads_them() -> None:
    launch = ('( appsrc name=src is-live=true caps=video/x-raw,format=I420,width={} '
              '! timeoverlay valignment=bottom font-desc="Sans 14" '
              '! x264enc tune=zerolatency ! rtph264pay name=pay0 pt=96 )')
    assert pipeline_elements(launch) == ["appsrc", "timeoverlay", "x264enc", "rtph264pay"]
    assert pipeline_elements("filesrc location=a.mp4 ! qtdemux name=d d.video_0 ! queue "
                             "! fakesink") == ["filesrc", "qtdemux", "queue", "fakesink"]
    assert pipeline_elements("{} ! x264enc") == ["{}", "x264enc"]
    assert pipeline_elements("Attention ! Alarme") is None
    assert pipeline_elements("no pipeline here") is None
    assert pipeline_elements("ready!") is None


def test_gstreamer_elements_come_from_listed_packages(coverage: Coverage) -> None:
    """Every element of every pipeline in the source (test servers, benches), mapped
    element -> plugin file (gst-inspect-1.0) -> Debian package."""
    found = gst_elements(skip=(Path(__file__).resolve(),))  # not the examples above
    assert any(w.startswith("tests/servers/") for ws in found.names.values() for w in ws), (
        "no pipeline found in tests/servers: the reader is broken")
    assert not found.unreadable, "\n".join(found.unreadable)
    inspect = shutil.which("gst-inspect-1.0")
    assert inspect, "gst-inspect-1.0 is missing: install gstreamer1.0-tools (dev.sh lists it)"
    items, problems = {}, []
    for element, where in sorted(found.names.items()):
        out = subprocess.run([inspect, element], capture_output=True, text=True, check=False,
                             env={**os.environ, "GST_DEBUG": "0"}).stdout
        m = re.search(r"^\s*Filename\s+(\S+)", out, re.MULTILINE)
        if not m:
            shipped_by = sorted(gstreamer_element_packages().get(element, ()))
            which = (f"Debian's {' or '.join(shipped_by)} has it: add "
                     f"{shipped_by[0]} to APT_PACKAGES" if shipped_by else
                     "install its plugin package and add that package to APT_PACKAGES")
            problems.append(f"GStreamer element {element} ({where[0]}) is not on this machine "
                            f"(gst-inspect-1.0 does not know it); {which}")
            continue
        items[f"GStreamer element {element} ({where[0]})"] = m.group(1)
    problems += uncovered(items, coverage)
    assert not problems, "\n".join(problems)


def test_an_element_missing_here_is_named_with_its_package() -> None:
    """On a machine without the plugin (the fresh machine of issue 8), the failure still
    names the package, from Debian's own metadata."""
    shipped = gstreamer_element_packages()
    if not shipped:
        pytest.skip("apt has no package lists here (apt-get update)")
    assert shipped.get("timeoverlay") == {"gstreamer1.0-x"}


def test_debian_python_modules_come_from_listed_packages(coverage: Coverage) -> None:
    """What the scripts run by Debian's Python import (python3-gi, the GstRtspServer
    typelib...): a pip venv has no `gi`, so these come from Debian or nowhere."""
    users = gi_users()
    assert users, "no script imports gi: the reader is broken"
    assert Path(SYSTEM_PYTHON).exists(), f"{SYSTEM_PYTHON} is missing (dev.sh lists python3)"
    local = {p.name for p in REPO.iterdir()} | {p.stem for p in REPO.iterdir()}
    probe = ("import importlib.util, sys\nfor m in sys.argv[1:]:\n"
             "    s = None if m in sys.stdlib_module_names else importlib.util.find_spec(m)\n"
             "    print(m, s.origin if s and s.origin else '-')\n")
    items, problems = {}, []
    for path in users:
        found = imports_of(path)
        mods = [m for m in found.names if not m.startswith("typelib:") and m not in local
                and m != "__future__"]
        out = subprocess.run([SYSTEM_PYTHON, "-c", probe, *mods], capture_output=True,
                             text=True, check=True).stdout
        for line in out.splitlines():
            mod, origin = line.split(" ", 1)
            if origin != "-":
                items[f"module {mod} for Debian's Python ({found.names[mod][0]})"] = origin
        for name in (m for m in found.names if m.startswith("typelib:")):
            typelib = name.split(":", 1)[1] + ".typelib"
            hits = glob.glob(f"/usr/lib/*/girepository-1.0/{typelib}") + glob.glob(
                f"/usr/lib/girepository-1.0/{typelib}")
            if hits:
                items[f"GObject typelib {typelib} ({found.names[name][0]})"] = hits[0]
            else:
                problems.append(f"GObject typelib {typelib} ({found.names[name][0]}) is not on "
                                "this machine: install its gir1.2-* package and list it")
    problems += uncovered(items, coverage)
    assert not problems, "\n".join(problems)


def test_libvlc_plugins_come_from_listed_packages(coverage: Coverage) -> None:
    items, problems = {}, []
    for rel, module, why in LIBVLC_MODULES:
        path = VLC_PLUGINS / rel
        if path.exists():
            items[f"libvlc module {module} ({why})"] = str(path)
        else:
            problems.append(f"libvlc module {module} ({why}): {path} is missing")
    problems += uncovered(items, coverage)
    assert not problems, "\n".join(problems)


def test_postgresql_programs_come_from_listed_packages(coverage: Coverage) -> None:
    """The server programs the PostgreSQL harness runs (tests/servers/postgres.py, issue 10):
    Debian keeps them off PATH in /usr/lib/postgresql/<version>/bin, where the command
    reader above does not look; this machine had them from a manual install, which a fresh
    machine would not."""
    from tests.servers.postgres import PG_PROGRAMS, pg_bin_dir

    folder = pg_bin_dir()
    assert {"initdb", "postgres"} <= set(PG_PROGRAMS), PG_PROGRAMS
    items, problems = {}, []
    for program in PG_PROGRAMS:
        path = folder / program
        if path.exists():
            items[f"PostgreSQL's {program} (tests/servers/postgres.py)"] = str(path)
        else:
            problems.append(f"PostgreSQL's {program} (tests/servers/postgres.py): {path} is "
                            "missing: install Debian's postgresql and add it to APT_PACKAGES")
    problems += uncovered(items, coverage)
    if problems:  # the versioned package changes with each Debian release; the metapackage not
        problems.append("list Debian's `postgresql` in APT_PACKAGES: the metapackage of the "
                        "release's supported version, which pulls in postgresql-<version>")
    assert not problems, "\n".join(problems)


def test_openldap_programs_come_from_listed_packages(coverage: Coverage) -> None:
    """The server programs the directory harness runs (tests/servers/slapd.py, issue 11):
    Debian keeps slapd and slapadd in /usr/sbin, off a non-root user's PATH, where the
    command reader above may not find them."""
    from tests.servers.slapd import SLAPD_PROGRAMS, slapd_bin_dir

    folder = slapd_bin_dir()
    assert {"slapd", "slapadd"} <= set(SLAPD_PROGRAMS), SLAPD_PROGRAMS
    items, problems = {}, []
    for program in SLAPD_PROGRAMS:
        path = folder / program
        if path.exists():
            items[f"OpenLDAP's {program} (tests/servers/slapd.py)"] = str(path)
        else:
            problems.append(f"OpenLDAP's {program} (tests/servers/slapd.py): {path} is "
                            "missing: install Debian's slapd and add it to APT_PACKAGES")
    problems += uncovered(items, coverage)
    assert not problems, "\n".join(problems)


def _pyside_dir() -> Path:
    import PySide6

    return Path(PySide6.__file__).parent


def _ldd(binary: Path) -> dict[str, str]:
    """{soname: path or "" when not found} of `binary` and everything it loads."""
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True,
                         check=False).stdout
    libs = {}
    for line in out.splitlines():
        m = re.match(r"\s*(\S+)\s+=>\s+(not found|\S+)", line)
        if m:
            libs[m.group(1)] = "" if m.group(2) == "not found" else m.group(2)
    return libs


def test_qt_system_libraries_come_from_listed_packages(coverage: Coverage) -> None:
    """The system libraries of PySide6's xcb and offscreen platforms, GL integrations,
    image formats, QtWebEngineProcess and every Qt module the code imports (`ldd`); the
    ones PySide6 ships itself do not count."""
    pyside = _pyside_dir()
    plugins = pyside / "Qt" / "plugins"
    binaries = [Path(p) for pattern in QT_PLUGIN_GLOBS for p in glob.glob(str(plugins / pattern))]
    binaries.append(pyside / "Qt" / "libexec" / "QtWebEngineProcess")
    modules = pyside_modules().names
    binaries += [pyside / f"{mod}.abi3.so" for mod in modules]
    if "QtMultimedia" in modules:
        binaries += [Path(p) for p in glob.glob(str(plugins / "multimedia" / "*.so"))]
    assert any(b.name == "libqxcb.so" for b in binaries), "PySide6 without its xcb platform?"
    items, problems = {}, []
    for binary in binaries:
        assert binary.exists(), binary
        for soname, path in _ldd(binary).items():
            if not path:
                problems.append(f"{soname}, needed by {binary.name}, is not on this machine: "
                                "install the Debian package that has it and list it")
            elif Path(path).resolve().is_relative_to(pyside.parent):
                continue  # shipped in the wheel
            else:
                items.setdefault(f"{soname} (needed by {binary.name})", path)
    problems += uncovered(items, coverage)
    assert not problems, "\n".join(problems)


def _harness_sources() -> list[Path]:
    """pytest-xvfb and the PyVirtualDisplay it drives: read, not imported."""
    files: list[Path] = []
    for name in ("pytest_xvfb", "pyvirtualdisplay"):
        spec = importlib.util.find_spec(name)
        assert spec is not None, f"{name} is not installed"
        assert spec.origin, name
        origin = Path(spec.origin)
        files += sorted(origin.parent.glob("*.py")) if origin.name == "__init__.py" else [origin]
    return files


def test_commands_the_tests_run_come_from_listed_packages(coverage: Coverage) -> None:
    """Commands in the tests' source and in the display harness's (pytest-xvfb)."""
    found = commands(python_files(("tests",)) + _harness_sources())
    assert "mosquitto_pub" in found.names, "the command reader misses the MQTT tests"
    assert "xdpyinfo" in found.names, "the command reader misses pytest-xvfb's X check"
    items, problems = {}, []
    wanted = {name: where[0] for name, where in found.names.items()}
    wanted.update(HARNESS_COMMANDS)
    from tests.servers.postgres import PG_PROGRAMS, pg_bin_dir
    from tests.servers.slapd import SLAPD_PROGRAMS, slapd_bin_dir

    for name in SLAPD_PROGRAMS:  # run by a path built at run time: no literal to read
        wanted.setdefault(name, "tests/servers/slapd.py")
    for name, where in sorted(wanted.items()):
        path = name if name.startswith("/") else shutil.which(name)
        if name in PG_PROGRAMS:  # Debian keeps them off PATH: where the harness finds them
            path = str(pg_bin_dir() / name)
        if name in SLAPD_PROGRAMS:
            path = str(slapd_bin_dir() / name)
        if not path or not Path(path).exists():
            problems.append(f"command {name} ({where}) is not on this machine: install the "
                            "Debian package that has it and add it to APT_PACKAGES")
        else:
            items[f"command {name} ({where})"] = path
    problems += uncovered(items, coverage)
    assert not problems, "\n".join(problems)


@pytest.mark.video
def test_libvlc_uses_only_the_modules_named_here(tmp_path: Path) -> None:
    """Play what the console plays (MJPEG over HTTP from the demo camera server, through
    the console's own engine set-up) with libvlc's log on, and take a snapshot: every
    module libvlc says it uses must be in LIBVLC_MODULES, so the package test above
    covers it. A new kind of stream or output shows up here first."""
    from app.adapters.demo.camera_server import CameraServerProcess, SyntheticCamera

    server = CameraServerProcess([SyntheticCamera("cam-1", "CAM 1", "fixed", seed=1)], fps=10)
    server.start()
    try:
        url = server.url("cam-1", "sub")
        result = subprocess.run(
            [sys.executable, "-c", _PLAY, url, str(tmp_path / "snap.png")],
            capture_output=True, text=True, timeout=90, check=False, cwd=REPO,
            env={**os.environ, "CSU_VLC_ARGS": "--no-quiet -vv", "PYTHONPATH": str(REPO)})
    finally:
        server.stop()
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    used = set(re.findall(r'using ([a-z_ 0-9]+?) module "([^"]+)"', result.stderr))
    assert ("vout display", "xcb_x11") in used or ("vout display", "xcb_xv") in used, used
    named = {module for _rel, module, _why in LIBVLC_MODULES}
    unknown = sorted(f"{cap} module {module!r}" for cap, module in used if module not in named)
    assert not unknown, (f"libvlc used {unknown}, which LIBVLC_MODULES does not name: find "
                         f"its plugin file under {VLC_PLUGINS} and add it")


_PLAY = """
import sys, time
from widgets.video import engine
url, snap = sys.argv[1], sys.argv[2]
status = engine.libvlc_status()
if not status.available:
    sys.exit(status.reason)
vlc = engine.vlc_module()
player = engine.instance().media_player_new()
media = engine.instance().media_new(url, *engine.media_options(url))
player.set_media(media)
player.play()
stats = vlc.MediaStats()
deadline = time.monotonic() + 60
while not (media.get_stats(stats) and stats.displayed_pictures > 4):
    if time.monotonic() > deadline:
        sys.exit("no picture within 60 s")
    time.sleep(0.05)
if player.video_take_snapshot(0, snap, 0, 0) != 0:
    sys.exit("snapshot failed")
player.stop()
"""
