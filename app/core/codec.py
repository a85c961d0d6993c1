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
from collections.abc import Callable
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


Decoder = Callable[[Any], Any]
_CAUGHT = (TypeError, ValueError, KeyError)


def from_jsonable(tp: Any, value: Any) -> Any:
    return _decoder(tp)(value)


def decode(cls: type[T], data: dict[str, Any]) -> T:
    return typing.cast(T, _decoder(typing.cast(Any, cls))(data))


@cache
def _decoder(tp: Any) -> Decoder:
    """The decoder of one type, worked out once from its hints: a seat decodes thousands of
    alarms a second in a storm, and walking the hints for every value cost ~90 µs an alarm
    (bench/multiseat.py: a fifth of a seat's CPU)."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return _union(tp)
    if origin is tuple:
        args = get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            item = _decoder(args[0])
            return lambda value: tuple(item(v) for v in value)
        items = tuple(_decoder(a) for a in args)
        return lambda value: tuple(d(v) for d, v in zip(items, value, strict=True))
    if origin is list:
        item = _decoder(get_args(tp)[0])
        return lambda value: [item(v) for v in value]
    if tp is LatLon:
        return _latlon
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return tp
    if tp is datetime:
        return _datetime
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass(tp)
    if tp is float:
        return _float
    if tp in (int, str, bool):
        return _exact(tp)
    if tp is typing.Any:
        return lambda value: value

    def cannot(_value: Any) -> Any:
        raise TypeError(f"cannot decode {tp}")
    return cannot


def _union(tp: Any) -> Decoder:
    args = get_args(tp)
    optional = type(None) in args
    choices = tuple(_decoder(a) for a in args if a is not type(None))

    def decode_union(value: Any) -> Any:
        if value is None and optional:
            return None
        for choice in choices:
            try:
                return choice(value)
            except _CAUGHT:
                continue
        raise ValueError(f"{value!r} fits none of {tp}")
    return decode_union


def _dataclass(cls: type) -> Decoder:
    hints = _hints(cls)
    # the field decoders are looked up at the first use: a dataclass may refer to itself
    names = tuple(f.name for f in dataclasses.fields(cls))
    fields: list[tuple[str, Decoder]] = []

    def decode_dataclass(data: dict[str, Any]) -> Any:
        if not fields:
            fields.extend((name, _decoder(hints[name])) for name in names)
        return cls(**{name: dec(data[name]) for name, dec in fields if name in data})
    return decode_dataclass


def _latlon(value: Any) -> LatLon:
    lat, lon = value
    return LatLon(float(lat), float(lon))


def _datetime(value: Any) -> datetime:
    dt = datetime.fromisoformat(value)
    if dt.tzinfo is None:
        raise ValueError("naive datetime in the journal")
    return dt


def _float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {value!r}")
    return float(value)


def _exact(tp: type) -> Decoder:
    def decode_exact(value: Any) -> Any:
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise TypeError(f"expected {tp.__name__}, got {value!r}")
        return value
    return decode_exact


EVENT_TYPES: dict[str, type[ev.Event]] = {
    cls.kind: cls
    for cls in (
        ev.CameraAnnounced,
        ev.CameraStatusChanged,
        ev.RecordingStateChanged,
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
