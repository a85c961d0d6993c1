"""Asks why a body camera is opened live, before it is.

French law: live viewing of a body-worn camera is for threats to the officers' safety
(CSI L241-2), and every viewing is logged with who, when and why (CSI R241-14). A
weapon-drawn or emergency alarm is a reason by itself (the window opens those without
asking); every other way a body cam reaches the wall (camera list, drag, layout, tour)
comes through this dialog, and no reason means no video.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.model import Camera, CameraKind
from app.ui.world import World

log = logging.getLogger(__name__)


class BodyCamReasonDialog(QDialog):
    def __init__(self, camera: Camera, wearer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bodycamReason")
        self.setWindowTitle(self.tr("Open a body camera live"))
        intro = QLabel(self.tr(
            "Live viewing of %1 (worn by %2) is allowed only when the officers' safety is "
            "threatened (CSI L241-2). Your name, the time and the reason are logged "
            "(CSI R241-14).").replace("%1", camera.name).replace("%2", wearer or "?"), self)
        intro.setWordWrap(True)
        intro.setMinimumWidth(460)  # a readable line length; the height follows
        self.reasons = QComboBox(self)
        self.reasons.addItems([
            self.tr("Officer asks for support"),
            self.tr("Officer in danger (seen or reported)"),
            self.tr("Radio contact lost with the officer"),
            self.tr("Other threat to the officers' safety"),
        ])
        self.detail = QLineEdit(self)
        self.detail.setPlaceholderText(self.tr("Details (required): what is happening"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Open live"))
        ok.setEnabled(False)
        self.detail.textChanged.connect(lambda t: ok.setEnabled(bool(t.strip())))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        col = QVBoxLayout(self)
        col.addWidget(intro)
        col.addWidget(self.reasons)
        col.addWidget(self.detail)
        col.addWidget(self.buttons)
        self.detail.setFocus()

    def reason(self) -> str:
        return f"{self.reasons.currentText()}: {self.detail.text().strip()}"


def ask_bodycam_reason(camera: Camera, wearer: str, parent: QWidget | None) -> str | None:
    """The operator's reason, or None if they cancelled (then the camera is not opened)."""
    dialog = BodyCamReasonDialog(camera, wearer, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.detail.text().strip():
            return dialog.reason()
        return None
    finally:
        dialog.deleteLater()


class BodyCamGate:
    """Lets a camera onto a wall: fixed cameras pass, a body camera only with a reason the
    operator gives, logged with who and why (the journal adds when)."""

    def __init__(self, world: World, audit: Callable[[str, str, str, str], object],
                 operator: Callable[[], str], parent: QWidget | None = None) -> None:
        self.world = world
        self._audit = audit
        self._operator = operator
        self._parent = parent
        self.ask: Callable[[Camera, str, QWidget | None], str | None] = ask_bodycam_reason

    def allow(self, camera: Camera, via: str) -> bool:
        """True if `camera` may be shown live; asks and logs for a body camera."""
        if camera.kind is not CameraKind.BODY:
            return True
        wearer = self.world.officer_of_camera(camera.id)
        reason = self.ask(camera, wearer.callsign if wearer else "", self._parent)
        if not reason:
            log.info("body cam %s not opened: no reason given", camera.id)
            return False
        self._audit(self._operator(), "bodycam_live_view", f"camera:{camera.id}",
                    f"{via}: {reason}")
        return True
