"""The journal's contract, on both backends: the embedded SQLite file and a room's real
PostgreSQL server (tests/servers/postgres.py). What the services rely on holds on each:
one transaction per write, durable before the call returns, nothing half-stored, a failure
said in plain words and survived, times UTC, unreadable rows skipped."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from app.core import events as ev
from app.core.events import AlarmChanged, AlarmReported, JournalStatus
from app.core.hub import Hub, only
from app.core.journal import JournalHealth, JournalStore, JournalUnavailable
from app.core.journal_url import parse_journal_url
from app.core.model import AlarmState, AlarmType, OperatorAction
from app.services.alarm_book import Acknowledge
from app.services.alarm_service import AlarmService
from app.store import schema
from app.store.connection import JournalCannotReach
from app.store.postgres_journal import JournalOutdated, PostgresJournal
from tests.integration.test_journal_durability import acked_until_killed, run_child_until_killed
from tests.servers.postgres import PostgresServer
from tests.unit.cli_run import csu
from tests.unit.test_journal import SAMPLES, T, alarm
from tests.waiting import wait_until

Opener = Callable[[], JournalStore]  # the `open_journal` fixture (tests/conftest.py)


def test_alarms_actions_and_events_are_stored_together_and_read_back(open_journal: Opener
                                                                     ) -> None:
    j = open_journal()
    j.store(alarms=[alarm(1), alarm(2)], actions=[OperatorAction(T, "alice", "acknowledged",
                                                                 "alarm:1", "")],
            events=SAMPLES)
    again = open_journal()  # what another connection (a restarted console) reads
    assert [a.id for a in again.load_alarms()] == ["1", "2"]
    assert again.actions() == [OperatorAction(T, "alice", "acknowledged", "alarm:1", "")]
    # in time order (an announcement is stamped when stored): the same events, each once
    assert sorted((e for _, e in again.iter_events()), key=lambda e: e.kind) == \
        sorted(SAMPLES, key=lambda e: e.kind)
    assert again.count_events() == len(SAMPLES)
    assert again.count_events("position") == 1
    assert again.next_alarm_seq() == 3
    closed = alarm(2, AlarmState.CLOSED)
    again.save_alarm(closed)
    assert [a.id for a in j.load_alarms(open_only=True)] == ["1"]
    assert j.load_alarms()[1] == closed  # updated in place, not a second row


def test_times_are_utc_and_ranges_select_by_time(open_journal: Opener) -> None:
    j = open_journal()
    early = ev.OfficerStatusChanged("o1", ev.OfficerStatus.BUSY, T)
    late = ev.OfficerStatusChanged("o1", ev.OfficerStatus.AVAILABLE, T + timedelta(hours=1))
    j.append_events([late, early])
    got = list(j.iter_events(T + timedelta(minutes=30)))
    assert got == [(T + timedelta(hours=1), late)]
    assert got[0][0].utcoffset() == timedelta(0)
    assert [e for _, e in j.iter_events(end=T)] == [early]


def test_a_write_that_breaks_a_rule_stores_nothing_of_it(open_journal: Opener) -> None:
    """Two open alarms for one condition are refused by the journal itself (a bug of ours,
    raised as such, not a state of the disk), and nothing of that transaction remains."""
    j = open_journal()
    j.save_alarm(alarm(1))
    twin = alarm(2)
    twin = type(twin)(**{**{f: getattr(twin, f) for f in twin.__dataclass_fields__},
                         "source_id": "s1"})
    with pytest.raises(Exception, match=r"(?i)unique|constraint") as raised:
        j.store(alarms=[twin], actions=[OperatorAction(T, "x", "y", "z", "")],
                events=[SAMPLES[0]])
    assert not isinstance(raised.value, JournalUnavailable)
    assert [a.id for a in j.load_alarms()] == ["1"]
    assert j.actions() == []
    assert j.count_events() == 0
    j.save_alarm(alarm(3))  # usable at once
    assert j.health.ok


# -- PostgreSQL: the server goes away and comes back ------------------------------------------

@pytest.fixture
def room_journal(pg_server: PostgresServer, pg_url: str) -> Iterator[PostgresJournal]:
    j = PostgresJournal(parse_journal_url(pg_url), pg_server.password, create=True)
    yield j
    j.close()


def test_a_stopped_server_is_said_in_plain_words_and_writes_resume(
        pg_server: PostgresServer, room_journal: PostgresJournal) -> None:
    j = room_journal
    changes: list[JournalHealth] = []
    j.on_health(changes.append)
    j.save_alarm(alarm(1))
    pg_server.stop()
    try:
        for write in (lambda: j.save_alarm(alarm(2)),
                      lambda: j.audit("alice", "acknowledged", "alarm:1"),
                      lambda: j.append_events([SAMPLES[1]])):
            with pytest.raises(JournalUnavailable, match=r"database server 127\.0\.0\.1"):
                write()
        assert not j.health.ok
        assert j.health.failures == 3
    finally:
        pg_server.restart()
    j.save_alarm(alarm(2))  # connects again by itself
    assert [a.id for a in j.load_alarms()] == ["1", "2"]
    assert j.actions() == []
    assert j.count_events() == 0
    assert [h.ok for h in changes] == [False, True]


def test_a_crashed_server_keeps_every_committed_write(
        pg_server: PostgresServer, room_journal: PostgresJournal) -> None:
    for i in range(1, 51):
        room_journal.store(alarms=[alarm(i)], events=[SAMPLES[5]])
    pg_server.kill()  # SIGKILL: no shutdown checkpoint
    pg_server.restart()
    assert len(room_journal.load_alarms()) == 50
    assert room_journal.count_events("position") == 50


def test_the_alarm_service_loses_nothing_while_the_database_is_down(
        pg_server: PostgresServer, room_journal: PostgresJournal) -> None:
    """The hardening issue's journal-failure test, on PostgreSQL: reports and commands
    wait, sources are told "not stored", the operator is told why; all of it is stored,
    then shown, once the server is back."""
    hub = Hub()
    ui = hub.subscribe("ui", only(AlarmChanged, JournalStatus))
    service = AlarmService(hub, room_journal, escalation_threshold_s=lambda _t: 3600,
                           tick_s=0.05)
    service.start()
    try:
        hub.post_durable(AlarmReported("panel", "a", AlarmType.INTRUSION, 3, "a",
                                       datetime.now(UTC))).result(10)
        shown = wait_until(lambda: next((e.alarm for e in ui.drain()
                                         if isinstance(e, AlarmChanged)), None), 10)
        pg_server.stop()
        refused = hub.post_durable(AlarmReported("panel", "b", AlarmType.INTRUSION, 3, "b",
                                                 datetime.now(UTC)))
        with pytest.raises(JournalUnavailable):  # the source is told at once: it resends
            refused.result(15)
        ack = service.submit(Acknowledge(shown.id, "alice"))
        status = wait_until(lambda: next((e for e in ui.drain() if isinstance(
            e, JournalStatus) and not e.ok and e.waiting_actions >= 1), None), 15,
            "a journal status saying what waits")
        assert "database server" in status.problem
        assert status.waiting_reports == 1
        assert not ack.done()
        pg_server.restart()
        assert ack.result(20).state is AlarmState.ACKNOWLEDGED
        wait_until(lambda: len(room_journal.load_alarms()) == 2, 20, "the waiting report")
    finally:
        service.stop()
    stored = {a.source_id: a for a in room_journal.load_alarms()}
    assert stored["a"].state is AlarmState.ACKNOWLEDGED
    assert room_journal.count_events("alarm_report") == 2


def test_sigkill_of_a_console_loses_no_acknowledged_report(
        pg_server: PostgresServer, pg_url: str) -> None:
    """The hardening issue's SIGKILL test on PostgreSQL: every report a source got an ACK
    for is in the journal after the console is killed."""
    acked = acked_until_killed(pg_url, 300, pg_server.env())
    j = PostgresJournal(parse_journal_url(pg_url), pg_server.password)
    try:
        stored = {e.source_id for _, e in j.iter_events() if isinstance(e, AlarmReported)}
        assert not [sid for sid in acked if sid not in stored]
        assert {a.source_id for a in j.load_alarms()} >= set(acked)
    finally:
        j.close()


def test_sigkill_of_a_console_loses_nothing_it_showed_and_duplicates_nothing(
        pg_server: PostgresServer, pg_url: str) -> None:
    """The hardening issue's first SIGKILL test on PostgreSQL: every alarm the killed
    console had shown is in the journal, in at least the state shown, none twice."""
    shown = run_child_until_killed(pg_url, 120, pg_server.env())
    assert any(state == "acknowledged" for state, _ in shown.values())
    j = PostgresJournal(parse_journal_url(pg_url), pg_server.password)
    try:
        restored = {a.id: a for a in j.load_alarms()}
    finally:
        j.close()
    for alarm_id, (state, steps) in shown.items():
        assert alarm_id in restored, f"alarm {alarm_id} was shown, then lost"
        assert len(restored[alarm_id].history) >= steps
        if state == "acknowledged":
            assert restored[alarm_id].state is AlarmState.ACKNOWLEDGED
    keys = [a.key for a in restored.values()]
    assert len(keys) == len(set(keys)), "an alarm was journaled twice"
    assert sorted(int(i) for i in restored) == list(range(1, len(restored) + 1))


# -- opening: plain words, migrations -----------------------------------------------------------

def test_a_seat_refuses_a_database_without_a_journal_and_names_the_command(
        pg_server: PostgresServer, pg_url: str) -> None:
    with pytest.raises(JournalOutdated, match="csu-console db upgrade --journal"):
        PostgresJournal(parse_journal_url(pg_url), pg_server.password)


def test_a_wrong_password_is_said_in_plain_words(pg_server: PostgresServer, pg_url: str
                                                 ) -> None:
    with pytest.raises(JournalCannotReach, match="refused the password of user 'csu'"):
        PostgresJournal(parse_journal_url(pg_url), "not-the-password", create=True)


def test_db_upgrade_creates_then_finds_the_schema_up_to_date(
        pg_server: PostgresServer, pg_url: str) -> None:
    first = csu("db", "upgrade", "--journal", pg_url, env=pg_server.env())
    assert first.returncode == 0, first.stderr
    assert f"no journal -> schema {schema.LATEST}" in first.stdout
    second = csu("db", "upgrade", "--journal", pg_url, env=pg_server.env())
    assert f"schema {schema.LATEST}, up to date" in second.stdout
    with psycopg.connect(pg_url, password=pg_server.password) as conn:
        conn.execute("DELETE FROM csu_schema")  # as if made by an older console
        conn.commit()
    with pytest.raises(JournalOutdated, match=f"schema 0, this console needs {schema.LATEST}"):
        PostgresJournal(parse_journal_url(pg_url), pg_server.password)


def test_the_journal_uses_tls_when_the_server_asks_for_it(tmp_path: Path) -> None:
    """A room's server that accepts only TLS: the journal's URL needs nothing for it
    (libpq's `sslmode=prefer`), and a URL may ask to check the server's certificate."""
    import shutil
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="csu-pg-tls-"))
    try:
        with PostgresServer(root, ssl_only=True) as server:
            url = server.create_database("room")
            j = PostgresJournal(parse_journal_url(url), server.password, create=True)
            try:
                j.save_alarm(alarm(1))
                rows = j._read("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
                assert rows == [(True,)]
            finally:
                j.close()
            assert server.ca_file is not None
            checked = parse_journal_url(f"{url}?sslmode=verify-full&sslrootcert="
                                        f"{server.ca_file}")
            j = PostgresJournal(checked, server.password)
            try:
                assert [a.id for a in j.load_alarms()] == ["1"]
            finally:
                j.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
