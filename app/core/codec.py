"""JSON encoding of domain dataclasses and events, for the journal.

Generic over the dataclasses of `model` and `events`, driven by their type hints, so a new
field needs no codec change. Decoding is strict: a row that does not fit raises ValueError.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from datetime import datetime
from functools import cache
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from app.core import events as ev
from app.core.model import LatLon

T = TypeVar("T")


_PLAIN = frozenset({str, int, float, bool, type(None)})


@cache
def _field_names(cls: Any) -> tuple[str, ...] | None:
    """A dataclass's field names (looked up once per class: the alarm service encodes
    thousands of alarms a second in a storm), None for anything else."""
    if dataclasses.is_dataclass(cls):
        return tuple(f.name for f in dataclasses.fields(cls))
    return None


def to_jsonable(obj: Any) -> Any:
    kind: Any = type(obj)
    if kind in _PLAIN:  # exact types: an enum deriving from str is not plain
        return obj
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, datetime):
        if obj.tzinfo is None:
            raise ValueError("naive datetime: times are stored in UTC")
        return obj.isoformat()
    if kind is LatLon:
        return [obj.lat, obj.lon]
    names = _field_names(kind)
    if names is not None:
        return {name: to_jsonable(getattr(obj, name)) for name in names}
    if isinstance(obj, list | tuple):
        return [to_jsonable(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    return obj


def dumps(obj: Any) -> str:
    return json.dumps(to_jsonable(obj), separators=(",", ":"), ensure_ascii=False)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def from_jsonable(tp: Any, value: Any) -> Any:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        if value is None and type(None) in args:
            return None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return from_jsonable(arg, value)
            except (TypeError, ValueError, KeyError):
                continue
        raise ValueError(f"{value!r} fits none of {tp}")
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_jsonable(args[0], v) for v in value)
        return tuple(from_jsonable(a, v) for a, v in zip(args, value, strict=True))
    if origin is list:
        return [from_jsonable(get_args(tp)[0], v) for v in value]
    if tp is LatLon:
        lat, lon = value
        return LatLon(float(lat), float(lon))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp(value)
    if tp is datetime:
        dt = datetime.fromisoformat(value)
        if dt.tzinfo is None:
            raise ValueError("naive datetime in the journal")
        return dt
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return decode(tp, value)
    if tp is float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"expected a number, got {value!r}")
        return float(value)
    if tp in (int, str, bool):
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise TypeError(f"expected {tp.__name__}, got {value!r}")
        return value
    if tp is typing.Any:
        return value
    raise TypeError(f"cannot decode {tp}")


def decode(cls: type[T], data: dict[str, Any]) -> T:
    hints = _hints(cls)  # type: ignore[arg-type]
    kwargs = {
        f.name: from_jsonable(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)  # type: ignore[arg-type]
        if f.name in data
    }
    return cls(**kwargs)


EVENT_TYPES: dict[str, type[ev.Event]] = {
    cls.kind: cls
    for cls in (
        ev.CameraAnnounced,
        ev.CameraStatusChanged,
        ev.BodyCamLiveChanged,
        ev.OfficerAnnounced,
        ev.OfficerStatusChanged,
        ev.PositionReported,
        ev.AlarmReported,
        ev.AlarmChanged,
        ev.AdapterStatus,
        ev.GeofenceCrossed,
    )
}


def decode_event(kind: str, body: str) -> ev.Event:
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"unknown event kind {kind!r}")
    return decode(cls, json.loads(body))
