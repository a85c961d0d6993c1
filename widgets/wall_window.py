"""A second wall in its own top-level window, for another monitor.

Where it was (which screen, its geometry, full screen or not) is saved per user and put
back at start: an operator's monitors do not move between shifts. If the screen it was on
is gone (a monitor unplugged), it opens on the primary screen rather than off-screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QMenuBar, QVBoxLayout, QWidget

from widgets.placement import restore_placement, save_placement
from widgets.video.wall import VideoWall


class WallWindow(QWidget):
    closed = Signal()

    def __init__(self, key: str = "wall2", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.key = key
        self.setObjectName(f"{key}-window")
        self.wall = VideoWall(self)
        self.wall.setObjectName(key)  # drags between walls name their wall
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.wall)
        full = QShortcut(QKeySequence(Qt.Key.Key_F11), self)
        full.activated.connect(self.toggle_full_screen)
        leave = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        leave.activated.connect(self._leave_full_screen)
        self.retranslate()

    def attach_menu(self, menu: QMenu) -> None:
        """The console's Wall menu here too, and its shortcuts working in this window
        (window shortcuts only fire in the window that holds the action)."""
        bar = QMenuBar(self)
        bar.addMenu(menu)
        layout = self.layout()
        assert layout is not None
        layout.setMenuBar(bar)
        self.addActions(menu.actions())

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("CSU Console — second wall"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def _leave_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()

    # --- placement ------------------------------------------------------------------------

    def save_placement(self, s: QSettings) -> None:
        save_placement(self, s, self.key)

    def show_placed(self, s: QSettings) -> None:
        """Show where it was last time, or on a first start (or its screen gone) in the
        middle of the primary screen."""
        if restore_placement(self, s, self.key):
            return
        area = QGuiApplication.primaryScreen().availableGeometry()
        self.setGeometry(area.adjusted(area.width() // 8, area.height() // 8,
                                       -area.width() // 8, -area.height() // 8))
        self.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)
