"""Ways the journal's file fails in the field, made real for the tests: another process
holding its write lock past the busy timeout, a full disk (SQLite's SQLITE_FULL, by capping
the file's pages), damaged bytes."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

_HOLDER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


@contextmanager
def locked_by_another_process(path: Path) -> Iterator[None]:
    """Another program holds the journal's write lock until the block ends."""
    with subprocess.Popen([sys.executable, "-c", _HOLDER, str(path)], stdin=subprocess.PIPE,
                          stdout=subprocess.PIPE, text=True) as holder:
        assert holder.stdout is not None
        assert holder.stdin is not None
        try:
            assert holder.stdout.readline().strip() == "locked"
            yield
        finally:
            holder.stdin.write("\n")
            holder.stdin.flush()
            holder.wait(10)


class SmallDisk:
    """A real, small filesystem (tmpfs) that the test fills and frees: SQLite then meets
    ENOSPC exactly as on a full disk. Mounting needs root (CI and this machine run as
    root); elsewhere the tests that need it skip, saying why."""

    def __init__(self, where: Path, size: str = "4m") -> None:
        self.path = where
        self.path.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0 or shutil.which("mount") is None:
            pytest.skip("a full disk is simulated with a small tmpfs, which needs root")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "csu-test",
                               str(self.path)], capture_output=True, text=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip()}")
        self._filler = self.path / "filler"

    def fill(self) -> None:
        """Take every free byte."""
        with open(self._filler, "ab", buffering=0) as f:
            for size in (1 << 20, 1 << 16, 1 << 12, 512, 1):
                while True:
                    try:
                        f.write(b"\0" * size)
                    except OSError:
                        break

    def free(self) -> None:
        self._filler.unlink(missing_ok=True)

    def unmount(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], check=False)


def overwrite_a_page_of(path: Path, table: str) -> None:
    """Random bytes over one page of `table`'s b-tree (its root page)."""
    db = sqlite3.connect(str(path))
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                      (table,)).fetchone()[0]
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page_size + 100 * (root == 1))
        f.write(bytes((i * 37 + 11) % 256 for i in range(page_size // 2)))
