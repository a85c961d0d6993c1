"""The demo adapter: a whole simulated site behind the same contract as a real one.

It is the embedded default and the first thing a newcomer sees, so it must never crash:
without video (no OpenCV, a blocked port) it still runs the town and says why the tiles
are dark. The life of the town is `Simulation` (clock-driven, testable without sleeping);
this module only wires it to the sink, the asyncio loop and the camera server process.
"""

from __future__ import annotations

import asyncio
import logging
import random
from datetime import datetime
from typing import TYPE_CHECKING, Literal, cast

from pydantic import Field, field_validator

from app.adapters.demo.scenario import BODY_PREFIX, Simulation, callsign
from app.adapters.demo.streets import load_town_geojson, load_town_graph
from app.adapters.demo.town import Town, build_town
from app.core.adapter import Adapter, AdapterConfig, Capability, Sink
from app.core.events import CameraAnnounced, CameraStatusChanged
from app.core.model import Alarm, CameraKind, Streams, utc_now
from app.core.refs import IdRef

if TYPE_CHECKING:  # imported lazily at run time: it needs OpenCV, and video is optional
    from app.adapters.demo.camera_server import CameraServerProcess

log = logging.getLogger(__name__)

VIDEO_CHECK_S = 5.0  # how often the camera server's health is looked at
VIDEO_RETRY_S = 30.0  # how often a dead camera server is restarted
MAX_SLEEP_S = 1.0  # the loop wakes at least this often (cancellation, video checks)
# The same town at every start: operators save layouts of its cameras by id, and a new
# town under the same ids would show other streets under the saved names.
DEFAULT_SEED = 1


class DemoConfig(AdapterConfig):
    """`[[adapters]] kind = "demo"` in the site file."""

    kind: Literal["demo"] = "demo"
    name: str = "demo"
    # the town: the same at every start unless the site file asks another seed, or
    # "random" for a new town each run (the seed is then logged)
    seed: int | Literal["random"] = DEFAULT_SEED
    officers: int = Field(default=6, ge=1, le=500)
    cameras: int = Field(default=9, ge=1, le=64)
    alarm_interval_s: tuple[float, float] = (20, 45)  # random gap between two alarms
    first_alarm_after_s: float = Field(default=2.0, ge=0)
    video: bool = True
    fps: int = Field(default=10, ge=1, le=30)
    position_interval_s: float = Field(default=1.0, ge=0.05, le=60)

    @field_validator("alarm_interval_s")
    @classmethod
    def _interval(cls, v: tuple[float, float]) -> tuple[float, float]:
        lo, hi = v
        if not 0 < lo <= hi:
            raise ValueError("expected [shortest, longest] seconds with 0 < shortest <= longest")
        return v

    def provides(self) -> list[IdRef]:
        """The town's cameras "cam-01"…, its officers "pm11"… and their body cams "bc-pm11"…"""
        officers = [callsign(i)[0] for i in range(self.officers)]
        return ([IdRef(("cameras",), "camera", f"cam-{i + 1:02d}") for i in range(self.cameras)]
                + [IdRef(("officers",), "officer", o) for o in officers]
                + [IdRef(("officers",), "camera", f"bc-{o}") for o in officers])


def make_town(seed: int, cameras: int) -> Town:
    return build_town(load_town_graph(), load_town_geojson(), seed, cameras)


def make_simulation(
    config: DemoConfig, seed: int, start: datetime, town: Town | None = None
) -> Simulation:
    """The simulation a config describes (what the adapter runs; tests use it directly)."""
    return Simulation(
        town or make_town(seed, config.cameras), source=config.name, start=start, seed=seed,
        officers=config.officers, alarm_interval_s=config.alarm_interval_s,
        first_alarm_after_s=config.first_alarm_after_s,
        position_interval_s=config.position_interval_s,
    )  # fmt: skip


