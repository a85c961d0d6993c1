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

from app.core.model import Alarm, Camera
from app.ui.bodycam_access import BodyCamAccess, Decision
from app.ui.world import World
from widgets.keyboard import give_back_keys

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
        give_back_keys(parent)


class BodyCamGate:
    """Lets a camera onto a wall the lawful way: fixed cameras at once; a body camera only
    as `app.services.bodycam_policy` decides (an open weapon-drawn or emergency alarm about
    the wearer is a reason by itself, otherwise the operator's reason is asked here), and
    only once its viewing is logged."""

    def __init__(self, access: BodyCamAccess, world: World,
                 parent: QWidget | None = None) -> None:
        self.access = access
        self.world = world
        self._parent = parent
        self.ask: Callable[[Camera, str, QWidget | None], str | None] = ask_bodycam_reason

    def _ask(self, camera: Camera) -> str | None:
        wearer = self.world.officer_of_camera(camera.id)
        return self.ask(camera, wearer.callsign if wearer else "", self._parent)

    def decide(self, camera: Camera, alarm: Alarm | None = None) -> Decision:
        return self.access.decide(camera, alarm)

    def request(self, camera: Camera, via: str, on_allowed: Callable[[], object],
                alarm: Alarm | None = None) -> bool:
        """Show `camera` through `on_allowed` once the law allows it (see BodyCamAccess).
        False: refused or cancelled, nothing will be shown."""
        return self.access.request(camera, via, on_allowed, self._ask, alarm)
