"""The demo town's life over a simulated hour, driven by a fake clock (no sleeping)."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

import pytest

from app.adapters.demo.adapter import DemoConfig, make_simulation, make_town
from app.adapters.demo.scenario import Simulation
from app.adapters.demo.streets import haversine_m, load_town_graph
from app.adapters.demo.town import MUNICIPAL_BUILDINGS
from app.core.events import (
    AlarmReported,
    BodyCamLiveChanged,
    CameraAnnounced,
    Event,
    OfficerAnnounced,
    OfficerStatusChanged,
    PositionReported,
)
from app.core.model import AlarmType, CameraKind, LatLon, OfficerStatus, Streams

START = datetime(2025, 3, 14, 21, 0, tzinfo=UTC)
HOUR = 3600
A = AlarmType
PRIORITY = {
    A.WEAPON_DRAWN: 1, A.BODYCAM_EMERGENCY: 1, A.GUNSHOT: 1, A.INTRUSION: 2, A.LPR_HIT: 2,
    A.VIDEO_ANALYTICS: 3, A.CITIZEN_REPORT: 4,
}  # fmt: skip
CALLSIGN = r"PM \d{2,3}"
TITLES = {
    A.WEAPON_DRAWN: rf"Weapon drawn from the holster — {CALLSIGN}",
    A.BODYCAM_EMERGENCY: rf"Body-cam emergency button — {CALLSIGN}",
    A.GUNSHOT: r"Gunshot detected — capteur (Esplanade|Gare|Port)",
    A.INTRUSION: r"Intrusion — (" + "|".join(map(re.escape, MUNICIPAL_BUILDINGS)) + ")",
    A.LPR_HIT: r"LPR: .+ [A-HJ-NP-TV-Z]{2}-\d{3}-[A-HJ-NP-TV-Z]{2} — .+ \(LAPI\)",
    A.VIDEO_ANALYTICS: r"Video analytics: .+ — .+ × .+",
    A.CITIZEN_REPORT: r"Citizen report: .+ — .+",
}


def _streams(camera_id: str) -> Streams:
    return Streams(main=f"test://{camera_id}/main", sub=f"test://{camera_id}/sub")


def _run(sim: Simulation, seconds: int, step: float = 1.0) -> list[Event]:
    events: list[Event] = []
    for k in range(int(seconds / step) + 1):
        events += sim.step(START + timedelta(seconds=k * step))
    return events


def _sim(seed: int = 7, **overrides: object) -> Simulation:
    cfg = DemoConfig.model_validate({"seed": seed, "video": False, **overrides})
    return make_simulation(cfg, seed, START)


@pytest.fixture(scope="module")
def hour() -> tuple[Simulation, list[Event]]:
    sim = _sim()
    return sim, _run(sim, HOUR)


def _alarms(events: list[Event]) -> list[AlarmReported]:
    return [e for e in events if isinstance(e, AlarmReported)]


def _distinct(alarms: list[AlarmReported]) -> list[AlarmReported]:
    first: dict[str, AlarmReported] = {}
    for a in alarms:
        first.setdefault(a.source_id, a)
    return list(first.values())


def _secs(when: datetime) -> float:
    return (when - START).total_seconds()


def test_every_alarm_type_comes_round(hour: tuple[Simulation, list[Event]]) -> None:
    _, events = hour
    counts = Counter(a.type for a in _distinct(_alarms(events)))
    for kind in PRIORITY:
        minimum = 2 if kind is A.CITIZEN_REPORT else 6
        assert counts[kind] >= minimum, f"{kind}: {counts[kind]} in an hour"
    assert A.OTHER not in counts


def test_alarms_come_at_the_configured_rate(hour: tuple[Simulation, list[Event]]) -> None:
    _, events = hour
    times = [_secs(a.time) for a in _distinct(_alarms(events))]
    assert times == sorted(times)
    assert times[0] == pytest.approx(2.0)  # first_alarm_after_s
    assert sum(t <= 15 for t in times) >= 3  # a screenshot at 15 s shows a busy town
    gaps = [b - a for a, b in itertools.pairwise(times[2:])]  # after the opening burst
    assert min(gaps) >= 20.0 - 1e-6
    assert max(gaps) <= 45.0 + 1e-6
    assert 3600 / 45 <= len(times) <= 3600 / 20 + 3


def test_alarm_reports_are_well_formed(hour: tuple[Simulation, list[Event]]) -> None:
    sim, events = hour
    cameras = {c.id: c for c in sim.cameras(_streams)}
    officers = {o.id: o.officer for o in sim.officers}
    g = sim.g
    for a in _alarms(events):
        assert a.source == "demo"
        assert a.priority == PRIORITY[a.type]
        assert re.fullmatch(TITLES[a.type], a.title), a.title
        assert a.position is not None
        assert 60.163 < a.position.lat < 60.180
        assert 24.934 < a.position.lon < 24.954
        assert all(c in cameras for c in a.camera_ids)
        assert len(set(a.camera_ids)) == len(a.camera_ids)
        fixed = [cameras[c] for c in a.camera_ids if cameras[c].kind is CameraKind.FIXED]
        assert len(fixed) <= 3
        for cam in fixed:  # could see it: in range of the camera
            assert cam.position is not None
            assert cam.fov is not None
            assert haversine_m(cam.position, a.position) <= cam.fov.range_m + 0.5
        if a.type in (A.WEAPON_DRAWN, A.BODYCAM_EMERGENCY):
            assert a.officer_id in officers
            assert a.camera_ids[0] == officers[a.officer_id].body_camera_id
            assert officers[a.officer_id].callsign in a.title
        else:
            assert a.officer_id is None
            assert all(cameras[c].kind is CameraKind.FIXED for c in a.camera_ids)
        if a.type in (A.LPR_HIT, A.VIDEO_ANALYTICS):
            assert a.camera_ids, a.title
            assert cameras[a.camera_ids[0]].name in a.title
        if a.type is A.LPR_HIT:
            assert cameras[a.camera_ids[0]].position == a.position
    assert g is not None


def test_officer_alarms_are_where_the_officer_is(hour: tuple[Simulation, list[Event]]) -> None:
    _, events = hour
    checked = 0
    for i, e in enumerate(events):
        if not (isinstance(e, AlarmReported) and e.officer_id and e.type is A.WEAPON_DRAWN):
            continue
        nxt = next(
            p.fix
            for p in events[i:]
            if isinstance(p, PositionReported) and p.fix.officer_id == e.officer_id
        )
        assert e.position is not None
        assert haversine_m(nxt.position, e.position) < 0.01  # standing still since
        assert nxt.speed_mps == 0
        checked += 1
    assert checked >= 3


def test_repeats_share_the_source_id_and_the_content(hour: tuple[Simulation, list[Event]]) -> None:
    _, events = hour
    alarms = _alarms(events)
    by_id: defaultdict[str, list[AlarmReported]] = defaultdict(list)
    for a in alarms:
        by_id[a.source_id].append(a)
    repeated = [v for v in by_id.values() if len(v) > 1]
    assert 0.03 <= len(repeated) / len(by_id) <= 0.25
    for reports in repeated:
        assert all(r == reports[0] for r in reports)


def test_source_ids_differ_between_runs() -> None:
    a = _alarms(_run(_sim(seed=1), 120))
    later = make_simulation(DemoConfig(seed=1, video=False), 1, START + timedelta(hours=1))
    b = _alarms(
        [ev for k in range(121) for ev in later.step(START + timedelta(hours=1, seconds=k))]
    )
    assert a
    assert b
    assert not {x.source_id for x in a} & {x.source_id for x in b}


def test_a_drawn_weapon_starts_the_body_cam_and_an_emergency(
    hour: tuple[Simulation, list[Event]],
) -> None:
    _, events = hour
    weapons = [a for a in _distinct(_alarms(events)) if a.type is A.WEAPON_DRAWN]
    assert weapons
    for a in weapons:
        same_time = [e for e in events if getattr(e, "time", None) == a.time]
        assert any(
            isinstance(e, OfficerStatusChanged)
            and e.officer_id == a.officer_id
            and e.status is OfficerStatus.EMERGENCY
            for e in same_time
        )
        live = [
            e for e in events if isinstance(e, BodyCamLiveChanged) and e.officer_id == a.officer_id
        ]
        on = [e for e in live if e.live and e.time <= a.time]
        assert on, "no live body cam for a drawn weapon"
        assert on[-1].camera_id == a.camera_ids[0]
        assert on[-1].reason
        off = [e for e in live if not e.live and e.time > a.time]
        if _secs(a.time) < HOUR - 600:
            assert off, "the body cam never stopped being live"
            assert 60 <= (off[0].time - a.time).total_seconds() <= 600


def test_officers_statuses_are_plausible(hour: tuple[Simulation, list[Event]]) -> None:
    sim, events = hour
    share: defaultdict[OfficerStatus, float] = defaultdict(float)
    current = {o.id: (OfficerStatus.AVAILABLE, 0.0) for o in sim.officers}
    for e in events:
        if isinstance(e, OfficerStatusChanged):
            status, since = current[e.officer_id]
            share[status] += _secs(e.time) - since
            current[e.officer_id] = (e.status, _secs(e.time))
    for status, since in current.values():
        share[status] += HOUR - since
    total = sum(share.values())
    assert total == pytest.approx(HOUR * len(sim.officers))
    assert share[OfficerStatus.AVAILABLE] / total >= 0.4
    for s in (OfficerStatus.BUSY, OfficerStatus.INTERVENTION, OfficerStatus.EMERGENCY):
        assert share[s] > 0, s
    assert share[OfficerStatus.EMERGENCY] / total < 0.2


def test_positions_every_interval_at_walking_or_driving_speed(
    hour: tuple[Simulation, list[Event]],
) -> None:
    sim, events = hour
    fixes: defaultdict[str, list[PositionReported]] = defaultdict(list)
    for e in events:
        if isinstance(e, PositionReported):
            fixes[e.fix.officer_id].append(e)
    assert set(fixes) == {o.id for o in sim.officers}
    for oid, track in fixes.items():
        assert len(track) == HOUR + 1
        moved = 0.0
        for p, q in itertools.pairwise(track):
            assert (q.fix.time - p.fix.time).total_seconds() == pytest.approx(1.0)
            d = haversine_m(p.fix.position, q.fix.position)
            assert d <= 9.0 * 1.3 + 0.1  # the fastest: a car hurrying to an alarm
            assert q.fix.heading_deg is not None
            assert 0 <= q.fix.heading_deg < 360
            moved += d
        assert moved > 1000, f"{oid} hardly moved in an hour"


def test_announcements_name_everything(hour: tuple[Simulation, list[Event]]) -> None:
    sim, _ = hour
    events = sim.announcements(_streams)
    cams = [e.camera for e in events if isinstance(e, CameraAnnounced)]
    officers = [e.officer for e in events if isinstance(e, OfficerAnnounced)]
    fixed = [c for c in cams if c.kind is CameraKind.FIXED]
    body = [c for c in cams if c.kind is CameraKind.BODY]
    assert len(fixed) == 9
    assert len(body) == len(officers) == 6
    assert [o.callsign for o in officers] == ["PM 11", "PM 12", "PM 13", "PM 14", "PM 15", "PM 16"]
    assert {(o.unit_kind, o.unit) for o in officers} == {("foot_patrol", "Centre"),
                                                         ("car_patrol", "")}
    assert [c.id for c in fixed] == [f"cam-{i:02d}" for i in range(1, 10)]
    assert all(" × " in c.name for c in fixed)
    assert sum("(LAPI)" in c.name for c in fixed) == 2
    assert {c.zone for c in fixed} >= {"Gare", "Esplanade"}
    for c in fixed:
        assert c.fov is not None
        assert 60 <= c.fov.angle_deg <= 90
        assert 60 <= c.fov.range_m <= 120
        assert c.source == "demo"
    for o in officers:
        cam = next(c for c in body if c.id == o.body_camera_id)
        assert cam.id == f"bc-{o.id}"
        assert cam.officer_id == o.id
        assert cam.streams.sub == f"test://{cam.id}/sub"


def test_cameras_stand_at_the_crossings_they_are_named_after() -> None:
    town = make_town(3, 12)
    g = load_town_graph()
    for site in town.cameras:
        streets = site.place.name.removesuffix(" (LAPI)").split(" × ")
        node = g.nearest_node(site.place.x, site.place.y)
        assert math.dist(g.nodes[node], (site.place.x, site.place.y)) < 1e-6
        names = {g.edges[ei].name for ei in g.adj[node]}
        assert set(streets) <= names, (site.place.name, names)
    assert len(town.buildings) >= 5
    assert len(town.sensors) == 3
    assert len({b.position for b in town.buildings}) == len(town.buildings)


def test_same_seed_same_town_and_story() -> None:
    a, b = _run(_sim(seed=42), 300), _run(_sim(seed=42), 300)
    assert a == b
    c = _run(_sim(seed=43), 300)
    assert [e for e in a if isinstance(e, AlarmReported)] != [
        e for e in c if isinstance(e, AlarmReported)
    ]


def test_the_demo_is_one_town_unless_asked_otherwise() -> None:
    """Layouts name cameras by id: a new town at each start would show other streets."""
    from app.core.registry import discover
    from app.core.site import load_site
    from app.main import demo_site_path

    assert DemoConfig().seed == DemoConfig().seed == 1
    (cfg,) = load_site(demo_site_path(), discover()).adapters
    assert isinstance(cfg, DemoConfig)
    assert cfg.seed == 1
    assert DemoConfig.model_validate({"seed": "random"}).seed == "random"
    with pytest.raises(ValueError, match="seed"):
        DemoConfig.model_validate({"seed": "sometimes"})


def test_coarse_steps_keep_alarm_times_exact() -> None:
    fine = _distinct(_alarms(_run(_sim(seed=5), 900, step=1.0)))
    coarse = _distinct(_alarms(_run(_sim(seed=5), 900, step=30.0)))
    assert [(a.source_id, a.time) for a in fine] == [(a.source_id, a.time) for a in coarse]


def test_many_officers_and_cameras() -> None:
    sim = _sim(seed=9, officers=500, cameras=64)
    events = _run(sim, 60)
    assert len({c.id for c in sim.cameras(_streams)}) == 564
    assert len({o.officer.callsign for o in sim.officers}) == 500
    positions = [e for e in events if isinstance(e, PositionReported)]
    assert len(positions) == 500 * 61
    assert all(isinstance(p.fix.position, LatLon) for p in positions)


def test_rebase_only_before_the_start() -> None:
    sim = _sim()
    later = START + timedelta(seconds=30)
    sim.rebase(later)
    assert sim.step(later + timedelta(seconds=1.5)) != []
    with pytest.raises(RuntimeError):
        sim.rebase(START)
