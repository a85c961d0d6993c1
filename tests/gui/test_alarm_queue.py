"""The alarm desk driven like an operator: keys, dialogs, checklist, through the REAL alarm
service, hub, journal and bridge."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.core.events import AlarmReported, OfficerAnnounced, PositionReported
from app.core.hub import Hub
from app.core.journal import Journal
from app.core.model import (
    Alarm,
    AlarmOutcome,
    AlarmState,
    AlarmType,
    LatLon,
    Officer,
    OfficerStatus,
    PositionFix,
    utc_now,
)
from app.core.site import Site
from app.services.alarm_service import AlarmService
from app.ui.alarm_actions import AlarmActions
from app.ui.alarm_model import AlarmTableModel, Column
from app.ui.bridge import HubBridge
from app.ui.world import World
from widgets.alarms import AlarmDesk
from widgets.alarms.alerting import AlarmAlerter
from widgets.alarms.dialogs import AssignDialog, CloseDialog

OPERATOR = "op.dupont"
PROCEDURE = ["Afficher la caméra-piéton", "Contacter l'agent à la radio", "Engager un renfort"]
CENTRE = LatLon(48.8566, 2.3522)
SITE = Site.model_validate({
    "site": {"name": "Test"},
    "map": {"center": [CENTRE.lat, CENTRE.lon]},
    "alarm_types": {"weapon_drawn": {"escalate_after_s": 20, "procedure": PROCEDURE}},
})


@dataclass
class Stack:
    hub: Hub
    journal: Journal
    service: AlarmService
    bridge: HubBridge
    world: World
    path: Path

    def stop(self) -> None:
        self.bridge.stop()
        self.service.stop()
        self.journal.close()


def start_stack(path: Path) -> Stack:
    hub = Hub()
    journal = Journal(path)
    service = AlarmService(hub, journal, lambda t: SITE.alarm_type(t).escalate_after_s)
    world = World()
    bridge = HubBridge(hub, world, interval_ms=20)
    service.start()
    bridge.start()
    return Stack(hub, journal, service, bridge, world, path)


@pytest.fixture
def stack(tmp_path: Path, qtbot: QtBot) -> Iterator[Stack]:
    s = start_stack(tmp_path / "journal.sqlite")
    yield s
    s.stop()


def make_desk(qtbot: QtBot, stack: Stack, sound: bool = False) -> AlarmDesk:
    model = AlarmTableModel(SITE, stack.world)
    model.attach(stack.bridge)
    actions = AlarmActions(stack.service.submit, OPERATOR)
    desk = AlarmDesk(model, actions, SITE, stack.world, stack.bridge, sound=sound)
    model.setParent(desk)
    actions.setParent(desk)
    qtbot.addWidget(desk)
    desk.resize(1400, 420)
    desk.show()
    qtbot.waitExposed(desk)
    desk.activateWindow()
    qtbot.waitUntil(desk.isActiveWindow, timeout=5000)
    return desk


def report(stack: Stack, sid: str, priority: int = 2, age_s: float = 0,
           type_: AlarmType = AlarmType.INTRUSION, title: str = "", msg: str = "") -> None:
    stack.hub.post(AlarmReported("sensors", sid, type_, priority, title or f"alarm {sid}",
                                 utc_now() - timedelta(seconds=age_s),
                                 LatLon(CENTRE.lat, CENTRE.lon), message_id=msg))


def add_officers(stack: Stack) -> None:
    now = utc_now()
    for i, (oid, callsign, status) in enumerate([
            ("o1", "B-12", OfficerStatus.BUSY),  # nearest, but busy
            ("o2", "P-03", OfficerStatus.AVAILABLE),
            ("o3", "V-07", OfficerStatus.AVAILABLE)]):
        stack.hub.post(OfficerAnnounced(Officer(oid, callsign, "BAC", status)))
        stack.hub.post(PositionReported(PositionFix(
            oid, LatLon(CENTRE.lat + 0.001 * (i + 1), CENTRE.lon), now)))


def by_title(desk: AlarmDesk, title: str) -> Alarm:
    return next(a for a in desk.model.alarms() if a.title == title)


def visible_titles(desk: AlarmDesk) -> list[str]:
    proxy = desk.queue.proxy
    out = []
    for r in range(proxy.rowCount()):
        a = proxy.alarm_at(r)
        assert a is not None
        out.append(a.title)
    return out


def open_dialog(desk: AlarmDesk) -> QDialog | None:
    return desk.queue.dialog


def press(qtbot: QtBot, desk: AlarmDesk, key: Qt.Key) -> None:
    qtbot.waitUntil(desk.isActiveWindow, timeout=5000)
    desk.queue.view.setFocus()
    qtbot.waitUntil(desk.queue.view.hasFocus, timeout=2000)
    qtbot.keyClick(desk.queue.view, key)


def test_keyboard_flow_acknowledge_assign_close_is_journaled(
        qtbot: QtBot, stack: Stack) -> None:
    add_officers(stack)
    desk = make_desk(qtbot, stack)
    report(stack, "W1", priority=1, type_=AlarmType.WEAPON_DRAWN, title="Arme sortie")
    qtbot.waitUntil(lambda: desk.current_alarm() is not None, timeout=5000)
    qtbot.waitUntil(lambda: len(stack.world.fixes) == 3, timeout=5000)
    alarm_id = desk.current_alarm().id  # type: ignore[union-attr]

    press(qtbot, desk, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: desk.model.alarm(alarm_id).state  # type: ignore[union-attr]
                    is AlarmState.ACKNOWLEDGED, timeout=5000)

    press(qtbot, desk, Qt.Key.Key_S)
    dialog = open_dialog(desk)
    assert isinstance(dialog, AssignDialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    # nearest AVAILABLE officer preselected (B-12 is nearer but busy)
    assert dialog.officer_id() == "o2"
    qtbot.keyClick(dialog.list, Qt.Key.Key_Down)  # the operator picks the next one: V-07
    assert dialog.officer_id() == "o3"
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.model.alarm(alarm_id).state  # type: ignore[union-attr]
                    is AlarmState.ASSIGNED, timeout=5000)
    assert desk.model.alarm(alarm_id).assigned_to == "o3"  # type: ignore[union-attr]
    assert open_dialog(desk) is None

    press(qtbot, desk, Qt.Key.Key_C)
    dialog = open_dialog(desk)
    assert isinstance(dialog, CloseDialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=5000)
    assert not dialog.ok_button.isEnabled()  # no outcome chosen yet
    qtbot.keyClick(dialog.radios[next(iter(dialog.radios))], Qt.Key.Key_Space)  # Handled
    qtbot.keyClicks(dialog.note, "Suspect interpelle")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: desk.model.alarm(alarm_id).state  # type: ignore[union-attr]
                    is AlarmState.CLOSED, timeout=5000)

    stored = {a.id: a for a in stack.journal.load_alarms()}[alarm_id]
    steps = [(s.action, s.actor, s.detail) for s in stored.history]
    assert steps == [("raised", "sensors", "Arme sortie"),
                     ("acknowledged", OPERATOR, ""),
                     ("assigned", OPERATOR, "o3"),
                     ("closed", OPERATOR, "handled: Suspect interpelle")]
    times = [s.time for s in stored.history]
    assert times == sorted(times)
    assert all(t.utcoffset() == timedelta(0) for t in times)
    audit = [(a.actor, a.action) for a in stack.journal.actions()]
    assert audit == [(OPERATOR, "acknowledged"), (OPERATOR, "assigned"), (OPERATOR, "closed")]
    # closed alarms leave the default (open) view
    qtbot.waitUntil(lambda: "Arme sortie" not in visible_titles(desk), timeout=5000)


def test_enter_opens_the_alarm_and_f2_goes_to_the_filter(qtbot: QtBot, stack: Stack) -> None:
    desk = make_desk(qtbot, stack)
    report(stack, "X1", title="Intrusion école")
    qtbot.waitUntil(lambda: desk.current_alarm() is not None, timeout=5000)
    with qtbot.waitSignal(desk.alarm_opened, timeout=2000) as opened:
        press(qtbot, desk, Qt.Key.Key_Return)
    assert opened.args is not None
    assert opened.args[0].title == "Intrusion école"
    press(qtbot, desk, Qt.Key.Key_F2)
    qtbot.waitUntil(desk.queue.search.hasFocus, timeout=2000)
    qtbot.keyClicks(desk.queue.search, "zzz")
    qtbot.waitUntil(lambda: visible_titles(desk) == [], timeout=2000)
    qtbot.keyClick(desk.queue.search, Qt.Key.Key_Escape)  # clears the search
    qtbot.waitUntil(lambda: visible_titles(desk) == ["Intrusion école"], timeout=2000)
    assert desk.queue.search.text() == ""
    assert desk.queue.search.hasFocus()
    qtbot.keyClick(desk.queue.search, Qt.Key.Key_Escape)  # then back to the table
    qtbot.waitUntil(desk.queue.view.hasFocus, timeout=2000)


def test_a_report_sent_twice_shows_one_row(qtbot: QtBot, stack: Stack) -> None:
    desk = make_desk(qtbot, stack)
    report(stack, "DUP", title="Détonation")
    report(stack, "DUP", title="Détonation")  # the source retransmits: ignored
    report(stack, "DUP", title="Détonation", msg="second")  # it happens again: counted
    qtbot.waitUntil(lambda: any(s.action == "occurred" for a in desk.model.alarms()
                                for s in a.history), timeout=5000)
    assert visible_titles(desk) == ["Détonation"]
    assert desk.model.alarms()[0].occurrences == 2


def test_selection_stays_on_the_same_alarm_when_rows_resort(qtbot: QtBot,
                                                             stack: Stack) -> None:
    desk = make_desk(qtbot, stack)
    # younger than the intrusion threshold (90 s): no escalation reorders them meanwhile
    report(stack, "A", priority=2, age_s=30, title="A")
    report(stack, "B", priority=3, age_s=20, title="B")
    report(stack, "C", priority=4, age_s=10, title="C")
    qtbot.waitUntil(lambda: visible_titles(desk) == ["A", "B", "C"], timeout=5000)
    assert desk.queue.select_alarm(by_title(desk, "B").id)
    selected: list[Alarm] = []
    desk.alarm_selected.connect(selected.append)

    report(stack, "D", priority=1, title="D")  # a new, more urgent alarm lands above
    report(stack, "C", priority=1, title="C", msg="again")  # C again, as P1: it jumps up
    qtbot.waitUntil(lambda: visible_titles(desk) == ["C", "D", "A", "B"], timeout=5000)

    current = desk.queue.view.currentIndex()
    assert desk.queue.proxy.alarm_at(current.row()).title == "B"  # type: ignore[union-attr]
    assert desk.queue.view.selectionModel().isRowSelected(current.row())
    assert desk.current_alarm().title == "B"  # type: ignore[union-attr]
    assert selected == []  # no spurious "selected" while the rows moved
    press(qtbot, desk, Qt.Key.Key_A)  # and the key acts on the alarm the operator sees
    qtbot.waitUntil(lambda: by_title(desk, "B").state is AlarmState.ACKNOWLEDGED,
                    timeout=5000)
    assert by_title(desk, "C").state is AlarmState.NEW


def test_filters_from_the_bar(qtbot: QtBot, stack: Stack) -> None:
    desk = make_desk(qtbot, stack)
    report(stack, "G", priority=1, type_=AlarmType.GUNSHOT, title="G")
    report(stack, "I", priority=3, type_=AlarmType.INTRUSION, title="I")
    qtbot.waitUntil(lambda: sorted(visible_titles(desk)) == ["G", "I"], timeout=5000)
    q = desk.queue
    q.set_priority_filter(1)
    assert visible_titles(desk) == ["G"]
    qtbot.waitUntil(lambda: "hidden by the filter" in q.counts.text(), timeout=2000)
    q.set_priority_filter(4)
    q.type_actions[AlarmType.GUNSHOT].setChecked(False)  # as the operator unticks it
    assert visible_titles(desk) == ["I"]
    q.set_type_filter(None)
    qtbot.mouseClick(q.state_buttons[AlarmState.NEW], Qt.MouseButton.LeftButton)
    assert visible_titles(desk) == []
    qtbot.mouseClick(q.state_buttons[AlarmState.NEW], Qt.MouseButton.LeftButton)
    assert sorted(visible_titles(desk)) == ["G", "I"]
    qtbot.waitUntil(lambda: "hidden" not in q.counts.text(), timeout=2000)


def test_checklist_tick_is_journaled_and_survives_a_restart(
        qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite"
    stack = start_stack(path)
    try:
        desk = make_desk(qtbot, stack)
        report(stack, "W", priority=1, type_=AlarmType.WEAPON_DRAWN, title="Arme sortie")
        qtbot.waitUntil(lambda: desk.detail.alarm is not None, timeout=5000)
        checklist = desk.detail.procedure_list
        assert [checklist.item(i).text() for i in range(checklist.count())] == PROCEDURE
        checklist.setFocus()
        checklist.setCurrentRow(1)
        qtbot.keyClick(checklist, Qt.Key.Key_Space)
        assert desk.detail.checked_items() == {PROCEDURE[1]}

        def journaled() -> bool:
            alarm = stack.journal.load_alarms()[0]
            return [(s.actor, s.detail) for s in alarm.history if s.action == "note"] == [
                (OPERATOR, "✔ " + PROCEDURE[1])]

        qtbot.waitUntil(journaled, timeout=5000)
        qtbot.waitUntil(lambda: "(1/3)" in desk.detail.procedure_box.title(), timeout=5000)
        desk.close()
    finally:
        stack.stop()

    restarted = start_stack(path)  # the console comes back: the tick is still there
    try:
        desk = make_desk(qtbot, restarted)
        qtbot.waitUntil(lambda: desk.detail.alarm is not None, timeout=5000)
        qtbot.waitUntil(lambda: desk.detail.checked_items() == {PROCEDURE[1]}, timeout=5000)
    finally:
        restarted.stop()


def test_nearest_officer_assign_button(qtbot: QtBot, stack: Stack) -> None:
    add_officers(stack)
    desk = make_desk(qtbot, stack)
    qtbot.waitUntil(lambda: len(stack.world.fixes) == 3, timeout=5000)
    report(stack, "N", priority=2, title="Rixe")
    qtbot.waitUntil(lambda: desk.detail.alarm is not None, timeout=5000)
    detail = desk.detail
    rows = range(detail.nearby.topLevelItemCount())
    items = [detail.nearby.topLevelItem(i) for i in rows]
    assert [item.text(0) for item in items if item] == ["P-03", "V-07", "B-12"]
    assert all(item.text(2).endswith(" m") for item in items if item)  # metres
    qtbot.mouseClick(detail.assign_buttons["o3"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: by_title(desk, "Rixe").assigned_to == "o3", timeout=5000)
    assert [s.action for s in by_title(desk, "Rixe").history] == [
        "raised", "acknowledged", "assigned"]


def test_failed_signal_on_an_invalid_transition(qtbot: QtBot, stack: Stack) -> None:
    desk = make_desk(qtbot, stack)
    report(stack, "F", title="F")
    qtbot.waitUntil(lambda: desk.current_alarm() is not None, timeout=5000)
    alarm_id = desk.current_alarm().id  # type: ignore[union-attr]
    actions = desk.commands
    assert actions is not None
    with qtbot.waitSignal(actions.succeeded, timeout=5000):
        actions.acknowledge(alarm_id)
    with qtbot.waitSignal(actions.failed, timeout=5000) as failed:
        actions.acknowledge(alarm_id)  # another seat was faster, or a double press
    said = f"Alarm {alarm_id} was already acknowledged by {actions.operator} at "
    assert str(failed.args[0]).startswith(said)  # who did it, and when (local time)
    qtbot.waitUntil(desk.queue.message.isVisible, timeout=2000)
    assert desk.queue.message.text() == failed.args[0]

    from app.core.model import AlarmOutcome

    with qtbot.waitSignal(actions.succeeded, timeout=5000):
        actions.close(alarm_id, AlarmOutcome.FALSE_ALARM)
    with qtbot.waitSignal(actions.failed, timeout=5000) as failed:
        actions.assign(alarm_id, "o1")
    assert failed.args == [f"Alarm {alarm_id} is already closed"]
    with qtbot.waitSignal(actions.failed, timeout=5000) as failed:
        actions.acknowledge("999")
    assert failed.args == ["Alarm 999 is unknown to the alarm service"]


def test_p1_tone_repeats_while_new_and_stops_once_acknowledged(
        qtbot: QtBot, stack: Stack) -> None:
    desk = make_desk(qtbot, stack, sound=True)
    alerter = desk.alerter
    assert isinstance(alerter, AlarmAlerter)
    tones: list[int] = []
    alerter.tone_played.connect(tones.append)
    report(stack, "P2", priority=2, title="P2")
    qtbot.waitUntil(lambda: tones == [2], timeout=5000)
    assert not alerter.repeating
    report(stack, "P1", priority=1, title="P1")
    qtbot.waitUntil(lambda: tones == [2, 1], timeout=5000)
    qtbot.waitUntil(lambda: alerter.repeating, timeout=1000)
    desk.mute_action.trigger()
    assert alerter.muted
    assert desk.commands is not None
    desk.commands.acknowledge(by_title(desk, "P1").id)
    qtbot.waitUntil(lambda: not alerter.repeating, timeout=5000)
    report(stack, "P3", priority=3, title="P3")
    qtbot.waitUntil(lambda: len(desk.model.alarms()) == 3, timeout=5000)
    assert tones == [2, 1]  # P3/P4 are silent


def test_language_change_retranslates_without_losing_state(qtbot: QtBot, stack: Stack) -> None:
    desk = make_desk(qtbot, stack)
    report(stack, "L", title="L")
    qtbot.waitUntil(lambda: desk.current_alarm() is not None, timeout=5000)
    before = desk.current_alarm()
    for w in (desk, desk.queue, desk.detail):
        QCoreApplication.sendEvent(w, QEvent(QEvent.Type.LanguageChange))
    assert desk.current_alarm() == before
    assert desk.queue.act_ack.iconText() == "Acknowledge (A)"
    assert QApplication.instance() is not None


def test_an_alarm_reported_again_comes_back_to_the_operator(
        qtbot: QtBot, stack: Stack, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new occurrence of an open alarm the operator already handled is shown again: the
    counter, back to the top of its priority, flashing and its tone; a retransmission is
    not. Its history is bounded, yet the desk keeps up with every occurrence."""
    from widgets.alarms import alerting

    monkeypatch.setattr(alerting, "STORM_GAP_S", 0.0)  # not a storm: every chime counts
    desk = make_desk(qtbot, stack, sound=True)
    tones: list[int] = []
    desk.alerter.tone_played.connect(tones.append)  # type: ignore[union-attr]
    report(stack, "OLD", priority=2, age_s=60, title="Intrusion école", msg="m1")
    report(stack, "NEWER", priority=2, age_s=30, title="Intrusion gymnase", msg="m1")
    qtbot.waitUntil(lambda: visible_titles(desk) == ["Intrusion école", "Intrusion gymnase"],
                    timeout=5000)
    assert desk.commands is not None
    gym = by_title(desk, "Intrusion gymnase")
    desk.commands.acknowledge(gym.id)
    qtbot.waitUntil(lambda: by_title(desk, "Intrusion gymnase").state is AlarmState.ACKNOWLEDGED,
                    timeout=5000)
    tones.clear()
    report(stack, "NEWER", priority=2, title="Intrusion gymnase", msg="m1")  # retransmission
    report(stack, "NEWER", priority=2, title="Intrusion gymnase", msg="m2")  # it happens again
    qtbot.waitUntil(lambda: by_title_prefix(desk).occurrences == 2, timeout=5000)
    assert visible_titles(desk) == ["Intrusion gymnase", "Intrusion école"]  # back on top
    assert desk.model.text(by_title_prefix(desk), Column.TITLE) == "Intrusion gymnase  (×2)"
    assert desk.model.blinks(gym.id)
    qtbot.waitUntil(lambda: tones == [2], timeout=5000)
    # the operator acts on it: it takes its place again
    desk.commands.note(gym.id, "Patrouille déjà sur place")
    qtbot.waitUntil(lambda: visible_titles(desk) == ["Intrusion école", "Intrusion gymnase"],
                    timeout=5000)
    assert not desk.model.blinks(gym.id)
    # all night long: the history is bounded, the desk still shows each occurrence
    for i in range(3, 30):
        report(stack, "NEWER", priority=2, title="Intrusion gymnase", msg=f"m{i}")
    qtbot.waitUntil(lambda: by_title_prefix(desk).occurrences == 29, timeout=10_000)
    assert len(by_title_prefix(desk).history) < 29


