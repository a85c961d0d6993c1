"""The recorder of a site: one `Supervisor` per camera the site records, started as cameras
are announced (the site file's and the adapters' alike, through `CameraAnnounced` on the
hub), and the disk keeper that holds each storage folder to its budget.

Which cameras: those `[recording] cameras` names ("*": every fixed camera). Body-worn
cameras are never recorded (CSI L241-2: the body-cam system records them; the console keeps
no copy of a live body-cam feed), whatever the site file says.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.core.events import CameraAnnounced, Event, RecordingStateChanged
from app.core.hub import Hub, only
from app.core.journal import JournalStore
from app.core.model import Camera, CameraKind, utc_now
from app.core.recording_config import RecordingConfig, StorageConfig
from app.services.recorder.budget import EVERY_S, DiskKeeper, Folder
from app.services.recorder.supervisor import Settings, Supervisor, Target

log = logging.getLogger(__name__)


def target_of(camera: Camera, config: RecordingConfig) -> Target | None:
    """What to record of `camera` (None: the site does not record it, or may not)."""
    if camera.kind is CameraKind.BODY or not config.names(camera.id):
        return None
    url = camera.streams.sub if config.stream == "sub" and camera.streams.sub \
        else camera.streams.main
    storage = absolute(config.storage_for(camera.id).path or "")
    return Target(camera.id, url, storage, camera.username, camera.password_secret)


def absolute(path: str) -> str:
    """A storage folder as the index names it (the same string everywhere)."""
    return str(Path(path).expanduser().absolute())


def _switch(old: Supervisor, new: Supervisor) -> None:
    old.stop()
    new.start()


class Recorder:
    def __init__(self, hub: Hub, journal: JournalStore, config: RecordingConfig,
                 clock: Callable[[], datetime] = utc_now, disk_every_s: float = EVERY_S
                 ) -> None:
        self._hub = hub
        self._journal = journal
        self.config = config
        self._clock = clock
        self._lock = threading.Lock()
        self.supervisors: dict[str, Supervisor] = {}
        self._running = False
        self._settings: Settings | None = None
        self.disk = DiskKeeper(journal, [self._absolute(f) for f in config.folders()],
                               self._writing_into, hub.post, clock, disk_every_s)
        hub.listen(self._announced, only(CameraAnnounced))

    @staticmethod
    def _absolute(folder: StorageConfig) -> Folder:
        return Folder(absolute(folder.path or ""), folder.budget_gb, folder.warn_at)

    def _writing_into(self, folder: str) -> list[Supervisor]:
        with self._lock:
            return [s for s in self.supervisors.values() if s.target.storage == folder]

    def start(self) -> None:
        with self._lock:
            self._running = True
            self._settings = Settings(self.config.ffmpeg_exe(), self.config.segment_s,
                                      self.config.stall_s, self.config.io_timeout_s)
        self.disk.start()
        log.info("recorder: recording %s with %s",
                 "every fixed camera" if self.config.cameras == "*"
                 else ", ".join(self.config.cameras), self._settings.ffmpeg)

    def stop(self) -> None:
        """Every FFmpeg closes its segment; the index gets the last ones."""
        with self._lock:
            self._running = False
            sups = list(self.supervisors.values())
        self.disk.stop()
        for s in sups:
            s._stop.set()
            s._wake.set()
        for s in sups:
            s.stop()

    def _announced(self, event: Event) -> None:
        """On the poster's thread: quick (the supervisor reads the keyring on its own)."""
        assert isinstance(event, CameraAnnounced)
        cam = event.camera
        target = target_of(cam, self.config)
        if target is None:
            if cam.kind is CameraKind.BODY and self.config.cameras != "*" \
                    and self.config.names(cam.id):
                log.warning("recorder: camera %s is a body-worn camera: not recorded (CSI "
                            "L241-2)", cam.id)
            return
        with self._lock:
            if not self._running or self._settings is None:
                return
            old = self.supervisors.get(cam.id)
            if old is not None and old.target == target:
                return  # announced again (an adapter reconnected): nothing changed
            sup = Supervisor(target, self._journal, self._settings, self._say, self._clock)
            self.supervisors[cam.id] = sup
        if sup.target.storage in self.disk.full:
            sup.disk_full(f"storage {sup.target.storage} full: recording waits for space")
        if old is None:
            sup.start()
        else:  # the old one ends its run before the new one looks for cut-short runs
            threading.Thread(target=_switch, args=(old, sup), daemon=True,
                             name=f"recorder-{cam.id}-switch").start()

    def _say(self, event: RecordingStateChanged) -> None:
        self._hub.post(event)
