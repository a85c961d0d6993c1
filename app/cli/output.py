"""How the sub-commands write: results to standard output, problems to standard error."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from app.core.access_log_csv import ENCODING as CSV_ENCODING  # UTF-8 with a BOM


def say(text: str = "", err: bool = False) -> None:
    (sys.stderr if err else sys.stdout).write(text + "\n")


def listing(title: str, lines: list[str], err: bool = False) -> None:
    say(title, err)
    for line in lines:
        say(f"  - {line}", err)


def write_table(out_path: str | None, write: Callable[[TextIO], int], what: str) -> None:
    """A CSV written to `out_path` (then said: how many rows of `what`) or to standard
    output. OSError when the file cannot be written."""
    if out_path:
        with open(out_path, "w", encoding=CSV_ENCODING, newline="") as f:
            count = write(f)
        say(f"wrote {count} row(s) of {what} to {out_path}")
    else:
        write(sys.stdout)
