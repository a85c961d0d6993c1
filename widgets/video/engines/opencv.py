"""The FFmpeg fallback engine, through OpenCV: for rtsp:// when libvlc has no live555, and
for everything when libvlc is missing.

Why OpenCV rather than Qt Multimedia (FIELD-NOTES, measured here): 9 sub-streams cost 14%
of a core against 52% for `QVideoWidget`, glass-to-glass 134 ms against 1.1 s, and one
open 0.11 s with the low-delay options below; Qt Multimedia also failed opens of streams
slow to probe. `bench/video_wall.py` measures it again.

A worker thread per tile opens, reads, scales the picture to the view's size and converts
it to 32-bit BGRA (OpenCV, outside the GIL), then wraps it in a `QImage` over the same
buffer and keeps only the newest one. The GUI thread does no per-frame Python beyond a
coalesced `update()` (a queued signal to the C++ slot) and `drawImage` in `paintEvent`.
OpenCV serialises FFmpeg opens inside a process anyway, and FFmpeg options travel in a
process-wide environment variable, so opens take a module lock.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.video import engine
from widgets.video.engine import MediaOptions

__all__ = ["OpenCvPlayer", "ffmpeg_options", "reachable"]

log = logging.getLogger(__name__)

OPEN_TIMEOUT_MS = 5000
READ_TIMEOUT_MS = 2500
_OPEN_LOCK = threading.Lock()
_ENV = "OPENCV_FFMPEG_CAPTURE_OPTIONS"


def ffmpeg_options(url: str, options: MediaOptions) -> str:
    """FFmpeg's demuxer options for one stream, in OpenCV's `key;value|key;value` form.
    Low delay: no probing (the SDP and in-band SPS say what the stream is), no buffering."""
    opts = ["fflags;nobuffer", "flags;low_delay"]
    if urlsplit(url).scheme.lower() in engine.RTSP_SCHEMES:
        opts += [f"rtsp_transport;{'tcp' if options.rtsp_tcp else 'udp'}",
                 "analyzeduration;0", "probesize;32"]
        if not options.rtsp_tcp:  # RTP over UDP: the reorder buffer is the network cache
            opts.append(f"max_delay;{max(0, options.network_caching_ms) * 1000}")
    return "|".join(opts)


def reachable(url: str, timeout_s: float = 1.5) -> str:
    """"" if the URL's host accepts a TCP connection, else "refused" or "unreachable".
    Asked before OpenCV opens: its FFmpeg open holds a process-wide mutex, so a camera
    whose host is down would otherwise block every other tile's open for the whole
    open timeout, on every retry."""
    parts = urlsplit(url)
    if not parts.hostname or parts.scheme.lower() not in (*engine.RTSP_SCHEMES, "http",
                                                          "https"):
        return ""
    default = {"http": 80, "https": 443}.get(parts.scheme.lower(), 554)
    try:
        with socket.create_connection((parts.hostname, parts.port or default), timeout_s):
            return ""
    except ConnectionRefusedError:
        return "refused"
    except OSError:
        return "unreachable"


class _Notifier(QObject):
    frame = Signal()


class _Sink:
    """What the worker hands over: the newest picture and the counters (under a lock)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.image: QImage | None = None
        self.buffer: Any = None  # the numpy array the QImage points into
        self.frames = 0
        self.state = "idle"
        self.error = ""
        self.target = (320, 180)
        self.crop: tuple[float, float, float, float] | None = None
        self.full: Any = None  # the newest decoded picture at full size (snapshots)
        self.pending = False
        self.painted = 0  # distinct pictures painted (benchmark: decoded - painted = dropped)
        self.painted_seq = -1


