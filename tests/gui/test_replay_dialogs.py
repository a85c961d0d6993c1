"""The replay's dialogs and transport, driven through the real widgets: no motive, no
recorded video (CSI R241-14); "Other" needs words; an incident needs a title, a range
that ends after it starts and someone or something to look at, said in plain words; a
bookmark needs its note; the transport only asks, shows "-2x" for backwards and the
instant in local time to the millisecond, and leaves the keyboard to the window."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from app.core.access import Purpose
from app.core.incident import Incident
from app.ui.i18n import apply_language
from widgets.replay.bookmark_dialog import BookmarkDialog
from widgets.replay.incident_dialog import IncidentDialog
from widgets.replay.motive_dialog import Motive, MotiveDialog, ask_motive
from widgets.replay.transport_bar import SPEEDS, TransportBar, instant_label, speed_label

T0 = datetime(2026, 11, 30, 21, 40, 5, 250_000, tzinfo=UTC)
CAMERAS = [("c1", "Place Masséna"), ("c2", "Port Lympia")]
OFFICERS = [("o1", "PM 11"), ("o2", "PM 12")]


def shown(qtbot: QtBot, dialog: QDialog) -> QDialog:
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


def test_no_motive_no_video(qtbot: QtBot) -> None:
    d = MotiveDialog(["Place Masséna"], T0, T0 + timedelta(minutes=4))
    shown(qtbot, d)
    assert not d.ok.isEnabled()
    QTest.keyClick(d.detail, Qt.Key.Key_Return)  # Enter without a purpose: still open
    assert d.isVisible()
    assert d.result() != QDialog.DialogCode.Accepted
    QTest.keyClicks(d.detail, "plainte 17/11")  # QTest types ASCII only
    assert not d.ok.isEnabled(), "words are not a purpose"
    d.purposes.setCurrentIndex(d.purposes.findText("Judicial requisition"))
    assert d.ok.isEnabled()
    QTest.keyClicks(d.reference, "PV 2026/0412")
    assert d.motive() == Motive(Purpose.JUDICIAL, "Judicial requisition: plainte 17/11",
                                "PV 2026/0412")
    QTest.mouseClick(d.ok, Qt.MouseButton.LeftButton)
    assert d.result() == QDialog.DialogCode.Accepted


def test_other_needs_words(qtbot: QtBot) -> None:
    d = MotiveDialog(["Port Lympia"], T0, T0 + timedelta(minutes=4))
    shown(qtbot, d)
    d.purposes.setCurrentIndex(d.purposes.count() - 1)
    assert d.purposes.currentText() == "Other (say which)"
    assert not d.ok.isEnabled()
    QTest.keyClicks(d.detail, "   ")
    assert not d.ok.isEnabled()
    QTest.keyClicks(d.detail, "demande du maire (arrete 12)")
    assert d.ok.isEnabled()
    assert d.motive() == Motive(Purpose.ADMINISTRATIVE, "demande du maire (arrete 12)")
    d.purposes.setCurrentIndex(d.purposes.findText("Incident review"))
    motive = d.motive()
    assert motive is not None
    assert motive.purpose is Purpose.ADMINISTRATIVE


def test_an_incident_needs_a_title_a_range_and_someone(qtbot: QtBot) -> None:
    made = Incident("", T0, T0 + timedelta(minutes=4), cameras=("c1",), alarm_id="a-17",
                    created_by="chef.durand")
    d = IncidentDialog(made, CAMERAS, OFFICERS)
    shown(qtbot, d)
    assert d.cameras.item(0).checkState() == Qt.CheckState.Checked  # from the alarm
    assert d.cameras.item(1).checkState() == Qt.CheckState.Unchecked
    assert not d.ok.isEnabled()
    assert d.problem.text() == "An incident needs a title."
    QTest.keyClicks(d.title, "Rixe place Massena")
    assert d.ok.isEnabled()
    assert d.problem.text() == ""
    d.cameras.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not d.ok.isEnabled()
    assert d.problem.text() == "An incident needs at least one camera or one officer."
    d.officers.item(1).setCheckState(Qt.CheckState.Checked)
    assert d.ok.isEnabled()
    d.end.setDateTime(d.start.dateTime().addSecs(-60))
    assert d.problem.text() == "The incident ends before it starts."
    assert not d.ok.isEnabled()
    d.end.setDateTime(QDateTime.fromMSecsSinceEpoch(
        round((T0 + timedelta(minutes=10)).timestamp() * 1000)))
    QTest.mouseClick(d.ok, Qt.MouseButton.LeftButton)
    assert d.result() == QDialog.DialogCode.Accepted
    got = d.incident()
    assert (got.title, got.cameras, got.officers) == ("Rixe place Massena", (), ("o2",))
    assert (got.start, got.end) == (T0, T0 + timedelta(minutes=10))  # UTC, as it was
    assert (got.alarm_id, got.created_by) == ("a-17", "chef.durand")


@pytest.fixture
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_incident_range_is_typed_in_local_time(qtbot: QtBot, paris: None) -> None:
    d = IncidentDialog(Incident("x", T0, T0 + timedelta(minutes=4), cameras=("c1",)),
                       CAMERAS, OFFICERS)
    shown(qtbot, d)
    assert d.start.text() == "30/11/2026 22:40:05"  # 21:40 UTC is 22:40 in Paris
    d.end.setFocus()
    d.end.setDateTime(QDateTime.fromString("30/11/2026 23:00:00", "dd/MM/yyyy HH:mm:ss"))
    assert d.incident().end == datetime(2026, 11, 30, 22, 0, tzinfo=UTC)


def answer(qtbot: QtBot, act: Callable[[QDialog], None]) -> None:
    """Acts on the modal dialog once it is up (exec() does not return until it closes)."""
    def later() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        act(dialog)
    QTimer.singleShot(0, later)


def test_ask_motive_gives_the_motive_or_nothing(qtbot: QtBot) -> None:
    def cancel(d: QDialog) -> None:
        d.reject()
    answer(qtbot, cancel)
    assert ask_motive(["Port Lympia"], T0, T0 + timedelta(minutes=4), None) is None

    def review(d: QDialog) -> None:
        assert isinstance(d, MotiveDialog)
        d.purposes.setCurrentIndex(d.purposes.findText("Incident review"))
        QTest.mouseClick(d.ok, Qt.MouseButton.LeftButton)
    answer(qtbot, review)
    assert ask_motive(["Port Lympia"], T0, T0 + timedelta(minutes=4), None) == Motive(
        Purpose.ADMINISTRATIVE, "Incident review")


def test_a_bookmark_needs_its_note(qtbot: QtBot) -> None:
    d = BookmarkDialog(T0)
    shown(qtbot, d)
    assert not d.ok.isEnabled()
    QTest.keyClick(d.note, Qt.Key.Key_Return)
    assert d.result() != QDialog.DialogCode.Accepted
    QTest.keyClicks(d.note, "le scooter repart vers le port")
    assert d.ok.isEnabled()
    QTest.keyClick(d.note, Qt.Key.Key_Return)
    assert d.result() == QDialog.DialogCode.Accepted


def test_the_dialogs_speak_french(qtbot: QtBot) -> None:
    apply_language("fr", remember=False)
    try:
        d = MotiveDialog(["Port Lympia"], T0, T0 + timedelta(minutes=4))
        shown(qtbot, d)
        assert d.windowTitle() == "Ouvrir des enregistrements"
        i = IncidentDialog(Incident("", T0, T0 + timedelta(minutes=4)), CAMERAS, OFFICERS)
        shown(qtbot, i)
        assert i.problem.text() == "Un incident doit avoir un titre."
    finally:
        apply_language("en", remember=False)


def test_the_transport_asks_and_says(qtbot: QtBot) -> None:
    bar = TransportBar()
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)
    asked: list[object] = []
    bar.play_pause_requested.connect(lambda: asked.append("play"))
    bar.step_requested.connect(asked.append)
    bar.speed_requested.connect(asked.append)
    bar.bookmark_requested.connect(lambda: asked.append("bookmark"))
    for button in (bar.play, bar.back, bar.forward, bar.bookmark):
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus  # keys stay with the window
    bar.speed.activated.emit(bar.speed.findText("-2x"))
    assert asked == ["play", -1, 1, "bookmark", -2.0]
    assert [speed_label(float(s)) for s in SPEEDS] == [
        "-16x", "-8x", "-4x", "-2x", "-1x", "-1/2x", "-1/4x", "-1/8x",
        "1/8x", "1/4x", "1/2x", "1x", "2x", "4x", "8x", "16x"]
    bar.set_speed(-0.125)
    assert bar.speed.currentText() == "-1/8x"
    assert len(asked) == 5, "showing the clock's speed asks for nothing"
    bar.set_time(T0)
    assert bar.instant.text() == instant_label(T0)
    assert instant_label(T0).endswith(f"{T0.astimezone():%H:%M:%S}.250")
    bar.set_playing(True)
    assert bar.play.toolTip() == "Pause (Space)"
