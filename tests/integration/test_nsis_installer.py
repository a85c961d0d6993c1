"""The Windows installer (packaging/windows/installer.nsi) compiles with Debian's makensis,
and its silent parameters reach the installed configuration.

The second part cannot start the installer here (no Windows). What it does instead:
`makensis -PPO` gives the script exactly as makensis compiles it (defines, macros and
LogicLib expanded; FileFunc's GetParameters and GetOptions as their own instructions), and
tests/integration/nsis_vm.py executes .onInit and the install section of that text. The
one `nsExec` command that configures the machine is split as Windows splits a command line
and run through app.main.main() here; the machine configuration is then read back as the
console reads it. A wrong option name, a variable that does not reach the command line, a
quote missing around a path with spaces, a wrong role mapping: each fails a test below.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from app.core.install import MachineConfig, read_machine_config
from app.main import main
from tests.conftest import REPO
from tests.integration.nsis_vm import Run, Script, run_installer
from tests.unit.cli_run import site_file

NSI = REPO / "packaging" / "windows" / "installer.nsi"
INSTDIR = "C:\\Program Files\\CSU Console"
SECTION = "CSU Console"
pytestmark = pytest.mark.skipif(shutil.which("makensis") is None,
                                reason="makensis (Debian's nsis) is not on this machine")


def fake_bundle(folder: Path, gui: bool = False) -> tuple[Path, Path]:
    """A one-folder bundle's shape (the exe(s) and _internal) and a stand-in WinSW."""
    dist = folder / "dist" / "csu-console"
    (dist / "_internal").mkdir(parents=True)
    (dist / "csu-console.exe").write_bytes(b"MZ console stand-in")
    if gui:
        (dist / "csu-console-gui.exe").write_bytes(b"MZ windowed stand-in")
    (dist / "_internal" / "python311.dll").write_bytes(b"MZ")
    winsw = folder / "WinSW-x64.exe"
    winsw.write_bytes(b"MZ WinSW stand-in")
    return dist, winsw


def makensis(*defines: str, preprocess: bool = False) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["makensis", "-NOCONFIG", *(f"-D{d}" for d in defines),
                           *(["-PPO"] if preprocess else []), str(NSI)],
                          capture_output=True, text=True, timeout=300)


