"""A seat's link to its room where the operator cannot miss it.

A red band across the top of the window while the room's database or its console service
cannot be reached: what is lost, since when, what it means for the operator (what is shown
is no longer updated / no new alarm arrives) and that the seat reconnects by itself. A chip
in the status bar says the same in two words, and says so when the link is back. A console
that is not a seat of a room (no room ever spoke) shows neither.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QEvent, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.core.events import RoomStatus
from app.ui.labels import local_time, room_problem_label

LOST_STYLE = "background:#b71c1c; color:white; font-weight:bold;"
PROBLEM_MAX = 160  # characters of the problem shown in the band


def database_lost_text(status: RoomStatus) -> str:
    text = QCoreApplication.translate(
        "RoomBanner", "The room's database cannot be reached since {0}: what you see is no "
        "longer updated, and alarms cannot be acknowledged, assigned, closed or noted until "
        "it is back. Reconnecting…").format(local_time(status.since))
    return _with_problem(text, status)


def service_lost_text(status: RoomStatus) -> str:
    since = local_time(status.since)
    if status.service:
        text = QCoreApplication.translate(
            "RoomBanner", "The console service (on {0}) has not answered since {1}: no new "
            "alarm reaches the room from the sources. Alarms already shown can still be "
            "handled.").format(status.service, since)
    else:
        text = QCoreApplication.translate(
            "RoomBanner", "The console service has not answered since {0}: no new alarm "
            "reaches the room from the sources. Alarms already shown can still be handled."
        ).format(since)
    return _with_problem(text, status)


def _with_problem(text: str, status: RoomStatus) -> str:
    """The problem's first line, cut short: a driver's error runs over several lines (the
    whole of it is the band's tooltip)."""
    problem = short_problem(status.problem)
    if not problem:
        return text
    return QCoreApplication.translate("RoomBanner", "{0} ({1})").format(text, problem)


def short_problem(problem: str) -> str:
    first = problem.strip().splitlines()[0].strip() if problem.strip() else ""
    first = room_problem_label(first)
    return first if len(first) <= PROBLEM_MAX else first[: PROBLEM_MAX - 1].rstrip() + "…"


def commands_blocked_reason(status: RoomStatus) -> str:
    """Why an alarm cannot be acted on now ("" when it can): only the database matters,
    the service being away does not stop the operator's actions."""
    if status.database_ok:
        return ""
    return QCoreApplication.translate(
        "RoomBanner", "The room's database cannot be reached since {0}: alarms cannot be "
        "acted on until it is back.").format(local_time(status.since))


class RoomBanner(QWidget):
    link_back = Signal(str)  # the link was lost and is back: a sentence for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("room-banner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(LOST_STYLE)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.text, 1)
        self.chip = QLabel()
        self.chip.setObjectName("room-chip")
        self.chip.setTextFormat(Qt.TextFormat.RichText)
        self.chip.hide()  # until a room speaks: a single-process console has none
        self.status: RoomStatus | None = None
        self.hide()

    def update_status(self, status: RoomStatus) -> None:
        was_lost = self.status is not None and not (
            self.status.database_ok and self.status.service_ok)
        self.status = status
        self._show()
        if was_lost and status.database_ok and status.service_ok:
            self.link_back.emit(self.tr("The room is reached again: its database and its "
                                        "console service answer; what you see is live."))

    def in_room(self) -> None:
        """The console is a seat of a room (the room listed its seats): show the chip."""
        if self.status is None:
            self.status = RoomStatus(database_ok=True, service_ok=True)
            self._show()

    def _show(self) -> None:
        s = self.status
        if s is None:
            return
        self.chip.show()
        self.setToolTip(s.problem)
        if not s.database_ok:
            self.text.setText(database_lost_text(s))
            self._chip("#e53935", self.tr("Room: database lost"), self.text.text())
        elif not s.service_ok:
            self.text.setText(service_lost_text(s))
            self._chip("#e53935", self.tr("Room: service lost"), self.text.text())
        else:
            self._chip("#43a047", self.tr("Room: connected"),
                       self.tr("The room's database and console service answer"))
            self.hide()
            return
        self.show()

    def _chip(self, colour: str, label: str, tip: str) -> None:
        self.chip.setText(f"<span style='color:{colour}'>●</span> {html.escape(label)}")
        self.chip.setToolTip(tip)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._show()
        super().changeEvent(event)
