"""One video tile: a header strip with the camera's chrome above a native video surface.

libvlc draws into a native child window whose id we hand it (`set_xwindow` / `set_hwnd` /
`set_nsobject`); no frame passes through Python and no libvlc video callback is used.
Qt cannot paint over that native window, so everything the operator reads (name, status
dot, officer callsign, live mark) sits in a header strip above it, and messages (no
engine, cannot open, no signal, empty tile) replace the surface in a stacked page.

Streams: the tile passes the URL to libvlc as is, with per-media options from
`widgets.video.engine.media_options` (`:network-caching`, `:rtsp-tcp` for RTSP). MJPEG
over HTTP needs no `:demux=mjpeg`: libvlc's mjpeg demuxer recognises the
`multipart/x-mixed-replace` content type (checked with the demo camera server), and
options travel as media options, never inside the URL.

libvlc raises no event when a network stream stalls, so the wall's single timer calls
`watchdog_tick()` on every tile: the tile checks that the decoded-frame counters advance,
marks "no signal" after `STALL_S` without progress and reconnects with a capped, jittered
exponential backoff. For MJPEG over HTTP, `get_time()` stays at 0: only the statistics
(`decoded_video`, `displayed_pictures`) prove that frames arrive.

No fps in the header: libvlc 3.0.24 counts every picture twice in both counters (measured
here on MJPEG over HTTP and on 10 fps MJPEG/MPEG-4 files: 20/s), so a rate derived from
them would be wrong by a factor that nothing documents; the counters still prove progress.
"""

from __future__ import annotations

import enum
import logging
import random
import sys
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
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
from widgets.video import engine

log = logging.getLogger(__name__)

STALL_S = 3.0  # no decoded frame for this long: "no signal"
CONNECT_TIMEOUT_S = 8.0  # an attempt that shows no frame within this is abandoned
BACKOFF_S = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)  # reconnect delays, the last one repeats
HEADER_H = 22


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


class _ElidedLabel(QLabel):
    """A label that shrinks with "…" instead of widening the tile for a long camera name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(10)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        fm = QFontMetrics(self.font())
        text = fm.elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(self.rect(), int(align), text)


class _Surface(QFrame):
    """The native window libvlc draws into (black where the picture does not reach)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors, True)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor("black"))
        self.setPalette(pal)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)


class _Player:
    """The libvlc objects of one tile, kept outside the QObject so that they can be
    released from the `destroyed` signal after the widget's Python side is gone."""

    def __init__(self) -> None:
        self.player: Any = None
        self.media: Any = None
        self.stats: Any = None

    def start(self, url: str, options: list[str], window: int) -> None:
        vlc = engine.vlc_module()
        if self.player is None:
            self.player = engine.instance().media_player_new()
            self.player.video_set_mouse_input(False)  # let Qt get clicks and double-clicks
            self.player.video_set_key_input(False)
            if sys.platform == "win32":
                self.player.set_hwnd(window)
            elif sys.platform == "darwin":
                self.player.set_nsobject(window)
            else:
                self.player.set_xwindow(window)
            self.stats = vlc.MediaStats()
        self.stop()
        self.media = engine.instance().media_new(url, *options)
        self.player.set_media(self.media)
        self.player.play()

    def stop(self) -> None:
        if self.player is not None:
            # Synchronous, but short enough for the GUI thread (measured here, libvlc 3.0.24,
            # HTTP: playing 1 ms, still opening 14 ms, refused/unroutable 0.1 ms, a server
            # that accepts and never answers 2 ms), so no worker thread.
            self.player.stop()
        if self.media is not None:
            self.media.release()
            self.media = None

    def progress(self) -> tuple[int, int, int]:
        """Counters that advance while frames arrive: decoded, displayed, time (ms)."""
        if self.player is None or self.media is None:
            return (0, 0, 0)
        decoded = displayed = 0
        if self.media.get_stats(self.stats):
            decoded, displayed = self.stats.decoded_video, self.stats.displayed_pictures
        return (decoded, displayed, max(0, self.player.get_time()))

    def vlc_state(self) -> str:
        """libvlc's state name: NothingSpecial, Opening, Buffering, Playing, Ended, Error..."""
        if self.player is None:
            return "Stopped"
        name = str(self.player.get_state())  # "State.Playing"
        return name.rsplit(".", 1)[-1]

    def release(self) -> None:
        self.stop()
        if self.player is not None:
            self.player.release()
            self.player = None