class _FrameView(QWidget):
    """A plain widget that paints the newest picture, centred, letterboxed in black."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.sink = _Sink()
        self.notifier = _Notifier()
        self.notifier.frame.connect(self.update, Qt.ConnectionType.QueuedConnection)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        with self.sink.lock:
            self.sink.target = (max(2, self.width()), max(2, self.height()))

    def paintEvent(self, event: QPaintEvent) -> None:
        sink = self.sink
        with sink.lock:
            image, sink.pending = sink.image, False
            if image is not None and sink.painted_seq != sink.frames:
                sink.painted += 1
                sink.painted_seq = sink.frames
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("black"))
        if image is not None:
            w, h = image.width(), image.height()
            painter.drawImage(QRect((self.width() - w) // 2, (self.height() - h) // 2, w, h),
                              image)
        painter.end()

    def clear(self) -> None:
        with self.sink.lock:
            self.sink.image, self.sink.buffer = None, None
        self.update()


class _Worker(threading.Thread):
    """Opens one stream and reads it until told to stop or the stream ends."""

    def __init__(self, url: str, options: MediaOptions, view: _FrameView) -> None:
        super().__init__(name="csu-video-opencv", daemon=True)
        self.url, self.options = url, options
        self.sink, self.notifier = view.sink, view.notifier
        self.stopping = threading.Event()

    def _set(self, state: str, error: str = "") -> None:
        with self.sink.lock:
            self.sink.state, self.sink.error = state, error

    def run(self) -> None:
        import cv2

        params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, OPEN_TIMEOUT_MS,
                  cv2.CAP_PROP_READ_TIMEOUT_MSEC, READ_TIMEOUT_MS]
        if self.options.hw_decoding:
            params += [cv2.CAP_PROP_HW_ACCELERATION, cv2.VIDEO_ACCELERATION_ANY]
        why = reachable(self.url)
        if why:
            if not self.stopping.is_set():
                self._set("error", why)
            return
        with _OPEN_LOCK:
            if self.stopping.is_set():
                return
            before = os.environ.get(_ENV)
            os.environ[_ENV] = ffmpeg_options(self.url, self.options)
            try:
                cap = cv2.VideoCapture(self.url, cv2.CAP_FFMPEG, params)
            finally:  # leave the process's environment as it was
                if before is None:
                    os.environ.pop(_ENV, None)
                else:
                    os.environ[_ENV] = before
        try:
            if not cap.isOpened():  # why: the tile asks the camera (one rule for engines)
                if not self.stopping.is_set():
                    self._set("error")
                return
            self._read(cap, cv2)
        finally:
            cap.release()

    def _read(self, cap: Any, cv2: Any) -> None:
        sink = self.sink
        while not self.stopping.is_set():
            ok, frame = cap.read()
            if not ok or self.stopping.is_set():
                if not self.stopping.is_set():
                    self._set("ended")
                return
            with sink.lock:
                tw, th = sink.target
                crop = sink.crop
                sink.full = frame
            if crop is not None:
                fh, fw = frame.shape[:2]
                x0, y0 = int(crop[0] * fw), int(crop[1] * fh)
                frame = frame[y0:y0 + max(2, int(crop[3] * fh)), x0:x0 + max(2, int(crop[2] * fw))]
            h, w = frame.shape[:2]
            scale = min(tw / w, th / h)
            size = (max(1, int(w * scale)), max(1, int(h * scale)))
            if size != (w, h):
                frame = cv2.resize(frame, size, interpolation=cv2.INTER_LINEAR)
            bgra = cv2.cvtColor(frame, cv2.COLOR_BGR2BGRA)
            image = QImage(bgra.data, size[0], size[1], int(bgra.strides[0]),
                           QImage.Format.Format_RGB32)
            with sink.lock:
                sink.image, sink.buffer = image, bgra
                sink.frames += 1
                sink.state = "playing"
                notify, sink.pending = not sink.pending, True
            if notify:
                self.notifier.frame.emit()


class OpenCvPlayer:
    """One tile's OpenCV player: a `_FrameView` and at most one live worker."""

    engine = engine.OPENCV_ENGINE

    def __init__(self, parent: QWidget) -> None:
        self._view = _FrameView(parent)
        self._worker: _Worker | None = None

    def view(self) -> QWidget:
        return self._view

    def play(self, url: str, options: MediaOptions) -> None:
        self.stop()
        sink = self._view.sink
        with sink.lock:
            sink.frames, sink.state, sink.error = 0, "opening", ""
            sink.painted, sink.painted_seq = 0, -1
        self._worker = _Worker(url, options, self._view)
        self._worker.start()

    def stop(self) -> None:
        """Tell the worker to stop; it closes the stream itself (no wait on the GUI thread)."""
        if self._worker is not None:
            self._worker.stopping.set()
            self._worker = None
        with self._view.sink.lock:
            self._view.sink.state = "idle"
        self._view.clear()

    def progress(self) -> int:
        return self.frames()

    def frames(self) -> int:
        with self._view.sink.lock:
            return self._view.sink.frames

    def state(self) -> str:
        with self._view.sink.lock:
            return self._view.sink.state

    def error(self) -> str:
        with self._view.sink.lock:
            return self._view.sink.error

    def crop(self, frac: tuple[float, float, float, float] | None) -> bool:
        """Digital zoom: the worker cuts (x, y, w, h), in fractions, before scaling."""
        with self._view.sink.lock:
            self._view.sink.crop = frac
        return True

    def snapshot(self, path: str) -> bool:
        """The newest decoded picture, full size, to `path` (encoding blocks: not on the
        GUI thread)."""
        import cv2

        with self._view.sink.lock:
            frame = self._view.sink.full
        return frame is not None and bool(cv2.imwrite(path, frame))

    def release(self, wait_s: float = 0.5) -> None:
        """Stop, and give the worker a moment to close its stream (the console is closing)."""
        worker = self._worker
        self.stop()
        if worker is not None:
            worker.join(wait_s)
