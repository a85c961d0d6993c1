"""After a SIGKILL, the restarted console's alarm queue shows every journaled alarm in its
last state, once."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.journal import Journal
from app.core.site import Site
from app.services.runtime import Runtime
from app.ui.alarm_model import ALARM_ROLE
from app.ui.bridge import HubBridge
from app.ui.world import World
from tests.gui.conftest import TEST_OPERATOR
from tests.integration.test_journal_durability import run_child_until_killed
from widgets.alarms import AlarmDock

SITE = Site.model_validate({"site": {"name": "Restart"}, "map": {"center": [60.17, 24.94]}})


def test_the_queue_shows_the_journal_after_a_kill(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "journal.sqlite"
    shown_before_kill = run_child_until_killed(db, 60)
    j = Journal(db)
    journaled = {a.id: a for a in j.load_alarms()}
    j.close()

    runtime = Runtime(SITE, {}, db)
    runtime.sign_in_as_demo(TEST_OPERATOR)
    bridge = HubBridge(runtime.hub, World())
    dock = AlarmDock(SITE, runtime, bridge, operator="op")
    qtbot.addWidget(dock)
    dock.alerter.set_muted(True)
    try:
        bridge.start()
        runtime.start()
        qtbot.waitUntil(lambda: dock.model.rowCount() == len(journaled), timeout=10_000)
        rows = [dock.model.index(r, 0).data(ALARM_ROLE) for r in range(dock.model.rowCount())]
        assert len({a.id for a in rows}) == len(rows)
        assert {a.id: a for a in rows} == journaled
        assert set(shown_before_kill) <= set(journaled)
        assert any(a.state.value == "acknowledged" for a in rows)
    finally:
        bridge.stop()
        runtime.stop()
