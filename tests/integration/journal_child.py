"""A console core that raises and acknowledges alarms until it is killed.

Run by test_journal_durability.py. Prints `SHOWN <id> <state> <steps>` for every alarm
change that reached the UI's queue: exactly what an operator could have seen. With
`--acked`, it plays a source instead: it posts reports durably, as adapters do, and prints
`ACKED <source id>` for each one the console confirmed as stored (what a panel got an ACK
for)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from app.core.events import AlarmChanged, AlarmReported
from app.core.hub import Hub, only
from app.core.journal import JournalStore
from app.core.journal_url import parse_journal_url
from app.core.journal_writer import JournalWriter
from app.core.model import AlarmType
from app.services.alarm_book import Acknowledge
from app.services.alarm_service import AlarmService
from app.store.opening import open_store


def _open(where: str) -> JournalStore:
    """A file path, or a room's postgresql:// URL (its password in PGPASSWORD)."""
    return open_store(parse_journal_url(where), create=True)[0]


def acknowledged_reports(path: str) -> None:
    hub = Hub()
    journal = _open(path)
    JournalWriter(hub, journal).start()
    AlarmService(hub, journal, escalation_threshold_s=lambda _t: 3600).start()
    n = 0
    while True:
        futures = []
        for _ in range(20):  # a burst, like several panels at once
            n += 1
            sid = f"r{n}"
            futures.append((sid, hub.post_durable(AlarmReported(
                source="panel", source_id=sid, type=AlarmType.INTRUSION, priority=2,
                title="burst", time=datetime.now(UTC)))))
        for sid, fut in futures:
            fut.result(10)
            print(f"ACKED {sid}", flush=True)  # noqa: T201


def main(path: str) -> None:
    hub = Hub()
    journal = _open(path)
    JournalWriter(hub, journal).start()
    ui = hub.subscribe("ui", only(AlarmChanged))
    service = AlarmService(hub, journal, escalation_threshold_s=lambda _t: 3600)
    service.start()
    n = 0
    while True:
        n += 1
        hub.post(AlarmReported(source="panel", source_id=f"s{n}", type=AlarmType.INTRUSION,
                               priority=2, title=f"Intrusion {n}", time=datetime.now(UTC)))
        if n % 4 == 0:  # a source resending: must never become a second alarm
            hub.post(AlarmReported(source="panel", source_id=f"s{n - 1}",
                                   type=AlarmType.INTRUSION, priority=2, title="again",
                                   time=datetime.now(UTC)))
        ui.wait(1.0)
        for e in ui.drain():
            assert isinstance(e, AlarmChanged)
            a = e.alarm
            print(f"SHOWN {a.id} {a.state.value} {len(a.history)}", flush=True)  # noqa: T201
            if a.state.value == "new" and int(a.id) % 3 == 0:
                service.submit(Acknowledge(a.id, "alice"))


if __name__ == "__main__":
    if sys.argv[2:] == ["--acked"]:
        acknowledged_reports(sys.argv[1])
    else:
        main(sys.argv[1])
