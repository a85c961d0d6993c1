"""The alarm queue's type filter: a menu that stays open while types are ticked (before, it
closed at each tick: seven openings to show one type), with "All types" and "No type".

Its button keeps one width whatever it reads ("All types", one type's name, "3 types"), so
that neither it nor the buttons beside it move when the filter changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from app.core.model import AlarmType

KEEP_OPEN = "keepOpen"  # an action property: triggering it leaves the menu open


class StayOpenMenu(QMenu):
    """A menu whose checkable entries (and entries marked KEEP_OPEN) act without closing
    it: a click or Space ticks; Enter ticks and closes, Escape closes."""

    def _keeps_open(self, action: QAction | None) -> bool:
        return action is not None and action.isEnabled() and (
            action.isCheckable() or bool(action.property(KEEP_OPEN)))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        action = self.actionAt(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and self._keeps_open(action):
            assert action is not None
            action.trigger()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.activeAction()
        if event.key() == Qt.Key.Key_Space and self._keeps_open(action):
            assert action is not None
            action.trigger()
            event.accept()
            return
        super().keyPressEvent(event)


class _WidestTextButton(QToolButton):
    """As wide as the widest of its possible texts, in its font of the moment."""

    def __init__(self, texts: Callable[[], list[str]], parent: QWidget) -> None:
        super().__init__(parent)
        self._texts = texts

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        fm = self.fontMetrics()  # measured as QToolButton measures its own text

        def width(text: str) -> int:
            return fm.size(Qt.TextFlag.TextShowMnemonic, text).width()

        extra = max((width(t) for t in self._texts()), default=0) - width(self.text())
        return QSize(hint.width() + max(0, extra), hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class TypeFilter:
    """The button and its menu. `changed(types)`: the ticked types (None: all)."""

    def __init__(self, parent: QWidget, label: Callable[[AlarmType], str],
                 changed: Callable[[set[AlarmType] | None], None]) -> None:
        self._label = label
        self._changed = changed
        self.button = _WidestTextButton(self._candidates, parent)
        self.button.setObjectName("alarm-type-filter")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = StayOpenMenu(parent)
        self.menu.setObjectName("alarm-type-menu")
        self.all_action = self._command(lambda: self.set_types(None))
        self.none_action = self._command(lambda: self.set_types(set()))
        self.menu.addSeparator()
        self.actions: dict[AlarmType, QAction] = {}
        for t in AlarmType:
            act = self.menu.addAction("")
            act.setCheckable(True)
            act.setChecked(True)
            act.toggled.connect(lambda _on: self._emit())
            self.actions[t] = act
        self.button.setMenu(self.menu)

    def _command(self, slot: Callable[[], None]) -> QAction:
        act = self.menu.addAction("")
        act.setProperty(KEEP_OPEN, True)
        act.triggered.connect(lambda _c=False: slot())
        return act

    def chosen(self) -> set[AlarmType] | None:
        types = {t for t, act in self.actions.items() if act.isChecked()}
        return None if len(types) == len(self.actions) else types

    def set_types(self, types: Iterable[AlarmType] | None) -> None:
        wanted = None if types is None else set(types)
        for t, act in self.actions.items():
            act.blockSignals(True)
            act.setChecked(wanted is None or t in wanted)
            act.blockSignals(False)
        self._emit()

    def _emit(self) -> None:
        self.button.setText(self.text_for(self.chosen()))
        self._changed(self.chosen())

    # The queue's translation context, written out literally so that lupdate finds them.
    @staticmethod
    def _all() -> str:
        return QCoreApplication.translate("AlarmQueueWidget", "All types")

    @staticmethod
    def _none() -> str:
        return QCoreApplication.translate("AlarmQueueWidget", "No type")

    @staticmethod
    def _some(n: int) -> str:
        return QCoreApplication.translate("AlarmQueueWidget", "{0} types").format(n)

    def text_for(self, types: set[AlarmType] | None) -> str:
        if types is None:
            return self._all()
        if not types:
            return self._none()
        if len(types) == 1:
            return self._label(next(iter(types)))
        return self._some(len(types))

    def _candidates(self) -> list[str]:
        return [self._all(), self._none(), self._some(len(self.actions)),
                *(self._label(t) for t in self.actions)]

    def retranslate(self) -> None:
        """Texts in the language shown (the button's width follows its widest text)."""
        self.all_action.setText(self._all())
        self.none_action.setText(self._none())
        for t, act in self.actions.items():
            act.setText(self._label(t))
        self.button.setText(self.text_for(self.chosen()))
        self.button.updateGeometry()
