"""A room on a real PostgreSQL server, in one process: the console service takes the
sources' alarms, every seat shows them, an operator's act on one seat shows on the others,
of two simultaneous acts one wins and the other is told who, seats are listed, and a
database or a service that goes away and comes back loses nothing."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest

from app.core.events import AlarmChanged
from app.core.journal import JournalUnavailable
from app.core.journal_url import parse_journal_url
from app.core.model import AlarmState
from app.services.alarm_book import Acknowledge, AlreadyHandled, Assign, handled_state
from app.services.room_commands import CommandRefused
from app.services.room_service import ServiceRefused
from app.services.runtime import Runtime
from tests.room.room_rig import Room, report
from tests.servers.postgres import PostgresServer
from tests.waiting import wait_until


def test_an_alarm_shows_on_every_seat_and_an_act_on_one_shows_on_the_other(room: Room
                                                                           ) -> None:
    service = room.start_service()
    alice, bob = room.seat("alice"), room.seat("bob")
    service.hub.post_durable(report("door-1")).result(10)
    on_alice = alice.wait_alarm("door-1")
    bob.wait_alarm("door-1")
    assert [e.is_new for e in alice.of(AlarmChanged)] == [True]  # the tone sounds on each
    assert [e.is_new for e in bob.of(AlarmChanged)] == [True]
    done = alice.seat.alarms.submit(Acknowledge(on_alice.id, "alice",
                                                handled_state(on_alice)))
    assert done.result(10).state is AlarmState.ACKNOWLEDGED
    acked = bob.wait_alarm("door-1", lambda a: a.state is AlarmState.ACKNOWLEDGED)
    assert acked.history[-1].actor == "alice"
    assert service.current_alarms()[0] == acked  # the service's book is the same alarm


def test_of_two_simultaneous_acts_one_wins_and_the_other_is_told_who(room: Room) -> None:
    service = room.start_service()
    alice, bob = room.seat("alice"), room.seat("bob")
    service.hub.post_durable(report("door-2")).result(10)
    seen_a, seen_b = alice.wait_alarm("door-2"), bob.wait_alarm("door-2")
    one = alice.seat.alarms.submit(Acknowledge(seen_a.id, "alice", handled_state(seen_a)))
    two = bob.seat.alarms.submit(Assign(seen_b.id, "bob", "pm12", handled_state(seen_b)))
    outcomes = []
    for fut in (one, two):
        try:
            outcomes.append(fut.result(10))
        except AlreadyHandled as exc:
            outcomes.append(exc)
    won = [o for o in outcomes if not isinstance(o, AlreadyHandled)]
    lost = [o for o in outcomes if isinstance(o, AlreadyHandled)]
    assert len(won) == 1
    assert len(lost) == 1
    winner = won[0].history[-1].actor
    assert lost[0].actor == winner
    assert winner in str(lost[0])
    final = service.current_alarms()[0]
    assert sum(s.action in ("acknowledged", "assigned") and s.actor != winner
               for s in final.history) == 0  # the loser changed nothing


def test_the_seats_and_the_service_are_listed_and_a_closed_seat_leaves(room: Room) -> None:
    room.start_service()
    alice = room.seat("alice")
    bob = room.seat("bob")
    listed = wait_until(lambda: (s := alice.seats()) and len(s.seats) == 3 and s, 20,
                        "service and two seats listed")
    assert [(s.role, s.user) for s in listed.seats] == [
        ("service", listed.seats[0].user), ("seat", "alice"), ("seat", "bob")]
    assert listed.seats[1].seat_id == alice.seat.seat_id
    bob.seat.stop()
    wait_until(lambda: len(alice.seats().seats) == 2, 20,  # type: ignore[union-attr]
               "bob gone from alice's list")


def test_a_second_service_on_the_same_journal_is_refused(room: Room) -> None:
    room.start_service()
    second = Runtime(room.service.site, {}, room.where, room.password)  # type: ignore[union-attr]
    try:
        with pytest.raises(ServiceRefused, match="another console service already runs"):
            second.start()
    finally:
        second.stop()


def test_a_seat_keeps_what_it_shows_while_the_database_is_down_and_catches_up(
        room: Room, pg_server: PostgresServer) -> None:
    service = room.start_service()
    alice = room.seat("alice")
    service.hub.post_durable(report("before")).result(10)
    alice.wait_alarm("before")
    pg_server.stop()
    lost = wait_until(lambda: (s := alice.status()) and not s.database_ok and s, 20,
                      "the seat says the database is lost")
    assert "database server 127.0.0.1" in lost.problem
    assert alice.seat.current_alarms()  # kept, not cleared
    refused = alice.seat.alarms.submit(Acknowledge(alice.alarm("before").id, "alice"))  # type: ignore[union-attr]
    with pytest.raises(Exception, match="cannot be reached: the action was not taken"):
        refused.result(20)
    pending = service.hub.post_durable(report("during"))  # the source is not acknowledged
    with pytest.raises(JournalUnavailable):
        pending.result(20)
    pg_server.restart()
    service.hub.post_durable(report("during")).result(30)  # the source sends it again
    alice.wait_alarm("during", timeout=30)
    wait_until(lambda: (s := alice.status()) and s.database_ok, 30, "the seat back")


def test_a_command_waits_for_a_stopped_service_and_a_stale_one_is_refused(
        room: Room, pg_url: str, pg_server: PostgresServer) -> None:
    service = room.start_service()
    alice = room.seat("alice")
    service.hub.post_durable(report("door-3")).result(10)
    seen = alice.wait_alarm("door-3")
    room.stop_service()
    wait_until(lambda: (s := alice.status()) and not s.service_ok, 20,
               "the seat says the service is gone")
    waiting = alice.seat.alarms.submit(Acknowledge(seen.id, "alice", handled_state(seen)))
    with psycopg.connect(pg_url, password=pg_server.password) as conn:  # asked long ago
        conn.execute("INSERT INTO commands (created, seat_id, kind, body) VALUES "
                     "(now() - interval '5 minutes', 'old-seat', 'alarm', '{}')")
        conn.commit()
    assert not waiting.done()
    room.start_service()
    assert waiting.result(20).state is AlarmState.ACKNOWLEDGED
    wait_until(lambda: (s := alice.status()) and s.service_ok, 20, "the service back")
    with psycopg.connect(pg_url, password=pg_server.password) as conn:
        error = conn.execute("SELECT error FROM commands WHERE seat_id = 'old-seat'"
                             ).fetchone()
    assert error is not None
    assert "was not running when this was asked" in error[0]


def test_a_malformed_command_is_refused_with_a_reason(room: Room) -> None:
    room.start_service()
    alice = room.seat("alice")
    fut = alice.seat.send("alarm", '{"type": "Erase", "command": {}}')
    with pytest.raises(CommandRefused, match="unknown alarm command 'Erase'"):
        fut.result(10)
    fut = alice.seat.send("rm -rf", "{}")
    with pytest.raises(CommandRefused, match="unknown command kind"):
        fut.result(10)


def test_a_seat_that_attaches_later_shows_the_same_queue(room: Room) -> None:
    service = room.start_service()
    alice = room.seat("alice")
    for i in range(5):
        service.hub.post_durable(report(f"d{i}")).result(10)
    first = alice.wait_alarm("d0")
    alice.seat.alarms.submit(Acknowledge(first.id, "alice")).result(10)
    alice.wait_alarm("d4")
    late = room.seat("carol")
    assert sorted((a.id, a.state) for a in late.seat.current_alarms()) == \
        sorted((a.id, a.state) for a in alice.seat.current_alarms())
    assert not any(e.is_new for e in late.of(AlarmChanged))  # no tone for old alarms


def test_a_link_lost_half_way_through_a_catch_up_reads_it_all_again(
        room: Room, pg_url: str, pg_server: PostgresServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: the alarms' cursor moved before the events were read; a link lost in
    between dropped those alarms for good (a seat showed 41 of 42 after a restart)."""
    from app.store.room import FeedReader, RoomLost

    service = room.start_service()
    feed = FeedReader(parse_journal_url(pg_url), pg_server.password)
    try:
        feed.snapshot()
        service.hub.post_durable(report("half-way")).result(10)
        real = feed.conn()

        class CutAtEvents:
            def notifies(self, timeout: float) -> Iterator[object]:
                return real.notifies(timeout=timeout)

            def execute(self, sql: str, params: object = None) -> object:
                if "FROM events" in sql:
                    raise psycopg.OperationalError("the connection is lost")
                return real.execute(sql, params)  # type: ignore[arg-type]

        monkeypatch.setattr(feed, "conn", lambda: CutAtEvents())
        with pytest.raises(RoomLost):
            feed.catch_up()
        monkeypatch.undo()
        assert [a.source_id for a in feed.catch_up().alarms] == ["half-way"]
    finally:
        feed.close()


