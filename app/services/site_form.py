"""An adapter's settings as a form: one field per key of its pydantic config, described
from the model itself (type, default, description), so that the set-up assistant shows a
new adapter's settings without being told about it. Qt-free: the widget only draws what
`form_fields` says and hands the typed text back to `parse_value`.
"""

from __future__ import annotations

import enum
import json
import tomllib
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from app.core.secrets import is_secret_key

# set in the assistant's own boxes (name) or not offered (kind is the choice itself)
NOT_IN_FORM = frozenset({"kind", "name", "enabled"})


class FieldError(ValueError):
    """A value typed in a form field that cannot be used: plain words."""


@dataclass(frozen=True)
class FieldSpec:
    """How to ask for one key. `kind`: text, int, float, bool, choice, secret, or toml (a
    list or table, typed as a TOML value: `["a", "b"]`, `{ "dev/1" = "pm11" }`)."""

    key: str
    kind: str
    required: bool
    default: Any = None  # the model's default (None: none, or None itself)
    choices: tuple[str, ...] = ()
    description: str = ""
    optional: bool = False  # the model accepts None: an empty box leaves it out

    @property
    def default_text(self) -> str:
        """The default as the box shows it (a placeholder: an empty box keeps it)."""
        if self.default is None or self.kind == "bool":
            return ""
        if isinstance(self.default, enum.Enum):
            return str(self.default.value)
        if self.kind == "toml":
            return _toml_value(self.default)
        return str(self.default)


class Unset:
    """An empty box: the key is left out of the site file (its default applies)."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()


def _strip_none(tp: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) != len(typing.get_args(tp))
        return tp, type(None) in typing.get_args(tp)
    return tp, False


def _kind_of(key: str, tp: Any) -> tuple[str, tuple[str, ...]]:
    if is_secret_key(key):
        return "secret", ()
    if typing.get_origin(tp) is Literal:
        return "choice", tuple(str(a) for a in typing.get_args(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return "choice", tuple(str(m.value) for m in tp)
    if tp is bool:
        return "bool", ()
    if tp is int:
        return "int", ()
    if tp is float:
        return "float", ()
    if tp is str:
        return "text", ()
    return "toml", ()


def form_fields(config: type[BaseModel]) -> list[FieldSpec]:
    """The keys of an adapter's config, in the model's order, as form fields."""
    out: list[FieldSpec] = []
    for key, info in config.model_fields.items():
        if key in NOT_IN_FORM:
            continue
        tp, optional = _strip_none(info.annotation)
        kind, choices = _kind_of(key, tp)
        required = info.is_required()
        default = None if required else info.get_default(call_default_factory=True)
        out.append(FieldSpec(key, kind, required, default, choices,
                             info.description or "", optional))
    return out


def parse_value(spec: FieldSpec, typed: str | bool) -> Any:
    """The value for the site file from what was typed; UNSET for an empty box that may
    stay empty. FieldError (plain words) when it cannot be used."""
    if spec.kind == "bool":
        value = bool(typed)
        return UNSET if value == spec.default else value
    text = str(typed).strip()
    if not text:
        if spec.required:
            raise FieldError(f"{spec.key}: required: give a value")
        return UNSET
    if spec.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise FieldError(f"{spec.key}: expected a whole number, got {text!r}") from None
    if spec.kind == "float":
        try:
            return float(text.replace(",", "."))
        except ValueError:
            raise FieldError(f"{spec.key}: expected a number, got {text!r}") from None
    if spec.kind == "choice":
        if text not in spec.choices:
            raise FieldError(f"{spec.key}: expected one of {', '.join(spec.choices)}, "
                             f"got {text!r}")
        return UNSET if text == spec.default_text else text
    if spec.kind == "toml":
        try:
            return tomllib.loads(f"v = {text}")["v"]
        except tomllib.TOMLDecodeError as exc:
            raise FieldError(f"{spec.key}: not a TOML value ({exc}); e.g. [\"a\", \"b\"] "
                             "for a list, { key = \"value\" } for a table") from None
    return text  # text, and a secret's keyring name


def _toml_value(value: Any) -> str:
    """A default on one line, as TOML writes it inline (`[20, 45]`, `{ "a" = 1 }`)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json", exclude_none=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}"
                                for k, v in value.items()) + " }" if value else ""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, enum.Enum):
        value = value.value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str | int | float) \
        else str(value)
