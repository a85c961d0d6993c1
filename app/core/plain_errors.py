"""Pydantic's validation errors in an installer's words.

"Input should be a valid string" means nothing to the person editing a site file at a
camera mast; "expected text, got the number 1234" does. Each error type that a site file
can produce has its sentence; any other reads "expected …, got …" from pydantic's own
words. A misspelt key gets the nearest valid ones of the table it sits in.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

Loc = tuple[str | int, ...]

# What a value of each error type should have been.
EXPECTED: dict[str, str] = {
    "string_type": "text",
    "string_unicode": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "tuple_type": "a list",
    "set_type": "a list",
    "frozen_set_type": "a list",
    "dict_type": "a table (key = value lines)",
    "model_type": "a table (key = value lines)",
    "model_attributes_type": "a table (key = value lines)",
    "dataclass_type": "a table (key = value lines)",
    "url_type": "a URL",
    "url_parsing": "a URL",
    "url_syntax_violation": "a URL",
    "url_scheme": "a URL",
    "date_type": "a date",
    "date_parsing": "a date",
    "datetime_type": "a date and time",
    "datetime_parsing": "a date and time",
    "time_type": "a time of day",
    "time_parsing": "a time of day",
    "none_required": "no value",
}
# Bounds: the sentence, with pydantic's context values filled in.
BOUNDS: dict[str, str] = {
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "multiple_of": "must be a multiple of {multiple_of}",
    "finite_number": "must be a finite number",
    "string_too_long": "must be at most {max_length} characters long",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "takes at most {max_length} item(s)",
}
TAG_LOC = "[key]"  # pydantic's marker for an error in a table's key rather than its value


def got(value: Any) -> str:
    """What the file gave, in words (TOML's types: text, numbers, booleans, lists, tables)."""
    if isinstance(value, bool):
        return f"the value {'true' if value else 'false'}"
    if isinstance(value, int | float):
        return f"the number {number(value)}"
    if isinstance(value, str):
        if not value:
            return "an empty text"
        shown = value if len(value) <= 60 else value[:57] + "…"
        return f"the text {shown!r}"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list" if value else "an empty list"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return f"the date/time {value.isoformat()}"
    return f"a {type(value).__name__}"


def number(value: Any) -> Any:
    """1.0 written as 1: the file says `min_score = 1`, pydantic's bound is the float 1.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _members(tp: Any) -> list[Any]:
    """The non-None members of a union, or [] when `tp` is not a union."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [_unwrap(a) for a in typing.get_args(tp) if a is not type(None)]
    return []


def _tag(tp: Any) -> str:
    return tp.__name__ if isinstance(tp, type) else str(tp)


def _model_field(model: type[BaseModel], key: str) -> Any:
    for name, f in model.model_fields.items():
        if key in (name, f.alias, f.validation_alias):
            return _unwrap(f.annotation)
    return None


def _step(tp: Any, part: str | int) -> Any:
    """The type found at `part` inside a value of type `tp` (None: unknown)."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _model_field(tp, part) if isinstance(part, str) else None
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is None:
        return None
    if isinstance(origin, type) and issubclass(origin, Mapping):
        return _unwrap(args[1]) if len(args) == 2 else None
    if isinstance(origin, type) and issubclass(origin, Sequence | set | frozenset):
        if not args:
            return None
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return _unwrap(args[min(int(part), len(args) - 1)]) if isinstance(part, int) else None
        return _unwrap(args[0])
    return None


def walk(model: type[BaseModel], loc: Loc) -> tuple[Loc, Any, Loc | None]:
    """pydantic's `loc` as the file's key path (without union tags and key markers), the
    type expected there, and the key path of the first union crossed (None: none)."""
    tp: Any = model
    clean: list[str | int] = []
    union_at: Loc | None = None
    for part in loc:
        members = _members(tp)
        if len(members) == 1:
            tp = members[0]
        elif members and isinstance(part, str):  # a union: pydantic names the member tried
            if union_at is None:
                union_at = tuple(clean)
            tp = next((m for m in members if _tag(m) == part), None)
            continue
        if part == TAG_LOC:  # the error is in the key itself: the path ends at the key
            tp = None
            continue
        clean.append(part)
        tp = _step(tp, part) if tp is not None else None
    return tuple(clean), tp, union_at


def valid_keys(tp: Any) -> list[str]:
    """The keys a table of type `tp` accepts, aliases included, in declaration order."""
    members = _members(tp) or [tp]
    keys: list[str] = []
    for m in members:
        if isinstance(m, type) and issubclass(m, BaseModel):
            for name, f in m.model_fields.items():
                for k in (name, f.alias, f.validation_alias):
                    if isinstance(k, str) and k not in keys:
                        keys.append(k)
    return keys


def nearest(key: str, keys: Sequence[str], cutoff: float = 0.6) -> list[str]:
    """The valid keys an installer most likely meant: a key that ends or starts with the
    typed one (`port` → `tcp_port`, `udp_port`), then the closest spellings (those nearly
    as close as the closest: `heding` → `heading`, not also `hw_decoding`)."""
    low = key.lower()
    parts = [k for k in keys if k.lower().endswith("_" + low) or k.lower().startswith(low + "_")]
    scored = sorted(((difflib.SequenceMatcher(None, low, k.lower()).ratio(), k) for k in keys
                     if k not in parts), key=lambda sk: -sk[0])
    close = [k for score, k in scored if score >= max(cutoff, scored[0][0] - 0.1)] if scored \
        else []
    return (parts + close)[:3]


def one_of(words: Sequence[str]) -> str:
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def unknown_key(key: str, table: Any) -> str:
    keys = valid_keys(table)
    close = nearest(key, keys)
    if close:
        return f"unknown key '{key}'; did you mean {one_of(close)}?"
    if keys:
        return f"unknown key '{key}' (the keys of this table: {', '.join(keys)})"
    return f"unknown key '{key}'"


def expected(err: Mapping[str, Any]) -> str | None:
    """What a type error expected ("text", "a list"); None: not an error about the type."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in EXPECTED:
        return EXPECTED[kind]
    if kind in ("literal_error", "enum"):
        return f"one of {ctx.get('expected', '')}".strip()
    return None


def sentence(err: Mapping[str, Any], table: Any = None) -> str:
    """One error in plain words; `table` is the type of the table that holds the key."""
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "missing":
        if err["loc"] and isinstance(err["loc"][-1], int):
            return "missing: the list needs more items"
        return "missing: this key is required"
    if kind == "extra_forbidden":
        return unknown_key(str(err["loc"][-1]), table)
    what = expected(err)
    if what is not None:
        return f"expected {what}, got {got(value)}"
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return "must not be empty"
        return f"must be at least {ctx.get('min_length')} characters long, got {got(value)}"
    if kind == "string_pattern_mismatch":
        return f"{got(value)} does not have the expected form (pattern {ctx.get('pattern')})"
    if kind in BOUNDS:
        try:
            text = BOUNDS[kind].format(**{k: number(v) for k, v in ctx.items()})
        except (KeyError, IndexError):
            text = BOUNDS[kind].split(" {")[0]
        if kind in ("too_short", "too_long"):
            return f"{text}, got {ctx.get('actual_length', '?')}"
        return f"{text}, got {got(value)}"
    if kind in ("value_error", "assertion_error"):
        return str(ctx.get("error") or err["msg"]).removeprefix("Assertion failed, ")
    return _fallback(str(err["msg"]), value)


def _fallback(msg: str, value: Any) -> str:
    """pydantic's message turned into a sentence of ours: 'Input should be a valid date'
    → 'expected a valid date, got the text 'soon''."""
    for prefix in ("Input should be ", "String should be ", "Value should be "):
        if msg.startswith(prefix):
            msg = "expected " + msg[len(prefix):]
            break
    else:
        msg = msg[:1].lower() + msg[1:]
    msg = msg.split(", unable to", 1)[0].rstrip(".")
    return f"{msg}, got {got(value)}" if value is not None else msg


def plain_problems(exc: ValidationError, model: type[BaseModel]) -> list[tuple[Loc, str]]:
    """Each problem of `exc` (raised validating `model`) as (key path, sentence).

    A value that fits none of a union's types is one problem ("expected text or a list"),
    not one per type tried; when one type came closer (a list with a bad item), only its
    errors are kept."""
    errors = exc.errors()
    walked = [walk(model, tuple(e["loc"])) for e in errors]
    unions: dict[Loc, list[int]] = {}
    for i, (_, _, union_at) in enumerate(walked):
        if union_at is not None:
            unions.setdefault(union_at, []).append(i)
    dropped: set[int] = set()
    combined: dict[int, tuple[Loc, str]] = {}  # first error of a union -> its one problem
    for at, idx in unions.items():
        deeper = [i for i in idx if walked[i][0] != at]
        if deeper:
            dropped |= {i for i in idx if walked[i][0] == at}
            continue
        alternatives = [expected(errors[i]) for i in idx]
        if all(alternatives):
            names = list(dict.fromkeys(a for a in alternatives if a))
            value = errors[idx[0]].get("input")
            sep = ", or " if any(" or " in n for n in names) else " or "
            combined[idx[0]] = (at, f"expected {sep.join(names)}, got {got(value)}")
            dropped |= set(idx)
    out: list[tuple[Loc, str]] = []
    for i, e in enumerate(errors):
        if i in combined:
            out.append(combined[i])
        if i in dropped:
            continue
        path, _, _ = walked[i]
        table = walk(model, tuple(e["loc"])[:-1])[1] if e["type"] == "extra_forbidden" else None
        out.append((path, sentence(e, table)))
    return out


def _key(part: str) -> str:
    bare = part and all(c.isascii() and (c.isalnum() or c in "-_") for c in part)
    return part if bare else json.dumps(part, ensure_ascii=False)


def key_path(loc: Loc, head: str = "") -> str:
    """A key path as the site file writes it: `adapters "dc09".accounts[0].cameras[1]`,
    `devices."10.0.0.5"` (TOML quotes a key that is not bare)."""
    out = head
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{_key(part)}" if out else _key(part)
    return out or "(top level)"
