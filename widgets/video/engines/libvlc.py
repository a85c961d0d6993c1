"""The libvlc engine: decodes and draws into a native child window; no pixel and no
per-frame call passes through Python.

fps: libvlc 3.0.x counts every picture twice in both `decoded_video` and
`displayed_pictures` (measured here with libvlc 3.0.21: 20/s for 10 fps H.264 in MP4 and
for 10 fps MJPEG over HTTP, while `get_fps()` says 10 for the file and 0 for MJPEG), so
`frames()` halves `displayed_pictures` on 3.0.x. `progress()` also moves with `get_time()`.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QSizePolicy, QWidget

from widgets.video import engine
from widgets.video.engine import MediaOptions

# NothingSpecial right after play() means "not started yet", not "stopped"
_STATES = {"NothingSpecial": "opening", "Opening": "opening", "Buffering": "opening",
           "Playing": "playing", "Paused": "playing", "Stopped": "idle", "Ended": "ended",
           "Error": "error"}


class _NativeView(QFrame):
    """The native window libvlc draws into (black where the picture does not reach)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_NativeWindow, True)
        self.setAttribute(Qt.WidgetAttribute.WA_DontCreateNativeAncestors, True)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor("black"))
        self.setPalette(pal)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)


class LibVlcPlayer:
    """One libvlc media player bound to one native view."""

    engine = engine.ENGINE_NAME

    def __init__(self, parent: QWidget) -> None:
        self._view = _NativeView(parent)
        self.player: Any = None
        self.media: Any = None
        self.stats: Any = None
        version = engine.libvlc_status().version
        self._double_count = version.startswith("3.")

    def view(self) -> QWidget:
        return self._view

    def play(self, url: str, options: MediaOptions) -> None:
        vlc = engine.vlc_module()
        if self.player is None:
            self.player = engine.instance().media_player_new()
            self.player.video_set_mouse_input(False)  # let Qt get clicks and double-clicks
            self.player.video_set_key_input(False)
            window = int(self._view.winId())
            if sys.platform == "win32":
                self.player.set_hwnd(window)
            elif sys.platform == "darwin":
                self.player.set_nsobject(window)
            else:
                self.player.set_xwindow(window)
            self.stats = vlc.MediaStats()
        self.stop()
        opts = engine.media_options(url, network_caching_ms=options.network_caching_ms,
                                    rtsp_tcp=options.rtsp_tcp, hw_decoding=options.hw_decoding)
        self.media = engine.instance().media_new(url, *opts)
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

    def _counters(self) -> tuple[int, int]:
        if self.player is None or self.media is None:
            return (0, 0)
        if self.media.get_stats(self.stats):
            return (int(self.stats.decoded_video), int(self.stats.displayed_pictures))
        return (0, 0)

    def progress(self) -> int:
        if self.player is None or self.media is None:
            return 0
        decoded, displayed = self._counters()
        return decoded + displayed + max(0, int(self.player.get_time()))

    def frames(self) -> int:
        shown = self._counters()[1]
        return shown // 2 if self._double_count else shown

    def state(self) -> str:
        if self.player is None or self.media is None:
            return "idle"
        name = str(self.player.get_state()).rsplit(".", 1)[-1]  # "State.Playing"
        return _STATES.get(name, "opening")

    def error(self) -> str:
        return ""  # libvlc 3 gives no reason through its API

    def release(self) -> None:
        self.stop()
        if self.player is not None:
            self.player.release()
            self.player = None

    def crop(self, frac: tuple[float, float, float, float] | None) -> bool:
        """Digital zoom (wall tools): show only (x, y, w, h) of the picture, in fractions;
        None shows it all. False while the picture's size is not known yet."""
        if self.player is None:
            return False
        if frac is None:
            self.player.video_set_crop_geometry(None)
            return True
        width, height = self.player.video_get_size(0) or (0, 0)
        if not width or not height:
            return False
        x, y, w, h = frac
        self.player.video_set_crop_geometry(
            f"{max(2, round(w * width))}x{max(2, round(h * height))}"
            f"+{round(x * width)}+{round(y * height)}")
        return True

    def snapshot(self, path: str) -> bool:
        """Write the current picture to `path` (PNG). Blocks until libvlc has it: call it
        off the GUI thread (wall tools)."""
        player = self.player
        return player is not None and player.video_take_snapshot(0, path, 0, 0) == 0
