"""In a steady storm the alarm service gathers reports into batches while they keep coming
(up to STORE_GAP_S after its last commit): committing as fast as it could, it made batches
of one or two alarms, and each commit's fixed cost (a sync to disk; on a room's PostgreSQL
round trips and a NOTIFY to every seat) made the CPU per alarm over twice what it is in
batches (bench/multiseat.py at 2,000/s). Sources that wait for their ACK before sending
again are not held back (bench/ingest_alarms.py, DC-09: the same alarms/s as before)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.core.events import AlarmReported
from app.core.hub import Hub
from app.core.journal import Journal
from app.core.model import AlarmState, AlarmType
from app.services.alarm_book import Acknowledge
from app.services.alarm_service import AlarmService

ALARMS = 400
ACKS = 60
BACKLOG = 5000  # ten batches of reports
RATE = 2000.0


def test_a_steady_storm_is_committed_in_batches(tmp_path: Path) -> None:
    hub, journal = Hub(), Journal(tmp_path / "j.sqlite")
    commits: list[tuple[float, int]] = []  # (when, reports in it)
    lock = threading.Lock()
    store = journal.store

    def counted(alarms: Sequence[Any] = (), actions: Sequence[Any] = (),
                events: Sequence[Any] = ()) -> None:
        store(alarms=alarms, actions=actions, events=events)
        with lock:
            commits.append((time.monotonic(), len(events)))

    journal.store = counted  # type: ignore[method-assign]
    service = AlarmService(hub, journal, escalation_threshold_s=lambda _t: 3600)
    service.start()
    try:
        futures = []
        t0 = time.perf_counter()
        for i in range(ALARMS):  # a steady source, as a busy receiver delivers them
            delay = t0 + i / RATE - time.perf_counter()
            if delay > 0:
                time.sleep(delay)  # the feeder's pace, not a wait for the result
            futures.append(hub.post_durable(AlarmReported(
                "panel", f"a{i}", AlarmType.INTRUSION, 2, "Intrusion", datetime.now(UTC))))
        for fut in futures:
            fut.result(timeout=30)
    finally:
        service.stop()
        journal.close()
    with lock:
        reports = [(t, n) for t, n in commits if n]
    assert sum(n for _t, n in reports) == ALARMS
    # 400 commits of one alarm each before; about 20 alarms a batch at 2,000/s now
    assert len(reports) <= ALARMS / 4, [n for _t, n in reports]


def test_commands_waiting_together_are_stored_together(tmp_path: Path) -> None:
    """Acknowledgements that wait together go in one transaction: one commit each kept the
    alarm thread from the reports in a room (every 10th of 2,000 alarms/s acknowledged)."""
    hub, journal = Hub(), Journal(tmp_path / "j.sqlite")
    commits: list[int] = []  # operator actions in each commit that had any
    lock = threading.Lock()
    store = journal.store

    def counted(alarms: Sequence[Any] = (), actions: Sequence[Any] = (),
                events: Sequence[Any] = ()) -> None:
        store(alarms=alarms, actions=actions, events=events)
        if actions:
            with lock:
                commits.append(len(actions))

    journal.store = counted  # type: ignore[method-assign]
    service = AlarmService(hub, journal, escalation_threshold_s=lambda _t: 3600)
    service.start()
    try:
        for i in range(ACKS):
            hub.post_durable(AlarmReported(
                "panel", f"a{i}", AlarmType.INTRUSION, 2, "Intrusion", datetime.now(UTC)
            )).result(timeout=30)
        ids = [a.id for a in service.book.by_id.values()]
        futures = [service.submit(Acknowledge(alarm_id, "op.dupont"))
                   for alarm_id in ids]
        done = [f.result(timeout=30) for f in futures]
    finally:
        service.stop()
        journal.close()
    assert all(a.state is AlarmState.ACKNOWLEDGED for a in done)
    with lock:
        assert sum(commits) == ACKS
        # one commit per acknowledgement before; the first may go alone, the rest together
        assert len(commits) <= ACKS / 4, commits


def test_an_act_does_not_wait_behind_a_backlog_of_reports(tmp_path: Path) -> None:
    """With thousands of reports waiting (a storm the journal is slower than), an operator's
    acknowledgement is stored between two report batches, not after the whole backlog: in a
    room it reached the other seats seconds late."""
    hub, journal = Hub(), Journal(tmp_path / "j.sqlite")
    order: list[str] = []  # "reports" / "acts", one per commit
    lock = threading.Lock()
    armed, held, go_on = threading.Event(), threading.Event(), threading.Event()
    store = journal.store

    def counted(alarms: Sequence[Any] = (), actions: Sequence[Any] = (),
                events: Sequence[Any] = ()) -> None:
        if events and armed.is_set() and not held.is_set():
            held.set()
            go_on.wait(30)  # the journal is slow while the backlog builds up
        store(alarms=alarms, actions=actions, events=events)
        with lock:
            order.append("acts" if actions else "reports")

    def report(sid: str) -> AlarmReported:
        return AlarmReported("panel", sid, AlarmType.INTRUSION, 2, "Intrusion",
                             datetime.now(UTC))

    journal.store = counted  # type: ignore[method-assign]
    service = AlarmService(hub, journal, escalation_threshold_s=lambda _t: 3600)
    service.start()
    try:
        hub.post_durable(report("first")).result(timeout=30)
        first = next(iter(service.book.by_id))
        armed.set()
        hub.post_durable(report("slow"))
        assert held.wait(30)
        backlog = [hub.post_durable(report(f"b{i}")) for i in range(BACKLOG)]
        act = service.submit(Acknowledge(first, "op.dupont"))
        with lock:
            order.clear()
        go_on.set()
        assert act.result(timeout=60).state is AlarmState.ACKNOWLEDGED
        for fut in backlog:
            fut.result(timeout=60)
    finally:
        go_on.set()
        service.stop()
        journal.close()
    with lock:
        assert order.count("acts") == 1, order
        after = order[order.index("acts") + 1:]
    assert after.count("reports") >= 1, order  # stored before the backlog's last batch
