"""Commands that reach the service together are settled together: one transaction and one
NOTIFY for what one pass of the service has done. One commit each kept the service from
taking new commands in a storm of acknowledgements (bench/multiseat.py: every 10th of 2,000
alarms/s acknowledged), so acknowledgements reached the other seats seconds late."""

from __future__ import annotations

import psycopg
import pytest

from app.core.model import AlarmState
from app.services.alarm_book import Acknowledge
from app.services.room_commands import ALARM, alarm_command_body
from app.store import schema
from tests.room.room_rig import Room, report, signed
from tests.servers.postgres import PostgresServer
from tests.waiting import wait_until

ACKS = 30



@pytest.mark.slow
def test_commands_that_arrive_together_are_settled_together(
        room: Room, pg_server: PostgresServer, pg_url: str) -> None:
    service = room.start_service()
    seats_ = [room.seat(f"op{n}").seat for n in range(3)]
    for i in range(ACKS):
        service.hub.post_durable(report(f"door-{i}")).result(10)
    ids = [a.id for a in service.current_alarms()]
    with psycopg.connect(pg_url, password=pg_server.password, autocommit=True) as listener, \
            psycopg.connect(pg_url, password=pg_server.password) as seats:
        listener.execute(f"LISTEN {schema.DONE_CHANNEL}")
        with seats.transaction():  # as many seats clicking at once
            seats.cursor().executemany(
                "INSERT INTO commands (seat_id, kind, body) VALUES (%s, %s, %s)",
                [signed(seats_[n % 3], ALARM, alarm_command_body(Acknowledge(aid, f"op{n % 3}")))
                 for n, aid in enumerate(ids)])
            seats.execute("SELECT pg_notify(%s, '')", (schema.COMMANDS_CHANNEL,))
        wait_until(lambda: all(a.state is AlarmState.ACKNOWLEDGED
                               for a in service.current_alarms()), 30, "all acknowledged")

        def settled() -> bool:
            row = listener.execute("SELECT count(*) FROM commands WHERE done IS NULL"
                                   ).fetchone()
            return row is not None and row[0] == 0

        wait_until(settled, 30, "every command settled")
        notes = list(listener.notifies(timeout=1.0))
    assert 1 <= len(notes) <= ACKS / 4, len(notes)  # one per command before
