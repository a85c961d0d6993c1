"""MBTiles (SQLite with the standard ``metadata`` and ``tiles`` tables): write, render.

Offline tiles for closed networks. The reader is app/core/mbtiles (the evidence export
draws over the tiles too); the writer and the renderer here build the demo's tiles locally
from the bundled town GeoJSON (OpenCV draws them), so nothing is ever downloaded. Qt-free.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

import cv2
import numpy as np

from app.core.mbtiles import TILE, lonlat_to_pixel

# BGR colours, the same palette as the page's vector base layer.
_BG = (224, 231, 235)
_BUILDING = (201, 210, 217)
_BUILDING_EDGE = (179, 191, 201)
_CASING = (170, 181, 189)
_ROAD = (255, 255, 255)
_MAJOR = (225, 248, 255)
_RANK = {"primary": 6, "trunk": 6, "secondary": 5, "tertiary": 4, "residential": 3,
         "unclassified": 3, "living_street": 3, "pedestrian": 2, "service": 2, "footway": 1,
         "cycleway": 1, "path": 1, "steps": 1}
_WIDTH = {6: 7.0, 5: 6.0, 4: 5.0, 3: 4.0, 2: 2.5, 1: 1.2}


def write_mbtiles(path: Path, tiles: Iterable[tuple[int, int, int, bytes]],
                  metadata: dict[str, str]) -> int:
    """Write XYZ-addressed tiles (z, x, y, png) into a new MBTiles file; returns the count."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.executescript(
            "CREATE TABLE metadata (name TEXT, value TEXT);"
            "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
            " tile_data BLOB);"
            "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", sorted(metadata.items()))
        n = 0
        for z, x, y, data in tiles:
            db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, data))
            n += 1
        db.commit()
        return n
    finally:
        db.close()


def tile_range(bbox: tuple[float, float, float, float], z: int) -> Iterator[tuple[int, int]]:
    """Tiles (x, y) covering a (west, south, east, north) box at zoom z."""
    x0, y0 = lonlat_to_pixel(bbox[0], bbox[3], z)
    x1, y1 = lonlat_to_pixel(bbox[2], bbox[1], z)
    for x in range(int(x0 // TILE), int(x1 // TILE) + 1):
        for y in range(int(y0 // TILE), int(y1 // TILE) + 1):
            yield x, y


class TownRenderer:
    """Draws raster tiles of a streets-and-buildings GeoJSON (the demo town) with OpenCV."""

    def __init__(self, geojson: Path) -> None:
        data = json.loads(Path(geojson).read_text(encoding="utf-8"))
        self.attribution = str(data.get("attribution", ""))
        self.buildings: list[list[list[tuple[float, float]]]] = []
        self.roads: list[tuple[int, list[tuple[float, float]]]] = []
        lons: list[float] = []
        lats: list[float] = []
        for f in data.get("features", []):
            g = f.get("geometry") or {}
            kind, coords = g.get("type"), g.get("coordinates") or []
            if kind == "Polygon":
                self.buildings.append([[(c[0], c[1]) for c in ring] for ring in coords])
            elif kind == "MultiPolygon":
                self.buildings += [[[(c[0], c[1]) for c in r] for r in p] for p in coords]
            elif kind in ("LineString", "MultiLineString"):
                rank = _RANK.get((f.get("properties") or {}).get("highway", ""), 2)
                lines = [coords] if kind == "LineString" else coords
                self.roads += [(rank, [(c[0], c[1]) for c in line]) for line in lines]
            else:
                continue
        for _r, line in self.roads:
            lons += [c[0] for c in line]
            lats += [c[1] for c in line]
        self.roads.sort(key=lambda r: r[0])
        self.bbox = (min(lons), min(lats), max(lons), max(lats)) if lons else (0, 0, 0, 0)

    def render(self, z: int, x: int, y: int) -> bytes:
        """One 256-pixel PNG tile, antialiased, drawn at 4x sub-pixel precision."""
        img = np.full((TILE, TILE, 3), _BG, np.uint8)
        shift, k = 2, 4.0

        def pts(line: list[tuple[float, float]]) -> np.ndarray:
            out = [lonlat_to_pixel(lon, lat, z) for lon, lat in line]
            return np.array([[(px - x * TILE) * k, (py - y * TILE) * k] for px, py in out],
                            np.int32)

        scale = max(0.35, min(1.6, 2.0 ** (z - 16)))
        polys = [pts(ring) for b in self.buildings for ring in b[:1]]
        if polys:
            cv2.fillPoly(img, polys, _BUILDING, cv2.LINE_AA, shift)
            cv2.polylines(img, polys, True, _BUILDING_EDGE, 1, cv2.LINE_AA, shift)
        for casing in (True, False):
            for rank, line in self.roads:
                if casing and rank < 2:
                    continue
                w = _WIDTH[rank] * scale + (2 if casing else 0)
                color = _CASING if casing else (_MAJOR if rank >= 5 else _ROAD)
                cv2.polylines(img, [pts(line)], False, color, max(1, round(w)), cv2.LINE_AA,
                              shift)
        ok, png = cv2.imencode(".png", img, [cv2.IMWRITE_PNG_COMPRESSION, 9])
        if not ok:
            raise RuntimeError("PNG encoding failed")
        return png.tobytes()


def build_town_mbtiles(geojson: Path, out: Path, zooms: Iterable[int] = range(13, 18),
                       name: str = "town") -> int:
    """Render every tile of the town at these zooms into an MBTiles file."""
    r = TownRenderer(geojson)
    zs = list(zooms)
    tiles = ((z, x, y, r.render(z, x, y)) for z in zs for x, y in tile_range(r.bbox, z))
    w, s, e, n = r.bbox
    meta = {"name": name, "format": "png", "type": "baselayer", "version": "1",
            "minzoom": str(min(zs)), "maxzoom": str(max(zs)),
            "bounds": f"{w},{s},{e},{n}", "center": f"{(w + e) / 2},{(s + n) / 2},{max(zs) - 1}",
            "attribution": r.attribution or "© OpenStreetMap contributors, ODbL 1.0",
            "description": "Rendered locally from the bundled town GeoJSON"}
    return write_mbtiles(out, tiles, meta)


if __name__ == "__main__":  # python -m maps.mbtiles TOWN.geojson OUT.mbtiles
    import sys

    count = build_town_mbtiles(Path(sys.argv[1]), Path(sys.argv[2]))
    sys.stdout.write(f"{count} tiles\n")
