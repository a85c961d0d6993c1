"""The operator sees the journal's state: red across the window while alarms cannot be stored
(a full disk), with what waits; back to normal, and everything stored, once it writes again;
amber when the journal was found damaged at start and replaced, until they have seen it.
Before: the status bar kept saying "running" on a full disk."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.events import AlarmReported
from app.core.model import AlarmType
from app.core.site import Site
from tests.gui.conftest import main_window
from tests.integration.journal_faults import SmallDisk

SITE = Site.model_validate({"site": {"name": "Journal"}, "map": {"center": [60.17, 24.94]}})


def report(sid: str) -> AlarmReported:
    return AlarmReported("panel", sid, AlarmType.INTRUSION, 2, f"Intrusion {sid}",
                         datetime.now(UTC))


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    d = SmallDisk(tmp_path / "disk")
    yield d
    d.unmount()


def test_a_full_disk_is_shown_until_it_is_freed(qtbot: QtBot, disk: SmallDisk) -> None:
    with main_window(SITE, disk.path / "journal.sqlite") as w:
        banner = w.journal_banner
        assert not banner.isVisible()
        assert "Journal: OK" in banner.chip.text()
        disk.fill()
        w.runtime.hub.post(report("a"))
        qtbot.waitUntil(banner.isVisible, timeout=10_000)
        assert "the disk holding the journal is full" in banner.text.text()
        assert "cannot write" in banner.chip.text()
        qtbot.waitUntil(lambda: "1 alarm report(s)" in banner.text.text(), timeout=10_000)
        assert w.alarms.model.alarms() == []  # nothing shown that is not stored
        disk.free()
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=10_000)
        qtbot.waitUntil(lambda: len(w.alarms.model.alarms()) == 1, timeout=10_000)
        assert "Journal: OK" in banner.chip.text()


def test_a_replaced_journal_is_told_until_seen(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    path.write_bytes(os.urandom(32 * 1024))
    with main_window(SITE, path) as w:
        banner = w.journal_banner
        qtbot.waitUntil(banner.isVisible, timeout=10_000)
        text = banner.text.text()
        assert "the journal file is damaged" in text
        assert "kept aside, untouched" in text
        assert ".damaged-" in text
        w.runtime.hub.post(report("b"))  # the console takes alarms meanwhile
        qtbot.waitUntil(lambda: len(w.alarms.model.alarms()) == 1, timeout=10_000)
        qtbot.mouseClick(banner.dismiss, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=5000)
        assert not w.world.journal.recovered_from
