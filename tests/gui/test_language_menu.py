"""The Language menu ticks the language shown. Before: started with `--lang en` (applied
for the run, not remembered), it ticked "System language", the remembered choice."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from app.core.site import Site
from app.ui.i18n import apply_language
from app.ui.settings import settings
from tests.gui.conftest import main_window
from widgets.main_window import MainWindow

SITE = Site.model_validate({"site": {"name": "Langue"}, "map": {"center": [60.17, 24.94]}})


def ticked(w: MainWindow) -> list[str]:
    return [code for code, act in w.lang_actions.items() if act.isChecked()]


def test_the_language_given_on_the_command_line_is_ticked(qtbot: QtBot, tmp_path: Path) -> None:
    assert settings().value("ui/language", "system") == "system"
    apply_language("en", remember=False)  # what `csu-console --lang en` does (app/launch.py)
    try:
        with main_window(SITE, tmp_path / "journal.sqlite") as w:
            assert ticked(w) == ["en"]
            assert settings().value("ui/language", "system") == "system"  # not remembered
            w.lang_actions["fr"].trigger()  # the operator picks French in the menu
            qtbot.waitUntil(lambda: w.lang_menu.title() == "&Langue", timeout=5000)
            assert ticked(w) == ["fr"]
            assert settings().value("ui/language") == "fr"  # a choice made in the menu is kept
    finally:
        apply_language("en", remember=False)