def by_title_prefix(desk: AlarmDesk, title: str = "Intrusion gymnase") -> Alarm:
    return next(a for a in desk.model.alarms() if a.title.startswith(title))


def test_only_officers_who_can_respond_are_offered(qtbot: QtBot, stack: Stack) -> None:
    """The officer in emergency was offered for his own weapon-drawn alarm ("Assign, 0 m"),
    with colleagues on an intervention and a position of minutes ago. Now the detail panel
    lists, and the assign dialog offers, only officers who can go (app.services.responders);
    a stale position gives no distance and no place among the nearest."""
    now = utc_now()
    for oid, status, metres, age_s in [
            ("pm14", OfficerStatus.EMERGENCY, 0, 1),  # the alarm is about him
            ("pm2", OfficerStatus.AVAILABLE, 300, 1),
            ("pm3", OfficerStatus.INTERVENTION, 100, 1),
            ("pm4", OfficerStatus.AVAILABLE, 50, 300),  # seen five minutes ago
            ("pm5", OfficerStatus.BUSY, 200, 1)]:
        stack.hub.post(OfficerAnnounced(Officer(oid, oid.upper(), "PM", status)))
        stack.hub.post(PositionReported(PositionFix(
            oid, LatLon(CENTRE.lat + metres / 111_195, CENTRE.lon),
            now - timedelta(seconds=age_s))))
    desk = make_desk(qtbot, stack)
    qtbot.waitUntil(lambda: len(stack.world.fixes) == 5, timeout=5000)
    stack.hub.post(AlarmReported("holster", "w1", AlarmType.WEAPON_DRAWN, 1,
                                 "Arme sortie de l'étui — PM14", utc_now(), CENTRE,
                                 officer_id="pm14"))
    qtbot.waitUntil(lambda: desk.detail.alarm is not None, timeout=5000)
    detail = desk.detail
    qtbot.waitUntil(lambda: detail.nearby.topLevelItemCount() > 0, timeout=5000)
    items = [detail.nearby.topLevelItem(i) for i in range(detail.nearby.topLevelItemCount())]
    assert [item.text(0) for item in items if item] == ["PM2", "PM5"]  # available first
    assert sorted(detail.assign_buttons) == ["pm2", "pm5"]

    press(qtbot, desk, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: isinstance(open_dialog(desk), AssignDialog), timeout=5000)
    dialog = open_dialog(desk)
    assert isinstance(dialog, AssignDialog)
    rows = [dialog.list.topLevelItem(i) for i in range(dialog.list.topLevelItemCount())]
    assert [(r.text(0), r.text(3)) for r in rows if r] == [
        ("PM2", "300 m"), ("PM5", "200 m"), ("PM4", "position unknown")]
    assert dialog.officer_id() == "pm2"  # Enter assigns the nearest available officer
    dialog.reject()


