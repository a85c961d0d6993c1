"""The window of the person signed in (issue 11): who they are always in sight (the demo's
operator marked as such), a read-only viewer's queue without its commands (and the console
refusing them anyway, logged), and a user of one commune who sees only that commune's
cameras, officers and alarms."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.access import Role, User
from app.core.events import AlarmReported
from app.core.model import AlarmType
from app.core.site import CameraConfig, OfficerConfig, Site, SiteInfo
from app.services.alarm_book import Acknowledge
from app.services.demo_session import DEMO_USER
from app.services.gate import Refused
from app.services.runtime import Runtime
from tests.gui.conftest import main_window

SITE = Site.model_validate({"site": {"name": "CSU du Val"}, "map": {"center": [48.54, 2.66]}})


def two_towns() -> Site:
    return SITE.model_copy(update={
        "site": SiteInfo(name="CSU du Val", communes=["Melun", "Dammarie"]),
        "cameras": [
            CameraConfig(id="cam-melun", name="Melun Gare", main="rtsp://127.0.0.1:9/m",
                         position=(48.5275, 2.6555), commune="Melun"),
            CameraConfig(id="cam-dammarie", name="Dammarie Mairie", main="rtsp://127.0.0.1:9/d",
                         position=(48.515, 2.637), commune="Dammarie")],
        "officers": [OfficerConfig(id="pm-m1", callsign="PM Melun 1", commune="Melun"),
                     OfficerConfig(id="pm-d1", callsign="PM Dammarie 1", commune="Dammarie")]})


def raise_alarm(runtime: Runtime, source_id: str, camera: str) -> None:
    runtime.hub.post_durable(AlarmReported(
        "panel", source_id, AlarmType.INTRUSION, 2, f"Intrusion {source_id}",
        datetime.now(UTC), camera_ids=(camera,))).result(10)


def test_the_demo_operator_is_marked_as_such(qtbot: QtBot, tmp_path: Path) -> None:
    with main_window(SITE, tmp_path / "j.sqlite", user=DEMO_USER) as w:
        who = w.status_bar._who
        assert who.text() == "DEMO · Chef de salle démo"
        assert "without a password" in who.toolTip()
        assert who.isVisible()


def test_a_viewer_sees_the_queue_without_its_commands_and_is_refused_anyway(
        qtbot: QtBot, tmp_path: Path) -> None:
    liaison = User("liaison", "Officier de liaison", Role.VIEWER)
    site = two_towns()
    site = site.model_copy(update={"cameras": [*site.cameras, CameraConfig(
        id="bc-m1", name="PM Melun 1 (caméra-piéton)", kind="body",
        main="rtsp://127.0.0.1:9/b", officer="pm-m1", commune="Melun")]})
    with main_window(site, tmp_path / "j.sqlite", user=liaison) as w:
        qtbot.waitUntil(lambda: len(w.world.cameras) == 2, timeout=10_000)
        assert "bc-m1" not in w.world.cameras  # not offered: a viewer may not view it live
        runtime = w.runtime
        assert isinstance(runtime, Runtime)
        assert w.status_bar._who.text() == "Officier de liaison · viewer"
        raise_alarm(runtime, "door-1", "cam-melun")
        queue = w.alarms.queue
        qtbot.waitUntil(lambda: queue.current_alarm() is not None, timeout=10_000)
        assert not queue.act_ack.isVisible()
        assert not queue.act_ack.isEnabled()
        alarm = queue.current_alarm()
        assert alarm is not None
        with pytest.raises(Refused, match="the role 'viewer' may not do this"):
            runtime.submit(Acknowledge(alarm.id, "liaison")).result(10)
        refused = [a for a in runtime.journal.actions() if a.action == "refused"]
        assert [(a.actor, a.role) for a in refused] == [("liaison", "viewer")]


def test_a_user_of_one_commune_sees_only_its_cameras_officers_and_alarms(
        qtbot: QtBot, tmp_path: Path) -> None:
    melun = User("op.melun", "Opératrice Melun", Role.OPERATOR, ("Melun",))
    with main_window(two_towns(), tmp_path / "j.sqlite", user=melun) as w:
        runtime = w.runtime
        assert isinstance(runtime, Runtime)
        raise_alarm(runtime, "door-melun", "cam-melun")
        raise_alarm(runtime, "door-dammarie", "cam-dammarie")
        qtbot.waitUntil(lambda: "cam-melun" in w.world.cameras, timeout=10_000)
        qtbot.waitUntil(lambda: any(a.source_id == "door-melun"
                                    for a in w.alarms.model.alarms()), timeout=10_000)
        assert set(w.world.cameras) == {"cam-melun"}
        assert set(w.world.officers) == {"pm-m1"}
        assert [a.source_id for a in w.alarms.model.alarms()] == ["door-melun"]
        listed = w.camera_list.grab()  # the list as drawn: Dammarie's camera is not in it
        listed.save(str(tmp_path / "camera-list.png"))
        qtbot.waitUntil(lambda: w.camera_list.visible_ids() == ["cam-melun"], timeout=5000)
        # asking for the other town's camera anyway: refused and logged
        dammarie = next(a for a in runtime.current_alarms() if a.source_id == "door-dammarie")
        with pytest.raises(Refused, match="another territory's alarm"):
            runtime.submit(Acknowledge(dammarie.id, "op.melun")).result(10)
