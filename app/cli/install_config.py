"""`csu-console install-config --site FILE --role seat|service [--config PATH]`: the machine
configuration, written by the Windows installer (packaging/windows/installer.nsi) through
the bundle's own exe, so that the logic is Python and tested.

1. FILE is checked as `check-config` checks it (the tables, the references between them);
   a wrong file: exit 1, its problems in plain words, and NOTHING written.
2. FILE is copied next to the installation's file (`%ProgramData%\\CSU Console\\site.toml`),
   unless it is that file already. A site file on a share (`\\\\server\\share\\site.toml`)
   is copied too: a seat starts from its copy even when the share is down.
3. The installation's file names the copy and the role (app/core/install.py).

Re-running it with the same file changes nothing but the role; with a changed file it
replaces the copy and keeps the one before as `site.toml.previous`.
"""

from __future__ import annotations

import filecmp
import io
import os
import shutil
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from app.cli.output import listing, say
from app.core.install import MachineConfig, Role, machine_config_path, write_machine_config
from app.core.registry import discover
from app.core.site import Site, SiteError, load_site
from app.core.site_check import check_references, secrets_named

SITE_NAME = "site.toml"
PREVIOUS_SUFFIX = ".previous"
FIX_IT = ("Nothing was installed for this machine. Fix the site file (`csu-console "
          "check-config FILE` lists the same problems) and run the installer again.")


def cmd_install_config(site: str, role: Role, config: str | None = None) -> int:
    _never_fail_on_a_letter()
    source = Path(site)
    config_path = Path(config) if config else machine_config_path()
    target = config_path.parent / SITE_NAME
    try:
        loaded = load_site(source, discover())
    except SiteError as exc:
        return _refuse(source, exc.problems)
    errors, warnings = check_references(loaded)
    if errors:
        return _refuse(source, errors)
    try:
        copied = _install_site_file(source, target)
        written = write_machine_config(MachineConfig(target, role), config_path)
    except OSError as exc:
        say(f"cannot write the installation's files in {config_path.parent}: "
            f"{exc.strerror or exc}. Run the installer (or this command) as an "
            "administrator, or name a folder this account may write with --config.", err=True)
        return 1
    if copied:
        say(f"site file {source} copied to {target}: this machine runs the copy, so it "
            "starts even when the original's share or drive is away; run the installer "
            "(or install-config) again after changing the original.")
    else:
        say(f"site file {target}: already installed, unchanged")
    say(f"{written}: this machine runs the site {loaded.site.name!r} as a {role}")
    for line in warnings + (_relative_paths(source, target) if copied else []):
        say(f"  warning: {line}")
    _say_secrets(loaded, role)
    return 0


def _never_fail_on_a_letter() -> None:
    """The installer reads this command through a pipe, in the machine's ANSI code page on
    Windows: a letter it lacks (a site name in another script) is replaced, not fatal."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="replace")


def _refuse(source: Path, problems: list[str]) -> int:
    listing(f"the site file {source} cannot be installed: {len(problems)} problem(s):",
            problems, err=True)
    say(FIX_IT, err=True)
    return 1


def _install_site_file(source: Path, target: Path) -> bool:
    """Copy `source` to `target` (a temporary file renamed over it), unless it is that
    file or the same bytes. True when copied; the replaced file is kept beside it."""
    if target.exists() and (_same_file(source, target)
                            or filecmp.cmp(source, target, shallow=False)):
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    shutil.copyfile(source, tmp)
    if target.exists():
        os.replace(target, target.with_name(target.name + PREVIOUS_SUFFIX))
    os.replace(tmp, target)
    return True


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _relative_paths(source: Path, target: Path) -> list[str]:
    """Files the site names relative to its own folder (an MBTiles map, a certificate)
    that are beside the original and not beside the copy: the copy would miss them."""
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return []
    lines = []
    for key, value in _strings(data, ()):
        if "://" in value or Path(value).is_absolute() or "\n" in value or not value.strip():
            continue
        if (source.parent / value).is_file() and not (target.parent / value).exists():
            lines.append(f"{key} = {value!r} is relative to the site file's folder: copy "
                         f"{source.parent / value} to {target.parent} as well, or write its "
                         "full path in the site file")
    return lines


def _strings(value: Any, path: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, str(k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, f"[{i}]"))
    elif isinstance(value, str):
        yield ".".join(path).replace(".[", "["), value


def _say_secrets(site: Site, role: Role) -> None:
    """The keyring is the account's own: the installer's account is not the one that
    runs the console or the service, so it is not read here, only named."""
    names = sorted({name for name, loc in secrets_named(site) if loc.enabled})
    if not names:
        return
    who = ("the service's account (packaging/windows/SERVICE.md)" if role == "service"
           else "each account that runs the console")
    say(f"the site names {len(names)} keyring secret(s): {', '.join(names)}; store them "
        f"with `csu-console secret set NAME` as {who}")
