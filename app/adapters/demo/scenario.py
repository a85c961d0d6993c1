"""The demo's life: officers patrolling, getting busy, answering alarms, and the alarms.

`Simulation` is a pure, clock-driven object: `step(now)` returns the events due up to `now`
and nothing else moves it, so tests drive an hour in a fraction of a second and the
adapter just calls it from its loop. Given a seed and a start time it is deterministic.
Alarms are data (`AlarmFacts`: an event of app.core.alarm_words, a place, an officer, a
plate): each seat words the title in its operator's language. Place names are the town's.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.adapters.demo.streets import StreetGraph, Walker
from app.adapters.demo.town import Town
from app.core.events import (
    AlarmReported,
    BodyCamLiveChanged,
    CameraAnnounced,
    Event,
    OfficerAnnounced,
    OfficerStatusChanged,
    PositionReported,
)
from app.core.model import (
    AlarmFacts,
    AlarmType,
    Camera,
    CameraKind,
    Officer,
    OfficerStatus,
    PositionFix,
    Streams,
)

A = AlarmType
PRIORITY = {
    A.WEAPON_DRAWN: 1, A.BODYCAM_EMERGENCY: 1, A.GUNSHOT: 1, A.INTRUSION: 2, A.LPR_HIT: 2,
    A.VIDEO_ANALYTICS: 3, A.CITIZEN_REPORT: 4,
}  # fmt: skip
PREFIX = {
    A.WEAPON_DRAWN: "ETUI", A.BODYCAM_EMERGENCY: "SOS", A.GUNSHOT: "DET", A.INTRUSION: "INT",
    A.LPR_HIT: "LAPI", A.VIDEO_ANALYTICS: "VA", A.CITIZEN_REPORT: "CIT",
}  # fmt: skip
REGULAR = (
    A.WEAPON_DRAWN, A.BODYCAM_EMERGENCY, A.GUNSHOT, A.INTRUSION, A.LPR_HIT, A.VIDEO_ANALYTICS,
)  # fmt: skip
# One deck of alarms, shuffled: every type comes round regularly, the everyday ones (sensors,
# plates, analytics) twice as often as an officer in danger.
DECK = (*REGULAR, A.INTRUSION, A.LPR_HIT, A.VIDEO_ANALYTICS)
# How often an alarm of each type has an officer sent (by the operator, in the story).
DISPATCH = {
    A.GUNSHOT: 0.8, A.INTRUSION: 0.4, A.VIDEO_ANALYTICS: 0.2, A.CITIZEN_REPORT: 0.3,
    A.LPR_HIT: 0.0,  # a stolen plate goes to the Police nationale, not to a foot patrol
}  # fmt: skip
DISPATCH_REACH_FOOT_M = 450.0  # straight line; a foot patrol hurrying takes ~4 min
DISPATCH_REACH_CAR_M = 1500.0
RECENT_EMERGENCY_S = 600.0  # another officer's turn, if there is one
# The town was already busy when the demo starts: three alarms within seconds, one of them
# a drawn weapon so the body-cam live feed shows up on the first screenshot.
OPENING = (A.VIDEO_ANALYTICS, A.WEAPON_DRAWN, A.INTRUSION)
REPEAT_PROBABILITY = 0.10  # real panels resend the same report; the console de-duplicates
# events of app.core.alarm_words
ANALYTICS = (
    "analytics_person_down", "analytics_crowd", "analytics_abandoned_object",
    "analytics_wrong_way",
)  # fmt: skip
LPR_REASONS = ("lpr_stolen_vehicle", "lpr_stolen_plate", "lpr_reported_vehicle")
CITIZEN = (
    "citizen_noise", "citizen_parking", "citizen_dumping", "citizen_suspicious",
    "citizen_vandalism", "citizen_stray_dog",
)  # fmt: skip
BODY_PREFIX = "Caméra-piéton "
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"  # SIV plates use no I, O or U


def callsign(i: int) -> tuple[str, str]:
    """(officer id, radio callsign) of the i-th officer: "PM 11", "PM 12", ...

    A police municipale's radio indicatif is a local convention; "PM" + brigade digit +
    agent digit names the service on a channel shared with the Police nationale, which
    phonetic names ("Alpha 1", a military habit) do not.
    """
    brigade, agent = divmod(i, 9)
    return f"pm{brigade + 1}{agent + 1}", f"PM {brigade + 1}{agent + 1}"


def french_plate(rng: random.Random) -> str:
    """A plate in the SIV format, e.g. "AB-123-CD"."""
    a, b = ("".join(rng.choice(PLATE_LETTERS) for _ in range(2)) for _ in range(2))
    return f"{a}-{rng.randint(1, 999):03d}-{b}"


@dataclass
class SimOfficer:
    officer: Officer
    walker: Walker
    cruise: float  # patrol speed, m/s
    status: OfficerStatus = OfficerStatus.AVAILABLE
    episode: int = 0  # bumped at each status episode: stale timers are ignored
    live: bool = False
    last_emergency: float = -math.inf

    @property
    def id(self) -> str:
        return self.officer.id


@dataclass(order=True)
class _Timer:
    t: float
    seq: int
    action: Callable[[float], list[Event]] = field(compare=False)


class Simulation:
    """Officers, their statuses and the alarm flow of the demo town, driven by a clock."""

    def __init__(
        self, town: Town, *, source: str, start: datetime, seed: int, officers: int = 6,
        alarm_interval_s: tuple[float, float] = (20.0, 45.0), first_alarm_after_s: float = 2.0,
        position_interval_s: float = 1.0,
    ) -> None:  # fmt: skip
        self.town, self.g = town, town.graph
        self.source, self.start = source, start
        self.rng = random.Random(f"scenario-{seed}")
        self.interval = (min(alarm_interval_s), max(alarm_interval_s))
        self.position_interval = position_interval_s
        self.run_id = start.strftime("%y%m%d%H%M%S")
        self.officers = [self._make_officer(i, seed) for i in range(officers)]
        self._timers: list[_Timer] = []
        self._seq = itertools.count()
        self._alarm_no = 0
        self._t = 0.0
        self._stepped = False
        self._next_position = 0.0
        self.alarms_sent = 0
        burst_gap = min(2.5, self.interval[0])
        for k, kind in enumerate(OPENING):
            self._at(first_alarm_after_s + k * burst_gap, self._alarm_action(kind))
        after_opening = first_alarm_after_s + (len(OPENING) - 1) * burst_gap
        self._at(after_opening + self._gap(), self._next_alarm)
        self._deck: list[AlarmType] = [k for k in DECK if k not in OPENING]
        self.rng.shuffle(self._deck)
        for o in self.officers:
            self._at(self.rng.uniform(30, 1200), self._busy_action(o))

    # -- roster -----------------------------------------------------------------------
    def _make_officer(self, i: int, seed: int) -> SimOfficer:
        oid, cs = callsign(i)
        car = i % 3 == 2  # one crew in three patrols by car (VL: véhicule léger)
        walker = Walker(self.g, random.Random(f"walker-{seed}-{i}"), car=car)
        officer = Officer(oid, cs, "" if car else "Centre", body_camera_id=f"bc-{oid}",
                          source=self.source, unit_kind="car_patrol" if car else "foot_patrol")
        return SimOfficer(officer, walker, walker.speed)

    def cameras(self, streams: Callable[[str], Streams]) -> list[Camera]:
        """Fixed cameras then body cams, with the stream URLs `streams(camera_id)` gives."""
        fixed = [c.to_camera(streams(c.place.id), self.source) for c in self.town.cameras]
        body = [
            Camera(
                id=f"bc-{o.id}", name=f"{BODY_PREFIX}{o.officer.callsign}", kind=CameraKind.BODY,
                streams=streams(f"bc-{o.id}"), officer_id=o.id, source=self.source,
            )
            for o in self.officers
        ]  # fmt: skip
        return fixed + body

    def announcements(self, streams: Callable[[str], Streams]) -> list[Event]:
        out: list[Event] = [CameraAnnounced(c) for c in self.cameras(streams)]
        out += [OfficerAnnounced(o.officer) for o in self.officers]
        return out

    # -- clock ------------------------------------------------------------------------
    def rebase(self, start: datetime) -> None:
        """Move time zero (before the first `step` only): nothing has happened yet."""
        if self._stepped:
            raise RuntimeError("the simulation has already run")
        self.start, self.run_id = start, start.strftime("%y%m%d%H%M%S")

    def elapsed(self, now: datetime) -> float:
        return (now - self.start).total_seconds()

    def next_due(self) -> datetime:
        """When `step` will next have something to say."""
        t = min(self._next_position, self._timers[0].t if self._timers else math.inf)
        return self.start + timedelta(seconds=t)

    def step(self, now: datetime) -> list[Event]:
        """Everything that happened up to `now` (monotonic), in time order."""
        t = max(self.elapsed(now), self._t)
        self._stepped = True
        out: list[Event] = []
        while self._timers and self._timers[0].t <= t:
            timer = heapq.heappop(self._timers)
            self._move_to(timer.t)
            out += timer.action(timer.t)
        self._move_to(t)
        if t >= self._next_position:
            out += self._positions(t)
            self._next_position += self.position_interval
            if self._next_position <= t:  # we were late: no backlog of stale fixes
                self._next_position = t + self.position_interval
        return out

    def _move_to(self, t: float) -> None:
        self._t = t
        for o in self.officers:
            o.walker.advance_to(t)

    def _at(self, t: float, action: Callable[[float], list[Event]]) -> None:
        heapq.heappush(self._timers, _Timer(t, next(self._seq), action))

    def _time(self, t: float) -> datetime:
        return self.start + timedelta(seconds=t)

    def _positions(self, t: float) -> list[Event]:
        when = self._time(t)
        out: list[Event] = []
        for o in self.officers:
            w = o.walker
            x, y, heading = w.xy_heading()
            speed = w.speed if w.moving else 0.0
            fix = PositionFix(
                o.id, self.g.proj.to_latlon(x, y), when, heading_deg=round(heading, 1) % 360.0,
                speed_mps=round(speed, 2), accuracy_m=5.0,
            )  # fmt: skip
            out.append(PositionReported(fix))
        return out

    # -- officer statuses -------------------------------------------------------------
    def _set_status(self, o: SimOfficer, status: OfficerStatus, t: float) -> list[Event]:
        o.episode += 1
        o.status = status
        return [OfficerStatusChanged(o.id, status, time=self._time(t))]

    def _release_action(self, o: SimOfficer, episode: int) -> Callable[[float], list[Event]]:
        def release(t: float) -> list[Event]:
            if o.episode != episode:
                return []
            o.walker.resume()
            o.walker.speed = o.cruise
            return self._set_status(o, OfficerStatus.AVAILABLE, t)

        return release

    def _busy_action(self, o: SimOfficer) -> Callable[[float], list[Event]]:
        """An officer's own business (a check, a resident asking the way), standing still.
        Comes back every 15-40 min; put off while the officer is on something else."""

        def busy(t: float) -> list[Event]:
            if o.status is not OfficerStatus.AVAILABLE:
                self._at(t + self.rng.uniform(120, 300), busy)
                return []
            out = self._set_status(o, OfficerStatus.BUSY, t)
            o.walker.speed = 0.0
            self._at(t + self.rng.uniform(120, 300), self._release_action(o, o.episode))
            self._at(t + self.rng.uniform(900, 2400), busy)
            return out

        return busy

    def _dispatch(
        self, x: float, y: float, t: float, exclude: str = "", on_scene: float | None = None
    ) -> list[Event]:
        """Send the nearest available officer within reach to (x, y); they hold on scene,
        then patrol. Nobody in reach: the operator would call the Police nationale."""

        def reach(o: SimOfficer) -> float:
            d = math.dist(o.walker.xy_heading()[:2], (x, y))
            limit = DISPATCH_REACH_CAR_M if o.walker.car else DISPATCH_REACH_FOOT_M
            return d if d <= limit else math.inf

        free = [o for o in self.officers if o.status is OfficerStatus.AVAILABLE and o.id != exclude]
        o = min(free, key=reach, default=None)
        if o is None or math.isinf(reach(o)):
            return []
        out = self._set_status(o, OfficerStatus.INTERVENTION, t)
        o.walker.speed = o.cruise * 1.3  # hurrying
        travel = o.walker.route_to(x, y) / o.walker.speed
        stay = self.rng.uniform(90, 240) if on_scene is None else on_scene
        self._at(t + min(travel, 300) + stay, self._release_action(o, o.episode))
        return out

    # -- alarms -----------------------------------------------------------------------
    def _gap(self) -> float:
        return self.rng.uniform(*self.interval)

    def _next_alarm(self, t: float) -> list[Event]:
        if not self._deck:
            self._deck = list(DECK) + ([A.CITIZEN_REPORT] if self.rng.random() < 0.5 else [])
            self.rng.shuffle(self._deck)
        kind = self._deck.pop()
        self._at(t + self._gap(), self._next_alarm)
        return self._alarm_action(kind)(t)

    def _alarm_action(self, kind: AlarmType) -> Callable[[float], list[Event]]:
        def fire(t: float) -> list[Event]:
            make = {
                A.WEAPON_DRAWN: self._officer_alarm, A.BODYCAM_EMERGENCY: self._officer_alarm,
                A.GUNSHOT: self._gunshot, A.INTRUSION: self._intrusion, A.LPR_HIT: self._lpr,
                A.VIDEO_ANALYTICS: self._analytics, A.CITIZEN_REPORT: self._citizen,
            }[kind]  # fmt: skip
            return make(kind, t)

        return fire

    def _report(
        self, kind: AlarmType, t: float, facts: AlarmFacts, x: float, y: float,
        cameras: tuple[str, ...], officer_id: str | None = None,
    ) -> AlarmReported:  # fmt: skip
        self._alarm_no += 1
        self.alarms_sent += 1
        unique = list(dict.fromkeys(cameras))
        body = [c for c in unique if c.startswith("bc-")]
        fixed = [c for c in unique if not c.startswith("bc-")][:3]
        report = AlarmReported(
            source=self.source, source_id=f"{PREFIX[kind]}-{self.run_id}-{self._alarm_no:04d}",
            type=kind, priority=PRIORITY[kind], title="", facts=facts, time=self._time(t),
            position=self.g.proj.to_latlon(x, y), camera_ids=(*body, *fixed),
            officer_id=officer_id,
        )  # fmt: skip
        if self.rng.random() < REPEAT_PROBABILITY:
            self._at(t + self.rng.uniform(3, 15), lambda _t: [report])
        return report

    def _officer_alarm(self, kind: AlarmType, t: float) -> list[Event]:
        """A drawn weapon or an emergency button: the officer goes `emergency`, the body
        camera goes live, a colleague is sent. The demo picks the officer best seen by
        cameras so the wall has something to show."""
        pool = [o for o in self.officers if o.status is not OfficerStatus.EMERGENCY]
        if not pool:
            return self._gunshot(A.GUNSHOT, t)
        self.rng.shuffle(pool)

        def suitability(o: SimOfficer) -> tuple[bool, bool, int]:
            rested = t - o.last_emergency > RECENT_EMERGENCY_S
            seen = len(self.town.cameras_seeing(*o.walker.xy_heading()[:2]))
            return rested, o.status is OfficerStatus.AVAILABLE, seen

        o = max(pool, key=suitability)
        o.last_emergency = t
        x, y, _ = o.walker.xy_heading()
        weapon = kind is A.WEAPON_DRAWN
        reason = "capteur d'étui : arme sortie" if weapon else "bouton d'urgence"
        out = self._set_status(o, OfficerStatus.EMERGENCY, t)
        o.walker.speed = 0.0
        bc = o.officer.body_camera_id or f"bc-{o.id}"
        if not o.live:
            o.live = True
            out.append(BodyCamLiveChanged(bc, o.id, True, reason=reason, time=self._time(t)))
        cams = (bc, *self.town.cameras_seeing(x, y))
        facts = AlarmFacts(event=kind.value, officer=o.officer.callsign)
        out.append(self._report(kind, t, facts, x, y, cams, o.id))
        calm = t + self.rng.uniform(40, 90)  # "situation maîtrisée" on the radio
        # a colleague hears it on the radio and comes
        out += self._dispatch(x, y, t, exclude=o.id, on_scene=calm - t)
        episode = o.episode

        def calm_down(tc: float) -> list[Event]:
            if o.episode != episode:
                return []
            evs = self._set_status(o, OfficerStatus.INTERVENTION, tc)
            self._at(tc + self.rng.uniform(30, 90), self._release_action(o, o.episode))
            return evs

        def live_off(tl: float) -> list[Event]:
            if not o.live or o.status is OfficerStatus.EMERGENCY:
                return []
            o.live = False
            when = self._time(tl)
            return [BodyCamLiveChanged(bc, o.id, False, reason="fin de l'incident", time=when)]

        self._at(calm, calm_down)
        self._at(calm + self.rng.uniform(60, 150), live_off)
        return out

    def _with_dispatch(self, report: AlarmReported, x: float, y: float, t: float) -> list[Event]:
        """The report, then maybe (as the operator would, some seconds later) an officer
        sent, keeping most patrols free for what comes next."""

        def send(td: float) -> list[Event]:
            free = sum(o.status is OfficerStatus.AVAILABLE for o in self.officers)
            return self._dispatch(x, y, td) if free > len(self.officers) * 2 // 3 else []

        if self.rng.random() < DISPATCH.get(report.type, 0.0):
            self._at(t + self.rng.uniform(15, 45), send)
        return [report]

    def _gunshot(self, kind: AlarmType, t: float) -> list[Event]:
        s = self.rng.choice(self.town.sensors)
        facts = AlarmFacts(event="gunshot_detected", place=s.name)
        rep = self._report(kind, t, facts, s.x, s.y, self.town.cameras_seeing(s.x, s.y))
        return self._with_dispatch(rep, s.x, s.y, t)

    def _intrusion(self, kind: AlarmType, t: float) -> list[Event]:
        b = self.rng.choice(self.town.buildings)
        cams = self.town.cameras_seeing(b.x, b.y)
        rep = self._report(kind, t, AlarmFacts(event="intrusion", place=b.name), b.x, b.y, cams)
        return self._with_dispatch(rep, b.x, b.y, t)

    def _lpr(self, kind: AlarmType, t: float) -> list[Event]:
        c = self.rng.choice(self.town.lpr_cameras or self.town.cameras).place
        facts = AlarmFacts(event=self.rng.choice(LPR_REASONS), plate=french_plate(self.rng),
                           place=c.name)
        cams = (c.id, *self.town.cameras_seeing(c.x, c.y))
        return [self._report(kind, t, facts, c.x, c.y, cams)]

    def _analytics(self, kind: AlarmType, t: float) -> list[Event]:
        site = self.rng.choice(self.town.cameras)
        d = self.rng.uniform(15.0, 0.7 * site.fov.range_m)
        b = math.radians(site.fov.heading_deg + self.rng.uniform(-0.3, 0.3) * site.fov.angle_deg)
        x, y = site.place.x + d * math.sin(b), site.place.y + d * math.cos(b)
        facts = AlarmFacts(event=self.rng.choice(ANALYTICS), place=site.place.name)
        cams = (site.place.id, *self.town.cameras_seeing(x, y))
        return self._with_dispatch(self._report(kind, t, facts, x, y, cams), x, y, t)

    def _citizen(self, kind: AlarmType, t: float) -> list[Event]:
        g: StreetGraph = self.g
        node = self.rng.randrange(len(g.nodes))
        x, y = g.nodes[node]
        street = next((g.edges[e].name for e in g.adj[node] if g.edges[e].name), "")
        where = street or self.town.zone_of(x, y)
        facts = AlarmFacts(event=self.rng.choice(CITIZEN), place=where)
        rep = self._report(kind, t, facts, x, y, self.town.cameras_seeing(x, y))
        return self._with_dispatch(rep, x, y, t)
