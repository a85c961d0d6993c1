"""Tile sources from the site file: MBTiles files, xyzservices names, URL templates."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from app.core.mbtiles import MBTiles
from app.core.registry import discover
from app.core.site import SiteError, load_site, parse_site
from maps.mbtiles import TownRenderer, build_town_mbtiles, write_mbtiles
from maps.page import build_page
from maps.sources import resolve_sources

REPO = Path(__file__).resolve().parents[2]
TOWN = REPO / "resources" / "demo" / "town.geojson"
PNG = b"\x89PNG\r\n\x1a\n" + b"x" * 10


def site_with(tmp_path: Path, **map_keys: object) -> dict[str, object]:
    return {"site": {"name": "T"}, "map": {"center": [60.17, 24.94], **map_keys}}


def test_mbtiles_rows_are_tms_and_metadata_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.mbtiles"
    assert write_mbtiles(path, [(3, 2, 1, PNG)], {"format": "png", "minzoom": "3",
                                                   "maxzoom": "3", "attribution": "Ville"}) == 1
    with sqlite3.connect(path) as db:  # the standard tables, rows counted from the south
        assert db.execute("SELECT zoom_level, tile_column, tile_row FROM tiles").fetchall() \
            == [(3, 2, 6)]
    m = MBTiles(path)
    assert m.tile(3, 2, 1) == PNG
    assert m.tile(3, 2, 6) is None
    assert (m.mime, m.zoom_range(), m.metadata["attribution"]) == ("image/png", (3, 3), "Ville")
    m.close()
    (tmp_path / "bad.mbtiles").write_text("not sqlite")
    with pytest.raises(ValueError, match="not an MBTiles file"):
        MBTiles(tmp_path / "bad.mbtiles")


def test_town_tiles_are_rendered_locally(tmp_path: Path) -> None:
    out = tmp_path / "town.mbtiles"
    count = build_town_mbtiles(TOWN, out, zooms=[13])
    assert 1 <= count <= 4
    m = MBTiles(out)
    assert "OpenStreetMap" in m.metadata["attribution"]
    r = TownRenderer(TOWN)
    assert r.bbox[0] < 24.944 < r.bbox[2]
    m.close()


def test_the_demo_site_uses_offline_tiles_only() -> None:
    site = load_site(REPO / "resources" / "demo" / "site.toml", discover())
    src = resolve_sources(site)
    assert src.remote == []
    assert [t["url"] for t in src.tiles] == ["mbtiles://plan-hors-ligne/{z}/{x}/{y}"]
    assert src.mbtiles["plan-hors-ligne"].is_file()
    assert src.town is not None
    assert src.zones is not None
    assert src.base == "streets"


def test_every_kind_of_source_resolves(tmp_path: Path) -> None:
    data = site_with(tmp_path, base="IGN", tiles=[
        {"name": "Serveur", "url": "http://tiles.csu.local/{z}/{x}/{y}.png",
         "attribution": "Ville"},
        {"name": "IGN", "provider": "GeoportailFrance.plan"},
        {"name": "Hors ligne", "mbtiles": "nowhere.mbtiles"},
    ])
    src = resolve_sources(parse_site(data, str(tmp_path / "site.toml"), {}))
    urls = [str(t["url"]) for t in src.tiles]
    assert urls[0] == "http://tiles.csu.local/{z}/{x}/{y}.png"
    assert urls[1].startswith("https://data.geopf.fr/wmts?")
    assert "Geoportail" in str(src.tiles[1]["attribution"])  # the provider's own attribution
    assert urls[2] == "mbtiles://hors-ligne/{z}/{x}/{y}"
    assert src.remote == urls[:2]
    assert src.base == "IGN"
    page = build_page(tmp_path / "cache", (60.17, 24.94), 15, tiles=src.tiles, base=src.base)
    text = page.read_text(encoding="utf-8")
    assert "data.geopf.fr" in text
    assert "mbtiles://hors-ligne" in text


def test_a_legacy_base_url_is_one_more_source(tmp_path: Path) -> None:
    data = site_with(tmp_path, base="http://t.local/{z}/{x}/{y}.png")
    src = resolve_sources(parse_site(data, "site.toml", {}))
    assert src.base == "site"
    assert src.remote == ["http://t.local/{z}/{x}/{y}.png"]


@pytest.mark.parametrize(("tile", "expected"), [
    ({"name": "x"}, "map.tiles[0]: give exactly one of url, provider, mbtiles"),
    ({"name": "x", "url": "http://a/{z}.png"}, "map.tiles[0].url: a tile URL template needs"),
    ({"name": "x", "provider": "Nope.Nothing"}, "map.tiles[0].provider: no xyzservices"),
])
def test_bad_tile_sources_name_the_key(tmp_path: Path, tile: dict[str, str],
                                       expected: str) -> None:
    with pytest.raises(SiteError) as err:
        parse_site(site_with(tmp_path, tiles=[tile]), "site.toml", {})
    assert any(p.startswith(f"site.toml: {expected}") for p in err.value.problems), \
        err.value.problems


def test_zones_are_a_page_script(tmp_path: Path) -> None:
    zones = tmp_path / "z.geojson"
    zones.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    page = build_page(tmp_path / "cache", (60.17, 24.94), 15, zones_geojson=zones)
    assert "zones-" in page.read_text(encoding="utf-8")
    assert any(p.name.startswith("zones-") for p in (tmp_path / "cache").iterdir())
