"""Map benchmark: thousands of objects moving at 1 Hz on the live map.

The real path runs: a feeder thread posts `PositionReported` for N objects (officers on foot,
patrol vehicles, moving reports) once a second each, spread over the second → hub → hub
bridge (coalesces, 50 ms ticks) → MapFeed → MapView (one batched `runJavaScript` per flush)
→ the page's canvas layer, with motion interpolation on. Measured: the GUI event loop's
lag (a 5 ms QTimer, p50/p99) and the page's gaps between animation frames (a
requestAnimationFrame loop in the page: worst and p99). The first row is the reference:
the same shown map, nothing moving.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m bench.map_bench \
        [--seconds 10] [--counts 0,100,1000,5000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

if hasattr(os, "geteuid") and os.geteuid() == 0:
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")
_TMP = Path(tempfile.mkdtemp(prefix="csu-map-bench-"))
os.environ["XDG_CONFIG_HOME"] = str(_TMP / "config")

from maps.scheme import prepare_web_engine  # noqa: E402

prepare_web_engine()

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.events import OfficerAnnounced, PositionReported  # noqa: E402
from app.core.hub import Hub  # noqa: E402
from app.core.model import LatLon, Officer, OfficerStatus, PositionFix, utc_now  # noqa: E402
from app.core.site import Site  # noqa: E402
from app.ui.bridge import HubBridge  # noqa: E402
from app.ui.world import World  # noqa: E402
from bench.lag import LagProbe, pct  # noqa: E402
from widgets.map_dock import MapFeed, make_map_view  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
CENTER = (60.1695, 24.9440)
KINDS = (("PM", "Patrouille pédestre"), ("VL", "Véhicule"), ("SIG", "Signalement"))
STATUSES = (OfficerStatus.AVAILABLE, OfficerStatus.BUSY, OfficerStatus.INTERVENTION)


class Mover:
    """One object wandering over the view: walkers ~1.5 m/s, vehicles ~8 m/s."""

    def __init__(self, i: int, rng: random.Random) -> None:
        self.id = f"b{i}"
        self.n = i
        self.kind = i % len(KINDS)
        self.lat = CENTER[0] + rng.uniform(-0.0075, 0.0075)
        self.lon = CENTER[1] + rng.uniform(-0.017, 0.017)
        self.heading = rng.uniform(0, 360)
        self.speed = 8.0 if self.kind == 1 else (0.0 if self.kind == 2 else 1.5)
        self.rng = rng

    def step(self) -> PositionFix:
        self.heading = (self.heading + self.rng.uniform(-20, 20)) % 360
        h = math.radians(self.heading)
        self.lat += self.speed * math.cos(h) / 111_320
        self.lon += self.speed * math.sin(h) / (111_320 * math.cos(math.radians(self.lat)))
        if abs(self.lat - CENTER[0]) > 0.0075 or abs(self.lon - CENTER[1]) > 0.017:
            self.heading = (self.heading + 180) % 360
        return PositionFix(self.id, LatLon(self.lat, self.lon), utc_now(), self.heading,
                           self.speed)


def feeder(hub: Hub, movers: list[Mover], seconds: float, stop: threading.Event,
           slices: int = 20) -> None:
    """Every object once a second, in slices spread over the second."""
    t0 = time.perf_counter()
    k = 0
    while not stop.is_set() and time.perf_counter() - t0 < seconds:
        part = movers[k % slices::slices]
        for m in part:
            hub.post(PositionReported(m.step()))
        k += 1
        delay = t0 + k / slices - time.perf_counter()
        if delay > 0:
            time.sleep(delay)


def page_eval(app: QApplication, view: object, script: str) -> object:
    box: list[object] = []
    view.run_js_for_test(f"JSON.stringify({script})", box.append)  # type: ignore[attr-defined]
    deadline = time.perf_counter() + 30
    while not box and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    return json.loads(str(box[0])) if box else None


def pump(app: QApplication, seconds: float) -> None:
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.001)


def run_phase(app: QApplication, hub: Hub, view: object, n: int, seconds: float,
              rng: random.Random, first: int, slices: int = 20) -> dict[str, float]:
    movers = [Mover(first + i, rng) for i in range(n)]
    for m in movers:
        kind, unit = KINDS[m.kind]
        hub.post(OfficerAnnounced(Officer(m.id, f"{kind} {m.n}", unit,
                                          status=rng.choice(STATUSES))))
    stop = threading.Event()
    worker = threading.Thread(target=feeder, args=(hub, movers, seconds + 2, stop, slices))
    worker.start()
    pump(app, 2.0)  # warm-up: every object on the page, interpolation running
    page_eval(app, view, "CSU.frameProbe(true)")
    probe = LagProbe()
    probe.start()
    pump(app, seconds)
    probe.stop()
    frames = page_eval(app, view, "CSU.frameProbe(true)")
    counts = page_eval(app, view, "CSU.counts()")
    stop.set()
    worker.join()
    page_eval(app, view, f"CSU.removeOfficers({json.dumps([m.id for m in movers])})")
    f = frames if isinstance(frames, dict) else {}
    c = counts if isinstance(counts, dict) else {}
    return {"n": n, "lag_p50": statistics.median(probe.samples) if probe.samples else 0.0,
            "lag_p99": pct(probe.samples, 99), "lag_max": max(probe.samples, default=0.0),
            "gap_p99": float(f.get("p99", 0)), "gap_max": float(f.get("max", 0)),
            "frames_per_s": float(f.get("frames", 0)) / seconds,
            "draw_max": float(f.get("drawMax", 0)), "on_page": float(c.get("officers", 0))}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--counts", default="0,100,1000,5000")
    ap.add_argument("--zoom", type=int, default=15)
    ap.add_argument("--slices", type=int, default=20, help="feeder bursts per second")
    ap.add_argument("--no-smoothing", action="store_true", help="jump instead of gliding")
    args = ap.parse_args()
    app = QApplication(sys.argv)
    site = Site.model_validate({"site": {"name": "Map bench"}, "map": {
        "center": list(CENTER), "zoom": args.zoom,
        "streets_geojson": str(REPO / "resources" / "demo" / "town.geojson")}})
    hub = Hub()
    bridge = HubBridge(hub, World())
    view = make_map_view(site, _TMP / "cache")
    MapFeed(view, bridge, site)
    view.set_motion_smoothing(not args.no_smoothing)
    view.resize(1200, 900)
    view.show()
    bridge.start()
    deadline = time.perf_counter() + 60
    while not view.is_ready and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.005)
    rng = random.Random(7)
    results, first = [], 0
    for n in (int(c) for c in args.counts.split(",")):
        results.append(run_phase(app, hub, view, n, args.seconds, rng, first, args.slices))
        first += n
    bridge.stop()
    print(f"map, {args.seconds:.0f} s per phase at zoom {args.zoom}, 1200x900 view, every "
          "object moving at 1 Hz, interpolated; first row = reference (nothing moving)")
    print(f"{'objects':>8} {'GUI lag p50':>12} {'p99 ms':>7} {'max ms':>7} "
          f"{'frame gap p99':>14} {'max ms':>7} {'frames/s':>9} {'draw max':>9}")
    for r in results:
        print(f"{r['n']:>8.0f} {r['lag_p50']:>12.2f} {r['lag_p99']:>7.2f} {r['lag_max']:>7.1f} "
              f"{r['gap_p99']:>14.1f} {r['gap_max']:>7.1f} {r['frames_per_s']:>9.1f} "
              f"{r['draw_max']:>9.1f}")
    errors = view.js_errors
    if errors:
        print("page errors:", *errors[:5], sep="\n  ")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
