"""Where a chief starts a replay, in the console's own window: the menu entries exist for a
chief only; "Replay this alarm…" drafts the incident from the alarm, saves it in the chief's
name, asks the motive and opens the replay window once the consultation is logged; no
motive, and nothing is logged or shown."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.core.access import Purpose, Role, User
from app.core.events import CameraAnnounced
from app.core.incident import Incident
from app.core.model import Alarm, AlarmFacts, AlarmState, AlarmStep, AlarmType, LatLon
from app.core.site import Site
from app.services.consultation import CONSULTED
from tests.gui.conftest import main_window
from widgets.main_window import MainWindow
from widgets.replay import entry as entry_module
from widgets.replay.motive_dialog import Motive

SITE = Site.model_validate({
    "site": {"name": "Ville-sur-Test"}, "map": {"center": [48.54, 2.66]},
    "cameras": [{"id": "cam-gym", "name": "Gymnase", "main": "rtsp://127.0.0.1:1/g",
                 "position": [48.5401, 2.6601], "heading": 180}]})
CHIEF = User("chef.durand", "Claire Durand", Role.CHIEF)
OPERATOR = User("op.martin", "Paul Martin", Role.OPERATOR)


def raise_alarm(w: MainWindow) -> str:
    """The alarm in the journal, the site's camera in the window's world."""
    w.bridge.dispatch([CameraAnnounced(c.to_camera()) for c in SITE.cameras])
    runtime = w.runtime
    now = datetime.now(UTC) - timedelta(minutes=1)
    alarm = Alarm("1", "panel", "z1", AlarmType.INTRUSION, 2, "Intrusion gymnase", now,
                  LatLon(48.54, 2.66), ("cam-gym",),
                  history=(AlarmStep(now, "panel", "raised", AlarmState.NEW),))
    runtime.journal.save_alarm(alarm)  # type: ignore[attr-defined]
    return alarm.id


def test_only_a_chief_is_offered_replay(qtbot: QtBot, tmp_path: Path) -> None:
    with main_window(SITE, tmp_path / "j.sqlite", user=OPERATOR) as w:
        w.replay.sync()
        assert not w.replay.action.isVisible()
        assert not w.replay.alarm_action.isVisible()
    with main_window(SITE, tmp_path / "k.sqlite", user=CHIEF) as w:
        w.replay.sync()
        assert w.replay.action.isVisible()
        assert w.replay.alarm_action.isVisible()


def test_replay_this_alarm_opens_the_window_once_logged(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[Incident] = []

    def confirm(incident: Incident, *_args: object) -> Incident:
        asked.append(incident)
        return replace(incident, note="vu par la cheffe")

    monkeypatch.setattr(entry_module, "ask_incident", confirm)
    monkeypatch.setattr(entry_module, "ask_motive", lambda *_a: Motive(
        Purpose.ADMINISTRATIVE, "Analyse d'incident", "MC 2026/12"))
    with main_window(SITE, tmp_path / "j.sqlite", user=CHIEF) as w:
        raise_alarm(w)
        alarm = w.runtime.journal.load_alarms()[0]
        w.replay.replay_alarm(alarm)
        qtbot.waitUntil(lambda: bool(w.replay.windows), timeout=20_000)
        window = w.replay.windows[0]
        assert asked[0].cameras == ("cam-gym",)
        assert asked[0].alarm_id == "1"
        [saved] = w.runtime.journal.incidents()
        assert (saved.created_by, saved.note) == ("chef.durand", "vu par la cheffe")
        assert window.incident.id == saved.id
        [row] = [r.action for r in w.runtime.journal.audit_rows()
                 if r.action.action == CONSULTED]
        assert (row.purpose, row.cameras) == ("administrative", ("cam-gym",))
        assert "MC 2026/12" in row.detail
        w.replay.forget()  # the lock or a change of person closes it
        assert w.replay.windows == []


def test_no_motive_nothing_logged_nothing_shown(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entry_module, "ask_motive", lambda *_a: None)
    with main_window(SITE, tmp_path / "j.sqlite", user=CHIEF) as w:
        now = datetime.now(UTC)
        w.replay.replay(Incident("Rixe", now - timedelta(minutes=5), now, ("cam-gym",), id=3))
        assert w.replay.sessions == []
        assert w.replay.windows == []
        assert not [r for r in w.runtime.journal.audit_rows()
                    if r.action.action == CONSULTED]


def test_the_drafted_title_is_in_the_language_shown(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal keeps an alarm's neutral (English) title; the chief reads French."""
    from app.ui.i18n import apply_language

    asked: list[Incident] = []
    monkeypatch.setattr(entry_module, "ask_incident",
                        lambda incident, *_a: asked.append(incident))
    apply_language("fr")
    try:
        with main_window(SITE, tmp_path / "j.sqlite", user=CHIEF) as w:
            raise_alarm(w)
            alarm = replace(w.runtime.journal.load_alarms()[0], title="Gunshot detected",
                            facts=AlarmFacts(event="gunshot_detected"))
            w.replay.replay_alarm(alarm)
            qtbot.waitUntil(lambda: bool(asked), timeout=20_000)
    finally:
        apply_language("en")
    assert asked[0].title == "Détonation détectée"


def test_an_incident_exported_from_the_list_names_its_cameras(qtbot: QtBot,
                                                              tmp_path: Path) -> None:
    with main_window(SITE, tmp_path / "j.sqlite", user=CHIEF) as w:
        w.bridge.dispatch([CameraAnnounced(c.to_camera()) for c in SITE.cameras])
        now = datetime.now(UTC)
        dialog = w.replay.export(Incident("Rixe", now - timedelta(minutes=5), now,
                                          ("cam-gym",), ("pm11",), id=4))
        qtbot.waitExposed(dialog)
        assert dialog.cameras.item(0).text() == "Gymnase (cam-gym)"
        assert dialog.officers.item(0).text() == "pm11"
        assert (dialog.incident_id, dialog.incident_title) == (4, "Rixe")
        assert not dialog.on_service
        dialog.close()
