"""Alarms that cannot sound say so on screen. Before: on a workstation without an audio
device the tone failure went to the log only, and the button kept reading "Sound on"."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtMultimedia import QMediaDevices
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from app.core.events import AlarmReported
from app.core.model import AlarmType
from app.core.site import Site
from tests.conftest import REPO
from tests.gui.conftest import main_window
from tests.waiting import wait_until

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
        assert button.text() == "No audio (Ctrl+M)"
        assert "no audio output device" in button.toolTip()
        assert "Sound on" not in button.text()

        # a P1 arrives: the tone is tried, and the screen still tells the truth
        w.runtime.hub.post(AlarmReported("panel", "p1", AlarmType.WEAPON_DRAWN, 1,
                                         "Arme sortie", datetime.now(UTC)))
        qtbot.waitUntil(lambda: tones == [1], timeout=10_000)
        assert chip.isVisible()
        assert button.text() == "No audio (Ctrl+M)"

        # muting by hand: the button says so; the chip still says why nothing sounds
        w.alarms.mute_action.trigger()
        assert button.text() == "Sound off (Ctrl+M)"
        assert chip.isVisible()


@pytest.fixture
def sound_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A real PulseAudio server of the test's own (private socket), with no output at all:
    a workstation whose headset is unplugged. Yields the environment that reaches it."""
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        pytest.fail("pulseaudio and pactl are needed (packaging/dev.sh installs them)")
    home = tmp_path / "pulse"
    home.mkdir()
    socket = home / "native"
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(home),
           "PULSE_SERVER": f"unix:{socket}"}
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
         "--disable-shm=yes", "-L",
         f"module-native-protocol-unix socket={socket} auth-anonymous=1"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: subprocess.run(["pactl", "info"], env=env, capture_output=True,
                                          check=False).returncode == 0,
                   what="the sound server answers")
        yield env
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_alarm_tones_come_back_when_an_audio_output_appears(
        sound_server: dict[str, str]) -> None:
    """Silent at start (a sound server, no output), said on screen; an output plugged in
    (a real PulseAudio sink): the console says the tones are on again, by itself."""
    with subprocess.Popen([sys.executable, "-m", "tests.gui.sound_seat"], cwd=REPO,
                          env={**sound_server, "PYTHONPATH": str(REPO)},
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as seat:
        try:
            assert seat.stdout is not None
            first = json.loads(seat.stdout.readline() or "null")
            assert first is not None, seat.stderr.read() if seat.stderr else ""
            assert first["chip"] is True
            assert first["button"] == "No audio (Ctrl+M)"
            assert "no audio output device" in first["chip_tip"]
            subprocess.run(["pactl", "load-module", "module-null-sink", "sink_name=headset"],
                           env=sound_server, check=True, capture_output=True)
            then = json.loads(seat.stdout.readline() or "null")
            assert then == {"chip": False, "chip_tip": "", "button": "Sound on (Ctrl+M)",
                            "button_tip": "Mute alarm sounds"}
            assert seat.wait(timeout=60) == 0
        finally:
            if seat.poll() is None:
                seat.kill()
            seat.communicate()
