"""A seat of a room as its own process, without a window: the seat runtime a console runs,
its hub printed as lines, operator acts read from standard input. Run by
tests/room/test_room_processes.py and bench/multiseat.py.

    python -m tests.room.seat_child URL USER      (password in PGPASSWORD)
out: ALARM <alarm id> <source id> <state> <last actor> <new 0|1> <revision>
     ROOM <database ok 0|1> <service ok 0|1>
     DONE <alarm id> ok | DONE <alarm id> refused <words>
     READY
in:  ack <alarm id>       (conditional on the state this seat shows, as the console does)
"""

from __future__ import annotations

import os
import sys
import threading
from concurrent.futures import Future

from app.core.events import AlarmChanged, Event, RoomStatus
from app.core.journal_url import parse_journal_url
from app.core.model import Alarm
from app.services.alarm_book import Acknowledge, handled_state
from app.services.seat_runtime import SeatRuntime
from tests.room.room_rig import quiet_site

_out = threading.Lock()


def say(line: str) -> None:
    with _out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()


def show(event: Event) -> None:
    if isinstance(event, AlarmChanged):
        a = event.alarm
        actor = a.history[-1].actor if a.history else "-"
        say(f"ALARM {a.id} {a.source_id} {a.state.value} {actor} {int(event.is_new)} "
            f"{a.revision}")
    elif isinstance(event, RoomStatus):
        say(f"ROOM {int(event.database_ok)} {int(event.service_ok)}")


def main(url: str, user: str) -> None:
    seat = SeatRuntime(quiet_site(), parse_journal_url(url), user=user)
    seat.hub.listen(show)
    seat.start()
    seat.attached.wait(30)
    seat.sign_in(user, os.environ["CSU_TEST_SEAT_PASSWORD"]).result(30)
    say("READY")
    for line in sys.stdin:
        verb, _, alarm_id = line.strip().partition(" ")
        if verb != "ack":
            continue
        alarm = next((a for a in seat.current_alarms() if a.id == alarm_id), None)
        seen = handled_state(alarm) if alarm is not None else ""
        fut = seat.alarms.submit(Acknowledge(alarm_id, user, seen))

        def done(f: Future[Alarm], aid: str = alarm_id) -> None:
            exc = f.exception()
            say(f"DONE {aid} ok" if exc is None else f"DONE {aid} refused {exc}")

        fut.add_done_callback(done)
    seat.stop()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
