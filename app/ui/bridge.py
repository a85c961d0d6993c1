"""Moves hub events onto the GUI thread at a bounded rate, in batches.

Every 50 ms the bridge drains its subscription and emits one signal per kind of change:
positions are coalesced (latest per officer), alarms are never dropped (the latest state of
each alarm in the batch is delivered, new ones flagged), other changes come as lists. What
lies outside the signed-in person's territory never passes (app/ui/visibility).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.events import (
    AdapterStatus,
    AlarmChanged,
    BodyCamLiveChanged,
    CameraAnnounced,
    CameraStatusChanged,
    Event,
    JournalStatus,
    OfficerAnnounced,
    OfficerStatusChanged,
    PositionReported,
    RecordingStateChanged,
    RoomStatus,
    SeatsChanged,
)
from app.core.hub import Hub
from app.core.model import Alarm, Camera, Officer, PositionFix
from app.ui.visibility import Visibility
from app.ui.world import World

log = logging.getLogger(__name__)

MAX_EVENTS_PER_TICK = 20_000


class HubBridge(QObject):
    alarms_changed = Signal(list)  # list[Alarm], latest state of each changed alarm
    # list[Alarm] that are new or occurred again (for sound and flashing)
    alarms_raised = Signal(list)
    positions_changed = Signal(list)  # list[PositionFix], latest per officer
    officers_changed = Signal(list)  # list[Officer]
    cameras_changed = Signal(list)  # list[Camera] announced or changed (online state too)
    bodycams_changed = Signal(list)  # list[BodyCamLiveChanged]
    adapters_changed = Signal(list)  # list[AdapterStatus]
    journal_changed = Signal(object)  # JournalStatus, the latest
    seats_changed = Signal(object)  # tuple[SeatInfo, ...], the latest list of the room
    room_changed = Signal(object)  # RoomStatus, the latest link to the room
    recording_changed = Signal(list)  # list[RecordingStateChanged], the latest per camera

    def __init__(self, hub: Hub, world: World, interval_ms: int = 50,
                 parent: QObject | None = None, visibility: Visibility | None = None
                 ) -> None:
        """`visibility`: what the person signed in may see (None: everything)."""
        super().__init__(parent)
        self.world = world
        self.visibility = visibility
        self._hub = hub
        self._sub = hub.subscribe("ui")
        self._timer = QTimer(self)
        self._timer.setObjectName("hub-bridge")
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.drain)
        self.delivered_alarms = 0
        self._seen: set[str] = set()  # cameras whose health a tile changed since the last batch

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._hub.unsubscribe(self._sub)

    def drain(self) -> None:
        events = self._sub.drain(MAX_EVENTS_PER_TICK)
        if events or self._seen:
            self.dispatch(events)

    def tile_seen(self, tile: str, camera_id: str, verdict: str, detail: str) -> None:
        """What a video tile shows now ("online", "offline", or "" for no evidence), from
        the walls: it goes into the world's camera health at once, and reaches the list,
        the map and the status bar with the next batch (never re-entering the wall)."""
        self._seen |= self.world.camera_health.tile_reported(tile, camera_id, verdict, detail)

    def dispatch(self, events: list[Event]) -> None:
        w = self.world
        alarms: dict[str, Alarm] = {}
        raised: dict[str, Alarm] = {}
        fixes: dict[str, PositionFix] = {}
        officers: dict[str, Officer] = {}
        cameras: dict[str, Camera] = {c: w.cameras[c] for c in self._seen if c in w.cameras}
        self._seen.clear()
        bodycams: list[BodyCamLiveChanged] = []
        adapters: list[AdapterStatus] = []
        journal: JournalStatus | None = None
        seats: SeatsChanged | None = None
        room: RoomStatus | None = None
        recording: dict[str, RecordingStateChanged] = {}
        if self.visibility is not None:  # another territory's: not in this window at all
            events = [e for e in events if self.visibility.shows(e)]
        for e in events:
            if isinstance(e, PositionReported):
                fixes[e.fix.officer_id] = e.fix
                w.fixes[e.fix.officer_id] = e.fix
            elif isinstance(e, AlarmChanged):
                alarms[e.alarm.id] = e.alarm
                if e.is_new or e.occurred:
                    raised[e.alarm.id] = e.alarm
            elif isinstance(e, OfficerAnnounced):
                w.officers[e.officer.id] = e.officer
                officers[e.officer.id] = e.officer
            elif isinstance(e, OfficerStatusChanged):
                o = w.set_status(e.officer_id, e.status)
                if o is not None:
                    officers[o.id] = o
            elif isinstance(e, CameraAnnounced):
                w.cameras[e.camera.id] = e.camera  # online: unknown until seen
                cameras[e.camera.id] = e.camera
            elif isinstance(e, CameraStatusChanged):
                if w.camera_health.adapter_reported(e.camera_id, e.online, e.detail) \
                        and e.camera_id in w.cameras:
                    cameras[e.camera_id] = w.cameras[e.camera_id]
            elif isinstance(e, BodyCamLiveChanged):
                (w.live_bodycams.add if e.live else w.live_bodycams.discard)(e.camera_id)
                bodycams.append(e)
            elif isinstance(e, AdapterStatus):
                w.adapters[e.adapter] = e
                adapters.append(e)
            elif isinstance(e, JournalStatus):
                journal = w.note_journal(e)
            elif isinstance(e, SeatsChanged):
                seats = e
                w.seats = e.seats
            elif isinstance(e, RoomStatus):
                room = w.room = e
            elif isinstance(e, RecordingStateChanged):
                recording[e.camera_id] = w.recording[e.camera_id] = e
        # Order matters: the world first, then alarms (which refer to officers and cameras).
        if cameras:
            self.cameras_changed.emit(list(cameras.values()))
        if officers:
            self.officers_changed.emit(list(officers.values()))
        if fixes:
            self.positions_changed.emit(list(fixes.values()))
        if bodycams:
            self.bodycams_changed.emit(bodycams)
        if adapters:
            self.adapters_changed.emit(adapters)
        if journal is not None:
            self.journal_changed.emit(journal)
        if seats is not None:
            self.seats_changed.emit(seats.seats)
        if room is not None:
            self.room_changed.emit(room)
        if recording:
            self.recording_changed.emit(list(recording.values()))
        if alarms:
            self.delivered_alarms += len(alarms)
            self.alarms_changed.emit(list(alarms.values()))
        if raised:
            self.alarms_raised.emit(list(raised.values()))
