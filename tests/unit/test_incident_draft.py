"""An incident drafted from an alarm holds what a chief wants to replay: its range with a
margin, its cameras and those that saw its place, the officers concerned and nearest, and
their body cams."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from app.core.model import (
    Alarm,
    AlarmState,
    AlarmStep,
    AlarmType,
    Camera,
    CameraKind,
    FieldOfView,
    LatLon,
    Officer,
    OfficerStatus,
    PositionFix,
    Streams,
)
from app.services.incident_draft import draft_from_alarm

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
HERE = LatLon(48.5400, 2.6600)


def cam(cid: str, lat: float, heading: float = 0.0, kind: CameraKind = CameraKind.FIXED
        ) -> Camera:
    return Camera(cid, cid, kind, Streams(f"rtsp://127.0.0.1/{cid}"), LatLon(lat, 2.66),
                  FieldOfView(heading, 60, 100) if kind is CameraKind.FIXED else None)


CAMERAS = {c.id: c for c in [
    cam("cam-panel", 48.5450), cam("cam-near", 48.5395), cam("cam-far", 48.5600),
    cam("bc-pm11", 48.54, kind=CameraKind.BODY), cam("bc-pm13", 48.54, kind=CameraKind.BODY)]}
OFFICERS = {o.id: o for o in [
    Officer("pm11", "PM 11", "VL1", OfficerStatus.AVAILABLE, "bc-pm11"),
    Officer("pm12", "PM 12", "VL1", OfficerStatus.AVAILABLE),
    Officer("pm13", "PM 13", "VL2", OfficerStatus.AVAILABLE, "bc-pm13"),
    Officer("pm14", "PM 14", "VL2", OfficerStatus.AVAILABLE),
    Officer("pm15", "PM 15", "VL3", OfficerStatus.AVAILABLE)]}


def fix(oid: str, metres_north: float) -> PositionFix:
    return PositionFix(oid, LatLon(HERE.lat + metres_north / 111_000, HERE.lon), T0)


def alarm(closed_after_s: float | None) -> Alarm:
    steps = [AlarmStep(T0, "panel", "raised", AlarmState.NEW)]
    if closed_after_s is not None:
        steps.append(AlarmStep(T0 + timedelta(seconds=closed_after_s), "chef", "closed",
                               AlarmState.CLOSED))
    return Alarm("17", "panel", "z3", AlarmType.INTRUSION, 2, "Intrusion gymnase", T0, HERE,
                 ("cam-panel",), "pm13", AlarmState.CLOSED if closed_after_s else
                 AlarmState.NEW, history=tuple(steps))


def test_a_closed_alarm_gives_its_span_with_a_margin_and_who_was_near() -> None:
    fixes = {"pm11": fix("pm11", 50), "pm12": fix("pm12", 500), "pm14": fix("pm14", 20),
             "pm15": fix("pm15", 3000), "pm13": fix("pm13", 0)}
    got = draft_from_alarm(alarm(600), CAMERAS, OFFICERS, fixes, now=T0 + timedelta(hours=3),
                           margin=timedelta(minutes=2))
    assert (got.start, got.end) == (T0 - timedelta(minutes=2),
                                    T0 + timedelta(minutes=12))
    assert got.officers == ("pm13", "pm14", "pm11", "pm12")  # concerned, then nearest
    assert got.cameras[:2] == ("cam-panel", "cam-near")  # its own, then who saw the place
    assert set(got.cameras) == {"cam-panel", "cam-near", "cam-far", "bc-pm13", "bc-pm11"}
    assert got.alarm_id == "17"
    assert got.title == "Intrusion gymnase"
    got.check()


def test_an_open_alarm_runs_up_to_now() -> None:
    now = T0 + timedelta(seconds=30)
    got = draft_from_alarm(alarm(None), CAMERAS, OFFICERS, {}, now=now)
    assert got.end == now
    assert got.officers == ("pm13",)
