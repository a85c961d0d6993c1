"""`csu-console install-config`, what the Windows installer runs: a valid site file is
copied beside the installation's file and the role written (read back as the console reads
it); a wrong one writes nothing and says why; re-running is idempotent; odd paths survive."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.install import InstallError, MachineConfig, read_machine_config
from app.main import main
from tests.unit.cli_run import csu, site_file

WRONG_REFERENCE = """
[[adapters]]
kind = "frigate"
name = "frigate"
host = "10.0.0.9"
cameras = { cour = "cam-nope" }
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["install-config", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("role", ["seat", "service"])
def test_a_valid_site_is_copied_and_the_role_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], role: str) -> None:
    (tmp_path / "share").mkdir()
    source = site_file(tmp_path / "share", "")
    config = tmp_path / "machine" / "console.toml"
    code, out, err = run(capsys, "--site", str(source), "--role", role,
                         "--config", str(config))
    assert code == 0, err
    copy = config.parent / "site.toml"
    assert copy.read_bytes() == source.read_bytes()
    assert read_machine_config(config) == MachineConfig(copy, role)  # type: ignore[arg-type]
    assert f"copied to {copy}" in out
    assert "starts even when the original's share or drive is away" in out
    assert f"as a {role}" in out


def test_a_wrong_site_file_writes_nothing_and_says_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = site_file(tmp_path, 'heading = "north"\n[[cameras]]\nid = "c1"\nname = 3\n'
                                 'main = "rtsp://10.0.0.1/a"\n')
    machine = tmp_path / "machine"
    code, out, err = run(capsys, "--site", str(source), "--role", "seat",
                         "--config", str(machine / "console.toml"))
    assert code == 1
    assert out == ""
    assert f"the site file {source} cannot be installed" in err
    assert "cameras[0].name" in err
    assert "expected text" in err
    assert "Nothing was installed" in err
    assert "check-config" in err
    assert not machine.exists()


