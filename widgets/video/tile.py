"""One video tile: a header strip with the camera's chrome above the video surface.

The tile plays through a `widgets.video.engines.Player`, of the engine
`widgets.video.engine.choose()` picks per URL: libvlc into a native child window, or the
OpenCV/FFmpeg engine (rtsp:// with a libvlc without live555, or no libvlc) into a plain
painted widget. The watchdog, the reconnects and the chrome do not care which.
Qt cannot paint over a native video window, so everything the operator reads (name, state,
fps, reconnects, officer callsign, live mark) sits in a header strip above it, and
messages (no engine, cannot open, no signal, empty tile) replace the surface in a page.

Streams: the tile passes the URL to the engine as is, with the camera's `MediaOptions`
(network caching, RTSP over TCP, hardware decoding, from the site file). MJPEG
over HTTP needs no `:demux=mjpeg`: libvlc's mjpeg demuxer recognises the
`multipart/x-mixed-replace` content type (checked with the demo camera server), and
options travel as media options, never inside the URL.

libvlc raises no event when a network stream stalls, so the wall's single timer calls
`watchdog_tick()` on every tile: the tile checks that the engine's frame counter advances,
marks "no signal" (with the time since the last frame) after `STALL_S` without progress
and tries again. When, is one rule for every engine and protocol
(`widgets.video.reconnect`): an outage is retried within about a second (a camera that
comes back shows within 3 s), a refused user name or password only every 5 to 30 minutes,
and a refused login is held for every tile of every wall (cameras lock accounts).
fps comes from the engine's own frame counter
(`Player.frames()`, which undoes libvlc 3.0's double count).

The tile says what it sees (`health_changed`: playing is "online", a stream that will not
open or was lost is "offline", anything else no evidence) for the console's one camera
health (`app.services.camera_health`), through the wall.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import (
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from app.core.model import Camera, CameraKind, StreamRole
from widgets.video import credentials, engine
from widgets.video.engine import MediaOptions
from widgets.video.engines import Player, create_player
from widgets.video.header import NameLabel, StatusLabel
from widgets.video.reconnect import CREDENTIALS, WRONG_ADDRESS, Reconnector
from widgets.video.surface import Surface

log = logging.getLogger(__name__)

STALL_S = 2.0  # no decoded frame for this long: "no signal" (shown within 3 s)
CONNECT_TIMEOUT_S = 8.0  # an attempt that shows no frame within this is abandoned
HEADER_H = 22
# The smallest tile: 5 x 5 of them (1 in the 5x5 layout) fit the wall's share of a
# 1366x768 laptop screen beside the docks. A larger minimum made a dense layout push the
# window past the screen and squeeze the docks, which did not grow back.
MIN_VIDEO = (80, 45)


class TileState(enum.StrEnum):
    EMPTY = "empty"
    CONNECTING = "connecting"
    PLAYING = "playing"
    NO_SIGNAL = "no_signal"
    ERROR = "error"
    STOPPED = "stopped"


STATE_COLOURS: dict[TileState, str] = {
    TileState.EMPTY: "#5f6670",
    TileState.CONNECTING: "#fdd835",
    TileState.PLAYING: "#43a047",
    TileState.NO_SIGNAL: "#fb8c00",
    TileState.ERROR: "#e53935",
    TileState.STOPPED: "#5f6670",
}


def state_label(state: TileState) -> str:
    """The operator's word for a tile state (translated at call time)."""
    match state:
        case TileState.CONNECTING:
            return QCoreApplication.translate("VideoTile", "Connecting…")
        case TileState.PLAYING:
            return QCoreApplication.translate("VideoTile", "Playing")
        case TileState.NO_SIGNAL:
            return QCoreApplication.translate("VideoTile", "No signal")
        case TileState.ERROR:
            return QCoreApplication.translate("VideoTile", "Error")
        case TileState.STOPPED:
            return QCoreApplication.translate("VideoTile", "Stopped")
    return QCoreApplication.translate("VideoTile", "Empty")


