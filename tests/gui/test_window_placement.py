"""The console reopens exactly where it was: same place, same size, maximized or not, start
after start. Before: from the second start on, the window sat about 25 px lower each time
(a black band at the top), because Qt's restoreGeometry guessed the frame margins."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot

from app.core.site import Site
from app.ui.settings import settings
from tests.gui.conftest import main_window

SITE = Site.model_validate({"site": {"name": "Placement"}, "map": {"center": [60.17, 24.94]}})


@pytest.fixture(autouse=True)
def no_saved_window() -> None:
    settings().remove("window")


def reopen(qtbot: QtBot, journal: Path, times: int) -> list[tuple[QRect, bool]]:
    seen = []
    for _ in range(times):
        with main_window(SITE, journal) as w:
            qtbot.waitExposed(w)
            seen.append((w.geometry(), w.isMaximized()))
    return seen


def test_a_placed_window_comes_back_where_it_was(qtbot: QtBot, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite"
    with main_window(SITE, journal) as w:
        qtbot.waitExposed(w)
        w.showNormal()
        w.setGeometry(QRect(120, 80, 1366, 768))  # a control-room laptop's size
        qtbot.waitUntil(lambda: w.geometry() == QRect(120, 80, 1366, 768), timeout=5000)
    seen = reopen(qtbot, journal, 3)
    assert [g for g, _ in seen] == [QRect(120, 80, 1366, 768)] * 3


def test_a_full_screen_console_stays_on_the_whole_screen(qtbot: QtBot, tmp_path: Path) -> None:
    journal = tmp_path / "journal.sqlite"
    seen = reopen(qtbot, journal, 3)  # the first start fills the screen
    area = seen[0][0]
    assert area.topLeft().toTuple() == (0, 0)
    assert [g for g, _ in seen] == [area] * 3
