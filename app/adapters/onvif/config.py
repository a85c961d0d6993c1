"""The ONVIF adapter's part of the site file: `[[adapters]] kind = "onvif"` and its devices."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.adapter import AdapterConfig
from app.core.model import LatLon
from app.core.refs import IdRef


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
