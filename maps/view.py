"""MapView: the live map widget, a static folium page fed with batched JSON.

Updates are coalesced in Python (latest per id) and sent as one ``runJavaScript`` per flush,
at most one flush in flight: a call per marker costs the GUI thread per marker, and a page
that falls behind must not build a queue. Python keeps the last known state, so a
crashed or reloaded page is refilled without the application noticing.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from re import Pattern

from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QWidget

from maps.camera_drag import CameraDragSource
from maps.channel import MapBridge
from maps.page import build_page, tiles_pattern
from maps.scheme import SCHEME, MBTilesSchemeHandler

log = logging.getLogger(__name__)

LOCAL_SCHEMES = frozenset({"file", "qrc", "data", SCHEME.decode()})
Item = dict[str, object]


class LocalOnlyInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks and counts every request that is not local (or a site tile): CSU nets are closed."""

    def __init__(self, allowed: Pattern[str] | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._allowed = allowed
        self.schemes: Counter[str] = Counter()
        self.blocked: list[str] = []  # the first 100, enough to name the culprit
        self.blocked_count = 0

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        """Qt calls this for every request the page makes, before it leaves."""
        url = info.requestUrl()
        self.schemes[url.scheme()] += 1
        text = url.toString()
        if url.scheme() in LOCAL_SCHEMES or (self._allowed and self._allowed.fullmatch(text)):
            return
        info.block(True)
        self.blocked_count += 1
        if len(self.blocked) < 100:
            self.blocked.append(text)
        log.warning("map: blocked a request to %s", text)


class _MapPage(QWebEnginePage):
    """Stays on the map page (no navigation, no pop-ups) and reports the page's JS errors."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject) -> None:
        super().__init__(profile, parent)
        self.home = QUrl()
        self.js_errors: list[str] = []

    def acceptNavigationRequest(
        self, url: QUrl | str, nav_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        """Only the map page itself may load: a stray link must not replace the map."""
        url = QUrl(url)
        if url.isLocalFile() and url.path() == self.home.path():
            return True
        log.warning("map: refused navigation to %s", url.toString())
        return False

    def javaScriptConsoleMessage(
        self,
        level: QWebEnginePage.JavaScriptConsoleMessageLevel,
        message: str,
        line: int,
        source: str,
    ) -> None:
        """Page errors go to our log (and to tests) instead of vanishing."""
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            self.js_errors.append(f"{source}:{line}: {message}")
            log.warning("map page: %s:%s: %s", source, line, message)
        else:
            log.debug("map page: %s", message)


def _clean(item: Item) -> Item | None:
    """A copy with a string id and finite lat/lon, or None: the page gets no junk positions."""
    try:
        lat, lon = float(item["lat"]), float(item["lon"])  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)) or item.get("id") in (None, ""):
        return None
    return {**item, "id": str(item["id"]), "lat": lat, "lon": lon}


def _js(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


class MapView(QWebEngineView):
    """The map the main window embeds: officers, fixed cameras and alarms, updated live.

    Calls made before the page is ready are kept and sent once it is; ``ready`` is emitted
    once. After a renderer crash the view reloads and refills the page by itself.
    """

    ready = Signal()
    officer_clicked = Signal(str)
    camera_clicked = Signal(str)
    alarm_clicked = Signal(str)
    view_changed = Signal(float, float, int)  # lat, lon, zoom after a pan/zoom
    context_requested = Signal(float, float, str, str)  # right-click: lat, lon, kind, id
    follow_stopped = Signal()  # the operator stopped following in the page
    base_changed = Signal(str)  # the base layer the operator picked

    def __init__(
        self,
        center: tuple[float, float],
        zoom: int,
        cache_dir: Path,
        town_geojson: Path | None = None,
        tile_url: str | None = None,
        attribution: str = "",
        parent: QWidget | None = None,
        *,
        tiles: list[Item] | None = None,
        base: str = "",
        mbtiles: dict[str, Path] | None = None,
        remote: list[str] | None = None,
        zones_geojson: Path | None = None,
        stale_after_s: float = 60,
        trail_s: float = 300,
    ) -> None:
        super().__init__(parent)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no Reload/View source
        profile = QWebEngineProfile()  # no storage name: off the record, nothing on disk
        allowed = list(remote or []) + ([tile_url] if tile_url else [])
        self._interceptor = LocalOnlyInterceptor(tiles_pattern(allowed), profile)
        profile.setUrlRequestInterceptor(self._interceptor)
        self.tile_handler = MBTilesSchemeHandler(mbtiles or {}, profile)
        profile.installUrlSchemeHandler(SCHEME, self.tile_handler)
        self._page = _MapPage(profile, self)
        profile.setParent(self._page)  # the page's destructor runs before its children's
        attr, settings = QWebEngineSettings.WebAttribute, self._page.settings()
        # Chromium's own file:// rule would drop remote requests before the interceptor sees
        # them (uncounted, and no site tiles): let every request reach the interceptor. In
        # QtWebEngine 6.12 setting the first attribute clears the second: set both, in order.
        settings.setAttribute(attr.LocalContentCanAccessRemoteUrls, True)
        settings.setAttribute(attr.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(attr.NavigateOnDropEnabled, False)
        settings.setAttribute(attr.JavascriptCanOpenWindows, False)

        self._bridge = MapBridge(self)
        channel = QWebChannel(self._page)
        channel.registerObject("csu", self._bridge)
        self._page.setWebChannel(channel)
        self.setPage(self._page)
        self._bridge.marker_clicked.connect(self._on_click)
        self._bridge.view_changed.connect(self._on_view_changed)
        self._bridge.page_ready.connect(self._on_page_ready)
        self._bridge.context_requested.connect(self.context_requested)
        self._bridge.follow_stopped.connect(self._on_follow_stopped)
        self._bridge.base_changed.connect(self.base_changed)
        self.camera_drag = CameraDragSource(self)
        self._bridge.item_pressed.connect(self.camera_drag.on_pressed)
        self._page.loadStarted.connect(self._on_load_started)
        self._page.loadFinished.connect(self._on_load_finished)
        self._page.renderProcessTerminated.connect(self._on_render_process_terminated)

        self._officers: dict[str, Item] = {}
        self._alarms: dict[str, Item] = {}
        self._cameras: list[Item] = []
        self._dirty: dict[str, set[str]] = {"officers": set(), "alarms": set()}
        self._gone: dict[str, set[str]] = {"officers": set(), "alarms": set()}
        self._cameras_dirty = False
        self._smoothing = True  # the page's default
        self._smoothing_dirty = False
        self._follow: tuple[str, str] | None = None  # officer id, label
        self._follow_dirty = False
        self._responders: tuple[float, float, list[Item]] | None = None
        self._responders_dirty = False
        self._center: tuple[float, float, int | None] | None = None
        self._highlight: tuple[str, str] | None = None
        self._last_view: tuple[float, float, int] | None = None
        self._load_ok = self._page_ready = self._inflight = self._was_ready = False

        self._flush_timer = QTimer(self)
        self._flush_timer.setObjectName("map-flush")
        self._flush_timer.setSingleShot(True)
        self._flush_timer.setInterval(0)
        self._flush_timer.timeout.connect(self._flush)

        self.html_path = build_page(cache_dir, center, zoom, town_geojson, tile_url, attribution,
                                    tiles=tiles, base=base, zones_geojson=zones_geojson,
                                    stale_after_s=stale_after_s, trail_s=trail_s)
        self._page.home = QUrl.fromLocalFile(str(self.html_path))
        self.load(self._page.home)

    # ---- public API -------------------------------------------------------------------
    def has_camera(self, camera_id: str) -> bool:
        """A camera the map shows (a drag out of the page must name one)."""
        return any(str(c.get("id")) == camera_id for c in self._cameras)

    @property
    def is_ready(self) -> bool:
        return self._load_ok and self._page_ready

    @property
    def blocked_requests(self) -> list[str]:
        """Requests the page tried to send off the machine (should stay empty)."""
        return list(self._interceptor.blocked)

    @property
    def request_schemes(self) -> dict[str, int]:
        """How many requests the page made, per URL scheme."""
        return dict(self._interceptor.schemes)

    @property
    def blocked_count(self) -> int:
        return self._interceptor.blocked_count

    @property
    def js_errors(self) -> list[str]:
        return list(self._page.js_errors)

    def update_officers(self, items: Iterable[Item]) -> None:
        """Upsert officers: {id, callsign, lat, lon, status, heading, live}."""
        self._upsert("officers", self._officers, items)

    def remove_officers(self, ids: Iterable[str]) -> None:
        self._remove("officers", self._officers, ids)

    def set_cameras(self, items: Iterable[Item]) -> None:
        """Replace all fixed cameras: {id, name, lat, lon, heading, angle, range, online}."""
        self._cameras = [c for c in map(_clean, items) if c is not None]
        self._cameras_dirty = True
        self._schedule()

    def update_alarms(self, items: Iterable[Item]) -> None:
        """Upsert alarms: {id, lat, lon, priority, title, state}; state "closed" removes."""
        items = list(items)
        closed = [a.get("id") for a in items if a.get("state") == "closed"]
        self._remove("alarms", self._alarms, closed)
        self._upsert("alarms", self._alarms, (a for a in items if a.get("state") != "closed"))

    def remove_alarms(self, ids: Iterable[str]) -> None:
        self._remove("alarms", self._alarms, ids)

    def set_motion_smoothing(self, enabled: bool) -> None:
        """Glide officers between fixes (on by default) instead of jumping.

        The page paces its frames by their measured cost, so thousands of objects stay smooth.
        """
        self._smoothing = bool(enabled)
        self._smoothing_dirty = True
        self._schedule()

    def center_on(self, lat: float, lon: float, zoom: int | None = None) -> None:
        self._center = (float(lat), float(lon), zoom)
        self._schedule()

    @property
    def following(self) -> str | None:
        return self._follow[0] if self._follow else None

    def follow(self, officer_id: str | None, label: str = "") -> None:
        """Keep an officer centred as fixes arrive (None stops); `label` fills the page's box."""
        self._follow = (str(officer_id), label) if officer_id else None
        self._follow_dirty = True
        self._schedule()

    def show_responders(self, lat: float, lon: float, items: list[Item]) -> None:
        """Lines from a point (an alarm) to officers: [{id, label, suggested}]; [] clears."""
        self._responders = (float(lat), float(lon), list(items)) if items else None
        self._responders_dirty = True
        self._schedule()

    def highlight(self, kind: str, item_id: str) -> None:
        """Ring one officer/camera/alarm (and pan to it if off screen); an empty id clears."""
        self._highlight = (kind, str(item_id))
        self._schedule()

    def run_js_for_test(self, script: str, callback: Callable[[object], None]) -> None:
        """Evaluate a script in the page; its result goes to ``callback`` (tests, diagnostics)."""
        self._page.runJavaScript(script, 0, callback)

    # ---- batching ---------------------------------------------------------------------
    def _upsert(self, kind: str, store: dict[str, Item], items: Iterable[Item]) -> None:
        for raw in items:
            item = _clean(raw)
            if item is None:
                log.debug("map: dropped %s without id or position: %r", kind, raw)
                continue
            item_id = str(item["id"])
            store[item_id] = item
            self._dirty[kind].add(item_id)
            self._gone[kind].discard(item_id)
        self._schedule()

    def _remove(self, kind: str, store: dict[str, Item], ids: Iterable[object]) -> None:
        for raw in ids:
            item_id = str(raw)
            store.pop(item_id, None)
            self._dirty[kind].discard(item_id)
            self._gone[kind].add(item_id)
        self._schedule()

    def _schedule(self) -> None:
        if self.is_ready and not self._inflight and not self._flush_timer.isActive():
            self._flush_timer.start()

    def _script(self) -> str:
        """Everything pending as one script, one call per kind; clears what it takes."""
        calls = []
        if self._smoothing_dirty:
            calls.append(f"CSU.setSmoothing({_js(self._smoothing)})")
        if self._cameras_dirty:
            calls.append(f"CSU.setCameras({_js(self._cameras)})")
        for kind, store, js in (
            ("officers", self._officers, "Officers"),
            ("alarms", self._alarms, "Alarms"),
        ):
            if self._gone[kind]:
                calls.append(f"CSU.remove{js}({_js(sorted(self._gone[kind]))})")
            if self._dirty[kind]:
                calls.append(f"CSU.update{js}({_js([store[i] for i in self._dirty[kind]])})")
            self._gone[kind] = set()
            self._dirty[kind] = set()
        if self._follow_dirty:
            fid, label = self._follow or (None, "")
            calls.append(f"CSU.follow({_js(fid)},{_js(label)})")
        if self._responders_dirty:
            r = self._responders
            calls.append(f"CSU.showResponders({_js(r[0])},{_js(r[1])},{_js(r[2])})" if r
                         else "CSU.showResponders(0,0,[])")
        if self._center is not None:
            lat, lon, zoom = self._center
            calls.append(f"CSU.centerOn({_js(lat)},{_js(lon)},{_js(zoom)})")
        if self._highlight is not None:
            calls.append(f"CSU.highlight({_js(self._highlight[0])},{_js(self._highlight[1])})")
        self._cameras_dirty = self._smoothing_dirty = False
        self._follow_dirty = self._responders_dirty = False
        self._center = self._highlight = None
        return ";".join(calls)

    def _flush(self) -> None:
        if not self.is_ready or self._inflight:
            return
        script = self._script()
        if script:
            self._inflight = True
            self._page.runJavaScript(script, 0, self._on_flushed)

    def _on_flushed(self, _result: object) -> None:
        self._inflight = False
        self._schedule()  # whatever arrived meanwhile goes as the next batch

    # ---- page life ---------------------------------------------------------------------
    def _on_load_started(self) -> None:
        self._load_ok = self._page_ready = self._inflight = False

    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            log.error("map: the page %s did not load", self.html_path)
        self._load_ok = ok
        self._maybe_ready()

    def _on_page_ready(self) -> None:
        self._page_ready = True
        self._maybe_ready()

    def _maybe_ready(self) -> None:
        if not self.is_ready:
            return
        if self._was_ready:  # a reloaded page is empty: send it everything Python knows
            self._dirty = {"officers": set(self._officers), "alarms": set(self._alarms)}
            self._gone = {"officers": set(), "alarms": set()}
            self._cameras_dirty = bool(self._cameras)
            self._smoothing_dirty = not self._smoothing
            self._follow_dirty = self._follow is not None
            self._responders_dirty = self._responders is not None
            if self._center is None and self._last_view is not None:
                self._center = self._last_view
        self._schedule()
        if not self._was_ready:
            self._was_ready = True
            self.ready.emit()

    def _on_render_process_terminated(
        self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int
    ) -> None:
        if status == QWebEnginePage.RenderProcessTerminationStatus.NormalTerminationStatus:
            return
        log.error("map: page renderer died (%s, code %s); reloading", status, code)
        self._load_ok = self._page_ready = self._inflight = False
        QTimer.singleShot(1000, self, self.reload)

    def _on_click(self, kind: str, item_id: str) -> None:
        known = {
            "officer": (self.officer_clicked, self._officers),
            "camera": (self.camera_clicked, {str(c["id"]) for c in self._cameras}),
            "alarm": (self.alarm_clicked, self._alarms),
        }.get(kind)
        if known is not None and item_id in known[1]:
            known[0].emit(item_id)

    def _on_follow_stopped(self) -> None:
        self._follow = None
        self.follow_stopped.emit()

    def _on_view_changed(self, lat: float, lon: float, zoom: int) -> None:
        self._last_view = (lat, lon, zoom)
        self.view_changed.emit(lat, lon, zoom)
