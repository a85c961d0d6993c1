"""The first run on a machine with no site file: the welcome (demo, set-up assistant, or a
site file from disk) and the installation file's errors said in a window. Beside
app/launch.py (outside the layer stack): it opens dialogs from `widgets`.

A site file opened here is not remembered as this workstation's site (the next start
offers the welcome again; `csu-console install-config` or the assistant make a site the
machine's); the file dialog opens in the folder last used.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.core.registry import discover

LAST_FOLDER = "setup/last_site_folder"


def say_install_error(text: str, args: argparse.Namespace) -> None:
    """The broken installation file in a window (it is on standard error too)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from app.launch import start_qt

    start_qt(args)
    QMessageBox.critical(
        None, QCoreApplication.translate("FirstRun", "CSU Console cannot start"),
        QCoreApplication.translate(
            "FirstRun", "This workstation's installation file is wrong, so the console "
            "does not know which site to open:\n\n{0}\n\nFix the file (or run `csu-console "
            "install-config` again), then start the console.").format(text))


def choose_site(args: argparse.Namespace, demo: Path) -> Path | None:
    """The site file to open after the welcome: the demo's, the one the assistant saved, or
    one picked on disk; None when the person closed the welcome (nothing to open)."""
    from app.launch import start_qt
    from widgets.setup.welcome import Choice, WelcomeDialog

    start_qt(args)
    while True:
        welcome = WelcomeDialog()
        welcome.exec()
        choice = welcome.choice
        welcome.deleteLater()
        if choice is None:
            return None
        if choice is Choice.DEMO:
            return demo
        chosen = set_up() if choice is Choice.SET_UP else open_site_file()
        if chosen is not None:
            return chosen


def set_up() -> Path | None:
    """The set-up assistant; the site file it saved (None: cancelled)."""
    from widgets.setup.assistant import SetupAssistant

    assistant = SetupAssistant(discover())
    try:
        assistant.exec()
        return assistant.saved_path
    finally:
        assistant.deleteLater()


def open_site_file() -> Path | None:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QFileDialog

    from app.ui.settings import settings

    store = settings()
    folder = str(store.value(LAST_FOLDER, str(Path.home())))
    chosen, _ = QFileDialog.getOpenFileName(
        None, QCoreApplication.translate("FirstRun", "Open a site file"), folder,
        QCoreApplication.translate("FirstRun", "Site file (*.toml)"))
    if not chosen:
        return None
    store.setValue(LAST_FOLDER, str(Path(chosen).parent))
    return Path(chosen)
