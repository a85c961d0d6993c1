"""The alarm queue: a filter bar above the sorted table, driven from the keyboard.

Keys (table focused): Up/Down move · A or Space acknowledge · S assign (picker) · C close
(outcome + note) · N note · Enter open (lays the alarm's cameras on the wall) ·
F2 or Ctrl+F, from anywhere in the window: find/filter (Esc clears the search, Esc again or
Down returns to the table). The same actions are buttons
(key shown) and the table's context menu. The selection follows the alarm, not the row:
re-sorting keeps it on the same alarm; when the selected alarm leaves the view (closed), the
cursor goes to its neighbour.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.model import Alarm, AlarmState, AlarmType
from app.ui.alarm_actions import AlarmActions
from app.ui.alarm_model import AlarmTableModel, Column
from app.ui.alarm_proxy import AlarmFilterProxy
from app.ui.labels import alarm_state_label, key_name
from app.ui.world import World
from widgets.alarms.dialogs import AssignDialog, CloseDialog, NoteDialog
from widgets.alarms.table import AlarmTable
from widgets.alarms.type_filter import TypeFilter

MESSAGE_MS = 10_000
TOGGLE_STYLE = ("QToolButton:checked { background: palette(highlight);"
                " color: palette(highlighted-text); }")
COLUMN_WIDTHS = {Column.PRIORITY: 58, Column.WAITING: 70, Column.TYPE: 165, Column.TITLE: 320,
                 Column.STATE: 110, Column.ASSIGNED: 100, Column.RAISED: 80, Column.ID: 56}


class _WideningLabel(QLabel):
    """A label that only ever grows: counts that change with every batch of a storm do not
    move what sits beside it (each move costs a second repaint)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widest = 0

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        self._widest = max(self._widest, hint.width())
        return QSize(self._widest, hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.FontChange):
            self._widest = 0  # other words, other widths
        super().changeEvent(event)


