"""The demo's street graph and walkers: real geometry, on-graph motion, determinism."""

from __future__ import annotations

import itertools
import math
import random
from collections import deque

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.adapters.demo.streets import (
    CAR_HIGHWAYS,
    CAR_SPEED_MPS,
    FOOT_SPEED_MPS,
    Projection,
    StreetGraph,
    Walker,
    haversine_m,
    load_town_geojson,
    load_town_graph,
)
from app.core.model import LatLon

# The packaged extract: central Helsinki (lon 24.935-24.953, lat 60.164-60.179).
LAT_RANGE = (60.163, 60.180)
LON_RANGE = (24.934, 24.954)


@pytest.fixture(scope="module")
def graph() -> StreetGraph:
    return load_town_graph()


def _reachable_nodes(g: StreetGraph, start: int, edges: frozenset[int] | None = None) -> set[int]:
    seen, todo = {start}, deque([start])
    while todo:
        n = todo.popleft()
        for ei in g.adj[n]:
            if edges is not None and ei not in edges:
                continue
            e = g.edges[ei]
            m = e.b if e.a == n else e.a
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return seen


def _dist_to_polyline(g: StreetGraph, ei: int, x: float, y: float) -> float:
    e = g.edges[ei]
    best = math.inf
    for i in range(len(e.xs) - 1):
        ax, ay, bx, by = e.xs[i], e.ys[i], e.xs[i + 1], e.ys[i + 1]
        dx, dy = bx - ax, by - ay
        f = (
            0.0
            if dx == dy == 0
            else max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        )
        best = min(best, math.hypot(ax + f * dx - x, ay + f * dy - y))
    return best


def test_graph_is_big_connected_and_inside_the_town(graph: StreetGraph) -> None:
    assert len(graph.nodes) > 1000
    assert len(graph.edges) > 1500
    assert _reachable_nodes(graph, 0) == set(range(len(graph.nodes)))
    for n in range(0, len(graph.nodes), 97):
        p = graph.latlon(n)
        assert LAT_RANGE[0] < p.lat < LAT_RANGE[1]
        assert LON_RANGE[0] < p.lon < LON_RANGE[1]


def test_nodes_are_where_lines_meet(graph: StreetGraph) -> None:
    degrees = [len(a) for a in graph.adj]
    assert sum(d >= 3 for d in degrees) > 300  # real crossings, not one node per vertex
    assert all(d >= 1 for d in degrees)
    assert all(e.a != e.b and e.length > 0 for e in graph.edges)


def test_edge_lengths_match_haversine(graph: StreetGraph) -> None:
    rng = random.Random(1)
    for ei in rng.sample(range(len(graph.edges)), 200):
        e = graph.edges[ei]
        pts = [graph.proj.to_latlon(x, y) for x, y in zip(e.xs, e.ys, strict=True)]
        ref = sum(haversine_m(a, b) for a, b in itertools.pairwise(pts))
        assert e.length == pytest.approx(ref, rel=2e-3, abs=0.05)
    # and the whole extract has the size of central Helsinki: ~1.7 km north-south
    ys = [y for _, y in graph.nodes]
    assert 1500 < max(ys) - min(ys) < 1800


def test_projection_round_trips_and_measures_like_haversine() -> None:
    proj = Projection(60.17, 24.94)
    a, b = LatLon(60.1650, 24.9360), LatLon(60.1780, 24.9520)
    xa, ya = proj.to_xy(a.lat, a.lon)
    xb, yb = proj.to_xy(b.lat, b.lon)
    back = proj.to_latlon(xa, ya)
    assert back.lat == pytest.approx(a.lat, abs=1e-12)
    assert back.lon == pytest.approx(a.lon, abs=1e-12)
    assert math.hypot(xb - xa, yb - ya) == pytest.approx(haversine_m(a, b), rel=1e-3)


def test_car_network_is_drivable_streets_only_and_connected(graph: StreetGraph) -> None:
    assert len(graph.car_edges) > 500
    assert all(graph.edges[ei].highway in CAR_HIGHWAYS for ei in graph.car_edges)
    start = graph.car_nodes[0]
    assert _reachable_nodes(graph, start, graph.car_edges) == set(graph.car_nodes)


def test_a_graph_from_two_crossing_lines() -> None:
    def line(highway: str, name: str, *coords: tuple[float, float]) -> dict[str, object]:
        return {
            "type": "Feature",
            "properties": {"highway": highway, "name": name},
            "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
        }

    data = {
        "features": [
            line("residential", "A", (24.0, 60.0), (24.001, 60.0), (24.002, 60.0)),
            line("footway", "", (24.001, 59.999), (24.001, 60.0), (24.001, 60.001)),
            line("footway", "", (24.01, 60.01), (24.011, 60.01)),  # unconnected: dropped
        ]
    }
    g = StreetGraph.from_geojson(data)
    assert len(g.nodes) == 5  # the crossing and four ends
    assert len(g.edges) == 4
    assert sorted(len(a) for a in g.adj) == [1, 1, 1, 1, 4]
    assert len(g.car_edges) == 2
    one_step_east = haversine_m(LatLon(60.0, 24.0), LatLon(60.0, 24.001))
    assert sum(e.length for e in g.edges if e.name == "A") == pytest.approx(
        2 * one_step_east, rel=1e-3
    )


