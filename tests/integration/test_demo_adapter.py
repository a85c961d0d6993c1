"""The demo adapter run for real on an asyncio loop, as the adapter host runs it."""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import threading
import urllib.request
from collections.abc import Callable

import pytest
from pydantic import ValidationError

from app.adapters.demo import DemoAdapter, DemoConfig
from app.core.adapter import Capability
from app.core.events import (
    AlarmReported,
    BodyCamLiveChanged,
    CameraAnnounced,
    CameraStatusChanged,
    Event,
    OfficerAnnounced,
    PositionReported,
)
from app.core.model import Alarm, AlarmState, AlarmType, CameraKind, utc_now
from app.core.registry import discover

BOUND_S = 30.0  # generous: a loaded CI machine; the checks return as soon as they hold


class ListSink:
    """A sink that keeps everything (thread-safe, like the host's)."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.statuses: list[tuple[str, str]] = []
        self.rejects: list[str] = []
        self.messages = 0  # counted by `received`, before parsing
        self._lock = threading.Lock()

    def received(self, count: int = 1) -> None:
        with self._lock:
            self.messages += count

    def emit(self, event: Event) -> None:
        with self._lock:
            self.events.append(event)

    def emit_durable(self, event: Event) -> concurrent.futures.Future[None]:
        self.emit(event)  # nothing to commit here: stored at once
        done: concurrent.futures.Future[None] = concurrent.futures.Future()
        done.set_result(None)
        return done

    def reject(self, reason: str, raw: object = None) -> None:
        self.rejects.append(reason)

    def status(self, state: str, detail: str = "") -> None:
        self.statuses.append((state, detail))

    def of(self, kind: type[Event]) -> list[Event]:
        with self._lock:
            return [e for e in self.events if isinstance(e, kind)]


async def _run_until(
    adapter: DemoAdapter, sink: ListSink, done: Callable[[], bool], bound: float = BOUND_S
) -> None:
    task = asyncio.create_task(adapter.start(sink))
    try:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + bound
        while not done():
            if task.done():
                task.result()  # raises what killed it
                pytest.fail("the adapter returned on its own")
            if loop.time() > deadline:
                pytest.fail(f"not done within {bound} s; statuses {sink.statuses}")
            await asyncio.sleep(0.02)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await adapter.stop()


def test_registered_under_its_entry_point() -> None:
    entry = discover()["demo"]
    assert entry.cls is DemoAdapter
    assert DemoAdapter.kind == "demo"
    assert DemoAdapter.Config is DemoConfig
    assert DemoAdapter.description
    assert DemoAdapter.capabilities == {
        Capability.CAMERAS, Capability.POSITIONS, Capability.ALARMS, Capability.ACKNOWLEDGE,
    }  # fmt: skip


def test_config_is_validated() -> None:
    cfg = DemoConfig.model_validate({"kind": "demo", "name": "ville"})
    assert (cfg.officers, cfg.cameras, cfg.alarm_interval_s) == (6, 9, (20, 45))
    for bad in ({"officers": 0}, {"officers": 501}, {"cameras": 65}, {"alarm_interval_s": [9, 3]},
                {"alarm_interval_s": [0, 3]}, {"colour": "blue"}, {"kind": "rtsp"}):  # fmt: skip
        with pytest.raises(ValidationError):
            DemoConfig.model_validate({"name": "ville", **bad})


def test_runs_without_video_and_brings_the_town_to_life() -> None:
    cfg = DemoConfig(
        name="demo-test", seed=3, video=False, officers=4, cameras=9,
        first_alarm_after_s=0.2, alarm_interval_s=(0.3, 0.6), position_interval_s=0.1,
    )  # fmt: skip
    adapter = DemoAdapter(cfg)
    sink = ListSink()

    def lively() -> bool:
        alarms = sink.of(AlarmReported)
        return (
            len(sink.of(PositionReported)) >= 3 * 4
            and len({a.type for a in alarms if isinstance(a, AlarmReported)}) >= 4
            and bool(sink.of(BodyCamLiveChanged))
        )

    asyncio.run(_run_until(adapter, sink, lively))

    cams = [e.camera for e in sink.of(CameraAnnounced) if isinstance(e, CameraAnnounced)]
    officers = [e.officer for e in sink.of(OfficerAnnounced) if isinstance(e, OfficerAnnounced)]
    assert sum(c.kind is CameraKind.FIXED for c in cams) == 9
    assert sorted(c.id for c in cams if c.kind is CameraKind.BODY) == sorted(
        f"bc-{o.id}" for o in officers
    )
    assert len(officers) == 4
    assert all(c.source == "demo-test" for c in cams)
    assert all(o.source == "demo-test" for o in officers)
    # announcements come before anything refers to them
    first_other = next(
        i for i, e in enumerate(sink.events)
        if not isinstance(e, CameraAnnounced | OfficerAnnounced)
    )  # fmt: skip
    assert first_other == len(cams) + len(officers)
    status = [e for e in sink.of(CameraStatusChanged) if isinstance(e, CameraStatusChanged)]
    assert {s.camera_id for s in status} == {c.id for c in cams}
    assert all(not s.online and "video" in s.detail for s in status)  # no video: said so
    assert sink.statuses[0][0] == "running"
    alarms = [a for a in sink.of(AlarmReported) if isinstance(a, AlarmReported)]
    assert all(a.source == "demo-test" for a in alarms)
    fixes = [e.fix for e in sink.of(PositionReported) if isinstance(e, PositionReported)]
    assert {f.officer_id for f in fixes} == {o.id for o in officers}


def test_acknowledge_is_accepted() -> None:
    adapter = DemoAdapter(DemoConfig(video=False))
    alarm = Alarm(
        id="1", source="demo", source_id="X-1", type=AlarmType.GUNSHOT, priority=1,
        title="Détonation détectée — capteur Port", raised_at=utc_now(),
        state=AlarmState.ACKNOWLEDGED,
    )  # fmt: skip
    asyncio.run(adapter.acknowledge(alarm, "operateur1"))


@pytest.mark.skipif(
    importlib.util.find_spec("app.adapters.demo.camera_server") is None,
    reason="camera_server.py missing",
)
def test_a_camera_server_that_cannot_start_leaves_the_town_running(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.adapters.demo import camera_server

    def refuse(self: object, timeout: float = 10.0) -> None:
        raise RuntimeError("port 0 refused (test)")

    monkeypatch.setattr(camera_server.CameraServerProcess, "start", refuse)
    adapter = DemoAdapter(DemoConfig(seed=4, video=True, officers=2, position_interval_s=0.1))
    sink = ListSink()
    asyncio.run(_run_until(adapter, sink, lambda: len(sink.of(PositionReported)) >= 4))
    assert sink.statuses[0] == ("running", "video unavailable: port 0 refused (test)")
    status = [e for e in sink.of(CameraStatusChanged) if isinstance(e, CameraStatusChanged)]
    assert len(status) == 9 + 2
    assert all(not s.online and "port 0 refused" in s.detail for s in status)


HAVE_VIDEO = (
    importlib.util.find_spec("app.adapters.demo.camera_server") is not None
    and importlib.util.find_spec("cv2") is not None
)


@pytest.mark.skipif(not HAVE_VIDEO, reason="camera_server.py or OpenCV missing")
def test_with_video_the_camera_urls_answer() -> None:
    cfg = DemoConfig(seed=2, video=True, officers=2, cameras=9, fps=5, position_interval_s=0.2)
    adapter = DemoAdapter(cfg)
    sink = ListSink()
    answers: list[tuple[int, str, bytes]] = []

    def fetch(url: str) -> tuple[int, str, bytes]:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read(2048)

    async def go() -> None:
        def ready() -> bool:
            return bool(sink.of(CameraStatusChanged))

        task = asyncio.create_task(adapter.start(sink))
        try:
            deadline = asyncio.get_running_loop().time() + BOUND_S
            while not ready():
                assert not task.done(), task
                assert asyncio.get_running_loop().time() < deadline, sink.statuses
                await asyncio.sleep(0.05)
            cams = [e.camera for e in sink.of(CameraAnnounced) if isinstance(e, CameraAnnounced)]
            picks = [c for c in cams if c.kind is CameraKind.FIXED][:1]
            picks += [c for c in cams if c.kind is CameraKind.BODY][:1]
            for cam in picks:
                assert cam.streams.sub is not None
                assert cam.streams.sub.startswith("http://127.0.0.1:")
                answers.append(await asyncio.to_thread(fetch, cam.streams.sub))
            assert adapter.video_alive
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            await adapter.stop()

    asyncio.run(go())
    status = [e for e in sink.of(CameraStatusChanged) if isinstance(e, CameraStatusChanged)]
    assert status
    assert all(s.online for s in status), status[:3]
    assert sink.statuses[0] == ("running", "")
    assert len(answers) == 2
    for code, ctype, body in answers:
        assert code == 200
        assert ctype.startswith("multipart/x-mixed-replace")
        assert b"\xff\xd8" in body  # a JPEG begins in the first part
    assert not adapter.video_alive  # stop() ended the camera server
