"""Turns the site file's map section into what the page needs: tile layers, MBTiles files
served by the ``mbtiles:`` scheme, and the remote templates the request guard lets through.

Qt-free. xyzservices (a folium dependency) resolves provider names from the list shipped in
its wheel: nothing is fetched to know a provider's URL or attribution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.core.site import MapConfig, Site, TileSourceConfig

MBTILES_SCHEME = "mbtiles"


@dataclass
class MapSources:
    tiles: list[dict[str, object]] = field(default_factory=list)  # page layers, in order
    mbtiles: dict[str, Path] = field(default_factory=dict)  # scheme host -> file
    remote: list[str] = field(default_factory=list)  # templates the guard lets through
    base: str = "streets"  # the layer shown first
    town: Path | None = None
    zones: Path | None = None


def _host(name: str) -> str:
    """A name usable as the host part of an mbtiles: URL."""
    return re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") or "tiles"


def _provider(cfg: TileSourceConfig) -> tuple[str, str, int]:
    import xyzservices

    p = xyzservices.providers.query_name(str(cfg.provider))
    if p.requires_token():
        raise ValueError(f"tile provider {cfg.provider!r} needs a key: give its url instead")
    return p.build_url(), str(p.get("attribution", "")), int(p.get("max_zoom", cfg.max_zoom))


def resolve_sources(site: Site) -> MapSources:
    """The page's tile sources from `[map]`; raises ValueError for an unusable provider."""
    m: MapConfig = site.map
    out = MapSources()
    for cfg in m.tiles:
        layer: dict[str, object] = {"name": cfg.name, "maxNativeZoom": cfg.max_zoom,
                                    "attribution": cfg.attribution}
        if cfg.url:
            layer["url"] = cfg.url
            out.remote.append(cfg.url)
        elif cfg.provider:
            url, attr, max_zoom = _provider(cfg)
            layer.update(url=url, attribution=cfg.attribution or attr,
                         maxNativeZoom=min(cfg.max_zoom, max_zoom))
            out.remote.append(url)
        elif cfg.mbtiles:
            host = _host(cfg.name)
            path = site.resolve(cfg.mbtiles)
            out.mbtiles[host] = path
            layer["url"] = f"{MBTILES_SCHEME}://{host}/{{z}}/{{x}}/{{y}}"
            layer["minNativeZoom"], layer["maxNativeZoom"] = _zooms(path, cfg.max_zoom)
            if not cfg.attribution:
                layer["attribution"] = _mbtiles_attribution(path)
        out.tiles.append(layer)
    if m.base not in ("streets", *(t.name for t in m.tiles)):  # a URL template (older files)
        out.tiles.append({"name": "site", "url": m.base, "attribution": m.attribution,
                          "maxNativeZoom": 19})
        out.remote.append(m.base)
        out.base = "site"
    else:
        out.base = m.base
    out.town = site.resolve(m.streets_geojson) if m.streets_geojson else None
    out.zones = site.resolve(m.sectors_geojson) if m.sectors_geojson else None
    return out


def _zooms(path: Path, max_zoom: int) -> tuple[int, int]:
    from app.core.mbtiles import MBTiles

    try:
        db = MBTiles(path)
    except (OSError, ValueError):
        return 0, max_zoom
    try:
        lo, hi = db.zoom_range()
        return lo, min(hi, max_zoom)
    finally:
        db.close()


def _mbtiles_attribution(path: Path) -> str:
    from app.core.mbtiles import MBTiles

    try:
        db = MBTiles(path)
    except (OSError, ValueError):
        return ""
    try:
        return str(db.metadata.get("attribution", ""))
    finally:
        db.close()
