"""Runs INSIDE a private mount namespace (`unshare -m --propagation private`, root), for
test_evidence_export_failures: mounts a small tmpfs at TMP/small (the full disk), exports
the recordings the test put in TMP's journal into it, then into TMP/big (a disk with room),
and prints one JSON line of what happened. The mount dies with this process's namespace.

FILL_AT: "none" (the disk is too small from the start), or the export's step ("masters",
"zip") at which another writer fills the disk up to its last FREE_LEFT bytes.

Usage: evidence_full_disk_run.py TMP SIZE FILL_AT"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from app.core.access import Role, User
from app.services.evidence.request import ExportRequest
from app.services.runtime import Runtime
from tests.integration.test_evidence_export_failures import CAMERAS, T0, T1, site_of

FREE_LEFT = 60_000


def filler(small: Path, fill_at: str) -> Callable[[float, str], None]:
    """A progress callback that, at the step `fill_at`, fills the disk as another program
    writing there would."""
    def progress(fraction: float, step: str) -> None:
        target = small / "other-program.bin"
        if step == fill_at and not target.exists():
            free = shutil.disk_usage(small).free
            target.write_bytes(b"\0" * max(0, free - FREE_LEFT))
    return progress


def main(tmp: Path, size: str, fill_at: str) -> None:
    small = tmp / "small"
    small.mkdir(exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(small)],
                   check=True)
    rt = Runtime(site_of(tmp), {}, tmp / "journal.sqlite")
    rt.sign_in_as_demo(User("chef.durand", "Claire Durand", Role.CHIEF))
    asked = ExportRequest(CAMERAS, T0, T1, "judicial", "Parquet de Melun")
    said: dict[str, object] = {}
    try:
        try:
            rt.export_evidence_as(rt.session, asked, filler(small, fill_at),
                                  threading.Event(), folder=small).result(120)
            said.update(error_type=None, error="")
        except Exception as e:
            said.update(error_type=type(e).__name__, error=str(e))
        said["left_on_small"] = sorted(p.name for p in small.iterdir()
                                       if p.name != "other-program.bin")
        said["actions"] = [r.action.action for r in rt.journal.audit_rows()]
        later = rt.export_evidence_as(rt.session, asked, lambda f, s: None,
                                      threading.Event(), folder=tmp / "big").result(120)
        said["later"] = str(later.folder)
        said["final_action"] = [r.action.action for r in rt.journal.audit_rows()][-1]
    finally:
        rt.stop()
        subprocess.run(["umount", str(small)], check=False)
    sys.stdout.write(json.dumps(said) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3])
