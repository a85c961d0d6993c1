"""Where a tile's picture goes, and the rule that keeps a native video window on its tile.

An engine's view is either a native child window (libvlc draws into its X window / HWND)
or a plain painted widget (OpenCV). Qt places a native child window only when that
child's own geometry changes or when it is shown: seen here (PySide6 6.x, xcb), when a
layout moves a tile without changing its size (1+12 → 2x2: the big tile keeps its size
and goes from the centre to the corner), the video window stayed where the tile had been,
over its neighbours, showing a camera under another tile's name; a view left by a
`QStackedLayout` a few pixels off inside a tile that shrank did the same at a smaller
scale. So the surface places its views itself and, whenever the surface or any of its
ancestors moves or changes size, puts each native window back on the surface (the X
server then has nothing stale to show). A hidden surface unmaps its native views
(Qt hides native children of a hidden widget), so a tile without a picture shows none.

A video output that starts while its window is being resized can miss the resize: seen
about once in seven full test runs (libvlc 3.0.24, xcb, under load), a tile shown by a
layout change (1+7 → 4x4) began to play at the size its hidden surface had kept, the
layout then gave it its new size, and libvlc drew the picture at the old, smaller size
in the top-left corner for good. So once the engine shows its first picture, the tile
calls `nudge_native_views()`: the native window is resized by one pixel and back, which
sends the window system's configure events again (two, each with a size), now that the
output is there to take them. Once per attempt, never per frame.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QSizePolicy, QWidget

_GEOMETRY_EVENTS = (QEvent.Type.Move, QEvent.Type.Resize, QEvent.Type.Show,
                    QEvent.Type.ParentChange)


class Surface(QFrame):
    """Holds each engine's view, one shown at a time, always exactly over the surface;
    black where the picture does not reach."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor("black"))
        self.setPalette(pal)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._views: list[QWidget] = []
        self._current: QWidget | None = None
        self._watched: list[QWidget] = []

    # --- the views ----------------------------------------------------------------------

    def add_view(self, view: QWidget) -> None:
        """Take an engine's view (made with this surface as parent)."""
        if view in self._views:
            return
        view.setParent(self)
        self._views.append(view)
        view.setGeometry(self.rect())
        view.setVisible(view is self._current)

    def set_current(self, view: QWidget) -> None:
        """Show `view` (hide the other engines' views)."""
        self.add_view(view)
        self._current = view
        for other in self._views:
            if other is not view:
                other.hide()
        view.setGeometry(self.rect())
        view.show()
        self.place_native_views()

    def current(self) -> QWidget | None:
        return self._current

    def place_native_views(self) -> None:
        """Put every native view's window exactly over the surface (no-op when it is)."""
        for view in self._views:
            if view.geometry() != self.rect():
                view.setGeometry(self.rect())
            window = view.windowHandle()
            native_parent = view.nativeParentWidget()
            if window is None or native_parent is None:
                continue
            want = QRect(view.mapTo(native_parent, QPoint(0, 0)), view.size())
            if window.geometry() != want:
                window.setGeometry(want)

    def nudge_native_views(self) -> None:
        """Make the current native view's window system send its size again (one pixel
        narrower, then exact): for a video output that missed a resize while starting."""
        view = self._current
        if view is None or not self.isVisible():
            return
        window = view.windowHandle()
        native_parent = view.nativeParentWidget()
        if window is None or native_parent is None:
            return  # a painted view (OpenCV) follows its widget: nothing to miss
        want = QRect(view.mapTo(native_parent, QPoint(0, 0)), self.size())
        if want.width() < 2:
            return
        window.setGeometry(want.adjusted(0, 0, -1, 0))
        window.setGeometry(want)

    # --- following the ancestors ------------------------------------------------------------

    def _watch_ancestors(self) -> None:
        """Filter geometry events of every ancestor below the window (they move the
        surface without telling it)."""
        chain: list[QWidget] = []
        w = self.parentWidget()
        while w is not None and not w.isWindow():
            chain.append(w)
            w = w.parentWidget()
        if chain == self._watched:
            return
        for old in self._watched:
            old.removeEventFilter(self)
        for new in chain:
            new.installEventFilter(self)
        self._watched = chain

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _GEOMETRY_EVENTS and self._views:
            if kind == QEvent.Type.ParentChange:
                self._watch_ancestors()
            if self.isVisible():
                self.place_native_views()
        return False

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        handled = super().event(event)
        if kind in _GEOMETRY_EVENTS:
            self._watch_ancestors()
            if self._views and self.isVisible():
                self.place_native_views()
        return handled
