"""The DC-09 receiver under abuse, in the console's own wiring (adapter host, counting sink,
alarm service, journal): a connection that sends nothing but garbage is counted, sampled in
the log and closed; resets end a connection quietly; the listener's caps hold; UDP does not
grow unbounded work; and real panels (dc09-spt) keep getting their ACKs meanwhile."""

from __future__ import annotations

import contextlib
import logging
import random
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from app.adapters.sia_dc09 import SiaDc09Adapter, SiaDc09Config
from app.adapters.sia_dc09.frame import build_frame
from app.adapters.sia_dc09.links import MAX_CONSECUTIVE_REJECTS
from app.core.adapter import CountingSink
from app.core.host import AdapterHost
from app.core.model import Alarm
from tests.integration.alarm_adapters.conftest import Store
from tests.integration.alarm_adapters.dc09_sender import Sender, cid
from tests.waiting import wait_until

dc09_spt = pytest.importorskip("dc09_spt.dc09_spt")

ACCOUNTS = [{"account": "1234", "building": "Mairie"},
            {"account": "5678", "building": "École Jaurès"}]
ABUSER = "127.0.0.2"  # loopback too, but another peer than the panels (127.0.0.1)


class Hosted:
    """One DC-09 receiver run by the real adapter host over a real alarm store."""

    def __init__(self, store: Store, **config: Any) -> None:
        cfg = SiaDc09Config.model_validate({"kind": "sia_dc09", "name": "dc09",
                                            "listen": "127.0.0.1", "port": 0,
                                            "accounts": ACCOUNTS, **config})
        self.adapter = SiaDc09Adapter(cfg)
        self.host = AdapterHost(store.hub)
        self.host.start()
        self.host.add(self.adapter)
        self.sink: CountingSink = self.host.sinks["dc09"]
        self.port: int = wait_until(lambda: self.adapter.bound_port, what="it listens")
        wait_until(lambda: self.sink.state == "running", what="it runs")
        self.store = store

    def alarms(self) -> list[Alarm]:
        return self.store.journal.load_alarms()


@pytest.fixture
def hosted(store: Store) -> Iterator[Callable[..., Hosted]]:
    made: list[Hosted] = []

    def make(storing: bool = True, **config: Any) -> Hosted:
        if storing:
            store.start()
        made.append(Hosted(store, **config))
        return made[-1]

    yield make
    for h in made:
        h.host.stop()


