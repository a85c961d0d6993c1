"""Help › About and diagnostics: what this console is, and a text for a support ticket
(versions, the site file, the journal, each connected system's state, the log file) with a
button that copies it. The text is gathered on a worker thread (FFmpeg is asked its version,
the keyring is read to blank out every secret) and shown when it is ready."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.site import Site
from app.core.version import console_version
from app.ui.diagnostics import Facts, qt_versions, report
from app.ui.world import World
from widgets.video.engine import libvlc_status


class AboutDialog(QDialog):
    text_ready = Signal(str)

    def __init__(self, site: Site, world: World, facts: Facts,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about-dialog")
        self.site, self.world, self.facts = site, world, facts
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("diagnostics-text")
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self)
        self.copy_button.setEnabled(False)
        self.log_button = QPushButton(self)
        self.log_button.setEnabled(bool(facts.log_file))
        for b in (self.copy_button, self.log_button):
            self.buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.log_button.clicked.connect(self.open_log_folder)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addWidget(self.title)
        box.addWidget(self.text, 1)
        box.addWidget(self.buttons)
        self.resize(760, 520)
        self.text_ready.connect(self._show_text)
        self._retranslate()
        self.text.setPlainText(self.tr("Gathering the diagnostics…"))
        self._gather()

    def _gather(self) -> None:
        """Off the GUI thread: the libvlc version (already known once video played), the
        states as the window has them now, the rest in `report`."""
        versions = qt_versions()
        vlc = libvlc_status()
        versions["libvlc"] = vlc.version if vlc.available else f"unavailable: {vlc.reason}"
        adapters = list(self.world.adapters.values())
        journal = self.world.journal
        cameras = len(self.world.cameras)

        def work() -> None:
            try:
                text = report(self.site, self.facts, adapters, journal, versions, cameras)
            except Exception as exc:  # said in the dialog, never a crash
                text = f"the diagnostics could not be gathered: {exc}"
            with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
                self.text_ready.emit(text)

        threading.Thread(target=work, name="diagnostics", daemon=True).start()

    def _show_text(self, text: str) -> None:
        self.text.setPlainText(text)
        self.copy_button.setEnabled(True)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.copy_button.setText(self.tr("Copied"))

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(self.facts.log_file).parent)))

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("About CSU Console"))
        self.title.setText(self.tr(
            "CSU Console {0}: the console of a Centre de Supervision Urbaine.\n"
            "For a support ticket, copy the text below: it holds no password.")
            .format(console_version()))
        self.copy_button.setText(self.tr("Copy for a support ticket"))
        self.log_button.setText(self.tr("Open the log folder"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
