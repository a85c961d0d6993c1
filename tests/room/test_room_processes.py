"""The room as an installer sets it up, every part a real process: `csu-console serve` with
a DC-09 receiver on the room's PostgreSQL journal, two seats, a real DC-09 panel (dc09-spt
frames). An alarm shows on both seats; an acknowledgement on one shows on the other; two
simultaneous acknowledgements give one winner; PostgreSQL stopped and restarted in the
middle of a storm loses nothing the panel got an ACK for and every seat catches up; a seat
killed and restarted shows the same queue as the other."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.integration.adapters.conftest import free_port
from tests.room.processes import Panel, SeatProcess, ServiceProcess, room_site
from tests.servers.postgres import PostgresServer
from tests.unit.cli_run import csu
from tests.waiting import wait_until

STORM = 40  # alarms in the storm
SEAT_PASSWORD = "the seats' long password"


@pytest.fixture
def room(pg_server: PostgresServer, pg_url: str, tmp_path: Path
         ) -> Iterator[tuple[ServiceProcess, Panel, list[SeatProcess]]]:
    port = free_port()
    env = pg_server.env()
    service = ServiceProcess(room_site(tmp_path, port), pg_url, tmp_path, env)
    seats: list[SeatProcess] = []
    panel = Panel(port)
    try:
        service.wait_log("adapter panels: running")
        for user in ("alice", "bob"):  # as the installer does
            added = csu("user", "add", user, "--name", user.title(), "--journal", pg_url,
                        stdin=SEAT_PASSWORD, env=env)
            assert added.returncode == 0, added.stderr
        env = {**env, "CSU_TEST_SEAT_PASSWORD": SEAT_PASSWORD}
        seats += [SeatProcess(pg_url, "alice", env), SeatProcess(pg_url, "bob", env)]
        for s in seats:
            s.ready()
        yield service, panel, seats
    finally:
        panel.close()
        for s in seats:
            s.stop()
        service.stop()


def shown_by(seat: SeatProcess, alarm_id: str) -> tuple[str, str, str] | None:
    return seat.alarms().get(alarm_id)


@pytest.mark.slow
def test_a_room_of_real_processes(room: tuple[ServiceProcess, Panel, list[SeatProcess]],
                                  pg_server: PostgresServer, pg_url: str) -> None:
    service, panel, seats = room
    alice, bob = seats

    # an alarm from the panel shows on both seats; an acknowledgement on one, on the other
    panel.deliver(1)
    first = wait_until(lambda: next(iter(alice.alarms()), None), 30, "the alarm on alice")
    wait_until(lambda: shown_by(bob, first), 30, "the alarm on bob")
    alice.ack(first)
    alice.out.wait(lambda ln: ln == f"DONE {first} ok", 30)
    wait_until(lambda: shown_by(bob, first) and shown_by(bob, first)[1:] == (  # type: ignore[index]
        "acknowledged", "alice"), 30, "alice's acknowledgement on bob's seat")

    # two simultaneous acknowledgements: one wins, the other is told who
    panel.deliver(2)
    second = wait_until(lambda: next((a for a in alice.alarms() if a != first), None), 30)
    wait_until(lambda: shown_by(bob, second), 30)
    alice.ack(second)
    bob.ack(second)
    outcomes = [s.out.wait(lambda ln: ln.startswith(f"DONE {second} "), 30) for s in seats]
    assert sorted(o.split()[2] for o in outcomes) == ["ok", "refused"]
    winner = "alice" if outcomes[0].endswith(" ok") else "bob"
    loser = next(o for o in outcomes if "refused" in o)
    assert f"already acknowledged by {winner}" in loser

    # a storm, with PostgreSQL stopped and restarted in the middle of it
    failed: list[BaseException] = []

    def send_storm() -> None:
        try:
            for zone in range(3, 3 + STORM):
                panel.deliver(zone, 120)
        except BaseException as exc:
            failed.append(exc)

    storm = threading.Thread(target=send_storm, daemon=True)
    storm.start()
    wait_until(lambda: len(panel.acked) >= 10, 60, "the storm under way")
    pg_server.stop()
    for s in seats:
        s.out.wait(lambda ln: ln.startswith("ROOM 0"), 30, f"{s.user} told the database is lost")
    pg_server.restart()
    storm.join(180)
    assert not failed
    assert not storm.is_alive()
    assert len(panel.acked) == STORM + 2
    with psycopg.connect(pg_url, password=pg_server.password) as conn:
        stored = conn.execute("SELECT count(*) FROM alarms").fetchone()
    assert stored is not None
    assert stored[0] == STORM + 2
    for s in seats:
        wait_until(lambda s=s: len(s.alarms()) == STORM + 2, 60,  # type: ignore[misc]
                   f"{s.user} caught up on every alarm: {len(s.alarms())} "
                   f"{[ln for ln in s.out.all() if not ln.startswith('ALARM')]}")

    # a seat killed and restarted shows the same queue as the other
    bob.kill()
    seats[1] = again = SeatProcess(pg_url, "bob", {**pg_server.env(),
                                                   "CSU_TEST_SEAT_PASSWORD": SEAT_PASSWORD}
                                   ).ready()
    wait_until(lambda: again.alarms() == alice.alarms(), 30,
               "the restarted seat shows alice's queue")
    assert service.proc.poll() is None
