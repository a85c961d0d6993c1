"""Territories: which commune each camera, officer and alarm belongs to, and whether a user
may see it (an intercommunal CSU: a town's operators see their town).

A camera or officer names its commune in the site file; one an adapter announces without
one takes its adapter's; "" is the whole site's, seen by every user (a one-town site has no
territories at all). An alarm belongs to the communes of its cameras, its officer and the
adapter that raised it: a user sees it when they see any of those (an alarm on a boundary
camera concerns both towns), or when it names none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from app.core.access import User
from app.core.model import Alarm, Camera
from app.core.site import Site


@dataclass(frozen=True, slots=True)
class Territory:
    cameras: Mapping[str, str] = field(default_factory=dict)  # camera id -> commune
    officers: Mapping[str, str] = field(default_factory=dict)  # officer id -> commune
    adapters: Mapping[str, str] = field(default_factory=dict)  # adapter name -> commune

    @classmethod
    def of_site(cls, site: Site) -> Territory:
        return cls({c.id: c.commune for c in site.cameras if c.commune},
                   {o.id: o.commune for o in site.officers if o.commune},
                   {a.name: a.commune for a in site.adapters if a.commune})

    def camera_commune(self, camera_id: str, camera: Camera | None = None) -> str:
        if camera_id in self.cameras:
            return self.cameras[camera_id]
        if camera is not None:
            return camera.commune or self.adapters.get(camera.source, "")
        return ""

    def officer_commune(self, officer_id: str, source: str = "") -> str:
        return self.officers.get(officer_id) or self.adapters.get(source, "")

    def alarm_communes(self, alarm: Alarm, cameras: Mapping[str, Camera] | None = None
                       ) -> frozenset[str]:
        known = cameras or {}
        out = {self.camera_commune(c, known.get(c)) for c in alarm.camera_ids}
        if alarm.officer_id:
            out.add(self.officer_commune(alarm.officer_id))
        out.add(self.adapters.get(alarm.source, ""))
        out.discard("")
        return frozenset(out)

    def sees_camera(self, user: User, camera_id: str, camera: Camera | None = None) -> bool:
        return user.sees(self.camera_commune(camera_id, camera))

    def sees_alarm(self, user: User, alarm: Alarm,
                   cameras: Mapping[str, Camera] | None = None) -> bool:
        communes = self.alarm_communes(alarm, cameras)
        return not communes or any(user.sees(c) for c in communes)

    def outside(self, user: User, camera_ids: Iterable[str],
                cameras: Mapping[str, Camera] | None = None) -> list[tuple[str, str]]:
        """(camera id, commune) of each camera this user may not see."""
        known = cameras or {}
        return [(c, commune) for c in camera_ids
                if not user.sees(commune := self.camera_commune(c, known.get(c)))]
