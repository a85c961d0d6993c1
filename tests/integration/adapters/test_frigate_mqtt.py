"""Frigate against a real mosquitto: new/update/end events become one video-analytics
alarm linked to the console's camera; filters hold; an acknowledgement is published."""

from __future__ import annotations

import json
import time

from app.adapters.frigate import FrigateAdapter, FrigateConfig
from app.core.events import AlarmReported
from app.core.model import Alarm, AlarmType
from tests.integration.adapters.adapter_harness import running
from tests.integration.adapters.conftest import MosquittoBroker, subscribed


def frigate_event(kind: str, event_id: str, camera: str = "front_door",
                  label: str = "person", zones: list[str] | None = None) -> str:
    after = {"id": event_id, "camera": camera, "label": label, "sub_label": None,
             "top_score": 0.91, "score": 0.88, "false_positive": False,
             "start_time": time.time() - 2, "end_time": None,
             "entered_zones": zones or [], "current_zones": zones or [],
             "has_clip": True, "has_snapshot": True}
    return json.dumps({"type": kind, "before": after, "after": after})


def test_frigate_events_raise_one_alarm_and_ack_goes_back(
        mosquitto_broker: MosquittoBroker) -> None:
    cfg = FrigateConfig(name="frigate-1", port=mosquitto_broker.port,
                        cameras={"front_door": "cam-hdv", "yard": ["cam-gare", "cam-hdv"]},
                        labels=["person", "car"], min_score=0.5, ack_topic="csu/frigate/ack")
    with running(FrigateAdapter(cfg)) as r:
        r.wait_status("running", "connected")
        pub = mosquitto_broker.publish
        pub("frigate/events", frigate_event("new", "1700000000.1-abc", zones=["parvis"]))
        pub("frigate/events", frigate_event("update", "1700000000.1-abc", zones=["parvis"]))
        pub("frigate/events", frigate_event("end", "1700000000.1-abc"))
        pub("frigate/events", frigate_event("new", "1700000001.2-dog", label="dog"))
        pub("frigate/events", frigate_event("new", "1700000002.3-x", camera="garage"))
        pub("frigate/events", b"[]")
        pub("frigate/events", frigate_event("new", "1700000003.4-car", camera="yard",
                                            label="car"))
        alarms = r.wait_for(AlarmReported, 2)
        r.wait_rejected(2)  # unknown camera "garage", a non-object payload
        first, second = (a for a in alarms if isinstance(a, AlarmReported))
        assert first.source == "frigate-1"
        assert first.source_id == "1700000000.1-abc"
        assert first.type is AlarmType.VIDEO_ANALYTICS
        assert first.priority == 3
        assert first.camera_ids == ("cam-hdv",)
        assert first.title == "Video analytics: person — front_door — parvis"
        assert second.camera_ids == ("cam-gare", "cam-hdv")
        assert sum(isinstance(e, AlarmReported) for e in r.events) == 2  # no dog, no repeat
        alarm = Alarm("A-1", first.source, first.source_id, first.type, first.priority,
                      first.title, first.time, camera_ids=first.camera_ids)
        with subscribed(mosquitto_broker, "csu/frigate/ack") as acks:
            r.host.acknowledge("frigate-1", alarm, "operateur1")
            _topic, body = acks.get(timeout=10)
        ack = json.loads(body)
        assert ack["id"] == "1700000000.1-abc"
        assert ack["acknowledged_by"] == "operateur1"
