"""What the person signed in may see: the cameras, officers and alarms of their territory.

The hub bridge asks this before anything reaches the window's world, so the camera list,
the map, the wall, the layouts and the alarm queue all show the same territory and none of
them needs its own filter. This only hides; whoever acts (the console's runtime, or the
room's service) refuses and logs anyway (app.services.gate).
"""

from __future__ import annotations

from app.core.access import ALL_COMMUNES, Permission, User
from app.core.events import (
    AlarmChanged,
    BodyCamLiveChanged,
    CameraAnnounced,
    CameraStatusChanged,
    Event,
    OfficerAnnounced,
    OfficerStatusChanged,
    PositionReported,
    RecordingStateChanged,
)
from app.core.model import Camera, CameraKind
from app.core.territory import Territory


class Visibility:
    """Decides per event, on the GUI thread. Cameras and officers an adapter announces are
    remembered with their commune (an adapter's camera takes the adapter's)."""

    def __init__(self, user: User, territory: Territory) -> None:
        self.user = user
        self.territory = territory
        self._cameras: dict[str, Camera] = {}
        self._officer_source: dict[str, str] = {}
        self.everything = ALL_COMMUNES in user.communes
        # a role that may not view body cams live (a viewer) is not offered them at all
        self.body_cams = user.may(Permission.VIEW_BODYCAM_LIVE)
        self._hidden_body: set[str] = set()

    def shows(self, event: Event) -> bool:
        if not self.body_cams:
            match event:
                case CameraAnnounced(camera=cam) if cam.kind is CameraKind.BODY:
                    self._hidden_body.add(cam.id)
                    return False
                case CameraStatusChanged(camera_id=cid) | BodyCamLiveChanged(camera_id=cid) \
                        if cid in self._hidden_body:
                    return False
        if self.everything:
            return True
        t, user = self.territory, self.user
        match event:
            case CameraAnnounced(camera=cam):
                self._cameras[cam.id] = cam
                return t.sees_camera(user, cam.id, cam)
            case CameraStatusChanged(camera_id=cid) | BodyCamLiveChanged(camera_id=cid) \
                    | RecordingStateChanged(camera_id=cid):
                return t.sees_camera(user, cid, self._cameras.get(cid))
            case OfficerAnnounced(officer=off):
                self._officer_source[off.id] = off.source
                return user.sees(off.commune or t.officer_commune(off.id, off.source))
            case OfficerStatusChanged(officer_id=oid):
                return self.sees_officer(oid)
            case PositionReported(fix=fix):
                return self.sees_officer(fix.officer_id)
            case AlarmChanged(alarm=alarm):
                return t.sees_alarm(user, alarm, self._cameras)
        return True

    def sees_officer(self, officer_id: str) -> bool:
        return self.user.sees(self.territory.officer_commune(
            officer_id, self._officer_source.get(officer_id, "")))
