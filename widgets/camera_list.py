"""The camera list the operator picks from: searchable, grouped by site zone, with each
camera's state as the world's camera health knows it: online, offline (with why in the
tooltip) or unknown (not seen yet by a tile or the camera's adapter: never shown online).
A camera is dragged onto a wall tile, or chosen with a double-click / Enter (it goes to
the wall's current tile).

It only *asks* for a camera (`camera_chosen`); the window opens it, because a body camera
needs a reason first (CSI L241-2).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QKeyEvent,
    QPainter,
    QPixmap,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from app.core.model import Camera, CameraKind
from app.ui.world import Health, World
from widgets.video.wall import camera_mime

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
HEALTH_ROLE = Qt.ItemDataRole.UserRole + 3  # "online", "offline" or "unknown"
# the body cameras' group: a key no zone of a site can be (its header is translated)
BODY_GROUP = "\x00body"
ONLINE = QColor("#43a047")
OFFLINE = QColor("#e53935")
UNKNOWN = QColor("#78909c")
# online: the palette's own text colour (dark or light theme); the others dimmed
TEXT = {Health.OFFLINE: QColor("#8a8f96"), Health.UNKNOWN: QColor("#9aa3ad")}


def _dot(colour: QColor) -> QIcon:
    """A round status dot (a plain colour decoration would paint a tall bar)."""
    pix = QPixmap(12, 12)
    pix.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pix)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(colour)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(2, 2, 8, 8)
    painter.end()
    return QIcon(pix)


class _CameraModel(QStandardItemModel):
    """Zones as parents, cameras as children; camera rows drag their id."""

    def mimeTypes(self) -> list[str]:
        return ["text/plain"]

    def mimeData(self, indexes: Sequence[QModelIndex | QPersistentModelIndex]) -> QMimeData:
        ids = [str(i.data(CAMERA_ID_ROLE)) for i in indexes if i.data(CAMERA_ID_ROLE)]
        return camera_mime(ids[0] if ids else "")


class CameraList(QWidget):
    camera_chosen = Signal(str)  # camera id

    def __init__(self, world: World, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraList")
        self.world = world
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.model = _CameraModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(Qt.ItemDataRole.ToolTipRole)  # name, id, zone, wearer
        self.model.setSortRole(SORT_ROLE)
        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.doubleClicked.connect(self._choose)
        self.view.installEventFilter(self)
        self.search.installEventFilter(self)  # Down, Enter, Escape: see eventFilter
        self.search.textChanged.connect(self._filter)
        col = QVBoxLayout(self)
        col.setContentsMargins(2, 2, 2, 2)
        col.addWidget(self.search)
        col.addWidget(self.view, 1)
        self._zones: dict[str, QStandardItem] = {}
        self._dots = {Health.ONLINE: _dot(ONLINE), Health.OFFLINE: _dot(OFFLINE),
                      Health.UNKNOWN: _dot(UNKNOWN)}
        self._items: dict[str, QStandardItem] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Search cameras (Ctrl+Shift+F)"))
        for zone, item in self._zones.items():
            item.setText(self._zone_text(zone))
            item.setToolTip(self._zone_text(zone))
        for cam_id in self._items:
            self._update(cam_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def update_recording(self, camera_ids: list[str]) -> None:
        """The recorder's state changed for these cameras (from the bridge)."""
        for cam_id in camera_ids:
            if cam_id in self._items:
                self._update(cam_id)

    def update_cameras(self, cameras: list[Camera]) -> None:
        """Cameras announced or changed (online state too), from the bridge."""
        for cam in cameras:
            if cam.id not in self._items:
                body = cam.kind is CameraKind.BODY
                zone = self._zone_item(BODY_GROUP if body else cam.zone, last=body)
                item = QStandardItem()
                item.setEditable(False)
                item.setData(cam.id, CAMERA_ID_ROLE)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsDragEnabled)
                zone.appendRow(item)
                zone.sortChildren(0)
                self._items[cam.id] = item
            self._update(cam.id)
        self.model.sort(0)
        self.view.expandAll()

    def selected_ids(self) -> list[str]:
        """Camera ids selected in the list, in display order (to build a tour)."""
        rows = sorted(self.view.selectionModel().selectedIndexes(),
                      key=lambda i: (i.parent().row(), i.row()))
        return [str(i.data(CAMERA_ID_ROLE)) for i in rows if i.data(CAMERA_ID_ROLE)]

    def visible_ids(self) -> list[str]:
        """Camera ids the search leaves shown."""
        out: list[str] = []
        for z in range(self.proxy.rowCount()):
            parent = self.proxy.index(z, 0)
            out += [str(self.proxy.index(r, 0, parent).data(CAMERA_ID_ROLE))
                    for r in range(self.proxy.rowCount(parent))]
        return out

    # --- internals --------------------------------------------------------------------

    def _zone_item(self, zone: str, *, last: bool = False) -> QStandardItem:
        item = self._zones.get(zone)
        if item is None:
            item = QStandardItem(self._zone_text(zone))
            item.setData(f"{'~' if last else ''}{zone}", SORT_ROLE)  # body cams below zones
            item.setEditable(False)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            font = item.font()
            font.setBold(True)
            item.setFont(font)
            item.setToolTip(self._zone_text(zone))
            self._zones[zone] = item
            self.model.appendRow(item)
        return item

    def _zone_text(self, zone: str) -> str:
        """A group's header in the operator's language (a zone's name: as the site says)."""
        if zone == BODY_GROUP:
            return self.tr("Body cameras")
        return zone or self.tr("No zone")

    def _update(self, cam_id: str) -> None:
        cam, item = self.world.cameras.get(cam_id), self._items[cam_id]
        if cam is None:
            return
        health = self.world.camera_health.state(cam_id)
        why = self.world.camera_health.detail(cam_id)
        wearer = self.world.officer_of_camera(cam_id)
        name = cam.name
        if wearer is not None and wearer.callsign not in name:
            name += f" — {wearer.callsign}"
        item.setData(name, SORT_ROLE)
        item.setData(str(health), HEALTH_ROLE)
        match health:
            case Health.ONLINE:
                text, state = name, self.tr("online")
            case Health.OFFLINE:
                text, state = self.tr("%1 (offline)").replace("%1", name), self.tr("offline")
            case _:
                text, state = name, self.tr("state unknown (not seen yet)")
        rec = self.world.recording.get(cam_id)
        recording = ""
        if rec is not None and rec.state == "recording":
            text += "  ● REC"
            recording = self.tr("recorded by this console")
        elif rec is not None and rec.state in ("gap", "disk_full", "error"):
            text += "  REC ✕"
            recording = self.tr("not recording: %1").replace("%1", rec.detail or rec.state)
        item.setText(text)
        if health in TEXT:
            item.setForeground(QBrush(TEXT[health]))
        else:
            item.setData(None, Qt.ItemDataRole.ForegroundRole)
        item.setIcon(self._dots[health])
        item.setToolTip(" ".join(p for p in [cam.name, cam.id, cam.zone,
                                             wearer.callsign if wearer else "", state, why,
                                             recording] if p))

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self.view.expandAll()

    def _choose(self, index: QModelIndex) -> None:
        cam_id = index.data(CAMERA_ID_ROLE)
        if cam_id:
            self.camera_chosen.emit(str(cam_id))

    def _camera_rows(self) -> list[QModelIndex]:
        """The cameras the search leaves shown, top to bottom (zone headers skipped)."""
        out: list[QModelIndex] = []
        for z in range(self.proxy.rowCount()):
            parent = self.proxy.index(z, 0)
            out += [self.proxy.index(r, 0, parent) for r in range(self.proxy.rowCount(parent))]
        return out

    def _target(self) -> QModelIndex:
        """What Enter in the search opens: the current camera if still shown, else the
        first camera listed."""
        current = self.view.currentIndex()
        if current.isValid() and current.data(CAMERA_ID_ROLE):
            return current
        rows = self._camera_rows()
        return rows[0] if rows else QModelIndex()

    def _to_list(self) -> None:
        """Down in the search: into the list, on the camera Enter would open."""
        target = self._target()
        if target.isValid():
            self.view.setCurrentIndex(target)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier)  # Ctrl+Enter: the wall's
        if watched is self.view and enter:
            self._choose(self.view.currentIndex())
            return True
        if watched is self.view and key == Qt.Key.Key_Up and not event.modifiers():
            rows = self._camera_rows()
            if rows and self.view.currentIndex() == rows[0]:
                self.search.setFocus(Qt.FocusReason.OtherFocusReason)  # back up to typing
                return True
        if watched is self.search:
            if enter:
                self._choose(self._target())
                return True
            if key == Qt.Key.Key_Down:
                self._to_list()
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)
