"""Retention with an advanced clock, on both journal backends: the hourly run "a month
later" destroys what no hold keeps, keeps what a hold covers (a time range, an incident),
destroys it at the next run once the hold is lifted, never an open alarm, writes the
register (rule, counts, range) and the access log, and the access log's own three-year
purge leaves a chain that still verifies."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core import events as ev
from app.core.audit_chain import PURGE_ACTION, verify
from app.core.events import AlarmReported
from app.core.holds import LIFTED, PLACED, PURGED, Hold, HoldError
from app.core.hub import Hub
from app.core.journal import Journal, JournalStore
from app.core.model import (
    Alarm,
    AlarmState,
    AlarmStep,
    AlarmType,
    LatLon,
    OfficerStatus,
    OperatorAction,
    PositionFix,
)
from app.core.retention import Kind, RetentionConfig
from app.services.alarm_service import AlarmService
from app.services.retention_runner import RetentionRunner
from tests.unit.cli_run import csu
from tests.unit.test_journal import alarm
from tests.waiting import wait_until

Opener = Callable[[], JournalStore]  # the `open_journal` fixture (tests/conftest.py)
DAY0 = datetime(2026, 10, 1, tzinfo=UTC)  # the month whose data a run 40 days later purges
LATER = DAY0 + timedelta(days=40)


def position(officer: str, t: datetime) -> ev.Event:
    return ev.PositionReported(PositionFix(officer, LatLon(48.85, 2.35), t, 0.0, 1.0, None))


def status(t: datetime) -> ev.Event:
    return ev.OfficerStatusChanged("o1", OfficerStatus.BUSY, t)


def closed_alarm(i: int, raised: datetime, closed: datetime | None = None) -> Alarm:
    a = replace(alarm(i), raised_at=raised,
                history=(AlarmStep(raised, "panel", "raised", AlarmState.NEW, "x"),))
    if closed is None:
        return a
    return replace(a, state=AlarmState.CLOSED, history=(
        *a.history, AlarmStep(closed, "chief", "closed", AlarmState.CLOSED, "handled")))


def fill(j: JournalStore, days: int = 10) -> None:
    """`days` days from DAY0: a position per officer every hour, a status every 6 hours."""
    events: list[ev.Event] = []
    for h in range(days * 24):
        t = DAY0 + timedelta(hours=h)
        events += [position("o1", t), position("o2", t)]
        if h % 6 == 0:
            events.append(status(t))
    j.append_events(events)


def runner(j: JournalStore, now: datetime) -> RetentionRunner:
    return RetentionRunner(j, RetentionConfig(), clock=lambda: now)


def kinds(j: JournalStore) -> tuple[int, int]:
    return j.count_events("position"), j.count_events() - j.count_events("position")


def test_unheld_data_is_destroyed_a_month_later_and_registered(open_journal: Opener) -> None:
    j = open_journal()
    fill(j, days=10)
    j.append_events([position("o1", LATER - timedelta(days=1))])  # within the month
    assert kinds(j) == (481, 40)
    done = runner(j, LATER).run_once()
    assert done[Kind.POSITIONS] == 480
    assert done[Kind.EVENTS] == 40
    assert kinds(j) == (1, 0)
    again = open_journal()  # what a restarted console reads
    rows = {r.what: r for r in again.register_rows()}
    assert set(rows) == {"positions", "events"}  # nothing else was destroyed
    pos = rows["positions"]
    assert (pos.destroyed, pos.time, pos.range_start) == (480, LATER, DAY0)
    assert pos.range_end == LATER - timedelta(days=30)
    assert "positions_days = 30" in pos.rule
    logged = [a for a in again.actions() if a.action == PURGED]
    assert [(a.target, a.actor) for a in logged] == [
        ("journal:positions", "system:retention"), ("journal:events", "system:retention")]
    assert "480 destroyed" in logged[0].detail
    assert verify(again.audit_rows()).intact


def test_a_range_hold_keeps_its_span_until_it_is_lifted(open_journal: Opener) -> None:
    j = open_journal()
    fill(j, days=10)
    start, end = DAY0 + timedelta(days=2), DAY0 + timedelta(days=3) - timedelta(seconds=1)
    hold_id = j.place_hold(Hold("PV 2026/1234", "chief1", DAY0 + timedelta(days=5),
                                start, end, ("cam-gare",), note="rixe gare"), "poste-1")
    runner(j, LATER).run_once()
    kept = [t for t, _ in j.iter_events()]
    assert len(kept) == 24 * 2 + 4  # the held day: 2 officers x 24 h, 4 statuses
    assert all(start <= t <= end for t in kept)
    (hold,) = j.holds()
    assert (hold.id, hold.reference, hold.cameras, hold.active) == (
        hold_id, "PV 2026/1234", ("cam-gare",), True)
    placed = next(a for a in j.actions() if a.action == PLACED)
    assert (placed.actor, placed.target, placed.purpose, placed.cameras) == (
        "chief1", f"hold:{hold_id}", "judicial", ("cam-gare",))
    assert "PV 2026/1234" in placed.detail
    assert (placed.range_start, placed.range_end) == (start, end)

    lifted = j.lift_hold(hold_id, "chief2", LATER + timedelta(minutes=30))
    assert lifted.lifted_by == "chief2"
    assert j.holds() == []
    assert [h.id for h in j.holds(active_only=False)] == [hold_id]
    with pytest.raises(HoldError, match="already lifted"):
        j.lift_hold(hold_id, "chief2")
    runner(j, LATER + timedelta(hours=1)).run_once()  # the next hourly run
    assert kinds(j) == (0, 0)
    assert any(a.action == LIFTED and a.actor == "chief2" for a in j.actions())
    assert [r.destroyed for r in j.register_rows() if r.what == "positions"] == [432, 48]


def test_an_incident_hold_keeps_its_alarm_and_its_span_and_open_alarms_stay(
        open_journal: Opener) -> None:
    j = open_journal()
    fill(j, days=10)
    raised = DAY0 + timedelta(days=4, hours=10)
    incident = closed_alarm(1, raised, raised + timedelta(hours=2))
    other = closed_alarm(2, DAY0 + timedelta(days=1), DAY0 + timedelta(days=1, hours=1))
    still_open = closed_alarm(3, DAY0 + timedelta(days=1))  # never closed: never purged
    newest = closed_alarm(4, DAY0 + timedelta(days=2), DAY0 + timedelta(days=2, hours=1))
    j.save_alarms([incident, other, still_open, newest])
    with pytest.raises(HoldError, match="no alarm 99"):
        j.place_hold(Hold("PV 7", "chief1", raised, incident="99"))
    with pytest.raises(HoldError, match="either a time range"):
        j.place_hold(Hold("PV 7", "chief1", raised))
    j.place_hold(Hold("PV 7", "chief1", raised, incident="1"))
    done = runner(j, LATER).run_once()
    assert done[Kind.CLOSED_ALARMS] == 1
    # the incident (held), the open one (never), the newest (its number goes on)
    assert sorted(a.id for a in j.load_alarms()) == ["1", "3", "4"]
    kept = [t for t, _ in j.iter_events()]
    assert all(raised <= t <= raised + timedelta(hours=2) for t in kept)
    assert len(kept) == 3 * 2 + 1  # 10:00, 11:00, 12:00 for two officers; the 12:00 status
    assert j.next_alarm_seq() == 5


def test_the_access_log_purge_keeps_the_chain_verifiable(open_journal: Opener) -> None:
    j = open_journal()
    old = DAY0 - timedelta(days=3 * 365 + 10)
    j.store(actions=[OperatorAction(old + timedelta(hours=i), f"op{i}", "replay", "camera:c1")
                     for i in range(25)])
    j.store(actions=[OperatorAction(DAY0, "recent", "replay", "camera:c1")])
    assert j.purge(Kind.ACCESS_LOG, old + timedelta(hours=20), "rule", DAY0, chunk=7) == 20
    rows = list(j.audit_rows())
    assert [r.action.actor for r in rows[:6]] == [f"op{i}" for i in range(20, 25)] + ["recent"]
    anchors = [r.action for r in rows if r.action.action == PURGE_ACTION]
    assert len(anchors) == 3  # one per chunk of 7, each in its own transaction
    report = verify(j.audit_rows())
    assert report.intact, report.problem
    (row,) = j.register_rows()
    assert (row.what, row.destroyed, row.range_start) == ("access_log", 20, old)
    # the hourly run: three years, the rule the law sets
    runner(j, DAY0 + timedelta(days=3 * 365 + 1)).run_once()
    assert [r.action.actor for r in j.audit_rows()][:1] == ["recent"]
    assert verify(j.audit_rows()).intact
    assert "R241-14" in list(j.register_rows())[-1].rule


def test_chunks_give_the_same_result_and_writers_go_on_between_them(open_journal: Opener
                                                                      ) -> None:
    j = open_journal()
    fill(j, days=10)
    assert j.purge(Kind.POSITIONS, DAY0 + timedelta(days=5), "rule", LATER, chunk=50) == 240
    assert j.count_events("position") == 240
    assert min(t for t, e in j.iter_events(page=7) if e.kind == "position") == \
        DAY0 + timedelta(days=5)
    # streamed in pages: the same rows in the same order as one read
    assert [t for t, _ in j.iter_events(page=7)] == [t for t, _ in j.iter_events(page=10_000)]


def test_the_runner_runs_by_itself_and_survives_a_failure(open_journal: Opener) -> None:
    j = open_journal()
    fill(j, days=2)
    r = RetentionRunner(j, RetentionConfig(), clock=lambda: LATER, first_run_s=0.05,
                        every_s=0.05)
    calls = {"n": 0}
    purge = j.purge

    def failing_once(*args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk gone")
        return purge(*args, **kwargs)  # type: ignore[arg-type]

    j.purge = failing_once  # type: ignore[method-assign]
    r.start()
    try:
        wait_until(lambda: j.count_events() == 0, 30, "the runner purged on its own")
    finally:
        r.stop()
    assert r.failures >= 1
    assert r.runs >= 2


def test_hold_and_register_commands(tmp_path: Path) -> None:
    """`csu-console hold add|list|lift` and `register --out` as a chief or installer runs
    them: the OS login as the actor, refusals in plain words, the register as CSV."""
    path = str(tmp_path / "j.sqlite")
    j = Journal(path)
    try:
        fill(j, days=3)
        j.save_alarms([closed_alarm(1, DAY0, DAY0 + timedelta(hours=1))])
    finally:
        j.close()
    placed = csu("hold", "add", "PV 2026/77", "--from", "2026-10-02T00:00",
                 "--to", "2026-10-02T23:59:59", "--camera", "cam-gare", "--note", "rixe",
                 "--journal", path)
    assert placed.returncode == 0, placed.stderr
    assert "placed hold 1: PV 2026/77" in placed.stdout
    by_incident = csu("hold", "add", "PV 8", "--incident", "1", "--journal", path)
    assert by_incident.returncode == 0, by_incident.stderr
    both = csu("hold", "add", "PV 9", "--incident", "1", "--from", "2026-10-01T00:00",
               "--journal", path)
    assert both.returncode == 1
    assert "nothing was changed" in both.stderr
    listed = csu("hold", "list", "--journal", path)
    assert "PV 2026/77  from 2026-10-02T00:00:00+00:00 to 2026-10-02T23:59:59+00:00 UTC, " \
        "cameras cam-gare" in listed.stdout
    assert "placed" in listed.stdout
    assert "os:" in listed.stdout
    assert "PV 8  incident: alarm 1" in listed.stdout
    j = Journal(path)
    try:
        runner(j, LATER).run_once()
        assert j.count_events("position") == 24 * 2 + 2 * 2  # the held day; the incident
    finally:
        j.close()
    assert csu("hold", "lift", "1", "--journal", path).returncode == 0
    twice = csu("hold", "lift", "1", "--journal", path)
    assert twice.returncode == 1
    assert "already lifted" in twice.stderr
    assert "PV 2026/77" not in csu("hold", "list", "--journal", path).stdout
    assert "lifted" in csu("hold", "list", "--all", "--journal", path).stdout
    out = tmp_path / "register.csv"
    done = csu("register", "--out", str(out), "--journal", path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert [(r["what"], r["destroyed"]) for r in rows] == [("positions", "92"),
                                                           ("events", "7")]
    assert rows[0]["range_end_utc"] == "2026-10-11T00:00:00+00:00"
    assert "positions_days = 30" in rows[0]["rule"]


def test_start_up_loads_open_alarms_and_the_last_day_and_numbers_go_on(
        open_journal: Opener) -> None:
    """A year of closed alarms is not loaded at start; a new alarm still gets the number
    after the journal's highest (never one a closed alarm of last month had)."""
    j = open_journal()
    now = LATER
    j.save_alarms([
        closed_alarm(1, now - timedelta(days=20)),  # open for 20 days: loaded
        closed_alarm(2, now - timedelta(days=9), now - timedelta(days=8)),  # not loaded
        closed_alarm(3, now - timedelta(hours=5), now - timedelta(hours=4)),  # last day
        closed_alarm(7, now - timedelta(days=3), now - timedelta(days=3)),  # the highest
    ])
    hub = Hub()
    service = AlarmService(hub, j, escalation_threshold_s=lambda _t: 600, clock=lambda: now)
    assert sorted(service.book.by_id) == ["1", "3"]
    service.start()
    try:
        hub.post(AlarmReported("panel", "new", AlarmType.INTRUSION, 2, "Intrusion", now))
        wait_until(lambda: "8" in {a.id for a in j.load_alarms()}, 30, "the new alarm stored")
    finally:
        service.stop()
    assert {a.id: a.title for a in j.load_alarms()}["7"] == "Intrusion école"  # untouched
