"""Console > Quit (Ctrl+Q), and the question asked before the console is closed with alarms
still open: how many, of which priority, and what stops or keeps running once it is closed.

Only the operator's own closing asks (Ctrl+Q, the menu, the window's close button): a
closing by the program itself (end of a timed demo run, a test, the session ending) does
not wait for an answer nobody is there to give.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox, QWidget

from app.core.model import Alarm
from app.ui.labels import priority_label
from widgets.keyboard import give_back_keys


def open_alarm_counts(alarms: Iterable[Alarm]) -> Counter[int]:
    """Open alarms by priority."""
    return Counter(a.priority for a in alarms if a.is_open)


class QuitGuard(QObject):
    """The Console menu's Quit, and the question. `open_alarms()`: the alarms as the alarm
    service holds them now. `seat_of_a_room`: this console is one seat of a room whose
    alarm service runs elsewhere (then the alarms keep being received without it)."""

    def __init__(self, window: QWidget, open_alarms: Callable[[], Iterable[Alarm]], *,
                 seat_of_a_room: bool = False) -> None:
        super().__init__(window)
        self._window = window
        self._open_alarms = open_alarms
        self.seat_of_a_room = seat_of_a_room
        self._confirmed = False
        self.menu = QMenu(window)
        self.menu.setObjectName("console-menu")
        self.quit_action = QAction(self)
        self.quit_action.setObjectName("quit")
        # Ctrl+Q itself: QKeySequence.StandardKey.Quit is empty on Windows
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        # from any window of the console (the second wall too), whatever has the focus
        self.quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.quit)
        self.menu.addAction(self.quit_action)
        window.addAction(self.quit_action)
        self.question: QMessageBox | None = None
        self.retranslate()

    def retranslate(self) -> None:
        """Called by the window on a language change (a QObject gets no changeEvent)."""
        self.menu.setTitle(self.tr("&Console"))
        self.quit_action.setText(self.tr("&Quit"))

    # -- the question ---------------------------------------------------------------------
    def texts(self, counts: Counter[int]) -> tuple[str, str]:
        """(what is open, what closing does)."""
        by_priority = ", ".join(f"{priority_label(p)}: {n}" for p, n in sorted(counts.items()))
        head = self.tr("Open alarms: %1 (%2).").replace("%1", str(counts.total())).replace(
            "%2", by_priority)
        if self.seat_of_a_room:
            what = self.tr("The alarm service and the other workstations keep these alarms. "
                           "On this workstation the alarm sounds and the video wall stop.")
        else:
            what = self.tr("This workstation receives the site's alarms itself: once it is "
                           "closed, no new alarm is received or signalled until it is started "
                           "again, and its alarm sounds and video wall stop. Open alarms stay "
                           "in the journal and come back at the next start.")
        return head, what

    def may_close(self) -> bool:
        """True: nothing open, or the operator confirmed. Asked once per closing."""
        if self._confirmed:
            return True
        counts = open_alarm_counts(self._open_alarms())
        if not counts:
            return True
        head, what = self.texts(counts)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Quit CSU Console?"), head,
                          QMessageBox.StandardButton.NoButton, self._window)
        box.setObjectName("quit-question")
        box.setInformativeText(what)
        quit_button = box.addButton(self.tr("Quit"), QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton(self.tr("Keep working"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)  # Enter keeps the console open
        box.setEscapeButton(stay)
        self.question = box
        try:
            box.exec()
            return box.clickedButton() is quit_button
        finally:
            self.question = None
            box.deleteLater()
            give_back_keys(self._window)

    def quit(self) -> None:
        """Ctrl+Q / Console > Quit: ask, then close the window and end the application."""
        if not self.may_close():
            return
        self._confirmed = True
        if self._window.close():
            QApplication.quit()
        else:
            self._confirmed = False

    def on_close(self, event: QCloseEvent) -> bool:
        """From the window's closeEvent: False (event ignored) when the operator chose to
        keep working. Only the operator's own closing (a spontaneous event) asks."""
        if event.spontaneous() and not self.may_close():
            event.ignore()
            return False
        return True
