"""Alarm adapters inside the real runtime (adapter host, hub, AlarmService, journal): a
DC-09 alarm is in the journal the instant its ACK arrives, an acknowledgement in the console reaches
XProtect, and a dropped XProtect stream is reconnected by the host's backoff."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.adapters.milestone import MilestoneConfig
from app.adapters.sia_dc09 import SiaDc09Config
from app.core.adapter import AdapterConfig
from app.core.registry import discover
from app.core.site import Site
from app.services.alarm_book import Acknowledge
from app.services.runtime import Runtime
from tests.integration.alarm_adapters.dc09_sender import Sender, cid
from tests.integration.alarm_adapters.fake_milestone import FakeXProtect
from tests.integration.alarm_adapters.test_milestone import iso
from tests.waiting import wait_until


@pytest.fixture
def make_runtime(tmp_path: Path) -> Iterator[Callable[[AdapterConfig], Runtime]]:
    started: list[Runtime] = []

    def make(cfg: AdapterConfig) -> Runtime:
        site = Site.model_validate({"site": {"name": "e2e"}, "map": {"center": [48.85, 2.35]}})
        rt = Runtime(site.model_copy(update={"adapters": [cfg]}), discover(),
                     tmp_path / f"j{len(started)}.sqlite")
        started.append(rt)
        rt.start()
        return rt

    yield make
    for rt in started:
        rt.stop()


def test_a_dc09_alarm_is_in_the_journal_after_its_ack(
        make_runtime: Callable[[AdapterConfig], Runtime]) -> None:
    rt = make_runtime(SiaDc09Config(kind="sia_dc09", name="dc09", listen="127.0.0.1", port=0,
                                    accounts=[{"account": "1234", "building": "Mairie"}]))  # type: ignore[list-item]
    adapter = rt.host.adapters["dc09"]
    port = wait_until(lambda: getattr(adapter, "bound_port", None))
    panel = Sender(port, "1234")
    try:
        assert panel.send(1, "ADM-CID", cid("1234", 130, 4))[1] == "ACK"
    finally:
        panel.close()
    assert rt.host.sinks["dc09"].emitted == 1
    (alarm,) = rt.journal.load_alarms()  # no waiting: the ACK was written after the commit
    assert (alarm.title, alarm.source) == ("Burglary — Mairie — zone 4", "dc09")


def test_acknowledging_in_the_console_reaches_xprotect_and_a_dropped_stream_reconnects(
        make_runtime: Callable[[AdapterConfig], Runtime], secret: Callable[[str], str]) -> None:
    fake = FakeXProtect("csu", "pw").start()
    try:
        fake.alarms = [{"id": "a-9", "message": "Intrusion", "timestamp": iso(-3),
                        "state": {"name": "New"}}]
        rt = make_runtime(MilestoneConfig(kind="milestone", name="xprotect", url=fake.url,
                                          username="csu", password_secret=secret("pw"),
                                          events_url=fake.events_url))
        (alarm,) = wait_until(rt.journal.load_alarms, what="the XProtect alarm is journaled")
        rt.alarms.submit(Acknowledge(alarm.id, "op.martin")).result(10)
        wait_until(lambda: fake.patches, what="the PATCH reaches XProtect")
        assert fake.patches == [("a-9", {"state": 4, "comment":
                                         "Acknowledged in the CSU console by op.martin"})]

        wait_until(lambda: fake.subscriptions == 1)
        fake.drop_clients()
        wait_until(lambda: rt.host.sinks["xprotect"].state == "retrying", what="retrying")
        assert "closed the events WebSocket" in rt.host.sinks["xprotect"].detail
        wait_until(lambda: fake.subscriptions == 2, what="the host reconnects")
        wait_until(lambda: rt.host.sinks["xprotect"].state == "running")
        assert len(rt.journal.load_alarms()) == 1  # the same alarm listed again: not doubled
    finally:
        fake.stop()
