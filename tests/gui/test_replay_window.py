"""An incident replayed (issue 12's proof, on the X server): 4 recorded cameras, 3 officers'
tracks and an alarm the operators handled, all from what the tests recorded and journaled.
At an instant, the burned-in clocks of all tiles, read from the screen grab, agree with the
timeline and with each other; the officers' markers stand where the journal says; the desk
shows the alarm as it stood. Then seek back, a frame step, reverse and speed changes, each
checked on the screen grab again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core import events as ev
from app.core.access import Role, User
from app.core.incident import Incident
from app.core.model import (
    Alarm,
    AlarmState,
    AlarmStep,
    AlarmType,
    LatLon,
    PositionFix,
)
from app.core.recording import Segment
from app.core.site import Site
from app.services.alarm_book import Acknowledge, apply_command
from app.services.local_replay_source import LocalSource
from app.services.runtime import Runtime
from app.ui.replay_session import ReplaySession
from app.ui.world import World
from tests.gui.conftest import delete_now
from tests.gui.screen import grab_screen, replay_clock_on_screen
from tests.servers.clock import ms_apart
from tests.servers.recorded import RecordedIndex, clock_ms, record
from widgets.replay.window import ReplayWindow

T0 = datetime(2026, 11, 30, 21, 0, tzinfo=UTC)
END = T0 + timedelta(seconds=20)
CAMS = ["nord", "sud", "est", "ouest"]
OFFICERS = ["pm11", "pm12", "pm13"]
FRAME_MS = 40
CENTER = (48.5400, 2.6600)
SITE = Site.model_validate({
    "site": {"name": "Ville-sur-Test", "operator_timezone": "Europe/Paris"},
    "map": {"center": list(CENTER), "zoom": 16},
    "cameras": [{"id": c, "name": f"Caméra {c}", "main": f"rtsp://127.0.0.1:1/{c}",
                 "position": [CENTER[0] + 0.001 * i, CENTER[1]], "heading": 90}
                for i, c in enumerate(CAMS)],
    "officers": [{"id": o, "callsign": o.upper()} for o in OFFICERS]})
CHIEF = User("chef.durand", "Claire Durand", Role.CHIEF)


def where(officer: int, t: datetime) -> LatLon:
    """Officer i walks north, 1 m a second, from his own street."""
    s = (t - T0).total_seconds()
    return LatLon(CENTER[0] + s / 111_000, CENTER[1] + 0.002 * officer)


@pytest.fixture(scope="module")
def segments(tmp_path_factory: pytest.TempPathFactory) -> list[Segment]:
    return record(tmp_path_factory.mktemp("rec"), CAMS, T0, END)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, segments: list[Segment]) -> Iterator[ReplayWindow]:
    runtime = Runtime(SITE, {}, tmp_path / "journal.sqlite")
    runtime.journal.add_segments(segments)  # what an export reads (replay reads `segments`)
    runtime.journal.append_events([
        ev.PositionReported(PositionFix(o, where(i, T0 + timedelta(seconds=s)),
                                        T0 + timedelta(seconds=s)))
        for s in range(0, 21) for i, o in enumerate(OFFICERS)])
    alarm = Alarm("1", "panel", "z1", AlarmType.INTRUSION, 2, "Intrusion gymnase",
                  T0 + timedelta(seconds=5), LatLon(*CENTER),
                  history=(AlarmStep(T0 + timedelta(seconds=5), "panel", "raised",
                                     AlarmState.NEW),))
    runtime.journal.save_alarm(apply_command(alarm, Acknowledge("1", "op.martin"),
                                             T0 + timedelta(seconds=9)))
    runtime.sign_in_as_demo(CHIEF)
    incident = Incident("Intrusion gymnase", T0, END, tuple(CAMS), tuple(OFFICERS), id=1)
    session = ReplaySession(runtime, incident, "administrative",
                            local=LocalSource(RecordedIndex(segments)),
                            words="Analyse d'incident")
    with qtbot.waitSignal(session.ready, timeout=20_000):
        session.start()
    live = World(cameras={c.id: c.to_camera() for c in SITE.cameras},
                 officers={o.id: o.to_officer() for o in SITE.officers})
    w = ReplayWindow(SITE, runtime, session, live, None, tmp_path / "cache")
    w.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    w.move(0, 0)
    w.resize(1600, 1000)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()  # the chief's keys go to the replay (no window manager here)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5_000)
    qtbot.waitUntil(lambda: w.map.is_ready, timeout=30_000)
    try:
        yield w
    finally:
        w.close()
        delete_now(w)  # type: ignore[arg-type]
        runtime.stop()






def settled(qtbot: QtBot, w: ReplayWindow) -> tuple[datetime, list[int]]:
    """Once paused and every tile shows the picture of the clock's instant: the instant and
    every tile's clock read from ONE screen grab."""
    t = w.clock.position()
    readings: list[int | None] = []

    def readable() -> bool:
        times = w.shown_times()
        if not all(v is not None and v <= t and t - v < timedelta(milliseconds=FRAME_MS)
                   for v in times.values()):
            return False
        screen = grab_screen()
        readings[:] = [replay_clock_on_screen(screen, tile) for tile in w.wall.tiles()]
        return all(r is not None and v is not None and r == clock_ms(v)
                   for r, v in zip(readings, times.values(), strict=True))

    qtbot.waitUntil(readable, timeout=15_000)
    return t, [r for r in readings if r is not None]


