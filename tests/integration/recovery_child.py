"""Opens a journal the way the console does, takes one alarm, and prints what happened as
JSON (run by test_journal_recovery.py, possibly as an unprivileged user)."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

from app.core.events import AlarmReported
from app.core.model import AlarmType
from app.core.site import Site
from app.services.runtime import Runtime


def main(path: str) -> None:
    site = Site.model_validate({"site": {"name": "t"}, "map": {"center": [60.17, 24.94]}})
    rt = Runtime(site, {}, path)  # type: ignore[arg-type]
    rt.start()
    try:
        rt.hub.post_durable(AlarmReported("panel", "after", AlarmType.GUNSHOT, 1, "Tir",
                                          datetime.now(UTC))).result(10)
        alarms = [a.source_id for a in rt.journal.load_alarms()]
    finally:
        rt.stop()
    rec = rt.recovery
    print(json.dumps({  # noqa: T201 - the test reads it
        "journal": str(rt.journal.path), "alarms": alarms,
        "recovery": None if rec is None else {
            "problem": rec.problem, "damaged": str(rec.damaged), "alarms": rec.alarms,
            "audit": rec.audit, "events": rec.events, "text": rec.describe()}}))


if __name__ == "__main__":
    main(sys.argv[1])
