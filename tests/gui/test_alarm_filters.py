"""The alarm queue's filters, driven with the X server's mouse and keyboard (xdotool) on the
real desk (alarm service, hub, journal, bridge). Before: the type menu closed at each tick
(seven openings to show one type), the filter bar's buttons moved when the "N new hidden"
note appeared (a second click landed on the neighbour: "New" then "Acknowledged"), Escape
did not clear the search (see test_alarm_queue), and an alarm hidden by the filter kept
working Assign buttons in the detail panel."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.core.model import AlarmState, AlarmType
from tests.gui.conftest import deliver_posted
from tests.gui.test_alarm_queue import (
    Stack,
    add_officers,
    make_desk,
    report,
    start_stack,
    visible_titles,
)
from widgets.alarms import AlarmDesk

pytestmark = pytest.mark.skipif(shutil.which("xdotool") is None,
                                reason="needs xdotool: clicks and keys through the X server")


@pytest.fixture
def stack(tmp_path: Path, qtbot: QtBot) -> Iterator[Stack]:
    s = start_stack(tmp_path / "journal.sqlite")
    yield s
    s.stop()


def xdotool(*args: str) -> None:
    subprocess.run(["xdotool", *args], check=True, timeout=10)


def click(widget: QWidget, at: QPoint | None = None) -> None:
    p = widget.mapToGlobal(at if at is not None else widget.rect().center())
    xdotool("mousemove", str(p.x()), str(p.y()), "click", "1")


def desk_with_alarms(qtbot: QtBot, stack: Stack) -> AlarmDesk:
    desk = make_desk(qtbot, stack)
    report(stack, "G", priority=1, type_=AlarmType.GUNSHOT, title="Détonation")
    report(stack, "I", priority=2, type_=AlarmType.INTRUSION, title="Intrusion")
    report(stack, "L", priority=3, type_=AlarmType.LPR_HIT, title="Plaque volée")
    qtbot.waitUntil(lambda: len(visible_titles(desk)) == 3, timeout=5000)
    desk.resize(1900, 420)  # the filter bar at its ease beside the detail: nothing squeezed
    qtbot.waitUntil(lambda: desk.queue.search.width() > 150, timeout=3000)
    deliver_posted()  # the last layout pass before the mouse comes
    return desk


def test_the_type_menu_stays_open_while_ticking(qtbot: QtBot, stack: Stack) -> None:
    """One opening of the menu: "No type", tick two types, untick one with Space, "All
    types", Escape. The menu runs its own event loop while open, so the whole sequence is
    one xdotool run, and what each step showed is recorded as the filter changes."""
    desk = desk_with_alarms(qtbot, stack)
    q = desk.queue
    menu = q.type_menu
    menu.adjustSize()  # where the entries will be: the menu opens under its button
    origin = q.type_button.mapToGlobal(QPoint(0, q.type_button.height()))

    def entry(text: str) -> list[str]:
        action = next(a for a in menu.actions() if a.text() == text)
        p = origin + menu.actionGeometry(action).center()
        return ["mousemove", str(p.x()), str(p.y()), "sleep", "0.3", "click", "1",
                "sleep", "0.5"]

    seen: list[tuple[bool, list[str], str]] = []
    q.proxy.filters_changed.connect(
        lambda: seen.append((menu.isVisible(), sorted(visible_titles(desk)),
                             q.type_button.text())))
    button = q.type_button.mapToGlobal(q.type_button.rect().center())
    steps = ["mousemove", str(button.x()), str(button.y()), "click", "1", "sleep", "0.8",
             *entry("No type"), *entry(q.model.type_label(AlarmType.GUNSHOT)),
             *entry(q.model.type_label(AlarmType.LPR_HIT)),
             "key", "space", "sleep", "0.5",  # the entry under the pointer, by keyboard
             *entry("All types"), "key", "Escape"]
    proc = subprocess.Popen(["xdotool", *steps])
    try:
        qtbot.waitUntil(lambda: proc.poll() is not None and not menu.isVisible(),
                        timeout=20_000)
    finally:
        proc.kill()
        proc.wait()
    assert seen == [
        (True, [], "No type"),
        (True, ["Détonation"], q.model.type_label(AlarmType.GUNSHOT)),
        (True, ["Détonation", "Plaque volée"], "2 types"),
        (True, ["Détonation"], q.model.type_label(AlarmType.GUNSHOT)),
        (True, ["Détonation", "Intrusion", "Plaque volée"], "All types"),
    ]


def test_the_filter_buttons_stay_put_when_the_hidden_note_appears(
        qtbot: QtBot, stack: Stack) -> None:
    """Click "New" (the note "3 new hidden by the filter" appears), click it again where it
    was: the filter is back, nothing else was toggled."""
    desk = desk_with_alarms(qtbot, stack)
    q = desk.queue
    new = q.state_buttons[AlarmState.NEW]
    moving = [q.search, q.type_button, *q.state_buttons.values(), q.priority_combo]
    where = [w.mapToGlobal(QPoint(0, 0)) for w in moving]
    widths = [w.width() for w in moving]
    spot = new.rect().center()
    click(new, spot)
    qtbot.waitUntil(lambda: "hidden by the filter" in q.counts.text(), timeout=3000)
    deliver_posted()  # the bar's layout pass
    assert [w.mapToGlobal(QPoint(0, 0)) for w in moving] == where
    assert [w.width() for w in moving] == widths
    xdotool("click", "1")  # the same spot on the screen, as a hurried operator does
    qtbot.waitUntil(lambda: len(visible_titles(desk)) == 3, timeout=3000)
    assert {s for s, b in q.state_buttons.items() if b.isChecked()} == {
        AlarmState.NEW, AlarmState.ACKNOWLEDGED, AlarmState.ASSIGNED}
    q.set_type_filter({AlarmType.GUNSHOT})  # the type button's text changes: it keeps its width
    deliver_posted()
    assert [w.mapToGlobal(QPoint(0, 0)) for w in moving] == where


def test_an_alarm_hidden_by_the_filter_has_no_working_assign_button(
        qtbot: QtBot, stack: Stack) -> None:
    add_officers(stack)
    desk = make_desk(qtbot, stack)
    qtbot.waitUntil(lambda: len(stack.world.fixes) == 3, timeout=5000)
    report(stack, "I", priority=2, type_=AlarmType.INTRUSION, title="Intrusion")
    qtbot.waitUntil(lambda: desk.detail.alarm is not None, timeout=5000)
    detail = desk.detail
    qtbot.waitUntil(lambda: bool(detail.assign_buttons), timeout=5000)
    assert all(b.isEnabled() for b in detail.assign_buttons.values())
    alarm_id = detail.alarm.id if detail.alarm else ""

    click(desk.queue.state_buttons[AlarmState.NEW])  # the only alarm leaves the view
    qtbot.waitUntil(lambda: visible_titles(desk) == [], timeout=3000)
    qtbot.waitUntil(lambda: detail.alarm is None, timeout=3000)  # the panel follows
    assert not detail.placeholder.isHidden()
    assert not any(b.isVisibleTo(desk) and b.isEnabled() for b in detail.assign_buttons.values())

    desk.select_alarm(alarm_id)  # e.g. clicked on the map: shown, not acted on
    assert detail.alarm is not None
    assert detail.alarm.id == alarm_id
    qtbot.waitUntil(lambda: bool(detail.assign_buttons), timeout=5000)
    assert not any(b.isEnabled() for b in detail.assign_buttons.values())
    assert not any(b.isVisibleTo(detail) for b in detail.action_buttons)  # they act elsewhere
    assert "filters hide this alarm" in detail.nearby_note.text()
    detail.tick("anything", True)  # the checklist does nothing either
    assert detail.checked_items() == set()
    assert [s.action for s in desk.model.alarm(alarm_id).history] == ["raised"]  # type: ignore[union-attr]
