"""Runs INSIDE a private mount namespace (`unshare -m --propagation private`, root), for
test_evidence_export_failures: mounts a small tmpfs at TMP/small (the full disk), exports
the recordings the test put in TMP's journal into it, then into TMP/big (a disk with room),
and prints one JSON line of what happened. The mount dies with this process's namespace.

Usage: evidence_full_disk_run.py TMP SIZE"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

from app.core.access import Role, User
from app.services.evidence.request import ExportRequest
from app.services.runtime import Runtime
from tests.integration.test_evidence_export_failures import CAMERAS, T0, T1, site_of


def main(tmp: Path, size: str) -> None:
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
            rt.export_evidence_as(rt.session, asked, lambda f, s: None, threading.Event(),
                                  folder=small).result(120)
            said.update(error_type=None, error="")
        except Exception as e:
            said.update(error_type=type(e).__name__, error=str(e))
        said["left_on_small"] = sorted(p.name for p in small.iterdir())
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
    main(Path(sys.argv[1]), sys.argv[2])
