"""Whether someone can type at this command, and what a keyring backend may ask then.

A backend that asks for its own password (keyrings.alt's EncryptedKeyring, the default once
keyrings.alt is installed) reads it with `getpass`. Without a terminal, getpass warns,
prints its prompt and reads standard input, which is a pipe or already read: the keyring
then died with an EOFError traceback. Here such a prompt fails at once, quietly, and the
installer reads our message (app/core/secrets) instead.
"""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO


def has_terminal() -> bool:
    """A terminal getpass can use: the controlling one, or standard input."""
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
        return True
    except OSError:
        return sys.stdin is not None and sys.stdin.isatty()


def _refuse(prompt: str = "Password: ", stream: TextIO | None = None) -> str:
    raise EOFError("no terminal to type a password on")


@contextmanager
def backend_prompts_fail_without_terminal() -> Iterator[None]:
    if has_terminal():
        yield
        return
    original = getpass.getpass
    getpass.getpass = _refuse
    try:
        yield
    finally:
        getpass.getpass = original


def read_secret_input(prompt: str, nothing_done: str) -> str | None:
    """A password or secret value from standard input, never from the command line (the
    shell history and the process list would keep it): typed twice and not echoed on a
    terminal, else everything piped in (one trailing newline dropped). None, and a message
    ending with `nothing_done` said, when there is none."""
    from app.cli.output import say

    stdin = sys.stdin
    if stdin is None:
        say(f"no standard input to read the value from: {nothing_done}", err=True)
        return None
    try:
        if stdin.isatty():
            value = getpass.getpass(prompt)
            if getpass.getpass("Type it again: ") != value:
                say(f"the two entries differ: {nothing_done}", err=True)
                return None
        else:
            value = stdin.read()
            value = value[:-2] if value.endswith("\r\n") else value.removesuffix("\n")
    except (EOFError, KeyboardInterrupt):
        say(f"\ncancelled: {nothing_done}", err=True)
        return None
    except UnicodeDecodeError:
        say(f"standard input is not text (UTF-8): {nothing_done}", err=True)
        return None
    if not value:
        say(f"the value is empty: {nothing_done}", err=True)
        return None
    return value
