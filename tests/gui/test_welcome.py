"""The first run's welcome: Enter gives the demo; each button routes to its way of getting
a site; the assistant or the file dialog cancelled brings the welcome back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

import app.first_run
from app.main import parser
from widgets.setup.welcome import Choice, WelcomeDialog

DEMO = Path("/demo/site.toml")


def test_enter_opens_the_demo(qtbot: QtBot) -> None:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    assert dialog.choice is Choice.DEMO
    assert not dialog.isVisible()


@pytest.mark.parametrize("choice", list(Choice))
def test_each_button_says_its_choice(qtbot: QtBot, choice: Choice) -> None:
    dialog = WelcomeDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.buttons[choice], Qt.MouseButton.LeftButton)
    assert dialog.choice is choice


def scripted(monkeypatch: pytest.MonkeyPatch, choices: list[Choice | None]) -> list[int]:
    """The welcome answers these choices in turn; returns how many times it was shown."""
    shown: list[int] = []

    def exec_(self: WelcomeDialog) -> int:
        shown.append(1)
        self.choice = choices.pop(0)
        return 1

    monkeypatch.setattr(WelcomeDialog, "exec", exec_)
    return shown


def test_the_choices_route_right(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    args = parser().parse_args([])
    saved, opened = Path("/x/saved.toml"), Path("/x/opened.toml")
    monkeypatch.setattr(app.first_run, "set_up", lambda: saved)
    monkeypatch.setattr(app.first_run, "open_site_file", lambda: opened)
    scripted(monkeypatch, [Choice.DEMO])
    assert app.first_run.choose_site(args, DEMO) == DEMO
    scripted(monkeypatch, [Choice.SET_UP])
    assert app.first_run.choose_site(args, DEMO) == saved
    scripted(monkeypatch, [Choice.OPEN])
    assert app.first_run.choose_site(args, DEMO) == opened
    scripted(monkeypatch, [None])
    assert app.first_run.choose_site(args, DEMO) is None


def test_a_cancelled_assistant_or_file_dialog_brings_the_welcome_back(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app.first_run, "set_up", lambda: None)
    monkeypatch.setattr(app.first_run, "open_site_file", lambda: None)
    shown = scripted(monkeypatch, [Choice.SET_UP, Choice.OPEN, Choice.DEMO])
    assert app.first_run.choose_site(parser().parse_args([]), DEMO) == DEMO
    assert len(shown) == 3


def test_the_file_dialog_opens_where_the_last_site_file_was(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []

    def pick(_parent: object, _title: str, folder: str, _filter: str) -> tuple[str, str]:
        asked.append(folder)
        return str(tmp_path / "sites" / "ville.toml"), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    assert app.first_run.open_site_file() == tmp_path / "sites" / "ville.toml"
    assert app.first_run.open_site_file() == tmp_path / "sites" / "ville.toml"
    assert asked[1] == str(tmp_path / "sites")


def test_a_broken_installation_file_is_said_in_a_window(
        qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical",
                        lambda _parent, title, text: shown.append((title, text)))
    app.first_run.say_install_error("the installation file /etc/x.toml names no site file",
                                    parser().parse_args([]))
    assert len(shown) == 1
    title, text = shown[0]
    assert "cannot start" in title
    assert "/etc/x.toml names no site file" in text
    assert "install-config" in text
