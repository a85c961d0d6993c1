"""The demo records what its site file says (cam-01..03's sub-streams): the newcomer sees the
REC marks on the wall, and replay finds segments on disk, under the user's data folder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.gui.conftest import demo_window

RECORDED = ("cam-01", "cam-02", "cam-03")


@pytest.mark.video
def test_the_demo_records_its_three_cameras(qtbot: QtBot, tmp_path: Path) -> None:
    with demo_window(tmp_path / "journal.sqlite", record=True) as w:
        def all_recording() -> bool:
            return all(w.world.recording.get(c) is not None
                       and w.world.recording[c].state == "recording" for c in RECORDED)

        qtbot.waitUntil(all_recording, timeout=60_000)
        assert "cam-04" not in w.world.recording  # not in the site's list: no mark
        marks = {t.camera.id: t.recording_mark() for t in w.wall.tiles()
                 if t.camera is not None}
        assert all(marks[c] == "● REC" for c in RECORDED if c in marks)
        assert any(c in marks for c in RECORDED), "the demo's wall shows a recorded camera"

        since = datetime.now(UTC) - timedelta(minutes=5)

        def a_segment() -> bool:
            return bool(w.runtime.journal.recorded_segments(
                "cam-01", since, datetime.now(UTC) + timedelta(minutes=1)))

        qtbot.waitUntil(a_segment, timeout=60_000)  # one 10-second segment closed
        (seg,) = w.runtime.journal.recorded_segments(
            "cam-01", since, datetime.now(UTC) + timedelta(minutes=1))[:1]
        assert Path(seg.path).is_file()
        assert seg.size > 0
        assert "recordings" in Path(seg.path).parts
