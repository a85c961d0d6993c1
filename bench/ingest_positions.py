"""Position ingest benchmark: how many positions per second each position adapter takes
end to end, from its real wire to the journal, on this machine.

Each row runs the real adapter in the real adapter host, with the real hub and journal
writer (SQLite, WAL, synchronous=FULL), fed by a real peer on loopback: mosquitto +
`mosquitto_pub -l` (QoS 1) for OwnTracks, the body-cam platform and Frigate (alarms),
raw TCP/UDP for CoT and NMEA, the Traccar fake's WebSocket (one position per message).
The clock runs from the first byte sent to the moment the journal holds every event.
The reference row posts the same PositionReported events straight into the hub.

    .venv/bin/python -m bench.ingest_positions [--count 5000] [--only owntracks,cot-tcp]
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import os
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="csu-bench-pos-"))
os.environ.setdefault("XDG_DATA_HOME", str(_TMP / "data"))
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")

from app.adapters.bodycam import BodycamAdapter, BodycamConfig  # noqa: E402
from app.adapters.cot import CotAdapter, CotConfig  # noqa: E402
from app.adapters.frigate import FrigateAdapter, FrigateConfig  # noqa: E402
from app.adapters.nmea import NmeaAdapter, NmeaConfig  # noqa: E402
from app.adapters.owntracks import OwnTracksAdapter, OwnTracksConfig  # noqa: E402
from app.adapters.traccar import TraccarAdapter, TraccarConfig  # noqa: E402
from app.core.adapter import Adapter  # noqa: E402
from app.core.events import PositionReported  # noqa: E402
from app.core.host import AdapterHost  # noqa: E402
from app.core.hub import Hub  # noqa: E402
from app.core.journal import Journal  # noqa: E402
from app.core.journal_writer import JournalWriter  # noqa: E402
from app.core.model import LatLon, PositionFix  # noqa: E402
from app.core.secrets import set_secret  # noqa: E402
from app.services.alarm_service import AlarmService  # noqa: E402
from tests.integration.adapters.conftest import MosquittoBroker, free_port  # noqa: E402
from tests.integration.adapters.fake_traccar import FakeTraccar  # noqa: E402

STALL_S = 5.0
UDP_RATE = 10_000  # no new journal row for this long: the rest was lost


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def nmea(body: str) -> bytes:
    c = functools.reduce(lambda a, ch: a ^ ord(ch), body, 0)
    return f"${body}*{c:02X}\r\n".encode()


class Rig:
    """Hub + journal writer + alarm service + adapter host: the console's ingest path without
    a window (the alarm service stores alarm reports, and settles them for the MQTT acks)."""

    def __init__(self, name: str) -> None:
        self.hub = Hub()
        self.journal = Journal(_TMP / f"{name}.sqlite")
        self.writer = JournalWriter(self.hub, self.journal)
        self.alarms = AlarmService(self.hub, self.journal, lambda _t: 3600.0)
        self.host = AdapterHost(self.hub)
        self.writer.start()
        self.alarms.start()
        self.host.start()

    def wait_state(self, adapter: Adapter, word: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while word not in self.host.sinks[adapter.name].detail:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{adapter.name}: {self.host.sinks[adapter.name].detail}")
            time.sleep(0.02)

    def measure(self, kind: str, count: int, send: Callable[[], None]) -> tuple[float, int]:
        """Seconds from the first byte to the journal holding `count` rows (or stalling)."""
        t0 = time.perf_counter()
        send()
        seen, last_change, last = 0, time.perf_counter(), -1
        while seen < count:
            time.sleep(0.02)
            seen = self.journal.count_events(kind)
            if seen != last:
                last, last_change = seen, time.perf_counter()
            elif time.perf_counter() - last_change > STALL_S:
                return last_change - t0, seen
        return time.perf_counter() - t0, seen

    def close(self) -> None:
        self.host.stop()
        self.alarms.stop()
        self.writer.stop()
        self.journal.close()


def run_reference(n: int) -> tuple[float, int]:
    rig = Rig("reference")
    fixes = [PositionReported(PositionFix("pm1", LatLon(48.8 + i * 1e-6, 2.3),
                                          datetime.now(UTC))) for i in range(n)]
    try:
        return rig.measure("position", n, lambda: rig.hub.post_many(fixes))
    finally:
        rig.close()


def run_adapter(name: str, adapter: Adapter, ready: str, kind: str, n: int,
                send: Callable[[], None]) -> tuple[float, int]:
    rig = Rig(name)
    try:
        rig.host.add(adapter)
        rig.wait_state(adapter, ready)
        return rig.measure(kind, n, send)
    finally:
        rig.close()


def mqtt_lines(broker: MosquittoBroker, topic: str, lines: list[str]) -> Callable[[], None]:
    return lambda: broker.publish_many(topic, lines)


def cases(n: int, broker: MosquittoBroker) -> dict[str, Callable[[], tuple[float, int]]]:
    tst = int(time.time())
    out: dict[str, Callable[[], tuple[float, int]]] = {}
    ot = OwnTracksAdapter(OwnTracksConfig(name="b-ot", port=broker.port,
                                          devices={"a/p": "pm1"}))
    ot_lines = [json.dumps({"_type": "location", "lat": 48.8 + i * 1e-6, "lon": 2.3,
                            "tst": tst}) for i in range(n)]
    out["owntracks (MQTT)"] = lambda: run_adapter(
        "ot", ot, "connected", "position", n, mqtt_lines(broker, "owntracks/a/p", ot_lines))
    bc = BodycamAdapter(BodycamConfig.model_validate({
        "name": "b-bc", "port": broker.port, "devices": {"BC1": {"officer": "pm1"}}}))
    bc_lines = [json.dumps({"id": f"p{i}", "type": "position", "time": now_iso(),
                            "lat": 48.8 + i * 1e-6, "lon": 2.3}) for i in range(n)]
    out["bodycam (MQTT)"] = lambda: run_adapter(
        "bc", bc, "connected", "position", n, mqtt_lines(broker, "bodycam/BC1/event", bc_lines))
    fr = FrigateAdapter(FrigateConfig(name="b-fr", port=broker.port, cameras={"c": "cam-1"}))
    fr_lines = [json.dumps({"type": "new", "after": {
        "id": f"{tst}.{i}-x", "camera": "c", "label": "person", "top_score": 0.9,
        "start_time": tst}}) for i in range(n)]
    out["frigate (MQTT, alarms)"] = lambda: run_adapter(
        "fr", fr, "connected", "alarm_report", n, mqtt_lines(broker, "frigate/events",
                                                             fr_lines))
    tcp, udp = free_port(), free_port()
    cot = CotAdapter(CotConfig(name="b-cot", host="127.0.0.1", tcp_port=tcp, udp_port=udp,
                               devices={"U1": "pm1"}))
    t = datetime.now(UTC)
    docs = [(f'<event version="2.0" uid="U1" type="a-f-G-U-C" time="{t.isoformat()}" '
             f'start="{t.isoformat()}" stale="2099-01-01T00:00:00Z"><point '
             f'lat="{48.8 + i * 1e-6:.6f}" lon="2.3" hae="0" ce="5" le="5"/><detail>'
             f'<track course="10" speed="1"/></detail></event>').encode() for i in range(n)]

    def cot_tcp() -> None:
        with socket.create_connection(("127.0.0.1", tcp)) as s:
            s.sendall(b"".join(docs))

    def cot_udp() -> None:
        """Paced at about UDP_RATE datagrams/s: UDP has no flow control, a blast is lost."""
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            t0 = time.perf_counter()
            for i, d in enumerate(docs):
                s.sendto(d, ("127.0.0.1", udp))
                if i % 100 == 99:
                    ahead = (i + 1) / UDP_RATE - (time.perf_counter() - t0)
                    if ahead > 0:
                        time.sleep(ahead)

    out["cot (TCP)"] = lambda: run_adapter("cot-tcp", cot, "listening", "position", n, cot_tcp)
    cot2 = CotAdapter(cot.config.model_copy(update={"name": "b-cot2"}))
    out[f"cot (UDP, offered {UDP_RATE}/s)"] = lambda: run_adapter(
        "cot-udp", cot2, "listening", "position", n, cot_udp)
    port = free_port()
    nm = NmeaAdapter(NmeaConfig(name="b-nmea", host="127.0.0.1", port=port,
                                devices={"127.0.0.1": "pm1"}))
    stamp = datetime.now(UTC)
    lines = [nmea(f"GPRMC,{stamp:%H%M%S}.00,A,48{51 + i * 1e-4 % 8:07.4f},N,00221.1320,E,"
                  f"1.0,10.0,{stamp:%d%m%y},,,A") for i in range(n)]

    def nmea_send() -> None:
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(b"".join(lines))

    out["nmea (TCP)"] = lambda: run_adapter("nmea", nm, "listening", "position", n, nmea_send)

    def traccar() -> tuple[float, int]:
        fake = FakeTraccar("b@csu", "pw")
        fake.devices = [{"id": 1, "name": "PM 1", "uniqueId": "u1"}]
        fake.start()
        set_secret("bench-traccar", "pw")
        try:
            tr = TraccarAdapter(TraccarConfig(
                name="b-tr", url=fake.url, socket_url=fake.socket_url, email="b@csu",
                password_secret="bench-traccar", devices={"u1": "pm1"}))
            base = datetime.now(UTC).timestamp()
            msgs = [json.dumps({"positions": [{
                "id": i, "deviceId": 1, "latitude": 48.8, "longitude": 2.3, "valid": True,
                "fixTime": datetime.fromtimestamp(base + i * 1e-4, UTC).isoformat()}]})
                for i in range(n)]
            return run_adapter("traccar", tr, "live positions", "position", n,
                               lambda: fake.push_many(msgs))
        finally:
            fake.stop()

    out["traccar (WebSocket)"] = traccar
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--only", default="", help="comma-separated row name prefixes")
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    n = args.count
    workdir = _TMP / "broker"
    workdir.mkdir()
    broker = MosquittoBroker(workdir)
    broker.start()
    rows: list[tuple[str, int, int, float]] = []
    try:
        secs, got = run_reference(n)
        rows.append(("reference: hub.post -> journal", n, got, secs))
        for name, run in cases(n, broker).items():
            if args.only and not any(name.startswith(p) for p in args.only.split(",")):
                continue
            secs, got = run()
            rows.append((name, n, got, secs))
    finally:
        broker.stop()
    print(f"position ingest, wire -> journal, {n} events per row; first row = reference")
    print(f"{'path':32} {'sent':>7} {'journaled':>10} {'lost':>6} {'seconds':>8} "
          f"{'events/s':>9} {'vs ref':>7}")
    ref_rate = rows[0][2] / rows[0][3]
    for name, sent, got, secs in rows:
        rate = got / secs if secs > 0 else float("inf")
        print(f"{name:32} {sent:7d} {got:10d} {sent - got:6d} {secs:8.2f} {rate:9.0f} "
              f"{rate / ref_rate:7.2f}")
    subprocess.run(["rm", "-rf", str(_TMP)], check=False)


if __name__ == "__main__":
    main()
