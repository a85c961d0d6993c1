"""A damaged journal does not stop the console: it starts, takes alarms, keeps the damaged
file aside untouched, saves what can be read, and says so in plain words. Before: a
Python traceback and exit 1, no window (random bytes, an overwritten page, a read-only file)."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from app.core.journal import Journal
from app.core.model import Alarm, AlarmState, AlarmStep, AlarmType
from tests.conftest import REPO
from tests.integration.journal_faults import overwrite_a_page_of

T = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def open_in_child(path: Path, without_root_override: bool = False) -> dict[str, Any]:
    # root writes read-only files: drop the capability that lets it (util-linux setpriv)
    prefix = ["setpriv", "--bounding-set", "-dac_override"] if without_root_override else []
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "tests.integration.recovery_child", str(path)],
        cwd=REPO, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def journal_with_history(path: Path, alarms: int = 300) -> None:
    j = Journal(path)
    for i in range(1, alarms + 1):
        t = T + timedelta(seconds=i)
        j.store(alarms=[Alarm(str(i), "panel", f"s{i}", AlarmType.INTRUSION, 2,
                              f"Intrusion {i} " + "x" * 200, t,
                              history=(AlarmStep(t, "panel", "raised", AlarmState.NEW),))])
        j.audit("alice", "acknowledged", f"alarm:{i}", "", t)
    j.close()


def test_random_bytes_instead_of_a_journal(tmp_path: Path) -> None:
    path = tmp_path / "site.sqlite"
    path.write_bytes(os.urandom(64 * 1024))
    before = sha256(path)
    got = open_in_child(path)
    assert got["alarms"] == ["after"]  # the console takes alarms
    rec = got["recovery"]
    assert rec["problem"] == "the journal file is damaged"
    damaged = Path(rec["damaged"])
    assert damaged != path
    assert sha256(damaged) == before  # kept aside, untouched
    assert got["journal"] == str(path)  # a new journal where the console looks for it
    assert "kept aside, untouched" in rec["text"]


def test_an_overwritten_page_of_alarms_saves_what_can_be_read(tmp_path: Path) -> None:
    path = tmp_path / "site.sqlite"
    journal_with_history(path)
    overwrite_a_page_of(path, "alarms")
    before = sha256(path)
    got = open_in_child(path)
    rec = got["recovery"]
    assert rec is not None, "the damage went unnoticed"
    assert sha256(Path(rec["damaged"])) == before
    assert rec["audit"] == 300  # the audit table's pages were not touched: all saved
    assert got["alarms"][-1] == "after"
    assert len(got["alarms"]) == rec["alarms"] + 1


def test_a_read_only_journal(tmp_path: Path) -> None:
    path = tmp_path / "site.sqlite"
    journal_with_history(path, 20)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    before = sha256(path)
    got = open_in_child(path, without_root_override=os.geteuid() == 0)
    rec = got["recovery"]
    assert rec["problem"] == "the journal file cannot be written (read-only)"
    assert sha256(Path(rec["damaged"])) == before
    assert rec["alarms"] == 20  # everything was readable, everything carried over
    assert got["alarms"] == [f"s{i}" for i in range(1, 21)] + ["after"]


def test_a_sound_journal_is_opened_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "site.sqlite"
    journal_with_history(path, 3)
    got = open_in_child(path)
    assert got["recovery"] is None
    assert got["alarms"] == ["s1", "s2", "s3", "after"]
