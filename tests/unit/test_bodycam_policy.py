"""The body-cam rule, in one place: when a reason must be asked (CSI L241-2), and that a
viewing is shown only once it is logged (CSI R241-14). Before: three widgets each decided,
differently, and ignored whether the log row was written."""

from __future__ import annotations

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
          cams: tuple[str, ...] = ()) -> Alarm:
    return Alarm("7", "holster", "h1", t, 1, f"{t.value} PM 11", T, officer_id=officer,
                 state=state, camera_ids=cams)


def test_what_must_be_asked() -> None:
    policy = BodyCamPolicy(lambda a: None)
    assert not policy.decide(FIXED).is_body
    assert policy.decide(BODY).must_ask
    weapon = alarm(AlarmType.WEAPON_DRAWN)
    assert policy.decide(BODY, [weapon]).standing_reason == \
        "alarm 7 (weapon_drawn): weapon_drawn PM 11"
    assert policy.decide(BODY, [alarm(AlarmType.BODYCAM_EMERGENCY, None, cams=("bc-pm11",))]
                         ).standing_reason.startswith("alarm 7 (bodycam_emergency)")
    assert policy.decide(BODY, [alarm(AlarmType.INTRUSION)]).must_ask  # no threat by itself
    assert policy.decide(BODY, [alarm(AlarmType.WEAPON_DRAWN, state=AlarmState.CLOSED)]
                         ).must_ask  # over: ask again
    assert policy.decide(BODY, [alarm(AlarmType.WEAPON_DRAWN, officer="pm12")]).must_ask
    assert not policy.decide(BODY, alarm=weapon).must_ask  # opened from the alarm itself


def test_a_viewing_is_logged_with_who_how_and_why() -> None:
    logged: list[OperatorAction] = []
    policy = BodyCamPolicy(logged.append)
    policy.open(policy.decide(BODY), "op.martin", "camera list", "Officer in danger: fight")
    (row,) = logged
    assert (row.actor, row.action, row.target, row.detail) == (
        "op.martin", "bodycam_live_view", "camera:bc-pm11", "camera list: Officer in danger: fight")
    policy.open(policy.decide(FIXED), "op.martin", "camera list")  # fixed: nothing to log
    assert len(logged) == 1


def test_no_reason_no_picture() -> None:
    policy = BodyCamPolicy(lambda a: None)
    with pytest.raises(BodyCamRefused) as refused:
        policy.open(policy.decide(BODY), "op.martin", "drag", "   ")
    assert refused.value.kind == "no_reason"


def test_the_law_fails_closed_when_the_log_cannot_be_written() -> None:
    def full(_a: OperatorAction) -> None:
        raise JournalUnavailable("the disk holding the journal is full")

    policy = BodyCamPolicy(full)
    with pytest.raises(BodyCamRefused) as refused:
        policy.open(policy.decide(BODY, [alarm(AlarmType.WEAPON_DRAWN)]), "op.martin", "map")
    assert refused.value.kind == "not_logged"
    assert refused.value.detail == "the disk holding the journal is full"
