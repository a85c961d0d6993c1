"""A failed write leaves the journal usable (rolled back), says what is wrong once per change,
and the next write succeeds as soon as the cause is gone. Before: one `database is locked`
and every later write failed with "cannot start a transaction within a transaction"."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core.codec import dumps
from app.core.events import AlarmReported
from app.core.journal import SCHEMA_VERSION, Journal, JournalHealth, JournalUnavailable
from app.core.model import Alarm, AlarmState, AlarmStep, AlarmType, OperatorAction
from tests.integration.journal_faults import SmallDisk, locked_by_another_process

T = datetime(2026, 11, 30, 16, 59, 50, tzinfo=UTC)


def alarm(i: int) -> Alarm:
    return Alarm(str(i), "panel", f"s{i}", AlarmType.INTRUSION, 2, "Intrusion", T,
                 history=(AlarmStep(T, "panel", "raised", AlarmState.NEW, ""),))


def test_a_locked_journal_recovers_when_the_lock_is_released(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite", busy_timeout_ms=50)
    changes: list[JournalHealth] = []
    j.on_health(changes.append)
    with locked_by_another_process(j.path):
        for write in (lambda: j.save_alarm(alarm(1)),
                      lambda: j.audit("alice", "acknowledged", "alarm:1"),
                      lambda: j.append_events([AlarmReported("p", "1", AlarmType.OTHER, 3,
                                                             "t", T)])):
            with pytest.raises(JournalUnavailable, match="another program holds"):
                write()
        assert not j.health.ok
        assert j.health.failures == 3
    # the lock is gone: every kind of write works again, nothing half-written before
    j.save_alarm(alarm(1))
    j.audit("alice", "acknowledged", "alarm:1")
    assert [a.id for a in j.load_alarms()] == ["1"]
    assert len(j.actions()) == 1
    assert j.health.ok
    assert [h.ok for h in changes] == [False, True]  # one change announced each way


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[SmallDisk]:
    d = SmallDisk(tmp_path / "disk")
    yield d
    d.unmount()


def test_a_full_disk_is_said_in_plain_words_and_nothing_half_stored(disk: SmallDisk) -> None:
    j = Journal(disk.path / "j.sqlite")
    j.save_alarm(alarm(1))
    disk.fill()
    big = [OperatorAction(T, "alice", "note", f"alarm:{i}", "x" * 2000) for i in range(50)]
    with pytest.raises(JournalUnavailable, match="disk holding the journal is full"):
        j.store(alarms=[alarm(2)], actions=big)
    assert [a.id for a in j.load_alarms()] == ["1"]  # all or nothing
    assert j.actions() == []
    disk.free()
    j.store(alarms=[alarm(2)], actions=big)
    assert [a.id for a in j.load_alarms()] == ["1", "2"]
    assert len(j.actions()) == 50
    j.close()


def test_a_schema_0_journal_is_migrated_keeping_its_history(tmp_path: Path) -> None:
    """Schema 0 refused a second alarm for a condition once the first was closed."""
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(str(path))
    db.executescript("""
        CREATE TABLE alarms (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL, source_id TEXT NOT NULL, state TEXT NOT NULL,
            raised_at TEXT NOT NULL, updated_at TEXT NOT NULL, body TEXT NOT NULL,
            UNIQUE (source, source_id));
        CREATE TABLE audit (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, actor TEXT NOT NULL,
            action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);
    """)
    db.execute("INSERT INTO alarms VALUES (1, '1', 'panel', 's1', 'closed', ?, ?, ?)",
               (T.isoformat(), T.isoformat(), dumps(alarm(1))))
    db.commit()
    db.close()
    j = Journal(path)
    assert j._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert [x.id for x in j.load_alarms()] == ["1"]
    second = Alarm("2", "panel", "s1", AlarmType.INTRUSION, 2, "again", T)
    j.save_alarm(second)  # same (source, source id) as the closed one: allowed now
    assert [x.id for x in j.load_alarms()] == ["1", "2"]


def test_two_open_alarms_for_one_condition_are_refused_by_the_journal(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite")
    j.save_alarm(alarm(1))
    twin = Alarm("2", "panel", "s1", AlarmType.INTRUSION, 2, "twin", T)
    with pytest.raises(sqlite3.IntegrityError):
        j.save_alarm(twin)
    j.save_alarm(alarm(3))  # and the journal is still usable
    assert j.health.ok
