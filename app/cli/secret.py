"""`csu-console secret set|list|delete`: the site's passwords into and out of the keyring.

The value is read from standard input, never from the command line (the shell history and
the process list would keep it); on a terminal it is typed twice and not echoed. Nothing
here ever prints a value. Exit codes: 0 done; 1 nothing done (empty value, no such secret,
a secret missing from the list); 2 wrong usage; 3 no usable keyring (the message says how
to choose one).
"""

from __future__ import annotations

import textwrap

from app.cli.output import listing, say
from app.cli.terminal import read_secret_input
from app.core.registry import discover
from app.core.secrets import (
    SERVICE,
    KeyringUnusable,
    backend_name,
    delete_secret,
    has_secret,
    set_secret,
)
from app.core.site import SiteError, load_site
from app.core.site_check import secrets_named

UNUSABLE = 3


def unusable(exc: KeyringUnusable, outcome: str = "") -> None:
    say(f"{exc.reason}.\n\n{textwrap.fill(exc.how_to, 88)}" + (f"\n\n{outcome}" if outcome else ""),
        err=True)


def _read_value(name: str) -> str | None:
    """The value from standard input; None (and a message said) when there is none."""
    return read_secret_input(f"Value of secret {name!r} (typing is not shown): ",
                             "nothing was stored")


def cmd_set(name: str, on_command_line: list[str]) -> int:
    if on_command_line:
        say("the value is read from standard input, never from the command line (the shell "
            "history and the process list would keep it): nothing was stored. Type "
            f"`csu-console secret set {name}` and the value when asked, or pipe it in.",
            err=True)
        return 2
    value = _read_value(name)
    if value is None:
        return 1
    try:
        set_secret(name, value)
        where = backend_name()
    except KeyringUnusable as exc:
        unusable(exc, "Nothing was stored.")
        return UNUSABLE
    say(f"stored the secret {name!r} for {SERVICE} in the keyring ({where})")
    return 0


def cmd_delete(name: str) -> int:
    try:
        deleted = delete_secret(name)
    except KeyringUnusable as exc:
        unusable(exc, "Nothing was deleted.")
        return UNUSABLE
    if not deleted:
        say(f"the keyring holds no secret {name!r} for {SERVICE}: nothing was deleted",
            err=True)
        return 1
    say(f"deleted the secret {name!r} of {SERVICE} from the keyring")
    return 0


def cmd_list(path: str) -> int:
    """Each secret the site names, where, and whether the keyring holds it; never a value."""
    try:
        site = load_site(path, discover())
    except SiteError as exc:
        listing(f"{path}: {len(exc.problems)} problem(s):", exc.problems, err=True)
        return 1
    named = secrets_named(site)
    if not named:
        say(f"{path}: the site names no keyring secret")
        return 0
    try:
        where = backend_name()
        held = {name: has_secret(name) for name in dict.fromkeys(n for n, _ in named)}
    except KeyringUnusable as exc:
        unusable(exc)
        return UNUSABLE
    say(f"{path}: {len(held)} keyring secret(s) named, for {SERVICE} in {where}:")
    width = max(len(n) for n, _ in named)
    missing = 0
    for name, loc in named:
        state = "present" if held[name] else "MISSING"
        note = "" if loc.enabled else "  (adapter disabled: not read)"
        if not held[name] and loc.enabled:
            missing += 1
            note = f"  store it with `csu-console secret set {name}`"
        say(f"  {state:<8} {name:<{width}}  {loc.where}{note}")
    return 1 if missing else 0
