"""Everything about the selected alarm: what, where, since when, who did what, the procedure
for its type (a checklist), the nearest officers, and the actions.

Ticking a procedure item records a note "✔ <item>" (un-ticking: "✘ <item>") through the
alarm service, so it is journaled with who and when; what is ticked is read back from the
alarm's history, so it survives a restart and shows on every seat.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedLayout,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.model import Alarm, AlarmOutcome, AlarmState, OfficerStatus, utc_now
from app.core.site import Site
from app.ui.alarm_actions import AlarmActions
from app.ui.alarm_model import PRIORITY_FILL, PRIORITY_TEXT, AlarmTableModel, Column
from app.ui.labels import (
    alarm_action_label,
    alarm_outcome_label,
    alarm_state_label,
    alarm_title,
    distance,
    elapsed,
    local_time,
    officer_status_label,
    priority_label,
)
from app.ui.procedures import Step, procedure, step_text
from app.ui.services import Responder, responders
from app.ui.world import World
from widgets.alarms.dialogs import LIST_STYLE, STATUS_COLOURS
from widgets.flow_layout import FlowLayout, fixed_height_for_width

TICK, UNTICK = "✔ ", "✘ "
DONE_GREEN = QColor("#2e7d32")
NEARBY_LIMIT = 5
NEARBY_REFRESH_MS = 1000


class _ChecklistDelegate(QStyledItemDelegate):
    """Draws the tick boxes itself: a dark palette's native box is near-invisible on a dark
    list, and an operator must see at a glance what is still to do."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        super().paint(painter, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        style = opt.widget.style() if opt.widget else QApplication.style()
        box = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, opt,
                                   opt.widget).adjusted(1, 1, -1, -1)
        state = index.data(Qt.ItemDataRole.CheckStateRole)  # an int or the enum, by binding
        checked = state is not None and Qt.CheckState(state) == Qt.CheckState.Checked
        ink = opt.palette.color(QPalette.ColorRole.Text)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if checked:
            painter.setPen(QPen(DONE_GREEN, 1.5))
            painter.setBrush(DONE_GREEN)
            painter.drawRoundedRect(box, 2, 2)
            painter.setPen(QPen(QColor("#ffffff"), 2.2))
            w, h, x, y = box.width(), box.height(), box.x(), box.y()
            painter.drawPolyline([QPointF(x + 0.22 * w, y + 0.52 * h),
                                  QPointF(x + 0.42 * w, y + 0.72 * h),
                                  QPointF(x + 0.78 * w, y + 0.28 * h)])
        else:
            painter.setPen(QPen(ink, 1.5))
            painter.setBrush(opt.palette.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(box, 2, 2)
        painter.restore()


def ticked_items(alarm: Alarm, procedure: list[str]) -> set[str]:
    """Procedure items ticked, as the alarm's history says (the last word on each wins).
    `procedure` holds the steps' keys (app.ui.procedures.Step.key)."""
    state: dict[str, bool] = {}
    wanted = set(procedure)
    for step in alarm.history:
        if step.action != "note":
            continue
        if step.detail.startswith(TICK) and step.detail[len(TICK):] in wanted:
            state[step.detail[len(TICK):]] = True
        elif step.detail.startswith(UNTICK) and step.detail[len(UNTICK):] in wanted:
            state[step.detail[len(UNTICK):]] = False
    return {item for item, on in state.items() if on}


class AlarmDetailPanel(QWidget):
    def __init__(self, model: AlarmTableModel, actions: AlarmActions | None, site: Site | None,
                 world: World, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarm-detail")
        self.model = model
        self.commands = actions
        self.site = site
        self.world = world
        self.alarm: Alarm | None = None
        self.actionable = True  # the alarm is the queue's selection (see show_alarm)
        self.blocked = ""  # why no command can be sent now (a seat without its database)
        self.action_buttons: list[QToolButton] = []  # the queue's actions (set_actions)
        self._pending: dict[tuple[str, str], bool] = {}  # (alarm id, item) -> asked state
        self._procedure: list[Step] = []
        self._rendering = False

        self.placeholder = QLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        content = QWidget(self)
        self._build(content)
        self.stack = QStackedLayout(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(content)

        self._nearby_timer = QTimer(self)
        self._nearby_timer.setObjectName("alarm-nearby-refresh")
        self._nearby_timer.setSingleShot(True)
        self._nearby_timer.setInterval(NEARBY_REFRESH_MS)
        self._nearby_timer.timeout.connect(self.refresh_nearby)
        model.upserted.connect(self._on_upserted)
        model.ticked.connect(self._on_ticked)
        if actions is not None:
            actions.failed.connect(self._on_failed)
        self.retranslate()

    # -- construction ---------------------------------------------------------------------
    def _build(self, content: QWidget) -> None:
        self.title = QLabel(content)
        self.title.setObjectName("alarm-title")
        self.title.setTextFormat(Qt.TextFormat.PlainText)  # titles come from outside
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.badges = QLabel(content)
        self.badges.setTextFormat(Qt.TextFormat.RichText)
        self.badges.setWordWrap(True)  # "escalated", "unacknowledged for 5:10": never wider
        # the command buttons wrap to a second row rather than widen the window (French
        # texts on a 1366-pixel laptop pushed it past the screen's edge)
        self.button_row = QWidget(content)
        self.buttons = FlowLayout(self.button_row, spacing=4)
        fixed_height_for_width(self.button_row)

        # Left: the procedure, always in sight (what to do next).
        self.procedure_box = QGroupBox(content)
        procedure_layout = QVBoxLayout(self.procedure_box)
        procedure_layout.setContentsMargins(4, 4, 4, 4)
        self.procedure_list = QListWidget(self.procedure_box)
        self.procedure_list.setObjectName("alarm-procedure")
        self.procedure_list.setWordWrap(True)
        self.procedure_list.setSpacing(2)
        self.procedure_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.procedure_list.itemChanged.connect(self._on_item_changed)
        self.procedure_list.setItemDelegate(_ChecklistDelegate(self.procedure_list))
        self.no_procedure = QLabel(self.procedure_box)
        self.no_procedure.setWordWrap(True)
        procedure_layout.addWidget(self.procedure_list)
        procedure_layout.addWidget(self.no_procedure)

        # Right: the nearest officers first; the history and the details a tab away.
        self.tabs = QTabWidget(content)
        self.tabs.setDocumentMode(True)
        nearby_page = QWidget(self.tabs)
        nearby_layout = QVBoxLayout(nearby_page)
        nearby_layout.setContentsMargins(0, 2, 0, 0)
        self.nearby = QTreeWidget(nearby_page)
        self.nearby.setObjectName("alarm-nearby")
        self.nearby.setRootIsDecorated(False)
        self.nearby.setStyleSheet(LIST_STYLE)
        self.nearby.setColumnCount(4)
        self.nearby.setSelectionMode(QTreeWidget.SelectionMode.NoSelection)
        self.nearby.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # The Assign buttons always fit (a 1366x768 laptop left them off the right edge):
        # name and status share what the distance and the button leave, elided if need be.
        header = self.nearby.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        for column, mode in enumerate((QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.Stretch,
                                       QHeaderView.ResizeMode.ResizeToContents,
                                       QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.nearby.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.nearby.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nearby_note = QLabel(nearby_page)
        self.nearby_note.setWordWrap(True)  # a long note must not widen the window
        nearby_layout.addWidget(self.nearby)
        nearby_layout.addWidget(self.nearby_note)
        self.assign_buttons: dict[str, QPushButton] = {}

        self.history = QTreeWidget(self.tabs)
        self.history.setObjectName("alarm-history")
        self.history.setRootIsDecorated(False)
        self.history.setColumnCount(4)
        self.history.setWordWrap(True)
        self.history.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.header().setStretchLastSection(True)

        info_page = QWidget(self.tabs)
        self.info = QFormLayout(info_page)
        self.info.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, tuple[QLabel, QLabel]] = {}
        for key in ("source", "raised", "position", "cameras", "officer", "assigned",
                    "outcome"):
            name, value = QLabel(info_page), QLabel(info_page)
            value.setTextFormat(Qt.TextFormat.PlainText)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.info.addRow(name, value)
            self.fields[key] = (name, value)
        info_scroll = QScrollArea(self.tabs)
        info_scroll.setWidgetResizable(True)
        info_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        info_scroll.setWidget(info_page)
        self.tabs.addTab(nearby_page, "")
        self.tabs.addTab(self.history, "")
        self.tabs.addTab(info_scroll, "")

        body = QSplitter(Qt.Orientation.Horizontal, content)
        body.addWidget(self.procedure_box)
        body.addWidget(self.tabs)
        body.setChildrenCollapsible(False)
        # proportions, whatever the size hints say; the nearest officers get the larger share
        # (name, status, distance and Assign side by side; the checklist wraps its lines)
        body.setSizes([800, 1200])

        layout = QVBoxLayout(content)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.badges)
        layout.addWidget(self.button_row)
        layout.addWidget(body, 1)

    def set_actions(self, actions: list[QAction]) -> None:
        """Buttons for the queue's actions (they act on the selected alarm, shown here)."""
        for act in actions:
            b = QToolButton(self.button_row)
            b.setDefaultAction(act)
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.buttons.addWidget(b)
            self.action_buttons.append(b)

    # -- showing --------------------------------------------------------------------------
    def show_alarm(self, alarm: Alarm | None, *, actionable: bool = True) -> None:
        """Show `alarm` (None: the placeholder). `actionable=False`: an alarm the queue's
        filters hide (e.g. clicked on the map): shown, but its Assign buttons and checklist
        do nothing until the queue shows it; the queue's own actions act on the queue's
        selection, never on an alarm the operator cannot see there."""
        self.alarm = alarm
        self.actionable = actionable
        self._render()

    def can_command(self) -> bool:
        """Whether a tick or an Assign button may send a command for the shown alarm."""
        return self.commands is not None and self.actionable and not self.blocked

    def set_blocked(self, reason: str) -> None:
        """`reason` (plain words): no command can be sent now; "" when they can again."""
        if reason != self.blocked:
            self.blocked = reason
            self._render()

    def _on_upserted(self, _alarms: list[Alarm]) -> None:
        if self.alarm is None:
            return
        latest = self.model.alarm(self.alarm.id)  # one look-up, however big the batch
        if latest is not None and latest is not self.alarm:
            self.alarm = latest
            self._render()

    def _on_ticked(self, first: int, _last: int, _roles: list[int]) -> None:
        if (first == Column.WAITING and self.alarm is not None
                and self.alarm.state is AlarmState.NEW and self.isVisible()):
            self._update_header()  # the waiting time, once a second

    def _on_failed(self, _message: str) -> None:
        if self._pending:  # a tick that did not make it: show what the journal holds
            self._pending.clear()
            self._render_procedure()

    def _render(self) -> None:
        a = self.alarm
        self.stack.setCurrentIndex(0 if a is None else 1)
        if a is None:
            return
        self.title.setText(alarm_title(a))
        for b in self.action_buttons:  # they act on the queue's selection, not on this one
            b.setVisible(self.actionable)
        self._update_header()
        self._set("source", f"{a.source} · {a.source_id}")
        self._set("raised", local_time(a.raised_at))
        self._set("position", f"{a.position.lat:.5f}, {a.position.lon:.5f}"
                  if a.position else self.tr("unknown"))
        cams = [self.world.cameras[c].name if c in self.world.cameras else c
                for c in a.camera_ids]
        self._set("cameras", ", ".join(cams) if cams else self.tr("none"))
        self._set("officer", self.model.callsign(a.officer_id) or "—")
        self._set("assigned", self.model.callsign(a.assigned_to) or "—")
        self._set("outcome", alarm_outcome_label(a.outcome) if a.outcome else "—")
        self._render_history()
        self._render_procedure()
        self._update_tabs()
        self.refresh_nearby()

    def _update_tabs(self) -> None:
        steps = len(self.alarm.history) if self.alarm else 0
        self.tabs.setTabText(0, self.tr("Nearest officers"))
        self.tabs.setTabText(1, self.tr("History ({0})").format(steps))
        self.tabs.setTabText(2, self.tr("Details"))

    def _set(self, key: str, text: str) -> None:
        self.fields[key][1].setText(text)

    def _update_header(self) -> None:
        a = self.alarm
        if a is None:
            return
        fill, ink = PRIORITY_FILL[a.priority].name(), PRIORITY_TEXT[a.priority].name()
        chip = (f"<span style='background:{fill}; color:{ink}; font-weight:bold;'>"
                f"&nbsp;{priority_label(a.priority)}&nbsp;</span>")
        parts = [chip, f"<b>{escape(self.model.type_label(a.type))}</b>",
                 escape(alarm_state_label(a.state)), escape(self.tr("No. {0}").format(a.id))]
        if a.escalated:
            parts.insert(1, "<b style='color:#ff5252'>" + self.tr("escalated") + "</b>")
        if a.assigned_to:
            parts.append(escape(self.tr("→ {0}").format(self.model.callsign(a.assigned_to))))
        if a.occurrences > 1:  # the source reported it again (retransmissions not counted)
            parts.append("<b>" + escape(self.tr("reported {0} times, last at {1}").format(
                a.occurrences, local_time(a.last_reported))) + "</b>")
        if a.state is AlarmState.NEW:
            wait = elapsed(self.model.waiting_s(a))
            colour = ("#ff5252" if self.model.is_overdue(a)
                      else self.palette().color(self.foregroundRole()).name())
            parts.append(f"<b style='color:{colour}'>"
                         + self.tr("unacknowledged for {0}").format(wait) + "</b>")
        self.badges.setText("&nbsp;&nbsp;".join(parts))

    def _render_history(self) -> None:
        a = self.alarm
        if a is None:
            return
        self.history.clear()
        for step in a.history:
            detail = step.detail
            if step.action == "assigned":
                detail = self.model.callsign(step.detail)
            elif step.action == "closed":
                outcome, _, note = step.detail.partition(":")
                if outcome in {o.value for o in AlarmOutcome}:
                    detail = alarm_outcome_label(AlarmOutcome(outcome)) + (
                        f" — {note.strip()}" if note.strip() else "")
            elif step.action == "raised" and step.detail == a.title:
                detail = alarm_title(a)  # stored neutral: shown in the operator's language
            elif step.action == "escalated":
                detail = self.tr("unacknowledged past the threshold")
            elif step.action == "note" and detail.startswith((TICK, UNTICK)):
                detail = detail[:len(TICK)] + step_text(detail[len(TICK):])
            elif step.action == "repeated" or (step.action == "occurred"
                                               and step.detail == "reported again by the source"):
                detail = ""
            item = QTreeWidgetItem([local_time(step.time), step.actor,
                                    alarm_action_label(step.action), detail])
            item.setToolTip(3, detail)
            self.history.addTopLevelItem(item)
        self.history.scrollToBottom()

    # -- procedure ------------------------------------------------------------------------
    def steps(self) -> list[Step]:
        if self.alarm is None:
            return []
        return procedure(self.site, self.alarm.type)

    def procedure(self) -> list[str]:
        """The steps as the operator reads them."""
        return [s.text for s in self.steps()]

    def _render_procedure(self) -> None:
        a = self.alarm
        if a is None:
            return
        steps = self.steps()
        items = [s.key for s in steps]
        done = ticked_items(a, items)
        self._rendering = True
        try:
            if steps != self._procedure:
                self.procedure_list.clear()
                for step in steps:
                    item = QListWidgetItem(step.text, self.procedure_list)
                    item.setData(Qt.ItemDataRole.UserRole, step.key)
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                                  | Qt.ItemFlag.ItemIsUserCheckable)
                self._procedure = steps
            for row, text in enumerate(items):
                key = (a.id, text)
                if key in self._pending and self._pending[key] == (text in done):
                    del self._pending[key]  # the journal caught up
                on = self._pending.get(key, text in done)
                item = self.procedure_list.item(row)
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
                if not self.can_command():
                    flags &= ~Qt.ItemFlag.ItemIsUserCheckable
                item.setFlags(flags)
        finally:
            self._rendering = False
        self.procedure_list.setVisible(bool(items))
        self.no_procedure.setVisible(not items)
        self.procedure_box.setTitle(
            self.tr("Procedure ({0}/{1})").format(len(done), len(items))
            if items else self.tr("Procedure"))

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._rendering or self.alarm is None:
            return
        self.tick(str(item.data(Qt.ItemDataRole.UserRole)),
                  item.checkState() == Qt.CheckState.Checked)

    def tick(self, text: str, on: bool) -> None:
        """Record a procedure item (its key) as done (or not done after all), with who and
        when."""
        if self.alarm is None or self.commands is None or not self.can_command():
            return
        self._pending[(self.alarm.id, text)] = on
        self.commands.note(self.alarm.id, (TICK if on else UNTICK) + text)

    def checked_items(self) -> set[str]:
        """What the checklist shows as done."""
        out = set()
        for row in range(self.procedure_list.count()):
            item = self.procedure_list.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.add(item.text())
        return out

    # -- nearest officers -----------------------------------------------------------------
    def schedule_nearby(self, *_args: object) -> None:
        """Positions or statuses changed: refresh the list within a second (coalesced)."""
        if self.alarm is not None and not self._nearby_timer.isActive():
            self._nearby_timer.start()

    def nearest(self) -> list[Responder]:
        """The officers who can respond (app.services.responders), placed ones only: a
        list of the nearest needs a distance. Read-only (replay): positions are not aged."""
        a = self.alarm
        if a is None or a.position is None:
            return []
        stale_s = None if self.commands is None else (
            self.site.map.stale_after_s if self.site is not None else 60.0)
        found = responders(a, self.world.officers.values(), self.world.fixes, utc_now(),
                           stale_s)
        return [r for r in found if r.distance_m is not None][:NEARBY_LIMIT]

    def refresh_nearby(self) -> None:
        a = self.alarm
        if a is None:
            return
        if self.nearby.underMouse() and self.nearby.topLevelItemCount():
            self._nearby_timer.start()  # never reorder the rows under the operator's pointer
            return
        self.nearby.clear()
        self.assign_buttons = {}
        found = self.nearest()
        for n in found:
            o = n.officer
            item = QTreeWidgetItem([o.callsign, officer_status_label(o.status),
                                    distance(n.distance_m or 0.0), ""])
            item.setForeground(1, STATUS_COLOURS[o.status])
            item.setToolTip(0, o.callsign)  # the columns may elide them on a small screen
            item.setToolTip(1, officer_status_label(o.status))
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.nearby.addTopLevelItem(item)
            if o.id == a.assigned_to:
                item.setText(3, self.tr("assigned"))
                continue
            b = QPushButton(self.tr("Assign"), self.nearby)
            b.setObjectName(f"assign-{o.id}")
            b.setEnabled(self.can_command() and a.is_open)
            if self.blocked:
                b.setToolTip(self.blocked)
            elif o.status is not OfficerStatus.AVAILABLE:
                b.setToolTip(self.tr("{0} is {1}").format(
                    o.callsign, officer_status_label(o.status).lower()))
            b.clicked.connect(lambda _c=False, oid=o.id: self._assign(oid))
            self.nearby.setItemWidget(item, 3, b)
            self.assign_buttons[o.id] = b
        if a.position is None:
            self.nearby_note.setText(self.tr("This alarm has no position."))
        elif not found:
            self.nearby_note.setText(self.tr(
                "No officer who can respond has a recent position (not counted: the "
                "officer concerned, officers in emergency, on an intervention, off duty)."))
        if not self.actionable:
            self.nearby_note.setText(self.tr(
                "The queue's filters hide this alarm: show it there to act on it."))
        self.nearby_note.setVisible(a.position is None or not found or not self.actionable)

    def _assign(self, officer_id: str) -> None:
        if self.alarm is not None and self.commands is not None and self.can_command():
            self.commands.assign(self.alarm.id, officer_id)

    # -- texts ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.placeholder.setText(self.tr("Select an alarm in the queue to see it here."))
        names = {"source": self.tr("Source"), "raised": self.tr("Raised"),
                 "position": self.tr("Position"), "cameras": self.tr("Cameras"),
                 "officer": self.tr("Officer concerned"), "assigned": self.tr("Assigned to"),
                 "outcome": self.tr("Outcome")}
        for key, (label, _value) in self.fields.items():
            label.setText(names[key])
        self.no_procedure.setText(self.tr("No procedure is set for this type in the site file."))
        self.procedure_list.setToolTip(self.tr("Tick what is done (Space): it is journaled"
                                               " with your name and the time."))
        self.nearby.setHeaderLabels([self.tr("Officer"), self.tr("Status"), self.tr("Distance"),
                                     ""])
        self.history.setHeaderLabels([self.tr("Time"), self.tr("Who"), self.tr("What"),
                                      self.tr("Detail")])
        self._update_tabs()
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