def test_an_alarm_leaving_the_view_picks_no_other_for_the_operator(
        qtbot: QtBot, stack: Stack) -> None:
    """Seen driving the demo: closing the selected alarm moved the selection to its
    neighbour, and that counted as the operator choosing it: its cameras replaced the wall
    behind the operator's back. The neighbour is selected (the detail and the map follow),
    but only the operator's own pick lays an alarm's cameras."""
    desk = make_desk(qtbot, stack)
    for sid in ("A", "B", "C"):
        report(stack, sid, priority=2, title=sid)
    qtbot.waitUntil(lambda: len(visible_titles(desk)) == 3, timeout=5000)
    picked: list[str] = []
    selected: list[str] = []
    desk.alarm_picked.connect(lambda a: picked.append(a.title))
    desk.alarm_selected.connect(lambda a: selected.append(a.title))
    press(qtbot, desk, Qt.Key.Key_Down)  # the operator's own pick
    qtbot.waitUntil(lambda: len(picked) == 1, timeout=2000)
    chosen = picked[0]
    assert desk.commands is not None
    desk.commands.close(by_title(desk, chosen).id, AlarmOutcome.FALSE_ALARM)
    qtbot.waitUntil(lambda: chosen not in visible_titles(desk), timeout=5000)
    qtbot.waitUntil(lambda: selected[-1] != chosen, timeout=2000)  # the neighbour, shown
    assert picked == [chosen]  # ... but not picked: the wall stays as the operator left it
    # the same when a filter hides the selected alarm
    shown = selected[-1]
    desk.queue.set_priority_filter(1)  # hides every P2
    desk.queue.set_priority_filter(4)
    report(stack, "D", priority=1, title="D")
    qtbot.waitUntil(lambda: "D" in visible_titles(desk), timeout=5000)
    assert picked == [chosen], shown
