"""Secrets (camera and server passwords, tokens, keys) live in the OS keyring, referenced by
name from the site file; never in files or logs.

    csu-console secret set <name>      # the installer stores one (value on standard input)

Which keys of the site file are keyring names is one rule, said once: a key called `secret`
or ending in `_secret` (`password_secret`, `token_secret`, `key_secret`...) holds the NAME of
a keyring entry. `secret_names()` finds them by that rule in any config, so `check-config`
and `secret list` see a secret key a new adapter adds without being told.

A keyring that cannot be used (none on a headless Linux, or one that asks for its own
password where nobody can type it) is said in plain words with how to choose one, instead
of keyring's traceback (`keyring set` once died there with an EOFError).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel

SERVICE = "csu-console"
T = TypeVar("T")

HOW_TO_CHOOSE = (
    "Choose a keyring backend: on Windows the Credential Manager is used by default; on a "
    "Linux desktop, the session's Secret Service (GNOME Keyring, KWallet); on a Linux "
    "without a desktop session, install the keyrings.alt package and set "
    "PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring (a file only this user can "
    "read, not encrypted) for `csu-console secret` and for the console alike, or write "
    "the choice in keyring's keyringrc.cfg (`python -m keyring diagnose` shows where).")


class SecretMissing(LookupError):
    """The site file names a secret the keyring does not hold (or there is no keyring)."""


class KeyringUnusable(RuntimeError):
    """No keyring can be used on this workstation: `reason` says why, `how_to` what to do."""

    def __init__(self, reason: str, how_to: str = HOW_TO_CHOOSE) -> None:
        self.reason, self.how_to = reason, how_to
        super().__init__(f"{reason}. {how_to}")


class SecretRef(NamedTuple):
    """A keyring name at a key path of a config (path as pydantic writes one)."""

    path: tuple[str | int, ...]
    name: str


def is_secret_key(key: str) -> bool:
    """The house's one rule for keys that name a keyring entry."""
    return key == "secret" or key.endswith("_secret")


def secret_names(model: BaseModel) -> list[SecretRef]:
    """Every keyring name a config (and the tables inside it) refers to."""
    return list(_walk(model, ()))


def _walk(value: Any, path: tuple[str | int, ...]) -> Iterator[SecretRef]:
    if isinstance(value, BaseModel):
        for key in type(value).model_fields:
            item = getattr(value, key)
            if is_secret_key(key) and isinstance(item, str) and item:
                yield SecretRef((*path, key), item)
            else:
                yield from _walk(item, (*path, key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _walk(item, (*path, i))
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from _walk(item, (*path, str(k)))


def backend_name() -> str:
    """The keyring backend in use, as PYTHON_KEYRING_BACKEND would name it."""
    return _call(_backend_name)


def _backend_name() -> str:
    import keyring

    kr = keyring.get_keyring()
    name = f"{type(kr).__module__}.{type(kr).__name__}"
    chained = getattr(kr, "backends", None)
    if chained:
        inner = ", ".join(f"{type(b).__module__}.{type(b).__name__}" for b in chained)
        name += f" ({inner})"
    return name


def _call(fn: Callable[[], T], hide: str = "") -> T:
    """Run a keyring call; whatever makes the keyring unusable becomes KeyringUnusable."""
    from keyring.errors import PasswordDeleteError

    try:
        return fn()
    except PasswordDeleteError:
        raise
    except EOFError:  # getpass found nowhere to read the backend's own password from
        raise KeyringUnusable(
            f"the keyring backend {_backend_or_why()} asks for its own password, and there "
            "is no terminal to type it on: run the command in a terminal, or choose a "
            "backend that does not ask") from None
    except Exception as exc:  # no backend, a locked one, D-Bus gone: never a traceback
        detail = str(exc) or type(exc).__name__
        if hide:
            detail = detail.replace(hide, "***")
        raise KeyringUnusable(f"no usable keyring on this workstation (backend "
                              f"{_backend_or_why()}: {detail})") from None


def _backend_or_why() -> str:
    try:
        return _backend_name()
    except Exception as exc:  # PYTHON_KEYRING_BACKEND names something that does not load
        named = os.environ.get("PYTHON_KEYRING_BACKEND")
        if named:
            return f"{named!r} named by PYTHON_KEYRING_BACKEND, which cannot be loaded"
        return f"none could be loaded ({exc})"


def get_secret(name: str) -> str:
    import keyring

    try:
        value = _call(lambda: keyring.get_password(SERVICE, name))
    except KeyringUnusable as exc:
        raise SecretMissing(f"cannot read the secret {name!r}: {exc}") from None
    if value is None:
        raise SecretMissing(
            f"the keyring holds no secret {name!r} for {SERVICE}: "
            f"store it with `csu-console secret set {name}`")
    return value


def has_secret(name: str) -> bool:
    """Whether the keyring holds `name` (KeyringUnusable: cannot tell)."""
    import keyring

    return _call(lambda: keyring.get_password(SERVICE, name)) is not None


def set_secret(name: str, value: str) -> None:
    import keyring

    _call(lambda: keyring.set_password(SERVICE, name, value), hide=value)


def delete_secret(name: str) -> bool:
    """Remove `name` from the keyring; False when it held none."""
    import keyring
    from keyring.errors import PasswordDeleteError

    try:
        _call(lambda: keyring.delete_password(SERVICE, name))
    except PasswordDeleteError:
        return False
    return True
