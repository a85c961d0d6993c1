"""What a console window drives, whichever runtime is behind it: one console's own
(`Runtime`: adapters, alarm service, journal in one process) or a seat of a room
(`SeatRuntime`: the room's service does that, the seat follows its journal)."""

from __future__ import annotations

import concurrent.futures
from concurrent.futures import Future
from typing import Any, Protocol

from app.core.adapter import PtzCommand
from app.core.hub import Hub
from app.core.model import Alarm, Camera
from app.core.site import Site
from app.services.alarm_book import Command
from app.services.bodycam_policy import BodyCamPolicy, Decision


class CommandTaker(Protocol):
    def submit(self, cmd: Command) -> concurrent.futures.Future[Alarm]: ...


class ConsoleRuntime(Protocol):
    @property
    def site(self) -> Site: ...
    @property
    def hub(self) -> Hub: ...
    @property
    def alarms(self) -> CommandTaker: ...
    @property
    def bodycams(self) -> BodyCamPolicy: ...
    @property
    def cameras(self) -> dict[str, Camera]: ...

    def current_alarms(self) -> list[Alarm]: ...
    def audit(self, actor: str, action: str, target: str, detail: str = "") -> Future[None]: ...
    def open_bodycam(self, decision: Decision, operator: str, via: str,
                     reason: str = "") -> Future[None]: ...
    def ptz(self, command: PtzCommand) -> Future[Any]: ...
    def start(self) -> None: ...
    def stop(self) -> None: ...
