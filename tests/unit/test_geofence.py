"""Patrol sectors and geofences: crossings are noticed, posted and journaled."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.codec import decode_event, dumps
from app.core.events import GeofenceCrossed, PositionReported
from app.core.hub import Hub, only
from app.core.journal import Journal
from app.core.journal_writer import JournalWriter
from app.core.model import LatLon, PositionFix
from app.services.geofence import GeofenceService, GeofenceTracker, load_zones, zones_of_site

DEMO_ZONES = Path(__file__).resolve().parents[2] / "resources" / "demo" / "sectors.geojson"
T0 = datetime(2026, 1, 1, 12, tzinfo=UTC)


def square(w: float, s: float, e: float, n: float) -> list[list[float]]:
    return [[w, s], [e, s], [e, n], [w, n], [w, s]]


@pytest.fixture
def zones_file(tmp_path: Path) -> Path:
    features = [
        {"type": "Feature", "properties": {"id": "gf", "name": "Gare", "kind": "geofence"},
         "geometry": {"type": "Polygon", "coordinates": [square(2.0, 48.0, 2.01, 48.01),
                                                         square(2.004, 48.004, 2.006, 48.006)]}},
        {"type": "Feature", "properties": {"id": "s1", "name": "Nord", "kind": "sector"},
         "geometry": {"type": "Polygon", "coordinates": [square(1.9, 47.9, 2.1, 48.1)]}},
        {"type": "Feature", "properties": {"id": "in", "name": "Entrée", "kind": "geofence",
                                           "notify": "enter"},
         "geometry": {"type": "MultiPolygon", "coordinates": [[square(3.0, 48.0, 3.01, 48.01)]]}},
        {"type": "Feature", "properties": {"name": "a point"},
         "geometry": {"type": "Point", "coordinates": [2.0, 48.0]}},
    ]
    path = tmp_path / "zones.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def test_zones_load_with_holes_and_notify_rules(zones_file: Path) -> None:
    zones = {z.id: z for z in load_zones(zones_file)}
    assert set(zones) == {"gf", "s1", "in"}
    gf = zones["gf"]
    assert gf.contains(LatLon(48.002, 2.002))
    assert not gf.contains(LatLon(48.005, 2.005))  # in the hole
    assert not gf.contains(LatLon(48.02, 2.002))
    assert (gf.on_enter, gf.on_leave) == (True, True)
    assert (zones["s1"].on_enter, zones["s1"].on_leave) == (False, False)  # sectors: silent
    assert (zones["in"].on_enter, zones["in"].on_leave) == (True, False)
    assert zones_of_site(None) == []


def test_the_demo_site_has_sectors_and_geofences() -> None:
    kinds = sorted(z.kind for z in load_zones(DEMO_ZONES))
    assert kinds == ["geofence", "geofence", "sector", "sector", "sector"]


def test_crossings_enter_then_leave_and_not_at_first_fix(zones_file: Path) -> None:
    t = GeofenceTracker(load_zones(zones_file))
    assert t.update("o1", LatLon(48.002, 2.002)) == []  # first fix inside: no 'entered'
    assert t.update("o1", LatLon(48.0021, 2.0021)) == []
    [(zone, entered)] = t.update("o1", LatLon(48.005, 2.005))  # into the hole: left
    assert (zone.id, entered) == ("gf", False)
    [(zone, entered)] = t.update("o1", LatLon(48.002, 2.002))
    assert (zone.id, entered) == ("gf", True)
    assert t.update("o2", LatLon(0.0, 0.0)) == []
    [(zone, entered)] = t.update("o2", LatLon(48.005, 3.005))
    assert (zone.id, entered) == ("in", True)
    assert t.update("o2", LatLon(0.0, 0.0)) == []  # enter-only zone: leaving is silent


def test_the_service_posts_crossings_that_the_journal_keeps(
    zones_file: Path, tmp_path: Path
) -> None:
    hub = Hub()
    journal = Journal(tmp_path / "j.sqlite")
    writer = JournalWriter(hub, journal, batch_interval_s=0.02)
    seen = hub.subscribe("test", only(GeofenceCrossed))
    service = GeofenceService(hub, load_zones(zones_file))
    writer.start()
    service.start()
    try:
        path = [(47.0, 2.0), (48.002, 2.002), (48.002, 2.02), (48.002, 2.002)]
        for i, (lat, lon) in enumerate(path):
            fix = PositionFix("pm11", LatLon(lat, lon), T0 + timedelta(seconds=i))
            hub.post(PositionReported(fix))
        got: list[GeofenceCrossed] = []
        for _ in range(100):
            if seen.wait(0.1):
                got += [e for e in seen.drain() if isinstance(e, GeofenceCrossed)]
            if len(got) >= 3:
                break
        assert [(e.zone_id, e.entered) for e in got] == [("gf", True), ("gf", False),
                                                         ("gf", True)]
        assert got[0].officer_id == "pm11"
        assert got[0].zone_name == "Gare"
        assert got[0].time == T0 + timedelta(seconds=1)
    finally:
        service.stop()
        writer.stop()
    assert journal.count_events("geofence") == 3
    journal.close()


def test_the_event_round_trips_through_the_codec() -> None:
    e = GeofenceCrossed("pm11", "gf", "Gare", True, LatLon(48.0, 2.0), T0)
    assert decode_event("geofence", dumps(e)) == e


def test_a_service_without_zones_does_not_queue(tmp_path: Path) -> None:
    hub = Hub()
    service = GeofenceService(hub, [])
    service.start()
    hub.post(PositionReported(PositionFix("o", LatLon(1, 1), T0)))
    service.stop()
    assert service.crossings == 0
