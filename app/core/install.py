"""What an installation says about this machine: which site file it runs and in which role.

The Windows installer (packaging/windows/installer.nsi) writes it, silently on a roll-out
(`/S /SITE=\\\\server\\share\\site.toml /ROLE=seat`), through `csu-console install-config`;
the console reads it at start when no `--site` is given. A machine nobody installed (a
developer's, a newcomer's) has none: the console then looks for the site file the set-up
assistant saved for this user, and with neither it offers the demo or the assistant.

The file is TOML, in the machine-wide data folder (every user of a workstation runs the
same site):

    site = 'C:\\ProgramData\\CSU Console\\site.toml'
    role = "seat"          # or "service": this machine runs `csu-console serve`
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import platformdirs

from app.core.user_paths import APP

ROLES = ("seat", "service")
Role = Literal["seat", "service"]
CONFIG_ENV = "CSU_CONSOLE_MACHINE_CONFIG"  # tests and unusual installs name their own file
CONFIG_NAME = "console.toml"


class InstallError(Exception):
    """The installation's file cannot be used: plain words naming the file."""


@dataclass(frozen=True, slots=True)
class MachineConfig:
    site: Path
    role: Role = "seat"


def machine_folder() -> Path:
    """The machine-wide folder of the installation: `%ProgramData%\\CSU Console` on
    Windows (the installer makes it and lets the service's account write its logs there),
    `/etc/csu-console` elsewhere."""
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "CSU Console"
    return Path("/etc") / APP


def machine_config_path() -> Path:
    named = os.environ.get(CONFIG_ENV)
    return Path(named) if named else machine_folder() / CONFIG_NAME


def user_site_path() -> Path:
    """Where the set-up assistant saves the site file of a machine nobody installed."""
    return Path(platformdirs.user_config_dir(APP, appauthor=False)) / "site.toml"


def read_machine_config(path: Path | None = None) -> MachineConfig | None:
    """The installation's file, or None when this machine has none. InstallError when it
    is there but wrong (the console must not silently open another site)."""
    path = path or machine_config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise InstallError(f"the installation file {path} cannot be read: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InstallError(f"the installation file {path} is not valid TOML: {exc}") from exc
    site, role = data.get("site"), data.get("role", "seat")
    if not isinstance(site, str) or not site.strip():
        raise InstallError(f"the installation file {path} names no site file "
                           "(expected: site = 'path of the site file')")
    if role not in ROLES:
        raise InstallError(f"the installation file {path}: role is {role!r}, expected "
                           "'seat' or 'service'")
    unknown = sorted(set(data) - {"site", "role"})
    if unknown:
        raise InstallError(f"the installation file {path}: unknown key(s) "
                           f"{', '.join(unknown)} (expected: site, role)")
    return MachineConfig(Path(site), role)


def write_machine_config(config: MachineConfig, path: Path | None = None) -> Path:
    """Write it whole (a temporary file renamed over the old one)."""
    path = path or machine_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (f"# written by the CSU Console installer; `csu-console install-config` changes it\n"
            f"site = {_toml_literal(str(config.site))}\n"
            f'role = "{config.role}"\n')
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path


def _toml_literal(text: str) -> str:
    """A Windows path as a TOML literal string (no escapes), else a basic string."""
    if "'" not in text and "\n" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def installed_site() -> Path | None:
    """The site file this machine runs when none is named: the installation's, else the
    one the set-up assistant saved for this user, else None (offer the demo or the
    assistant). InstallError when the installation's file is wrong."""
    config = read_machine_config()
    if config is not None:
        return config.site
    mine = user_site_path()
    return mine if mine.is_file() else None
