"""The generated map page loads nothing from the network; Leaflet is the vendored copy."""

from __future__ import annotations

import re
from pathlib import Path

import folium
import pytest

from maps.page import QWEBCHANNEL_JS, build_page, leaflet_source, tile_pattern

TOWN = Path(__file__).resolve().parents[2] / "resources" / "demo" / "town.geojson"
CENTER = (60.1695, 24.9440)

HTML_REF = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")
REMOTE = re.compile(r"""(?:https?|wss?|ftp)://[^\s"'<>)]+""")
# URLs inside the vendored Leaflet that are never fetched: the SVG namespace identifier,
# and the attribution prefix link, which console.js replaces with plain text.
NOT_FETCHED = {"http://www.w3.org/2000/svg", "https://leafletjs.com"}


@pytest.fixture
def page(tmp_path: Path) -> Path:
    return build_page(tmp_path / "cache", CENTER, 16, TOWN)


def local_references(page: Path) -> list[Path]:
    """Every file the page pulls in (scripts, styles, and what the styles pull in)."""
    refs = HTML_REF.findall(page.read_text(encoding="utf-8"))
    assert [r for r in refs if ":" in r] == [QWEBCHANNEL_JS]  # the only non-relative one
    files = [page.parent / r for r in refs if ":" not in r]
    for css in [f for f in files if f.suffix == ".css"]:
        for url in CSS_URL.findall(css.read_text(encoding="utf-8")):
            if not url.startswith(("data:", "#")):  # "#default#VML": old IE behaviour
                assert ":" not in url, f"{css.name} references {url}"
                files.append(css.parent / url)
    return files


def test_the_page_references_no_remote_url(page: Path) -> None:
    assert REMOTE.findall(page.read_text(encoding="utf-8")) == []
    files = local_references(page)
    names = {f.name for f in files}
    assert {"leaflet.js", "leaflet.css", "console.js", "layers.png"} <= names
    assert any(n.startswith("town-") and n.endswith(".js") for n in names)
    for f in files:
        assert f.is_file(), f
        if f.suffix in {".js", ".css"}:
            text = f.read_text(encoding="utf-8")
            if f.suffix == ".css":  # comments cite bug trackers; only rules load anything
                text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
            assert set(REMOTE.findall(text)) <= NOT_FETCHED, f


def test_leaflet_is_the_vendored_1_9_4(page: Path) -> None:
    served = page.parent / "leaflet" / "leaflet.js"
    assert served.read_bytes() == (leaflet_source() / "leaflet.js").read_bytes()
    assert "Leaflet 1.9.4" in served.read_text(encoding="utf-8")[:200]
    assert "BSD" in (leaflet_source() / "LICENSE.txt").read_text(encoding="utf-8")
    # folium's own CDN list is left alone: the page overrides it per instance.
    assert "cdn.jsdelivr.net" in dict(folium.Map.default_js)["leaflet"]


def test_the_same_inputs_give_the_same_page(tmp_path: Path) -> None:
    first = build_page(tmp_path, CENTER, 16, TOWN)
    mtime = first.stat().st_mtime_ns
    assert build_page(tmp_path, CENTER, 16, TOWN) == first
    assert first.stat().st_mtime_ns == mtime  # not rewritten
    assert build_page(tmp_path, CENTER, 15, TOWN) != first
    assert len(list(tmp_path.glob("map-*.html"))) == 2


def test_attribution_is_text_not_html(tmp_path: Path) -> None:
    page = build_page(tmp_path, CENTER, 16, TOWN, attribution="<img src=x onerror=alert(1)>")
    text = page.read_text(encoding="utf-8")
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_the_demo_town_carries_its_osm_attribution(page: Path) -> None:
    assert "© OpenStreetMap contributors" in page.read_text(encoding="utf-8")


def test_a_site_tile_server_is_the_only_remote_reference(tmp_path: Path) -> None:
    template = "https://tiles.csu.example/osm/{z}/{x}/{y}.png"
    page = build_page(tmp_path, CENTER, 16, None, tile_url=template, attribution="Ville")
    assert set(REMOTE.findall(page.read_text(encoding="utf-8"))) == {template}
    allowed = tile_pattern(template)
    assert allowed is not None
    assert allowed.fullmatch("https://tiles.csu.example/osm/16/37350/18920.png")
    assert not allowed.fullmatch("https://tiles.csu.example/other/page.html")
    assert not allowed.fullmatch("https://evil.example/osm/1/2/3.png")
    assert not allowed.fullmatch("https://tiles.csu.example/osm/1/2/3.png/../../../x")
    assert tile_pattern(None) is None