def preprocessed(folder: Path, gui: bool = False) -> Script:
    dist, winsw = fake_bundle(folder, gui)
    done = makensis(f"DIST={dist}", f"WINSW={winsw}", "VERSION=1.2.3",
                    f"OUTFILE={folder / 'setup-out.exe'}", preprocess=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return Script(done.stdout)


# --- compiling ---------------------------------------------------------------------------

def test_the_installer_compiles_without_a_warning(tmp_path: Path) -> None:
    dist, winsw = fake_bundle(tmp_path)
    out = tmp_path / "csu-console-1.2.3-setup.exe"
    done = makensis(f"DIST={dist}", f"WINSW={winsw}", "VERSION=1.2.3", f"OUTFILE={out}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_bytes()[:2] == b"MZ"
    # NSIS warns about unused variables, strings missing in a language, bad options
    assert "warning" not in (done.stdout + done.stderr).lower(), done.stdout


def test_a_missing_bundle_or_winsw_is_said_plainly(tmp_path: Path) -> None:
    dist, winsw = fake_bundle(tmp_path)
    done = makensis(f"DIST={tmp_path / 'nowhere'}", f"WINSW={winsw}",
                    f"OUTFILE={tmp_path / 'a.exe'}")
    assert done.returncode != 0
    assert "no csu-console.exe in DIST=" in done.stdout + done.stderr
    assert "pyinstaller packaging/csu-console.spec" in done.stdout + done.stderr
    done = makensis(f"DIST={dist}", f"WINSW={tmp_path / 'none.exe'}",
                    f"OUTFILE={tmp_path / 'b.exe'}")
    assert done.returncode != 0
    assert "download WinSW-x64.exe" in done.stdout + done.stderr
    assert not (tmp_path / "a.exe").exists()
    assert not (tmp_path / "b.exe").exists()


def test_sign_gives_the_installer_and_the_uninstaller_to_the_command(tmp_path: Path) -> None:
    """`-DSIGN=...` (signtool on Windows): makensis runs it on the uninstaller it embeds
    and on the installer it wrote. A stand-in records what it was given."""
    dist, winsw = fake_bundle(tmp_path)
    signed = tmp_path / "signed.txt"
    signer = tmp_path / "sign.sh"
    signer.write_text(f'#!/bin/sh\nhead -c 2 "$1" >> "{signed}"\necho " $1" >> "{signed}"\n',
                      encoding="utf-8")
    out = tmp_path / "setup-signed.exe"
    done = makensis(f"DIST={dist}", f"WINSW={winsw}", f"OUTFILE={out}", f"SIGN=sh {signer}")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = signed.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    assert all(line.startswith("MZ ") for line in lines)  # two Windows programs
    assert lines[-1] == f"MZ {out}"  # the installer last, after its uninstaller
    failing = tmp_path / "fail.sh"
    failing.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    done = makensis(f"DIST={dist}", f"WINSW={winsw}", f"OUTFILE={tmp_path / 'x.exe'}",
                    f"SIGN=sh {failing}")
    assert done.returncode != 0  # a signature that fails is not shipped unsigned


# --- the silent parameters, run ---------------------------------------------------------

def windows_argv(line: str) -> list[str]:
    """A command line split as CommandLineToArgvW (and so Python on Windows) splits it."""
    args: list[str] = []
    word: list[str] = []
    quoted = started = False
    i = 0
    while i < len(line):
        c = line[i]
        if c == "\\":
            n = len(line[i:]) - len(line[i:].lstrip("\\"))
            if line[i + n:i + n + 1] == '"':
                word.append("\\" * (n // 2))
                if n % 2:
                    word.append('"')
                    i += 1
                i += n
            else:
                word.append("\\" * n)
                i += n
            started = True
            continue
        if c == '"':
            quoted, started = not quoted, True
        elif c in " \t" and not quoted:
            if word or started:
                args.append("".join(word))
            word, started = [], False
        else:
            word.append(c)
            started = True
        i += 1
    if word or started:
        args.append("".join(word))
    return args


class Console:
    """Stands in for the installed bundle: `csu-console.exe ...` runs app.main.main()."""

    def __init__(self, program_data: Path, instdir: str = INSTDIR) -> None:
        self.program_data, self.instdir = str(program_data), instdir
        self.runs: list[list[str]] = []

    def __call__(self, command: str) -> tuple[int, str]:
        # the script's "$APPDATA\CSU Console\..." on the Linux folder standing for it
        argv = [a.replace("\\", "/") if a.startswith(self.program_data) else a
                for a in windows_argv(command)]
        if not argv[0].endswith("\\csu-console.exe"):  # WinSW's stop, install, start
            return 0, ""
        assert argv[0] == f"{self.instdir}\\csu-console.exe", command
        self.runs.append(argv[1:])
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main(argv[1:])
        return code, out.getvalue()


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """%ProgramData% of the simulated machine; install-config writes into its
    `CSU Console` folder, where the script's $APPDATA (shell context "all") points."""
    program_data = tmp_path / "ProgramData"
    program_data.mkdir()
    monkeypatch.setenv("CSU_CONSOLE_MACHINE_CONFIG",
                       str(program_data / "CSU Console" / "console.toml"))
    return program_data


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Script:
    return preprocessed(tmp_path_factory.mktemp("nsis"))


Install = Callable[..., tuple[Run, Console]]


@pytest.fixture
def install(script: Script, machine: Path) -> Install:
    def go(command_line: str, instdir: str = INSTDIR,
           registry: dict[tuple[str, str], str] | None = None) -> tuple[Run, Console]:
        console = Console(machine, instdir if "/D=" not in command_line
                          else command_line.split("/D=", 1)[1])
        return run_installer(script, command_line, console, machine, SECTION,
                             registry=registry), console
    return go


def shortcuts(run: Run) -> list[tuple[str, ...]]:
    return [e[1:3] for e in run.effects if e[0] == "CreateShortCut"]


def service_commands(run: Run) -> list[str]:
    return [e[1].rsplit(" ", 1)[-1] for e in run.effects
            if e[0].startswith("nsExec") and "csu-console-service.exe" in e[1]]


def test_silent_seat_from_a_share(tmp_path: Path, machine: Path, install: Install,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's own line, `/S /SITE=\\\\server\\share\\site.toml /ROLE=seat`: here a
    file of that name in the current folder stands in for the share (GetOptions and the
    command line must keep every backslash)."""
    share = tmp_path / "share"
    share.mkdir()
    unc = "\\\\server\\share\\site.toml"
    source = site_file(share, "", unc)
    monkeypatch.chdir(share)
    run, console = install(f"/S /SITE={unc} /ROLE=seat")
    assert run.stopped_by == ""
    assert run.error_level is None
    assert console.runs == [["install-config", "--site", unc, "--role", "seat"]]
    copy = machine / "CSU Console" / "site.toml"
    assert read_machine_config() == MachineConfig(copy, "seat")
    assert copy.read_bytes() == source.read_bytes()
    assert shortcuts(run) == [
        ("C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\CSU Console.lnk",
         f"{INSTDIR}\\csu-console.exe")]
    assert service_commands(run) == []
    assert run.registry[("Software\\CSU Console", "Role")] == "seat"
    assert any("copied to" in line for line in run.log)  # install-config's words, logged


def test_silent_both_with_spaces_quotes_and_another_folder(
        tmp_path: Path, machine: Path, install: Install) -> None:
    folder = tmp_path / "Salle d'opérations" / "site files"
    folder.mkdir(parents=True)
    source = site_file(folder, "", "site de la salle.toml")
    instdir = "D:\\Programmes CSU\\CSU Console"
    run, console = install(f'/S /site="{source}" /role=both /DESKTOP /D={instdir}')
    assert run.error_level is None, run.log
    assert console.runs == [["install-config", "--site", str(source), "--role", "service"]]
    assert read_machine_config() == MachineConfig(machine / "CSU Console" / "site.toml",
                                                  "service")
    assert service_commands(run) == ["install", "start"]
    assert [target for _, target in shortcuts(run)] == [f"{instdir}\\csu-console.exe"] * 2
    assert run.registry[("Software\\CSU Console", "InstallDir")] == instdir


def test_silent_service_has_no_shortcut(tmp_path: Path, machine: Path,
                                        install: Install) -> None:
    source = site_file(tmp_path, "")
    run, console = install(f'/S /ROLE=service /SITE="{source}"')
    assert console.runs[0][-2:] == ["--role", "service"]
    assert read_machine_config() == MachineConfig(machine / "CSU Console" / "site.toml",
                                                  "service")
    assert shortcuts(run) == []
    assert service_commands(run) == ["install", "start"]
    service_files = [e for e in run.effects if e[0] == "File" and "/oname=" in e[1]]
    assert [e[1] for e in service_files] == ["/oname=csu-console-service.exe",
                                             "/oname=csu-console-service.xml"]


def test_a_seat_without_a_site_is_left_to_its_first_run(machine: Path,
                                                        install: Install) -> None:
    run, console = install("/S")
    assert run.error_level is None
    assert console.runs == []
    assert read_machine_config() is None
    assert any("demo or the set-up assistant" in line for line in run.log)
    assert len(shortcuts(run)) == 1


@pytest.mark.parametrize("role", ["service", "both"])
def test_the_service_without_a_site_is_refused(machine: Path, install: Install,
                                               role: str) -> None:
    run, console = install(f"/S /ROLE={role}")
    assert (run.stopped_by, run.error_level) == ("Quit", 2)
    assert console.runs == []
    assert not any(e[0] == "File" for e in run.effects)  # before anything is copied
    log = (machine / "CSU Console" / "logs" / "install.log").read_text(encoding="utf-8")
    assert "The room's service needs a site file" in log


def test_an_unknown_role_is_refused(machine: Path, install: Install) -> None:
    run, _ = install("/S /ROLE=admin /SITE=C:\\x.toml")
    assert (run.stopped_by, run.error_level) == ("Quit", 2)
    assert run.log[-1] == "/ROLE= expects seat, service or both; got: admin"


def test_a_wrong_site_file_stops_the_install_with_its_problems(
        tmp_path: Path, machine: Path, install: Install) -> None:
    source = site_file(tmp_path, 'heading = "north"\n')
    run, console = install(f'/S /SITE="{source}" /ROLE=seat')
    assert (run.stopped_by, run.error_level) == ("Abort", 2)
    assert len(console.runs) == 1
    assert read_machine_config() is None
    log = (machine / "CSU Console" / "logs" / "install.log").read_text(encoding="utf-8")
    assert f"the site file {source} cannot be installed" in log
    assert "map.heading" in log
    assert "The site file could not be installed" in log
    assert "(exit code 1)" in log
    assert shortcuts(run) == []  # stopped before the shortcuts


def test_an_upgrade_keeps_the_machine_site_and_its_earlier_role(
        tmp_path: Path, machine: Path, install: Install) -> None:
    """A later `/S` with no /SITE nor /ROLE: the machine's copy and the role the first
    install wrote in the registry."""
    source = site_file(tmp_path, "")
    first, _ = install(f'/S /SITE="{source}" /ROLE=service')
    assert first.error_level is None
    run, console = install("/S", registry=first.registry)
    copy = machine / "CSU Console" / "site.toml"
    assert console.runs == [["install-config", "--site", str(copy), "--role", "service"]]
    assert read_machine_config() == MachineConfig(copy, "service")
    assert any("already installed, unchanged" in line for line in run.log)
    assert service_commands(run) == ["install", "start"]


def test_the_windowed_exe_gets_the_shortcuts(tmp_path: Path, machine: Path) -> None:
    script = preprocessed(tmp_path, gui=True)
    console = Console(machine)
    run = run_installer(script, "/S /DESKTOP", console, machine, SECTION)
    assert [target for _, target in shortcuts(run)] == [f"{INSTDIR}\\csu-console-gui.exe"] * 2
    assert run.registry[(
        "Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\CSU Console",
        "DisplayIcon")] == f"{INSTDIR}\\csu-console-gui.exe"


def test_the_uninstaller_removes_the_service_and_keeps_the_data(
        script: Script, machine: Path, tmp_path: Path) -> None:
    """Installed here in a folder holding the service's WinSW: stopped and uninstalled
    first, then the program's files; nothing under %ProgramData% is touched."""
    instdir = tmp_path / "CSU Console"
    (instdir / "service").mkdir(parents=True)
    (instdir / "service" / "csu-console-service.exe").write_bytes(b"MZ")
    run = run_installer(script, "/S", Console(machine), machine, "Uninstall",
                        instdir=str(instdir), init="un.onInit")
    assert run.stopped_by == ""
    done = [e for e in run.effects if e[0] in ("nsExec::ExecToLog", "Delete", "RMDir")]
    assert [e[1].rsplit(" ", 1)[-1] for e in done[:2]] == ["stop", "uninstall"]
    removed = [e for e in run.effects if e[0] in ("Delete", "RMDir", "DeleteRegKey")]
    for effect in removed:  # the program's folder, shortcuts and keys only
        assert not effect[-1].startswith(str(machine))
        assert "ProgramData\\CSU Console" not in effect[-1]
    assert ("RMDir", "/r", f"{instdir}\\_internal") in removed
    assert ("RMDir", str(instdir)) in removed  # not /r: what else is there stays
    assert "Kept: %ProgramData%\\CSU Console (site file, machine configuration" in \
        script.lang["UnKeeps"]


def test_a_service_machine_reinstalled_as_a_seat_loses_the_service(
        script: Script, machine: Path, tmp_path: Path) -> None:
    instdir = tmp_path / "CSU Console"
    (instdir / "service").mkdir(parents=True)
    (instdir / "service" / "csu-console-service.exe").write_bytes(b"MZ")
    run = run_installer(script, "/S /ROLE=seat", Console(machine, str(instdir)), machine,
                        SECTION, instdir=str(instdir))
    assert run.error_level is None
    # stopped before the files are replaced, then removed with its folder
    assert service_commands(run) == ["stop", "stop", "uninstall"]
    assert ("RMDir", "/r", f"{instdir}\\service") in run.effects
    assert len(shortcuts(run)) == 1
