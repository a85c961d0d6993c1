"""Runtime imports are runtime dependencies (issue 8, section 1): `app/adapters/sia_dc09`
imported `Crypto` while pycryptodome was declared only in the dev extra, so an installed
console could not decrypt DC-09 frames and never acknowledged them. deptry checks it the
way dev.sh's test command runs it."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

DEPTRY = Path(sys.executable).parent / "deptry"


def dev_sh_deptry_commands() -> list[list[str]]:
    """The deptry commands of `packaging/dev.sh test`, continuation lines joined."""
    text = (REPO / "packaging" / "dev.sh").read_text().replace("\\\n", " ")
    return [shlex.split(m) for m in re.findall(r"^\s*\.venv/bin/(deptry\b.*)$", text, re.M)]


def deptry(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """deptry's report (it writes to stderr) in `stdout`."""
    assert DEPTRY.exists(), "deptry is not installed (pip install -e .[dev])"
    return subprocess.run([str(DEPTRY), "--no-ansi", *args], cwd=cwd, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False, timeout=300)


def test_dev_sh_runs_deptry_on_what_ships_and_on_the_tests() -> None:
    commands = dev_sh_deptry_commands()
    assert ["deptry", "."] in commands, commands
    assert any("tests" in c for c in commands), commands
    for command in commands:
        result = deptry(command[1:], REPO)
        assert result.returncode == 0, f"{shlex.join(command)}\n{result.stdout}"


def _project(tmp_path: Path, pyproject: str, module: str) -> Path:
    (tmp_path / "app").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text(pyproject)
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "frame.py").write_text(module)
    return tmp_path


def test_a_runtime_import_of_a_dev_only_package_fails(tmp_path: Path) -> None:
    """Issue 8's defect, rebuilt: the same pyproject with pycryptodome moved to the dev
    extra, and a runtime module importing Crypto. The real pyproject passes; that one fails."""
    pyproject = (REPO / "pyproject.toml").read_text()
    module = "from Crypto.Cipher import AES\n\nCIPHER = AES\n"
    args = [".", "--ignore", "DEP002"]  # a two-file project uses few of the dependencies
    good = deptry(args, _project(tmp_path / "good", pyproject, module))
    assert good.returncode == 0, good.stdout

    line = re.search(r'^\s*"pycryptodome[^"]*",.*\n', pyproject, re.M)
    assert line, "pycryptodome is no longer a runtime dependency?"
    moved = pyproject.replace(line.group(0), "").replace(
        "dev = [\n", f"dev = [\n{line.group(0)}", 1)
    assert moved.count("pycryptodome") == pyproject.count("pycryptodome")
    bad = deptry(args, _project(tmp_path / "bad", moved, module))
    assert bad.returncode != 0
    assert "DEP004 'Crypto' imported but declared as a dev dependency" in bad.stdout, bad.stdout


def test_a_test_import_of_an_undeclared_package_fails(tmp_path: Path) -> None:
    """The tests' pass too: an import nobody declares fails (not only what ships)."""
    tests_cmd = next(c for c in dev_sh_deptry_commands() if "tests" in c)
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    for folder in ("tests", "bench", "packaging"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "tests" / "test_x.py").write_text("import pytest\nimport yarl\n")
    result = deptry(tests_cmd[1:], tmp_path)
    assert result.returncode != 0
    assert "DEP003 'yarl' imported but it is a transitive dependency" in result.stdout
    assert "pytest" not in result.stdout  # the dev extra counts for tests
