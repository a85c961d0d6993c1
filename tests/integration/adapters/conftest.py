"""Real peers for the adapter integration tests, started once per session on loopback.

`mosquitto_broker`: a real mosquitto with two listeners, one open (`port`) and one that
needs a password (`auth_port`, user `auth_user` / `auth_password`); `publish()` sends with
the real `mosquitto_pub`. `mosquitto_factory` starts a private broker a test may stop and start
again on the same ports, with or without persistence (a persistent broker keeps its
clients' sessions, subscriptions and queued messages across its own restart).
"""

from __future__ import annotations

import getpass
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.waiting import port_open, wait_until

START_TIMEOUT_S = 10.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = START_TIMEOUT_S) -> None:
    wait_until(lambda: port_open(port), timeout, f"something listening on 127.0.0.1:{port}")


@dataclass
class MosquittoBroker:
    """A mosquitto process and a way to publish to it."""

    workdir: Path
    host: str = "127.0.0.1"
    port: int = field(default_factory=free_port)
    auth_port: int = field(default_factory=free_port)
    auth_user: str = "csu"
    auth_password: str = "s3cret-for-tests"
    persistent: bool = False  # keep sessions across a restart (mosquitto.db in workdir)
    proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        pw = self.workdir / "passwd"
        if not pw.exists():
            pw.touch(mode=0o600)
            subprocess.run(["mosquitto_passwd", "-b", str(pw), self.auth_user,
                            self.auth_password], check=True, capture_output=True)
        conf = self.workdir / "mosquitto.conf"
        conf.write_text(
            f"user {getpass.getuser()}\n"  # as root, mosquitto would drop to `mosquitto`
            "per_listener_settings true\n"
            f"listener {self.port} {self.host}\nallow_anonymous true\n"
            f"listener {self.auth_port} {self.host}\nallow_anonymous false\n"
            f"password_file {pw}\n"
            "max_queued_messages 100000\n"
            + (f"persistence true\npersistence_location {self.workdir}/\n"
               if self.persistent else "")
            + "log_dest stderr\nlog_type error\n")
        with (self.workdir / "mosquitto.log").open("ab") as log:
            self.proc = subprocess.Popen(["mosquitto", "-c", str(conf)], stdout=log,
                                         stderr=log)
        try:
            wait_port(self.port)
            wait_port(self.auth_port)
        except TimeoutError:
            self.stop()
            raise TimeoutError((self.workdir / "mosquitto.log").read_text()[-500:]) from None

    def change_password(self, password: str) -> None:
        """The auth listener's user gets a new password (read by the next `start()`)."""
        subprocess.run(["mosquitto_passwd", "-b", str(self.workdir / "passwd"),
                        self.auth_user, password], check=True, capture_output=True)
        self.auth_password = password

    def stop(self) -> None:
        """SIGTERM: a persistent broker saves its sessions on the way out."""
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
            self.proc = None

    def publish(self, topic: str, payload: str | bytes, qos: int = 1, retain: bool = False,
                auth: bool = False) -> None:
        """One message through the real `mosquitto_pub` client."""
        cmd = ["mosquitto_pub", "-h", self.host, "-q", str(qos), "-t", topic, "-s"]
        cmd += ["-p", str(self.auth_port), "-u", self.auth_user, "-P", self.auth_password] \
            if auth else ["-p", str(self.port)]
        if retain:
            cmd.append("-r")
        data = payload.encode() if isinstance(payload, str) else payload
        subprocess.run(cmd, input=data, check=True, capture_output=True, timeout=10)

    def publish_many(self, topic: str, lines: list[str], qos: int = 1) -> None:
        """Many messages in one `mosquitto_pub -l` (one message per line)."""
        cmd = ["mosquitto_pub", "-h", self.host, "-p", str(self.port), "-q", str(qos),
               "-t", topic, "-l"]
        subprocess.run(cmd, input="\n".join(lines).encode() + b"\n", check=True,
                       capture_output=True, timeout=60)


@contextmanager
def subscribed(broker: MosquittoBroker, topic: str) -> Iterator[queue.Queue[tuple[str, bytes]]]:
    """A real MQTT subscriber (paho), ready when this yields: (topic, payload) arrive on
    the queue."""
    import paho.mqtt.client as mqtt

    got: queue.Queue[tuple[str, bytes]] = queue.Queue()
    ready = threading.Event()
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"test-sub-{free_port()}")
    client.on_message = lambda c, u, m: got.put((m.topic, bytes(m.payload)))
    client.on_subscribe = lambda c, u, mid, rc, p: ready.set()
    client.on_connect = lambda c, u, f, rc, p: c.subscribe(topic, 1)
    client.connect(broker.host, broker.port)
    client.loop_start()
    try:
        if not ready.wait(START_TIMEOUT_S):
            raise TimeoutError(f"could not subscribe to {topic}")
        yield got
    finally:
        client.disconnect()
        client.loop_stop()
        client.reinitialise()  # closes the socket pair of paho's loop now, not at a GC


def _need_mosquitto() -> None:
    for tool in ("mosquitto", "mosquitto_pub", "mosquitto_passwd"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed (Debian: mosquitto, mosquitto-clients)")


@pytest.fixture(scope="session")
def mosquitto_broker() -> Iterator[MosquittoBroker]:
    _need_mosquitto()
    broker = MosquittoBroker(Path(tempfile.mkdtemp(prefix="csu-mosquitto-")))
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


class BrokerFactory:
    """Starts private brokers (a test may stop and restart them); all stopped at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: list[MosquittoBroker] = []

    def make(self, persistent: bool = False) -> MosquittoBroker:
        d = self.root / f"broker{len(self.made)}"
        d.mkdir()
        b = MosquittoBroker(d, persistent=persistent)
        b.start()
        self.made.append(b)
        return b


@pytest.fixture
def mosquitto_factory(tmp_path: Path) -> Iterator[BrokerFactory]:
    _need_mosquitto()
    factory = BrokerFactory(tmp_path)
    try:
        yield factory
    finally:
        for b in factory.made:
            b.stop()
