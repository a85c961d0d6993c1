"""ONVIF cameras: read each device's profiles and stream URIs, announce the camera (main and
sub stream), move it (continuous move, presets), and raise its PullPoint events (motion,
tampering, digital inputs) as alarms.

Each device runs its own loop: a device that is down or refuses the password shows offline
and is retried with capped backoff while the others keep working.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, cast

import requests
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.adapters.onvif.client import OnvifClient
from app.adapters.onvif.events import Place, notifications, to_report
from app.adapters.onvif.soap import NotAuthorized, OnvifError, Profile
from app.core.adapter import Adapter, AdapterConfig, Capability, ProbeResult, PtzCommand, Sink
from app.core.events import CameraAnnounced, CameraStatusChanged
from app.core.host import backoff_delay
from app.core.model import Camera, CameraKind, FieldOfView, LatLon, Streams
from app.core.refs import IdRef
from app.core.secrets import SecretMissing, get_secret

log = logging.getLogger(__name__)

PULL_WAIT_S = 10
RENEW_EVERY_S = 60.0
HEARTBEAT_S = 30.0


class DeviceEntry(BaseModel):
    """One ONVIF device = one camera of the wall."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[\w.-]{1,64}$")
    name: str = Field(min_length=1, max_length=120)
    url: str = Field(pattern=r"^https?://\S+$")  # device service address
    position: tuple[float, float] | None = None
    heading: float | None = Field(default=None, ge=0, lt=360)
    fov: float = Field(default=60, gt=0, le=360)
    range: float = Field(default=80, gt=0, le=5000)
    zone: str = ""
    username: str | None = None
    password_secret: str | None = None
    main_profile: int = Field(default=0, ge=0, le=32)  # index in GetProfiles
    sub_profile: int | None = Field(default=1, ge=0, le=32)
    events: bool = True

    @field_validator("position")
    @classmethod
    def _pos(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None:
            LatLon(*v)
        return v


class OnvifConfig(AdapterConfig):
    """`[[adapters]] kind = "onvif"` in the site file."""

    kind: Literal["onvif"] = "onvif"
    username: str | None = None
    password_secret: str | None = None
    timeout_s: float = Field(default=5, gt=0, le=60)
    verify_tls: bool | str = True  # for https:// devices: False, or the site CA's path
    devices: list[DeviceEntry] = Field(default_factory=list)

    def provides(self) -> list[IdRef]:
        return [IdRef(("devices", i, "id"), "camera", d.id) for i, d in enumerate(self.devices)]


@dataclass
class _Live:
    client: OnvifClient
    profile: Profile | None = None
    presets: dict[str, str] | None = None


class OnvifAdapter(Adapter):
    kind = "onvif"
    Config = OnvifConfig
    capabilities = frozenset({Capability.CAMERAS, Capability.PTZ, Capability.ALARMS})
    description = "ONVIF cameras: profiles, stream URIs, PTZ, PullPoint events as alarms."

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        self._live: dict[str, _Live] = {}
        self._state: dict[str, str] = {}

    @property
    def cfg(self) -> OnvifConfig:
        return cast(OnvifConfig, self.config)

    def _client(self, dev: DeviceEntry) -> OnvifClient:
        user = dev.username or self.cfg.username
        secret = dev.password_secret or self.cfg.password_secret
        client = OnvifClient(dev.url, user, get_secret(secret) if secret else None,
                             self.cfg.timeout_s)
        client.session.verify = self.cfg.verify_tls
        return client

    def _connect(self, dev: DeviceEntry) -> tuple[OnvifClient, Camera, Profile]:
        """Blocking: clock, services, profiles, stream URIs → the camera to announce."""
        client = self._client(dev)
        client.sync_clock()
        services = client.discover_services()
        profs = client.profiles()
        if not profs:
            raise OnvifError("the device has no media profile")
        main = profs[min(dev.main_profile, len(profs) - 1)]
        sub = profs[dev.sub_profile] if dev.sub_profile is not None and \
            dev.sub_profile < len(profs) else None
        main_uri = client.stream_uri(main.token)
        sub_uri = client.stream_uri(sub.token) if sub is not None else None
        cam = Camera(
            id=dev.id, name=dev.name, kind=CameraKind.FIXED, streams=Streams(main_uri, sub_uri),
            position=LatLon(*dev.position) if dev.position else None,
            fov=FieldOfView(dev.heading, dev.fov, dev.range) if dev.heading is not None else None,
            zone=dev.zone, source=self.name, ptz="ptz" in services and main.ptz,
            # the streams ask for the same account as the device's SOAP services
            username=dev.username or self.cfg.username,
            password_secret=dev.password_secret or self.cfg.password_secret)
        return client, cam, main

    def _status(self, sink: Sink) -> None:
        up = sum(1 for s in self._state.values() if s == "ok")
        bad = [f"{k}: {v}" for k, v in self._state.items() if v != "ok"]
        sink.status("running" if not bad else "retrying",
                    f"{up} of {len(self.cfg.devices)} device(s) connected"
                    + (f"; {'; '.join(bad[:3])}" if bad else ""))

    async def start(self, sink: Sink) -> None:
        if not self.cfg.devices:
            raise ValueError("no [[adapters.devices]] configured")
        await asyncio.gather(*(self._run_device(d, sink) for d in self.cfg.devices))

    async def _run_device(self, dev: DeviceEntry, sink: Sink) -> None:
        attempt = 0
        announced = False
        while True:
            try:
                client, cam, profile = await asyncio.to_thread(self._connect, dev)
                self._live[dev.id] = _Live(client, profile)
                sink.emit(CameraAnnounced(cam))
                announced = True
                sink.emit(CameraStatusChanged(dev.id, True, "connected"))
                self._state[dev.id] = "ok"
                self._status(sink)
                attempt = 0
                await self._watch(dev, client, sink)
            except asyncio.CancelledError:
                raise
            except (OnvifError, requests.RequestException, SecretMissing) as exc:
                why = _words(exc)
                self._live.pop(dev.id, None)
                if announced:
                    sink.emit(CameraStatusChanged(dev.id, False, why))
                self._state[dev.id] = why
                self._status(sink)
                attempt += 1
                delay = backoff_delay(attempt)
                log.warning("ONVIF %s: %s; retry in %.0f s", dev.id, why, delay)
                await asyncio.sleep(delay)

    async def _watch(self, dev: DeviceEntry, client: OnvifClient, sink: Sink) -> None:
        """Pull events until the device fails (raises), or heartbeat without events."""
        place = Place(dev.id, dev.name, LatLon(*dev.position) if dev.position else None)
        if not dev.events or "events" not in client.services:
            while True:
                await asyncio.sleep(HEARTBEAT_S)
                await asyncio.to_thread(client.sync_clock)
        address = await asyncio.to_thread(client.create_pull_point)
        renewed = time.monotonic()
        try:
            while True:
                el = await asyncio.to_thread(client.pull, address, PULL_WAIT_S)
                now = datetime.now(UTC)
                for n in notifications(el):
                    if isinstance(n, OnvifError):
                        sink.reject(f"ONVIF {dev.id}: {n}", None)
                        continue
                    try:
                        report = to_report(n, place, self.name, now)
                    except OnvifError as exc:
                        sink.reject(f"ONVIF {dev.id}: {exc}", n.topic)
                        continue
                    if report is not None:
                        sink.emit(report)
                if time.monotonic() - renewed > RENEW_EVERY_S:
                    await asyncio.to_thread(client.renew, address)
                    renewed = time.monotonic()
        finally:
            try:
                await asyncio.wait_for(asyncio.to_thread(client.unsubscribe, address), 3)
            except Exception:  # the device may be gone: nothing more to do
                log.debug("ONVIF %s: unsubscribe failed", dev.id)

    async def ptz(self, command: PtzCommand) -> None:
        live = self._live.get(command.camera_id)
        if live is None or live.profile is None:
            raise LookupError(f"camera {command.camera_id} is not connected")
        client, token = live.client, live.profile.token
        if command.preset is not None:
            if live.presets is None:
                live.presets = await asyncio.to_thread(client.presets, token)
            preset = live.presets.get(command.preset, command.preset)
            await asyncio.to_thread(client.goto_preset, token, preset)
        elif command.is_stop:
            await asyncio.to_thread(client.stop, token)
        else:
            clamp = [max(-1.0, min(1.0, v)) for v in (command.pan, command.tilt, command.zoom)]
            await asyncio.to_thread(client.continuous_move, token, *clamp)

    async def probe(self) -> list[ProbeResult]:
        if not self.cfg.devices:
            return [ProbeResult(self.name, "devices", False, "no [[adapters.devices]] listed")]
        return list(await asyncio.gather(*(self._probe(d) for d in self.cfg.devices)))

    async def _probe(self, dev: DeviceEntry) -> ProbeResult:
        check = f"ONVIF camera {dev.id} at {dev.url}"

        def ask() -> str:
            client = self._client(dev)
            client.sync_clock()
            info = client.device_information()
            client.discover_services()
            profs = client.profiles()
            kinds = ", ".join(f"{p.encoding} {p.width}x{p.height}" for p in profs[:3])
            return (f"camera {dev.id} answered: {info.manufacturer} {info.model}, firmware "
                    f"{info.firmware}; {len(profs)} profile(s): {kinds}")

        try:
            return ProbeResult(self.name, check, True, await asyncio.to_thread(ask))
        except (OnvifError, requests.RequestException, SecretMissing) as exc:
            return ProbeResult(self.name, check, False, f"camera {dev.id}: {_words(exc)}")


def _words(exc: BaseException) -> str:
    if isinstance(exc, NotAuthorized):
        return "refused the user name or password"
    if isinstance(exc, requests.ConnectionError):
        return "cannot connect (down, wrong address, or a firewall)"
    if isinstance(exc, requests.Timeout):
        return "no answer in time"
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "..."
