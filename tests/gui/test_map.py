"""The map dock on a real QtWebEngine page (under the Xvfb that pytest-xvfb starts)."""

from __future__ import annotations

import base64
import json
import os
import signal
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from maps.view import MapView

TOWN = Path(__file__).resolve().parents[2] / "resources" / "demo" / "town.geojson"
CENTER = (60.1695, 24.9440)
LOAD_MS = 30_000
JS_MS = 10_000
ATTRIBUTION_JS = "document.querySelector('.leaflet-control-attribution').textContent"


def officer(i: int, lat: float = 60.1695, lon: float = 24.9440) -> dict[str, object]:
    return {"id": f"o{i}", "callsign": f"PM {i}", "lat": lat, "lon": lon, "status": "available",
            "heading": 90.0, "live": False}


def evaluate(qtbot: QtBot, view: MapView, script: str) -> Any:
    """Run a script that returns a JSON string in the page; wait for it; decode it."""
    box: list[object] = []
    view.run_js_for_test(f"JSON.stringify({script})", box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=JS_MS)
    return json.loads(str(box[0]))


def counts(qtbot: QtBot, view: MapView) -> dict[str, int]:
    result: dict[str, int] = evaluate(qtbot, view, "CSU.counts()")
    return result


def wait_counts(qtbot: QtBot, view: MapView, **expected: int) -> None:
    def check() -> None:
        got = counts(qtbot, view)
        assert {k: got[k] for k in expected} == expected

    qtbot.waitUntil(check, timeout=JS_MS)