class DemoAdapter(Adapter):
    kind = "demo"
    Config = DemoConfig
    capabilities = frozenset(
        {Capability.CAMERAS, Capability.POSITIONS, Capability.ALARMS, Capability.ACKNOWLEDGE}
    )
    description = (
        "Simulated town: fixed cameras, officers on real streets, a steady flow of alarms."
    )

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self.sim: Simulation | None = None
        self._server: CameraServerProcess | None = None
        self._video_error = ""
        self._seed = 0

    @property
    def video_alive(self) -> bool:
        """Whether the camera server process is serving."""
        return self._server is not None and self._server.alive

    @property
    def cfg(self) -> DemoConfig:
        return cast(DemoConfig, self.config)

    async def start(self, sink: Sink) -> None:
        cfg = self.cfg
        seed = (random.SystemRandom().randrange(1 << 31) if cfg.seed == "random"
                else int(cfg.seed))
        log.info(
            "demo adapter %s: seed %d (set `seed = %d` to see this town again)",
            self.name,
            seed,
            seed,
        )
        self._seed = seed
        sim = self.sim = await asyncio.to_thread(make_simulation, cfg, seed, utc_now())
        video = cfg.video and await self._start_video(sim, seed)
        # The town's clock starts once video is up: the opening alarms must not be
        # swallowed by the camera server's start-up time.
        sim.rebase(utc_now())
        for event in sim.announcements(self._streams):
            sink.emit(event)
        self._emit_online(sink, sim, video)
        self._status(
            sink,
            "running",
            "" if video or not cfg.video else f"video unavailable: {self._video_error}",
        )
        loop = asyncio.get_running_loop()
        next_check = loop.time() + VIDEO_CHECK_S
        while True:
            events = sim.step(utc_now())
            if events:  # each stands for a message a real site's system would send
                sink.received(len(events))
            for event in events:
                sink.emit(event)
            if cfg.video and loop.time() >= next_check:
                video = await self._check_video(sink, sim, video)
                next_check = loop.time() + (VIDEO_CHECK_S if video else VIDEO_RETRY_S)
            delay = (sim.next_due() - utc_now()).total_seconds()
            await asyncio.sleep(min(max(delay, 0.005), MAX_SLEEP_S))

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            await asyncio.to_thread(server.stop)

    async def acknowledge(self, alarm: Alarm, actor: str) -> None:
        # Nothing upstream to tell: a real panel would get the ack written back here.
        log.info("demo: alarm %s (%s) acknowledged by %s", alarm.source_id, alarm.title, actor)

    # -- video ------------------------------------------------------------------------
    async def _start_video(self, sim: Simulation, seed: int) -> bool:
        """Start the camera server; False (and the reason kept) when it cannot run."""
        try:
            from app.adapters.demo.camera_server import CameraServerProcess, SyntheticCamera

            cams = [
                SyntheticCamera(
                    c.id, c.name, "body" if c.kind is CameraKind.BODY else "fixed",
                    seed=(seed * 1009 + i) % (1 << 31),
                    label=c.name.removeprefix(BODY_PREFIX) if c.kind is CameraKind.BODY else "",
                )
                for i, c in enumerate(sim.cameras(_no_streams))
            ]  # fmt: skip
            server = CameraServerProcess(cams, fps=self.cfg.fps)
            self._server = server
            await asyncio.to_thread(server.start)
            self._video_error = ""
            return True
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # video is a bonus: the town runs without it
            log.warning("demo video unavailable: %s", exc)
            self._video_error = str(exc) or type(exc).__name__
            return False

    def _streams(self, camera_id: str) -> Streams:
        server = self._server
        if server is not None and server.alive:
            try:
                url = server.url
                return Streams(main=url(camera_id, "main"), sub=url(camera_id, "sub"))
            except (KeyError, RuntimeError, ValueError) as exc:
                log.warning("no stream for %s: %s", camera_id, exc)
        return _no_streams(camera_id, self.name)

    def _emit_online(self, sink: Sink, sim: Simulation, online: bool) -> None:
        detail = "" if online else f"video unavailable: {self._video_error or 'disabled'}"
        for cam in sim.cameras(self._streams):
            sink.emit(CameraStatusChanged(cam.id, online=online, detail=detail))

    async def _check_video(self, sink: Sink, sim: Simulation, video: bool) -> bool:
        """Notice a dead camera server, say so, and bring it back (new port, new URLs)."""
        if video and self.video_alive:
            return True
        if video:  # it just died
            self._video_error = "camera server stopped"
            self._emit_online(sink, sim, False)
            self._status(sink, "running", f"video unavailable: {self._video_error}")
        await self.stop()
        if not await self._start_video(sim, self._seed):
            return False
        for cam in sim.cameras(self._streams):
            sink.emit(CameraAnnounced(cam))
        self._emit_online(sink, sim, True)
        self._status(sink, "running")
        return True

    def _status(self, sink: Sink, state: str, detail: str = "") -> None:
        sink.status(state, detail)


def _no_streams(camera_id: str, source: str = "demo") -> Streams:
    """Placeholder URLs for a camera without video (announced offline, with the reason)."""
    return Streams(main=f"demo://{source}/{camera_id}/main", sub=f"demo://{source}/{camera_id}/sub")
