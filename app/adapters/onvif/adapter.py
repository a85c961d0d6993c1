"""ONVIF cameras: read each device's profiles and stream URIs, announce the camera (main and
sub stream), move it (continuous move, presets), and raise its PullPoint events (motion,
tampering, digital inputs) as alarms.

Each device runs its own loop: a device that is down shows offline and is retried with
capped backoff while the others keep working. A device that refuses our user name and
password is not retried (each try could count towards locking the account): it waits until
its secret changes in the keyring, and once every device of the adapter is refused, the
adapter stops as "refused" (`AuthRefused`) until the installer asks the host to retry.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import cast

import requests

from app.adapters.onvif.client import CredentialsRefused, OnvifClient
from app.adapters.onvif.config import DeviceEntry, OnvifConfig
from app.adapters.onvif.pullpoint import watch_events
from app.adapters.onvif.soap import BadAnswer, OnvifError, Profile
from app.core.adapter import (
    Adapter,
    AdapterConfig,
    AuthRefused,
    Capability,
    ProbeResult,
    PtzCommand,
    Sink,
)
from app.core.events import CameraAnnounced, CameraStatusChanged
from app.core.model import Camera, CameraKind, FieldOfView, LatLon, Streams
from app.core.retry import backoff_delay
from app.core.secrets import SecretMissing, get_secret

log = logging.getLogger(__name__)

SECRET_RECHECK_S = 10.0  # how often a refused device looks for a new password
REFUSED = "refused the user name or password"

__all__ = ["DeviceEntry", "OnvifAdapter", "OnvifConfig"]


class PtzFailed(RuntimeError):
    """A PTZ order that did not go through, said in words an operator can act on."""


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
        self._refused: set[str] = set()
        self._all_refused = asyncio.Event()

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

    def _connect(self, dev: DeviceEntry, client: OnvifClient) -> tuple[Camera, Profile]:
        """Blocking: clock, services, profiles, stream URIs → the camera to announce."""
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
        return cam, main

    def _status(self, sink: Sink) -> None:
        up = sum(1 for s in self._state.values() if s == "ok")
        bad = [f"{k}: {v}" for k, v in self._state.items() if v != "ok"]
        state = "refused" if self._refused else "retrying" if bad else "running"
        sink.status(state, f"{up} of {len(self.cfg.devices)} device(s) connected"
                    + (f"; {'; '.join(bad[:3])}" if bad else ""))

    async def start(self, sink: Sink) -> None:
        if not self.cfg.devices:
            raise ValueError("no [[adapters.devices]] configured")
        self._refused.clear()
        self._state.clear()  # a retry starts afresh: no reason of the last run stays shown
        self._all_refused = asyncio.Event()
        loop = asyncio.get_running_loop()
        tasks = [loop.create_task(self._run_device(d, sink), name=f"onvif:{d.id}")
                 for d in self.cfg.devices]
        all_refused = loop.create_task(self._all_refused.wait())
        try:
            done, _ = await asyncio.wait([*tasks, all_refused],
                                         return_when=asyncio.FIRST_COMPLETED)
            for t in done:
                if t is not all_refused:
                    t.result()  # a device loop only ends by raising
            ids = ", ".join(d.id for d in self.cfg.devices)
            raise AuthRefused(f"ONVIF camera(s) {ids} {REFUSED}")
        finally:
            for t in (*tasks, all_refused):
                t.cancel()
            await asyncio.gather(*tasks, all_refused, return_exceptions=True)

    async def _run_device(self, dev: DeviceEntry, sink: Sink) -> None:
        attempt = 0
        announced = False
        while True:
            client: OnvifClient | None = None
            try:
                client = await asyncio.to_thread(self._client, dev)
                cam, profile = await asyncio.to_thread(self._connect, dev, client)
                self._live[dev.id] = _Live(client, profile)
                sink.emit(CameraAnnounced(cam))
                announced = True
                sink.emit(CameraStatusChanged(dev.id, True, "connected"))
                self._state[dev.id] = "ok"
                self._status(sink)
                attempt = 0
                place_pos = LatLon(*dev.position) if dev.position else None
                await watch_events(dev, place_pos, client, self.name, sink)
            except asyncio.CancelledError:
                raise
            except CredentialsRefused:
                self._went_offline(dev, sink, announced, REFUSED)
                self._refused.add(dev.id)
                self._status(sink)
                log.error("ONVIF %s: %s; not tried again until its password changes",
                          dev.id, REFUSED)
                if len(self._refused) == len(self.cfg.devices):
                    self._all_refused.set()
                await self._until_secret_changes(dev, client.password if client else None)
                self._refused.discard(dev.id)
                attempt = 0
            except (OnvifError, requests.RequestException, SecretMissing) as exc:
                why = _words(exc)
                self._went_offline(dev, sink, announced, why)
                self._status(sink)
                attempt += 1
                delay = backoff_delay(attempt)
                log.warning("ONVIF %s: %s; retry in %.0f s", dev.id, why, delay)
                await asyncio.sleep(delay)

    def _went_offline(self, dev: DeviceEntry, sink: Sink, announced: bool, why: str) -> None:
        self._live.pop(dev.id, None)
        if announced:
            sink.emit(CameraStatusChanged(dev.id, False, why))
        self._state[dev.id] = why

    async def _until_secret_changes(self, dev: DeviceEntry, refused: str | None) -> None:
        """Wait, without asking the device anything, until the keyring holds another
        password for it (the installer fixed it)."""
        secret = dev.password_secret or self.cfg.password_secret
        while True:
            await asyncio.sleep(SECRET_RECHECK_S)
            if secret is None:
                continue
            try:
                now = await asyncio.to_thread(get_secret, secret)
            except SecretMissing:
                continue
            if now != refused:
                log.info("ONVIF %s: its password changed in the keyring; trying again", dev.id)
                return

    async def ptz(self, command: PtzCommand) -> None:
        live = self._live.get(command.camera_id)
        if live is None or live.profile is None:
            raise LookupError(f"camera {command.camera_id} is not connected")
        client, token = live.client, live.profile.token
        try:
            if command.preset is not None:
                if live.presets is None:
                    live.presets = await asyncio.to_thread(client.presets, token)
                preset = live.presets.get(command.preset, command.preset)
                await asyncio.to_thread(client.goto_preset, token, preset)
            elif command.is_stop:
                await asyncio.to_thread(client.stop, token)
            else:
                clamp = [max(-1.0, min(1.0, v))
                         for v in (command.pan, command.tilt, command.zoom)]
                await asyncio.to_thread(client.continuous_move, token, *clamp)
        except (OnvifError, requests.RequestException) as exc:
            raise PtzFailed(f"camera {command.camera_id}: {_ptz_words(exc)}") from None

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
    """Why a device cannot be used, for the status panel and `check-config --probe`. Only a
    refused *authenticated* call is called a wrong password."""
    if isinstance(exc, CredentialsRefused):
        return REFUSED
    if isinstance(exc, requests.ConnectionError):
        return "cannot connect (down, wrong address, or a firewall)"
    if isinstance(exc, requests.Timeout):
        return "no answer in time"
    text = str(exc)
    return text if len(text) < 160 else text[:157] + "..."


def _ptz_words(exc: BaseException) -> str:
    if isinstance(exc, CredentialsRefused):
        return "refused the order for this user (a user without PTZ rights, or a password " \
               "changed on the camera)"
    if isinstance(exc, BadAnswer):
        return f"its answer to the order could not be read ({exc}); it may have moved anyway"
    return _words(exc)
