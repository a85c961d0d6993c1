"""Secrets (camera and server passwords, tokens) live in the OS keyring, referenced by name
from the site file; never in files or logs.

    keyring set csu-console <name>      # the installer stores one
"""

from __future__ import annotations

SERVICE = "csu-console"


class SecretMissing(LookupError):
    """The site file names a secret the keyring does not hold (or there is no keyring)."""


def get_secret(name: str) -> str:
    import keyring
    from keyring.errors import KeyringError

    try:
        value = keyring.get_password(SERVICE, name)
    except KeyringError as exc:
        raise SecretMissing(f"no usable keyring on this workstation to read {name!r}: {exc}"
                            ) from None
    if value is None:
        raise SecretMissing(
            f"the keyring holds no secret {name!r} for {SERVICE}: "
            f"store it with `keyring set {SERVICE} {name}`")
    return value


def set_secret(name: str, value: str) -> None:
    import keyring

    keyring.set_password(SERVICE, name, value)
