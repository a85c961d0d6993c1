"""Everything a seat shows about its room, in one place the main window composes: the red
band and its chip, and which parts of the window are stale while the link is lost.

Database lost: nothing the seat shows is updated any more (alarms, positions, connected
systems, seats), and the alarm buttons are greyed with the reason. Service lost (the
database answers): alarms can still be handled and other seats' actions still arrive, but
positions and the systems' states come from the service: the map and the connected-systems
panel are stale, the alarm table is not. Nothing is cleared: the seat keeps what it shows.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QWidget

from app.core.events import RoomStatus, SeatInfo
from app.ui.bridge import HubBridge
from widgets.adapter_panel import AdapterPanel
from widgets.alarms import AlarmDock
from widgets.room_banner import RoomBanner, commands_blocked_reason
from widgets.stale_frame import StaleFrame


def _alarms_stale(time: str) -> str:
    return QCoreApplication.translate(
        "RoomView", "Not updated since {0}: the room's database cannot be reached. The "
        "alarms are shown as they were then, and can be acted on again once it is back."
    ).format(time)


def _map_stale(time: str) -> str:
    return QCoreApplication.translate(
        "RoomView", "Positions not updated since {0}: officers are shown where they were "
        "then.").format(time)


def _systems_stale(time: str) -> str:
    return QCoreApplication.translate(
        "RoomView", "Not updated since {0}: states as they were then.").format(time)


class RoomView(QObject):
    """Wraps the alarm desk, the map and the connected-systems panel in stale frames (dock
    these frames), and follows the bridge's room signals."""

    def __init__(self, bridge: HubBridge, alarms: AlarmDock, map_view: QWidget,
                 systems: AdapterPanel, parent: QWidget) -> None:
        super().__init__(parent)
        self._alarms = alarms
        self.banner = RoomBanner(parent)
        self.alarm_frame = StaleFrame(alarms, _alarms_stale, dim=alarms.queue.view)
        self.map_frame = StaleFrame(map_view, _map_stale, dim=map_view)
        self.systems_frame = StaleFrame(systems, _systems_stale, dim=systems)
        world = bridge.world
        if world.is_room:
            self._on_seats(world.seats or ())
        if not (world.room.database_ok and world.room.service_ok):
            self.show_status(world.room)
        bridge.seats_changed.connect(self._on_seats)
        bridge.room_changed.connect(self.show_status)

    def _on_seats(self, _seats: tuple[SeatInfo, ...]) -> None:
        self.banner.in_room()

    def show_status(self, status: RoomStatus) -> None:
        self.banner.update_status(status)
        database_since: datetime | None = None if status.database_ok else status.since
        feed_since = database_since or (None if status.service_ok else status.since)
        self.alarm_frame.set_stale(database_since)
        self.map_frame.set_stale(feed_since)
        self.systems_frame.set_stale(feed_since)
        self._alarms.set_blocked(commands_blocked_reason(status))

    def retranslate(self) -> None:
        """The alarm buttons' reason is a sentence in the operator's language."""
        if self.banner.status is not None:
            self._alarms.set_blocked(commands_blocked_reason(self.banner.status))
