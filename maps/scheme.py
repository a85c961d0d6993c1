"""The ``mbtiles:`` URL scheme: offline tiles served from MBTiles files to the map page.

``mbtiles://<name>/<z>/<x>/<y>`` answers from the file registered under ``name``. The scheme
must be declared before the QApplication exists (``register_scheme``, called by the launcher
and the tests); the handler is installed per web profile by MapView.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from app.core.mbtiles import MBTiles

log = logging.getLogger(__name__)

SCHEME = b"mbtiles"
_PATH = re.compile(r"/(\d{1,2})/(\d{1,9})/(\d{1,9})(?:\.\w+)?")


def register_scheme() -> None:
    """Declare the scheme to Chromium; once per process, before QApplication is created."""
    if QWebEngineUrlScheme.schemeByName(QByteArray(SCHEME)).name() == QByteArray(SCHEME):
        return
    scheme = QWebEngineUrlScheme(QByteArray(SCHEME))
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    flags = QWebEngineUrlScheme.Flag
    # Local: only local pages (our file:// map) may load it; CORS so canvas may read tiles.
    scheme.setFlags(flags.LocalScheme | flags.LocalAccessAllowed | flags.CorsEnabled
                    | flags.SecureScheme)
    QWebEngineUrlScheme.registerScheme(scheme)


def prepare_web_engine() -> None:
    """Process-wide set-up the map needs before the QApplication exists.

    Declares the ``mbtiles:`` scheme, and composites web pages in software unless
    ``CSU_MAP_GPU=1``: through OpenGL without a GPU (Mesa llvmpipe, Xvfb, most VMs) each page
    frame blocked the GUI thread ~60 ms (lag p99 66 ms with 100 objects moving); in software
    the same load gives 3 ms (bench/map_bench.py).
    """
    register_scheme()
    if os.environ.get("CSU_MAP_GPU") != "1":
        from PySide6.QtQuick import QQuickWindow, QSGRendererInterface

        QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)


def tile_url(name: str) -> str:
    """The Leaflet URL template of a registered MBTiles source."""
    return f"{SCHEME.decode()}://{name}/{{z}}/{{x}}/{{y}}"


class MBTilesSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers tile requests from MBTiles files; unknown names or tiles get a 404-like fail."""

    def __init__(self, sources: dict[str, Path], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._files: dict[str, MBTiles] = {}
        for name, path in sources.items():
            try:
                self._files[name.lower()] = MBTiles(path)
            except (OSError, ValueError) as exc:
                log.error("map: MBTiles source %s cannot be opened: %s", name, exc)
        self.served = 0
        self.missing = 0

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        """Called on the GUI thread for every mbtiles: request; answers at once."""
        url = job.requestUrl()
        source = self._files.get(url.host().lower())
        match = _PATH.fullmatch(url.path())
        if source is None or match is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        z, x, y = (int(g) for g in match.groups())
        data = source.tile(z, x, y)
        if data is None:
            self.missing += 1
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        buf = QBuffer(job)  # the job owns the buffer: it lives until the reply is read
        buf.setData(QByteArray(data))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        self.served += 1
        job.reply(QByteArray(source.mime.encode()), buf)

    def close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files.clear()