def _track(w: Walker, duration: float, dt: float) -> list[tuple[float, float, int]]:
    out = []
    t = 0.0
    while t < duration:
        t += dt
        w.advance_to(t)
        x, y, _ = w.xy_heading()
        out.append((x, y, w.edge))
    return out


@pytest.mark.parametrize("car", [False, True])
def test_walkers_stay_on_the_graph_and_move_at_their_speed(graph: StreetGraph, car: bool) -> None:
    for seed in range(5):
        w = Walker(graph, random.Random(seed), car=car)
        lo, hi = CAR_SPEED_MPS if car else FOOT_SPEED_MPS
        assert lo <= w.speed <= hi
        dt = 0.25
        track = _track(w, 600.0, dt)
        travelled = 0.0
        prev = w.g.nodes[0]
        for i, (x, y, ei) in enumerate(track):
            assert _dist_to_polyline(graph, ei, x, y) < 1e-6
            if car:
                assert ei in graph.car_edges
            if i:
                step = math.dist(prev, (x, y))
                assert step <= w.speed * dt + 1e-6
                travelled += step
            prev = (x, y)
        # corners cut between samples cost a little; standing still would cost everything
        assert travelled == pytest.approx(w.speed * (600.0 - dt), rel=0.05)


class _RecordingWalker(Walker):
    """A walker that notes each (edge left, edge taken, node) as it turns."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        self.turns: list[tuple[int, int, int]] = []
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def _enter(self, ei: int, node: int) -> None:
        self.turns.append((self.edge, ei, node))
        super()._enter(ei, node)


@pytest.mark.parametrize("car", [False, True])
def test_walkers_turn_back_only_at_dead_ends(graph: StreetGraph, car: bool) -> None:
    w = _RecordingWalker(graph, random.Random(3), car=car)
    w.advance_to(3600.0)
    assert len(w.turns) > 100
    for left, taken, node in w.turns:
        usable = [ei for ei in graph.adj[node] if not car or ei in graph.car_edges]
        assert node in (graph.edges[taken].a, graph.edges[taken].b)
        assert taken in usable
        if taken == left:
            assert usable == [left], f"U-turn at node {node} with {len(usable)} streets"


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31), car=st.booleans(), samples=st.integers(1, 50))
def test_walkers_are_deterministic_whatever_the_sampling(
    seed: int, car: bool, samples: int
) -> None:
    g = load_town_graph()
    a, b = Walker(g, random.Random(seed), car=car), Walker(g, random.Random(seed), car=car)
    for k in range(1, samples + 1):
        a.advance_to(300.0 * k / samples)
    b.advance_to(300.0)
    assert a.xy_heading() == pytest.approx(b.xy_heading(), abs=1e-6)
    pa, pb = a.position(), b.position()
    assert (pa.lat, pa.lon) == pytest.approx((pb.lat, pb.lon), abs=1e-9)


def test_walkers_only_go_forward_in_time(graph: StreetGraph) -> None:
    w = Walker(graph, random.Random(0))
    w.advance_to(10.0)
    with pytest.raises(ValueError, match="forward"):
        w.advance_to(5.0)


@pytest.mark.parametrize("car", [False, True])
def test_route_to_reaches_the_goal_and_holds(graph: StreetGraph, car: bool) -> None:
    w = Walker(graph, random.Random(11), car=car)
    far = max(graph.car_nodes if car else range(len(graph.nodes)),
              key=lambda n: math.dist(graph.nodes[n], w.xy_heading()[:2]))  # fmt: skip
    gx, gy = graph.nodes[far]
    metres = w.route_to(gx, gy)
    assert metres >= math.dist((gx, gy), w.xy_heading()[:2]) - 1e-6
    w.advance_to(metres / w.speed + 1.0)
    assert w.arrived
    x, y, _ = w.xy_heading()
    assert math.dist((x, y), (gx, gy)) < 1e-6
    w.advance_to(metres / w.speed + 100.0)
    assert math.dist(w.xy_heading()[:2], (gx, gy)) < 1e-6  # holds still
    w.resume()
    w.advance_to(metres / w.speed + 200.0)
    assert math.dist(w.xy_heading()[:2], (gx, gy)) > 10.0


def test_the_packaged_town_is_openstreetmap() -> None:
    data = load_town_geojson()
    assert "OpenStreetMap" in data.get("attribution", "")
