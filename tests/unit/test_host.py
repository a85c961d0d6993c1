"""The adapter host: a failing adapter is retried with capped backoff and reported; a
broken plug-in is skipped; the hub fans out to every subscriber."""

from __future__ import annotations

import asyncio
import random
import threading
from typing import Literal

import pytest

from app.core import host as host_mod
from app.core import registry
from app.core.adapter import Adapter, AdapterConfig, Capability, Sink
from app.core.events import AdapterStatus, CameraStatusChanged
from app.core.host import AdapterHost, backoff_delay
from app.core.hub import Hub, only


class FlakyConfig(AdapterConfig):
    kind: Literal["flaky"] = "flaky"
    failures: int = 2


class FlakyAdapter(Adapter):
    """Fails `failures` times, then emits one event and runs until cancelled."""

    kind = "flaky"
    Config = FlakyConfig
    capabilities = frozenset({Capability.CAMERAS})

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self.starts = 0
        self.stops = 0
        self.running = threading.Event()

    async def start(self, sink: Sink) -> None:
        self.starts += 1
        assert isinstance(self.config, FlakyConfig)
        if self.starts <= self.config.failures:
            raise ConnectionRefusedError("connection refused by 127.0.0.1:9")
        sink.emit(CameraStatusChanged("c1", True))
        self.running.set()
        await asyncio.Event().wait()

    async def stop(self) -> None:
        self.stops += 1


def test_backoff_is_capped_and_jittered() -> None:
    rng = random.Random(1)
    delays = [backoff_delay(n, rng) for n in range(1, 12)]
    assert delays[0] == pytest.approx(1.0, rel=0.21)
    assert max(delays) <= host_mod.BACKOFF_CAP_S
    assert delays[-1] >= 0.8 * host_mod.BACKOFF_CAP_S
    assert len({round(d, 6) for d in delays[:5]}) == 5  # jitter: no two retries in step
    assert delays[:5] == sorted(delays[:5])


def test_a_failing_adapter_is_retried_and_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host_mod, "BACKOFF_FIRST_S", 0.01)
    hub = Hub()
    statuses = hub.subscribe("t", only(AdapterStatus))
    events = hub.subscribe("e", only(CameraStatusChanged))
    host = AdapterHost(hub)
    host.start()
    adapter = FlakyAdapter(FlakyConfig(name="flaky-1"))
    try:
        host.add(adapter)
        assert adapter.running.wait(10), "the adapter never recovered"
        assert adapter.starts == 3
        assert events.wait(5)
    finally:
        host.stop()
    seen = [(s.state, s.detail) for s in statuses.drain() if isinstance(s, AdapterStatus)]
    retrying = [d for st, d in seen if st == "retrying"]
    assert len(retrying) == 2
    assert "connection refused" in retrying[0]
    assert adapter.stops == 3  # stopped after each failure and once at shutdown


def test_a_broken_plugin_is_listed_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    class EP:
        def __init__(self, name: str, value: str, target: object) -> None:
            self.name, self.value, self._target = name, value, target

        def load(self) -> object:
            if isinstance(self._target, Exception):
                raise self._target
            return self._target

    eps = [EP("flaky", "tests:Flaky", FlakyAdapter),
           EP("broken", "vendor.x:Y", ImportError("No module named 'vendor'")),
           EP("notanadapter", "os:path", object)]
    monkeypatch.setattr(registry, "entry_points", lambda group: eps)
    found = registry.discover()
    assert found["flaky"].cls is FlakyAdapter
    assert found["broken"].cls is None
    assert "No module named 'vendor'" in found["broken"].error
    assert "not an Adapter" in found["notanadapter"].error


def test_hub_fans_out_and_filters() -> None:
    hub = Hub()
    a = hub.subscribe("a")
    b = hub.subscribe("b", only(AdapterStatus))
    hub.post(CameraStatusChanged("c", True))
    hub.post(AdapterStatus("x", "running"))
    assert len(a.drain()) == 2
    assert [e.kind for e in b.drain()] == ["adapter_status"]
    hub.unsubscribe(a)
    hub.post(AdapterStatus("x", "running"))
    assert len(a) == 0
