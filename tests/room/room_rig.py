"""A room in one test process: the console service (`Runtime` on a real PostgreSQL journal)
and seats (`SeatRuntime`), each with the events its window would receive, collected."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

from app.core.access import Role
from app.core.events import AlarmChanged, AlarmReported, Event, RoomStatus, SeatsChanged
from app.core.journal_url import JournalLocation
from app.core.model import Alarm, AlarmType
from app.core.registry import discover
from app.core.site import Site, load_site
from app.main import demo_site_path
from app.services.accounts import Accounts
from app.services.runtime import Runtime
from app.services.seat_runtime import SeatRuntime
from tests.waiting import wait_until

E = TypeVar("E", bound=Event)
PASSWORD = "the rig's long password"


def quiet_site() -> Site:
    """The demo town without its adapters: the test says what happens."""
    return load_site(demo_site_path(), discover()).model_copy(update={"adapters": []})


class Seen:
    """Everything a seat's hub carried, kept (a window would have shown it)."""

    def __init__(self, seat: SeatRuntime) -> None:
        self.seat = seat
        self.events: list[Event] = []
        self._lock = threading.Lock()
        seat.hub.listen(self._keep)

    def _keep(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

    def of(self, kind: type[E]) -> list[E]:
        with self._lock:
            return [e for e in self.events if isinstance(e, kind)]

    def alarm(self, source_id: str) -> Alarm | None:
        """The latest state of the alarm the source calls `source_id`."""
        got = [e.alarm for e in self.of(AlarmChanged) if e.alarm.source_id == source_id]
        return got[-1] if got else None

    def wait_alarm(self, source_id: str, pred: Callable[[Alarm], bool] = lambda _a: True,
                   timeout: float = 20) -> Alarm:
        return wait_until(lambda: (a := self.alarm(source_id)) is not None and pred(a) and a,
                          timeout, f"alarm {source_id} on seat {self.seat.me.user}")

    def status(self) -> RoomStatus | None:
        got = self.of(RoomStatus)
        return got[-1] if got else None

    def seats(self) -> SeatsChanged | None:
        got = self.of(SeatsChanged)
        return got[-1] if got else None


def report(source_id: str, kind: AlarmType = AlarmType.INTRUSION) -> AlarmReported:
    return AlarmReported("panel", source_id, kind, 2, f"Intrusion {source_id}",
                         datetime.now(UTC))


class Room:
    def __init__(self, where: JournalLocation, password: str) -> None:
        self.where = where
        self.password = password
        self.service: Runtime | None = None
        self.seats: list[SeatRuntime] = []

    def start_service(self, site: Site | None = None) -> Runtime:
        self.service = Runtime(site or quiet_site(), {}, self.where, self.password)
        self.service.start()
        return self.service

    def stop_service(self) -> None:
        if self.service is not None:
            self.service.stop()
            self.service = None

    def seat(self, user: str, role: Role = Role.OPERATOR, communes: tuple[str, ...] = ("*",),
             sign_in: bool = True) -> Seen:
        """A seat, attached, with `user` signed in (an account made for them if needed:
        the service must be running)."""
        seat = SeatRuntime(quiet_site(), self.where, self.password, user=user)
        seen = Seen(seat)
        seat.start()
        self.seats.append(seat)
        wait_until(seat.attached.is_set, 20, f"seat {user} attached")
        if sign_in:
            self.account(user, role, communes)
            seat.sign_in(user, PASSWORD).result(30)
        return seen

    def account(self, login: str, role: Role = Role.OPERATOR,
                communes: tuple[str, ...] = ("*",)) -> None:
        assert self.service is not None, "accounts are made in the service's journal"
        if self.service.journal.account(login) is None:
            Accounts(self.service.journal, "test", "rig").add(login, login.title(), role,
                                                              communes, PASSWORD)

    def close(self) -> None:
        for seat in self.seats:
            seat.stop()
        self.stop_service()


def signed(seat: SeatRuntime, kind: str, body: str) -> tuple[str, str, str]:
    """(seat id, kind, body) of a command as `seat` would sign it: for tests that write
    commands into the table themselves (many at once, or forged ones)."""
    from app.services import room_auth

    assert seat.session is not None, "sign the seat in first"
    seat._number += 1
    return seat.seat_id, kind, room_auth.envelope(seat.session.id, seat._secret, seat._number,
                                                  kind, body)
