"""A routable street graph built from the demo town's OpenStreetMap lines, and walkers on it.

Officers must move along real streets or the map looks fake at first glance, so the demo
walks a graph rather than drifting points. Nodes are the coordinates lines share (rounded
to ~0.1 m) plus line ends; edges keep their polyline in local metres (equirectangular
around the town's latitude: < 0.1 % error over a town, and far cheaper than haversine).
"""

from __future__ import annotations

import heapq
import itertools
import json
import math
import random
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

from app.core.model import LatLon

EARTH_RADIUS_M = 6_371_008.8
ROUND_DIGITS = 6  # ~0.1 m: the OSM export is already at this precision

# Streets a patrol car may drive on (no footways, cycleways, pedestrian squares, alleys).
CAR_HIGHWAYS = frozenset(
    {
        "motorway", "trunk", "primary", "primary_link", "secondary", "secondary_link",
        "tertiary", "tertiary_link", "unclassified", "residential", "living_street",
    }
)  # fmt: skip
FOOT_SPEED_MPS = (1.3, 1.6)
CAR_SPEED_MPS = (6.0, 9.0)


@dataclass(frozen=True, slots=True)
class Edge:
    """A street piece between two nodes; `xs/ys` its polyline in metres, `cum` distances."""

    a: int
    b: int
    name: str
    highway: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    cum: tuple[float, ...]

    @property
    def length(self) -> float:
        return self.cum[-1]

    @property
    def car(self) -> bool:
        return self.highway in CAR_HIGHWAYS

    def point_at(self, s: float) -> tuple[float, float, float]:
        """(x, y, heading°) at distance `s` from `a` (heading towards `b`)."""
        i = min(max(bisect_right(self.cum, s) - 1, 0), len(self.cum) - 2)
        x0, y0, x1, y1 = self.xs[i], self.ys[i], self.xs[i + 1], self.ys[i + 1]
        seg = self.cum[i + 1] - self.cum[i]
        f = 0.0 if seg <= 0 else min(max((s - self.cum[i]) / seg, 0.0), 1.0)
        heading = math.degrees(math.atan2(x1 - x0, y1 - y0)) % 360.0
        return x0 + (x1 - x0) * f, y0 + (y1 - y0) * f, heading


class Projection:
    """Equirectangular projection around a reference point: (lat, lon) <-> metres."""

    def __init__(self, lat0: float, lon0: float) -> None:
        self.lat0, self.lon0 = lat0, lon0
        self._ky = math.pi * EARTH_RADIUS_M / 180.0
        self._kx = self._ky * math.cos(math.radians(lat0))

    def to_xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (lon - self.lon0) * self._kx, (lat - self.lat0) * self._ky

    def to_latlon(self, x: float, y: float) -> LatLon:
        return LatLon(self.lat0 + y / self._ky, self.lon0 + x / self._kx)


