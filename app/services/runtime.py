"""Puts the Qt-free console together for one site: hub, journal, adapters, alarm service.

The UI layer builds one `Runtime`, starts it, and talks to it only through the hub (what
happened) and `alarms.submit()` (what the operator decided).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import socket
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from app.core.access import Permission, User
from app.core.access_log import AccessLogQuery, describe
from app.core.adapter import Capability, PtzCommand
from app.core.audit_chain import AuditRow
from app.core.events import (
    AdapterStatus,
    AlarmReported,
    CameraAnnounced,
    Event,
    JournalStatus,
    OfficerAnnounced,
)
from app.core.evidence import EvidenceCancelled
from app.core.export_config import default_exports
from app.core.holds import Hold
from app.core.host import AdapterHost
from app.core.hub import Hub, only
from app.core.incident import Bookmark, Incident
from app.core.journal import JournalHealth
from app.core.journal_url import SQLITE, JournalLocation
from app.core.journal_writer import JournalWriter
from app.core.model import Alarm, Camera, LatLon, Officer, OperatorAction, utc_now
from app.core.recording import ReplaySource, VmsSource
from app.core.registry import AdapterEntry
from app.core.site import Site
from app.core.territory import Territory
from app.core.version import console_version
from app.net.recording_share import Grants, GrantTicket, RecordingShare
from app.services.alarm_book import Command
from app.services.alarm_service import AlarmService
from app.services.bodycam_policy import BodyCamPolicy, Decision
from app.services.consultation import Consultation, access_row, checked
from app.services.evidence.export import (
    PARTIALS_SWEPT,
    Exporter,
    ExportResult,
    Progress,
    check_folder,
    check_room,
    needed_bytes,
    run_export,
    sweep_partials,
)
from app.services.evidence.keys import (
    ExportKey,
    export_key_exists,
    init_export_key,
    load_export_key,
)
from app.services.evidence.request import (
    EXPORT_CANCELLED,
    EXPORT_DONE,
    EXPORT_FAILED,
    ExportRequest,
)
from app.services.evidence.request import checked as checked_export
from app.services.gate import Gate, Refused, Session
from app.services.geofence import GeofenceService, zones_of_site
from app.services.local_replay_source import LocalSource
from app.services.recorder.recorder import Recorder
from app.services.replay_history import ReplayHistory
from app.services.replay_sources import ReplaySources
from app.services.retention_runner import RetentionRunner
from app.services.room_service import RoomService
from app.services.sign_in import SignIn, directory_of
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
        self.officers: dict[str, Officer] = {}  # every officer announced, by id (any thread)
        self.hub.listen(self._remember_camera, only(CameraAnnounced, OfficerAnnounced))
        self._audit_io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit")
        # replay's reads (a day of positions takes seconds): never behind the log's writes
        self._replay_io = ThreadPoolExecutor(max_workers=2, thread_name_prefix="replay")
        # evidence exports, one at a time (each FFmpeg copy is disk-bound; a second at once
        # would only halve both)
        self._export_io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export")
        self._exports_lock = threading.Lock()
        self._exports_asked = 0  # running or waiting their turn
        self._export_cancels: set[threading.Event] = set()  # set by stop()
        self._exports_stopping = threading.Event()
        # the packaged demo: the first export makes the site's export key (a real site's is
        # made by its installer: `csu-console export-key init`, its certificate printed)
        self.export_key_on_demand = False
        # a room's service shares its recordings with the seats (each consultation a grant)
        self.share: RecordingShare | None = None
        self.share_url = ""
        # the body-cam rule judges the alarms as the service holds them now, not a copy
        self.bodycams = BodyCamPolicy(self.journal.record_action, alarms=self.current_alarms)
        # who is signed in at this console (None: nobody; the gate refuses everything)
        self.session: Session | None = None
        self.workstation = socket.gethostname()
        self.gate = Gate(self.journal, Territory.of_site(site), lambda: self.cameras)
        # a room's journal: this runtime is its service, taking the seats' commands
        self.sign_ins = SignIn(self.journal, directory_of(site.auth.ldap))
        self.room = RoomService(where, password, self) if where.shared else None
        self.retention = RetentionRunner(self.journal, site.retention)  # the hourly purge
        # the site's own recordings (one FFmpeg per camera), when its [recording] names some
        self.recorder = Recorder(self.hub, self.journal, site.recording.resolved(
            Path(site.source_path).parent)) if site.recording.records else None
        address = site.recording.share_address()
        if self.room is not None and address is not None:
            self.share = RecordingShare(self.journal, Grants(), *address)
        self._started = False
        self._closed = False
        self.started_at = utc_now()

    # -- who is signed in at this console (the same calls as a seat's) -----------------------
    def sign_in(self, login: str, password: str) -> Future[User]:
        """Off the caller's thread: the User, once the sign-in is logged (SignInRefused)."""
        def signed() -> User:
            user = self.sign_ins.sign_in(login, password, self.workstation)
            before, self.session = self.session, Session(user, self.workstation)
            if before is not None:  # switch user: who left is logged too
                self.sign_ins.sign_out(before.user, self.workstation,
                                       f"{user.login} signed in at this workstation")
            return user

        return self._audit_io.submit(signed)

    def sign_in_as_demo(self, user: User) -> None:
        """The packaged demo's user, with no password (app.ui decides when: only on the
        demo site the console ships). Logged like any sign-in."""
        self.session = Session(user, self.workstation)
        self._audit_io.submit(self.sign_ins.record, user, "signed_in", self.workstation,
                              "the packaged demo")

    def lock(self) -> Future[None]:
        session = self.session
        if session is not None:
            self.session = replace(session, locked=True)
            return self._audit_io.submit(self.sign_ins.log_locked, session.user,
                                         self.workstation)
        return self._audit_io.submit(lambda: None)

    def unlock(self, password: str) -> Future[None]:
        def unlocked() -> None:
            session = self.session
            if session is None:
                raise Refused("nobody is signed in at this workstation")
            self.sign_ins.unlock(session.user, password, self.workstation)
            self.session = replace(session, locked=False)

        return self._audit_io.submit(unlocked)

    def sign_out(self, why: str = "") -> Future[None]:
        session, self.session = self.session, None
        if session is None:
            return self._audit_io.submit(lambda: None)
        return self._audit_io.submit(self.sign_ins.sign_out, session.user, self.workstation,
                                     why)

    # -- what the person signed in asks: the gate decides (off the caller's thread: a
    # refusal is written to the journal), the access log keeps it -------------------------
    def submit(self, cmd: Command) -> Future[Alarm]:
        """An alarm command of the signed-in person (its actor is theirs, whatever the
        caller wrote); fails with Refused when the gate says no."""
        return self.submit_as(self.session, cmd)

    def submit_as(self, session: Session | None, cmd: Command) -> Future[Alarm]:
        alarm = self.alarms.book.by_id.get(cmd.alarm_id)
        target = f"alarm:{cmd.alarm_id}"
        refused = self._refused(session, Permission.HANDLE_ALARMS, target, alarm=alarm)
        if refused is not None:
            return refused
        assert session is not None  # the gate refuses when nobody is signed in
        return self.alarms.submit(replace(cmd, actor=session.user.login))

    def ptz_as(self, session: Session | None, command: PtzCommand) -> Future[Any]:
        cameras = (command.camera_id,)
        refused = self._refused(session, Permission.MOVE_CAMERAS,
                                f"camera:{command.camera_id}", cameras)
        return refused if refused is not None else self.ptz(command)

    def _refused(self, session: Session | None, permission: Permission, target: str,
                 cameras: tuple[str, ...] = (), alarm: Alarm | None = None
                 ) -> Future[Any] | None:
        """None when the gate lets `session` do it (decided here, in memory); else a future
        that fails with the refusal once it is logged (the log waits for the disk: never
        on the caller's thread)."""
        reason = self.gate.why_not(session, permission, cameras, alarm)
        if reason is None:
            return None
        return self._audit_io.submit(self.gate.refuse, session, permission, target, reason,
                                     cameras)

    def audit_as(self, session: Session | None, action: str, target: str,
                 detail: str = "") -> Future[None]:
        """An act of a signed-in person that the access log keeps (a snapshot taken...)."""
        def logged() -> None:
            who = self.gate.check(session, Permission.WATCH_LIVE, target)
            u = who.user
            self.journal.record_action(OperatorAction(
                utc_now(), u.login, action, target, detail, user_name=u.name,
                role=u.role.value, workstation=who.workstation))

        return self._audit_io.submit(logged)

    def consult_recordings(self, consultation: Consultation) -> Future[GrantTicket | None]:
        return self.consult_recordings_as(self.session, consultation)

    def consult_recordings_as(self, session: Session | None, consultation: Consultation
                              ) -> Future[GrantTicket | None]:
        """Log a consultation of recorded video durably, off the caller's thread; the
        future fails with Refused (no purpose, role, territory, locked) or
        JournalUnavailable (not logged), and then nothing may be shown. Logged, it gives
        a seat of a room the grant to read the service's recordings (None: this console
        reads its own files)."""
        def logged() -> GrantTicket | None:
            c = checked(consultation)
            who = self.gate.check(session, Permission.REPLAY, c.target, cameras=c.cameras)
            self.journal.record_action(c.action(who, utc_now()))
            if self.share is None or not session or not session.id:
                return None
            return self.share.grants.issue(who.user.login, c.cameras, c.start, c.end,
                                           self.share_url)

        return self._audit_io.submit(logged)

    # -- evidence export ----------------------------------------------------------------------
    def export_evidence(self, request: ExportRequest, progress: Progress,
                        cancel: threading.Event) -> Future[ExportResult]:
        return self.export_evidence_as(self.session, request, progress, cancel)

    def export_evidence_as(self, session: Session | None, request: ExportRequest,
                           progress: Progress, cancel: threading.Event,
                           folder: Path | None = None) -> Future[ExportResult]:
        """Export evidence off the caller's thread (app/services/evidence/export.py). The
        extraction is logged with its recipients, and the hold placed if asked, BEFORE a
        byte is written; the future fails with Refused, JournalUnavailable, or an
        EvidenceError about the folder (then nothing is logged or written), EvidenceError or
        EvidenceCancelled (nothing left on disk). How it ended is logged too, with the
        manifest's SHA-256 (the log then names the package). One export runs at a time: one
        asked while another runs reports the step "waiting" until its turn."""
        with self._exports_lock:
            busy = self._exports_asked > 0
            self._exports_asked += 1
        if busy:
            progress(0.0, "waiting")
        try:
            return self._export_io.submit(self._export_one, session, request, progress,
                                          cancel, folder)
        except RuntimeError:  # the console is stopping: no new export
            with self._exports_lock:
                self._exports_asked -= 1
            raise

    def _export_one(self, session: Session | None, request: ExportRequest,
                    progress: Progress, cancel: threading.Event,
                    folder: Path | None) -> ExportResult:
        with self._exports_lock:
            self._export_cancels.add(cancel)
        try:
            if self._exports_stopping.is_set():
                cancel.set()
            if cancel.is_set():  # cancelled while waiting its turn: nothing was begun
                raise EvidenceCancelled("cancelled before it began: nothing logged, "
                                        "nothing written")
            return self._export(session, request, progress, cancel, folder)
        finally:
            with self._exports_lock:
                self._export_cancels.discard(cancel)
                self._exports_asked -= 1

    def _export(self, session: Session | None, request: ExportRequest, progress: Progress,
                cancel: threading.Event, folder: Path | None) -> ExportResult:
        r = checked_export(request)
        who = self.gate.check(session, Permission.EXPORT, r.target, cameras=r.cameras)
        if r.hold:
            self.gate.check(session, Permission.HOLD, r.target, cameras=r.cameras)
        key = self._export_key()  # no key: nothing logged, nothing written
        root = folder or self.site.export.folder_path()
        check_folder(root)  # likewise a folder that cannot take it, or has not the room
        check_room(root, needed_bytes(r, self.journal, self.site.export.privacy_masks))
        now = utc_now()
        self.journal.record_action(r.action(who, now))
        hold_id = self.journal.place_hold(
            Hold(r.reference.strip(), who.user.login, now, r.start, r.end, r.cameras,
                 note=f"export for {r.recipient}"), who.workstation) if r.hold else None
        exporter = Exporter(who.user.login, who.user.name, who.user.role.value,
                            who.workstation)

        def ended(how: str, detail: str) -> None:
            with contextlib.suppress(Exception):  # the extraction itself is logged already
                self.journal.record_action(access_row(
                    who, utc_now(), how, r.target, [detail], r.purpose, r.cameras, r.start,
                    r.end, (r.recipient.strip(),)))

        try:
            result = run_export(r, site=self.site, journal=self.journal, key=key,
                                exporter=exporter, software_version=console_version(),
                                progress=progress, cancel=cancel, folder=folder,
                                callsigns={o.id: o.callsign
                                           for o in list(self.officers.values())},
                                cameras={c.id: (c.name, c.kind.value)
                                         for c in list(self.cameras.values())},
                                hold_id=hold_id)
        except EvidenceCancelled:
            ended(EXPORT_CANCELLED, "the console was stopped during the export: nothing kept"
                  if self._exports_stopping.is_set()
                  else "cancelled by the user: nothing kept")
            raise
        except Exception as e:
            ended(EXPORT_FAILED, f"{e}: nothing kept")
            raise
        ended(EXPORT_DONE, f"{result.folder.name}; manifest sha256 "
                           f"{hashlib.sha256(result.manifest.to_bytes()).hexdigest()}")
        return result

    def _stop_exports(self) -> None:
        """The console stops: the running export is cancelled (its FFmpeg killed, its
        partial folder removed, its end logged while the journal is open), those waiting
        never start; returns once it has ended."""
        self._exports_stopping.set()
        with self._exports_lock:
            for cancel in self._export_cancels:
                cancel.set()
        self._export_io.shutdown(wait=True, cancel_futures=True)

    def _sweep_partial_exports(self) -> None:
        """What a console killed mid-export left (never a whole package) goes, said in the
        log: an export folder holds only whole packages and the one being written."""
        folder = self.site.export.folder_path()
        removed = sweep_partials(folder)
        if not removed:
            return
        words = (f"removed {len(removed)} half-written export(s) in {folder}, left by a "
                 "console stopped in the middle of an export (killed or a power cut); they "
                 f"were never complete packages: {', '.join(removed)}")
        log.warning("%s", words)
        with contextlib.suppress(Exception):  # the access log tells the story's end too
            self.journal.record_action(OperatorAction(utc_now(), "system", PARTIALS_SWEPT,
                                                      "exports", words))

    def _export_key(self) -> ExportKey:
        if not self.export_key_on_demand:
            return load_export_key(self.site)
        # the demo's key is a file in the user's data folder: a newcomer's machine may have
        # no usable keyring, and the demo must export all the same
        site = self.site if self.site.export.key_file else self.site.model_copy(update={
            "export": self.site.export.model_copy(update={
                "key_file": str(default_exports().parent / "demo-export-key.pem")})})
        if not export_key_exists(site):
            log.warning("the demo has no export key yet: making one")
            init_export_key(site)
        return load_export_key(site)

    # -- replay: incidents, the past of the journal, where recordings come from --------------
    def incidents(self) -> Future[list[Incident]]:
        return self.incidents_as(self.session)

    def incidents_as(self, session: Session | None) -> Future[list[Incident]]:
        """The latest incidents, for a person who may replay."""
        def read() -> list[Incident]:
            self.gate.check(session, Permission.REPLAY, "incidents")
            return self.journal.incidents()

        return self._replay_io.submit(read)

    def save_incident(self, incident: Incident) -> Future[int]:
        return self.save_incident_as(self.session, incident)

    def save_incident_as(self, session: Session | None, incident: Incident) -> Future[int]:
        """Store a new or changed incident (its author is the person signed in)."""
        def write() -> int:
            who = self.gate.check(session, Permission.REPLAY, "incidents",
                                  cameras=incident.cameras)
            made = incident if incident.id else replace(incident,
                                                        created_by=who.user.login)
            return self.journal.save_incident(made)

        return self._replay_io.submit(write)

    def add_bookmark(self, bookmark: Bookmark) -> Future[int]:
        return self.add_bookmark_as(self.session, bookmark)

    def add_bookmark_as(self, session: Session | None, bookmark: Bookmark) -> Future[int]:
        def write() -> int:
            who = self.gate.check(session, Permission.REPLAY,
                                  f"incident:{bookmark.incident_id}")
            return self.journal.add_bookmark(replace(bookmark, by=who.user.login))

        return self._replay_io.submit(write)

    def bookmarks(self, incident_id: int) -> Future[list[Bookmark]]:
        return self.bookmarks_as(self.session, incident_id)

    def bookmarks_as(self, session: Session | None, incident_id: int
                     ) -> Future[list[Bookmark]]:
        def read() -> list[Bookmark]:
            self.gate.check(session, Permission.REPLAY, f"incident:{incident_id}")
            return self.journal.bookmarks(incident_id)

        return self._replay_io.submit(read)

    def replay_history(self, start: datetime, end: datetime,
                       officers: Sequence[str] | None = None) -> Future[ReplayHistory]:
        """What the journal says happened over [start, end] (positions, alarms, acts),
        read off the caller's thread for a person who may replay."""
        def read() -> ReplayHistory:
            self.gate.check(self.session, Permission.REPLAY, "replay")
            return ReplayHistory.load(self.journal, start, end, officers)

        return self._replay_io.submit(read)

    def replay_sources(self, local: ReplaySource | None, grant: GrantTicket | None = None
                       ) -> ReplaySources:
        """`local` (the console's own recordings: by default its journal's index) and every
        VMS that can play back (a grant is for a seat of a room: this console reads its own
        files)."""
        vms: list[VmsSource] = []
        for adapter in list(self.host.adapters.values()):
            if Capability.PLAYBACK not in adapter.capabilities:
                continue
            try:
                source = adapter.replay_source()
            except Exception as exc:  # a VMS misconfigured: replay from the others
                log.error("replay: %s cannot play back: %s", adapter.name, exc)
                continue
            if source is not None:
                vms.append(source)
        return ReplaySources(local if local is not None else LocalSource(self.journal), vms)

    def read_access_log(self, query: AccessLogQuery) -> Future[list[AuditRow]]:
        return self.read_access_log_as(self.session, query)

    def read_access_log_as(self, session: Session | None, query: AccessLogQuery
                           ) -> Future[list[AuditRow]]:
        """A page of the access log for a chief (reading it is logged, once per search:
        the first page)."""
        def read() -> list[AuditRow]:
            who = self.gate.check(session, Permission.READ_ACCESS_LOG, "access_log")
            if query.before_id is None:
                u = who.user
                self.journal.record_action(OperatorAction(
                    utc_now(), u.login, "access_log_viewed", "access_log", describe(query),
                    user_name=u.name, role=u.role.value, workstation=who.workstation,
                    cameras=(query.camera,) if query.camera else (),
                    range_start=query.start, range_end=query.end))
            return self.journal.audit_page(query)

        return self._audit_io.submit(read)

    def audit(self, actor: str, action: str, target: str, detail: str = "") -> Future[None]:
        """Record an operator action off the caller's thread (the GUI never waits on disk),
        as the person signed in (their name, role and workstation with it)."""
        if self.session is not None:
            return self.audit_as(self.session, action, target, detail)
        return self._audit_io.submit(self.journal.audit, actor, action, target, detail)

    def current_alarms(self) -> list[Alarm]:
        """The alarm service's alarms as stored now, from any thread: `list()` copies the
        book's values in one step under the GIL, while the service thread may be adding."""
        return list(self.alarms.book.by_id.values())

    def open_bodycam(self, decision: Decision, operator: str, via: str,
                     reason: str = "") -> Future[None]:
        """Log a live body-cam viewing durably, off the caller's thread; the future fails
        with BodyCamRefused when it may not be shown (no reason, the log not written), or
        Refused when the signed-in person may not see it (role, territory, locked)."""
        return self.open_bodycam_as(self.session, decision, operator, via, reason)

    def open_bodycam_as(self, session: Session | None, decision: Decision, operator: str,
                        via: str, reason: str = "") -> Future[None]:
        def gated() -> None:
            if decision.is_body:
                self.gate.check(session, Permission.VIEW_BODYCAM_LIVE,
                                f"camera:{decision.camera.id}", cameras=(decision.camera.id,))
            self.bodycams.open(decision, operator, via, reason, session=session)

        return self._audit_io.submit(gated)

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
        elif isinstance(event, OfficerAnnounced):
            self.officers = {**self.officers, event.officer.id: event.officer}

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
        self.started_at = utc_now()  # what was raised before is of an earlier run
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
        if self.recorder is not None:
            self.recorder.start()  # before the cameras are announced: it hears them
        if self.share is not None:
            port = self.share.start()
            host = (self.site.recording.share_address() or ("", 0))[0]
            # the address it listens on, when it names one; else this machine's name
            reach = host if host not in ("", "0.0.0.0", "::") else socket.gethostname()
            self.share_url = self.site.recording.share_url or f"http://{reach}:{port}"
            log.info("recordings shared with the seats at %s", self.share_url)
        for cam in self.site.cameras:
            self.hub.post(CameraAnnounced(cam.to_camera()))
        for off in self.site.officers:
            self.hub.post(OfficerAnnounced(off.to_officer()))
        self.host.start()
        self.retention.start()
        self._export_io.submit(self._sweep_partial_exports)  # before any export, off the GUI
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
        self._stop_exports()  # first: its end is logged while the journal is open
        if self._started:
            self._started = False
            self.retention.stop()
            if self.recorder is not None:
                self.recorder.stop()  # its last segments indexed, its state journaled
            if self.share is not None:
                self.share.stop()
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
            self._replay_io.shutdown(wait=False, cancel_futures=True)
            self.journal.close()
