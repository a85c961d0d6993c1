"""DESIGN.md's dependency rule, checked by import-linter's contracts in pyproject.toml:
import-linter must succeed, break nothing, and report every contract the file names as
kept (a contract it skipped or renamed is not a contract kept). Nothing here counts them:
adding a contract to pyproject.toml is enough."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.conftest import REPO


def contract_names() -> list[str]:
    with (REPO / "pyproject.toml").open("rb") as f:
        contracts = tomllib.load(f)["tool"]["importlinter"]["contracts"]
    return [str(c["name"]) for c in contracts]


def test_import_contracts_hold() -> None:
    exe = Path(sys.executable).parent / "lint-imports"
    assert exe.exists(), "import-linter is not installed (pip install -e .[dev])"
    result = subprocess.run([exe, "--no-cache"], cwd=REPO, capture_output=True, text=True,
                            check=False, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert re.search(r"^Contracts: \d+ kept, 0 broken\.$", result.stdout, re.M), report
    names = contract_names()
    assert names, "pyproject.toml names no import-linter contract"
    not_kept = [n for n in names if f"{n} KEPT" not in result.stdout.splitlines()]
    assert not not_kept, f"not reported as kept: {not_kept}\n{report}"
