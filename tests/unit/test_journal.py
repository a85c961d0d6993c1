"""Journal and codec: every event kind round-trips; times stay UTC; bad rows are skipped."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import events as ev
from app.core.codec import decode_event, dumps
from app.core.journal import Journal
from app.core.model import (
    Alarm,
    AlarmOutcome,
    AlarmState,
    AlarmStep,
    AlarmType,
    Camera,
    CameraKind,
    FieldOfView,
    LatLon,
    Officer,
    OfficerStatus,
    OperatorAction,
    PositionFix,
    Streams,
)

T = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

SAMPLES: list[ev.Event] = [
    ev.CameraAnnounced(Camera("c1", "Gare", CameraKind.FIXED, Streams("rtsp://m", "rtsp://s"),
                              LatLon(60.1, 24.9), FieldOfView(90, 60, 80), "Centre")),
    ev.CameraStatusChanged("c1", False, "timeout", T),
    ev.BodyCamLiveChanged("bc1", "o1", True, "weapon drawn", T),
    ev.OfficerAnnounced(Officer("o1", "PM 11", "VL", OfficerStatus.BUSY, "bc1")),
    ev.OfficerStatusChanged("o1", OfficerStatus.EMERGENCY, T),
    ev.PositionReported(PositionFix("o1", LatLon(60.17, 24.94), T, 90.0, 1.4, None)),
    ev.AlarmReported("panel", "42", AlarmType.GUNSHOT, 1, "Détonation", T, LatLon(60.1, 24.9),
                     ("c1", "c2"), "o1"),
    ev.AdapterStatus("demo", "running", "ok", T),
]


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: e.kind)
def test_every_event_kind_round_trips(event: ev.Event) -> None:
    assert decode_event(event.kind, dumps(event)) == event


def alarm(i: int, state: AlarmState = AlarmState.NEW) -> Alarm:
    return Alarm(str(i), "panel", f"s{i}", AlarmType.INTRUSION, 2, "Intrusion école", T,
                 LatLon(60.1, 24.9), ("c1",), None, state,
                 history=(AlarmStep(T, "panel", "raised", AlarmState.NEW, "x"),))


def test_alarm_state_is_updated_in_place(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite")
    a = alarm(1)
    j.save_alarm(a)
    closed = replace(a, state=AlarmState.CLOSED, outcome=AlarmOutcome.HANDLED,
                     history=(*a.history, AlarmStep(T + timedelta(seconds=9), "alice",
                                                    "closed", AlarmState.CLOSED, "handled")))
    j.save_alarm(closed)
    assert j.load_alarms() == [closed]
    assert j.load_alarms(open_only=True) == []
    assert j.next_alarm_seq() == 2


def test_events_are_stored_with_their_utc_time(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite")
    j.append_events(SAMPLES)
    got = list(j.iter_events(T - timedelta(seconds=1), T + timedelta(seconds=1)))
    assert [e for _, e in got if e.kind == "position"] == [SAMPLES[5]]
    assert all(t.tzinfo is not None for t, _ in got)
    assert j.count_events() == len(SAMPLES)


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="UTC"):
        dumps(ev.CameraStatusChanged("c1", True, "", datetime(2026, 1, 1)))


def test_a_corrupt_row_is_skipped_not_fatal(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite")
    j.save_alarm(alarm(1))
    j.save_alarm(alarm(2))
    j._db.execute("UPDATE alarms SET body = '{\"id\": 5}' WHERE id = '1'")
    assert [a.id for a in j.load_alarms()] == ["2"]


def test_audit_rows_keep_who_what_when(tmp_path: Path) -> None:
    j = Journal(tmp_path / "j.sqlite")
    j.audit("alice", "bodycam_live_view", "camera:bc1", "alarm 3: weapon drawn", T)
    assert j.actions() == [OperatorAction(T, "alice", "bodycam_live_view", "camera:bc1",
                               "alarm 3: weapon drawn")]


@given(lat=st.floats(-90, 90), lon=st.floats(-180, 180),
       offset=st.integers(-12, 14), heading=st.none() | st.floats(0, 359.99))
def test_position_round_trip_any_zone(lat: float, lon: float, offset: int,
                                      heading: float | None) -> None:
    t = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=offset)))
    e = ev.PositionReported(PositionFix("o", LatLon(lat, lon), t, heading))
    back = decode_event("position", dumps(e))
    assert back == e
