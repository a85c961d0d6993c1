"""Consulting recorded video is logged before anything is shown, and fails closed: no purpose,
not a chief, another territory's camera or a log that cannot be written, and the answer is
no (CSI R241-14)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core.access import Role, User
from app.core.journal import JournalUnavailable
from app.core.site import Site
from app.services.consultation import CONSULTED, Consultation
from app.services.gate import Refused
from app.services.runtime import Runtime
from tests.integration.journal_faults import SmallDisk

SITE = Site.model_validate({
    "site": {"name": "Deux-Villes", "communes": ["Melun", "Dammarie"]},
    "map": {"center": [48.54, 2.66]},
    "cameras": [{"id": "cam-gare", "name": "Gare", "main": "rtsp://127.0.0.1/gare",
                 "commune": "Melun"},
                {"id": "cam-parc", "name": "Parc", "main": "rtsp://127.0.0.1/parc",
                 "commune": "Dammarie"}]})
CHIEF = User("chef.durand", "Claire Durand", Role.CHIEF)
MELUN_CHIEF = User("chef.melun", "Luc Melun", Role.CHIEF, communes=("Melun",))
OPERATOR = User("op.martin", "Paul Martin", Role.OPERATOR)
T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


def asked(purpose: str = "analyse d'incident", cameras: tuple[str, ...] = ("cam-gare",)
          ) -> Consultation:
    return Consultation(cameras, T0, T0 + timedelta(minutes=5), purpose, "PV 2026/118",
                        incident_id=4)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = Runtime(SITE, {}, tmp_path / "journal.sqlite")
    yield rt
    rt.stop()


def logged(rt: Runtime, action: str) -> list[object]:
    return [r.action for r in rt.journal.audit_rows() if r.action.action == action]


def test_a_chief_s_consultation_is_logged_with_every_field(runtime: Runtime) -> None:
    runtime.sign_in_as_demo(CHIEF)
    runtime.consult_recordings(asked()).result(10)
    [row] = [r.action for r in runtime.journal.audit_rows() if r.action.action == CONSULTED]
    assert (row.actor, row.target, row.purpose) == ("chef.durand", "incident:4",
                                                     "analyse d'incident")
    assert (row.cameras, row.range_start, row.range_end) == (
        ("cam-gare",), T0, T0 + timedelta(minutes=5))
    assert row.role == "chief"
    assert "PV 2026/118" in row.detail


def test_no_purpose_no_video(runtime: Runtime) -> None:
    runtime.sign_in_as_demo(CHIEF)
    with pytest.raises(Refused, match="purpose"):
        runtime.consult_recordings(asked(purpose="  ")).result(10)
    assert logged(runtime, CONSULTED) == []


@pytest.mark.parametrize(("user", "cameras", "why"), [
    (OPERATOR, ("cam-gare",), "role 'operator'"),
    (MELUN_CHIEF, ("cam-gare", "cam-parc"), "another territory"),
])
def test_refused_and_the_refusal_logged(runtime: Runtime, user: User,
                                        cameras: tuple[str, ...], why: str) -> None:
    runtime.sign_in_as_demo(user)
    with pytest.raises(Refused, match=why):
        runtime.consult_recordings(asked(cameras=cameras)).result(10)
    assert logged(runtime, CONSULTED) == []
    assert len(logged(runtime, "refused")) == 1


def test_a_log_that_cannot_be_written_shows_nothing(tmp_path: Path) -> None:
    disk = SmallDisk(tmp_path / "disk")
    rt = Runtime(SITE, {}, disk.path / "journal.sqlite")
    try:
        rt.sign_in_as_demo(CHIEF)
        disk.fill()
        with pytest.raises(JournalUnavailable):
            rt.consult_recordings(asked()).result(10)
    finally:
        rt.stop()
        disk.free()
        disk.unmount()
