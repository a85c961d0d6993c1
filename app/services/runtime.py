"""Puts the Qt-free console together for one site: hub, journal, adapters, alarm service.

The UI layer builds one `Runtime`, starts it, and talks to it only through the hub (what
happened) and `alarms.submit()` (what the operator decided).
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from app.core.adapter import PtzCommand
from app.core.events import (
    AdapterStatus,
    AlarmReported,
    CameraAnnounced,
    Event,
    JournalStatus,
    OfficerAnnounced,
)
from app.core.host import AdapterHost
from app.core.hub import Hub, only
from app.core.journal import JournalHealth
from app.core.journal_url import SQLITE, JournalLocation
from app.core.journal_writer import JournalWriter
from app.core.model import Alarm, Camera, LatLon
from app.core.registry import AdapterEntry
from app.core.site import Site
from app.services.alarm_service import AlarmService
from app.services.bodycam_policy import BodyCamPolicy, Decision
from app.services.geofence import GeofenceService, zones_of_site
from app.services.retention_runner import RetentionRunner
from app.services.room_service import RoomService
from app.store.opening import open_store

log = logging.getLogger(__name__)


class Runtime:
    def __init__(self, site: Site, registry: dict[str, AdapterEntry],
                 journal: Path | JournalLocation, password: str | None = None) -> None:
        self.site = site
        self.registry = registry
        self.hub = Hub()
        where = journal if isinstance(journal, JournalLocation) \
            else JournalLocation(SQLITE, path=journal)
        # a damaged SQLite journal is set aside and replaced (JournalCannotOpen if even that
        # fails); a room's database is set up on the service's first start
        self.journal, self.recovery = open_store(where, password, purpose="service",
                                                 create=True)
        self.journal.on_health(self._journal_health)
        self.where = where
        self.writer = JournalWriter(self.hub, self.journal)
        self.host = AdapterHost(self.hub)
        self.alarms = AlarmService(
            self.hub,
            self.journal,
            escalation_threshold_s=lambda t: site.alarm_type(t).escalate_after_s,
            on_acknowledged=self._ack_upstream,
            locate=self._place_of,
        )
        sectors = site.resolve(site.map.sectors_geojson) if site.map.sectors_geojson else None
        self.geofences = GeofenceService(self.hub, zones_of_site(sectors))
        self.cameras: dict[str, Camera] = {}  # every camera announced, by id (any thread)
        self.hub.listen(self._remember_camera, only(CameraAnnounced))
        self._audit_io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit")
        # the body-cam rule judges the alarms as the service holds them now, not a copy
        self.bodycams = BodyCamPolicy(self.journal.record_action, alarms=self.current_alarms)
        # a room's journal: this runtime is its service, taking the seats' commands
        self.room = RoomService(where, password, self.alarms.submit, self.ptz) \
            if where.shared else None
        self.retention = RetentionRunner(self.journal, site.retention)  # the hourly purge
        self._started = False
        self._closed = False

    def audit(self, actor: str, action: str, target: str, detail: str = "") -> Future[None]:
        """Record an operator action off the caller's thread (the GUI never waits on disk)."""
        return self._audit_io.submit(self.journal.audit, actor, action, target, detail)

    def current_alarms(self) -> list[Alarm]:
        """The alarm service's alarms as stored now, from any thread: `list()` copies the
        book's values in one step under the GIL, while the service thread may be adding."""
        return list(self.alarms.book.by_id.values())

    def open_bodycam(self, decision: Decision, operator: str, via: str,
                     reason: str = "") -> Future[None]:
        """Log a live body-cam viewing durably, off the caller's thread; the future fails
        with BodyCamRefused when it may not be shown (no reason, the log not written)."""
        return self._audit_io.submit(self.bodycams.open, decision, operator, via, reason)

    def _place_of(self, report: AlarmReported) -> LatLon | None:
        """Where an alarm that came without a position is: its first camera's place (a
        Frigate detection, a camera's own analytics)."""
        for cam_id in report.camera_ids:
            cam = self.cameras.get(cam_id)
            if cam is not None and cam.position is not None:
                return cam.position
        return None

    def _journal_health(self, health: JournalHealth) -> None:
        """Said at once (the alarm service adds what waits within a second)."""
        self.hub.post(JournalStatus(ok=health.ok, problem=health.problem, since=health.since))

    def _remember_camera(self, event: Event) -> None:
        if isinstance(event, CameraAnnounced):
            self.cameras = {**self.cameras, event.camera.id: event.camera}

    def ptz(self, command: PtzCommand) -> Future[Any]:
        """Move a camera through the adapter that serves it (fails if it has no PTZ)."""
        cam = self.cameras.get(command.camera_id)
        if cam is None:
            raise KeyError(f"unknown camera {command.camera_id!r}")
        return self.host.ptz(cam.source, command)

    def _ack_upstream(self, alarm: Alarm, actor: str) -> None:
        self.host.acknowledge(alarm.source, alarm, actor)

    def start(self) -> None:
        """Claim the room (a shared journal), start writing, restore alarms, announce the
        site's own objects, start adapters."""
        if self.room is not None:
            self.room.start()  # ServiceRefused, before anything runs: another service does
        self.writer.start()
        rec = self.recovery
        if rec is not None:
            self.hub.post(JournalStatus(
                ok=True, recovered_from=str(rec.damaged), recovery_problem=rec.problem,
                saved_alarms=rec.alarms, saved_actions=rec.audit, saved_events=rec.events))
        self.geofences.start()
        self.alarms.start()
        for cam in self.site.cameras:
            self.hub.post(CameraAnnounced(cam.to_camera()))
        for off in self.site.officers:
            self.hub.post(OfficerAnnounced(off.to_officer()))
        self.host.start()
        self.retention.start()
        for cfg in self.site.adapters:
            if not cfg.enabled:
                self.hub.post(AdapterStatus(cfg.name, "disabled"))
                continue
            entry = self.registry.get(cfg.kind)
            if entry is None or entry.cls is None:
                self.hub.post(AdapterStatus(cfg.name, "failed", entry.error if entry else
                                            f"no adapter of kind {cfg.kind}"))
                continue
            try:
                self.host.add(entry.cls(cfg))
            except Exception as exc:  # a broken adapter never takes the console down
                log.exception("adapter %s cannot be created", cfg.name)
                self.hub.post(AdapterStatus(cfg.name, "failed", str(exc)))
        self._started = True

    def stop(self) -> None:
        """Stop what was started; the journal is closed even if nothing was."""
        if self._started:
            self._started = False
            self.retention.stop()
            self.host.stop()
            if self.room is not None:
                self.room.stop()  # no more seat commands into a stopping alarm service
            self.alarms.stop()
            self.geofences.stop()
            self.writer.stop()
        if not self._closed:
            self._closed = True
            if self.room is not None:
                self.room.stop()  # again: its links are open even if its start was refused
            self._audit_io.shutdown(wait=True)
            self.journal.close()
