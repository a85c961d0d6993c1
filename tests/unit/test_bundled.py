"""app/core/bundled.py: a frozen console points python-vlc, libvlc and imageio-ffmpeg at the
bundle's own libvlc, plugins and FFmpeg; from a venv it changes nothing. The real bundle is
tests/bundle/test_linux_bundle.py."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import pytest

from app.core import bundled


def fake_bundle(root: Path, windows: bool = False) -> Path:
    lib = root / ("vlc/libvlc.dll" if windows else "libvlc.so.5")
    lib.parent.mkdir(parents=True, exist_ok=True)
    lib.write_bytes(b"")
    (root / "vlc" / "plugins" / "codec").mkdir(parents=True)
    ffmpeg = root / "imageio_ffmpeg" / "binaries" / "ffmpeg-linux-x86_64-v7.0.2"
    ffmpeg.parent.mkdir(parents=True)
    ffmpeg.write_bytes(b"")
    return root


@pytest.mark.parametrize("windows", [False, True])
def test_the_bundles_tools_are_found_where_the_spec_puts_them(tmp_path: Path,
                                                              windows: bool) -> None:
    tools = bundled.find_tools(fake_bundle(tmp_path, windows))
    assert tools.libvlc == tmp_path / ("vlc/libvlc.dll" if windows else "libvlc.so.5")
    assert tools.vlc_plugins == tmp_path / "vlc" / "plugins"
    assert tools.ffmpeg is not None
    assert tools.ffmpeg.name.startswith("ffmpeg-linux")


def test_the_environment_names_the_bundles_tools_over_the_machines(tmp_path: Path) -> None:
    tools = bundled.find_tools(fake_bundle(tmp_path))
    env = {"PYTHON_VLC_LIB_PATH": "/usr/lib/x86_64-linux-gnu/libvlc.so.5",
           "VLC_PLUGIN_PATH": "/usr/lib/x86_64-linux-gnu/vlc/plugins"}
    bundled.point_at(tools, env)
    assert env == {"PYTHON_VLC_LIB_PATH": str(tmp_path / "libvlc.so.5"),
                   "PYTHON_VLC_MODULE_PATH": str(tmp_path / "vlc" / "plugins"),
                   "VLC_PLUGIN_PATH": str(tmp_path / "vlc" / "plugins"),
                   "IMAGEIO_FFMPEG_EXE": str(tools.ffmpeg)}


def test_a_bundle_without_a_tool_leaves_its_variable_alone_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "vlc" / "plugins").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    for var in ("PYTHON_VLC_LIB_PATH", "IMAGEIO_FFMPEG_EXE", "VLC_PLUGIN_PATH",
                "PYTHON_VLC_MODULE_PATH"):
        monkeypatch.setenv(var, "")  # recorded, so what the bundle sets is undone after
        monkeypatch.delenv(var)
    monkeypatch.setattr(bundled, "_found", None)
    found = bundled.use_bundled_tools()
    assert found is not None
    assert found.libvlc is None
    assert found.ffmpeg is None
    assert "PYTHON_VLC_LIB_PATH" not in os.environ  # python-vlc would exit on a bad path
    assert os.environ["VLC_PLUGIN_PATH"] == str(tmp_path / "vlc" / "plugins")
    with caplog.at_level(logging.INFO, logger="app.core.bundled"):
        bundled.log_origin()
    assert "this bundle lacks libvlc, FFmpeg" in caplog.text


def test_from_a_venv_nothing_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setenv("PYTHON_VLC_LIB_PATH", "/somewhere/libvlc.so.5")
    assert bundled.use_bundled_tools() is None
    assert os.environ["PYTHON_VLC_LIB_PATH"] == "/somewhere/libvlc.so.5"
