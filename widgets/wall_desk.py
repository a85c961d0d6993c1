"""One wall and what the operator does on it: open cameras (through the body-cam gate),
layouts, tours, tile tools, and its layout saved per user and restored at start.

The main window holds one desk per wall (the main one, and the detached second wall),
so the same rules apply on both. A layout restored at start never reopens a body camera
by itself: live viewing needs a reason each time (CSI L241-2), so those tiles stay empty.

The rules that keep the wall from rearranging itself behind the operator's back:
- a task (an alarm's cameras, the cameras near a point, following an officer) gets a wall
  of its own, sized to its cameras; the wall the operator had before is kept and comes
  back with one key (`PREVIOUS_WALL_KEY`); another task replaces the task's wall, never
  the kept one. Half-overwriting the operator's wall left stale tiles and duplicates.
- a camera is never on two tiles of one wall by accident: opening one that is already
  there moves the focus to it, dropping it on another tile moves it there (a swap);
  a duplicate costs a second decode and makes two tiles look like two places. Tours are
  the operator's explicit choice and may pass over a camera shown elsewhere.
- a saved layout never shows another place under its saved name: a tile whose camera id
  now names another camera stays empty, says "was <name>", and the status bar says why.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from app.core.adapter import PtzCommand
from app.core.layouts import MAX_TILES, Layout, kind_for
from app.core.model import Alarm, Camera, CameraKind
from app.ui.labels import key_name
from app.ui.world import World
from widgets.bodycam_reason import BodyCamGate
from widgets.video.layouts import current_layout, previous_layout, save_current, save_previous
from widgets.video.tools import TileTools
from widgets.video.tours import TourSet
from widgets.video.wall import VideoWall

log = logging.getLogger(__name__)

DEFAULT_KIND = "3x3"
PREVIOUS_WALL_KEY = "Ctrl+Backspace"  # brings back the wall a task replaced


class WallDesk(QObject):
    message = Signal(str)  # a line for the status bar

    def __init__(self, wall: VideoWall, key: str, world: World, gate: BodyCamGate, *,
                 operator: Callable[[], str], snapshot_dir: Path,
                 ptz: Callable[[PtzCommand], concurrent.futures.Future[Any]] | None,
                 audit: Callable[[str, str, str], object] | None,
                 fill_by_default: bool = True, site_name: str = "",
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.wall, self.key, self.world, self.gate = wall, key, world, gate
        self.site_name = site_name
        self.tools = TileTools(wall, operator=operator, snapshot_dir=snapshot_dir,
                               ptz=ptz, audit=audit)
        self.tours = TourSet(wall, world.cameras.get, self)
        self.tools.message.connect(self.message)
        saved = current_layout(key)
        # tiles of the restored layout waiting for their camera: index -> (id, saved name)
        self._pending: dict[int, tuple[str, str]] = {}
        self._pending_from = ""  # the restored layout's site ("" unknown)
        self._fill_by_default = fill_by_default and saved is None
        self._filled: tuple[str, ...] | None = None  # layout and cameras the last fill left
        self._restoring = False
        self._previous = previous_layout(key)  # the operator's wall a task replaced
        self._task = ""  # what the task wall shows now ("" : the operator's own wall)
        self._asking: set[str] = set()  # body cams whose viewing is being logged
        gate.access.refused.connect(self._asking.clear)  # a refusal ends its request
        if saved is not None:
            wall.set_layout(saved.kind)
            self._pending = {i: (c, saved.name_at(i)) for i, c in enumerate(saved.cameras)
                             if c}
            self._pending_from = saved.site
        else:
            wall.set_layout(DEFAULT_KIND if fill_by_default else "2x2")
        wall.camera_dropped.connect(lambda cid, i: self.open_camera(cid, i, via="drag"))
        wall.layout_changed.connect(self.save)

    # --- what the operator does ---------------------------------------------------------

    def open_camera(self, camera_id: str, index: int | None = None, *,
                    via: str = "camera list") -> bool:
        """Show a camera in a tile (default: the tile the operator is on), a body camera
        only with a reason, once its viewing is logged. False: refused or cancelled.
        Already on this wall: the focus goes to it, or a drop moves it (never twice)."""
        cam = self.world.cameras.get(camera_id)
        if cam is None:
            return False
        already = self.index_of(cam.id)
        if already is not None:
            if index is None or index == already:
                self._focus(already, cam)
            else:
                self.tours.stop(index)
                self.tours.stop(already)
                self.wall.swap(already, index)
            return True
        where = self.wall.current_index() if index is None else index
        return self.gate.request(cam, via, lambda: self._show_at(cam, where))

    def show_allowed(self, cam: Camera) -> None:
        """A camera the gate already let through (the map's body-cam path), in the tile the
        operator is on, by the same never-twice rule."""
        already = self.index_of(cam.id)
        if already is not None:
            self._focus(already, cam)
        else:
            self._show_at(cam, self.wall.current_index())

    def index_of(self, camera_id: str) -> int | None:
        """The tile of the layout that shows `camera_id`, if any."""
        return next((i for i, t in enumerate(self.wall.tiles())
                     if t.camera is not None and t.camera.id == camera_id), None)

    def _focus(self, index: int, cam: Camera) -> None:
        self.wall.tile(index).setFocus()
        self.message.emit(self.tr("%1 is already on tile %2").replace(
            "%1", cam.name).replace("%2", str(index + 1)))

    def _show_at(self, cam: Camera, index: int) -> None:
        if index >= self.wall.tile_count:
            return  # the layout changed meanwhile
        already = self.index_of(cam.id)
        if already is not None:  # arrived meanwhile (a body cam waits for its log row)
            if already != index:
                self._focus(already, cam)
            return
        self.tours.stop(index)
        self._pending.pop(index, None)
        self.wall.show_camera(cam, index)

    # --- a task's wall, and the operator's wall kept aside ---------------------------------

    def show_task(self, key: str, title: str, cameras: Sequence[Camera], *, via: str,
                  alarm: Alarm | None = None) -> bool:
        """Lay a task's cameras (first = most important: the big tile) on a wall of their
        own; the operator's wall is kept for `restore_previous`. A body camera comes only
        when the policy needs no reason for it here (the operator opens it by hand
        otherwise), once logged. The same task again does not re-lay its wall, it only
        brings back its cameras that are missing. False: no camera to show, the wall is left
        as it is."""
        cams: list[Camera] = []
        for cam in cameras:
            if all(c.id != cam.id for c in cams) and not self.gate.decide(cam, alarm).must_ask:
                cams.append(cam)
        cams = cams[:MAX_TILES]
        if not cams:
            return False
        task = f"{key}:{','.join(c.id for c in cams)}"
        if task != self._task:
            if self._previous is None:
                self._previous = self.layout(self.tr("Previous wall"))
                save_previous(self.key, self._previous)
            self._task = task
            self.tours.stop_all()
            self._pending.clear()
            self._fill_by_default = False
            self.wall.set_layout(kind_for(len(cams)))
            self.wall.show_cameras([None if self.gate.decide(c, alarm).is_body else c
                                    for c in cams])
            self.message.emit(self.tr("%1 — previous wall: %2").replace(
                "%1", title).replace("%2", key_name(PREVIOUS_WALL_KEY)))
        # the same task again (picked, then opened) only completes what is missing: nothing
        # restarts, a body cam on its way is not logged twice, a refused one is asked again
        for index, cam in enumerate(cams):
            if index >= self.wall.tile_count or self.index_of(cam.id) is not None:
                continue
            if self.gate.decide(cam, alarm).is_body:
                self._request_body(cam, via, index, alarm)
            else:
                self._show_at(cam, index)
        return True

    def _request_body(self, cam: Camera, via: str, index: int,
                      alarm: Alarm | None = None) -> None:
        if cam.id in self._asking:
            return

        def shown() -> None:
            self._asking.discard(cam.id)
            self._show_at(cam, index)

        self._asking.add(cam.id)
        if not self.gate.request(cam, via, shown, alarm):
            self._asking.discard(cam.id)
            self._mark_was(index, cam)  # no reason, no video: the tile says what it held

    def _mark_was(self, index: int, cam: Camera) -> None:
        if index < self.wall.tile_count and self.wall.tile(index).camera is None:
            self.wall.tile(index).set_badge(self.tr("was %1").replace("%1", cam.name))

    @property
    def previous(self) -> Layout | None:
        """The operator's wall kept aside while a task's wall is shown."""
        return self._previous

    def restore_previous(self) -> bool:
        """Bring back the wall a task replaced; its body cameras are asked again (each
        live viewing needs its reason: CSI L241-2). False: nothing to go back to."""
        previous, self._previous = self._previous, None
        if previous is None:
            self.message.emit(self.tr("No previous wall to go back to"))
            return False
        save_previous(self.key, None)
        self._task = ""
        self.apply_layout(previous, via="previous wall", told=self.tr("Previous wall back"))
        return True

    def set_kind(self, kind: str) -> None:
        self.wall.set_layout(kind)
        for index in [i for i in self.tours.tours if i >= self.wall.tile_count]:
            self.tours.stop(index)

    def apply_layout(self, layout: Layout, *, via: str = "", told: str = "") -> None:
        """Show a named layout; each body camera in it asks for its reason. A tile whose
        camera id now names another camera stays empty and says what it was."""
        self.tours.stop_all()
        self._pending.clear()
        self._fill_by_default = False
        self._task = ""
        self.wall.set_layout(layout.kind)
        renamed = layout.renamed({c.id: c.name for c in self.world.cameras.values()})
        cams: list[Camera | None] = []
        bodies: list[tuple[int, Camera]] = []
        missing = 0
        for index, cid in enumerate(layout.cameras):
            cam = self.world.cameras.get(cid) if cid else None
            if cid and cam is None:
                missing += 1
            if index in renamed:
                cam = None
            if cam is not None and self.gate.decide(cam).is_body:
                bodies.append((index, cam))  # shown once its reason is given and logged
                cam = None
            cams.append(cam)
        self.wall.show_cameras(cams)
        for index, cam in bodies:
            self._request_body(cam, via or f"layout {layout.name!r}", index)
        lines = [told] if told else []
        if missing:
            lines.append(self.tr("Layout %1: %2 camera(s) unknown here").replace(
                "%1", layout.name).replace("%2", str(missing)))
        if renamed:
            lines.append(self._renamed_text(
                self.tr("Layout %1").replace("%1", layout.name), layout.site, {
                i: (layout.cameras[i], was) for i, was in renamed.items()}))
        if lines:
            self.message.emit(" · ".join(lines))

    def _renamed_text(self, intro: str, site: str, renamed: dict[int, tuple[str, str]]) -> str:
        """Mark each tile "was <name>" and say in words why it is empty."""
        parts = []
        for index, (cid, was) in sorted(renamed.items()):
            self.wall.tile(index).set_badge(self.tr("was %1").replace("%1", was))
            now = self.world.cameras[cid].name if cid in self.world.cameras else "?"
            parts.append(self.tr("tile %1 was “%2”, %3 is now “%4”").replace(
                "%1", str(index + 1)).replace("%2", was).replace("%3", cid).replace(
                "%4", now))
        text = self.tr("%1: %2 camera(s) not shown, their names changed since it was "
                       "saved (%3)").replace("%1", intro).replace(
            "%2", str(len(renamed))).replace("%3", "; ".join(parts))
        if site and site != self.site_name:
            text += " " + self.tr("It was saved on site “%1”.").replace("%1", site)
        return text

    def layout(self, name: str = "") -> Layout:
        """The wall as a layout (pending restored cameras included), with each camera's
        name and the site's, so that a restore can tell a renamed camera."""
        tiles = self.wall.tiles()
        ids = [t.camera.id if t.camera else "" for t in tiles]
        names = [t.camera.name if t.camera else "" for t in tiles]
        for index, (cid, was) in self._pending.items():
            if index < len(ids) and not ids[index]:
                ids[index], names[index] = cid, was
        while ids and not ids[-1]:
            ids.pop()
        return Layout(name or self.key, self.wall.kind, tuple(ids), tuple(names[: len(ids)]),
                      self.site_name)

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

    def _fill_empty_tiles(self) -> None:
        """First start (no saved wall): the fixed cameras fill the empty tiles, in id order,
        as the adapters announce them (one adapter may tell its first cameras before the
        rest); it ends once every tile shows one, or once the operator (or a task) changed
        the wall since the last fill. Tiles already showing a camera are never restarted."""
        if self._filled is not None and (self.wall.kind, *self.wall.camera_ids()) != self._filled:
            self._fill_by_default = False  # the operator's hand: the wall is theirs now
            return
        tiles = self.wall.tiles()
        on_wall = {t.camera.id for t in tiles if t.camera is not None}
        fixed = sorted((c for c in self.world.cameras.values()
                        if c.kind is CameraKind.FIXED and c.id not in on_wall),
                       key=lambda c: c.id)
        empty = [i for i, t in enumerate(tiles) if t.camera is None]  # (nothing pending)
        for index, cam in zip(empty, fixed, strict=False):
            self.wall.show_camera(cam, index)
        self._filled = (self.wall.kind, *self.wall.camera_ids())
        if len(fixed) >= len(empty):
            self._fill_by_default = False

    def on_cameras(self, cameras: list[Camera]) -> None:
        """Cameras announced: callsigns, the restored layout, or the first-start fill."""
        for cam in cameras:
            officer = self.world.officer_of_camera(cam.id)
            if officer is not None:
                self.wall.set_callsign(cam.id, officer.callsign)
        if self._fill_by_default:
            self._fill_empty_tiles()
        if not self._pending:
            return
        self._restoring = True  # a partial wall must not overwrite the saved one
        renamed: dict[int, tuple[str, str]] = {}
        try:
            for index, (cid, was) in list(self._pending.items()):
                known = self.world.cameras.get(cid)
                if known is None or index >= self.wall.tile_count:
                    continue
                cam = known
                del self._pending[index]
                if was and cam.name != was:
                    log.warning("restored layout: %s is now %r, was %r: not shown",
                                cid, cam.name, was)
                    renamed[index] = (cid, was)
                    continue
                if cam.kind is CameraKind.BODY:
                    log.info("restored layout: body cam %s not reopened (needs a reason)",
                             cid)
                    self.message.emit(self.tr(
                        "%1 was on the wall: body cameras are not reopened without a reason")
                        .replace("%1", cam.name))
                    self._mark_was(index, cam)
                    continue
                self.wall.show_camera(cam, index)
        finally:
            self._restoring = False
        if renamed:
            self.message.emit(self._renamed_text(self.tr("The wall of the last session"),
                                                 self._pending_from, renamed))
