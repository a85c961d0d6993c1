"""The adapters as the console runs them: the README's site examples validate through the
site loader, and a body-cam alarm goes wire -> alarm queue -> operator acknowledgement ->
acknowledgement published back to the platform, with the console's real Runtime."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.core import registry
from app.core.events import AlarmChanged, Event
from app.core.hub import only
from app.core.site import parse_site
from app.services.alarm_book import Acknowledge
from app.services.runtime import Runtime
from tests.integration.adapters.conftest import MosquittoBroker, subscribed
from tests.integration.adapters.site_examples import EXAMPLES
from tests.waiting import wait_until

BASE = '[site]\nname = "Test"\n[map]\ncenter = [48.85, 2.35]\n'


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_readme_examples_validate(kind: str) -> None:
    site = parse_site(tomllib.loads(BASE + EXAMPLES[kind]), "site.toml", registry.discover())
    [cfg] = site.adapters
    assert cfg.kind == kind


def test_weapon_drawn_to_ack_through_the_console(mosquitto_broker: MosquittoBroker,
                                                 tmp_path: Path) -> None:
    toml = BASE + f'''
[[adapters]]
kind = "bodycam"
name = "bodycams"
port = {mosquitto_broker.port}
rtsp_template = "rtsp://cloud.local/live/{{device}}"
[adapters.devices.BC-0042]
officer = "pm11"
camera = "bc-pm11"
'''
    site = parse_site(tomllib.loads(toml), "site.toml", registry.discover())
    runtime = Runtime(site, registry.discover(), tmp_path / "journal.sqlite")
    changes = runtime.hub.subscribe("test", only(AlarmChanged))
    runtime.start()
    try:
        sink = runtime.host.sinks["bodycams"]
        wait_until(lambda: "connected" in sink.detail, 15, "the body-cam adapter connected")
        event = {"id": "evt-9", "type": "weapon_drawn", "time": datetime.now(UTC).isoformat(),
                 "lat": 48.85, "lon": 2.35}
        with subscribed(mosquitto_broker, "bodycam/BC-0042/ack") as acks:
            mosquitto_broker.publish("bodycam/BC-0042/event", json.dumps(event))
            seen: list[Event] = []
            while not seen:
                assert changes.wait(15), "no alarm reached the alarm service"
                seen = [e for e in changes.drain() if isinstance(e, AlarmChanged) and e.is_new]
            alarm = seen[0]
            assert isinstance(alarm, AlarmChanged)
            assert alarm.alarm.camera_ids == ("bc-pm11",)
            runtime.alarms.submit(Acknowledge(alarm.alarm.id, "operateur1")).result(10)
            _topic, body = acks.get(timeout=15)
        assert json.loads(body)["id"] == "evt-9"
        assert json.loads(body)["acknowledged_by"] == "operateur1"
    finally:
        runtime.stop()
    assert runtime.cameras["bc-pm11"].streams.main == "rtsp://cloud.local/live/BC-0042"
