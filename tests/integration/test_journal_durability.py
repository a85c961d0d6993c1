"""A console killed with SIGKILL restarts with every alarm it had shown, in its last state,
none twice. The child is a real process, killed for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from app.core.events import AlarmChanged, AlarmReported
from app.core.hub import Hub, only
from app.core.journal import Journal
from app.core.model import AlarmType
from app.services.alarm_service import AlarmService
from tests.conftest import REPO


def run_child_until_killed(db: Path | str, shown_wanted: int,
                           env: dict[str, str] | None = None) -> dict[str, tuple[str, int]]:
    """Run journal_child as a console on `db` (a file or a room's URL) until it has shown
    `shown_wanted` alarm changes, then SIGKILL it: what it showed, by alarm."""
    shown: dict[str, tuple[str, int]] = {}
    lines = 0
    with subprocess.Popen(
        [sys.executable, "-m", "tests.integration.journal_child", str(db)],
        cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
    ) as child:
        try:
            assert child.stdout is not None
            for line in child.stdout:
                _, alarm_id, state, steps = line.split()
                shown[alarm_id] = (state, int(steps))
                lines += 1
                if lines >= shown_wanted:
                    break
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.kill()
            child.wait(10)
    assert child.returncode == -signal.SIGKILL
    return shown


def acked_until_killed(journal: str, wanted: int, env: dict[str, str] | None = None
                       ) -> list[str]:
    """Run journal_child as a source posting reports durably on `journal` (a file or a
    room's URL) until `wanted` were acknowledged, then SIGKILL it: the acknowledged ones."""
    acked: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-m", "tests.integration.journal_child", journal, "--acked"],
        cwd=REPO, stdout=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
    ) as child:
        try:
            assert child.stdout is not None
            for line in child.stdout:
                acked.append(line.split()[1])
                if len(acked) >= wanted:
                    break
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.kill()
            child.wait(10)
    return acked


def test_sigkill_loses_nothing_shown_and_duplicates_nothing(tmp_path: Path) -> None:
    db = tmp_path / "journal.sqlite"
    shown = run_child_until_killed(db, 120)
    assert any(state == "acknowledged" for state, _ in shown.values())

    journal = Journal(db)
    restored = {a.id: a for a in journal.load_alarms()}
    for alarm_id, (state, steps) in shown.items():
        assert alarm_id in restored, f"alarm {alarm_id} was shown, then lost"
        a = restored[alarm_id]
        # the journal holds at least what was shown (it is written before it is shown)
        assert len(a.history) >= steps
        if state == "acknowledged":
            assert a.state.value == "acknowledged"
    keys = [a.key for a in restored.values()]
    assert len(keys) == len(set(keys)), "an alarm was journaled twice"
    assert sorted(int(i) for i in restored) == list(range(1, len(restored) + 1))

    # Restarted, the console re-announces them once and still de-duplicates the sources.
    hub = Hub()
    ui = hub.subscribe("ui", only(AlarmChanged))
    service = AlarmService(hub, journal, escalation_threshold_s=lambda _t: 3600)
    service.start()
    try:
        announced = [e.alarm.id for e in ui.drain()]  # type: ignore[attr-defined]
        assert sorted(announced) == sorted(restored)
        hub.post(AlarmReported(source="panel", source_id="s1", type=AlarmType.INTRUSION,
                               priority=2, title="late resend", time=datetime.now(UTC)))
        hub.post(AlarmReported(source="panel", source_id="fresh", type=AlarmType.GUNSHOT,
                               priority=1, title="new", time=datetime.now(UTC)))
        got: list[AlarmChanged] = []
        while not any(e.alarm.source_id == "fresh" for e in got):
            assert ui.wait(10), "the restarted service announced nothing"
            got += [e for e in ui.drain() if isinstance(e, AlarmChanged)]
    finally:
        service.stop()
    fresh = next(e.alarm for e in got if e.alarm.source_id == "fresh")
    assert int(fresh.id) == len(restored) + 1
    assert len(journal.load_alarms()) == len(restored) + 1
    journal.close()


def test_every_acknowledged_report_is_in_the_events_table_after_sigkill(tmp_path: Path) -> None:
    """Replay shows alarms from the events table: an alarm report a source was told is
    stored must be there. Before: the events table, written in batches every 0.2 s,
    missed 24-77 acknowledged reports after a SIGKILL."""
    db = tmp_path / "journal.sqlite"
    acked = acked_until_killed(str(db), 400)
    journal = Journal(db)
    stored = {e.source_id for _, e in journal.iter_events() if isinstance(e, AlarmReported)}
    missing = [sid for sid in acked if sid not in stored]
    assert not missing, f"{len(missing)} acknowledged reports are not in the events table"
    assert {a.source_id for a in journal.load_alarms()} >= set(acked)
    journal.close()
