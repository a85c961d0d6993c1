"""The service files an installer copies: the systemd unit is one systemd accepts without a
word (`systemd-analyze verify`, when this machine has it) and runs `serve` on the site file
as its own user, hardened; the WinSW XML runs `serve` the same way and restarts it."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
from pathlib import Path, PureWindowsPath
from xml.etree import ElementTree

import pytest

from tests.conftest import REPO

UNIT = REPO / "packaging" / "systemd" / "csu-console.service"
WINSW = REPO / "packaging" / "windows" / "csu-console-service.xml"


def unit_service() -> configparser.SectionProxy:
    # systemd repeats keys (Environment=): the last one wins here, all are kept by systemd
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read(UNIT, encoding="utf-8")
    return parser["Service"]


def test_the_unit_runs_serve_on_the_site_file_as_its_own_user() -> None:
    service = unit_service()
    command = shlex.split(service["ExecStart"])
    assert command[1:4] == ["serve", "--site", "/etc/csu-console/site.toml"]
    assert "--log-file" in command
    assert service["User"] not in ("", "root")
    assert service["Restart"] == "on-failure"
    assert service["NoNewPrivileges"] == "yes"
    assert service["ProtectSystem"] == "strict"
    # what ProtectSystem=strict leaves writable is where the log and a file journal go
    assert command[command.index("--log-file") + 1].startswith(
        f"/var/log/{service['LogsDirectory']}/")
    assert f"\nEnvironment=XDG_DATA_HOME=/var/lib/{service['StateDirectory']}\n" in \
        UNIT.read_text(encoding="utf-8")
    # the site file names the room's journal: an explicit --journal would override it
    assert "--journal" not in command


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not on this machine")
def test_systemd_accepts_the_unit_without_a_word(tmp_path: Path) -> None:
    """`verify` also checks that ExecStart's program exists: the installed console's path
    is replaced by a stand-in here, the rest of the unit is verified as shipped."""
    program = shlex.split(unit_service()["ExecStart"])[0]
    stand_in = tmp_path / "csu-console"
    stand_in.write_text("#!/bin/sh\n")
    stand_in.chmod(0o755)
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text(encoding="utf-8").replace(program, str(stand_in)),
                    encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout + done.stderr == ""  # systemd warns (unknown key, bad value) with rc 0


def test_the_windows_service_runs_serve_and_restarts_it() -> None:
    root = ElementTree.parse(WINSW).getroot()
    assert root.findtext("id") == "csu-console"
    # the bundle's exe, one folder above WinSW's own (%BASE%): no install path in the file
    assert root.findtext("executable") == "%BASE%\\..\\csu-console.exe"
    arguments = shlex.split(root.findtext("arguments", ""), posix=True)
    assert arguments[:3] == ["serve", "--site", "%ProgramData%\\CSU Console\\site.toml"]
    assert "--log-file" in arguments
    assert [f.get("action") for f in root.findall("onfailure")] == ["restart"] * 3
    assert root.findtext("stoptimeout")
    assert root.find("serviceaccount") is None  # no password in a file


def test_the_windows_service_serves_the_copy_install_config_makes(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`install-config` copies the site file to machine_folder()/site.toml: the service
    must name that very file (Windows' %ProgramData%, as machine_folder() reads it)."""
    from app.cli.install_config import SITE_NAME
    from app.core.install import machine_folder

    monkeypatch.setattr("sys.platform", "win32")
    monkeypatch.setenv("PROGRAMDATA", "%ProgramData%")
    arguments = shlex.split(ElementTree.parse(WINSW).getroot().findtext("arguments", ""))
    site = PureWindowsPath(arguments[arguments.index("--site") + 1])
    assert site == PureWindowsPath(*machine_folder().parts, SITE_NAME)
    log = PureWindowsPath(arguments[arguments.index("--log-file") + 1])
    assert log.parent == PureWindowsPath(*machine_folder().parts, "logs")
