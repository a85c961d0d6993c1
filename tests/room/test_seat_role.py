"""A seat on its own database role (`csu-console db grant-seat`): it works as a seat (shows,
signs in, acts through the service) and can do nothing else: the access log, the accounts
and the sessions are out of its reach, and it cannot pose as the service."""

from __future__ import annotations

import secrets

import psycopg
import pytest
from psycopg import sql

from app.core.journal_url import parse_journal_url
from app.core.model import AlarmState
from app.services.alarm_book import Acknowledge, handled_state
from app.services.seat_runtime import SeatRuntime
from tests.room.room_rig import PASSWORD, Room, quiet_site, report
from tests.servers.postgres import PostgresServer
from tests.unit.cli_run import csu
from tests.waiting import wait_until


def test_a_seat_role_does_what_a_seat_does_and_nothing_else(
        room: Room, pg_server: PostgresServer, pg_url: str) -> None:
    service = room.start_service()
    database = room.where.database
    seat_password = secrets.token_urlsafe(12)
    with pg_server.admin(str(database)) as admin:
        admin.execute(sql.SQL("CREATE ROLE csu_seat LOGIN PASSWORD {}").format(
            sql.Literal(seat_password)))
    granted = csu("db", "grant-seat", "csu_seat", "--journal", pg_url, env=pg_server.env())
    assert granted.returncode == 0, granted.stderr
    assert "nothing else" in granted.stdout
    seat_url = pg_url.replace("//csu@", "//csu_seat@")

    seat = SeatRuntime(quiet_site(), parse_journal_url(seat_url), seat_password, user="alice")
    seat.start()
    room.seats.append(seat)
    wait_until(seat.attached.is_set, 20, "the seat attached on its own role")
    room.account("alice")
    seat.sign_in("alice", PASSWORD).result(30)
    service.hub.post_durable(report("door-r1")).result(10)
    alarm = wait_until(lambda: next((a for a in seat.current_alarms()
                                     if a.source_id == "door-r1"), None), 20)
    done = seat.alarms.submit(Acknowledge(alarm.id, "alice", handled_state(alarm))).result(20)
    assert done is not None
    assert done.state is AlarmState.ACKNOWLEDGED

    with psycopg.connect(seat_url, password=seat_password, autocommit=True) as conn:
        for forbidden in ("SELECT * FROM users", "SELECT * FROM sessions",
                          "SELECT * FROM audit", "SELECT * FROM holds",
                          "INSERT INTO audit (ts, actor, action, target, detail)"
                          " VALUES (now(), 'alice', 'x', 'y', 'z')",
                          "UPDATE commands SET done = now()",
                          "DELETE FROM alarms"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(forbidden)
        # the seats list: its own kind of row only (the service's carries the key)
        changed = conn.execute("UPDATE seats SET public_key = 'forged' WHERE role = 'service'")
        assert changed.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO seats (seat_id, role, workstation, user_name, since,"
                         " last_seen, public_key) VALUES ('fake', 'service', 'x', 'x', now(),"
                         " now(), 'forged')")


def test_grant_seat_refuses_what_it_cannot_do(pg_server: PostgresServer, pg_url: str) -> None:
    bad = csu("db", "grant-seat", "Robert'); DROP TABLE alarms;--", "--journal", pg_url,
              env=pg_server.env())
    assert bad.returncode == 1
    assert "not a database role name" in bad.stdout + bad.stderr
    own_file = csu("db", "grant-seat", "csu_seat", "--journal", "/tmp/one-console.sqlite")
    assert own_file.returncode == 1
    assert "only a room's PostgreSQL journal has seats" in own_file.stdout + own_file.stderr
