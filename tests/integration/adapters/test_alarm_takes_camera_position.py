"""A Frigate alarm on a camera with a position has that position (the nearest officers and
the map then work). Before: "This alarm has no position", no nearest officers. The console's
real Runtime, a real mosquitto, a real Frigate event."""

from __future__ import annotations

import tomllib
from pathlib import Path

from app.core import registry
from app.core.events import AlarmChanged
from app.core.hub import only
from app.core.model import LatLon
from app.core.site import parse_site
from app.services.runtime import Runtime
from tests.integration.adapters.conftest import MosquittoBroker
from tests.integration.adapters.test_frigate_mqtt import frigate_event
from tests.waiting import wait_until


def test_a_frigate_alarm_takes_its_camera_position(mosquitto_broker: MosquittoBroker,
                                                   tmp_path: Path) -> None:
    toml = f'''
[site]
name = "Frigate"
[map]
center = [60.17, 24.94]
[[cameras]]
id = "cam-hdv"
name = "Hôtel de ville"
main = "rtsp://127.0.0.1:9/hdv"
position = [60.1699, 24.9384]
heading = 90
[[adapters]]
kind = "frigate"
name = "frigate-1"
port = {mosquitto_broker.port}
cameras = {{ front_door = "cam-hdv" }}
'''
    site = parse_site(tomllib.loads(toml), "site.toml", registry.discover())
    runtime = Runtime(site, registry.discover(), tmp_path / "journal.sqlite")
    changes = runtime.hub.subscribe("test", only(AlarmChanged))
    runtime.start()
    try:
        sink = runtime.host.sinks["frigate-1"]
        wait_until(lambda: sink.state == "running", 15, "frigate connected")
        mosquitto_broker.publish("frigate/events", frigate_event("new", "1700000000.1-abc"))
        alarm = wait_until(lambda: next((e.alarm for e in changes.drain()
                                         if isinstance(e, AlarmChanged)), None), 15,
                           "the Frigate alarm")
    finally:
        runtime.stop()
    assert alarm.camera_ids == ("cam-hdv",)
    assert alarm.position == LatLon(60.1699, 24.9384)
