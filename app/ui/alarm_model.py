"""The alarm queue as Qt item models: every alarm by id, and a sorted, filtered view of it.

`AlarmTableModel.upsert_many()` takes one batch from the hub bridge (the latest state of each
alarm changed in the last 50 ms): ONE `beginInsertRows` for the new alarms (appended), ONE
`dataChanged` over the span of the updated rows (split only where updated rows lie far
apart, see SPAN_GAP), so an alarm storm stays cheap.
One 1-s timer refreshes the unacknowledged-time counter and one timer blinks the new
priority-1/2 alarms; both reach the views as one `dataChanged` of the proxy (display and
background roles only) without re-running the filter or the sort.

`AlarmFilterProxy` sorts on one precomputed key per alarm (open first, then priority, then
age, then id). Measured here: 2,000 alarms in one batch ≈ 0.1 s sorted; a batch of 100 into
20,000 rows ≈ 3 ms; a counter tick is independent of the number of rows.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.core.model import Alarm, AlarmState, AlarmType, utc_now
from app.core.site import DEFAULT_ESCALATION_S, Site
from app.ui.labels import (
    alarm_state_label,
    alarm_type_label,
    elapsed,
    local_time,
    priority_label,
)
from app.ui.world import World

Index = QModelIndex | QPersistentModelIndex

ALARM_ROLE = Qt.ItemDataRole.UserRole + 1  # the Alarm object of the row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # the row's sort key (a str)
FLASH_ROLE = Qt.ItemDataRole.UserRole + 3  # True while the row blinks
OVERDUE_ROLE = Qt.ItemDataRole.UserRole + 4  # True: new past its threshold, or escalated

OPEN_STATES = frozenset({AlarmState.NEW, AlarmState.ACKNOWLEDGED, AlarmState.ASSIGNED})
RETAIN_CLOSED = timedelta(hours=12)  # same window as the service's restore
FLASH_MAX_PRIORITY = 2
# Updated rows further apart than this get their own dataChanged: the proxy re-filters and
# re-sorts every row a dataChanged spans, so one span over 2 rows 20,000 apart would cost
# 20,000 Python calls. Usually a batch is one span.
SPAN_GAP = 64

# Priority chips: saturated fills with the text colour chosen for contrast, readable on a
# light or a dark palette alike (the chip carries its own background).
PRIORITY_FILL = {1: QColor("#d50000"), 2: QColor("#ff6d00"), 3: QColor("#ffd600"),
                 4: QColor("#607d8b")}
PRIORITY_TEXT = {1: QColor("#ffffff"), 2: QColor("#000000"), 3: QColor("#000000"),
                 4: QColor("#ffffff")}
# A translucent wash over the row: pink on a light palette, dark red on a dark one.
FLASH_FILL = {1: QColor(255, 23, 68, 120), 2: QColor(255, 145, 0, 110)}
OVERDUE_FILL = QColor("#c62828")
OVERDUE_TEXT = QColor("#ffffff")


class Column(enum.IntEnum):
    PRIORITY = 0
    WAITING = 1
    TYPE = 2
    TITLE = 3
    STATE = 4
    ASSIGNED = 5
    RAISED = 6
    ID = 7


_LAST_COLUMN = max(Column)
_DISPLAY = Qt.ItemDataRole.DisplayRole
_COUNTER_ROLES = [_DISPLAY, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                  Qt.ItemDataRole.ToolTipRole, OVERDUE_ROLE]
_BLINK_ROLES = [Qt.ItemDataRole.BackgroundRole, FLASH_ROLE]
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def sort_key(a: Alarm) -> str:
    """Open before closed, priority 1 first, oldest first, then by id: one comparable string."""
    ident = int(a.id) if a.id.isdigit() else 0
    return (f"{int(not a.is_open)}{a.priority}{a.raised_at.timestamp():017.3f}"
            f"{ident:015d}{a.id}")


def _spans(rows: list[int], gap: int = SPAN_GAP) -> list[tuple[int, int]]:
    """Changed rows as (first, last) spans; rows closer than `gap` share one span."""
    spans: list[tuple[int, int]] = []
    for row in sorted(rows):
        if spans and row - spans[-1][1] <= gap:
            spans[-1] = (spans[-1][0], row)
        else:
            spans.append((row, row))
    return spans


def last_change(a: Alarm) -> datetime:
    return a.history[-1].time if a.history else a.raised_at


class AlarmTableModel(QAbstractTableModel):
    """Alarms by id, one row each, appended in arrival order (sorting is the proxy's job)."""

    upserted = Signal(list)  # list[Alarm] added or changed, after the model holds them
    # Cells whose look changed while nothing that sorts or filters did (the counter each
    # second, the blink, callsigns): first column, last column, roles; any row. A view on
    # the proxy gets it as one dataChanged; see AlarmFilterProxy._on_ticked.
    ticked = Signal(int, int, list)

    def __init__(self, site: Site | None = None, world: World | None = None,
                 clock: Callable[[], datetime] = utc_now, parent: QObject | None = None,
                 retain_closed: timedelta = RETAIN_CLOSED) -> None:
        super().__init__(parent)
        self._site = site
        self._world = world
        self._clock = clock
        self._retain = retain_closed
        self._alarms: list[Alarm] = []
        self._keys: list[str] = []
        self._row: dict[str, int] = {}
        self._new: set[str] = set()  # ids of alarms still unacknowledged (the counter ticks)
        self._open: set[str] = set()  # ids of alarms not closed
        self._flashing: set[str] = set()  # ids of new alarms of priority 1-2
        self._blink_on = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._ticks = 0
        self._counter = QTimer(self)
        self._counter.setObjectName("alarm-counter")
        self._counter.setInterval(1000)
        self._counter.timeout.connect(self._tick)
        self._counter.start()
        self._blink = QTimer(self)
        self._blink.setObjectName("alarm-blink")
        self._blink.setInterval(500)
        self._blink.timeout.connect(self._toggle_blink)

    # -- wiring ---------------------------------------------------------------------------
    def attach(self, bridge: Any) -> None:
        """Follow a `HubBridge`: alarm batches and officer changes (for callsigns)."""
        bridge.alarms_changed.connect(self.upsert_many)
        bridge.officers_changed.connect(self.refresh_officers)

    # -- reading --------------------------------------------------------------------------
    def alarm(self, alarm_id: str) -> Alarm | None:
        row = self._row.get(alarm_id)
        return None if row is None else self._alarms[row]

    def alarm_at(self, row: int) -> Alarm:
        return self._alarms[row]

    def row_of(self, alarm_id: str) -> int | None:
        return self._row.get(alarm_id)

    def alarms(self) -> list[Alarm]:
        return list(self._alarms)

    def new_count(self) -> int:
        return len(self._new)

    def open_count(self) -> int:
        return len(self._open)

    def new_ids(self) -> frozenset[str]:
        return frozenset(self._new)

    def new_alarms(self, max_priority: int = 4) -> list[Alarm]:
        """Alarms still unacknowledged, of priority `max_priority` or more urgent."""
        return [a for i in self._new if (a := self._alarms[self._row[i]]).priority <= max_priority]

    def threshold_s(self, t: AlarmType) -> float:
        if self._site is not None:
            return float(self._site.alarm_type(t).escalate_after_s)
        return float(DEFAULT_ESCALATION_S.get(t, 120))

    def type_label(self, t: AlarmType) -> str:
        if self._site is not None:
            label = self._site.alarm_type(t).label
            if label:
                return label
        return alarm_type_label(t)

    def callsign(self, officer_id: str | None) -> str:
        if not officer_id:
            return ""
        officer = self._world.officers.get(officer_id) if self._world else None
        return officer.callsign if officer else officer_id

    def waiting_s(self, a: Alarm) -> float:
        return (self._clock() - a.raised_at).total_seconds()

    def is_overdue(self, a: Alarm) -> bool:
        """Unacknowledged and escalated, or waiting past its type's threshold."""
        if a.state is not AlarmState.NEW:
            return False
        return a.escalated or self.waiting_s(a) >= self.threshold_s(a.type)

    # -- writing --------------------------------------------------------------------------
    def upsert_many(self, alarms: Sequence[Alarm]) -> None:
        """Add new alarms, update known ones: one dataChanged + one rowsInserted at most."""
        if not alarms:
            return
        latest: dict[str, Alarm] = {}
        for a in alarms:
            latest[a.id] = a
        added: list[Alarm] = []
        changed: list[Alarm] = []
        rows: list[int] = []
        for a in latest.values():
            row = self._row.get(a.id)
            if row is None:
                added.append(a)
                continue
            if len(a.history) < len(self._alarms[row].history):
                continue  # an older state arriving late: an alarm never goes back
            self._alarms[row] = a
            self._keys[row] = sort_key(a)
            self._track(a)
            changed.append(a)
            rows.append(row)
        for lo, hi in _spans(rows):
            self.dataChanged.emit(self.index(lo, 0), self.index(hi, _LAST_COLUMN))
        if added:
            first = len(self._alarms)
            self.beginInsertRows(QModelIndex(), first, first + len(added) - 1)
            for i, a in enumerate(added, first):
                self._alarms.append(a)
                self._keys.append(sort_key(a))
                self._row[a.id] = i
                self._track(a)
            self.endInsertRows()
        self._update_blink_timer()
        if changed or added:
            self.upserted.emit(changed + added)

    def set_alarms(self, alarms: Iterable[Alarm]) -> None:
        """Replace everything (replay seeking back, a journal reload)."""
        self.beginResetModel()
        self._alarms, self._keys, self._row = [], [], {}
        self._new.clear()
        self._open.clear()
        self._flashing.clear()
        for a in alarms:
            if a.id in self._row:
                row = self._row[a.id]
                self._alarms[row], self._keys[row] = a, sort_key(a)
            else:
                self._row[a.id] = len(self._alarms)
                self._alarms.append(a)
                self._keys.append(sort_key(a))
            self._track(a)
        self.endResetModel()
        self._update_blink_timer()
        self.upserted.emit(list(self._alarms))

    def refresh_officers(self, _officers: object = None) -> None:
        """Callsigns may have changed: repaint the assigned column (nothing re-sorts)."""
        if self._alarms:
            self.ticked.emit(Column.ASSIGNED, Column.ASSIGNED, [_DISPLAY])

    def retranslate(self) -> None:
        """The language changed: headers and every translated cell."""
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, _LAST_COLUMN)
        if self._alarms:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._alarms) - 1, _LAST_COLUMN),
                                  [_DISPLAY, Qt.ItemDataRole.ToolTipRole])

    def prune_closed(self) -> int:
        """Forget alarms closed longer than `retain_closed` ago (they stay in the journal)."""
        cutoff = self._clock() - self._retain
        doomed = [row for row, a in enumerate(self._alarms)
                  if a.state is AlarmState.CLOSED and last_change(a) < cutoff]
        if not doomed:
            return 0
        for start, end in reversed(_spans(doomed, gap=1)):
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._alarms[start:end + 1]
            del self._keys[start:end + 1]
            self.endRemoveRows()
        self._row = {a.id: i for i, a in enumerate(self._alarms)}
        return len(doomed)

    def _track(self, a: Alarm) -> None:
        if a.is_open:
            self._open.add(a.id)
        else:
            self._open.discard(a.id)
        if a.state is AlarmState.NEW:
            self._new.add(a.id)
            if a.priority <= FLASH_MAX_PRIORITY:
                self._flashing.add(a.id)
            else:
                self._flashing.discard(a.id)
        else:
            self._new.discard(a.id)
            self._flashing.discard(a.id)

    # -- timers ---------------------------------------------------------------------------
    def _tick(self) -> None:
        self._ticks += 1
        if self._new:
            self.ticked.emit(Column.WAITING, Column.WAITING, _COUNTER_ROLES)
        if self._ticks % 60 == 0:
            self.prune_closed()

    def _toggle_blink(self) -> None:
        self._blink_on = not self._blink_on
        if self._flashing:
            self.ticked.emit(0, _LAST_COLUMN, _BLINK_ROLES)

    def _update_blink_timer(self) -> None:
        if self._flashing and not self._blink.isActive():
            self._blink_on = True
            self._blink.start()
        elif not self._flashing and self._blink.isActive():
            self._blink.stop()
            self._blink_on = False

    # -- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._alarms)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role != _DISPLAY:
            return None
        return {
            Column.PRIORITY: self.tr("Prio."),
            Column.WAITING: self.tr("Waiting"),
            Column.TYPE: self.tr("Type"),
            Column.TITLE: self.tr("Alarm"),
            Column.STATE: self.tr("State"),
            Column.ASSIGNED: self.tr("Assigned to"),
            Column.RAISED: self.tr("Raised"),
            Column.ID: self.tr("No."),
        }.get(Column(section)) if 0 <= section <= _LAST_COLUMN else None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        row = index.row()
        if role == SORT_ROLE:  # the hot path while the proxy sorts
            return self._keys[row] if 0 <= row < len(self._keys) else None
        if not 0 <= row < len(self._alarms):
            return None
        col = index.column()
        a = self._alarms[row]
        if role == _DISPLAY:
            return self._display(a, col)
        if role == ALARM_ROLE:
            return a
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(a, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == Column.PRIORITY:
                return QBrush(PRIORITY_TEXT[a.priority])
            if col == Column.WAITING and self.is_overdue(a):
                return QBrush(OVERDUE_TEXT)
            return None
        if role == Qt.ItemDataRole.FontRole:
            if col in (Column.PRIORITY, Column.WAITING) or a.state is AlarmState.NEW:
                return self._bold
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (Column.PRIORITY, Column.WAITING, Column.RAISED):
                return _CENTER
            if col == Column.ID:
                return _RIGHT
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(a, col)
        if role == FLASH_ROLE:
            return a.id in self._flashing and self._blink_on
        if role == OVERDUE_ROLE:
            return self.is_overdue(a)
        return None

    def _display(self, a: Alarm, col: int) -> str:
        match col:
            case Column.PRIORITY:
                return priority_label(a.priority) + (" ▲" if a.escalated else "")
            case Column.WAITING:
                return elapsed(self.waiting_s(a)) if a.state is AlarmState.NEW else "—"
            case Column.TYPE:
                return self.type_label(a.type)
            case Column.TITLE:
                return a.title
            case Column.STATE:
                return alarm_state_label(a.state)
            case Column.ASSIGNED:
                return self.callsign(a.assigned_to)
            case Column.RAISED:
                return local_time(a.raised_at)
            case Column.ID:
                return a.id
        return ""

    def _background(self, a: Alarm, col: int) -> QBrush | None:
        if col == Column.PRIORITY:
            return QBrush(PRIORITY_FILL[a.priority])
        if col == Column.WAITING and self.is_overdue(a):
            return QBrush(OVERDUE_FILL)
        if self._blink_on and a.id in self._flashing:
            return QBrush(FLASH_FILL[a.priority])
        return None

    def _tooltip(self, a: Alarm, col: int) -> str | None:
        if col == Column.WAITING and a.state is AlarmState.NEW:
            return self.tr("Unacknowledged for {0} (escalates after {1})").format(
                elapsed(self.waiting_s(a)), elapsed(self.threshold_s(a.type)))
        if col == Column.PRIORITY and a.escalated:
            return self.tr("Escalated: left unacknowledged past its threshold")
        if col == Column.TITLE:
            return a.title
        return None


class AlarmFilterProxy(QSortFilterProxyModel):
    """Open alarms first, then priority 1 first, then oldest first; filters by type, state,
    priority and free text. The sort stays dynamic: an alarm that changes moves at once."""

    filters_changed = Signal()

    def __init__(self, source: AlarmTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._types: frozenset[AlarmType] | None = None  # None: every type
        self._states: frozenset[AlarmState] = OPEN_STATES
        self._max_priority = 4
        self._text = ""
        self.setSourceModel(source)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self.sort(Column.PRIORITY, Qt.SortOrder.AscendingOrder)
        source.ticked.connect(self._on_ticked)

    def _on_ticked(self, first: int, last: int, roles: list[int]) -> None:
        # Time-driven repaints bypass the source's dataChanged on purpose: the proxy re-runs
        # its (Python) filter on every row a source dataChanged spans, which would cost
        # thousands of calls a second in a storm. The view repaints only what it shows.
        rows = self.rowCount()
        if rows:
            self.dataChanged.emit(self.index(0, first), self.index(rows - 1, last), roles)

    @property
    def types(self) -> frozenset[AlarmType] | None:
        return self._types

    @property
    def states(self) -> frozenset[AlarmState]:
        return self._states

    @property
    def max_priority(self) -> int:
        return self._max_priority

    @property
    def text(self) -> str:
        return self._text

    def set_types(self, types: Iterable[AlarmType] | None) -> None:
        self._change(lambda: setattr(self, "_types", None if types is None else frozenset(types)))

    def set_states(self, states: Iterable[AlarmState]) -> None:
        self._change(lambda: setattr(self, "_states", frozenset(states)))

    def set_max_priority(self, priority: int) -> None:
        self._change(lambda: setattr(self, "_max_priority", max(1, min(4, priority))))

    def set_text(self, text: str) -> None:
        self._change(lambda: setattr(self, "_text", text.strip().casefold()))

    def _change(self, apply: Callable[[], None]) -> None:
        self.beginFilterChange()
        apply()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        self.filters_changed.emit()

    def alarm_at(self, row: int) -> Alarm | None:
        if not 0 <= row < self.rowCount():
            return None
        return self._source.alarm_at(self.mapToSource(self.index(row, 0)).row())

    def row_of(self, alarm_id: str) -> int | None:
        src = self._source.row_of(alarm_id)
        if src is None:
            return None
        idx = self.mapFromSource(self._source.index(src, 0))
        return idx.row() if idx.isValid() else None

    def lessThan(self, left: Index, right: Index) -> bool:
        keys = self._source._keys  # one Python call per comparison instead of two data()
        return keys[left.row()] < keys[right.row()]

    def is_default(self) -> bool:
        """True when the filters show every open alarm (nothing new can be hidden)."""
        return (self._types is None and self._states >= OPEN_STATES
                and self._max_priority == 4 and not self._text)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        return self.accepts(self._source._alarms[source_row])

    def accepts(self, a: Alarm) -> bool:
        if a.state not in self._states or a.priority > self._max_priority:
            return False
        if self._types is not None and a.type not in self._types:
            return False
        if self._text:
            hay = f"{a.title}\n{a.id}\n{a.source}\n{self._source.type_label(a.type)}".casefold()
            return self._text in hay
        return True
