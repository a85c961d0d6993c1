"""Working from the map on a real QtWebEngine page: offline tiles through the mbtiles:
scheme, trails, stale marks, clusters, real mouse clicks, and the map controller (body cam
with its legal reason, cameras near a point, follow, responders to an alarm)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.access import Role, User
from app.core.events import (
    AlarmChanged,
    BodyCamLiveChanged,
    CameraAnnounced,
    OfficerAnnounced,
    PositionReported,
)
from app.core.hub import Hub
from app.core.model import (
    Alarm,
    AlarmState,
    AlarmType,
    Camera,
    CameraKind,
    FieldOfView,
    LatLon,
    Officer,
    OfficerStatus,
    PositionFix,
    Streams,
    utc_now,
)
from app.core.site import Site, parse_site
from app.services.runtime import Runtime
from app.ui.bodycam_access import BodyCamAccess
from app.ui.bridge import HubBridge
from app.ui.settings import settings
from app.ui.world import World
from maps.mbtiles import build_town_mbtiles
from maps.view import MapView
from tests.gui.conftest import acts
from tests.gui.test_map import (  # noqa: F401 - _chromium_flags: the module's Chromium flags
    CENTER,
    JS_MS,
    LOAD_MS,
    TOWN,
    _chromium_flags,
    counts,
    delete,
    evaluate,
    make_view,
    officer,
    ready_view,
    wait_counts,
)
from widgets.bodycam_reason import BodyCamGate
from widgets.map_controller import MapController
from widgets.map_dock import MapFeed, make_map_view, view_key

ZONES = TOWN.parent / "sectors.geojson"


@pytest.fixture(scope="module")
def mbtiles_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("tiles") / "town.mbtiles"
    build_town_mbtiles(TOWN, path, zooms=[15])
    return path


@pytest.fixture
def view(qtbot: QtBot, tmp_path: Path) -> Iterator[MapView]:
    yield from ready_view(qtbot, tmp_path, zones_geojson=ZONES)


def test_mbtiles_are_served_through_the_scheme_and_nothing_leaves(
    qtbot: QtBot, tmp_path: Path, mbtiles_file: Path
) -> None:
    view = make_view(qtbot, tmp_path, base="offline", mbtiles={"offline": mbtiles_file},
                     tiles=[{"name": "offline", "url": "mbtiles://offline/{z}/{x}/{y}",
                             "attribution": "Tuiles de la ville", "maxNativeZoom": 15}])
    qtbot.waitUntil(lambda: view.is_ready, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: view.tile_handler.served >= 4, timeout=JS_MS)
    loaded = evaluate(qtbot, view, "Array.from(document.querySelectorAll('img.leaflet-tile'))"
                      ".filter(function(i){return i.complete && i.naturalWidth === 256})"
                      ".map(function(i){return i.src})")
    assert loaded
    assert all(src.startswith("mbtiles://offline/15/") for src in loaded)  # z16, scaled up
    assert view.blocked_requests == []
    assert set(view.request_schemes) <= {"file", "qrc", "data", "mbtiles"}
    text = evaluate(qtbot, view, "document.querySelector('.leaflet-control-attribution')"
                                 ".textContent")
    assert "Tuiles de la ville" in text
    assert "OpenStreetMap" not in text  # the vector layer is not shown, nor its attribution
    with qtbot.waitSignal(view.base_changed, timeout=JS_MS) as blocker:  # switch base layers
        evaluate(qtbot, view, "(CSU.map.removeLayer(CSU.base.offline),"
                              "CSU.map.addLayer(CSU.base.streets),"
                              "CSU.map.fire('baselayerchange', {layer: CSU.base.streets}), 1)")
    assert blocker.args == ["streets"]
    delete(qtbot, view)


def test_zones_trails_and_stale_marks(qtbot: QtBot, view: MapView) -> None:
    assert counts(qtbot, view)["zones"] == 5
    now_ms = round(datetime.now(UTC).timestamp() * 1000)
    old = {**officer(2), "t": now_ms - 10 * 60_000}
    view.update_officers([{**officer(1), "t": now_ms, "live": True}, old])
    wait_counts(qtbot, view, officers=2)
    for step in range(1, 4):
        view.update_officers([{**officer(1, lat=60.1695 + step * 0.0002), "t": now_ms,
                               "live": True}])
        qtbot.waitUntil(lambda s=step: evaluate(qtbot, view, "CSU.officerState('o1')")["trail"]
                        == s + 1, timeout=JS_MS)
    assert evaluate(qtbot, view, "CSU.officerState('o1')")["stale"] is False
    assert evaluate(qtbot, view, "CSU.officerState('o2')")["stale"] is True
    assert evaluate(qtbot, view, "CSU.officerState('o1')")["live"] is True  # body cam live
    assert evaluate(qtbot, view, "CSU.officerState('o2')")["live"] is False


def test_many_officers_cluster_at_low_zoom_but_not_an_emergency(
    qtbot: QtBot, view: MapView
) -> None:
    items = [officer(i, lat=60.165 + (i % 20) * 0.0006, lon=24.936 + (i // 20) * 0.0012)
             for i in range(400)]
    items[0]["status"] = "emergency"
    view.update_officers(items)
    view.center_on(*CENTER, 13)
    wait_counts(qtbot, view, officers=400)

    def clustered() -> None:
        got = counts(qtbot, view)
        assert got["clusters"] > 0
        assert got["drawn"] < 100

    qtbot.waitUntil(clustered, timeout=JS_MS)
    assert evaluate(qtbot, view, "CSU.officerState('o0')")["shown"] is True
    view.center_on(*CENTER, 17)
    view.center_on(*CENTER, 17)
    qtbot.waitUntil(lambda: counts(qtbot, view)["clusters"] == 0, timeout=JS_MS)


def point_of(qtbot: QtBot, view: MapView, officer_id: str) -> QPoint:
    x, y = evaluate(qtbot, view, f"CSU.officerPoint('{officer_id}')")
    return QPoint(round(x), round(y))


def test_a_real_mouse_click_and_right_click_reach_python(qtbot: QtBot, view: MapView) -> None:
    view.set_motion_smoothing(False)
    view.update_officers([officer(5)])
    wait_counts(qtbot, view, officers=1, drawn=1)
    target = view.focusProxy()
    at = point_of(qtbot, view, "o5")
    with qtbot.waitSignal(view.officer_clicked, timeout=JS_MS) as blocker:
        QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at)
    assert blocker.args == ["o5"]
    with qtbot.waitSignal(view.context_requested, timeout=JS_MS) as blocker:
        QTest.mouseClick(target, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier, at)
    assert blocker.args[2:] == ["officer", "o5"]
    assert blocker.args[0] == pytest.approx(CENTER[0], abs=2e-4)
    empty = QPoint(at.x() + 120, at.y() + 90)
    with qtbot.waitSignal(view.context_requested, timeout=JS_MS) as blocker:
        QTest.mouseClick(target, Qt.MouseButton.RightButton, Qt.KeyboardModifier.NoModifier,
                         empty)
    assert blocker.args[2:] == ["", ""]
    assert blocker.args[0] < CENTER[0]  # below the officer: further south


# ---- the controller --------------------------------------------------------------------
CAM_POS = LatLon(60.1695, 24.9420)  # looks east, towards the officers


def fixed(cid: str, pos: LatLon, heading: float) -> Camera:
    return Camera(cid, cid.upper(), CameraKind.FIXED, Streams(f"rtsp://x/{cid}"), pos,
                  FieldOfView(heading, 60, 200))


class Rig:
    """A MapController on a real page, a world fed through the real bridge, the real
    body-cam rule and access log (a runtime's journal), a fake wall."""

    def __init__(self, qtbot: QtBot, view: MapView, journal: Path) -> None:
        site = Site.model_validate({"site": {"name": "T"}, "map": {"center": list(CENTER)}})
        self.runtime = Runtime(site, {}, journal)
        self.runtime.sign_in_as_demo(User("op1", "Opératrice 1", Role.OPERATOR))
        self.hub = self.runtime.hub
        self.bridge = HubBridge(self.hub, World())
        self.feed = MapFeed(view, self.bridge, site)
        self.shown: list[str] = []
        self.laid: list[list[str]] = []
        self.reasons: list[str | None] = []
        self.asked: list[str] = []
        self.gate = BodyCamGate(BodyCamAccess(self.runtime, lambda: "op1"),
                                self.bridge.world)
        self.gate.ask = self._ask
        self.controller = MapController(
            view, self.bridge, show_camera=lambda c: self.shown.append(c.id),
            lay_cameras=lambda cams, _what: self.laid.append([c.id for c in cams]),
            gate=self.gate)
        events = [
            CameraAnnounced(fixed("east", CAM_POS, 90)),
            CameraAnnounced(fixed("west", LatLon(60.1695, 24.9470), 270)),
            CameraAnnounced(fixed("north", LatLon(60.1740, 24.9440), 0)),
            CameraAnnounced(Camera("bc1", "BC 1", CameraKind.BODY, Streams("rtsp://x/bc1"),
                                   officer_id="o1")),
            OfficerAnnounced(Officer("o1", "PM 1", "", body_camera_id="bc1")),
            OfficerAnnounced(Officer("o2", "PM 2", "")),
            OfficerAnnounced(Officer("o3", "PM 3", "", status=OfficerStatus.BUSY)),
        ]
        self.bridge.dispatch(events)
        self.move("o1", 60.1695, 24.9440)
        self.move("o2", 60.1700, 24.9460)
        self.move("o3", 60.1696, 24.9441)

    def _ask(self, cam: Camera, wearer: str, _parent: object) -> str | None:
        officer = self.bridge.world.officer_of_camera(cam.id)
        assert officer is not None
        assert wearer == officer.callsign
        self.asked.append(officer.id)
        return self.reasons.pop(0) if self.reasons else None

    def alarm_stored(self, a: Alarm, is_new: bool = False) -> None:
        """As the alarm service does: its book (what the body-cam rule judges), then the
        announcement the seat's widgets get."""
        self.runtime.alarms.book.commit([a])
        self.bridge.dispatch([AlarmChanged(a, is_new)])

    def audits(self) -> list[tuple[str, str, str, str]]:
        return [(a.actor, a.action, a.target, a.detail) for a in acts(self.runtime.journal)]

    def move(self, oid: str, lat: float, lon: float) -> None:
        self.bridge.dispatch([PositionReported(PositionFix(oid, LatLon(lat, lon), utc_now()))])


def alarm(aid: str, kind: AlarmType, officer_id: str | None = None,
          state: AlarmState = AlarmState.NEW) -> Alarm:
    return Alarm(aid, "src", aid, kind, 1, f"{kind.value} {aid}", utc_now() - timedelta(1),
                 LatLon(60.1697, 24.9445), officer_id=officer_id, state=state)


@pytest.fixture
def rig(qtbot: QtBot, view: MapView, tmp_path: Path) -> Iterator[Rig]:
    rig = Rig(qtbot, view, tmp_path / "journal.sqlite")
    wait_counts(qtbot, view, officers=3)
    try:
        yield rig
    finally:
        rig.bridge.stop()
        rig.runtime.stop()


def test_a_bodycam_click_asks_the_reason_and_logs_it(qtbot: QtBot, view: MapView, rig: Rig) -> None:
    rig.controller.open_bodycam("o1")  # cancelled: nothing shown, nothing logged
    assert (rig.asked, rig.shown, rig.audits()) == (["o1"], [], [])
    rig.reasons.append("Renfort demandé à la radio")
    with qtbot.waitSignal(view.officer_clicked, timeout=JS_MS):  # a click in the page
        evaluate(qtbot, view, "(CSU.layer('officer', 'o1').fire('click'), 1)")
    qtbot.waitUntil(lambda: rig.shown == ["bc1"], timeout=5000)  # once logged
    assert rig.audits() == [("op1", "bodycam_live_view", "camera:bc1",
                             "map: Renfort demandé à la radio")]
    assert evaluate(qtbot, view, "CSU.officerState('o1')")["hl"] is True


def test_a_live_bodycam_under_a_weapon_alarm_needs_no_dialog(qtbot: QtBot, rig: Rig) -> None:
    rig.alarm_stored(alarm("a1", AlarmType.WEAPON_DRAWN, "o1"), True)
    rig.bridge.dispatch([BodyCamLiveChanged("bc1", "o1", True, "holster")])
    assert rig.controller.open_bodycam("o1")
    assert rig.asked == []
    qtbot.waitUntil(lambda: rig.shown == ["bc1"], timeout=5000)
    assert rig.audits() == [("op1", "bodycam_live_view", "camera:bc1",
                             "map: alarm a1 (weapon_drawn): weapon_drawn a1")]
    # the alarm is closed: no threat any more, asked again
    rig.alarm_stored(alarm("a1", AlarmType.WEAPON_DRAWN, "o1", AlarmState.CLOSED))
    assert not rig.controller.open_bodycam("o1")
    assert rig.asked == ["o1"]


def test_cameras_near_a_point_are_those_that_see_it(qtbot: QtBot, view: MapView,
                                                    rig: Rig) -> None:
    menu = rig.controller.context_menu(60.1695, 24.9440, "", "")
    [near] = [a for a in menu.actions() if a.text() == "Cameras near here"]
    near.trigger()
    assert rig.laid == [["east", "west"]]  # "north" looks away from the point
    messages: list[str] = []
    rig.controller.message.connect(messages.append)
    assert rig.controller.cameras_near(60.1600, 24.9000) == []
    assert messages == ["No camera sees this point"]
    menu.close()


def test_follow_keeps_the_officer_centred_and_the_wall_near_them(
    qtbot: QtBot, view: MapView, rig: Rig
) -> None:
    menu = rig.controller.context_menu(60.1695, 24.9440, "officer", "o1")
    texts = [a.text() for a in menu.actions()]
    assert texts == ["Cameras near here", "Follow PM 1", "Body camera of PM 1"]
    menu.actions()[1].trigger()
    menu.close()
    assert rig.controller.following == "o1"
    assert rig.laid[-1][0] == "east"  # sees them, nearest
    wait_counts(qtbot, view, following=1)
    rig.move("o1", 60.1738, 24.9441)  # walks north, in front of the north camera
    assert rig.laid[-1][0] == "north"

    def centred() -> None:
        lat, lon, _zoom = evaluate(qtbot, view, "CSU.view()")
        assert (lat, lon) == pytest.approx((60.1738, 24.9441), abs=2e-4)

    qtbot.waitUntil(centred, timeout=JS_MS)
    with qtbot.waitSignal(view.follow_stopped, timeout=JS_MS):  # the page's box stops it
        evaluate(qtbot, view, "(document.querySelector('.csu-follow').click(), 1)")
    assert rig.controller.following is None
    assert counts(qtbot, view)["following"] == 0


def test_an_alarm_shows_the_nearest_available_officers(qtbot: QtBot, view: MapView,
                                                      rig: Rig) -> None:
    suggestions: list[Any] = []
    rig.controller.assignment_suggested.connect(lambda a, o: suggestions.append((a, o)))
    rig.bridge.dispatch([AlarmChanged(alarm("a2", AlarmType.INTRUSION), True)])
    wait_counts(qtbot, view, alarms=1)
    rig.controller.show_alarm(rig.controller.alarms["a2"])
    assert suggestions == [("a2", "o1")]  # o3 is nearer but busy
    wait_counts(qtbot, view, responders=2)
    labels = evaluate(qtbot, view, "CSU.tracks.responders.items.map(function(i){return i.label})")
    assert labels[0].startswith("Suggested: PM 1 · ")
    assert labels[1].startswith("PM 2 · ")
    rig.bridge.dispatch([AlarmChanged(alarm("a2", AlarmType.INTRUSION,
                                            state=AlarmState.ASSIGNED))])
    wait_counts(qtbot, view, responders=0)


def test_the_map_reopens_where_and_as_it_was_left(qtbot: QtBot, tmp_path: Path) -> None:
    data = tomllib.loads((TOWN.parent / "site.toml").read_text(encoding="utf-8"))
    data.pop("adapters")
    site = parse_site(data, str(TOWN.parent / "site.toml"), {})
    key = view_key(site)
    base_key = key.replace("map/view/", "map/base/")
    settings().setValue(key, [60.1750, 24.9500, 16])
    settings().setValue(base_key, "Plan hors ligne")
    try:
        view = make_map_view(site, tmp_path / "cache")
        qtbot.addWidget(view)
        view.resize(900, 700)
        view.show()
        qtbot.waitUntil(lambda: view.is_ready, timeout=LOAD_MS)
        assert evaluate(qtbot, view, "CSU.view()") == pytest.approx([60.1750, 24.9500, 16])
        qtbot.waitUntil(lambda: view.tile_handler.served > 0, timeout=JS_MS)  # offline tiles
        assert counts(qtbot, view)["zones"] == 5
        bridge = HubBridge(Hub(), World())
        MapFeed(view, bridge, site)
        with qtbot.waitSignal(view.view_changed, timeout=JS_MS):
            view.center_on(60.1700, 24.9400, 15)
        assert settings().value(key) == pytest.approx([60.1700, 24.9400, 15])
        assert view.blocked_requests == []
        delete(qtbot, view)
    finally:
        settings().remove(key)
        settings().remove(base_key)
