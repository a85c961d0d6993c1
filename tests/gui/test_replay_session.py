"""Opening an incident for replay logs the consultation FIRST; refused or not logged, and
nothing of the past is even read (so nothing can be shown)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core import events as ev
from app.core.access import Role, User
from app.core.incident import Incident
from app.core.model import LatLon, PositionFix
from app.core.site import Site
from app.services.consultation import CONSULTED
from app.services.runtime import Runtime
from app.ui.replay_session import Phase, ReplaySession

SITE = Site.model_validate({"site": {"name": "Ville"}, "map": {"center": [48.54, 2.66]}})
T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
INCIDENT = Incident("Rixe", T0, T0 + timedelta(minutes=5), ("cam-gare",), ("pm11",), id=7)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = Runtime(SITE, {}, tmp_path / "journal.sqlite")
    rt.journal.append_events([ev.PositionReported(PositionFix(
        "pm11", LatLon(48.54, 2.66), T0 + timedelta(seconds=5)))])
    yield rt
    rt.stop()


def test_logged_then_loaded(qtbot: QtBot, runtime: Runtime) -> None:
    runtime.sign_in_as_demo(User("chef", "Chef", Role.CHIEF))
    session = ReplaySession(runtime, INCIDENT, "analyse d'incident", "PV 12")
    with qtbot.waitSignal(session.ready, timeout=10_000):
        session.start()
    session.close()
    assert session.phase is Phase.READY
    assert session.history is not None
    assert session.history.fix_at("pm11", T0 + timedelta(minutes=1)) is not None
    assert list(session.sources) == ["cam-gare"]  # the journal's index: it says "nothing"
    assert session.coverage == {"cam-gare": ([], [])}
    [row] = [r.action for r in runtime.journal.audit_rows() if r.action.action == CONSULTED]
    assert (row.target, row.purpose, row.cameras) == ("incident:7", "analyse d'incident",
                                                      ("cam-gare",))


@pytest.mark.parametrize(("role", "purpose", "why"), [
    (Role.OPERATOR, "analyse d'incident", "role 'operator'"),
    (Role.CHIEF, "", "purpose"),
])
def test_refused_before_anything_is_read(qtbot: QtBot, runtime: Runtime, role: Role,
                                         purpose: str, why: str) -> None:
    runtime.sign_in_as_demo(User("x", "X", role))
    session = ReplaySession(runtime, INCIDENT, purpose)
    with qtbot.waitSignal(session.refused, timeout=10_000) as got:
        session.start()
    session.close()
    assert why in got.args[0]
    assert session.phase is Phase.REFUSED
    assert session.history is None
    assert not [r for r in runtime.journal.audit_rows() if r.action.action == CONSULTED]
