"""Alarm ingest benchmark: how many alarms per second the console takes in (source →
journal, durably → alarm queue on screen) while the GUI event loop stays responsive.

The real pieces run: hub, alarm service (synchronous=FULL journal), hub bridge, and the
alarm desk widget (model, sorting proxy, table, detail panel) in a shown window. A feeder
thread posts `AlarmReported` at a fixed rate; a 5 ms QTimer measures the event loop's lag.
The reference run, in the same process, is the same window with no alarms arriving.

    xvfb-run -a .venv/bin/python -m bench.alarm_ingest [--seconds 8] [--rates 0,50,200,1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
_TMP = Path(tempfile.mkdtemp(prefix="csu-bench-"))
os.environ["XDG_CONFIG_HOME"] = str(_TMP / "config")

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.events import AlarmReported  # noqa: E402
from app.core.model import AlarmType, LatLon  # noqa: E402
from app.core.site import Site  # noqa: E402
from app.services.runtime import Runtime  # noqa: E402
from app.ui.bridge import HubBridge  # noqa: E402
from app.ui.style import apply_style  # noqa: E402
from app.ui.world import World  # noqa: E402
from bench.lag import LagProbe, pct  # noqa: E402
from widgets.alarms import AlarmDock  # noqa: E402

TYPES = list(AlarmType)


def feeder(runtime: Runtime, rate: float, seconds: float, tag: str, sent: list[int]) -> None:
    n = int(rate * seconds)
    t0 = time.perf_counter()
    for i in range(n):
        due = t0 + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        runtime.hub.post(AlarmReported(
            source="bench", source_id=f"{tag}-{i}", type=TYPES[i % len(TYPES)],
            priority=1 + i % 4, title=f"Bench alarm {i}", time=datetime.now(UTC),
            position=LatLon(60.17 + (i % 100) * 1e-4, 24.94)))
        sent[0] += 1


def run_phase(app: QApplication, runtime: Runtime, dock: AlarmDock, rate: float,
              seconds: float, tag: str) -> dict[str, float]:
    probe = LagProbe()
    rows_before = dock.model.rowCount()
    sent = [0]
    probe.start()
    t0 = time.perf_counter()
    worker = threading.Thread(target=feeder, args=(runtime, rate, seconds, tag, sent))
    if rate > 0:
        worker.start()
    expected = int(rate * seconds)
    deadline = t0 + seconds + 60
    while time.perf_counter() < t0 + seconds or (
            dock.model.rowCount() - rows_before < expected and time.perf_counter() < deadline):
        app.processEvents()
        time.sleep(0.001)
    elapsed = time.perf_counter() - t0
    probe.stop()
    if rate > 0:
        worker.join()
    shown = dock.model.rowCount() - rows_before
    return {"rate": rate, "sent": sent[0], "shown": shown, "lost": sent[0] - shown,
            "ingest_per_s": shown / elapsed if rate else 0.0,
            "lag_p50": statistics.median(probe.samples) if probe.samples else 0.0,
            "lag_p99": pct(probe.samples, 99), "lag_max": max(probe.samples, default=0.0)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--rates", default="0,50,200,1000")
    args = ap.parse_args()
    app = QApplication(sys.argv)
    apply_style(app)
    site = Site.model_validate({"site": {"name": "Bench"}, "map": {"center": [60.17, 24.94]}})
    runtime = Runtime(site, {}, _TMP / "journal.sqlite")
    bridge = HubBridge(runtime.hub, World())
    dock = AlarmDock(site, runtime, bridge, operator="bench")
    dock.alerter.set_muted(True)
    dock.resize(1400, 700)
    dock.show()
    bridge.start()
    runtime.start()
    results = []
    for i, rate in enumerate(float(r) for r in args.rates.split(",")):
        results.append(run_phase(app, runtime, dock, rate, args.seconds, f"p{i}"))
    journaled = len(runtime.journal.load_alarms())
    bridge.stop()
    runtime.stop()
    print(f"alarm ingest, {args.seconds:.0f} s per phase; first row = reference (no alarms)")
    print(f"{'offered/s':>10} {'sent':>7} {'shown':>7} {'lost':>5} {'ingest/s':>9} "
          f"{'lag p50 ms':>11} {'lag p99 ms':>11} {'lag max ms':>11} {'p99 ratio':>10}")
    ref = max(results[0]["lag_p99"], 0.1)
    for r in results:
        print(f"{r['rate']:>10.0f} {r['sent']:>7.0f} {r['shown']:>7.0f} {r['lost']:>5.0f} "
              f"{r['ingest_per_s']:>9.0f} {r['lag_p50']:>11.2f} {r['lag_p99']:>11.2f} "
              f"{r['lag_max']:>11.2f} {r['lag_p99'] / ref:>10.1f}")
    total = sum(int(r["sent"]) for r in results)
    print(f"journal holds {journaled} alarms for {total} sent: "
          f"{'none lost' if journaled == total else 'LOST ' + str(total - journaled)}")
    return 0 if journaled == total else 1


if __name__ == "__main__":
    sys.exit(main())