def agree(t: datetime, readings: list[int]) -> None:
    assert len(readings) == len(CAMS)
    for r in readings:  # one frame at most (the milliseconds are rounded: <=)
        assert ms_apart(r, clock_ms(t)) <= FRAME_MS  # with the clock and the timeline
        for other in readings:
            assert ms_apart(r, other) <= FRAME_MS  # with each other


def js(qtbot: QtBot, w: ReplayWindow, script: str) -> Any:
    box: list[object] = []
    w.map.run_js_for_test(f"JSON.stringify({script})", box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return json.loads(str(box[0]))


def markers(qtbot: QtBot, w: ReplayWindow) -> dict[str, list[float] | None]:
    ids = json.dumps(OFFICERS)
    return js(qtbot, w, f"(function () {{ var out = {{}}; {ids}.forEach(function (id) {{"
                        " var r = CSU.tracks.items.get(id);"
                        " out[id] = r ? [r.lat, r.lon, CSU.tracks.isStale(r)] : null; });"
                        " return out; })()")


def test_one_instant_everywhere_then_seek_step_reverse_and_speed(
        qtbot: QtBot, window: ReplayWindow) -> None:
    w = window
    history = w.session.history
    assert history is not None
    t = T0 + timedelta(seconds=11, milliseconds=123)
    w.seek(t)
    shown, readings = settled(qtbot, w)
    assert shown == t
    qtbot.waitUntil(lambda: w.timeline.position == t, timeout=5_000)
    agree(t, readings)

    def placed() -> bool:
        got = markers(qtbot, w)
        for oid in OFFICERS:
            fix = history.fix_at(oid, t)
            assert fix is not None
            m = got[oid]
            if m is None or abs(m[0] - fix.position.lat) > 1e-9 \
                    or abs(m[1] - fix.position.lon) > 1e-9:
                return False
            assert m[2] is False  # a replayed position is never "stale"
        return True

    qtbot.waitUntil(placed, timeout=10_000)
    qtbot.waitUntil(lambda: [a.state for a in w.alarm_model.alarms()]
                    == [AlarmState.ACKNOWLEDGED], timeout=5_000)

    # seek back before the alarm: the desk and the map forget it
    w.seek(T0 + timedelta(seconds=3, milliseconds=500))
    t, readings = settled(qtbot, w)
    agree(t, readings)
    qtbot.waitUntil(lambda: w.alarm_model.alarms() == [], timeout=5_000)

    # one frame forward (Right): the focused camera's next picture, on every tile
    before = readings[0]
    qtbot.keyClick(w, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: w.clock.position() > t, timeout=5_000)
    t, readings = settled(qtbot, w)
    agree(t, readings)
    assert ms_apart(readings[0], before) == FRAME_MS

    # reverse (J) for a while, then pause (K): earlier pictures, still together
    qtbot.keyClick(w, Qt.Key.Key_J)
    assert w.clock.rate == -1.0
    qtbot.waitUntil(lambda: w.clock.position() <= t - timedelta(seconds=1), timeout=10_000)
    qtbot.keyClick(w, Qt.Key.Key_K)
    back, readings = settled(qtbot, w)
    assert back < t
    agree(back, readings)

    # L twice: forward at 2x; the picture moves twice as fast as the wall clock
    qtbot.keyClick(w, Qt.Key.Key_L)
    qtbot.keyClick(w, Qt.Key.Key_L)
    assert (w.clock.rate, w.clock.playing) == (2.0, True)
    qtbot.waitUntil(lambda: w.transport.speed.currentText() == "2x", timeout=5_000)
    qtbot.waitUntil(lambda: w.clock.position() >= back + timedelta(seconds=2), timeout=10_000)
    qtbot.keyClick(w, Qt.Key.Key_Space)
    t, readings = settled(qtbot, w)
    agree(t, readings)
    assert t >= back + timedelta(seconds=2)


def test_ctrl_e_exports_the_incident_and_says_plainly_what_is_missing(
        qtbot: QtBot, window: ReplayWindow, tmp_path: Path) -> None:
    w = window
    # the keys go where the window put the focus when it opened (never a text field, which
    # takes Ctrl+E as "end of line" and Space as a space)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is w.timeline, timeout=5_000)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_E,
                   Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.export_dialog is not None and w.export_dialog.isVisible(),
                    timeout=5_000)
    d = w.export_dialog
    assert d is not None
    ticked = [d.cameras.item(i).text() for i in range(d.cameras.count())
              if d.cameras.item(i).checkState() == Qt.CheckState.Checked]
    assert ticked == [f"Caméra {c} ({c})" for c in CAMS]
    assert d.officers.count() == len(OFFICERS)
    assert w.transport.export.isVisible()
    d.purposes.setCurrentIndex(1)
    QTest.keyClicks(d.recipient, "Parquet de Melun")
    QTest.mouseClick(d.export_button, Qt.MouseButton.LeftButton)
    # this site never made its export key: the chief reads what to do, nothing is logged
    qtbot.waitUntil(lambda: "failed" in d.step.text(), timeout=30_000)
    assert "csu-console export-key init" in d.step.text()
    assert "Nothing of it was kept" in d.step.text()
    assert not any(r.action.action == "recordings_exported"
                   for r in w.runtime.journal.audit_rows())  # type: ignore[attr-defined]
    QTest.keyClick(w, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert w.export_dialog is d, "one export dialog at a time"
