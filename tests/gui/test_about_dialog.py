"""Help › About and diagnostics: the text for a support ticket appears (gathered off the GUI
thread), names what support needs, hides the site's secrets and is copied in one click."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.events import AdapterStatus
from app.core.registry import discover
from app.core.secrets import set_secret
from app.core.site import load_site
from app.services.diagnostics import HIDDEN
from app.ui.diagnostics import Facts
from tests.gui.conftest import main_window
from tests.unit.cli_run import site_file


def test_about_gives_a_support_text_without_secrets(qtbot: QtBot, tmp_path: Path) -> None:
    path = site_file(tmp_path, '[[adapters]]\nkind = "owntracks"\nname = "gps"\n'
                               'host = "127.0.0.1"\nport = 1\npassword_secret = "gps-pw"\n'
                               'enabled = false\n')
    site = load_site(path, discover())
    set_secret("gps-pw", "Pa55-of-the-broker")
    facts = Facts(str(path), str(tmp_path / "journal.sqlite"), str(tmp_path / "console.log"))
    with main_window(site, tmp_path / "journal.sqlite", facts=facts) as w:
        w.world.adapters["gps"] = AdapterStatus(
            "gps", "refused", "the broker said: bad password Pa55-of-the-broker")
        w.about_action.trigger()
        dialog = w.show_about()
        qtbot.waitUntil(lambda: "[connected systems]" in dialog.text.toPlainText(),
                        timeout=20_000)
        text = dialog.text.toPlainText()
        assert "Pa55-of-the-broker" not in text
        assert f"gps: refused - the broker said: bad password {HIDDEN}" in text
        assert str(path) in text
        assert str(tmp_path / "journal.sqlite") in text
        assert str(tmp_path / "console.log") in text
        assert "libvlc: " in text
        assert "qt: " in text
        assert dialog.copy_button.isEnabled()
        dialog.copy_button.click()
        assert QApplication.clipboard().text() == text
        assert w.show_about() is dialog  # one dialog, raised again
        dialog.close()
