"""How the sub-commands write: results to standard output, problems to standard error."""

from __future__ import annotations

import sys


def say(text: str = "", err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


def listing(title: str, lines: list[str], err: bool = False) -> None:
    say(title, err)
    for line in lines:
        say(f"  - {line}", err)