def test_a_seat_away_for_a_long_backlog_takes_the_latest_of_each(
        room: Room, pg_url: str, pg_server: PostgresServer,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A night of positions is not replayed one by one to a seat that comes back: the
    latest position of each officer, and every alarm change, still are."""
    from datetime import UTC, datetime, timedelta

    from app.core.events import PositionReported
    from app.core.model import LatLon, PositionFix
    from app.store import room as room_module
    from app.store.room import FeedReader

    monkeypatch.setattr(room_module, "MAX_BACKLOG", 50)
    service = room.start_service()
    feed = FeedReader(parse_journal_url(pg_url), pg_server.password)
    try:
        feed.snapshot()
        t0 = datetime.now(UTC)
        fixes = [PositionReported(PositionFix(f"pm{i % 3}", LatLon(48.85 + i / 1e4, 2.35),
                                              t0 + timedelta(seconds=i), None, None, None))
                 for i in range(120)]
        service.journal.append_events(fixes)
        service.hub.post_durable(report("while-away")).result(10)
        back = feed.catch_up()
        got = [e for e in back.events if isinstance(e, PositionReported)]
        assert sorted((e.fix.officer_id, e.fix.time) for e in got) == sorted(
            (f"pm{i % 3}", t0 + timedelta(seconds=i)) for i in range(117, 120))
        assert [a.source_id for a in back.alarms] == ["while-away"]
        assert feed.catch_up().events == []  # and the cursor is past them
    finally:
        feed.close()


def test_a_seat_started_before_the_database_answers_attaches_when_it_does(
        room: Room, pg_server: PostgresServer) -> None:
    """A workstation may boot before the room's server: the seat opens, says the database
    cannot be reached, and attaches by itself when it answers. A wrong password, though,
    stops it at once with what is wrong (waiting would not fix it)."""
    from app.services.seat_runtime import SeatRuntime
    from app.store.connection import JournalCannotReach
    from tests.room.room_rig import Seen, quiet_site

    service = room.start_service()
    service.hub.post_durable(report("early")).result(10)
    pg_server.stop()
    seat = SeatRuntime(quiet_site(), room.where, room.password, user="dawn")
    seen = Seen(seat)
    seat.start()
    room.seats.append(seat)
    lost = wait_until(lambda: (s := seen.status()) and not s.database_ok and s, 20,
                      "the seat says the database cannot be reached")
    assert "does not answer" in lost.problem
    pg_server.restart()
    seen.wait_alarm("early", timeout=30)
    wait_until(lambda: (s := seen.status()) and s.database_ok, 30, "attached")
    with pytest.raises(JournalCannotReach, match="refused the password"):
        SeatRuntime(quiet_site(), room.where, "wrong", user="eve")
