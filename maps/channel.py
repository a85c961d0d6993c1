"""The QObject the map page talks to through QWebChannel (registered as ``csu``).

The page calls these slots; they only re-emit Qt signals, so nothing the page sends is
trusted beyond its type: the view checks kinds and ids before telling the application.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot


class MapBridge(QObject):
    """Page → Python: clicks, view changes, and the page saying its module is wired.

    Slot names are camelCase because they are the JavaScript-facing API.
    """

    marker_clicked = Signal(str, str)  # kind ("officer" | "camera" | "alarm"), id
    view_changed = Signal(float, float, int)  # lat, lon, zoom
    page_ready = Signal()
    context_requested = Signal(float, float, str, str)  # lat, lon, kind ("" = map), id
    follow_stopped = Signal()
    base_changed = Signal(str)
    item_pressed = Signal(str, str)  # kind, id: the left button went down on a marker

    @Slot(str, str)
    def clicked(self, kind: str, item_id: str) -> None:
        """A marker was clicked in the page."""
        self.marker_clicked.emit(kind, item_id)

    @Slot(float, float, int)
    def viewChanged(self, lat: float, lon: float, zoom: int) -> None:
        """The page's view settled after a pan or zoom."""
        self.view_changed.emit(lat, lon, zoom)

    @Slot(float, float, str, str)
    def contextMenu(self, lat: float, lon: float, kind: str, item_id: str) -> None:
        """Right-click in the page: on a marker (kind, id) or on the map ("", "")."""
        self.context_requested.emit(lat, lon, kind, item_id)

    @Slot()
    def followStopped(self) -> None:
        """The operator dragged the map or closed the follow box."""
        self.follow_stopped.emit()

    @Slot(str)
    def baseChanged(self, name: str) -> None:
        """The operator picked another base layer."""
        self.base_changed.emit(name)

    @Slot(str, str)
    def pressed(self, kind: str, item_id: str) -> None:
        """The left button went down on a marker (a camera may then be dragged out)."""
        self.item_pressed.emit(kind, item_id)

    @Slot()
    def pageReady(self) -> None:
        """console.js has its channel object: batches may now be sent."""
        self.page_ready.emit()
