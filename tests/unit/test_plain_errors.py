"""Each pydantic error type a site file can produce has its sentence; the keyring names of
any config are found by the one rule (a key called `secret` or ending in `_secret`)."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, HttpUrl, ValidationError

from app.core.plain_errors import plain_problems
from app.core.registry import discover
from app.core.secrets import is_secret_key, secret_names


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = ""
    whole: int = 0
    real: float = 0.0
    flag: bool = False
    items: list[str] = []
    table: dict[str, int] = {}
    mode: Literal["a", "b"] = "a"
    positive: float = Field(1.0, gt=0)
    at_least: int = Field(1, ge=1)
    below: float = Field(0, lt=360)
    at_most: int = Field(1, le=4)
    named: str = Field("x", min_length=1)
    short: str = Field("", max_length=3)
    code: str = Field("A", pattern=r"^[A-F]+$")
    pair: tuple[float, float] = (0.0, 0.0)
    some: list[int] = Field(default_factory=lambda: [1], min_length=1)
    url: HttpUrl | None = None
    either: str | list[str] = ""
    tls: bool | str = True


@pytest.mark.parametrize(("raw", "path", "sentence"), [
    ({"text": 12}, ("text",), "expected text, got the number 12"),
    ({"whole": "3x"}, ("whole",), "expected a whole number, got the text '3x'"),
    ({"whole": 1.5}, ("whole",), "expected a whole number, got the number 1.5"),
    ({"real": "fast"}, ("real",), "expected a number, got the text 'fast'"),
    ({"flag": "oui"}, ("flag",), "expected true or false, got the text 'oui'"),
    ({"items": "a"}, ("items",), "expected a list, got the text 'a'"),
    ({"items": ["a", 2]}, ("items", 1), "expected text, got the number 2"),
    ({"table": ["a"]}, ("table",), "expected a table (key = value lines), got a list"),
    ({"table": {"k": "v"}}, ("table", "k"), "expected a whole number, got the text 'v'"),
    ({"mode": "c"}, ("mode",), "expected one of 'a' or 'b', got the text 'c'"),
    ({"positive": 0}, ("positive",), "must be more than 0, got the number 0"),
    ({"at_least": 0}, ("at_least",), "must be at least 1, got the number 0"),
    ({"below": 360}, ("below",), "must be less than 360, got the number 360"),
    ({"at_most": 5}, ("at_most",), "must be at most 4, got the number 5"),
    ({"named": ""}, ("named",), "must not be empty"),
    ({"short": "abcd"}, ("short",), "must be at most 3 characters long, got the text 'abcd'"),
    ({"code": "xyz"}, ("code",), "the text 'xyz' does not have the expected form (pattern "
                                 "^[A-F]+$)"),
    ({"pair": [1.0]}, ("pair", 1), "missing: the list needs more items"),
    ({"some": []}, ("some",), "needs at least 1 item(s), got 0"),
    ({"url": "not a url"}, ("url",), "expected a URL, got the text 'not a url'"),
    ({"either": 5}, ("either",), "expected text or a list, got the number 5"),
    ({"either": ["a", 5]}, ("either", 1), "expected text, got the number 5"),
    ({"tls": 3}, ("tls",), "expected true or false, or text, got the number 3"),
    ({"txet": "x"}, ("txet",), "unknown key 'txet'; did you mean 'text'?"),
    ({"zzz": 1}, ("zzz",), "unknown key 'zzz' (the keys of this table: text, whole,"),
])
def test_each_error_type_has_its_sentence(raw: dict[str, Any], path: tuple[str | int, ...],
                                          sentence: str) -> None:
    with pytest.raises(ValidationError) as info:
        Model.model_validate(raw)
    [(found_path, found)] = plain_problems(info.value, Model)
    assert found_path == path
    assert found.startswith(sentence), found
    assert "Input should" not in found


def test_a_validator_s_own_words_are_kept() -> None:
    from pydantic import field_validator

    class Checked(BaseModel):
        v: int

        @field_validator("v")
        @classmethod
        def _even(cls, v: int) -> int:
            if v % 2:
                raise ValueError(f"{v} is odd: give an even number")
            return v

    with pytest.raises(ValidationError) as info:
        Checked.model_validate({"v": 3})
    assert plain_problems(info.value, Checked) == [(("v",), "3 is odd: give an even number")]


def test_the_rule_finds_nested_keyring_names() -> None:
    rtsp = discover()["rtsp"].cls
    assert rtsp is not None
    cfg = rtsp.Config.model_validate({
        "kind": "rtsp", "name": "r", "password_secret": "all-cams",
        "cameras": [{"id": "a", "name": "A", "main": "rtsp://h/a"},
                    {"id": "b", "name": "B", "main": "rtsp://h/b", "password_secret": "cam-b"}]})
    assert [(s.path, s.name) for s in secret_names(cfg)] == [
        (("password_secret",), "all-cams"), (("cameras", 1, "password_secret"), "cam-b")]


def _fields(model: type[BaseModel], seen: set[type]) -> typing.Iterator[tuple[str, Any]]:
    if model in seen:
        return
    seen.add(model)
    for name, f in model.model_fields.items():
        yield name, f.annotation
        stack = [f.annotation]
        while stack:
            tp = stack.pop()
            if isinstance(tp, type) and issubclass(tp, BaseModel):
                yield from _fields(tp, seen)
            stack += list(typing.get_args(tp))


def test_every_key_the_rule_picks_holds_a_name() -> None:
    """The rule must not take a number, a flag or a table for a keyring name, in any
    installed adapter's config or the site's cameras."""
    from app.core.site import CameraConfig

    models: list[type[BaseModel]] = [CameraConfig]
    models += [e.cls.Config for e in discover().values() if e.cls is not None]
    picked = {}
    for model in models:
        for name, tp in _fields(model, set()):
            if is_secret_key(name):
                picked[f"{model.__name__}.{name}"] = tp
    assert picked, "no keyring names at all?"
    for where, tp in picked.items():
        assert tp is str or (isinstance(tp, types.UnionType)
                             and set(typing.get_args(tp)) == {str, type(None)}), where
