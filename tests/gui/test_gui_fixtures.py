"""The test gates themselves (issue 8, section 8): each test has its own QSettings, a
bridge is stopped even when a window fails to start, and a Qt warning fails a test unless
the allow-list in pyproject.toml names it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.site import Site
from app.ui.bridge import HubBridge
from app.ui.settings import settings
from tests.conftest import REPO
from tests.gui.conftest import main_window
from widgets.main_window import MainWindow

SITE = Site.model_validate({"site": {"name": "Gates"}, "map": {"center": [48.85, 2.35]}})


@pytest.mark.parametrize("who", ["first", "second"])
def test_each_test_has_its_own_settings(who: str, own_settings: Path) -> None:
    """Run twice: the second run must not see what the first one saved."""
    s = settings()
    assert Path(s.fileName()).is_relative_to(own_settings)
    assert s.value("gates/written_by") is None
    s.setValue("gates/written_by", who)
    s.sync()
    assert Path(s.fileName()).exists()


def test_main_window_stops_its_bridge_when_start_up_fails(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[HubBridge] = []
    start = HubBridge.start

    def spy(self: HubBridge) -> None:
        started.append(self)
        start(self)

    def broken(_self: MainWindow) -> None:
        raise RuntimeError("the window could not be shown")

    monkeypatch.setattr(HubBridge, "start", spy)
    monkeypatch.setattr(MainWindow, "show_restored", broken)
    with pytest.raises(RuntimeError, match="could not be shown"), \
            main_window(SITE, tmp_path / "journal.sqlite"):
        pass
    assert started, "the window never started its bridge"
    assert not any(b._timer.isActive() for b in started), "the bridge is still running"


def _pytest_ini() -> dict[str, object]:
    with (REPO / "pyproject.toml").open("rb") as f:
        return dict(tomllib.load(f)["tool"]["pytest"]["ini_options"])


def _run_inline(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    """`body` as a test module in a project with this project's pytest settings."""
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_inline.py").write_text(body)
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--no-xvfb", "tests"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, check=False,
                          env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
                               "HOME": str(tmp_path)})


def test_a_qt_warning_fails_its_test_unless_allow_listed(tmp_path: Path) -> None:
    ini = _pytest_ini()
    assert ini["qt_log_level_fail"] == "WARNING"
    allowed = "Failed to create platform Vulkan instance"
    result = _run_inline(tmp_path, f"""
from PySide6.QtCore import qWarning

def test_unexpected(qtbot):
    qWarning("QObject::connect: No such signal Tile::nothing()")

def test_allowed(qtbot):
    qWarning({allowed!r})
""")
    out = result.stdout + result.stderr
    assert "1 failed, 1 passed" in out, out[-3000:]
    assert "test_unexpected" in out
    assert "Qt messages with level WARNING or above" in out
