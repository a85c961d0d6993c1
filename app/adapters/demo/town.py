"""The places of the demo town: fixed cameras, municipal buildings, sound sensors.

Everything is picked from the real street graph and building footprints with the seed, so
a camera called "Mannerheimintie × Kaivokatu" really stands at that crossing, and the same
seed gives the same town. Names are French: this is a French CSU's demo, laid on Helsinki
streets only because their OpenStreetMap data ships with it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from app.adapters.demo.streets import StreetGraph, bearing_deg
from app.core.model import Camera, CameraKind, FieldOfView, LatLon, Streams

# Zone anchors (lat, lon): the operators' names for parts of town, nearest anchor wins.
ZONES: tuple[tuple[str, float, float], ...] = (
    ("Gare", 60.1710, 24.9415),
    ("Esplanade", 60.1675, 24.9470),
    ("Port", 60.1660, 24.9525),
    ("Centre", 60.1660, 24.9395),
    ("Université", 60.1700, 24.9500),
    ("Parc", 60.1755, 24.9440),
    ("Nord", 60.1785, 24.9505),
    ("Ouest", 60.1745, 24.9380),
    ("Est", 60.1735, 24.9530),
)
MUNICIPAL_BUILDINGS = (
    "Mairie annexe",
    "École Jules-Ferry",
    "Médiathèque",
    "Gymnase municipal",
    "Centre technique municipal",
    "Crèche municipale Les Lucioles",
)
SOUND_SENSOR_ZONES = ("Esplanade", "Gare", "Port")
# Where a CSU concentrates its cameras: the station, the Esplanade, the port, the centre.
HOT_ZONES = ("Gare", "Esplanade", "Port", "Centre")
Candidate = tuple[int, str, list[str]]  # (node, camera name, the crossing streets)
MAJOR = {"primary": 3, "primary_link": 3, "secondary": 2, "tertiary": 1, "tertiary_link": 1}


@dataclass(frozen=True, slots=True)
class Place:
    """A point of interest, kept in both local metres (for geometry) and lat/lon."""

    id: str
    name: str
    x: float
    y: float
    position: LatLon
    zone: str


@dataclass(frozen=True, slots=True)
class CameraSite:
    place: Place
    fov: FieldOfView
    lpr: bool = False

    def sees(self, x: float, y: float) -> bool:
        """Whether (x, y) is inside the field-of-view cone."""
        dx, dy = x - self.place.x, y - self.place.y
        d = math.hypot(dx, dy)
        if d > self.fov.range_m:
            return False
        if d < 1.0:
            return True
        off = (bearing_deg(0, 0, dx, dy) - self.fov.heading_deg + 180.0) % 360.0 - 180.0
        return abs(off) <= self.fov.angle_deg / 2

    def reaches(self, x: float, y: float) -> bool:
        """Within range: a dome camera (most of a CSU's) can turn to look there."""
        return math.hypot(x - self.place.x, y - self.place.y) <= self.fov.range_m

    def to_camera(self, streams: Streams, source: str) -> Camera:
        p = self.place
        return Camera(
            id=p.id, name=p.name, kind=CameraKind.FIXED, streams=streams,
            position=p.position, fov=self.fov, zone=p.zone, source=source,
        )  # fmt: skip


@dataclass(frozen=True)
class Town:
    graph: StreetGraph
    cameras: tuple[CameraSite, ...]
    buildings: tuple[Place, ...]
    sensors: tuple[Place, ...]

    @property
    def lpr_cameras(self) -> tuple[CameraSite, ...]:
        return tuple(c for c in self.cameras if c.lpr)

    def cameras_seeing(self, x: float, y: float, limit: int = 3) -> tuple[str, ...]:
        """Ids of the nearest fixed cameras that could see (x, y): those whose cone covers
        it first, then those in range that would have to turn (domes), nearest first."""
        able = [c for c in self.cameras if c.reaches(x, y)]
        able.sort(key=lambda c: (not c.sees(x, y), math.hypot(c.place.x - x, c.place.y - y)))
        return tuple(c.place.id for c in able[:limit])

    def zone_of(self, x: float, y: float) -> str:
        return zone_of(self.graph, x, y)


def zone_of(g: StreetGraph, x: float, y: float) -> str:
    best, best_d = "Centre", math.inf
    for name, lat, lon in ZONES:
        zx, zy = g.proj.to_xy(lat, lon)
        d = (zx - x) ** 2 + (zy - y) ** 2
        if d < best_d:
            best, best_d = name, d
    return best


def build_town(g: StreetGraph, geojson: Mapping[str, Any], seed: int, n_cameras: int = 9) -> Town:
    rng = random.Random(f"town-{seed}")
    cameras = _pick_cameras(g, rng, n_cameras)
    footprints = _footprints(g, geojson)
    buildings = _pick_buildings(g, rng, footprints, cameras)
    sensors = _pick_sensors(g, rng, cameras)
    return Town(g, tuple(cameras), tuple(buildings), tuple(sensors))


def _place(g: StreetGraph, pid: str, name: str, x: float, y: float) -> Place:
    return Place(pid, name, x, y, g.proj.to_latlon(x, y), zone_of(g, x, y))


def _leaving_bearing(g: StreetGraph, node: int, ei: int, ahead_m: float = 30.0) -> float:
    """Bearing from `node` towards a point `ahead_m` along edge `ei` (robust to tiny kinks)."""
    e = g.edges[ei]
    if e.a == node:
        x, y, _ = e.point_at(min(ahead_m, e.length))
    else:
        x, y, _ = e.point_at(max(0.0, e.length - ahead_m))
    nx, ny = g.nodes[node]
    return bearing_deg(nx, ny, x, y)


def _pick_cameras(g: StreetGraph, rng: random.Random, n: int) -> list[CameraSite]:
    """Crossings of named streets, major ones first, spread out; then plain junctions."""
    crossings: dict[frozenset[str], list[int]] = {}
    rank: dict[int, int] = {}
    for node in g.car_nodes:
        named = [ei for ei in g.adj[node] if ei in g.car_edges and g.edges[ei].name]
        names = sorted({g.edges[ei].name for ei in named})
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                crossings.setdefault(frozenset((a, b)), []).append(node)
        rank[node] = sum(MAJOR.get(g.edges[ei].highway, 0) for ei in named)
    candidates: list[Candidate] = []
    for pair, nodes in sorted(crossings.items(), key=lambda kv: sorted(kv[0])):
        node = max(nodes, key=lambda n: (rank[n], -n))
        a, b = sorted(pair, key=lambda s: (-_street_rank(g, node, s), s))
        candidates.append((node, f"{a} × {b}", [a, b]))
    rng.shuffle(candidates)
    hot = [g.proj.to_xy(lat, lon) for name, lat, lon in ZONES if name in HOT_ZONES]

    def priority(c: Candidate) -> int:
        near_hot = min(math.dist(g.nodes[c[0]], h) for h in hot) < 250.0
        return min(rank[c[0]], 4) + (4 if near_hot else 0)

    candidates.sort(key=lambda c: -priority(c))
    # the best crossing of each busy zone first, so each has at least one camera
    firsts = []
    for zone in HOT_ZONES:
        firsts += [c for c in candidates if zone_of(g, *g.nodes[c[0]]) == zone][:1]
    candidates = firsts + [c for c in candidates if c not in firsts]
    chosen = _spread(g, candidates, n)
    if len(chosen) < n:  # a small town: number cameras along its streets
        extra: list[Candidate] = [
            (node, f"{g.edges[g.adj[node][0]].name or 'Voie'} (n° {node})", [])
            for node in g.car_nodes
            if len(g.adj[node]) >= 3
        ]
        rng.shuffle(extra)
        taken = {c[0] for c in chosen}
        chosen += _spread(g, [c for c in extra if c[0] not in taken], n - len(chosen))
    sites: list[CameraSite] = []
    lpr_left = 2
    for i, (node, name, streets) in enumerate(chosen[:n]):
        legs = [ei for ei in g.adj[node] if ei in g.car_edges]
        on_street = [ei for ei in legs if g.edges[ei].name in streets] or legs or g.adj[node]
        leg = rng.choice(on_street)
        lpr = lpr_left > 0 and MAJOR.get(g.edges[leg].highway, 0) >= 2
        lpr_left -= lpr
        fov = FieldOfView(
            heading_deg=round(_leaving_bearing(g, node, leg), 1) % 360.0,
            angle_deg=float(rng.randrange(60, 91, 5)),
            range_m=float(rng.randrange(60, 121, 10)),
        )
        x, y = g.nodes[node]
        label = f"{name} (LAPI)" if lpr else name
        sites.append(CameraSite(_place(g, f"cam-{i + 1:02d}", label, x, y), fov, lpr))
    if lpr_left > 0:  # no major street in view: make the first cameras the LPR ones
        for i, s in enumerate(sites[:lpr_left]):
            p = s.place
            sites[i] = CameraSite(_place(g, p.id, f"{p.name} (LAPI)", p.x, p.y), s.fov, True)
    return sites


def _street_rank(g: StreetGraph, node: int, street: str) -> int:
    legs = [g.edges[ei] for ei in g.adj[node] if g.edges[ei].name == street]
    return max((MAJOR.get(e.highway, 0) for e in legs), default=0)


def _spread(g: StreetGraph, candidates: Sequence[Candidate], n: int) -> list[Candidate]:
    """Greedy choice in candidate order, keeping cameras apart; relax until n are found."""
    chosen: list[Candidate] = []
    for min_d in (100.0, 70.0, 45.0, 25.0):
        for c in candidates:
            if len(chosen) >= n:
                return chosen
            if c in chosen:
                continue
            x, y = g.nodes[c[0]]
            if all(math.dist((x, y), g.nodes[o[0]]) >= min_d for o in chosen):
                chosen.append(c)
    return chosen


def _footprints(g: StreetGraph, geojson: Mapping[str, Any]) -> list[tuple[float, float, float]]:
    """(x, y, area m²) of each building polygon's outer ring (shoelace centroid)."""
    out: list[tuple[float, float, float]] = []
    for f in geojson.get("features", ()):
        geom = f.get("geometry") or {}
        if geom.get("type") == "Polygon":
            polys = [geom["coordinates"]]
        elif geom.get("type") == "MultiPolygon":
            polys = geom["coordinates"]
        else:
            continue
        for poly in polys:
            ring = [g.proj.to_xy(c[1], c[0]) for c in poly[0]]
            a = cx = cy = 0.0
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=False):
                cr = x0 * y1 - x1 * y0
                a += cr
                cx += (x0 + x1) * cr
                cy += (y0 + y1) * cr
            if abs(a) > 1e-6:
                out.append((cx / (3 * a), cy / (3 * a), abs(a) / 2))
    return out


