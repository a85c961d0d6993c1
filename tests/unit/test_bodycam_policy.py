"""The body-cam rule, in one place: when a reason must be asked (CSI L241-2), and that a
viewing is shown only once it is logged (CSI R241-14). Before: three widgets each decided,
differently, and ignored whether the log row was written; then a window's stale copy of a
closed alarm still counted as a reason."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from app.core.journal import JournalUnavailable
from app.core.model import (
    Alarm,
    AlarmState,
    AlarmType,
    Camera,
    CameraKind,
    OperatorAction,
    Streams,
)
from app.services.bodycam_policy import BodyCamPolicy, BodyCamRefused

T = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
BODY = Camera("bc-pm11", "Caméra-piéton PM 11", CameraKind.BODY, Streams("rtsp://x/bc"),
              officer_id="pm11")
FIXED = Camera("cam-1", "Gare", CameraKind.FIXED, Streams("rtsp://x/c1"))


def alarm(t: AlarmType, officer: str | None = "pm11", state: AlarmState = AlarmState.NEW,
          cams: tuple[str, ...] = (), alarm_id: str = "7") -> Alarm:
    return Alarm(alarm_id, "holster", "h1", t, 1, f"{t.value} PM 11", T, officer_id=officer,
                 state=state, camera_ids=cams)


def ignore(_a: OperatorAction) -> None:
    pass


def policy_over(*alarms: Alarm, record: Callable[[OperatorAction], None] = ignore
                ) -> BodyCamPolicy:
    return BodyCamPolicy(record, alarms=lambda: alarms)


def test_what_must_be_asked() -> None:
    assert not policy_over().decide(FIXED).is_body
    assert policy_over().decide(BODY).must_ask
    weapon = alarm(AlarmType.WEAPON_DRAWN)
    assert policy_over(weapon).decide(BODY).standing_reason == \
        "alarm 7 (weapon_drawn): weapon_drawn PM 11"
    assert policy_over(alarm(AlarmType.BODYCAM_EMERGENCY, None, cams=("bc-pm11",))).decide(
        BODY).standing_reason.startswith("alarm 7 (bodycam_emergency)")
    assert policy_over(alarm(AlarmType.INTRUSION)).decide(BODY).must_ask  # no threat by itself
    assert policy_over(alarm(AlarmType.WEAPON_DRAWN, state=AlarmState.CLOSED)).decide(
        BODY).must_ask  # over: ask again
    assert policy_over(alarm(AlarmType.WEAPON_DRAWN, officer="pm12")).decide(BODY).must_ask
    assert not policy_over(weapon).decide(BODY, via_alarm="7").must_ask  # from the alarm


def test_a_closed_alarm_is_no_reason_whatever_copy_the_window_holds() -> None:
    """The service closed alarm 7: reached from it, the camera needs a reason, even though
    the caller may still hold the open copy it showed a moment ago."""
    closed = alarm(AlarmType.WEAPON_DRAWN, state=AlarmState.CLOSED)
    assert policy_over(closed).decide(BODY, via_alarm="7").must_ask


def test_from_an_alarm_only_that_alarm_counts() -> None:
    """Reviewing closed alarm 7 does not open the cam because of another open alarm 8; the
    camera list (no alarm) still sees alarm 8 as the reason."""
    policy = policy_over(alarm(AlarmType.WEAPON_DRAWN, state=AlarmState.CLOSED),
                         alarm(AlarmType.BODYCAM_EMERGENCY, alarm_id="8"))
    assert policy.decide(BODY, via_alarm="7").must_ask
    assert policy.decide(BODY).standing_reason.startswith("alarm 8 ")


def test_an_alarm_closed_between_the_decision_and_the_log_is_no_reason() -> None:
    logged: list[OperatorAction] = []
    now = [alarm(AlarmType.WEAPON_DRAWN)]
    policy = BodyCamPolicy(logged.append, alarms=lambda: now)
    decision = policy.decide(BODY, via_alarm="7")
    assert not decision.must_ask
    now[0] = replace(now[0], state=AlarmState.CLOSED)
    with pytest.raises(BodyCamRefused) as refused:
        policy.open(decision, "op.martin", "alarm 7")
    assert refused.value.kind == "no_reason"
    assert logged == []


def test_a_viewing_is_logged_with_who_how_and_why() -> None:
    logged: list[OperatorAction] = []
    policy = policy_over(record=logged.append)
    policy.open(policy.decide(BODY), "op.martin", "camera list", "Officer in danger: fight")
    (row,) = logged
    assert (row.actor, row.action, row.target, row.detail) == (
        "op.martin", "bodycam_live_view", "camera:bc-pm11", "camera list: Officer in danger: fight")
    policy.open(policy.decide(FIXED), "op.martin", "camera list")  # fixed: nothing to log
    assert len(logged) == 1


def test_no_reason_no_picture() -> None:
    policy = policy_over()
    with pytest.raises(BodyCamRefused) as refused:
        policy.open(policy.decide(BODY), "op.martin", "drag", "   ")
    assert refused.value.kind == "no_reason"


def test_the_law_fails_closed_when_the_log_cannot_be_written() -> None:
    def full(_a: OperatorAction) -> None:
        raise JournalUnavailable("the disk holding the journal is full")

    policy = policy_over(alarm(AlarmType.WEAPON_DRAWN), record=full)
    with pytest.raises(BodyCamRefused) as refused:
        policy.open(policy.decide(BODY), "op.martin", "map")
    assert refused.value.kind == "not_logged"
    assert refused.value.detail == "the disk holding the journal is full"
