"""Export evidence: what, why, for whom; then a progress bar with a Cancel, and where the
package is when it is done.

The chief picks the cameras (every camera of the incident ticked; body cams too) and the
officers whose tracks go in, states the purpose and the recipient (the access log keeps
both, before anything is written), and may ask for a judicial hold on the range. The export
runs in the runtime (the service in a room), never on the GUI thread: this dialog only shows
its progress, which arrives through a queued signal at most a few times a second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.access import Purpose
from app.core.incident import Incident
from app.ui.export_words import export_failure, step_words
from app.ui.futures import hand_over
from app.ui.i18n import current_language, effective_language
from app.ui.labels import local_time
from app.ui.replay_export import REFUSALS, ExportRequest, ExportResult
from app.ui.world import World
from widgets.replay.motive_dialog import purpose_box

PROGRESS_EVERY_S = 0.2  # at most five progress updates a second reach the GUI thread


class ExportRuntime(Protocol):
    def export_evidence(self, request: ExportRequest, progress: Any,
                        cancel: threading.Event) -> Future[ExportResult]: ...


class ExportDialog(QDialog):
    _progressed = Signal(float, str)
    _finished = Signal(object, object)  # ExportResult, exception

    def __init__(self, runtime: ExportRuntime, cameras: Sequence[tuple[str, str]],
                 officers: Sequence[tuple[str, str]], start: datetime, end: datetime, *,
                 incident_id: int = 0, incident_title: str = "", on_service: bool = False,
                 parent: QWidget | None = None) -> None:
        """`cameras`, `officers`: (id, name shown), all ticked at first. `on_service`: a
        seat of a room, whose export the service writes in ITS folder (not openable here)."""
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr("Export evidence"))
        self.runtime = runtime
        self.start, self.end = start, end
        self.incident_id, self.incident_title = incident_id, incident_title
        self.on_service = on_service
        self.cancel_event = threading.Event()
        self.outcome: ExportResult | None = None
        self.future: Future[ExportResult] | None = None
        self._last_progress = 0.0

        intro = QLabel(self.tr(
            "From %1 to %2. The export is logged in the access log with your name, its "
            "purpose and its recipient before anything is written (CSI R241-14).")
            .replace("%1", local_time(start)).replace("%2", local_time(end)), self)
        intro.setWordWrap(True)
        self.cameras = self._checklist(cameras)
        self.officers = self._checklist(officers)
        self.purposes = purpose_box(self)
        self.purposes.addItem(self.tr("Administrative inquiry"), Purpose.ADMINISTRATIVE)
        self.purposes.addItem(self.tr("Disciplinary inquiry"), Purpose.DISCIPLINARY)
        self.detail = QLineEdit(self)
        self.recipient = QLineEdit(self)
        self.recipient.setPlaceholderText(self.tr("e.g. Parquet de Melun, OPJ Durand"))
        self.reference = QLineEdit(self)
        self.reference.setPlaceholderText(self.tr("Requisition or case number"))
        self.hold = QCheckBox(self.tr("Place a judicial hold on this range and these "
                                      "cameras (kept past the retention limit)"), self)
        self.language = QComboBox(self)
        self.language.addItem("Français", "fr")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(
            0 if effective_language(current_language()) == "fr" else 1)
        form = QFormLayout()
        form.addRow(self.tr("&Purpose:"), self.purposes)
        form.addRow(self.tr("&Details:"), self.detail)
        form.addRow(self.tr("For &whom:"), self.recipient)
        form.addRow(self.tr("&Reference:"), self.reference)
        form.addRow(self.tr("Report &language:"), self.language)
        lists = QHBoxLayout()
        lists.addWidget(self._boxed(self.tr("Cameras"), self.cameras))
        lists.addWidget(self._boxed(self.tr("Officers' tracks"), self.officers))

        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1000)
        self.bar.hide()
        self.step = QLabel(self)
        self.step.setWordWrap(True)
        self.step.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(self)
        self.export_button = QPushButton(self.tr("Export"), self)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.open_button = QPushButton(self.tr("Open the folder"), self)
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.open_button.hide()  # once there is a folder to open (adding it showed it)
        self.export_button.clicked.connect(self.export)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self.open_button.clicked.connect(self._open_folder)
        for signal in (self.purposes.currentIndexChanged, self.recipient.textChanged,
                       self.reference.textChanged, self.hold.toggled,
                       self.cameras.itemChanged, self.detail.textChanged):
            signal.connect(self._check)
        self._progressed.connect(self._on_progress)
        self._finished.connect(self._on_finished)

        col = QVBoxLayout(self)
        col.addWidget(intro)
        col.addLayout(lists)
        col.addLayout(form)
        col.addWidget(self.hold)
        col.addWidget(self.bar)
        col.addWidget(self.step)
        col.addWidget(self.buttons)
        self.setMinimumWidth(720)  # camera names at a crossroads are long
        self._check()

    def _checklist(self, rows: Sequence[tuple[str, str]]) -> QListWidget:
        box = QListWidget(self)
        for key, name in rows:
            item = QListWidgetItem(name if name == key else f"{name} ({key})", box)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        box.setMaximumHeight(140)
        return box

    def _boxed(self, title: str, inner: QWidget) -> QGroupBox:
        group = QGroupBox(title, self)
        lay = QVBoxLayout(group)
        lay.addWidget(inner)
        return group

    @staticmethod
    def _ticked(box: QListWidget) -> tuple[str, ...]:
        return tuple(str(box.item(i).data(Qt.ItemDataRole.UserRole))
                     for i in range(box.count())
                     if box.item(i).checkState() == Qt.CheckState.Checked)

    def request(self) -> ExportRequest:
        purpose = self.purposes.currentData()
        return ExportRequest(
            cameras=self._ticked(self.cameras), start=self.start, end=self.end,
            purpose=str(purpose) if purpose is not None else "",
            recipient=self.recipient.text().strip(),
            officers=self._ticked(self.officers),
            words=" — ".join(p for p in (self.purposes.currentText()
                                         if purpose is not None else "",
                                         self.detail.text().strip()) if p),
            reference=self.reference.text().strip(), incident_id=self.incident_id,
            incident_title=self.incident_title, hold=self.hold.isChecked(),
            language=str(self.language.currentData()))

    def _check(self) -> None:
        missing = self.request().missing()
        running = self.future is not None and not self.future.done()
        self.export_button.setEnabled(missing is None and not running
                                      and self.outcome is None)
        if self.future is None:
            self.step.setText(self._missing_words(missing) if missing else "")

    def _missing_words(self, missing: str) -> str:
        if missing == "purpose":
            return self.tr("Choose the purpose of the export.")
        if missing == "recipient":
            return self.tr("Say for whom the export is made.")
        if missing == "cameras":
            return self.tr("Tick at least one camera.")
        if missing == "reference":
            return self.tr("A judicial hold needs the requisition's reference.")
        return REFUSALS[missing]

    # -- running --------------------------------------------------------------------------
    def export(self) -> None:
        request = self.request()
        if request.missing() is not None:
            return
        for w in (self.cameras, self.officers, self.purposes, self.detail, self.recipient,
                  self.reference, self.hold, self.language):
            w.setEnabled(False)
        self.bar.setValue(0)
        self.bar.show()
        self.step.setText(self.tr("Logging the export…"))
        self.export_button.setEnabled(False)
        self.future = self.runtime.export_evidence(request, self._progress_from_worker,
                                                   self.cancel_event)
        hand_over(self.future, self._finished)

    def _progress_from_worker(self, fraction: float, step: str) -> None:
        """On the export's thread: at most five a second cross to the GUI thread."""
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_EVERY_S or fraction >= 1:
            self._last_progress = now
            self._progressed.emit(fraction, step)

    def _on_progress(self, fraction: float, step: str) -> None:
        if self.cancel_event.is_set():
            return
        self.bar.setValue(int(fraction * 1000))
        self.step.setText(step_words(step))

    def _cancel_or_close(self) -> None:
        if self.future is not None and not self.future.done():
            self.cancel_event.set()
            self.cancel_button.setEnabled(False)
            self.step.setText(self.tr("Cancelling: removing what was written…"))
            return
        self.reject()

    def _on_finished(self, result: ExportResult | None, exc: BaseException | None) -> None:
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Close"))
        if exc is not None:
            self.bar.hide()
            self.step.setText(export_failure(exc))
            return
        assert result is not None
        self.outcome = result
        self.bar.setValue(1000)
        lines = [(self.tr("Exported and signed by the console service, in its folder: %1")
                  if self.on_service else self.tr("Exported and signed: %1"))
                 .replace("%1", str(result.folder))]
        if result.zip is not None:
            lines.append(self.tr("ZIP: %1").replace("%1", str(result.zip)))
        if result.timestamped is not None:
            lines.append(self.tr("Timestamped by the authority at %1")
                         .replace("%1", local_time(result.timestamped)))
        lines += [self.tr("Warning: %1").replace("%1", w) for w in result.warnings]
        self.step.setText("\n".join(lines))
        self.open_button.setVisible(not self.on_service)

    def _open_folder(self) -> None:
        if self.outcome is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.outcome.folder)))

    def reject(self) -> None:
        """Closing while it runs cancels it (nothing half-made is kept)."""
        if self.future is not None and not self.future.done():
            self.cancel_event.set()
        super().reject()

    def folder(self) -> Path | None:
        return self.outcome.folder if self.outcome is not None else None


def open_export(runtime: ExportRuntime, incident: Incident, world: World,
                officers: Sequence[str], parent: QWidget) -> ExportDialog:
    """The export dialog over `incident`, shown: its cameras and `officers` named as the
    world knows them, the service's folder said on a seat of a room (it writes there)."""
    def camera(c: str) -> str:
        return world.cameras[c].name if c in world.cameras else c

    def callsign(o: str) -> str:
        return world.officers[o].callsign if o in world.officers else o

    dialog = ExportDialog(runtime, [(c, camera(c)) for c in incident.cameras],
                          [(o, callsign(o)) for o in officers], incident.start,
                          incident.end, incident_id=incident.id,
                          incident_title=incident.title,
                          on_service=bool(getattr(runtime, "seat_id", "")), parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
