"""The officers' tracks over an export's range, as GPX 1.1 and GeoJSON (RFC 7946).

Two formats because two kinds of reader get them: GPX opens in any GPS tool (QGIS,
Garmin BaseCamp, GPXSee) and GeoJSON in any GIS or a browser map. Both hold the same fixes
(those inside [start, end], times in UTC with a Z); an officer asked for who has none in
the range is listed as such ("no position in range"), never silently dropped: an
investigator must see that the export looked for them.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path

from app.core.evidence import utc_text
from app.core.model import PositionFix
from app.core.site import Site
from app.services.evidence.officers import callsigns, fixes_in_range, label
from app.services.replay_history import ReplayHistory

GPX = "tracks.gpx"
GEOJSON = "tracks.geojson"
GPX_NS = "http://www.topografix.com/GPX/1/1"
NO_POSITION = "no position in range"
CREATOR = "CSU Console"
DIGITS = 7  # about 1 cm: more than any GPS gives, less than float noise


def write_tracks(history: ReplayHistory, officers: list[str], site: Site, out_dir: Path,
                 *, known_callsigns: Mapping[str, str] | None = None) -> list[Path]:
    """Writes tracks.gpx and tracks.geojson into `out_dir`; returns their paths.
    `known_callsigns`: id -> callsign of the officers announced by adapters (not in the
    site file), e.g. the runtime's `officers`."""
    names = callsigns(site, known_callsigns)
    tracks = {o: fixes_in_range(history, o) for o in officers}
    out_dir.mkdir(parents=True, exist_ok=True)
    gpx = out_dir / GPX
    gpx.write_bytes(gpx_bytes(history, tracks, names, site.site.name))
    geo = out_dir / GEOJSON
    geo.write_text(json.dumps(geojson(history, tracks, names, site.site.name),
                              ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [gpx, geo]


def gpx_bytes(history: ReplayHistory, tracks: Mapping[str, list[PositionFix]],
              names: Mapping[str, str], site_name: str) -> bytes:
    """GPX 1.1 in the schema's element order (metadata: name, desc; trk: name, desc,
    trkseg; trkpt: time, as there is no elevation)."""
    root = ET.Element("gpx", {"version": "1.1", "creator": CREATOR, "xmlns": GPX_NS})
    meta = ET.SubElement(root, "metadata")
    ET.SubElement(meta, "name").text = f"{site_name}: {utc_text(history.start)} – " \
                                       f"{utc_text(history.end)}"
    missing = [label(o, names) for o, fixes in tracks.items() if not fixes]
    desc = f"Officers' positions from {utc_text(history.start)} to {utc_text(history.end)}" \
           " (UTC)."
    if missing:
        desc += f" {NO_POSITION}: {', '.join(missing)}."
    ET.SubElement(meta, "desc").text = desc  # no <time>: it would read as the file's date
    for officer, fixes in tracks.items():
        trk = ET.SubElement(root, "trk")
        ET.SubElement(trk, "name").text = label(officer, names)
        if not fixes:
            ET.SubElement(trk, "desc").text = NO_POSITION
            continue
        seg = ET.SubElement(trk, "trkseg")
        for f in fixes:
            pt = ET.SubElement(seg, "trkpt", {"lat": _deg(f.position.lat),
                                              "lon": _deg(f.position.lon)})
            ET.SubElement(pt, "time").text = utc_text(f.time)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def geojson(history: ReplayHistory, tracks: Mapping[str, list[PositionFix]],
            names: Mapping[str, str], site_name: str) -> dict[str, object]:
    """A FeatureCollection, one Feature per officer: a LineString of [lon, lat] (RFC 7946's
    order) with its times in `properties.times`; a Point for a single fix; no geometry
    (null, as RFC 7946 allows for an unlocated feature) when there is none."""
    features = []
    for officer, fixes in tracks.items():
        coords = [[round(f.position.lon, DIGITS), round(f.position.lat, DIGITS)]
                  for f in fixes]
        geometry: dict[str, object] | None
        if len(coords) >= 2:
            geometry = {"type": "LineString", "coordinates": coords}
        elif coords:
            geometry = {"type": "Point", "coordinates": coords[0]}
        else:
            geometry = None
        props: dict[str, object] = {
            "officer": officer, "callsign": names.get(officer, ""),
            "start": utc_text(fixes[0].time) if fixes else None,
            "end": utc_text(fixes[-1].time) if fixes else None,
            "points": len(fixes),
            "times": [utc_text(f.time) for f in fixes]}
        if not fixes:
            props["note"] = NO_POSITION
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    return {"type": "FeatureCollection", "name": site_name,
            "range": {"start": utc_text(history.start), "end": utc_text(history.end)},
            "features": features}


def _deg(x: float) -> str:
    return f"{x:.{DIGITS}f}"
