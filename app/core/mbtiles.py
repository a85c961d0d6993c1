"""Reading an MBTiles file (SQLite with the standard ``metadata`` and ``tiles`` tables).

Offline tiles for closed networks: the map's ``mbtiles:`` URL scheme serves them, and the
evidence export draws its map image over them (app.services may not import maps/, so the
reader lives here; the writer and the demo town's renderer stay in maps/mbtiles.py). Qt-free.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from pathlib import Path

TILE = 256


class MBTiles:
    """Read-only access to one MBTiles file, safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"no MBTiles file at {self.path}")
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                   check_same_thread=False)
        self._lock = threading.Lock()
        try:
            self.metadata = dict(self._db.execute("SELECT name, value FROM metadata").fetchall())
        except sqlite3.Error as exc:
            self._db.close()
            raise ValueError(f"{self.path} is not an MBTiles file: {exc}") from None

    @property
    def format(self) -> str:
        return str(self.metadata.get("format", "png"))

    @property
    def mime(self) -> str:
        return {"jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp",
                "pbf": "application/x-protobuf"}.get(self.format, "image/png")

    def zoom_range(self) -> tuple[int, int]:
        lo, hi = self.metadata.get("minzoom"), self.metadata.get("maxzoom")
        if lo is None or hi is None:
            row = self._db.execute("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles").fetchone()
            return int(row[0] or 0), int(row[1] or 0)
        return int(lo), int(hi)

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        """The tile at XYZ coordinates (MBTiles rows count from the south: TMS)."""
        row = (1 << z) - 1 - y
        with self._lock:
            found = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                (z, x, row)).fetchone()
        return bytes(found[0]) if found else None

    def close(self) -> None:
        self._db.close()


def lonlat_to_pixel(lon: float, lat: float, z: int) -> tuple[float, float]:
    """Web Mercator global pixel coordinates at zoom z (256-pixel tiles)."""
    scale = TILE * (1 << z)
    s = math.sin(math.radians(max(-85.0511, min(85.0511, lat))))
    return (lon + 180) / 360 * scale, (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * scale