@pytest.fixture(scope="module", autouse=True)
def _chromium_flags(request: pytest.FixtureRequest) -> None:
    """Flags QtWebEngine reads once, when the first page of the session starts it."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    try:
        depth = str(request.config.getini("xvfb_colordepth"))
    except ValueError:  # pytest-xvfb absent
        depth = ""
    if depth == "16":  # pytest-xvfb's default: Chromium's GPU process segfaults (no EGL config)
        flags.append("--disable-gpu")
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(dict.fromkeys(flags))


def make_view(qtbot: QtBot, tmp_path: Path, **kwargs: object) -> MapView:
    view = MapView(CENTER, 16, tmp_path / "cache", TOWN, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    return view


def delete(qtbot: QtBot, view: MapView) -> None:
    """Delete now, not at interpreter exit, where Qt may free the profile before the page."""
    gone: list[bool] = []
    view.destroyed.connect(lambda: gone.append(True))
    view.deleteLater()
    qtbot.waitUntil(lambda: bool(gone), timeout=JS_MS)


def ready_view(qtbot: QtBot, tmp_path: Path, **kwargs: object) -> Iterator[MapView]:
    """A loaded map (for a fixture to yield from); deleted after, and no JavaScript error
    may have happened on it."""
    view = make_view(qtbot, tmp_path, **kwargs)
    qtbot.waitUntil(lambda: view.is_ready, timeout=LOAD_MS)
    yield view
    errors = view.js_errors
    delete(qtbot, view)
    assert errors == []


@pytest.fixture
def view(qtbot: QtBot, tmp_path: Path) -> Iterator[MapView]:
    yield from ready_view(qtbot, tmp_path)


def test_page_loads_with_no_network_request(qtbot: QtBot, view: MapView) -> None:
    got = counts(qtbot, view)
    assert got["bridge"] == 1
    assert evaluate(qtbot, view, "CSU.town") == {"buildings": 446, "roads": 2061,
                                                  "labels": pytest.approx(100, abs=60)}
    assert view.blocked_requests == []
    assert set(view.request_schemes) <= {"file", "qrc", "data"}
    assert view.request_schemes["file"] >= 4  # page, leaflet.js, leaflet.css, town, console
    attribution = evaluate(qtbot, view, ATTRIBUTION_JS)
    assert "© OpenStreetMap contributors" in str(attribution)


def test_a_stray_remote_request_is_blocked_and_counted(qtbot: QtBot, view: MapView) -> None:
    # 203.0.113.0/24 is TEST-NET-3: even if the guard failed, nothing would answer.
    evaluate(qtbot, view, "(function(){var i=new Image();i.src='http://203.0.113.7/x.png';"
                          "document.body.appendChild(i);return 1})()")
    qtbot.waitUntil(lambda: view.blocked_requests == ["http://203.0.113.7/x.png"], timeout=JS_MS)


def test_navigation_away_from_the_map_is_refused(
    qtbot: QtBot, view: MapView, caplog: pytest.LogCaptureFixture
) -> None:
    home = view.url()
    evaluate(qtbot, view, "(function(){location.href='file:///etc/hostname';return 1})()")
    qtbot.waitUntil(lambda: "refused navigation to file:///etc/hostname" in caplog.text,
                    timeout=JS_MS)
    assert counts(qtbot, view)["bridge"] == 1
    assert view.url() == home


def test_update_officers_moves_a_marker_smoothly(qtbot: QtBot, view: MapView) -> None:
    view.set_motion_smoothing(True)
    view.update_officers([officer(1)])
    wait_counts(qtbot, view, officers=1)
    view.update_officers([officer(1, lat=60.1700, lon=24.9450)])  # ~80 m: animated
    samples: list[list[float]] = []

    def arrived() -> None:
        lat, lon, moving = evaluate(qtbot, view, "CSU.officerLatLng('o1')")
        samples.append([lat, lon, moving])
        assert not moving
        assert (lat, lon) == pytest.approx((60.1700, 24.9450), abs=1e-9)

    qtbot.waitUntil(arrived, timeout=JS_MS)
    between = [s for s in samples if 60.1695 < s[0] < 60.1700]
    assert between, "the move should be interpolated, not a jump"
    assert all(s[2] == 1 for s in between)


def test_without_smoothing_a_fix_moves_the_marker_at_once(qtbot: QtBot, view: MapView) -> None:
    view.set_motion_smoothing(False)
    view.update_officers([officer(1)])
    wait_counts(qtbot, view, officers=1)
    view.update_officers([officer(1, lat=60.1700, lon=24.9450)])
    qtbot.waitUntil(lambda: evaluate(qtbot, view, "CSU.officerLatLng('o1')")[0] != 60.1695,
                    timeout=JS_MS)
    assert evaluate(qtbot, view, "CSU.officerLatLng('o1')") == [60.1700, 24.9450, 0]


def test_a_thousand_officers_in_one_call(
    qtbot: QtBot, view: MapView, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = view.page()
    calls: list[str] = []
    real = page.runJavaScript

    def counting(script: str, *args: Any) -> None:
        calls.append(script)
        real(script, *args)

    monkeypatch.setattr(page, "runJavaScript", counting)
    items = [officer(i, lat=60.165 + (i % 40) * 0.00035, lon=24.936 + (i // 40) * 0.0007)
             for i in range(1000)]
    view.update_officers(items)
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=JS_MS)
    monkeypatch.undo()
    wait_counts(qtbot, view, officers=1000, errors=0)
    assert calls[0].count("CSU.updateOfficers(") == 1


def test_updates_before_ready_are_queued_and_coalesced(qtbot: QtBot, tmp_path: Path) -> None:
    view = make_view(qtbot, tmp_path)
    assert not view.is_ready
    view.update_officers([officer(1, lat=60.1680)])
    view.update_officers([officer(1, lat=60.1690), officer(2)])
    view.update_alarms([{"id": "a1", "lat": 60.17, "lon": 24.945, "priority": 1, "title": "x",
                         "state": "new"}])
    view.update_alarms([{"id": "a1", "state": "closed"}])
    qtbot.waitUntil(lambda: view.is_ready, timeout=LOAD_MS)
    wait_counts(qtbot, view, officers=2, alarms=0)
    lat, _lon, _moving = evaluate(qtbot, view, "CSU.officerLatLng('o1')")
    assert lat == pytest.approx(60.1690)
    delete(qtbot, view)


@pytest.mark.parametrize(
    ("kind", "item_id"), [("officer", "o7"), ("camera", "c1"), ("alarm", "a1")]
)
def test_a_click_in_the_page_reaches_python(
    qtbot: QtBot, view: MapView, kind: str, item_id: str
) -> None:
    view.update_officers([officer(7)])
    view.set_cameras([{"id": "c1", "name": "Place", "lat": 60.169, "lon": 24.943, "heading": 90,
                       "angle": 60, "range": 80, "online": True}])
    view.update_alarms([{"id": "a1", "lat": 60.170, "lon": 24.946, "priority": 2,
                         "title": "Intrusion", "state": "new"}])
    wait_counts(qtbot, view, officers=1, cameras=1, alarms=1)
    signal = {"officer": view.officer_clicked, "camera": view.camera_clicked,
              "alarm": view.alarm_clicked}[kind]
    with qtbot.waitSignal(signal, timeout=JS_MS) as blocker:
        evaluate(qtbot, view, f"(CSU.layer('{kind}', '{item_id}').fire('click'), 1)")
    assert blocker.args == [item_id]


def test_cameras_draw_cones_and_are_replaced(qtbot: QtBot, view: MapView) -> None:
    cams = [
        {"id": "c1", "name": "A", "lat": 60.169, "lon": 24.943, "heading": 45, "angle": 60,
         "range": 80, "online": True},
        {"id": "c2", "name": "B", "lat": 60.170, "lon": 24.945, "heading": 0, "angle": 360,
         "range": 40, "online": False},
        {"id": "c3", "name": "PTZ", "lat": 60.171, "lon": 24.944, "heading": None, "angle": None,
         "range": None, "online": True},
    ]
    view.set_cameras(cams)
    wait_counts(qtbot, view, cameras=3, cones=2)
    # The cone of c1 opens north-east: its far edge lies north and east of the camera.
    bounds = evaluate(qtbot, view, "(function(){var b=CSU.cameras.get('c1').cone.getBounds();"
                                   "return [b.getNorth(), b.getEast()]})()")
    assert isinstance(bounds, list)
    assert bounds[0] > 60.1695
    assert bounds[1] > 24.944
    view.set_cameras(cams[:1])
    wait_counts(qtbot, view, cameras=1, cones=1)


def test_alarms_pulse_while_new_and_disappear_on_close(qtbot: QtBot, view: MapView) -> None:
    def alarm(i: int, state: str) -> dict[str, object]:
        return {"id": f"a{i}", "lat": 60.168 + i * 0.001, "lon": 24.944, "priority": i,
                "title": f"<b>alarm {i}</b>", "state": state}

    view.update_alarms([alarm(1, "new"), alarm(2, "new"), alarm(3, "acknowledged")])
    wait_counts(qtbot, view, alarms=3, pulsing=2)
    view.update_alarms([alarm(2, "acknowledged")])
    wait_counts(qtbot, view, alarms=3, pulsing=1)
    view.update_alarms([alarm(1, "closed")])
    wait_counts(qtbot, view, alarms=2, pulsing=0)
    view.remove_alarms(["a2", "a3"])
    wait_counts(qtbot, view, alarms=0)


def test_in_a_storm_only_the_newest_alarms_pulse(qtbot: QtBot, view: MapView) -> None:
    """Every pulsing ring is redrawn at every step: a storm of 300 new alarms must not make
    the page redraw 300 rings twice a second (the storm bench saw the page take a whole
    CPU); the newest 64 pulse, the others keep a still ring."""
    view.update_alarms([{"id": f"s{i}", "lat": 60.16 + (i % 20) * 0.001,
                         "lon": 24.93 + (i // 20) * 0.001, "priority": 1 + i % 4,
                         "title": f"storm {i}", "state": "new"} for i in range(300)])
    wait_counts(qtbot, view, alarms=300, pulsing=64)


def test_center_on_changes_the_view(qtbot: QtBot, view: MapView) -> None:
    with qtbot.waitSignal(view.view_changed, timeout=JS_MS) as blocker:
        view.center_on(60.1750, 24.9500, 17)
    assert blocker.args[2] == 17
    lat, lon, zoom = evaluate(qtbot, view, "CSU.view()")
    assert (lat, lon, zoom) == pytest.approx((60.1750, 24.9500, 17), abs=1e-6)


def test_highlight_rings_the_item(qtbot: QtBot, view: MapView) -> None:
    view.update_officers([officer(3)])
    view.highlight("officer", "o3")
    wait_counts(qtbot, view, officers=1)
    qtbot.waitUntil(
        lambda: evaluate(qtbot, view, "CSU.layer('officer', 'o3')._hl === true") is True,
        timeout=JS_MS,
    )
    view.highlight("officer", "")
    qtbot.waitUntil(
        lambda: evaluate(qtbot, view, "CSU.layer('officer', 'o3')._hl") is False, timeout=JS_MS
    )


class _Tiles(BaseHTTPRequestHandler):
    """A site tile server on loopback: answers every tile with a 1x1 PNG."""

    paths: list[str] = []

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        body = _PNG
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z/C/HgAGgwJ/lK3Q6wAAAABJRU5ErkJggg=="
)


@pytest.fixture
def tile_server() -> Iterator[str]:
    _Tiles.paths = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_site_tiles_load_and_nothing_else_does(
    qtbot: QtBot, tmp_path: Path, tile_server: str
) -> None:
    view = make_view(qtbot, tmp_path, tile_url=f"{tile_server}/osm/{{z}}/{{x}}/{{y}}.png",
                     attribution="Plans de la ville")
    qtbot.waitUntil(lambda: view.is_ready, timeout=LOAD_MS)
    qtbot.waitUntil(lambda: len(_Tiles.paths) >= 4, timeout=JS_MS)
    assert all(p.startswith("/osm/16/") and p.endswith(".png") for p in _Tiles.paths)
    assert view.blocked_requests == []
    evaluate(qtbot, view, f"(fetch('{tile_server}/elsewhere').catch(function(){{}}), 1)")
    qtbot.waitUntil(lambda: view.blocked_requests == [f"{tile_server}/elsewhere"], timeout=JS_MS)
    assert "/elsewhere" not in _Tiles.paths
    attribution = evaluate(qtbot, view, ATTRIBUTION_JS)
    assert "Plans de la ville" in str(attribution)
    delete(qtbot, view)


def test_a_crashed_renderer_is_reloaded_and_refilled(qtbot: QtBot, view: MapView) -> None:
    view.update_officers([officer(1), officer(2, lat=60.17)])
    view.set_cameras([{"id": "c1", "name": "A", "lat": 60.169, "lon": 24.943, "heading": 45,
                       "angle": 60, "range": 80, "online": True}])
    wait_counts(qtbot, view, officers=2, cameras=1)
    pid = view.page().renderProcessPid()
    assert pid > 0
    os.kill(pid, signal.SIGKILL)  # the page's own renderer, started by this test
    qtbot.waitUntil(lambda: not view.is_ready, timeout=JS_MS)
    view.update_officers([officer(3)])  # arrives while the page is down
    qtbot.waitUntil(lambda: view.is_ready, timeout=LOAD_MS)
    wait_counts(qtbot, view, officers=3, cameras=1, cones=1)