class AlarmQueueWidget(QWidget):
    alarm_selected = Signal(object)  # Alarm: the operator moved to another alarm
    alarm_opened = Signal(object)  # Alarm: Enter / double-click / "Open"
    # Alarm: the operator chose it (keys or mouse, even the row already current); not
    # emitted when the desk takes the first alarm by itself or the map selects one
    alarm_picked = Signal(object)
    # the filters hide every alarm: no alarm is selected any more (the detail empties)
    selection_cleared = Signal()

    def __init__(self, model: AlarmTableModel, actions: AlarmActions | None, world: World,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarm-queue")
        self.model = model
        self.proxy = AlarmFilterProxy(model, self)
        self.commands = actions
        self.world = world
        # a position older than this gives no distance (the site's map.stale_after_s)
        self.stale_after_s: float | None = 60.0
        self.dialog: AssignDialog | CloseDialog | NoteDialog | None = None
        self._current_id: str | None = None
        self._more_actions: list[QAction] = []
        self._programmatic = False  # the current row is being set by code, not the operator
        # Rows leaving the view (the selected alarm closed, or filtered out) move the current
        # row to a neighbour: Qt's doing, not the operator's pick. Connected before the view
        # exists, so this runs before its selection model moves the current row.
        self.proxy.rowsAboutToBeRemoved.connect(self._rows_leaving)
        self.proxy.rowsRemoved.connect(self._rows_left)
        self._current_at_press: str | None = None
        self._acknowledging: set[str] = set()  # sent, not yet back through the bridge
        self.blocked = ""  # why no command can be sent now (a seat without its database)
        self.may_act = True  # the signed-in person's role handles alarms (a viewer does not)

        self._build_filter_bar()
        self.view = AlarmTable(self)
        self.view.setObjectName("alarm-table")
        self.view.installEventFilter(self)  # a blocked command's key says why (eventFilter)
        self._setup_view()
        self._build_actions()
        self.message = QLabel(self)
        self.message.setObjectName("alarm-message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("QLabel { background: #b71c1c; color: white;"
                                   " padding: 4px 8px; font-weight: bold; }")
        self.message.hide()
        self._message_timer = QTimer(self)
        self._message_timer.setObjectName("alarm-message-timeout")
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.message.hide)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(self.filter_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(self.action_bar)

        model.upserted.connect(self._on_upserted)  # at most once a desk-clock tick
        self.proxy.settled.connect(self._ensure_current)
        self.proxy.filters_changed.connect(self._update_counts)
        if actions is not None:
            actions.failed.connect(self.show_message)
            actions.failed.connect(lambda _m: self._acknowledging.clear())
        self.retranslate()
        self._update_action_states()
        self._update_counts()

    # -- construction ---------------------------------------------------------------------
    def _build_filter_bar(self) -> None:
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setObjectName("alarm-search")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        self.search.installEventFilter(self)
        bar.addWidget(self.search, 2)

        self.type_filter = TypeFilter(self, self.model.type_label, self.proxy.set_types)
        self.type_button = self.type_filter.button
        self.type_menu = self.type_filter.menu
        self.type_actions = self.type_filter.actions
        bar.addWidget(self.type_button)

        self.state_buttons: dict[AlarmState, QToolButton] = {}
        for s in AlarmState:
            b = QToolButton(self)
            b.setObjectName(f"state-{s.value}")
            b.setCheckable(True)
            b.setStyleSheet(TOGGLE_STYLE)
            b.setChecked(s in self.proxy.states)
            b.toggled.connect(lambda _on: self._states_from_buttons())
            self.state_buttons[s] = b
            bar.addWidget(b)

        self.priority_combo = QComboBox(self)
        self.priority_combo.setObjectName("alarm-priority-filter")
        # sized to its texts in the language shown (they change length on a live switch)
        self.priority_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        for p in (4, 1, 2, 3):
            self.priority_combo.addItem("", p)
        self.priority_combo.currentIndexChanged.connect(
            lambda _i: self.proxy.set_max_priority(int(self.priority_combo.currentData())))
        bar.addWidget(self.priority_combo)

        # The counts and the "N new hidden by the filter" note live on their own line under
        # the table (see _build_actions): in the filter bar, the note appearing pushed the
        # buttons aside and the operator's next click landed on the neighbour.
        self.counts = _WideningLabel(self)
        self.counts.setObjectName("alarm-counts")
        self.counts.setTextFormat(Qt.TextFormat.RichText)
        bar.addStretch(1)
        self.filter_bar = bar

    def _setup_view(self) -> None:
        v = self.view
        v.set_proxy(self.proxy)
        v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        v.setSortingEnabled(False)  # the order is the queue's rule, not a click on a header
        v.setWordWrap(False)
        v.setShowGrid(False)
        v.setAlternatingRowColors(True)
        v.setTabKeyNavigation(False)
        v.verticalHeader().hide()
        vh = v.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row size hints
        vh.setDefaultSectionSize(max(26, v.fontMetrics().height() + 10))
        h = v.horizontalHeader()
        h.setHighlightSections(False)
        for col, width in COLUMN_WIDTHS.items():
            h.resizeSection(col, width)
        h.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        v.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        v.customContextMenuRequested.connect(self._context_menu)
        v.doubleClicked.connect(lambda _i: self.open_current())
        v.pressed.connect(lambda _i: setattr(self, "_current_at_press", self._current_id))
        v.clicked.connect(self._on_clicked)
        v.selectionModel().currentRowChanged.connect(self._on_current_row)

    def _action(self, slot: Callable[[], None], keys: list[QKeySequence],
                context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetShortcut,
                owner: QWidget | None = None) -> QAction:
        act = QAction(self)
        act.setShortcuts(keys)
        act.setShortcutContext(context)
        act.setShortcutVisibleInContextMenu(True)
        act.triggered.connect(lambda _c=False: slot())
        (owner or self.view).addAction(act)
        return act

    def add_context_action(self, action: QAction) -> None:
        """An action of another part of the console on the current alarm (e.g. replay it),
        offered in the alarm's context menu while it is visible."""
        self._more_actions.append(action)

    def _build_actions(self) -> None:
        K = QKeySequence
        self.act_ack = self._action(self.acknowledge_current,
                                    [K(Qt.Key.Key_A), K(Qt.Key.Key_Space)])
        self.act_assign = self._action(self.assign_current, [K(Qt.Key.Key_S)])
        self.act_close = self._action(self.close_current, [K(Qt.Key.Key_C)])
        self.act_note = self._action(self.note_current, [K(Qt.Key.Key_N)])
        self.act_open = self._action(self.open_current,
                                     [K(Qt.Key.Key_Return), K(Qt.Key.Key_Enter)])
        # the window's key, wherever the focus is (a tile, the map, a filter button)
        self.act_find = self._action(self.focus_filter, [K(Qt.Key.Key_F2), K("Ctrl+F")],
                                     Qt.ShortcutContext.WindowShortcut, self)
        self.action_bar = QHBoxLayout()
        self.action_bar.addWidget(self.counts)
        self.action_buttons: list[QToolButton] = []
        for act in self.command_actions():
            b = QToolButton(self)
            b.setDefaultAction(act)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.action_buttons.append(b)
            self.action_bar.addWidget(b)
        self.action_bar.addStretch(1)

    def command_actions(self) -> list[QAction]:
        """Acknowledge, assign, close, note, open: for menus and the detail panel's buttons."""
        return [self.act_ack, self.act_assign, self.act_close, self.act_note, self.act_open]

    def add_tool(self, action: QAction) -> QToolButton:
        """Put another action at the right end of the filter bar (e.g. the mute toggle)."""
        b = QToolButton(self)
        b.setDefaultAction(action)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.filter_bar.addWidget(b)
        return b

    def set_command_buttons_visible(self, visible: bool) -> None:
        """Hide the button row when another widget shows the same actions (the detail)."""
        for b in self.action_buttons:
            b.setVisible(visible)

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        texts = [
            (self.act_ack, self.tr("Acknowledge")),
            (self.act_assign, self.tr("Assign…")),
            (self.act_close, self.tr("Close…")),
            (self.act_note, self.tr("Note…")),
            (self.act_open, self.tr("Open cameras")),
            (self.act_find, self.tr("Find")),
        ]
        for act, text in texts:
            key = key_name(act.shortcut())  # the name the menus show, in this language
            act.setText(text)
            act.setIconText(self.tr("{0} ({1})").format(text.rstrip("…"), key))
            act.setToolTip(self.tr("{0} — key {1}").format(text, key))
        for act in (self.act_ack, self.act_assign, self.act_close, self.act_note):
            if self.blocked:  # a greyed button says why it cannot act
                act.setToolTip(self.blocked)
        self.search.setPlaceholderText(
            self.tr("Find an alarm ({0})").format(key_name(self.act_find.shortcut())))
        for s, b in self.state_buttons.items():
            b.setText(alarm_state_label(s))
            b.setToolTip(self.tr("Show the alarms in state “{0}”").format(alarm_state_label(s)))
        for i, text in enumerate((self.tr("All priorities"), self.tr("P1 only"),
                                  self.tr("P1–P2"), self.tr("P1–P3"))):
            self.priority_combo.setItemText(i, text)
        self.model.retranslate()
        self.type_filter.retranslate()  # after the model: it names the types
        self._update_counts()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- selection ------------------------------------------------------------------------
    def current_alarm(self) -> Alarm | None:
        """The selected alarm in its latest state."""
        return self.model.alarm(self._current_id) if self._current_id else None

    def select_alarm(self, alarm_id: str) -> bool:
        """Select an alarm by id (e.g. clicked on the map). False when filtered out."""
        row = self.proxy.row_of(alarm_id)
        if row is None:
            return False
        idx = self.proxy.index(row, 0)
        self._set_current(idx)
        self.view.scrollTo(idx)
        return True

    def _set_current(self, idx: QModelIndex) -> None:
        self._programmatic = True
        try:
            self.view.setCurrentIndex(idx)
        finally:
            self._programmatic = False

    def _rows_leaving(self, *_: object) -> None:
        self._programmatic = True

    def _rows_left(self, *_: object) -> None:
        self._programmatic = False

    def _on_clicked(self, index: QModelIndex) -> None:
        """A click on the row that was already current picks it again (a click that moved
        the selection has picked it through the row change)."""
        alarm = self.proxy.alarm_at(index.row())
        if alarm is not None and alarm.id == self._current_at_press == self._current_id:
            self.alarm_picked.emit(alarm)

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():  # nothing left in view: keys must not act on a hidden alarm
            self._current_id = None
            self._update_action_states()
            self.selection_cleared.emit()
            return
        sel = self.view.selectionModel()
        if not sel.isRowSelected(current.row(), QModelIndex()):
            flags = QItemSelectionModel.SelectionFlag
            sel.select(current, flags.ClearAndSelect | flags.Rows)
        alarm = self.proxy.alarm_at(current.row())
        if alarm is None or alarm.id == self._current_id:
            return
        self._current_id = alarm.id
        self._update_action_states()
        self.alarm_selected.emit(alarm)
        if not self._programmatic:
            self.alarm_picked.emit(alarm)

    def _ensure_current(self) -> None:
        """The rows changed and none is current: after a filter change, the same alarm (or
        the row where it would be); when the first alarms arrive, the most urgent one."""
        if self.view.currentIndex().isValid():
            return
        rows = self.proxy.rowCount()
        if not rows:
            if self._current_id is not None:  # nothing left in view
                self._on_current_row(QModelIndex(), QModelIndex())
            return
        row = 0 if self._current_id is None else min(
            self.proxy.nearest_row(self._current_id), rows - 1)
        idx = self.proxy.index(row, 0)
        self._set_current(idx)
        if row:
            self.view.scrollTo(idx)

    def _on_upserted(self, alarms: list[Alarm]) -> None:
        if self._acknowledging:
            self._acknowledging.difference_update(
                a.id for a in alarms if a.state is not AlarmState.NEW)
        self._update_action_states()
        self._update_counts()

    def _update_action_states(self) -> None:
        a = self.current_alarm()
        can_act = a is not None and self.commands is not None and not self.blocked \
            and self.may_act
        self.act_ack.setEnabled(can_act and a is not None and a.state is AlarmState.NEW)
        self.act_assign.setEnabled(can_act and a is not None and a.is_open)
        self.act_close.setEnabled(can_act and a is not None and a.is_open)
        self.act_note.setEnabled(can_act)
        self.act_open.setEnabled(a is not None)

    def set_may_act(self, allowed: bool) -> None:
        """Whether the person signed in may handle alarms: a read-only viewer sees the queue
        without its commands (the one who acts refuses them anyway)."""
        self.may_act = allowed
        for act in (self.act_ack, self.act_assign, self.act_close, self.act_note):
            act.setVisible(allowed)
        self._update_action_states()

    def set_blocked(self, reason: str) -> None:
        """`reason` (plain words): acknowledging, assigning, closing and notes cannot be sent
        now, and their buttons are greyed with it as their tip; "" when they can again."""
        if reason != self.blocked:
            self.blocked = reason
            self.retranslate()
            self._update_action_states()

    # -- commands -------------------------------------------------------------------------
    def acknowledge_current(self) -> None:
        a = self.current_alarm()
        if a is None or self.commands is None or a.id in self._acknowledging:
            return  # a double press is one acknowledgement, not an error message
        self._acknowledging.add(a.id)
        self.commands.acknowledge(a.id)

    def assign_current(self) -> None:
        a = self.current_alarm()
        if a is None or self.commands is None:
            return
        if not self.world.officers:
            self.show_message(self.tr("No officer is known yet: nobody to assign"))
            return
        self._open_dialog(AssignDialog(a, self.world, self, stale_after_s=self.stale_after_s),
                          self._assigned)

    def close_current(self) -> None:
        a = self.current_alarm()
        if a is not None and self.commands is not None:
            self._open_dialog(CloseDialog(a, self), self._closed)

    def note_current(self) -> None:
        a = self.current_alarm()
        if a is not None and self.commands is not None:
            self._open_dialog(NoteDialog(a, self), self._noted)

    def open_current(self) -> None:
        a = self.current_alarm()
        if a is not None:
            self.alarm_opened.emit(a)

    def focus_filter(self) -> None:
        """F2 from anywhere: the alarm dock comes forward (it may be a tab behind another),
        then the search takes the keys."""
        dock = self.parentWidget()
        while dock is not None and not isinstance(dock, QDockWidget):
            dock = dock.parentWidget()
        if dock is not None:
            dock.show()
            dock.raise_()
        self.window().activateWindow()  # F2 from another window (the second wall)
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _open_dialog(self, dialog: AssignDialog | CloseDialog | NoteDialog,
                     on_accept: Callable[[AssignDialog | CloseDialog | NoteDialog], None]
                     ) -> None:
        if self.dialog is not None:
            self.dialog.reject()
        self.dialog = dialog

        def finished(result: int) -> None:
            if self.dialog is not dialog:
                return  # already handled
            self.dialog = None
            dialog.deleteLater()
            self.window().activateWindow()  # back to the queue, as a window manager would
            self.view.setFocus()
            if result == int(CloseDialog.DialogCode.Accepted):
                on_accept(dialog)

        dialog.finished.connect(finished)
        dialog.open()
        dialog.raise_()
        dialog.activateWindow()  # keys go to the dialog, not to the queue behind it

    def _assigned(self, dialog: AssignDialog | CloseDialog | NoteDialog) -> None:
        if not isinstance(dialog, AssignDialog) or self.commands is None:
            return
        officer = dialog.officer_id()
        if officer is not None:
            self.commands.assign(dialog.alarm.id, officer)

    def _closed(self, dialog: AssignDialog | CloseDialog | NoteDialog) -> None:
        if not isinstance(dialog, CloseDialog) or self.commands is None:
            return
        outcome = dialog.outcome()
        if outcome is not None:
            self.commands.close(dialog.alarm.id, outcome, dialog.note_text())

    def _noted(self, dialog: AssignDialog | CloseDialog | NoteDialog) -> None:
        if not isinstance(dialog, NoteDialog) or self.commands is None:
            return
        if dialog.note_text():
            self.commands.note(dialog.alarm.id, dialog.note_text())

    def show_message(self, text: str) -> None:
        """A failure in plain words, under the table, for a few seconds."""
        self.message.setText(text)
        self.message.show()
        self._message_timer.start(MESSAGE_MS)

    # -- filters --------------------------------------------------------------------------
    def set_type_filter(self, types: set[AlarmType] | None) -> None:
        self.type_filter.set_types(types)

    def set_state_filter(self, states: set[AlarmState]) -> None:
        for s, b in self.state_buttons.items():
            b.blockSignals(True)
            b.setChecked(s in states)
            b.blockSignals(False)
        self._states_from_buttons()

    def set_priority_filter(self, max_priority: int) -> None:
        self.priority_combo.setCurrentIndex(self.priority_combo.findData(max_priority))

    def _states_from_buttons(self) -> None:
        self.proxy.set_states({s for s, b in self.state_buttons.items() if b.isChecked()})

    def _counts_text(self, new: int, open_: int, hidden: int) -> str:
        parts = [self.tr("{0} open").format(open_)]
        if new:
            parts.insert(0, "<b style='color:#ff5252'>" + self.tr("{0} new").format(new) + "</b>")
        if hidden:
            parts.append("<b style='color:#ff5252'>" + self.tr("{0} new hidden by the filter")
                         .format(hidden) + "</b>")
        return " · ".join(parts)

    def _update_counts(self) -> None:
        hidden = 0 if self.proxy.is_default() else self.proxy.hidden_new_count()
        text = self._counts_text(self.model.new_count(), self.model.open_count(), hidden)
        if text != self.counts.text():
            self.counts.setText(text)

    # -- events ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the search: Escape clears it (a second Escape, or Down, goes to the table).
        In the table, a command's key while commands are blocked says why, rather than
        nothing (or the table's type-ahead) happening."""
        if (watched is self.view and self.blocked and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and self._is_command_key(event)):
            self.show_message(self.blocked)
            return True
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_Down)):
            if event.key() == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
            else:
                self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return True
        return super().eventFilter(watched, event)

    def _is_command_key(self, event: QKeyEvent) -> bool:
        key = QKeySequence(event.keyCombination())
        return any(key.matches(k) == QKeySequence.SequenceMatch.ExactMatch
                   for act in (self.act_ack, self.act_assign, self.act_close, self.act_note)
                   for k in act.shortcuts())

    def _context_menu(self, pos: QPoint) -> None:
        idx = self.view.indexAt(pos)
        if idx.isValid():
            self.view.setCurrentIndex(idx)
        menu = QMenu(self)
        for act in self.command_actions():
            menu.addAction(act)
        more = [a for a in self._more_actions if a.isVisible()]
        if more:
            menu.addSeparator()
            menu.addActions(more)
        menu.popup(self.view.viewport().mapToGlobal(pos))
        menu.aboutToHide.connect(menu.deleteLater)
