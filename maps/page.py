"""Build the map page once, with folium, into a cache folder.

The page is static: after it loads, Python only sends JSON batches to ``console.js``.
Everything it references is a local file (or Qt's own ``qrc:`` web-channel script), because
CSU networks are closed and a CDN reference would leave the map blank there.
"""

from __future__ import annotations

import hashlib
import html
import importlib.resources
import json
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from branca.element import MacroElement

LEAFLET_DIR = "leaflet"
QWEBCHANNEL_JS = "qrc:///qtwebchannel/qwebchannel.js"
_PAGE_CSS = """
<style>
  .folium-map.leaflet-container { background: #ebe7e0; font-family: "Segoe UI", "DejaVu Sans",
    Arial, sans-serif; }
  .folium-map .leaflet-control-attribution { font-size: 11px; }
  .csu-follow { background: #fff; padding: 4px 8px; font: 600 12px "Segoe UI", "DejaVu Sans",
    Arial, sans-serif; color: #b71c1c; cursor: pointer; }
  .csu-zone-label { background: rgba(255,255,255,0.7); border: none; box-shadow: none;
    font: 600 11px "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #37474f; }
  .csu-zone-label::before { display: none; }
</style>
"""


def tile_pattern(tile_url: str | None) -> re.Pattern[str] | None:
    """The only remote URLs the page may load: the site's tile template, with wildcards."""
    return tiles_pattern([tile_url] if tile_url else [])


def tiles_pattern(tile_urls: list[str]) -> re.Pattern[str] | None:
    """One pattern matching the tiles of every template (and nothing else)."""
    alts = []
    for url in tile_urls:
        parts = re.split(r"\{[a-z]+\}", url)
        alts.append("[^/?#]*".join(re.escape(part) for part in parts))
    return re.compile("|".join(f"(?:{a})" for a in alts)) if alts else None


def leaflet_source() -> Path:
    """The vendored Leaflet folder (resources/web/leaflet), wherever the package lives."""
    return Path(str(importlib.resources.files("resources") / "web" / LEAFLET_DIR))


def console_js_source() -> Path:
    """The page's own module, shipped next to this file."""
    return Path(str(importlib.resources.files("maps") / "console.js"))


def module_source(name: str) -> Path:
    """One of the page's modules loaded before console.js (labels.js, tracks.js, town.js)."""
    return Path(str(importlib.resources.files("maps") / name))


def build_page(
    cache_dir: Path,
    center: tuple[float, float],
    zoom: int,
    town_geojson: Path | None = None,
    tile_url: str | None = None,
    attribution: str = "",
    *,
    tiles: list[dict[str, object]] | None = None,
    base: str = "",
    zones_geojson: Path | None = None,
    stale_after_s: float = 60,
    trail_s: float = 300,
) -> Path:
    """Write the page and its assets under ``cache_dir``; return the HTML file's path.

    Files are named by content where two views could differ (town data, page), and written
    atomically, so two views sharing a cache folder never read each other's half-written file.
    ``tiles`` are the page's tile sources ({name, url, attribution, maxNativeZoom}); a lone
    ``tile_url`` is one more, named "site".
    """
    import folium  # heavy import, only needed here, once per view
    from branca.element import Figure

    cache_dir.mkdir(parents=True, exist_ok=True)
    _copy_tree(leaflet_source(), cache_dir / LEAFLET_DIR)
    _write_if_changed(cache_dir / "console.js", console_js_source().read_bytes())
    for module in ("labels.js", "tracks.js", "town.js"):
        _write_if_changed(cache_dir / module, module_source(module).read_bytes())

    sources = [{**t, "attribution": html.escape(str(t.get("attribution") or " "))}
               for t in (tiles or [])]
    if tile_url:
        sources.append({"name": "site", "url": tile_url,
                        "attribution": html.escape(attribution or " ")})
    scripts = [("leaflet", f"{LEAFLET_DIR}/leaflet.js"), ("qwebchannel", QWEBCHANNEL_JS)]
    options: dict[str, object] = {"tiles": sources, "town": False, "base": base,
                                  "staleS": stale_after_s, "trailS": trail_s}
    if town_geojson is not None:
        town_js, town_attr = _town_script(town_geojson)
        name = f"town-{_digest(town_js)}.js"
        _write_if_changed(cache_dir / name, town_js)
        scripts.append(("csu_town", name))
        options["town"] = True
        options["townAttribution"] = html.escape(attribution or town_attr)
        options["townName"] = "streets"
    if zones_geojson is not None:
        zones_js, _attr = _town_script(zones_geojson, "CSU_ZONES")
        name = f"zones-{_digest(zones_js)}.js"
        _write_if_changed(cache_dir / name, zones_js)
        scripts.append(("csu_zones", name))
    scripts += [("csu_labels", "labels.js"), ("csu_tracks", "tracks.js"),
                ("csu_town_layer", "town.js")]
    scripts.append(("csu_console", "console.js"))

    fmap = folium.Map(location=center, zoom_start=zoom, tiles=None, prefer_canvas=True)
    fmap._id = "csu"  # fixed names (not folium's random ones): same inputs, same file
    # Instance attributes: folium's class lists point at CDNs and must stay untouched.
    fmap.default_js = scripts
    fmap.default_css = [("leaflet_css", f"{LEAFLET_DIR}/leaflet.css")]
    figure = fmap.get_root()
    assert isinstance(figure, Figure)
    figure.header.add_child(folium.Element(_PAGE_CSS), name="csu_css")
    fmap.add_child(_console_init(options), name="csu_init")

    page = fmap.get_root().render().encode("utf-8")
    path = cache_dir / f"map-{_digest(page)}.html"
    _write_if_changed(path, page)
    return path


def _console_init(options: dict[str, object]) -> MacroElement:
    """Hands folium's map object to ``CSU.init`` at the end of the page script."""
    from branca.element import MacroElement
    from folium.template import Template

    class ConsoleInit(MacroElement):
        _template = Template(
            "{% macro script(this, kwargs) %}"
            "CSU.init({{ this._parent.get_name() }}, {{ this.options_json }});"
            "{% endmacro %}"
        )

        def __init__(self) -> None:
            super().__init__()
            self._name = "CsuInit"
            self.options_json = json.dumps(options, ensure_ascii=False).replace("<", "\\u003c")

    return ConsoleInit()


def _town_script(path: Path, var: str = "CSU_TOWN") -> tuple[bytes, str]:
    """GeoJSON as a script that sets a global: a file:// page may not fetch() files."""
    data = json.loads(path.read_text(encoding="utf-8"))
    attr = data.get("attribution", "") if isinstance(data, dict) else ""
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    return f"window.{var} = {body};\n".encode(), str(attr)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _copy_tree(src: Path, dst: Path) -> None:
    for item in src.rglob("*"):
        if item.is_file():
            _write_if_changed(dst / item.relative_to(src), item.read_bytes())


def _write_if_changed(path: Path, data: bytes) -> None:
    """Atomic write, skipped when the file already holds these bytes."""
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

