"""What the console's runtime offers replay, for a person who may replay only: incidents
saved in their name, bookmarks, the journal's past; an operator is refused, and logged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.core import events as ev
from app.core.access import Role, User
from app.core.incident import Bookmark, Incident
from app.core.model import LatLon, PositionFix
from app.core.site import Site
from app.services.gate import Refused
from app.services.runtime import Runtime

SITE = Site.model_validate({"site": {"name": "Ville"}, "map": {"center": [48.54, 2.66]}})
CHIEF = User("chef.durand", "Claire Durand", Role.CHIEF)
OPERATOR = User("op.martin", "Paul Martin", Role.OPERATOR)
T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = Runtime(SITE, {}, tmp_path / "journal.sqlite")
    yield rt
    rt.stop()


def test_a_chief_saves_reopens_and_replays(runtime: Runtime) -> None:
    runtime.sign_in_as_demo(CHIEF)
    runtime.journal.append_events([ev.PositionReported(PositionFix(
        "pm11", LatLon(48.54, 2.66), T0 + timedelta(seconds=5)))])
    incident = Incident("Rixe", T0, T0 + timedelta(minutes=5), ("cam-gare",), ("pm11",),
                        created_by="someone else")
    iid = runtime.save_incident(incident).result(10)
    [saved] = runtime.incidents().result(10)
    assert (saved.id, saved.created_by) == (iid, "chef.durand")
    runtime.add_bookmark(Bookmark(iid, T0 + timedelta(minutes=1), "ici", "x")).result(10)
    assert [(b.note, b.by) for b in runtime.bookmarks(iid).result(10)] == [
        ("ici", "chef.durand")]
    history = runtime.replay_history(T0, T0 + timedelta(minutes=5), ["pm11"]).result(10)
    assert history.fix_at("pm11", T0 + timedelta(seconds=6)) is not None


def test_an_operator_may_not_replay(runtime: Runtime) -> None:
    runtime.sign_in_as_demo(OPERATOR)
    with pytest.raises(Refused, match="role 'operator'"):
        runtime.incidents().result(10)
    with pytest.raises(Refused, match="role 'operator'"):
        runtime.replay_history(T0, T0 + timedelta(minutes=5)).result(10)
    refused = [r.action for r in runtime.journal.audit_rows() if r.action.action == "refused"]
    assert [r.target for r in refused] == ["incidents", "replay"]
