"""MQTT reconnect benchmark: how long after a broker's return the console is connected
again, and what a phone published meanwhile reaches the journal.

Each round runs the real OwnTracks adapter in the real adapter host (hub, journal writer)
against a real mosquitto on loopback, stops the broker (SIGTERM), keeps it away for the
given time (plus 0-1 s at random, so that the broker returns at any moment of the
adapter's retry cadence), starts it again on the same port, and at once has
`mosquitto_pub -l` (QoS 1) publish a numbered series of fixes (20 a second for 3 s), as a
phone whose backlog flushes on the broker's return would. It prints, per round, the delay
from the broker's port being open again to the adapter's "running" status, and how many
of the fixes reached the console. Without persistence the broker forgets the console's
session when it restarts: what is published before the console subscribes again has no
subscriber and is lost.

    .venv/bin/python -m bench.mqtt_reconnect [--outages 2,4,6,9] [--rounds 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import random
import statistics
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="csu-bench-mqtt-"))
os.environ.setdefault("XDG_DATA_HOME", str(_TMP / "data"))

from app.adapters.owntracks import OwnTracksAdapter, OwnTracksConfig  # noqa: E402
from app.core.events import AdapterStatus, PositionReported  # noqa: E402
from tests.integration.adapters.adapter_harness import running  # noqa: E402
from tests.integration.adapters.conftest import MosquittoBroker  # noqa: E402

TOPIC = "owntracks/alice/phone"
RATE_HZ, PUBLISH_S = 20, 3.0


def fix(i: int) -> str:
    return json.dumps({"_type": "location", "lat": 48.0 + i / 10_000, "lon": 2.35,
                       "tst": int(time.time()), "tid": "AL"})


def paced_publish(broker: MosquittoBroker, count: int, interval: float) -> None:
    """`mosquitto_pub -l`: one QoS 1 message per line, written at a steady pace."""
    cmd = ["mosquitto_pub", "-h", broker.host, "-p", str(broker.port), "-q", "1",
           "-t", TOPIC, "-l"]
    with subprocess.Popen(cmd, stdin=subprocess.PIPE) as pub:
        assert pub.stdin is not None
        start = time.monotonic()
        for i in range(count):
            time.sleep(max(0.0, start + i * interval - time.monotonic()))
            pub.stdin.write(fix(i).encode() + b"\n")
            pub.stdin.flush()
        pub.stdin.close()
        pub.wait(30)


def one_round(n: int, persistent: bool, outage_s: float) -> tuple[float, int, int]:
    """(seconds from the port open to "running", fixes sent, fixes received)."""
    workdir = _TMP / f"broker-{n}"
    workdir.mkdir()
    broker = MosquittoBroker(workdir, persistent=persistent)
    broker.start()
    cfg = OwnTracksConfig(name=f"bench-{n}", port=broker.port,
                          devices={"alice/phone": "pm11"})
    count = int(RATE_HZ * PUBLISH_S)
    try:
        with running(OwnTracksAdapter(cfg)) as r:
            r.wait_status("running", "connected")
            broker.stop()
            r.wait_status("retrying")
            time.sleep(outage_s + random.uniform(0, 1))  # any phase of the retry cadence
            r.statuses.clear()
            broker.start()  # returns once the port accepts connections
            back = datetime.now(UTC)
            paced_publish(broker, count, 1 / RATE_HZ)
            r.wait_status("running", timeout=120)
            up = next(s for s in r.statuses
                      if isinstance(s, AdapterStatus) and s.state == "running")

            def fixes() -> int:
                return sum(isinstance(e, PositionReported) for e in r.events)
            with contextlib.suppress(AssertionError):  # all, or what arrives within 5 s
                r.wait_until(lambda: fixes() >= count, timeout=5)
            return (up.time - back).total_seconds(), count, fixes()
    finally:
        broker.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--outages", default="2,4,6,9", help="seconds the broker stays away")
    ap.add_argument("--rounds", type=int, default=2, help="rounds per outage and mode")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    outages = [float(x) for x in args.outages.split(",")]
    print(f"{'broker':<15}{'away s':>7}{'reconnect s':>13}{'fixes':>9}{'lost':>6}")
    n = 0
    for persistent in (True, False):
        delays = []
        for outage in outages:
            for _ in range(args.rounds):
                n += 1
                delay, sent, got = one_round(n, persistent, outage)
                delays.append(delay)
                mode = "persistent" if persistent else "no persistence"
                print(f"{mode:<15}{outage:>7.1f}{delay:>13.2f}{got:>5}/{sent:<3}"
                      f"{sent - got:>6}", flush=True)
        print(f"  reconnect after the return: min {min(delays):.2f} s, median "
              f"{statistics.median(delays):.2f} s, max {max(delays):.2f} s")


if __name__ == "__main__":
    main()