class _Player:
    """The tile's players, one per engine used, made on first need and kept outside the
    QObject so that they can be released from the `destroyed` signal."""

    def __init__(self) -> None:
        self.players: dict[str, Player] = {}
        self.current: Player | None = None

    def use(self, engine_name: str, surface: Surface) -> Player:
        """The player of `engine_name` (made if needed), its view brought to the front."""
        player = self.players.get(engine_name)
        if player is None:
            player = create_player(engine_name, surface)
            self.players[engine_name] = player
            surface.add_view(player.view())
        if self.current is not None and self.current is not player:
            self.current.stop()
        self.current = player
        surface.set_current(player.view())
        return player

    def stop(self) -> None:
        if self.current is not None:
            self.current.stop()

    def release(self) -> None:
        for player in self.players.values():
            player.release()
        self.players.clear()
        self.current = None

    def crop(self, frac: tuple[float, float, float, float] | None) -> bool:
        return self.current is not None and self.current.crop(frac)

    def snapshot(self, path: str) -> bool:
        return self.current is not None and self.current.snapshot(path)


_WINDOW_SYSTEMS = {"xcb", "windows", "cocoa"}


def _no_text() -> str:
    return ""


def _empty_text() -> str:
    return "—"


class VideoTile(QWidget):
    """Plays one camera; says what it shows and what is wrong when it shows nothing."""

    activated = Signal(str)  # camera id, on double-click or Enter
    state_changed = Signal(str)  # a TileState value
    # what the tile shows now: camera id ("" none), "online"/"offline"/"" (no evidence), why
    health_changed = Signal(str, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(MIN_VIDEO[0], MIN_VIDEO[1] + HEADER_H)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setObjectName("videoTile")
        self._camera: Camera | None = None
        self._role = StreamRole.SUB
        self._url = ""
        self._login = ""  # `_url` with the keyring's password in it (never shown or logged)
        self._callsign = ""
        self._state = TileState.EMPTY
        self._message_fn: Callable[[], str] = _no_text
        self._wanted = False  # the operator asked for video (paused while hidden)
        self._running = False  # an engine attempt is under way
        self._awaiting_secret = False  # the keyring is being read; the watchdog revisits
        self._ever_played = False
        self._camera_failed = False  # the state shown is the camera's failure (not ours)
        self._report: tuple[str, str, str] = ("", "", "")
        self._attempt_at = 0.0
        self._last_progress_at = 0.0
        self._last_counters = 0
        self._reconnects = 0
        self._fps: float | None = None
        self._fps_mark = (0.0, 0)
        self._engine_name = ""
        self._engine_why = ""
        self._last_frame_at = 0.0  # when a frame last arrived (for "no signal for N s")
        self._nudged = False  # this attempt's first picture re-sent the window's size
        # why attempts fail and when to try again (asks the camera itself off the GUI
        # thread: engines say little); one rule for every engine
        self._retry = Reconnector(engine.diagnose)
        self._player = _Player()
        self.destroyed.connect(self._player.release)
        # subscribed before any lookup, so a keyring answer cannot come unheard
        credentials.shared().loaded.connect(self._on_secret_loaded)

        self._header = QFrame(self)
        self._header.setObjectName("tileHeader")
        self._header.setFixedHeight(HEADER_H)
        self._dot = QLabel(self._header)
        self._dot.setFixedSize(10, 10)
        self._name = NameLabel(self._header)
        bold = self._name.font()
        bold.setBold(True)
        self._name.setFont(bold)
        self._callsign_label = QLabel(self._header)
        self._callsign_label.setStyleSheet("color: #ffe082;")
        self._hd = QLabel("HD", self._header)
        self._hd.setStyleSheet("color: #90caf9; font-size: 9px; font-weight: bold;")
        self._live = QLabel(self._header)
        self._live.setStyleSheet(
            "background: #d32f2f; color: white; font-weight: bold; font-size: 10px;"
            "padding: 0px 4px; border-radius: 3px;"
        )
        row = self._header_row = QHBoxLayout(self._header)
        row.setContentsMargins(6, 0, 6, 0)
        row.setSpacing(6)
        row.addWidget(self._dot)
        row.addWidget(self._name, 1)
        self._stats = StatusLabel(self._header)
        self._stats.setObjectName("tileStats")
        self._stats.setStyleSheet("color: #b0b7c0; font-size: 10px;")
        row.addWidget(self._stats)
        row.addWidget(self._callsign_label)
        row.addWidget(self._hd)
        row.addWidget(self._live)
        # what the recorder says of this camera (hidden: not recorded by this console)
        self._rec = QLabel(self._header)
        self._rec.setObjectName("tileRecording")
        self._rec.hide()
        self._recording = ("", "")  # state, detail
        row.addWidget(self._rec)
        self._badge = QLabel(self._header)  # set by the wall's tools (a running tour)
        self._badge.setStyleSheet("color: #80deea; font-size: 10px; font-weight: bold;")
        self._badge.hide()
        row.addWidget(self._badge)
        self._header.installEventFilter(self)  # its width decides what the texts show

        self._surface = Surface(self)
        self._message_label = QLabel(self)
        self._message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message_label.setWordWrap(True)
        self._message_label.setObjectName("tileMessage")
        self._message_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._message_label.setStyleSheet("background: #101214; color: #b0b7c0; padding: 8px;")
        self._stack = QStackedLayout()
        self._stack.addWidget(self._surface)
        self._stack.addWidget(self._message_label)
        col = QVBoxLayout(self)
        col.setContentsMargins(1, 1, 1, 1)
        col.setSpacing(0)
        col.addWidget(self._header)
        col.addLayout(self._stack, 1)
        self.setStyleSheet(
            "#videoTile { background: #101214; border: 1px solid #2d333b; }"
            "#videoTile:focus { border: 1px solid #2f6fb3; }"
            "#tileHeader { background: #1b1f24; }"
        )
        self._refresh()

    # --- public API -------------------------------------------------------------------

    @property
    def camera(self) -> Camera | None:
        return self._camera

    @property
    def role(self) -> StreamRole:
        return self._role

    @property
    def state(self) -> TileState:
        return self._state

    @property
    def message(self) -> str:
        """The text shown instead of the picture ("" while the picture is shown)."""
        if self._stack.currentWidget() is not self._message_label:
            return ""
        return self._message_label.text()

    @property
    def url(self) -> str:
        return self._url

    def surface(self) -> QWidget:
        """The native widget the video is drawn in (for screen grabs in tests)."""
        return self._surface

    def set_badge(self, text: str) -> None:
        """A short mark in the header from the wall (e.g. "Tour 2/5"); "" hides it."""
        self._badge.setText(text)
        self._badge.setVisible(bool(text))
        self._fit_header()

    def set_zoom(self, frac: tuple[float, float, float, float] | None) -> bool:
        """Digital zoom on the picture (x, y, w, h in fractions, None = whole picture)."""
        return self._player.crop(frac)

    def snapshot_to(self, path: str) -> bool:
        """The current picture as a PNG file; blocking, so off the GUI thread only."""
        return self._state is TileState.PLAYING and self._player.snapshot(path)

    def set_recording(self, state: str, detail: str = "") -> None:
        """The recorder's state of this tile's camera (app.core.recording.RecordingState's
        value; "" or "off": not recorded here, nothing shown)."""
        if (state, detail) != self._recording:
            self._recording = (state, detail)
            self._refresh()

    def recording_mark(self) -> str:
        """The recording mark the header shows ("" when hidden), for tests."""
        return self._rec.text() if not self._rec.isHidden() else ""

    def set_callsign(self, callsign: str) -> None:
        """The wearer's callsign shown for a body camera (the Camera carries only an id)."""
        self._callsign = callsign
        self._refresh()

    def play(self, camera: Camera, role: StreamRole = StreamRole.SUB) -> None:
        """Show `camera`; starts at once if visible, otherwise when the tile is shown."""
        url = camera.streams.url(role)
        if (self._camera == camera and self._role is role and self._url == url and self._wanted
                and self._state in (TileState.CONNECTING, TileState.PLAYING)):
            return
        self._halt()
        if self._camera is None or self._camera.id != camera.id:
            self._callsign = ""
        self._camera, self._role, self._url = camera, role, url
        self._login = ""
        self._wanted = True
        self._ever_played = False
        self._camera_failed = False
        self._reconnects = 0
        self._retry.reset()
        if self.isVisible():
            self._start(first=True)
        else:
            self._set_state(TileState.STOPPED, lambda: self.tr("Paused while hidden"))
        self._refresh()

    def stop(self) -> None:
        """Stop playing (keeps the camera; `play()` again to resume)."""
        self._wanted = False
        self._halt()
        if self._camera is None:
            self._set_state(TileState.EMPTY)
        else:
            self._set_state(TileState.STOPPED, lambda: self.tr("Stopped"))

    def clear(self) -> None:
        """Stop and forget the camera: an empty tile."""
        self._wanted = False
        self._halt()
        self._camera, self._url, self._callsign = None, "", ""
        self._set_state(TileState.EMPTY)
        self._refresh()

    def release(self) -> None:
        """Free the libvlc player (before the widget goes away)."""
        self._wanted = False
        self._halt()
        self._player.release()

    def watchdog_tick(self, now: float | None = None) -> None:
        """Called about every second by the wall: detect stalls, reconnect with backoff."""
        if now is None:
            now = time.monotonic()
        if not self._wanted:
            return
        if self._awaiting_secret:  # the keyring's answer may have come: look again
            if self.isVisible():
                self._start(first=True)
            return
        if not self._running:
            if self._retry.due(now) and self.isVisible():
                self._start(first=False)
            elif self._camera_failed:
                self._show_failure(now)  # the countdown, and a reason that came in
            return
        player = self._player.current
        if player is None:
            return
        counters = player.progress()
        self._measure_fps(now, player)
        if not self._nudged and player.frames() > 0:
            # the output is up: a resize it missed while starting is sent again
            self._nudged = True
            self._surface.nudge_native_views()
        if counters != self._last_counters and counters > 0:
            self._last_counters = counters
            self._last_progress_at = self._last_frame_at = now
            if self._state is not TileState.PLAYING:
                self._ever_played = True
                self._retry.played()
                self._set_state(TileState.PLAYING)
            return
        engine_state = player.state()
        if engine_state in ("error", "ended", "idle"):
            self._fail(now, engine_state, player.error())
        elif self._state is TileState.NO_SIGNAL:
            self._show_lost(now)  # keep "no signal for N s" current
        elif self._state is TileState.PLAYING and now - self._last_progress_at > STALL_S:
            self._fail(now, "stalled")
        elif self._state is not TileState.PLAYING and now - self._attempt_at > CONNECT_TIMEOUT_S:
            self._fail(now, "timeout")

    # --- the attempt cycle ------------------------------------------------------------

    def _login_url(self) -> str | None:
        """The URL to hand the engine: with the camera's password from the keyring when it
        has one. None while the keyring is being read, or when it holds no such password
        (the tile then says so)."""
        cam = self._camera
        self._awaiting_secret = False
        if cam is None or not cam.password_secret:
            return self._url
        password, error = credentials.shared().lookup(cam.password_secret)
        self._awaiting_secret = password is None and error is None
        if error is not None:
            self._wanted = False
            self._set_state(TileState.ERROR, lambda: self.tr(
                "No password for this camera: %1").replace("%1", error))
            return None
        if password is None:  # being read: `loaded` or the next watchdog tick starts it
            self._set_state(TileState.CONNECTING)
            return None
        return credentials.with_credentials(self._url, cam.username or "", password)

    def _needs_login(self) -> bool:
        cam = self._camera
        return cam is not None and bool(cam.username or cam.password_secret)

    def _on_secret_loaded(self, name: str) -> None:
        cam = self._camera
        if (self._awaiting_secret and self._wanted and cam is not None
                and cam.password_secret == name and self.isVisible()):
            self._start(first=True)

    def _start(self, *, first: bool) -> None:
        assert self._camera is not None
        login_url = self._login_url()
        if login_url is None:
            return
        self._login = login_url  # what the engine opens; the diagnosis asks the same
        choice = engine.choose(self._url, login=self._needs_login())
        self._engine_name, self._engine_why = choice.engine, choice.reason
        if not choice.engine:
            self._wanted = False
            reason = engine.libvlc_status().reason or choice.reason
            self._set_state(TileState.ERROR, lambda: self.tr("No video engine: %1").replace(
                "%1", reason))
            return
        platform = QGuiApplication.platformName()
        if choice.engine == engine.ENGINE_NAME and platform not in _WINDOW_SYSTEMS:
            self._wanted = False
            self._set_state(TileState.ERROR, lambda: self.tr(
                "Video needs a window system that can embed it (X11, Windows, macOS); "
                "this one is '%1'.").replace("%1", platform))
            return
        now = time.monotonic()
        if not self._retry.begin(login_url):  # a refused login is held back: no try now
            self._running = False
            self._show_failure(now)
            return
        self._attempt_at = now
        self._last_progress_at = now
        self._last_counters = 0
        self._nudged = False
        self._fps, self._fps_mark = None, (now, 0)
        cam = self._camera
        options = MediaOptions(cam.network_caching_ms, cam.rtsp_tcp, cam.hw_decoding)
        try:
            player = self._player.use(choice.engine, self._surface)
            player.play(login_url, options)
        except Exception as exc:  # an engine refusing a media must not take the wall down
            log.exception("cannot start %s", engine.redact_url(self._url))
            self._running = False
            self._fail(now, str(exc))
            return
        self._running = True
        if not first:
            self._reconnects += 1
        if first:
            self._set_state(TileState.CONNECTING)
        elif self._ever_played:  # stay "no signal" until a frame proves the link is back
            self._show_lost(now)
        else:
            reason = self._retry.reason

            def text() -> str:
                line = self.tr("Cannot open the stream — retrying…\n%1").replace(
                    "%1", engine.redact_url(self._url))
                why = self._detail_text(reason)
                return f"{line}\n{why}" if why else line

            self._set_state(TileState.ERROR, text, camera_failed=True)
        log.debug("tile %s: attempt on %s", self._camera.id, engine.redact_url(self._url))

    def _halt(self) -> None:
        if self._running:
            self._player.stop()
        self._running = False

    def _fail(self, now: float, why: str, detail: str = "") -> None:
        """End this attempt, say why, and let the one retry rule plan the next one."""
        self._player.stop()
        self._running = False
        self._retry.failed(now, detail)
        if self._camera is not None:
            delay = (self._retry.retry_at or now) - now
            log.info("tile %s: %s (%s%s), retry in %.0f s", self._camera.id,
                     "signal lost" if self._ever_played else "cannot open", why,
                     f": {detail}" if detail else "", delay)
        self._show_failure(now)

    def _show_failure(self, now: float) -> None:
        retry_at = self._retry.retry_at
        secs = str(max(0, round((retry_at or now) - now)))
        reason = self._retry.reason
        if self._ever_played and reason not in CREDENTIALS | WRONG_ADDRESS:
            self._show_lost(now, secs)
            return
        url = engine.redact_url(self._url)

        def text() -> str:
            line = self.tr("Cannot open the stream — retrying in %1 s\n%2").replace(
                "%1", secs).replace("%2", url)
            why = self._detail_text(reason)
            return f"{line}\n{why}" if why else line

        self._set_state(TileState.ERROR, text, camera_failed=True)

    def _show_lost(self, now: float, retry_in: str | None = None) -> None:
        """ "No signal" with the time since the last frame (and the next try, if planned)."""
        lost = str(max(0, int(now - self._last_frame_at)))
        if retry_in is None:
            self._set_state(TileState.NO_SIGNAL, lambda: self.tr(
                "No signal for %1 s — reconnecting…").replace("%1", lost), camera_failed=True)
        else:
            self._set_state(TileState.NO_SIGNAL, lambda: self.tr(
                "No signal for %1 s — reconnecting in %2 s").replace("%1", lost).replace(
                "%2", retry_in), camera_failed=True)

    def _detail_text(self, detail: str) -> str:
        """Why an attempt failed (the engine's or the camera's answer), in the operator's
        words."""
        match detail:
            case "auth":
                return self.tr("The camera refused the user name or password.")
            case "no_login":
                return self.tr("The camera asks for a user name and password, and none is "
                               "configured for it.")
            case "not_found":
                return self.tr("The camera has no stream at this address (wrong URL?).")
            case "refused":
                return self.tr("Connection refused: nothing answers on this port.")
            case "unreachable":
                return self.tr("The camera cannot be reached on the network.")
        return detail

    def _measure_fps(self, now: float, player: Player) -> None:
        """Frames per second from the engine's own counter, over about a second."""
        since, count = self._fps_mark
        if now - since >= 0.95:
            frames = player.frames()
            # a window that began before the first frame would under-count: skip it
            self._fps = max(0.0, (frames - count) / (now - since)) if count else None
            self._fps_mark = (now, frames)
            self._refresh()

    # --- presentation -----------------------------------------------------------------

    def _set_state(self, state: TileState, message: Callable[[], str] | None = None, *,
                   camera_failed: bool = False) -> None:
        """Switch state; `message` builds the text shown instead of the picture, and is
        called again on a language change. `camera_failed`: the camera's stream failed
        (evidence that it is offline), not a local cause (no engine, no password)."""
        if state is TileState.EMPTY:
            message = _empty_text
        self._message_fn = message or _no_text
        self._camera_failed = camera_failed
        show_video = state in (TileState.CONNECTING, TileState.PLAYING)
        self._stack.setCurrentWidget(self._surface if show_video else self._message_label)
        self._message_label.setText(self._message_fn())
        changed = state is not self._state
        self._state = state
        self._refresh()
        if changed:
            self.state_changed.emit(str(state))
        self._report_health()

    def health(self) -> tuple[str, str, str]:
        """(camera id or "", "online" / "offline" / "" for no evidence, why in words)."""
        cam_id = self._camera.id if self._camera is not None else ""
        if self._state is TileState.PLAYING and cam_id:
            return cam_id, "online", ""
        if self._camera_failed and cam_id:
            why = self._detail_text(self._retry.reason) or (
                self.tr("No signal") if self._ever_played else
                self.tr("The stream does not open."))
            return cam_id, "offline", why
        return cam_id, "", ""

    def _report_health(self) -> None:
        report = self.health()
        if report != self._report:
            self._report = report
            self.health_changed.emit(*report)

    def _refresh(self) -> None:
        cam = self._camera
        body = cam is not None and cam.kind is CameraKind.BODY
        dot = f"background: {STATE_COLOURS[self._state]}; border-radius: 5px;"
        if self._dot.styleSheet() != dot:  # re-parsing a style sheet is not free
            self._dot.setStyleSheet(dot)
        self._name.setText(cam.name if cam else self.tr("No camera"))
        self._name.update()
        callsign = self._callsign or ((cam.officer_id or "") if body and cam else "")
        self._callsign_label.setText(callsign)
        self._callsign_label.setVisible(bool(callsign))
        self._hd.setVisible(cam is not None and self._role is StreamRole.MAIN)
        self._live.setText(self.tr("LIVE"))
        self._live.setVisible(body and self._state is TileState.PLAYING)
        rec_line = self._show_recording(cam is not None)
        self._stats.set_forms(self._status_forms())
        self._fit_header()
        lines = [cam.name if cam else self.tr("Empty tile"),
                 self.tr("State: %1").replace("%1", state_label(self._state))]
        if rec_line:
            lines.append(rec_line)
        if cam is not None:
            name = self._engine_name or engine.choose(self._url,
                                                      login=self._needs_login()).engine
            lines.append(self.tr("Engine: %1").replace(
                "%1", engine.engine_version(name) if name else self.tr("none")))
            if name and self._engine_why:
                lines.append(self.tr("Why this engine: %1").replace("%1", self._engine_why))
            lines.append(self.tr("Reconnects: %1").replace("%1", str(self._reconnects)))
            lines.append(self.tr("Stream (%1): %2").replace("%1", str(self._role)).replace(
                "%2", engine.redact_url(self._url)))
        self._header.setToolTip("\n".join(lines))

    def _show_recording(self, has_camera: bool) -> str:
        """The header's recording mark, and its line for the tooltip."""
        state, detail = self._recording
        if not has_camera or state in ("", "off"):
            self._rec.hide()
            return ""
        if state == "recording":
            text, colour, line = "● REC", "#e53935", self.tr("Recorded by this console")
        else:
            words = {"gap": self.tr("Not recording: %1"),
                     "disk_full": self.tr("Not recording: the storage is full (%1)"),
                     "error": self.tr("Recording error: %1")}
            text, colour = "REC ✕", "#ff9800"
            line = words.get(state, self.tr("Not recording: %1")).replace("%1", detail or "?")
        style = f"color: {colour}; font-size: 10px; font-weight: bold;"
        if self._rec.styleSheet() != style:
            self._rec.setStyleSheet(style)
        self._rec.setText(text)
        self._rec.setToolTip(line)
        self._rec.show()
        return line

    def _status_forms(self) -> list[str]:
        """The status in words, longest first: "Playing · 9 fps · ↻2", "9 fps · ↻2"."""
        if self._camera is None:
            return []
        extra = []
        if self._state is TileState.PLAYING and self._fps is not None:
            extra.append(self.tr("%1 fps").replace("%1", f"{self._fps:.0f}"))
        if self._reconnects:
            extra.append(f"↻{self._reconnects}")
        full = " · ".join([state_label(self._state), *extra])
        return [full, " · ".join(extra)] if extra else [full]

    def set_other_names(self, names: list[str]) -> None:
        """The camera names on the wall's other tiles: a cut name must not read like one."""
        self._name.set_others(names)

    def shown_name(self) -> str:
        """The camera name as the header shows it now (cut to the room it has)."""
        return self._name.shown_text()

    def shown_status(self) -> str:
        """The status text the header shows now ("" when it gave way to the name)."""
        return self._stats.text() if not self._stats.isHidden() else ""

    def _fit_header(self) -> None:
        """The name wins the header's room: the status takes what the whole name leaves."""
        row = self._header_row
        margins = row.contentsMargins()
        spacing = row.spacing()
        room = self._header.width() - margins.left() - margins.right()
        for widget in (self._dot, self._callsign_label, self._hd, self._live, self._rec,
                       self._badge):
            if not widget.isHidden():
                room -= widget.sizeHint().width() + spacing
        self._stats.fit(room, self._name.full_width(), spacing)

    # --- Qt events ----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._header and event.type() == QEvent.Type.Resize:
            self._fit_header()
        return False

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._message_label.setText(self._message_fn())
            self._refresh()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._wanted and not self._running and self._state is TileState.STOPPED \
                and self._camera:
            self._start(first=True)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self._wanted and self._camera is not None and self._state not in (
                TileState.STOPPED, TileState.EMPTY):
            self._halt()  # a hidden tile costs no decoding; resumed by showEvent
            self._set_state(TileState.STOPPED, lambda: self.tr("Paused while hidden"))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self._camera is not None and event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self._camera.id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._camera is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated.emit(self._camera.id)
            event.accept()
            return
        super().keyPressEvent(event)
