"""The room's benchmark runs: bench/multiseat.py for 2 s at a low rate with two seat windows
(real processes, a real PostgreSQL, Xvfb) beside the SQLite console, prints its columns, and
nothing acknowledged to the source is lost, on any console or in the journal."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO
from tests.servers.postgres import postgres_missing

COLUMNS = ["rate/s", "console", "sent", "lost", "to seat p50", "to desk p50",
           "ack->here p50", "missing", "lag p50", "GUI busy"]


@pytest.mark.slow
def test_the_room_bench_prints_its_columns_and_loses_nothing() -> None:
    if postgres_missing():
        pytest.fail(postgres_missing())  # packaging/dev.sh installs it: not a skip
    assert os.environ.get("DISPLAY"), "pytest-xvfb gives the windows a display"
    run = subprocess.run(
        [sys.executable, "-m", "bench.multiseat", "--seconds", "2", "--rates", "50",
         "--seats", "2"], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True, text=True, timeout=600, check=False)
    out = run.stdout
    assert run.returncode == 0, out + run.stderr[-3000:]
    header = next(ln for ln in out.splitlines() if ln.lstrip().startswith("rate/s"))
    for column in COLUMNS:
        assert column in header, header
    rows = {ln.split()[1]: ln.split() for ln in out.splitlines()
            if ln.split() and ln.split()[0] == "50"}
    assert set(rows) == {"sqlite", "seat1", "seat2"}, out
    for name, cells in rows.items():
        first = 3 if name == "sqlite" else 2  # "sqlite console" is two words
        sent, lost = int(cells[first]), int(cells[first + 1])
        assert sent == 100, out
        assert lost == 0, out
    for seat in ("seat1", "seat2"):  # each saw the other's acknowledgements, all of them
        missing = int(rows[seat][2 + 2 + 6])
        assert missing == 0, out
    phases = [ln for ln in out.splitlines() if ln.lstrip().startswith(("ref0", "room0"))]
    assert len(phases) == 2, out
    assert all(ln.endswith("journal missing 0") for ln in phases), out
    assert "NOT caught up" not in out, out
