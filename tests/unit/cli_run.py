"""Run `csu-console` as an installer does: a separate process, its output and exit code.

The child inherits the suite's environment (its own HOME-like folders and the test keyring
backend, see tests/conftest.py); `env` overrides single variables. The child is started in
a new session, without a controlling terminal, as on a headless server over a pipe."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

CODE = ("import sys; from app.main import main; rc = main(sys.argv[1:]); "
        "assert 'PySide6' not in sys.modules, 'Qt was loaded'; sys.exit(rc)")


def csu(*args: str, stdin: str = "", env: dict[str, str] | None = None,
        timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CODE, *args], cwd=REPO, input=stdin,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
                          start_new_session=True)


def site_file(tmp_path: Path, body: str, name: str = "site.toml") -> Path:
    p = tmp_path / name
    p.write_text('[site]\nname = "Test"\n[map]\ncenter = [48.85, 2.35]\n' + body,
                 encoding="utf-8")
    return p
