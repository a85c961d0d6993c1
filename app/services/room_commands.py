"""Operator commands crossing from a seat to the room's service through the journal's
commands table, and their outcomes back: one JSON shape, read and written here only.

The service never trusts the seat: a command that does not decode, or names a kind it does
not know, is refused with a reason; the alarm service then applies it as it applies its own
console's (conditional on the state the operator saw: one of two simultaneous acts wins).
"""

from __future__ import annotations

import json
from typing import Any

from app.core.adapter import PtzCommand
from app.core.codec import decode, dumps, to_jsonable
from app.core.model import Alarm, AlarmStep
from app.services.alarm_book import (
    Acknowledge,
    AddNote,
    AlreadyHandled,
    Assign,
    Close,
    Command,
    InvalidTransition,
)

ALARM = "alarm"
PTZ = "ptz"
COMMAND_TYPES: dict[str, type[Command]] = {
    c.__name__: c for c in (Acknowledge, Assign, Close, AddNote)}


class CommandRefused(Exception):
    """The service refused or could not run a seat's command: plain words."""


def alarm_command_body(cmd: Command) -> str:
    return json.dumps({"type": type(cmd).__name__, "command": to_jsonable(cmd)})


def ptz_command_body(cmd: PtzCommand) -> str:
    return dumps(cmd)


def decode_alarm_command(body: dict[str, Any]) -> Command:
    cls = COMMAND_TYPES.get(str(body.get("type")))
    data = body.get("command")
    if cls is None or not isinstance(data, dict):
        raise CommandRefused(f"unknown alarm command {body.get('type')!r}")
    try:
        return decode(cls, data)
    except (TypeError, ValueError, KeyError) as exc:
        raise CommandRefused(f"malformed alarm command ({exc})") from exc


def decode_ptz_command(body: dict[str, Any]) -> PtzCommand:
    try:
        return decode(PtzCommand, body)
    except (TypeError, ValueError, KeyError) as exc:
        raise CommandRefused(f"malformed PTZ command ({exc})") from exc


def error_body(exc: BaseException) -> str:
    """How a refusal travels back: its kind, its words, and who acted first for a claim."""
    out: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, AlreadyHandled):
        out |= {"alarm_id": exc.alarm_id, "step": to_jsonable(exc.step)}
    return json.dumps(out)


def error_of(text: str) -> Exception:
    """The exception a seat raises for a refusal the service wrote."""
    try:
        data = json.loads(text)
    except ValueError:
        return CommandRefused(text)
    kind, message = data.get("type"), str(data.get("message", text))
    if kind == "AlreadyHandled":
        try:
            return AlreadyHandled(str(data["alarm_id"]), decode(AlarmStep, data["step"]))
        except (KeyError, TypeError, ValueError):
            return InvalidTransition(message)
    if kind in ("InvalidTransition",):
        return InvalidTransition(message)
    return CommandRefused(message)


def alarm_of(text: str) -> Alarm | None:
    try:
        return decode(Alarm, json.loads(text)) if text else None
    except (TypeError, ValueError, KeyError):
        return None
