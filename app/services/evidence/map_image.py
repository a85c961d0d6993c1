"""A picture of the officers' tracks over an export's range, for readers without GIS tools.

Drawn by Pillow over the site's offline MBTiles when it has one (closed networks: nothing
is ever downloaded), else over a plain background with a grid, so that distances still
read. Each officer gets a distinct colour (a legend names it), a round mark where the
track starts and a square where it ends; a scale bar, a north arrow, the range (local time
and UTC) and the tiles' attribution are printed on it. Web Mercator, as the tiles are.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.core.mbtiles import TILE, MBTiles, lonlat_to_pixel
from app.core.model import PositionFix
from app.core.site import Site
from app.services.evidence.journal_files import alarms_in_range
from app.services.evidence.officers import callsigns, fixes_in_range, label
from app.services.evidence.words import both_times, colon, site_zone, words
from app.services.replay_history import ReplayHistory

log = logging.getLogger(__name__)

RGB = tuple[int, int, int]
# Distinct, saturated colours that stand out on the light tiles (no grey, no white)
PALETTE: tuple[RGB, ...] = (
    (230, 25, 75), (0, 130, 200), (60, 180, 75), (245, 130, 48), (145, 30, 180),
    (0, 128, 128), (240, 50, 230), (128, 0, 0), (0, 0, 128), (170, 110, 40))
BACKGROUND: RGB = (242, 240, 235)
GRID: RGB = (215, 212, 205)
INK: RGB = (20, 20, 20)
HALO: RGB = (255, 255, 255)
ALARM: RGB = (255, 204, 0)  # an alarm's mark: no officer has this colour
MARGIN = 110  # around the tracks, in pixels
HEADER = 78
LINE_W = 5
EARTH_M_PER_PX_Z0 = 156_543.03392  # Web Mercator at the equator, zoom 0, 256-pixel tiles
MAX_ZOOM = 19
RASTER = ("png", "jpg", "jpeg", "webp")  # MBTiles formats Pillow draws (not "pbf" vectors)
OVERZOOM = 2  # levels past the tiles' deepest, their pixels scaled up (a short walk reads)


def officer_colours(officers: Sequence[str]) -> dict[str, RGB]:
    """Each officer's colour, by their rank in the export's list."""
    return {o: PALETTE[i % len(PALETTE)] for i, o in enumerate(officers)}


@dataclass(frozen=True, slots=True)
class Frame:
    """Which part of the world the picture shows: zoom and top-left global pixel."""

    z: int
    left: float
    top: float

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        px, py = lonlat_to_pixel(lon, lat, self.z)
        return px - self.left, py - self.top


def write_map_image(history: ReplayHistory, officers: list[str], site: Site,
                    start: datetime, end: datetime, out: Path,
                    size: tuple[int, int] = (1600, 1200), *,
                    known_callsigns: Mapping[str, str] | None = None,
                    language: str = "fr") -> Path:
    """Draws the PNG into `out`; returns `out`."""
    w = words(language)
    names = callsigns(site, known_callsigns)
    tracks = {o: fixes_in_range(history, o, start, end) for o in officers}
    alarms = [(a.id, a.position) for a in alarms_in_range(history.alarms, start, end)
              if a.position is not None]
    colours = officer_colours(officers)
    tiles, attribution = _tiles(site)
    try:
        lo, hi = tiles.zoom_range() if tiles else (1, MAX_ZOOM)
        places = [(f.position.lat, f.position.lon) for fixes in tracks.values() for f in fixes]
        places += [(p.lat, p.lon) for _, p in alarms]
        frame = _frame(places, site, size, (lo, min(MAX_ZOOM, hi + OVERZOOM) if tiles else hi))
        img = Image.new("RGB", size, BACKGROUND)
        drawn = _draw_tiles(img, frame, tiles, min(frame.z, hi)) if tiles else 0
    finally:
        if tiles:
            tiles.close()
    draw = ImageDraw.Draw(img)
    per_px, metres = _scale_metres(frame, size)
    if not drawn:
        _grid(draw, size, metres / per_px)
        attribution = ""
    for officer, fixes in tracks.items():
        _track(draw, frame, fixes, colours[officer])
    for at, ids in _grouped([(frame.xy(p.lat, p.lon), i) for i, p in alarms]).items():
        _alarm(draw, at, ", ".join(ids))
    zone = site_zone(site.site.operator_timezone)
    _header(draw, size, f"{site.site.name} — {w['map_title']}",
            f"{w['range']}{colon(language)} {both_times(start, zone, language)}  →  "
            f"{both_times(end, zone, language)}")
    _legend(draw, size, [(label(o, names), colours[o], bool(tracks[o])) for o in officers], w,
            bool(alarms))
    _scale_bar(draw, size, per_px, metres, "" if drawn else w["grid"])
    _north(draw, size)
    if attribution:
        _attribution(draw, size, attribution)
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out, "PNG", compress_level=6)  # optimize=True: 10x the time for 10 % less
    return out


# -- where ----------------------------------------------------------------------------------
def _tiles(site: Site) -> tuple[MBTiles | None, str]:
    """The site's offline tiles (the base layer if it is one, else the first), and their
    attribution; (None, "") when it has none that opens."""
    sources = [t for t in site.map.tiles if t.mbtiles]
    sources.sort(key=lambda t: t.name != site.map.base)
    for cfg in sources:
        try:
            mb = MBTiles(site.resolve(cfg.mbtiles or ""))
        except (OSError, ValueError) as e:
            log.warning("map image: the tiles %r cannot be read (%s); plain background",
                        cfg.name, e)
            continue
        if mb.format not in RASTER:
            log.warning("map image: the tiles %r are %s, not pictures; plain background",
                        cfg.name, mb.format)
            mb.close()
            continue
        return mb, cfg.attribution or str(mb.metadata.get("attribution", ""))
    return None, ""


def _frame(pts: list[tuple[float, float]], site: Site, size: tuple[int, int],
           zooms: tuple[int, int]) -> Frame:
    """The deepest zoom of `zooms` at which every (lat, lon) of `pts` fits, centred on
    them (the map's centre and zoom when there is none)."""
    lo, hi = zooms
    if not pts:
        lat, lon = site.map.center
        z = max(lo, min(hi, site.map.zoom))
        cx, cy = lonlat_to_pixel(lon, lat, z)
    else:
        south, north = min(p[0] for p in pts), max(p[0] for p in pts)
        west, east = min(p[1] for p in pts), max(p[1] for p in pts)
        room_w, room_h = size[0] - 2 * MARGIN, size[1] - HEADER - 2 * MARGIN
        z = lo
        for zz in range(hi, lo - 1, -1):
            x0, y0 = lonlat_to_pixel(west, north, zz)
            x1, y1 = lonlat_to_pixel(east, south, zz)
            if x1 - x0 <= room_w and y1 - y0 <= room_h:
                z = zz
                break
        x0, y0 = lonlat_to_pixel(west, north, z)
        x1, y1 = lonlat_to_pixel(east, south, z)
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return Frame(z, cx - size[0] / 2, cy - (size[1] + HEADER) / 2)


def _draw_tiles(img: Image.Image, frame: Frame, tiles: MBTiles, tz: int) -> int:
    """Pastes every tile of zoom `tz` (<= the frame's: scaled up past the deepest the file
    has) under the picture; returns how many the file had."""
    k = 1 << (frame.z - tz)
    side = TILE * k
    count = 0
    last = (1 << tz) - 1
    x_first, y_first = int(frame.left // side), int(frame.top // side)
    x_last, y_last = int((frame.left + img.width) // side), int((frame.top + img.height) // side)
    for tx in range(max(0, x_first), min(last, x_last) + 1):
        for ty in range(max(0, y_first), min(last, y_last) + 1):
            data = tiles.tile(tz, tx, ty)
            if data is None:
                continue
            try:
                with Image.open(io.BytesIO(data)) as tile:
                    picture = tile.convert("RGB")
            except OSError:  # a damaged tile: the background shows through there
                continue
            if k > 1:
                picture = picture.resize((side, side), Image.Resampling.BICUBIC)
            img.paste(picture, (round(tx * side - frame.left), round(ty * side - frame.top)))
            count += 1
    return count


def _scale_metres(frame: Frame, size: tuple[int, int]) -> tuple[float, float]:
    """(metres per pixel at the picture's centre, a round length of about 200 pixels)."""
    lat = _lat_of(frame.top + size[1] / 2, frame.z)
    per_px = EARTH_M_PER_PX_Z0 * math.cos(math.radians(lat)) / (1 << frame.z)
    target = per_px * 200
    step = 10 ** math.floor(math.log10(target))
    nice = max((k * step for k in (1, 2, 5) if k * step <= target), default=step)
    return per_px, nice


def _lat_of(global_y: float, z: int) -> float:
    n = math.pi - 2 * math.pi * global_y / (TILE * (1 << z))
    return math.degrees(math.atan(math.sinh(n)))


# -- what -----------------------------------------------------------------------------------
def _font(px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(files("resources") / "fonts" / "DejaVuSans.ttf"), px)


def _grid(draw: ImageDraw.ImageDraw, size: tuple[int, int], step_px: float) -> None:
    """Lines one scale-bar length apart, for distances on a map with no tiles."""
    x = 0.0
    while x < size[0]:
        draw.line([(x, HEADER), (x, size[1])], fill=GRID, width=1)
        x += step_px
    y = float(HEADER)
    while y < size[1]:
        draw.line([(0, y), (size[0], y)], fill=GRID, width=1)
        y += step_px


def _track(draw: ImageDraw.ImageDraw, frame: Frame, fixes: list[PositionFix],
           colour: RGB) -> None:
    pts = [frame.xy(f.position.lat, f.position.lon) for f in fixes]
    if not pts:
        return
    if len(pts) > 1:
        draw.line(pts, fill=HALO, width=LINE_W + 4, joint="curve")
        draw.line(pts, fill=colour, width=LINE_W, joint="curve")
    sx, sy = pts[0]
    draw.ellipse([sx - 9, sy - 9, sx + 9, sy + 9], fill=colour, outline=HALO, width=3)
    if len(pts) > 1:
        ex, ey = pts[-1]
        draw.rectangle([ex - 8, ey - 8, ex + 8, ey + 8], fill=colour, outline=INK, width=2)


def _grouped(marks: list[tuple[tuple[float, float], str]]
             ) -> dict[tuple[float, float], list[str]]:
    """Alarms raised within a few pixels of each other share one mark ("5, 7")."""
    out: dict[tuple[float, float], list[str]] = {}
    for (x, y), alarm_id in marks:
        near = next((k for k in out if abs(k[0] - x) < 12 and abs(k[1] - y) < 12), (x, y))
        out.setdefault(near, []).append(alarm_id)
    return out


def _alarm(draw: ImageDraw.ImageDraw, at: tuple[float, float], alarm_id: str) -> None:
    """A diamond where an alarm was raised, its number (alarms.csv's) beside it."""
    x, y = at
    draw.polygon([(x, y - 11), (x + 11, y), (x, y + 11), (x - 11, y)], fill=ALARM,
                 outline=INK, width=2)
    font = _font(15)
    box = draw.textbbox((x + 14, y - 9), alarm_id, font=font)
    draw.rectangle((box[0] - 2, box[1] - 2, box[2] + 2, box[3] + 2), fill=HALO)
    draw.text((x + 14, y - 9), alarm_id, font=font, fill=INK)


def _panel(draw: ImageDraw.ImageDraw, box: tuple[float, float, float, float]) -> None:
    draw.rectangle(box, fill=(255, 255, 255), outline=(120, 120, 120), width=1)


def _header(draw: ImageDraw.ImageDraw, size: tuple[int, int], title: str, span: str) -> None:
    _panel(draw, (0, 0, size[0] - 1, HEADER))
    draw.text((16, 10), title, font=_font(26), fill=INK)
    draw.text((16, 46), span, font=_font(18), fill=INK)


def _legend(draw: ImageDraw.ImageDraw, size: tuple[int, int],
            rows: list[tuple[str, RGB, bool]], w: dict[str, str], alarms: bool) -> None:
    font = _font(17)
    lines = [text if seen else f"{text} — {w['no_position']}" for text, _, seen in rows]
    marks = f"●  {w['start_mark']}     ■  {w['end_mark']}"
    if alarms:
        marks += f"     ◆  {w['alarm_mark']}"
    width = max([font.getlength(t) for t in [*lines, marks]] or [0]) + 70
    height = 26 * (len(rows) + 1) + 16
    x0, y0 = 14, size[1] - 70 - height
    _panel(draw, (x0, y0, x0 + width, y0 + height))
    y = y0 + 10
    for (_, colour, seen), text in zip(rows, lines, strict=True):
        if seen:
            draw.line([(x0 + 12, y + 11), (x0 + 48, y + 11)], fill=colour, width=LINE_W)
        else:
            draw.line([(x0 + 12, y + 11), (x0 + 48, y + 11)], fill=(160, 160, 160), width=1)
        draw.text((x0 + 58, y), text, font=font, fill=INK)
        y += 26
    draw.text((x0 + 12, y), marks, font=font, fill=INK)


def _scale_bar(draw: ImageDraw.ImageDraw, size: tuple[int, int], per_px: float,
               metres: float, grid: str) -> None:
    """A bar `metres` long; `grid`: how to say the grid's step too (no tiles), else ""."""
    length = metres / per_px
    text = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    if grid:
        text = f"{text} ({grid.format(text)})"
    font = _font(16)
    x0, y0 = 24, size[1] - 34
    _panel(draw, (14, y0 - 30, x0 + max(length, font.getlength(text)) + 20, y0 + 20))
    half = length / 2
    draw.rectangle([x0, y0, x0 + half, y0 + 8], fill=INK)
    draw.rectangle([x0 + half, y0, x0 + length, y0 + 8], fill=HALO, outline=INK)
    draw.text((x0, y0 - 26), text, font=font, fill=INK)


def _north(draw: ImageDraw.ImageDraw, size: tuple[int, int]) -> None:
    cx, top = size[0] - 50, HEADER + 20
    _panel(draw, (cx - 26, top - 6, cx + 26, top + 74))
    draw.polygon([(cx, top), (cx - 14, top + 40), (cx, top + 30), (cx + 14, top + 40)],
                 fill=INK)
    draw.text((cx, top + 56), "N", font=_font(18), fill=INK, anchor="mm")


def _attribution(draw: ImageDraw.ImageDraw, size: tuple[int, int], text: str) -> None:
    font = _font(14)
    width = font.getlength(text)
    x0, y0 = size[0] - width - 20, size[1] - 26
    _panel(draw, (x0 - 6, y0 - 4, size[0] - 1, size[1] - 1))
    draw.text((x0, y0), text, font=font, fill=INK)