def test_a_reference_to_nothing_refuses_as_check_config_does(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = site_file(tmp_path, WRONG_REFERENCE)
    config = tmp_path / "machine" / "console.toml"
    code, _, err = run(capsys, "--site", str(source), "--role", "service",
                       "--config", str(config))
    assert code == 1
    assert "cam-nope" in err
    assert not config.parent.exists()


def test_a_missing_site_file_is_named(tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    gone = tmp_path / "nowhere" / "site.toml"
    code, _, err = run(capsys, "--site", str(gone), "--role", "seat",
                       "--config", str(tmp_path / "m" / "console.toml"))
    assert code == 1
    assert f"{gone}: no such file" in err
    assert not (tmp_path / "m").exists()


def test_a_wrong_role_is_refused_by_the_parser(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    source = site_file(tmp_path, "")
    with pytest.raises(SystemExit) as stop:
        main(["install-config", "--site", str(source), "--role", "both",
              "--config", str(tmp_path / "m" / "console.toml")])
    assert stop.value.code == 2
    assert "invalid choice: 'both'" in capsys.readouterr().err
    assert not (tmp_path / "m").exists()


def test_running_it_again_is_idempotent(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    source = site_file(tmp_path, "")
    config = tmp_path / "m" / "console.toml"
    args = ("--site", str(source), "--role", "seat", "--config", str(config))
    assert run(capsys, *args)[0] == 0
    before = {p.name: p.read_bytes() for p in config.parent.iterdir()}
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert "already installed, unchanged" in out
    assert {p.name: p.read_bytes() for p in config.parent.iterdir()} == before
    assert sorted(before) == ["console.toml", "site.toml"]


def test_the_installed_copy_named_again_is_not_copied(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An upgrade that keeps the machine's site: the installer names the copy itself."""
    config = tmp_path / "m" / "console.toml"
    config.parent.mkdir()
    copy = site_file(config.parent, "")
    code, out, _ = run(capsys, "--site", str(copy), "--role", "service",
                       "--config", str(config))
    assert code == 0
    assert "already installed" in out
    assert sorted(p.name for p in config.parent.iterdir()) == ["console.toml", "site.toml"]
    assert read_machine_config(config) == MachineConfig(copy, "service")


def test_a_changed_site_replaces_the_copy_and_keeps_the_one_before(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "m" / "console.toml"
    first = site_file(tmp_path, "")
    assert run(capsys, "--site", str(first), "--role", "seat", "--config", str(config))[0] == 0
    second = site_file(tmp_path / "m", "", "new.toml")
    second.write_text(second.read_text(encoding="utf-8").replace("Test", "Nouvelle"),
                      encoding="utf-8")
    code, out, _ = run(capsys, "--site", str(second), "--role", "seat", "--config", str(config))
    assert code == 0
    assert "'Nouvelle'" in out
    assert (config.parent / "site.toml").read_bytes() == second.read_bytes()
    assert (config.parent / "site.toml.previous").read_bytes() == first.read_bytes()


def test_quotes_backslashes_and_spaces_round_trip(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Windows paths are written as TOML literal strings; a quote forces a basic string
    with escapes: both must read back as the same path."""
    odd = tmp_path / "l'équipe \\ salle\\ \"B\""
    odd.mkdir()
    source = site_file(odd, "", "mon site\\x.toml")
    for folder in ("C:\\ProgramData\\CSU Console", "d'Arc \\ salle 2"):
        config = tmp_path / folder / "console.toml"
        code, _, err = run(capsys, "--site", str(source), "--role", "seat",
                           "--config", str(config))
        assert code == 0, err
        assert read_machine_config(config) == MachineConfig(config.parent / "site.toml")


def test_a_folder_that_cannot_be_written_says_what_to_do(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = site_file(tmp_path, "")
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    code, out, err = run(capsys, "--site", str(source), "--role", "seat",
                         "--config", str(blocked / "console.toml"))
    assert code == 1
    assert out == ""
    assert f"cannot write the installation's files in {blocked}" in err
    assert "as an administrator" in err


def test_files_beside_the_original_are_named(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """A map the site names relative to its folder is not beside the copy: say so."""
    share = tmp_path / "share"
    share.mkdir()
    (share / "ville.geojson").write_text('{"type": "FeatureCollection", "features": []}',
                                         encoding="utf-8")
    source = share / "site.toml"
    source.write_text('[site]\nname = "Test"\n[map]\ncenter = [48.85, 2.35]\n'
                      'sectors_geojson = "ville.geojson"\n', encoding="utf-8")
    code, out, err = run(capsys, "--site", str(source), "--role", "seat",
                         "--config", str(tmp_path / "m" / "console.toml"))
    assert code == 0, err
    assert "warning: map.sectors_geojson = 'ville.geojson' is relative" in out
    assert f"copy {share / 'ville.geojson'} to {tmp_path / 'm'}" in out


def test_the_secrets_are_named_not_read(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    source = site_file(tmp_path, '[journal]\nurl = "postgresql://csu@db.local/csu"\n'
                                 'password_secret = "journal-pw"\n')
    code, out, _ = run(capsys, "--site", str(source), "--role", "service",
                       "--config", str(tmp_path / "m" / "console.toml"))
    assert code == 0
    assert "keyring secret(s): journal-pw" in out
    assert "the service's account" in out


def test_a_malformed_installation_file_is_named(tmp_path: Path) -> None:
    config = tmp_path / "console.toml"
    config.write_text("site = 'C:\\a.toml'\nrole = seat\n", encoding="utf-8")
    with pytest.raises(InstallError, match=f"{config}.*not valid TOML"):
        read_machine_config(config)
    config.write_text("site = 'C:\\a.toml'\nrole = 'both'\n", encoding="utf-8")
    with pytest.raises(InstallError, match=f"{config}: role is 'both'"):
        read_machine_config(config)


def test_install_config_mends_a_malformed_installation_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "console.toml"
    config.write_text("site = [\n", encoding="utf-8")
    (tmp_path / "src").mkdir()
    source = site_file(tmp_path / "src", "")
    assert run(capsys, "--site", str(source), "--role", "seat", "--config", str(config))[0] == 0
    assert read_machine_config(config) == MachineConfig(tmp_path / "site.toml")


def test_the_installer_runs_it_without_qt(tmp_path: Path) -> None:
    """As nsExec does: a separate process, no terminal; the machine's folder named by
    CSU_CONSOLE_MACHINE_CONFIG, the default when --config is not given."""
    source = site_file(tmp_path, "")
    config = tmp_path / "machine" / "console.toml"
    done = csu("install-config", "--site", str(source), "--role", "service",
               env={"CSU_CONSOLE_MACHINE_CONFIG": str(config)})
    assert done.returncode == 0, done.stderr
    assert read_machine_config(config) == MachineConfig(config.parent / "site.toml", "service")
