"""packaging/bundle_parts.py and packaging/bundle_size.py: what the spec takes from VLC (what
plays a camera stays, VLC's Qt interface and encoders go), which Qt translations stay, and
the size report the README quotes."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO


def load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO / "packaging" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


parts = load("bundle_parts")
size = load("bundle_size")


@pytest.mark.parametrize(("plugin", "kept"), [
    ("access/liblive555_plugin.so", True),      # rtsp://
    ("access/libhttp_plugin.so", True),         # MJPEG over HTTP (the demo's cameras)
    ("codec/libavcodec_plugin.so", True),       # H.264, H.265, MJPEG
    ("demux/libes_plugin.so", True),
    ("video_output/libxcb_x11_plugin.so", True),
    ("video_output/libdirect3d11_plugin.dll", True),
    ("gui/libqt_plugin.so", False),             # VLC's own Qt 5 interface
    ("lua/liblua_plugin.so", False),
    ("stream_out/libstream_out_chromecast_plugin.so", False),
    ("access/libdvdnav_plugin.so", False),
    ("codec/libx264_plugin.so", False),         # an encoder
    ("codec/libgstdecode_plugin.so", False),    # GStreamer inside VLC
    ("plugins.dat", False),                     # the cache: rebuilt for the bundle's set
])
def test_the_plugins_that_play_a_camera_stay(plugin: str, kept: bool) -> None:
    assert parts.keep_plugin(plugin) is kept


def test_this_machines_vlc_gives_the_spec_libvlc_and_its_plugins() -> None:
    # Debian's VLC has no live555 (no rtsp://, FIELD-NOTES): the demo's MJPEG over HTTP
    # plays; the Windows build takes VLC's own zip, which has it
    found = parts.vlc_binaries(None, windows=False)
    names = {Path(src).name: dest for src, dest in found}
    assert names["libvlc.so.5"] == "."
    assert names["libvlccore.so.9"] == "."
    assert names["libhttp_plugin.so"] == "vlc/plugins/access"
    assert names["libavcodec_plugin.so"] == "vlc/plugins/codec"
    assert names["libxcb_x11_plugin.so"] == "vlc/plugins/video_output"
    assert "libqt_plugin.so" not in names
    assert len(found) > 100


def test_a_windows_build_without_vlc_dir_says_what_to_set() -> None:
    with pytest.raises(SystemExit, match="set VLC_DIR to VLC's unpacked Windows zip"):
        parts.vlc_binaries(None, windows=True)


def test_an_incomplete_vlc_is_named(tmp_path: Path) -> None:
    (tmp_path / "libvlc.dll").write_bytes(b"")
    with pytest.raises(SystemExit, match=r"missing: .*libvlccore\.dll"):
        parts.vlc_binaries(str(tmp_path), windows=True)


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/translations/qtwebengine_locales/fr.pak", True),
    ("PySide6/Qt/translations/qtwebengine_locales/en-US.pak", True),
    ("PySide6/Qt/translations/qtwebengine_locales/de.pak", False),
    ("PySide6/Qt/translations/qtbase_fr.qm", True),
    ("PySide6/Qt/translations/qtbase_ja.qm", False),
    ("resources/translations/csu_fr.qm", True),
    ("PySide6\\Qt\\translations\\qt_de.qm", False),
])
def test_qt_translations_stay_only_in_the_consoles_languages(dest: str, kept: bool) -> None:
    assert parts.keep_data(dest) is kept


def test_the_size_report_names_what_dominates(tmp_path: Path) -> None:
    files = {"csu-console": 2, "_internal/libvlc.so.5": 1,
             "_internal/vlc/plugins/codec/libavcodec_plugin.so": 5,
             "_internal/PySide6/Qt/lib/libQt6WebEngineCore.so.6": 40,
             "_internal/PySide6/Qt/lib/libQt6Core.so.6": 8,
             "_internal/imageio_ffmpeg/binaries/ffmpeg-linux": 20,
             "_internal/libx265.so.199": 10, "_internal/app/main.pyc": 1}
    for name, mb in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\0" * mb * 1024 * 1024)
    measured = {p.name: p.size // (1024 * 1024) for p in size.measure(tmp_path)}
    assert measured == {"QtWebEngine (Chromium, the map)": 40,
                        "FFmpeg of the recorder (imageio-ffmpeg)": 20,
                        "system libraries (mostly what VLC's plugins link)": 10,
                        "Qt, PySide6 (other)": 8, "libvlc and its plugins": 6,
                        "Python and its standard library": 2,
                        "the console (app, widgets, maps, resources)": 1}
    done = subprocess.run([sys.executable, str(REPO / "packaging" / "bundle_size.py"),
                           str(tmp_path), "--markdown"], capture_output=True, text=True,
                          timeout=60, check=True)
    assert "| QtWebEngine (Chromium, the map) | 40 | 1 | 46% |" in done.stdout
    assert "| **total** | **87** | **8** | |" in done.stdout


def test_no_bundle_is_said(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(REPO / "packaging" / "bundle_size.py"),
                           str(tmp_path / "dist")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "build it first" in done.stderr


def test_qml_and_the_qt_libraries_only_it_links_stay_out() -> None:
    links = {"/q/libQt6WebEngineCore.so.6": ["libQt6Quick.so.6", "libc.so.6"],
             "/q/libQt6Quick.so.6": ["libQt6Qml.so.6"],
             "/q/libqtquick3dplugin.so": ["libQt6Quick3D.so.6"],
             "/q/libQt6Quick3D.so.6": ["libQt6Quick.so.6"],
             "/p/QtWebEngineCore.abi3.so": ["libQt6WebEngineCore.so.6"]}
    binaries = [
        ("PySide6/QtWebEngineCore.abi3.so", "/p/QtWebEngineCore.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6WebEngineCore.so.6", "/q/libQt6WebEngineCore.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Quick.so.6", "/q/libQt6Quick.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Qml.so.6", "/q/libQt6Qml.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Quick3D.so.6", "/q/libQt6Quick3D.so.6", "BINARY"),
        ("PySide6/Qt/qml/QtQuick3D/libqtquick3dplugin.so", "/q/libqtquick3dplugin.so",
         "BINARY"),
    ]
    kept = parts.without_qml(binaries, lambda src: links.get(src, []))
    assert [Path(e[0]).name for e in kept] == [
        "QtWebEngineCore.abi3.so", "libQt6WebEngineCore.so.6", "libQt6Quick.so.6",
        "libQt6Qml.so.6"]
    assert parts.drop_qml_data([("PySide6/Qt/qml/QtQuick/qmldir", "/x", "DATA"),
                                ("resources/demo/site.toml", "/y", "DATA")]) == [
        ("resources/demo/site.toml", "/y", "DATA")]
