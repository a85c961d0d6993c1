"""The real console, started on the demo as an operator does, writes its journal under the
site's name with the accents transliterated. Before: `d-mo-centre-de-supervision-urbaine`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_the_demo_journal_is_named_with_its_letters(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        env["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox"
    done = subprocess.run([sys.executable, "-m", "app.main", "--demo", "--lang", "en",
                           "--quit-after", "3"], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=110)
    assert done.returncode == 0, done.stderr[-2000:]
    journals = sorted(p.name for p in (tmp_path / "data" / "csu-console" / "journals").iterdir()
                      if p.suffix == ".sqlite")
    assert journals == ["demo-centre-de-supervision-urbaine.sqlite"]
