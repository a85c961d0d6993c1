"""Which site the console opens with no --site: this installation's, else the one the
set-up assistant saved for this user, else (unattended) the demo, else the welcome asks.
A broken installation file stops the console with words, never opens another site."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.core.install import CONFIG_ENV, MachineConfig, user_site_path, write_machine_config
from app.main import demo_site_path, main, parser, site_to_open
from tests.conftest import REPO


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's installation file (absent until written) and its own user folders."""
    path = tmp_path / "etc" / "console.toml"
    monkeypatch.setenv(CONFIG_ENV, str(path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return path


def args(*argv: str) -> object:
    return parser().parse_args(list(argv))


def test_site_and_demo_flags_come_first(machine: Path) -> None:
    write_machine_config(MachineConfig(Path("/srv/installed.toml")), machine)
    assert site_to_open(args("--site", "mine.toml")) == "mine.toml"
    assert site_to_open(args("--demo")) == str(demo_site_path())


def test_the_installations_site_then_the_assistants(machine: Path) -> None:
    saved = user_site_path()
    saved.parent.mkdir(parents=True)
    saved.write_text("# the assistant's\n", encoding="utf-8")
    assert site_to_open(args()) == str(saved)
    write_machine_config(MachineConfig(Path("/srv/installed.toml")), machine)
    assert site_to_open(args()) == "/srv/installed.toml"


def test_an_unattended_run_with_no_site_opens_the_demo(machine: Path) -> None:
    assert site_to_open(args("--screenshot", "x.png", "--quit-after", "1")) == \
        str(demo_site_path())
    assert site_to_open(args("--quit-after", "1")) == str(demo_site_path())


def test_with_no_site_the_welcome_asks(machine: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.first_run

    asked: list[Path] = []

    def choose(_args: object, demo: Path) -> Path | None:
        asked.append(demo)
        return None  # the welcome was closed

    monkeypatch.setattr(app.first_run, "choose_site", choose)
    assert site_to_open(args()) == 0
    assert asked == [demo_site_path()]
    monkeypatch.setattr(app.first_run, "choose_site", lambda _a, _d: Path("/x/site.toml"))
    assert site_to_open(args()) == "/x/site.toml"


def test_a_broken_installation_file_is_said_in_a_window_and_on_stderr(
        machine: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import app.first_run

    machine.parent.mkdir(parents=True)
    machine.write_text("role = 'seat'\n", encoding="utf-8")  # no site
    said: list[str] = []
    monkeypatch.setattr(app.first_run, "say_install_error", lambda text, _a: said.append(text))
    assert site_to_open(args()) == 1
    assert len(said) == 1
    assert str(machine) in said[0]
    assert "names no site file" in said[0]
    assert "cannot start" in capsys.readouterr().err


def test_a_broken_installation_file_stops_an_unattended_run(machine: Path) -> None:
    """Exit 1 with the file named, no window, no demo opened in its place (Qt not even
    loaded)."""
    machine.parent.mkdir(parents=True)
    machine.write_text("site = 'x.toml'\nrole = 'kiosk'\n", encoding="utf-8")
    code = ("import sys; from app.main import main; rc = main(sys.argv[1:]); "
            "assert 'PySide6' not in sys.modules, 'Qt was loaded'; sys.exit(rc)")
    out = subprocess.run([sys.executable, "-c", code, "--screenshot", "x.png",
                          "--quit-after", "1"], cwd=REPO, capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 1, out.stderr
    assert str(machine) in out.stderr
    assert "'kiosk'" in out.stderr


def test_main_stops_on_a_broken_installation_file(machine: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    machine.parent.mkdir(parents=True)
    machine.write_text("site = [", encoding="utf-8")
    assert main(["--quit-after", "1"]) == 1
    assert "not valid TOML" in capsys.readouterr().err
