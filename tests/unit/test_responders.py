"""Who can be sent to an alarm (app.services.responders). Before: everyone with a position
was listed, and the officer in emergency was offered for his own weapon-drawn alarm."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.model import (
    Alarm,
    AlarmType,
    LatLon,
    Officer,
    OfficerStatus,
    PositionFix,
)
from app.services.responders import can_respond, responders, suggestion

NOW = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
HERE = LatLon(60.1700, 24.9400)
WEAPON = Alarm("1", "holster", "h1", AlarmType.WEAPON_DRAWN, 1, "Arme sortie PM 14", NOW,
               HERE, officer_id="pm14")


def officer(oid: str, status: OfficerStatus = OfficerStatus.AVAILABLE) -> Officer:
    return Officer(oid, oid.upper(), "PM", status)


def fix(oid: str, metres_north: float, age_s: float = 1) -> PositionFix:
    return PositionFix(oid, LatLon(HERE.lat + metres_north / 111_195, HERE.lon),
                       NOW - timedelta(seconds=age_s))


def test_the_subject_and_officers_who_cannot_go_are_never_listed() -> None:
    assert not can_respond(officer("pm14", OfficerStatus.EMERGENCY), WEAPON)
    assert not can_respond(officer("pm14"), WEAPON)  # even available: it is about him
    for status in (OfficerStatus.EMERGENCY, OfficerStatus.INTERVENTION,
                   OfficerStatus.OFF_DUTY):
        assert not can_respond(officer("pm2", status), WEAPON)
    assert can_respond(officer("pm2"), WEAPON)
    assert can_respond(officer("pm2", OfficerStatus.BUSY), WEAPON)  # may be diverted


def test_order_placed_available_nearest_first_then_busy_then_unplaced() -> None:
    officers = [officer("pm14", OfficerStatus.EMERGENCY), officer("far"), officer("near"),
                officer("busy", OfficerStatus.BUSY), officer("nogps"), officer("old"),
                officer("sos", OfficerStatus.EMERGENCY)]
    fixes = {f.officer_id: f for f in (fix("pm14", 0), fix("far", 900), fix("near", 300),
                                        fix("busy", 50), fix("old", 10, age_s=120),
                                        fix("sos", 20))}
    found = responders(WEAPON, officers, fixes, NOW, stale_after_s=60)
    assert [r.officer.id for r in found] == ["near", "far", "busy", "nogps", "old"]
    assert [round(r.distance_m) if r.distance_m is not None else None for r in found] == [
        300, 900, 50, None, None]  # a fix of 2 minutes ago gives no distance
    best = suggestion(found)
    assert best is not None
    assert best.officer.id == "near"


def test_no_suggestion_without_an_available_placed_officer() -> None:
    found = responders(WEAPON, [officer("busy", OfficerStatus.BUSY), officer("nogps")],
                       {"busy": fix("busy", 10)}, NOW, stale_after_s=60)
    assert [r.officer.id for r in found] == ["busy", "nogps"]
    assert suggestion(found) is None


def test_a_replay_does_not_age_positions() -> None:
    found = responders(WEAPON, [officer("pm2")], {"pm2": fix("pm2", 10, age_s=3600)}, NOW,
                       stale_after_s=None)
    assert found[0].distance_m is not None