_WINDOW_SYSTEMS = {"xcb", "windows", "cocoa"}


def _no_text() -> str:
    return ""


def _empty_text() -> str:
    return "—"


class VideoTile(QWidget):
    """Plays one camera; says what it shows and what is wrong when it shows nothing."""

    activated = Signal(str)  # camera id, on double-click or Enter
    state_changed = Signal(str)  # a TileState value

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(160, 90 + HEADER_H)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setObjectName("videoTile")
        self._camera: Camera | None = None
        self._role = StreamRole.SUB
        self._url = ""
        self._callsign = ""
        self._state = TileState.EMPTY
        self._message_fn: Callable[[], str] = _no_text
        self._wanted = False  # the operator asked for video (paused while hidden)
        self._running = False  # a libvlc attempt is under way
        self._ever_played = False
        self._attempt_at = 0.0
        self._last_progress_at = 0.0
        self._last_counters: tuple[int, int, int] = (0, 0, 0)
        self._failures = 0
        self._retry_at: float | None = None
        self._player = _Player()
        self.destroyed.connect(self._player.release)

        self._header = QFrame(self)
        self._header.setObjectName("tileHeader")
        self._header.setFixedHeight(HEADER_H)
        self._dot = QLabel(self._header)
        self._dot.setFixedSize(10, 10)
        self._name = _ElidedLabel(self._header)
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
        row = QHBoxLayout(self._header)
        row.setContentsMargins(6, 0, 6, 0)
        row.setSpacing(6)
        row.addWidget(self._dot)
        row.addWidget(self._name, 1)
        row.addWidget(self._callsign_label)
        row.addWidget(self._hd)
        row.addWidget(self._live)

        self._surface = _Surface(self)
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
        self._wanted = True
        self._ever_played = False
        self._failures = 0
        self._retry_at = None
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
        if not self._running:
            if self._retry_at is not None and now >= self._retry_at and self.isVisible():
                self._start(first=False)
            elif self._retry_at is not None and self._state in (TileState.NO_SIGNAL,
                                                                TileState.ERROR):
                self._show_failure(now)  # refresh the countdown
            return
        counters = self._player.progress()
        vlc_state = self._player.vlc_state()
        if counters != self._last_counters and counters[0] + counters[1] + counters[2] > 0:
            self._last_counters = counters
            self._last_progress_at = now
            if self._state is not TileState.PLAYING:
                self._ever_played = True
                self._failures = 0
                self._set_state(TileState.PLAYING)
            return
        if vlc_state in ("Error", "Ended", "Stopped"):
            self._fail(now, vlc_state)
        elif self._state is TileState.PLAYING and now - self._last_progress_at > STALL_S:
            self._fail(now, "stalled")
        elif self._state is not TileState.PLAYING and now - self._attempt_at > CONNECT_TIMEOUT_S:
            self._fail(now, "timeout")

    # --- the attempt cycle ------------------------------------------------------------

    def _start(self, *, first: bool) -> None:
        assert self._camera is not None
        status = engine.libvlc_status()
        if not status.available:
            self._wanted = False
            self._set_state(TileState.ERROR, lambda: self.tr("No video engine: %1").replace(
                "%1", status.reason))
            return
        platform = QGuiApplication.platformName()
        if platform not in _WINDOW_SYSTEMS:
            self._wanted = False
            self._set_state(TileState.ERROR, lambda: self.tr(
                "Video needs a window system that can embed it (X11, Windows, macOS); "
                "this one is '%1'.").replace("%1", platform))
            return
        now = time.monotonic()
        self._attempt_at = now
        self._last_progress_at = now
        self._last_counters = (0, 0, 0)
        self._retry_at = None
        try:
            self._player.start(self._url, engine.media_options(self._url),
                               int(self._surface.winId()))
        except Exception as exc:  # libvlc refusing a media must not take the wall down
            log.exception("cannot start %s", engine.redact_url(self._url))
            self._running = False
            self._fail(now, str(exc))
            return
        self._running = True
        if first:
            self._set_state(TileState.CONNECTING)
        elif self._ever_played:  # stay "no signal" until a frame proves the link is back
            self._set_state(TileState.NO_SIGNAL, lambda: self.tr("No signal — reconnecting…"))
        else:
            self._set_state(TileState.ERROR, lambda: self.tr(
                "Cannot open the stream — retrying…\n%1").replace(
                "%1", engine.redact_url(self._url)))
        log.debug("tile %s: attempt %d on %s", self._camera.id, self._failures + 1,
                  engine.redact_url(self._url))

    def _halt(self) -> None:
        if self._running:
            self._player.stop()
        self._running = False
        self._retry_at = None

    def _fail(self, now: float, why: str) -> None:
        """End this attempt, say why, and plan the next one."""
        self._player.stop()
        self._running = False
        delay = BACKOFF_S[min(self._failures, len(BACKOFF_S) - 1)]
        self._failures += 1
        self._retry_at = now + delay * random.uniform(0.8, 1.2)
        if self._camera is not None:
            log.info("tile %s: %s (%s), retry in %.0f s", self._camera.id,
                     "signal lost" if self._ever_played else "cannot open", why, delay)
        self._show_failure(now)

    def _show_failure(self, now: float) -> None:
        secs = str(max(0, round((self._retry_at or now) - now)))
        if self._ever_played:
            self._set_state(TileState.NO_SIGNAL, lambda: self.tr(
                "No signal — reconnecting in %1 s").replace("%1", secs))
        else:
            url = engine.redact_url(self._url)
            self._set_state(TileState.ERROR, lambda: self.tr(
                "Cannot open the stream — retrying in %1 s\n%2").replace(
                "%1", secs).replace("%2", url))

    # --- presentation -----------------------------------------------------------------

    def _set_state(self, state: TileState, message: Callable[[], str] | None = None) -> None:
        """Switch state; `message` builds the text shown instead of the picture, and is
        called again on a language change."""
        if state is TileState.EMPTY:
            message = _empty_text
        self._message_fn = message or _no_text
        show_video = state in (TileState.CONNECTING, TileState.PLAYING)
        self._stack.setCurrentWidget(self._surface if show_video else self._message_label)
        self._message_label.setText(self._message_fn())
        changed = state is not self._state
        self._state = state
        self._refresh()
        if changed:
            self.state_changed.emit(str(state))

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
        lines = [cam.name if cam else self.tr("Empty tile"),
                 self.tr("State: %1").replace("%1", state_label(self._state))]
        if cam is not None:
            status = engine.libvlc_status()
            lines.append(self.tr("Engine: %1").replace(
                "%1", f"{engine.ENGINE_NAME} {status.version}" if status.available
                else self.tr("none")))
            lines.append(self.tr("Stream (%1): %2").replace("%1", str(self._role)).replace(
                "%2", engine.redact_url(self._url)))
        self._header.setToolTip("\n".join(lines))

    # --- Qt events ----------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._message_label.setText(self._message_fn())
            self._refresh()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._wanted and not self._running and self._retry_at is None and self._camera:
            self._start(first=True)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if self._running or self._retry_at is not None:
            self._halt()  # a hidden tile costs no decoding; resumed by showEvent
            if self._wanted and self._camera is not None:
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