def _pick_buildings(
    g: StreetGraph,
    rng: random.Random,
    footprints: list[tuple[float, float, float]],
    cameras: Sequence[CameraSite],
) -> list[Place]:
    """Mid-sized buildings, spread out; ones a camera sees first (a CSU watches its own)."""
    pool = [f for f in footprints if 300.0 <= f[2] <= 6000.0] or footprints
    rng.shuffle(pool)
    seen = [f for f in pool if any(c.reaches(f[0], f[1]) for c in cameras)]
    chosen: list[tuple[float, float, float]] = []
    for candidates, min_d in ((seen, 250.0), (seen, 120.0), (pool, 150.0), (pool, 0.0)):
        for f in candidates:
            if (
                len(chosen) < len(MUNICIPAL_BUILDINGS)
                and f not in chosen
                and all(math.dist(f[:2], o[:2]) >= min_d for o in chosen)
            ):
                chosen.append(f)
    return [
        _place(g, f"bat-{i + 1:02d}", name, x, y)
        for i, (name, (x, y, _)) in enumerate(zip(MUNICIPAL_BUILDINGS, chosen, strict=False))
    ]


def _pick_sensors(g: StreetGraph, rng: random.Random, cameras: Sequence[CameraSite]) -> list[Place]:
    """One sound sensor per busy zone, on a street node near its anchor, in view if possible."""
    sensors: list[Place] = []
    anchors = {name: (lat, lon) for name, lat, lon in ZONES}
    for zone in SOUND_SENSOR_ZONES:
        zx, zy = g.proj.to_xy(*anchors[zone])
        near = sorted(range(len(g.nodes)), key=lambda n: math.dist(g.nodes[n], (zx, zy)))
        near = [n for n in near if math.dist(g.nodes[n], (zx, zy)) <= 150.0] or near[:10]
        coverage = {n: sum(c.reaches(*g.nodes[n]) for c in cameras) for n in near}
        best = max(coverage.values())
        node = rng.choice([n for n in near if coverage[n] == best][:5])
        x, y = g.nodes[node]
        p = _place(g, f"snd-{zone.lower()}", f"capteur {zone}", x, y)
        sensors.append(Place(p.id, p.name, x, y, p.position, zone))
    return sensors
