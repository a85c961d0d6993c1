"""Alarm ingest per adapter: how many alarms per second each alarm adapter carries end to
end on this machine — from the wire (a real sender on loopback) through the adapter, the
hub and the real AlarmService into the journal (synchronous=FULL) — next to a reference
that posts `AlarmReported` straight into the hub in the same process.

Milestone and ONVIF are fed by the local stand-ins of the tests (no real server can run
here), so their rows measure our side plus a Python fake, not a real XProtect or camera.

    .venv/bin/python -m bench.ingest_alarms [--alarms 2000] [--only dc09,webhook]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import requests

from app.adapters.http_ingress import signed_headers
from app.adapters.milestone import MilestoneConfig
from app.adapters.onvif import OnvifConfig
from app.adapters.sia_dc09 import SiaDc09Config
from app.adapters.sia_dc09.frame import build_frame
from app.adapters.webhook import WebhookConfig
from app.core.adapter import AdapterConfig
from app.core.events import AlarmReported
from app.core.model import AlarmType
from app.core.registry import discover
from app.core.secrets import set_secret
from app.core.site import Site
from app.services.runtime import Runtime

SENDERS = 4  # parallel connections (panels, sensors)


def runtime(adapters: list[AdapterConfig], folder: Path, tag: str) -> Runtime:
    site = Site.model_validate({"site": {"name": "bench"}, "map": {"center": [48.85, 2.35]}})
    rt = Runtime(site.model_copy(update={"adapters": adapters}), discover(),
                 Path(tempfile.mkdtemp(prefix=tag, dir=folder)) / "journal.sqlite")
    rt.start()
    return rt


def wait(cond: Callable[[], bool], bound: float = 300.0) -> None:
    end = time.monotonic() + bound
    while not cond():
        if time.monotonic() > end:
            raise TimeoutError("the bench did not finish in time")
        time.sleep(0.005)


def measure(rt: Runtime, n: int, send: Callable[[], None]) -> tuple[float, int]:
    """(alarms/s from first byte sent to last alarm durable, alarms in the journal)."""
    start = time.perf_counter()
    send()
    wait(lambda: rt.alarms.processed_reports >= n)
    elapsed = time.perf_counter() - start
    return n / elapsed, len(rt.journal.load_alarms())


def bound_port(rt: Runtime, name: str) -> int:
    adapter = rt.host.adapters[name]
    wait(lambda: getattr(adapter, "bound_port", None) is not None, 20)
    return int(adapter.bound_port)  # type: ignore[attr-defined]


def in_threads(n: int, work: Callable[[int, int], None]) -> None:
    per = n // SENDERS
    threads = [threading.Thread(target=work, args=(i * per, per)) for i in range(SENDERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


# -- scenarios -----------------------------------------------------------------------------
def reference(n: int, folder: Path) -> tuple[float, int]:
    rt = runtime([], folder, "reference")
    now = datetime.now(UTC)

    def send() -> None:
        for i in range(n):
            rt.hub.post(AlarmReported("ref", f"r{i}", AlarmType.OTHER, 3, f"alarm {i}", now))

    try:
        return measure(rt, n, send)
    finally:
        rt.stop()


def dc09(n: int, folder: Path) -> tuple[float, int]:
    accounts = [{"account": f"{1000 + i}", "building": f"Bâtiment {i}"} for i in range(SENDERS)]
    cfg = SiaDc09Config(kind="sia_dc09", name="dc09", listen="127.0.0.1", port=0,
                        accounts=accounts)  # type: ignore[arg-type]
    rt = runtime([cfg], folder, "dc09")
    port = bound_port(rt, "dc09")

    def panel(first: int, count: int) -> None:
        acct = f"{1000 + first // (n // SENDERS)}"
        with socket.create_connection(("127.0.0.1", port)) as s:
            for k in range(count):
                seq = k % 9999 + 1
                zone = k % 4096  # one condition (alarm) per frame: zones 000..FFF
                s.sendall(build_frame("ADM-CID", seq, acct, f"#{acct}|1130 01 {zone:03X}"))
                answer = b""
                while not answer.endswith(b"\r"):
                    answer += s.recv(256)
                if b'"ACK"' not in answer:
                    raise RuntimeError(f"receiver answered {answer!r}")

    try:
        return measure(rt, n, lambda: in_threads(n, panel))
    finally:
        rt.stop()


def webhook(n: int, folder: Path) -> tuple[float, int]:
    set_secret("bench-webhook", "bench-secret")
    cfg = WebhookConfig(kind="webhook", name="hook", listen="127.0.0.1", port=0,
                        hmac_secret="bench-webhook")
    rt = runtime([cfg], folder, "webhook")
    url = f"http://127.0.0.1:{bound_port(rt, 'hook')}/alarms"

    def sensor(first: int, count: int) -> None:
        with requests.Session() as http:
            for i in range(first, first + count):
                body = json.dumps({"id": f"e{i}", "type": "gunshot",
                                   "time": datetime.now(UTC).isoformat()}).encode()
                r = http.post(url, data=body, headers=signed_headers(body, "bench-secret"),
                              timeout=10)
                if r.status_code != 202:
                    raise RuntimeError(f"webhook answered {r.status_code} {r.text}")

    try:
        return measure(rt, n, lambda: in_threads(n, sensor))
    finally:
        rt.stop()


def milestone(n: int, folder: Path) -> tuple[float, int]:
    from tests.integration.alarm_adapters.fake_milestone import FakeXProtect

    fake = FakeXProtect("csu", "pw").start()
    set_secret("bench-xprotect", "pw")
    cfg = MilestoneConfig(kind="milestone", name="xp", url=fake.url, username="csu",
                          password_secret="bench-xprotect", events_url=fake.events_url,
                          event_types={"motion": {"title": "Motion"}})  # type: ignore[dict-item]
    rt = runtime([cfg], folder, "milestone")
    wait(fake.subscribed.is_set, 20)

    def send() -> None:
        now = datetime.now(UTC).isoformat()
        for b in range(0, n, 100):
            fake.push({"events": [{"id": f"e{i}", "type": "motion", "source": "cameras/c",
                                   "time": now} for i in range(b, min(n, b + 100))]})

    try:
        return measure(rt, n, send)
    finally:
        rt.stop()
        fake.stop()


def onvif(n: int, folder: Path) -> tuple[float, int]:
    from tests.integration.alarm_adapters.fake_onvif import FakeOnvifCamera, notification

    fake = FakeOnvifCamera("admin", "pw").start()
    set_secret("bench-onvif", "pw")
    cfg = OnvifConfig(kind="onvif", name="onvif", username="admin", password_secret="bench-onvif",
                      devices=[{"id": "cam", "name": "Cam", "url": fake.url}])  # type: ignore[list-item]
    rt = runtime([cfg], folder, "onvif")
    wait(lambda: fake.subscriptions > 0, 20)
    base = datetime.now(UTC)

    def send() -> None:
        fake.push(*(notification("tns1:RuleEngine/CellMotionDetector/Motion",
                                 {"IsMotion": "true"}, {}, base.replace(microsecond=i % 1000000))
                    for i in range(n)))

    try:
        return measure(rt, n, send)
    finally:
        rt.stop()
        fake.stop()


SCENARIOS = {"reference": reference, "dc09": dc09, "webhook": webhook, "milestone": milestone,
             "onvif": onvif}
NOTES = {"reference": "AlarmReported posted straight into the hub",
         "dc09": f"{SENDERS} panels over TCP, each frame waits for its ACK",
         "webhook": f"{SENDERS} senders, HTTP keep-alive, HMAC-signed JSON",
         "milestone": "events WebSocket (local XProtect stand-in), 100 events a message",
         "onvif": "PullPoint, 32 a pull (local camera stand-in)"}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    p.add_argument("--alarms", type=int, default=2000)
    p.add_argument("--only", default=",".join(SCENARIOS))
    p.add_argument("--repeat", type=int, default=3, help="runs per path; the median is shown")
    args = p.parse_args()
    import os

    folder = Path(tempfile.mkdtemp(prefix="csu-bench-ingest-"))
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    os.environ.setdefault("XDG_DATA_HOME", str(folder / "data"))
    n = args.alarms - args.alarms % SENDERS
    print(f"alarm ingest per adapter, {n} alarms each, wire → adapter → hub → AlarmService → "
          "journal (synchronous=FULL)")
    print(f"median of {args.repeat} runs; min and max beside it (a shared machine is noisy)")
    print(f"{'path':<10} {'alarms/s':>9} {'min':>7} {'max':>7} {'journal':>8}  how")
    for name in args.only.split(","):
        runs = [SCENARIOS[name](n, folder) for _ in range(args.repeat)]
        rates = sorted(r for r, _ in runs)
        stored = min(s for _, s in runs)
        print(f"{name:<10} {statistics.median(rates):>9.0f} {rates[0]:>7.0f} {rates[-1]:>7.0f} "
              f"{stored:>8}  {NOTES[name]}", flush=True)


if __name__ == "__main__":
    main()
