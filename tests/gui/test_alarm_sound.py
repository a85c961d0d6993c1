"""Alarms that cannot sound say so on screen. Before: on a workstation without an audio
device the tone failure went to the log only, and the button kept reading "Sound on"."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from app.core.events import AlarmReported
from app.core.model import AlarmType
from app.core.site import Site
from tests.gui.conftest import main_window

SITE = Site.model_validate({"site": {"name": "Sound"}, "map": {"center": [60.17, 24.94]}})


def test_no_audio_device_is_said_on_the_button_and_in_the_status_bar(
        qtbot: QtBot, tmp_path: Path) -> None:
    if QMediaDevices.audioOutputs():
        pytest.skip("this machine has an audio output: the silent case cannot be shown")
    with main_window(SITE, tmp_path / "journal.sqlite") as w:
        alerter = w.alarms.alerter
        assert alerter is not None
        alerter.set_muted(False)  # the fixture mutes: the operator did not
        tones: list[int] = []
        alerter.tone_played.connect(tones.append)
        button = w.findChild(QToolButton, "alarm-mute")
        assert button is not None
        chip = w.alarms.sound_chip
        qtbot.waitUntil(chip.isVisible, timeout=5000)
        assert chip.parent() is w.statusBar()
        assert chip.text() == "Alarms silent on this workstation"
        assert "no audio output device" in chip.toolTip()
        assert not chip.visibleRegion().isEmpty()  # drawn, not pushed out of the bar
        assert button.text() == "No sound: no audio (Ctrl+M)"
        assert "no audio output device" in button.toolTip()
        assert "Sound on" not in button.text()

        # a P1 arrives: the tone is tried, and the screen still tells the truth
        w.runtime.hub.post(AlarmReported("panel", "p1", AlarmType.WEAPON_DRAWN, 1,
                                         "Arme sortie", datetime.now(UTC)))
        qtbot.waitUntil(lambda: tones == [1], timeout=10_000)
        assert chip.isVisible()
        assert button.text() == "No sound: no audio (Ctrl+M)"

        # muting by hand: the button says so; the chip still says why nothing sounds
        w.alarms.mute_action.trigger()
        assert button.text() == "Sound off (Ctrl+M)"
        assert chip.isVisible()
