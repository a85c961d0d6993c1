"""One wall and what the operator does on it: open cameras (through the body-cam gate),
layouts, tours, tile tools, and its layout saved per user and restored at start.

The main window holds one desk per wall (the main one, and the detached second wall),
so the same rules apply on both. A layout restored at start never reopens a body camera
by itself: live viewing needs a reason each time (CSI L241-2), so those tiles stay empty.
"""

from __future__ import annotations

import concurrent.futures
import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core.adapter import PtzCommand
from app.core.layouts import Layout
from app.core.model import Camera, CameraKind
from app.ui.world import World
from widgets.bodycam_reason import BodyCamGate
from widgets.video.layouts import current_layout, save_current
from widgets.video.tools import TileTools
from widgets.video.tours import TourSet
from widgets.video.wall import VideoWall

log = logging.getLogger(__name__)

DEFAULT_KIND = "3x3"


class WallDesk(QObject):
    message = Signal(str)  # a line for the status bar

    def __init__(self, wall: VideoWall, key: str, world: World, gate: BodyCamGate, *,
                 operator: Callable[[], str], snapshot_dir: Path,
                 ptz: Callable[[PtzCommand], concurrent.futures.Future[Any]] | None,
                 audit: Callable[[str, str, str], object] | None,
                 fill_by_default: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wall, self.key, self.world, self.gate = wall, key, world, gate
        self.tools = TileTools(wall, operator=operator, snapshot_dir=snapshot_dir,
                               ptz=ptz, audit=audit)
        self.tours = TourSet(wall, world.cameras.get, self)
        self.tools.message.connect(self.message)
        saved = current_layout(key)
        self._pending: dict[int, str] = {}
        self._fill_by_default = fill_by_default and saved is None
        self._restoring = False
        if saved is not None:
            wall.set_layout(saved.kind)
            self._pending = {i: c for i, c in enumerate(saved.cameras) if c}
        else:
            wall.set_layout(DEFAULT_KIND if fill_by_default else "2x2")
        wall.camera_dropped.connect(lambda cid, i: self.open_camera(cid, i, via="drag"))
        wall.layout_changed.connect(self.save)

    # --- what the operator does ---------------------------------------------------------

    def open_camera(self, camera_id: str, index: int | None = None, *,
                    via: str = "camera list") -> bool:
        """Show a camera in a tile (default: the tile the operator is on), a body camera
        only with a reason, once its viewing is logged. False: refused or cancelled."""
        cam = self.world.cameras.get(camera_id)
        if cam is None:
            return False
        where = self.wall.current_index() if index is None else index
        return self.gate.request(cam, via, lambda: self._show_at(cam, where))

    def _show_at(self, cam: Camera, index: int) -> None:
        if index >= self.wall.tile_count:
            return  # the layout changed meanwhile
        self.tours.stop(index)
        self._pending.pop(index, None)
        self.wall.show_camera(cam, index)

    def set_kind(self, kind: str) -> None:
        self.wall.set_layout(kind)
        for index in [i for i in self.tours.tours if i >= self.wall.tile_count]:
            self.tours.stop(index)

    def apply_layout(self, layout: Layout) -> None:
        """Show a named layout; each body camera in it asks for its reason."""
        self.tours.stop_all()
        self._pending.clear()
        self._fill_by_default = False
        self.wall.set_layout(layout.kind)
        cams: list[Camera | None] = []
        bodies: list[tuple[int, Camera]] = []
        missing = 0
        for index, cid in enumerate(layout.cameras):
            cam = self.world.cameras.get(cid) if cid else None
            if cid and cam is None:
                missing += 1
            if cam is not None and self.gate.decide(cam).is_body:
                bodies.append((index, cam))  # shown once its reason is given and logged
                cam = None
            cams.append(cam)
        self.wall.show_cameras(cams)
        for index, cam in bodies:
            self.gate.request(cam, f"layout {layout.name!r}",
                              functools.partial(self._show_at, cam, index))
        if missing:
            self.message.emit(self.tr("Layout %1: %2 camera(s) unknown here").replace(
                "%1", layout.name).replace("%2", str(missing)))

    def layout(self, name: str = "") -> Layout:
        """The wall as a layout (pending restored cameras included)."""
        ids = list(self.wall.camera_ids())
        for index, cid in self._pending.items():
            if index < self.wall.tile_count:
                ids += [""] * (index + 1 - len(ids))
                ids[index] = ids[index] or cid
        while ids and not ids[-1]:
            ids.pop()
        return Layout(name or self.key, self.wall.kind, tuple(ids))

    def save(self) -> None:
        if not self._restoring:
            save_current(self.key, self.layout())

    def start_tour(self, camera_ids: list[str], dwell_s: float) -> bool:
        index = self.wall.current_index()
        tour = self.tours.start(index, camera_ids, dwell_s)
        if tour is None:
            self.message.emit(self.tr("No camera to tour (body cameras are never toured)"))
            return False
        self.message.emit(self.tr("Tour on tile %1: %2 cameras, %3 s each").replace(
            "%1", str(index + 1)).replace("%2", str(len(tour.camera_ids))).replace(
            "%3", f"{tour.dwell_s:g}"))
        return True

    def toggle_tour(self) -> None:
        index = self.wall.current_index()
        paused = self.tours.toggle_pause(index)
        if paused is None:
            self.message.emit(self.tr("No tour on this tile"))
        else:
            self.message.emit(self.tr("Tour paused") if paused else self.tr("Tour resumed"))

    def stop_tour(self) -> None:
        self.tours.stop(self.wall.current_index())

    # --- the world ----------------------------------------------------------------------

    def on_cameras(self, cameras: list[Camera]) -> None:
        """Cameras announced: callsigns, the restored layout, or the first-start fill."""
        for cam in cameras:
            officer = self.world.officer_of_camera(cam.id)
            if officer is not None:
                self.wall.set_callsign(cam.id, officer.callsign)
        if self._fill_by_default:
            fixed = sorted((c for c in self.world.cameras.values()
                            if c.kind is CameraKind.FIXED), key=lambda c: c.id)
            if fixed:
                self._fill_by_default = False
                self.wall.show_cameras(list(fixed[: self.wall.tile_count]))
        if not self._pending:
            return
        self._restoring = True  # a partial wall must not overwrite the saved one
        try:
            for index, cid in list(self._pending.items()):
                known = self.world.cameras.get(cid)
                if known is None or index >= self.wall.tile_count:
                    continue
                cam = known
                del self._pending[index]
                if cam.kind is CameraKind.BODY:
                    log.info("restored layout: body cam %s not reopened (needs a reason)",
                             cid)
                    self.message.emit(self.tr(
                        "%1 was on the wall: body cameras are not reopened without a reason")
                        .replace("%1", cam.name))
                    continue
                self.wall.show_camera(cam, index)
        finally:
            self._restoring = False