def haversine_m(a: LatLon, b: LatLon) -> float:
    """Great-circle distance, the reference the projection is checked against."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def bearing_deg(x0: float, y0: float, x1: float, y1: float) -> float:
    return math.degrees(math.atan2(x1 - x0, y1 - y0)) % 360.0


class StreetGraph:
    """The largest connected component of the town's streets, plus its drivable core."""

    def __init__(self, proj: Projection, nodes: list[tuple[float, float]], edges: list[Edge]):
        self.proj = proj
        self.nodes = nodes
        self.edges = edges
        self.adj: list[list[int]] = [[] for _ in nodes]
        for i, e in enumerate(edges):
            self.adj[e.a].append(i)
            self.adj[e.b].append(i)
        car_all = [i for i, e in enumerate(edges) if e.car]
        self.car_edges: frozenset[int] = frozenset(_largest_component(self, car_all))
        self.car_nodes = sorted({n for i in self.car_edges for n in (edges[i].a, edges[i].b)})

    # -- building ---------------------------------------------------------------------
    @classmethod
    def from_geojson(cls, data: Mapping[str, Any]) -> StreetGraph:
        lines: list[tuple[list[tuple[float, float]], str, str]] = []
        for f in data.get("features", ()):
            geom, props = f.get("geometry") or {}, f.get("properties") or {}
            if geom.get("type") != "LineString" or not props.get("highway"):
                continue
            coords = geom["coordinates"]
            pts = [(round(c[1], ROUND_DIGITS), round(c[0], ROUND_DIGITS)) for c in coords]
            if len(pts) >= 2:
                lines.append((pts, str(props.get("name") or ""), str(props["highway"])))
        if not lines:
            raise ValueError("no street lines in the GeoJSON")
        lats = [p[0] for pts, _, _ in lines for p in pts]
        lons = [p[1] for pts, _, _ in lines for p in pts]
        proj = Projection((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)

        seen: dict[tuple[float, float], int] = {}
        for pts, _, _ in lines:
            for p in pts:
                seen[p] = seen.get(p, 0) + 1
            for p in (pts[0], pts[-1]):  # line ends are nodes even if not shared
                seen[p] = seen.get(p, 0) + 2
        node_id: dict[tuple[float, float], int] = {}
        nodes: list[tuple[float, float]] = []
        edges: list[Edge] = []

        def nid(p: tuple[float, float]) -> int:
            if p not in node_id:
                node_id[p] = len(nodes)
                nodes.append(proj.to_xy(*p))
            return node_id[p]

        for pts, name, hw in lines:
            piece = [pts[0]]
            for p in pts[1:]:
                if p != piece[-1]:
                    piece.append(p)
                if seen[p] >= 2 and len(piece) >= 2:
                    a, b = nid(piece[0]), nid(piece[-1])
                    if a != b:
                        edges.append(_make_edge(a, b, name, hw, [proj.to_xy(*q) for q in piece]))
                    piece = [p]
        full = cls(proj, nodes, edges)
        keep = _largest_component(full, range(len(edges)))
        return full._subgraph(keep)

    def _subgraph(self, keep: Iterable[int]) -> StreetGraph:
        """Renumber the graph down to the edges `keep` (and the nodes they touch)."""
        kept = [self.edges[i] for i in sorted(keep)]
        remap: dict[int, int] = {}
        nodes: list[tuple[float, float]] = []
        for e in kept:
            for n in (e.a, e.b):
                if n not in remap:
                    remap[n] = len(nodes)
                    nodes.append(self.nodes[n])
        edges = [Edge(remap[e.a], remap[e.b], e.name, e.highway, e.xs, e.ys, e.cum) for e in kept]
        return StreetGraph(self.proj, nodes, edges)

    # -- queries ----------------------------------------------------------------------
    def latlon(self, node: int) -> LatLon:
        return self.proj.to_latlon(*self.nodes[node])

    def nearest_node(self, x: float, y: float, car: bool = False) -> int:
        candidates: Iterable[int] = self.car_nodes if car else range(len(self.nodes))
        nodes = self.nodes
        return min(candidates, key=lambda n: (nodes[n][0] - x) ** 2 + (nodes[n][1] - y) ** 2)

    def allowed(self, car: bool) -> frozenset[int] | None:
        """Edge indices a walker may use (None: all of them)."""
        return self.car_edges if car else None

    def route(self, start: int, goal: int, car: bool = False) -> tuple[float, list[int]]:
        """Shortest path (metres, edge indices) from node `start` to `goal` (Dijkstra)."""
        allowed = self.allowed(car)
        dist = {start: 0.0}
        prev: dict[int, int] = {}
        heap = [(0.0, start)]
        while heap:
            d, n = heapq.heappop(heap)
            if n == goal:
                break
            if d > dist.get(n, math.inf):
                continue
            for ei in self.adj[n]:
                if allowed is not None and ei not in allowed:
                    continue
                e = self.edges[ei]
                m = e.b if e.a == n else e.a
                nd = d + e.length
                if nd < dist.get(m, math.inf):
                    dist[m], prev[m] = nd, ei
                    heapq.heappush(heap, (nd, m))
        if goal not in dist:
            return math.inf, []
        path, n = [], goal
        while n != start:
            ei = prev[n]
            path.append(ei)
            e = self.edges[ei]
            n = e.a if e.b == n else e.b
        return dist[goal], path[::-1]


def _make_edge(a: int, b: int, name: str, hw: str, xy: list[tuple[float, float]]) -> Edge:
    cum = [0.0]
    for (x0, y0), (x1, y1) in itertools.pairwise(xy):
        cum.append(cum[-1] + math.hypot(x1 - x0, y1 - y0))
    return Edge(a, b, name, hw, tuple(p[0] for p in xy), tuple(p[1] for p in xy), tuple(cum))


def _largest_component(g: StreetGraph, edge_ids: Iterable[int]) -> set[int]:
    """Edges of the largest connected component formed by `edge_ids` (union-find)."""
    ids = list(edge_ids)
    parent: dict[int, int] = {}

    def find(n: int) -> int:
        parent.setdefault(n, n)
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for i in ids:
        e = g.edges[i]
        ra, rb = find(e.a), find(e.b)
        if ra != rb:
            parent[ra] = rb
    size: dict[int, float] = {}
    for i in ids:
        r = find(g.edges[i].a)
        size[r] = size.get(r, 0.0) + g.edges[i].length
    if not size:
        return set()
    best = max(size, key=lambda r: size[r])
    return {i for i in ids if find(g.edges[i].a) == best}


def load_town_geojson() -> dict[str, Any]:
    """The packaged demo town (OpenStreetMap, ODbL), found without a path on disk."""
    text = (files("resources") / "demo" / "town.geojson").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def load_town_graph() -> StreetGraph:
    """The demo town's graph, built once per process (it is immutable)."""
    return StreetGraph.from_geojson(load_town_geojson())


class Walker:
    """Someone moving along the graph at a constant speed, turning at nodes.

    The route depends only on the seeded `rng` and the distance covered (choices are drawn
    at nodes, never per step), so positions are the same whatever the sampling rate.
    `advance_to(t)` moves forward in time (monotonic); `route_to` sends it somewhere and
    it holds there on arrival until `resume()`.
    """

    __slots__ = (
        "_allowed", "arrived", "car", "edge", "forward", "g", "goal", "plan", "rng", "s",
        "speed", "t",
    )  # fmt: skip

    def __init__(self, g: StreetGraph, rng: random.Random, car: bool = False,
                 speed_mps: float | None = None) -> None:  # fmt: skip
        self.g, self.rng, self.car = g, rng, car
        self._allowed = g.allowed(car)
        lo, hi = CAR_SPEED_MPS if car else FOOT_SPEED_MPS
        self.speed = rng.uniform(lo, hi) if speed_mps is None else speed_mps
        pool = sorted(self._allowed) if self._allowed is not None else range(len(g.edges))
        self.edge: int = rng.choice(pool)
        self.forward = rng.random() < 0.5
        self.s = rng.uniform(0.0, g.edges[self.edge].length)
        self.t = 0.0
        self.plan: list[int] = []  # edges still to take, the next one last
        self.goal: int | None = None
        self.arrived = False

    # -- state ------------------------------------------------------------------------
    def xy_heading(self) -> tuple[float, float, float]:
        e = self.g.edges[self.edge]
        if self.forward:
            return e.point_at(self.s)
        x, y, h = e.point_at(e.length - self.s)
        return x, y, (h + 180.0) % 360.0

    def position(self) -> LatLon:
        x, y, _ = self.xy_heading()
        return self.g.proj.to_latlon(x, y)

    @property
    def node_ahead(self) -> int:
        e = self.g.edges[self.edge]
        return e.b if self.forward else e.a

    @property
    def moving(self) -> bool:
        return not self.arrived and self.speed > 0

    # -- motion -----------------------------------------------------------------------
    def advance_to(self, t: float) -> None:
        if t < self.t:
            raise ValueError(f"walkers only go forward in time ({t} < {self.t})")
        dist = (t - self.t) * self.speed
        self.t = t
        while dist > 0 and not self.arrived:
            rem = self.g.edges[self.edge].length - self.s
            if dist < rem:
                self.s += dist
                return
            dist -= rem
            self.s = self.g.edges[self.edge].length
            self._at_node()

    def _at_node(self) -> None:
        node = self.node_ahead
        if self.goal is not None and node == self.goal:
            self.arrived, self.goal, self.plan = True, None, []
            return
        self._enter(self.plan.pop() if self.plan else self._choose(node), node)

    def _enter(self, ei: int, node: int) -> None:
        e = self.g.edges[ei]
        self.edge, self.forward, self.s = ei, e.a == node, 0.0

    def _choose(self, node: int) -> int:
        """Next edge at `node`: not back where we came from unless it is a dead end."""
        options = [
            ei for ei in self.g.adj[node]
            if ei != self.edge and (self._allowed is None or ei in self._allowed)
        ]  # fmt: skip
        if not options:
            return self.edge  # dead end: U-turn
        if len(options) == 1:
            return options[0]
        _, _, h = self.xy_heading()
        weights = []
        for ei in options:
            e = self.g.edges[ei]
            out = e.point_at(0.0)[2] if e.a == node else (e.point_at(e.length)[2] + 180) % 360
            turn = math.radians(out - h)
            weights.append(1.0 + 1.5 * max(0.0, math.cos(turn)))  # mild preference for straight
        return self.rng.choices(options, weights)[0]

    def route_to(self, x: float, y: float) -> float:
        """Head for the graph node nearest (x, y) by the shortest way; metres to go.

        Turns back at once when that is shorter. On arrival the walker holds still.
        """
        goal = self.g.nearest_node(x, y, self.car)
        e = self.g.edges[self.edge]
        behind = e.a if self.forward else e.b
        d_ahead, p_ahead = self.g.route(self.node_ahead, goal, self.car)
        d_behind, p_behind = self.g.route(behind, goal, self.car)
        rem = e.length - self.s
        if d_behind + self.s < d_ahead + rem:
            self.forward, self.s = not self.forward, rem
            d_ahead, p_ahead, rem = d_behind, p_behind, e.length - self.s
        if math.isinf(d_ahead):
            return d_ahead
        self.plan = p_ahead[::-1]  # popped from the end
        self.goal, self.arrived = goal, False
        if rem <= 0:
            self._at_node()
        return d_ahead + rem

    def resume(self) -> None:
        """Back to patrolling from wherever it stands."""
        self.plan, self.goal, self.arrived = [], None, False