def _connect(port: int, source: str = ABUSER, sndbuf: int | None = None) -> socket.socket:
    s = socket.socket()
    if sndbuf is not None:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
    s.bind((source, 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    return s


def _reset(s: socket.socket) -> None:
    """Close with a TCP reset (RST) instead of a FIN: SO_LINGER on, zero seconds."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def _junk(rng: random.Random) -> bytes:
    """A 1,000-byte junk frame: 999 random bytes (never CR) and the CR that ends a frame."""
    return bytes(b if b != 13 else 0 for b in rng.randbytes(999)) + b"\r"


def _noisy(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.INFO]


def test_a_connection_of_garbage_is_counted_sampled_closed_and_panels_still_get_acks(
        hosted: Callable[..., Hosted], caplog: pytest.LogCaptureFixture) -> None:
    """2,000 junk frames of 1,000 bytes on one connection, then a reset, while a panel that
    was connected before and the dc09-spt dialler both send alarms."""
    caplog.set_level(logging.DEBUG)
    rx = hosted()
    panel = Sender(rx.port, "1234")  # a panel connected before the abuse, from another peer
    # a small send buffer: the kernel must not swallow the whole flood at once (else the
    # reset could overtake the frames, and the receiver would read fewer than it refuses at)
    abuser = _connect(rx.port, sndbuf=4096)
    sent = [0]

    def abuse() -> None:
        rng = random.Random(8)
        try:
            for _ in range(2000):
                abuser.sendall(_junk(rng))
                sent[0] += 1
        except OSError:
            pass  # the receiver closed this connection: the rest cannot be sent
        _reset(abuser)

    flood = threading.Thread(target=abuse)
    flood.start()
    try:
        wait_until(lambda: rx.sink.rejected > 0, what="the junk is being refused")
        assert panel.send(1, "ADM-CID", cid("1234", 130, 5))[1] == "ACK"
        dialler = dc09_spt.dc09_spt("5678")
        dialler.set_path("main", "primary", "127.0.0.1", rx.port, type="TCP")
        dialler.send_msg("CID", {"code": 130, "zone": 2, "area": 1})
        wait_until(lambda: dialler.state()["msgs queued"] == 0 and not dialler.state().get(
            "send active"), what="the dialler got its ACK")
    finally:
        flood.join(60)
        panel.close()
    wait_until(lambda: ABUSER not in rx.adapter.open_connections(), what="abuser dropped")
    # every frame read was counted, as received and as rejected, and nothing else was: the
    # receiver closed the connection after the 10th (what the kernel had buffered of the
    # 2,000 was never read)
    assert sent[0] >= MAX_CONSECUTIVE_REJECTS
    assert rx.sink.rejected == MAX_CONSECUTIVE_REJECTS
    assert rx.sink.messages >= MAX_CONSECUTIVE_REJECTS + 2
    assert sorted(a.title for a in rx.alarms()) == ["Burglary — Mairie — zone 5",
                                                    "Burglary — École Jaurès — zone 2"]
    # the log: a sample, no traceback
    noisy = _noisy(caplog)
    assert not [r for r in caplog.records if r.exc_info or "Unhandled" in r.getMessage()]
    assert len(noisy) <= 12, [r.getMessage() for r in noisy]
    assert any("closed" in r.getMessage() and ABUSER in r.getMessage() for r in noisy)


def test_a_reset_in_the_middle_of_a_flood_ends_the_connection_quietly(
        hosted: Callable[..., Hosted], caplog: pytest.LogCaptureFixture) -> None:
    """Valid polls sent by the thousand, their ACKs never read, and a reset while the
    receiver is still answering them: no 'Unhandled exception in client_connected_cb'
    traceback (the receiver learns of the reset when its next answer cannot be sent)."""
    caplog.set_level(logging.DEBUG)
    rx = hosted()
    flooder = socket.socket()
    flooder.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    flooder.bind((ABUSER, 0))
    flooder.connect(("127.0.0.1", rx.port))
    flooder.sendall(build_frame("NULL", 0, "1234", "") * 20_000)
    wait_until(lambda: rx.sink.messages >= 200, what="the receiver is answering")
    _reset(flooder)
    wait_until(lambda: ABUSER not in rx.adapter.open_connections(), what="flooder dropped")
    panel = Sender(rx.port, "1234")
    try:
        assert panel.send(2, "ADM-CID", cid("1234", 130, 6))[1] == "ACK"
    finally:
        panel.close()
    assert rx.sink.rejected == 0
    assert rx.sink.messages < 20_000  # the rest went with the reset
    assert not [r for r in caplog.records if r.exc_info or "Unhandled" in r.getMessage()]
    assert len(_noisy(caplog)) <= 6, [r.getMessage() for r in _noisy(caplog)]


def test_connections_past_the_per_peer_cap_are_refused_and_counted(
        hosted: Callable[..., Hosted]) -> None:
    rx = hosted(max_per_peer=3)
    held = [_connect(rx.port) for _ in range(3)]
    wait_until(lambda: rx.adapter.open_connections().get(ABUSER) == 3, what="3 admitted")
    extra = [_connect(rx.port) for _ in range(5)]
    try:
        for s in extra:  # closed by the receiver before anything is read
            with contextlib.suppress(ConnectionResetError):
                assert s.recv(1) == b""
        wait_until(lambda: rx.sink.rejected == 5, what="5 refusals counted")
        assert "limit 3" in rx.sink.last_reject
        panel = Sender(rx.port, "1234")  # another peer still gets in
        try:
            assert panel.send(3, "ADM-CID", cid("1234", 130, 7))[1] == "ACK"
        finally:
            panel.close()
    finally:
        for s in held + extra:
            s.close()
    assert [a.title for a in rx.alarms()] == ["Burglary — Mairie — zone 7"]


def test_a_connection_that_says_nothing_is_closed(hosted: Callable[..., Hosted]) -> None:
    rx = hosted(first_frame_timeout_s=0.5)
    idle = _connect(rx.port)
    try:
        assert idle.recv(1) == b""  # the receiver closed it (the socket's timeout is 10 s)
    finally:
        idle.close()
    wait_until(lambda: ABUSER not in rx.adapter.open_connections(), what="slot freed")


def test_a_datagram_flood_is_bounded_in_flight(hosted: Callable[..., Hosted]) -> None:
    """UDP frames whose alarm cannot be stored yet wait for the store; past the cap, more
    datagrams are refused (counted; the panel resends them) instead of piling up work."""
    # the alarm store is not running: nothing commits, every alarm frame waits for its store
    rx = hosted(storing=False, udp=True, max_udp_in_flight=8, store_timeout_s=30)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for seq in range(1, 51):
            s.sendto(build_frame("ADM-CID", seq, "1234", f"#1234|1130 01 {seq:03d}"),
                     ("127.0.0.1", rx.port))
        wait_until(lambda: rx.sink.messages == 50, what="50 datagrams received")
    assert rx.adapter.udp_in_flight() == 8
    assert rx.sink.rejected == 42
    assert "busy" in rx.sink.last_reject
