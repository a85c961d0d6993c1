"""Cursor-on-Target from the real pytak sender, over TCP and over UDP: its opening ping is
ignored, atoms become fixes with callsign, group, course and speed; garbage is counted."""

from __future__ import annotations

import asyncio
import configparser
import socket
import warnings
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from app.adapters.cot import CotAdapter, CotConfig
from app.core.events import OfficerAnnounced, PositionReported
from tests.integration.adapters.adapter_harness import running
from tests.integration.adapters.conftest import free_port

with warnings.catch_warnings():  # pytak warns that its optional aiohttp is missing
    warnings.simplefilter("ignore")
    import pytak


def atom(uid: str, callsign: str, lat: float, lon: float, course: float,
         speed: float) -> bytes:
    """A real pytak CoT event, with the group and track an ATAK client sends."""
    xml = pytak.gen_cot_xml(lat=lat, lon=lon, ce=8.0, uid=uid, cot_type="a-f-G-U-C",
                            callsign=callsign, stale=120)
    assert xml is not None
    detail = xml.find("detail")
    assert detail is not None
    detail.append(ET.Element("__group", {"name": "Cyan", "role": "Team Member"}))
    detail.append(ET.Element("track", {"course": str(course), "speed": str(speed)}))
    return bytes(ET.tostring(xml))


async def send_with_pytak(url: str, events: list[bytes]) -> None:
    """pytak's own transport and TX worker, hello ping first, as a TAK client does."""
    parser = configparser.ConfigParser()
    parser["t"] = {"COT_URL": url}
    config = parser["t"]
    _reader, writer = await pytak.protocol_factory(config)
    tx: Any = pytak.TXWorker(asyncio.Queue(), config, writer)
    await tx.send_data(pytak.hello_event())
    for e in events:
        await tx.send_data(e)
    await tx.close()
    if hasattr(writer, "drain"):
        await writer.drain()
    if hasattr(writer, "close"):
        writer.close()


@pytest.mark.parametrize("transport", ["tcp", "udp+wo"])
def test_pytak_positions(transport: str) -> None:
    tcp, udp = free_port(), free_port()
    cfg = CotConfig(name=f"tak-{transport}", host="127.0.0.1", tcp_port=tcp, udp_port=udp,
                    devices={"ANDROID-pm11": "pm11"}, accept_unknown=True)
    port = tcp if transport == "tcp" else udp
    with running(CotAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        asyncio.run(send_with_pytak(f"{transport}://127.0.0.1:{port}", [
            atom("ANDROID-pm11", "PM 11", 48.8566, 2.3522, 87.5, 1.4),
            atom("ANDROID-xyz", "RENFORT 3", 48.857, 2.353, 180.0, 12.0),
            atom("ANDROID-xyz", "RENFORT 3", 48.858, 2.353, 180.0, 12.0),
        ]))
        fixes = [e.fix for e in r.wait_for(PositionReported, 3)
                 if isinstance(e, PositionReported)]
        assert fixes[0].officer_id == "pm11"
        assert (fixes[0].heading_deg, fixes[0].speed_mps, fixes[0].accuracy_m) == (
            87.5, 1.4, 8.0)
        assert fixes[1].officer_id == f"tak-{transport}:ANDROID-xyz"
        [new] = [e.officer for e in r.events if isinstance(e, OfficerAnnounced)]
        assert (new.callsign, new.unit) == ("RENFORT 3", "Cyan")  # announced once
        assert r.sink.rejected == 0  # the ping was ignored, not rejected


def test_garbage_over_tcp_and_udp_is_counted() -> None:
    tcp, udp = free_port(), free_port()
    cfg = CotConfig(name="tak-bad", host="127.0.0.1", tcp_port=tcp, udp_port=udp)
    with running(CotAdapter(cfg)) as r:
        r.wait_status("running", "listening")
        with socket.create_connection(("127.0.0.1", tcp)) as s:
            s.sendall(b"<event><oops></event>" + atom("ANDROID-unknown", "X", 1, 1, 0, 0)
                      + b"<event " + b"x" * 40_000)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.sendto(b"\xbf\x01\x00protobuf", ("127.0.0.1", udp))
        r.wait_rejected(4)
        assert not any(isinstance(e, PositionReported) for e in r.events)


def test_probe_says_a_port_is_taken() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        taken = s.getsockname()[1]
        cfg = CotConfig(name="tak-probe", host="127.0.0.1", tcp_port=taken, udp_port=None)
        [res] = asyncio.run(CotAdapter(cfg).probe())
    assert not res.ok
    assert f"cannot listen on TCP port {taken}" in res.detail
