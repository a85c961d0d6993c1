"""A slower workstation on a fast one: a cgroup v1 CPU quota for this process (root only).

`CpuQuota(30).enter()` makes `/sys/fs/cgroup/cpu/csu-bench-slow` with a quota of 30% of one
CPU and moves this process (all its threads, and the children it starts from then on) into
it; `leave()` moves it back and removes the group. `current_quota()` says what quota the
process runs under, however it got there (e.g. a shell put in a group by hand).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

CPU_ROOT = Path("/sys/fs/cgroup/cpu")
GROUP = "csu-bench-slow"


def _cpu_cgroup() -> str | None:
    """This process's group in the v1 `cpu` hierarchy ("/" for the root), or None."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _id, controllers, path = line.split(":", 2)
        if "cpu" in controllers.split(","):
            return path
    return None


def current_quota() -> str:
    """E.g. "30% of one CPU (/slow, period 100 ms)" or "none"."""
    group = _cpu_cgroup()
    if group is None or not (CPU_ROOT / "cpu.cfs_quota_us").exists():
        return "none (no cgroup v1 cpu controller)"
    folder = CPU_ROOT / group.lstrip("/")
    try:
        quota = int((folder / "cpu.cfs_quota_us").read_text())
        period = int((folder / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return f"unknown (cannot read {folder})"
    if quota < 0:
        return "none"
    return f"{100 * quota / period:.0f}% of one CPU ({group}, period {period / 1000:.0f} ms)"


class CpuQuota:
    def __init__(self, percent: int, period_ms: int = 100) -> None:
        self.percent = percent
        self.period_us = period_ms * 1000
        self.folder = CPU_ROOT / GROUP
        self._entered = False

    def enter(self) -> str | None:
        """Move this process into the quota group; a plain-words problem, or None."""
        if not 1 <= self.percent <= 100:
            return "the quota is a percentage of one CPU, 1 to 100"
        if hasattr(os, "geteuid") and os.geteuid() != 0:
            return "a CPU quota needs root (cgroup v1 files under /sys/fs/cgroup/cpu)"
        if not (CPU_ROOT / "cgroup.procs").exists():
            return f"no cgroup v1 cpu controller mounted at {CPU_ROOT}"
        try:
            self.folder.mkdir(exist_ok=True)
            (self.folder / "cpu.cfs_period_us").write_text(str(self.period_us))
            (self.folder / "cpu.cfs_quota_us").write_text(
                str(self.period_us * self.percent // 100))
            (self.folder / "cgroup.procs").write_text(str(os.getpid()))
        except OSError as exc:
            return f"cannot set up {self.folder}: {exc}"
        self._entered = True
        return None

    def leave(self) -> None:
        """Everything in the group (this process, and the children it started there, e.g.
        the map's web processes still closing) back to the root group; the group goes."""
        if not self._entered:
            return
        try:
            for pid in (self.folder / "cgroup.procs").read_text().split():
                with contextlib.suppress(OSError):  # a child that exited meanwhile
                    (CPU_ROOT / "cgroup.procs").write_text(pid)
            self.folder.rmdir()
        except OSError as exc:
            print(f"could not remove {self.folder} ({exc}): rmdir it once the bench's "
                  "processes are gone")
        self._entered = False
