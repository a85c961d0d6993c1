"""Plain RTSP cameras: the site file lists their main and sub stream URLs; the adapter
announces them and checks each one with an RTSP DESCRIBE every so often, so a camera that
stops answering shows offline on the wall and in the status panel.

Passwords come from the keyring by name; the announced URLs never carry them (they are
journaled), so the video layer must look the secret up by the camera's `password_secret`.

A camera that refuses the password is not asked again with the same one (cameras lock an
account after a few failures): it stays offline, "refused", until its secret changes in the
keyring. If every camera refuses, the adapter stops as refused (`AuthRefused`).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.adapters.rtsp.probe import StreamCheck, check_stream
from app.adapters.rtsp.protocol import RtspError, split_url
from app.core.adapter import (
    Adapter,
    AdapterConfig,
    AuthRefused,
    Capability,
    ProbeResult,
    Sink,
)
from app.core.events import CameraAnnounced, CameraStatusChanged
from app.core.model import Camera, CameraKind, FieldOfView, LatLon, Streams
from app.core.refs import IdRef
from app.core.secrets import SecretMissing, get_secret
from app.net.stream_check import Outcome

log = logging.getLogger(__name__)


class CameraEntry(BaseModel):
    """One camera: where it is, what it looks at, how to reach it."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[\w.-]{1,64}$")
    name: str = Field(min_length=1, max_length=120)
    main: str
    sub: str | None = None
    position: tuple[float, float] | None = None
    heading: float | None = Field(default=None, ge=0, lt=360)
    fov: float = Field(default=60, gt=0, le=360)
    range: float = Field(default=80, gt=0, le=5000)
    zone: str = ""
    username: str | None = None  # overrides the adapter's
    password_secret: str | None = None  # overrides the adapter's

    @field_validator("main", "sub")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                split_url(v)
            except RtspError as exc:
                raise ValueError(str(exc)) from None
        return v

    @field_validator("position")
    @classmethod
    def _pos(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None:
            LatLon(*v)
        return v

    def to_camera(self, source: str, ptz: bool = False, main: str | None = None,
                  sub: str | None = None, username: str | None = None,
                  password_secret: str | None = None) -> Camera:
        return Camera(
            id=self.id, name=self.name, kind=CameraKind.FIXED,
            streams=Streams(main or self.main, sub or self.sub),
            position=LatLon(*self.position) if self.position else None,
            fov=FieldOfView(self.heading, self.fov, self.range)
            if self.heading is not None else None,
            zone=self.zone, source=source, ptz=ptz,
            username=self.username or username,  # the camera's own login first
            password_secret=self.password_secret or password_secret)


class RtspConfig(AdapterConfig):
    """`[[adapters]] kind = "rtsp"` in the site file."""

    kind: Literal["rtsp"] = "rtsp"
    username: str | None = None
    password_secret: str | None = None
    check_interval_s: float = Field(default=60, ge=5, le=3600)
    timeout_s: float = Field(default=5, gt=0, le=60)
    cameras: list[CameraEntry] = Field(default_factory=list)

    def provides(self) -> list[IdRef]:
        return [IdRef(("cameras", i, "id"), "camera", c.id) for i, c in enumerate(self.cameras)]


def credentials(cam: CameraEntry, default_user: str | None,
                default_secret: str | None) -> tuple[str | None, str | None]:
    """(user, password) for a camera; the password read from the keyring now."""
    user = cam.username or default_user
    secret = cam.password_secret or default_secret
    return user, (get_secret(secret) if secret else None)


class RtspAdapter(Adapter):
    kind = "rtsp"
    Config = RtspConfig
    capabilities = frozenset({Capability.CAMERAS})
    description = "Plain RTSP cameras (main and sub stream), checked with RTSP DESCRIBE."

    @property
    def cfg(self) -> RtspConfig:
        return cast(RtspConfig, self.config)

    def __init__(self, config: AdapterConfig) -> None:
        super().__init__(config)
        # cameras that refused a login, with a fingerprint of that login (never the password)
        self._refused: dict[str, tuple[str, StreamCheck]] = {}

    async def _check(self, cam: CameraEntry) -> StreamCheck:
        try:
            user, password = credentials(cam, self.cfg.username, self.cfg.password_secret)
        except SecretMissing as exc:
            return StreamCheck(False, str(exc))
        login = hashlib.sha256(f"{user}\0{password}".encode()).hexdigest()
        held = self._refused.get(cam.id)
        if held is not None and held[0] == login:
            return held[1]  # the same login again would only count towards a lock-out
        chk = await check_stream(cam.sub or cam.main, user, password, self.cfg.timeout_s)
        if chk.outcome is Outcome.AUTH_REFUSED:
            self._refused[cam.id] = (login, chk)
        else:
            self._refused.pop(cam.id, None)
        return chk

    async def start(self, sink: Sink) -> None:
        for cam in self.cfg.cameras:
            sink.emit(CameraAnnounced(cam.to_camera(
                self.name, username=self.cfg.username, password_secret=self.cfg.password_secret)))
        online: dict[str, bool] = {}
        while True:
            checks = await asyncio.gather(*(self._check(c) for c in self.cfg.cameras))
            if self.cfg.cameras and all(c.outcome is Outcome.AUTH_REFUSED for c in checks):
                raise AuthRefused(f"every camera refused the user name or password "
                                  f"({checks[0].detail})")
            answered = sum(chk.ok for chk in checks)
            if answered:  # a camera's answer is a message from it (the panel's last message)
                sink.received(answered)
            for cam, chk in zip(self.cfg.cameras, checks, strict=True):
                if online.get(cam.id) != chk.ok:
                    online[cam.id] = chk.ok
                    sink.emit(CameraStatusChanged(cam.id, chk.ok, chk.detail))
            up = sum(online.values())
            bad = [c.id for c, ch in zip(self.cfg.cameras, checks, strict=True) if not ch.ok]
            sink.status("running", f"{up} of {len(online)} camera(s) answer"
                        + (f"; not answering: {', '.join(bad[:5])}" if bad else ""))
            await asyncio.sleep(self.cfg.check_interval_s)

    async def probe(self) -> list[ProbeResult]:
        if not self.cfg.cameras:
            return [ProbeResult(self.name, "cameras", False, "no [[adapters.cameras]] listed")]
        results = []
        for cam in self.cfg.cameras:
            try:
                user, password = credentials(cam, self.cfg.username, self.cfg.password_secret)
            except SecretMissing as exc:
                results.append(ProbeResult(self.name, f"camera {cam.id}", False, str(exc)))
                continue
            for role, url in (("main", cam.main), ("sub", cam.sub)):
                if url is None:
                    continue
                chk = await check_stream(url, user, password, self.cfg.timeout_s)
                results.append(ProbeResult(self.name, f"camera {cam.id} {role} stream {url}",
                                           chk.ok, f"camera {cam.id} {chk.detail}"))
        return results
