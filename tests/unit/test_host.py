"""The adapter host: a failing adapter is retried with capped backoff and reported; a
broken plug-in is skipped; the hub fans out to every subscriber."""

from __future__ import annotations

import asyncio
import random
import threading
from typing import Literal

import pytest

from app.core import host as host_mod
from app.core import registry, retry
from app.core.adapter import Adapter, AdapterConfig, AuthRefused, Capability, Sink
from app.core.events import AdapterStatus, CameraStatusChanged
from app.core.host import AdapterHost, backoff_delay
from app.core.hub import Hub, only
from tests.waiting import wait_until


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
    monkeypatch.setattr(retry, "BACKOFF_FIRST_S", 0.01)
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


class RefusedAdapter(FlakyAdapter):
    """Its server refuses the password until the installer fixes it (`fixed`)."""

    fixed = False

    async def start(self, sink: Sink) -> None:
        self.starts += 1
        if not self.fixed:
            raise AuthRefused("the server refused the user name or password")
        self.running.set()
        await asyncio.Event().wait()


def test_refused_credentials_stop_the_adapter_until_the_installer_retries(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A refused password is not retried like an outage (that locks service accounts):
    the adapter waits as "refused" until `retry()`."""
    monkeypatch.setattr(retry, "BACKOFF_FIRST_S", 0.01)
    hub = Hub()
    statuses = hub.subscribe("t", only(AdapterStatus))
    host = AdapterHost(hub)
    host.start()
    adapter = RefusedAdapter(FlakyConfig(name="xprotect"))
    try:
        host.add(adapter)
        wait_until(lambda: host.sinks["xprotect"].state == "refused", 5, "refused state")
        # with a 10 ms backoff, an outage would have been retried ~30 times in 0.3 s
        assert host.call(asyncio.sleep(0.3, result=True)).result(5)
        assert adapter.starts == 1
        adapter.fixed = True
        host.retry("xprotect")
        assert adapter.running.wait(5), "retry() did not start the adapter again"
    finally:
        host.stop()
    states = [s.state for s in statuses.drain() if isinstance(s, AdapterStatus)]
    assert "refused" in states
    assert "retrying" not in states
    assert adapter.starts == 2


def test_rejections_are_all_counted_and_a_sample_logged(
        caplog: pytest.LogCaptureFixture) -> None:
    from app.core.adapter import CountingSink

    sink = CountingSink("dc09", lambda e: None)
    with caplog.at_level("WARNING"):
        for i in range(1000):
            sink.reject("frame too short", b"x" * i)
    assert sink.rejected == 1000
    assert 1 <= len([r for r in caplog.records if "rejected input" in r.message]) <= 10


def test_sampled_log_says_how_many_it_left_out(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    now = [0.0]
    sampled = retry.SampledLog(logging.getLogger("t"), burst=2, window_s=10,
                               clock=lambda: now[0])
    with caplog.at_level("INFO"):
        written = [sampled.log(logging.INFO, "bad %d", i) for i in range(5)]
        now[0] = 11.0
        sampled.log(logging.INFO, "bad again")
    assert written == [True, True, False, False, False]
    assert "3 more like these" in caplog.text
    assert "bad again" in caplog.text


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
