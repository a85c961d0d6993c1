"""The console's log goes to a rotating file in the user's log folder (support reads it
from a workstation whose windowed console has no terminal), and the site's secrets are never
in it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_the_console_logs_to_its_file_in_the_user_log_folder(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_STATE_HOME": str(tmp_path / "state")}
    done = subprocess.run([sys.executable, "-m", "app.main", "--demo", "--lang", "en",
                           "--quit-after", "3"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=110)
    assert done.returncode == 0, done.stderr[-2000:]
    log = tmp_path / "state" / "csu-console" / "log" / "console.log"
    text = log.read_text(encoding="utf-8")
    # what the console said on standard error is in the file, stamped
    start = next(line for line in done.stderr.splitlines() if "starting on the site" in line)
    assert start in text
    assert f"(log file: {log})" in start
