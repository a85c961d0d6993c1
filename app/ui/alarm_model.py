"""The alarm queue as Qt item models: every alarm by id (`AlarmTableModel`), shown through a
sorted, filtered view of it (`app.ui.alarm_proxy.AlarmFilterProxy`).

An alarm storm must not take the operator's screen: the work the GUI thread does for the
desk is bounded per second, not per alarm. The model follows the hub bridge through
`receive()`, which keeps the latest state of each alarm and applies them at most every
`FLUSH_MS` (one `beginInsertRows` for the new alarms, one `dataChanged` per span of updated
ones); an alarm that arrives after a quiet spell is applied at once, so a new alarm waits
at most `FLUSH_MS` more than the bridge's tick before it reaches the screen. The same clock
drives the blinking of new P1/P2 alarms (every 2nd tick) and the refresh of the waiting
counters (every 4th), so the desk repaints at most 1000/`FLUSH_MS` times a second however
many alarms arrive. `upsert_many()` applies at once (a replay, a test).
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.core.model import Alarm, AlarmState, AlarmType, utc_now
from app.core.site import DEFAULT_ESCALATION_S, Site
from app.services.alarm_book import has_unseen_occurrence
from app.ui.labels import (
    alarm_state_label,
    alarm_title,
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
FLUSH_MS = 250  # the desk clock: alarm batches applied, and the desk repainted, 4 times a second
BLINK_TICKS = 2  # the new P1/P2 rows blink every 2nd tick (500 ms)
COUNTER_TICKS = 4  # the waiting counters are refreshed every 4th tick (1 s)
PRUNE_TICKS = 240  # closed alarms past the retention are forgotten once a minute
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
# made once: a cell asks for its brush on every paint
_PRIORITY_FILL_BRUSH = {p: QBrush(c) for p, c in PRIORITY_FILL.items()}
_PRIORITY_TEXT_BRUSH = {p: QBrush(c) for p, c in PRIORITY_TEXT.items()}
_FLASH_BRUSH = {p: QBrush(c) for p, c in FLASH_FILL.items()}
_OVERDUE_FILL_BRUSH = QBrush(OVERDUE_FILL)
_OVERDUE_TEXT_BRUSH = QBrush(OVERDUE_TEXT)


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
LAST_COLUMN = int(_LAST_COLUMN)
_DISPLAY = Qt.ItemDataRole.DisplayRole
COUNTER_ROLES = [_DISPLAY, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole,
                 Qt.ItemDataRole.ToolTipRole, OVERDUE_ROLE]
BLINK_ROLES = [Qt.ItemDataRole.BackgroundRole, FLASH_ROLE]
_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
# by plain int column: a painted cell looks its alignment up without making an enum
ALIGNMENT: dict[int, Qt.AlignmentFlag] = {int(Column.PRIORITY): _CENTER,
                                         int(Column.WAITING): _CENTER,
                                         int(Column.RAISED): _CENTER, int(Column.ID): _RIGHT}


def sort_key(a: Alarm) -> str:
    """Open before closed, priority 1 first, an alarm its source reported again since it was
    handled first within its priority (it comes back to the top), then oldest first, then
    by id: one comparable string."""
    ident = int(a.id) if a.id.isdigit() else 0
    back = has_unseen_occurrence(a)
    return (f"{int(not a.is_open)}{a.priority}{int(not back)}"
            f"{a.raised_at.timestamp():017.3f}{ident:015d}{a.id}")


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

    # (added, changed, the changed ones' previous sort keys, the sort keys of alarms removed)
    # right after the model applied them, before `upserted`: what a sorted view needs to
    # find and update its rows in place (see AlarmFilterProxy)
    applied = Signal(list, list, list, list)
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
        self._new_p1: set[str] = set()  # of which priority 1 (the repeated tone)
        self._open: set[str] = set()  # ids of alarms not closed
        self._flashing: set[str] = set()  # ids of new alarms of priority 1-2
        self._haystack: dict[str, str] = {}  # id -> what the free-text filter searches
        self._type_labels: dict[AlarmType, str] = {}  # in the language shown
        self._blink_on = False
        self._bold = QFont()
        self._bold.setBold(True)
        self._pending: dict[str, Alarm] = {}  # received, not yet applied (latest state each)
        self._last_flush = -1e9  # time.monotonic() of the last batch applied from receive()
        self.flushes = 0  # batches applied from receive() (the rate the desk repaints at)
        self._ticks = 0
        self._desk_clock = QTimer(self)
        self._desk_clock.setObjectName("alarm-desk-clock")
        self._desk_clock.setInterval(FLUSH_MS)
        self._desk_clock.timeout.connect(self._tick)
        self._desk_clock.start()

    # -- wiring ---------------------------------------------------------------------------
    def attach(self, bridge: Any) -> None:
        """Follow a `HubBridge`: alarm batches and officer changes (for callsigns)."""
        bridge.alarms_changed.connect(self.receive)
        bridge.officers_changed.connect(self.refresh_officers)

    def receive(self, alarms: Sequence[Alarm]) -> None:
        """Alarms from the bridge: applied now after a quiet spell, else on the next tick of
        the desk clock (the latest state of each; nothing is dropped)."""
        pending = self._pending
        for a in alarms:
            known = pending.get(a.id)
            if known is None or a.version >= known.version:
                pending[a.id] = a
        if pending and time.monotonic() - self._last_flush >= FLUSH_MS / 1000:
            self._flush()
            self._desk_clock.start()  # the next batch one full period from now

    def pending_count(self) -> int:
        """Alarms received and not yet applied (at most one clock tick's worth)."""
        return len(self._pending)

    def _flush(self) -> None:
        batch = list(self._pending.values())
        self._pending.clear()
        self._last_flush = time.monotonic()
        self.flushes += 1
        self.upsert_many(batch)

    # -- reading --------------------------------------------------------------------------
    def alarm(self, alarm_id: str) -> Alarm | None:
        row = self._row.get(alarm_id)
        return None if row is None else self._alarms[row]

    def alarm_at(self, row: int) -> Alarm:
        return self._alarms[row]

    def row_of(self, alarm_id: str) -> int | None:
        return self._row.get(alarm_id)

    def key_of(self, alarm_id: str) -> str | None:
        """The sort key of an alarm the model holds (see `sort_key`)."""
        row = self._row.get(alarm_id)
        return None if row is None else self._keys[row]

    def alarms(self) -> list[Alarm]:
        return list(self._alarms)

    def keyed(self) -> tuple[list[str], list[Alarm]]:
        """Sort keys and alarms, row by row (the model's own lists: read, do not change)."""
        return self._keys, self._alarms

    def new_count(self, max_priority: int = 4) -> int:
        if max_priority == 1:
            return len(self._new_p1)
        if max_priority >= 4:
            return len(self._new)
        return sum(1 for i in self._new if self._alarms[self._row[i]].priority <= max_priority)

    def open_count(self) -> int:
        return len(self._open)

    def new_ids(self) -> frozenset[str]:
        return frozenset(self._new)

    def new_alarms(self, max_priority: int = 4) -> list[Alarm]:
        """Alarms still unacknowledged, of priority `max_priority` or more urgent."""
        ids = self._new_p1 if max_priority == 1 else self._new
        return [a for i in ids if (a := self._alarms[self._row[i]]).priority <= max_priority]

    def blinks(self, alarm_id: str) -> bool:
        """The alarm's row blinks (new, P1/P2), lit or not at this moment."""
        return alarm_id in self._flashing

    def is_flashing(self, alarm_id: str) -> bool:
        """The row blinks (new, P1/P2) and is in its lit half-period."""
        return self._blink_on and alarm_id in self._flashing

    def haystack(self, a: Alarm) -> str:
        """What the free-text filter searches: title, number, source, type (casefolded)."""
        label = self._type_labels.get(a.type)
        if label is None:
            label = self._type_labels[a.type] = self.type_label(a.type)
        shown = alarm_title(a)  # in the language shown, and as journaled (other seats)
        return f"{shown}\n{a.title}\n{a.id}\n{a.source}\n{label}".casefold()

    def haystacks(self) -> dict[str, str]:
        """`haystack()` of every alarm by id, made as alarms arrive (~2 µs each) so that a
        free-text filter over a big desk is one pass (the model's own dict: read only)."""
        if len(self._haystack) != len(self._alarms):  # after a language change
            self._haystack = {a.id: self.haystack(a) for a in self._alarms}
        return self._haystack

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
        """Add new alarms, update known ones, now: one rowsInserted and one dataChanged per
        span of updated rows at most, then `applied` and `upserted` once each."""
        if not alarms:
            return
        latest: dict[str, Alarm] = {}
        for a in alarms:
            latest[a.id] = a
        added: list[Alarm] = []
        changed: list[Alarm] = []
        old_keys: list[str] = []
        rows: list[int] = []
        was_flashing = bool(self._flashing)
        hays = self._haystack if len(self._haystack) == len(self._alarms) else None
        for a in latest.values():
            row = self._row.get(a.id)
            if row is None:
                added.append(a)
                continue
            if a.version < self._alarms[row].version:
                continue  # an older state arriving late: an alarm never goes back
            old_keys.append(self._keys[row])
            self._alarms[row] = a
            self._keys[row] = sort_key(a)
            if hays is not None:
                hays[a.id] = self.haystack(a)
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
                if hays is not None:
                    hays[a.id] = self.haystack(a)
                self._track(a)
            self.endInsertRows()
        if self._flashing and not was_flashing:
            self._blink_on = True  # a new urgent alarm shows lit at once, then blinks
        if changed or added:
            self.applied.emit(added, changed, old_keys, [])
            self.upserted.emit(changed + added)

    def set_alarms(self, alarms: Iterable[Alarm]) -> None:
        """Replace everything (replay seeking back, a journal reload)."""
        self.beginResetModel()
        self._alarms, self._keys, self._row = [], [], {}
        self._pending.clear()
        for s in (self._new, self._new_p1, self._open, self._flashing):
            s.clear()
        self._haystack.clear()
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
        self.upserted.emit(list(self._alarms))

    def refresh_officers(self, _officers: object = None) -> None:
        """Callsigns may have changed: repaint the assigned column (nothing re-sorts)."""
        if self._alarms:
            self.ticked.emit(Column.ASSIGNED, Column.ASSIGNED, [_DISPLAY])

    def retranslate(self) -> None:
        """The language changed: headers and every translated cell."""
        self._haystack.clear()  # type labels are searched in the language shown
        self._type_labels.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, _LAST_COLUMN)
        if self._alarms:
            roles = [_DISPLAY, Qt.ItemDataRole.ToolTipRole]
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._alarms) - 1, _LAST_COLUMN),
                                  roles)
            self.ticked.emit(0, _LAST_COLUMN, roles)

    def prune_closed(self) -> int:
        """Forget alarms closed longer than `retain_closed` ago (they stay in the journal)."""
        cutoff = self._clock() - self._retain
        doomed = [row for row, a in enumerate(self._alarms)
                  if a.state is AlarmState.CLOSED and last_change(a) < cutoff]
        if not doomed:
            return 0
        gone = [self._alarms[row].id for row in doomed]
        gone_keys = [self._keys[row] for row in doomed]
        for start, end in reversed(_spans(doomed, gap=1)):
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._alarms[start:end + 1]
            del self._keys[start:end + 1]
            self.endRemoveRows()
        self._row = {a.id: i for i, a in enumerate(self._alarms)}
        for i in gone:
            self._haystack.pop(i, None)
        self.applied.emit([], [], [], gone_keys)
        return len(doomed)

    def _track(self, a: Alarm) -> None:
        if a.is_open:
            self._open.add(a.id)
        else:
            self._open.discard(a.id)
        if a.state is AlarmState.NEW:
            self._new.add(a.id)
            (self._new_p1.add if a.priority == 1 else self._new_p1.discard)(a.id)
            if a.priority <= FLASH_MAX_PRIORITY:
                self._flashing.add(a.id)
            else:
                self._flashing.discard(a.id)
        else:
            self._new.discard(a.id)
            self._new_p1.discard(a.id)
            if has_unseen_occurrence(a) and a.priority <= FLASH_MAX_PRIORITY:
                self._flashing.add(a.id)  # reported again: it flashes until handled again
            else:
                self._flashing.discard(a.id)

    # -- the desk clock -------------------------------------------------------------------
    def _tick(self) -> None:
        """Every FLUSH_MS: what arrived meanwhile, then the blink and the counters, all in
        one pass of the event loop, so that the views repaint once for all of it."""
        self._ticks += 1
        if self._pending:
            self._flush()
        if self._ticks % BLINK_TICKS == 0:
            self._toggle_blink()
        if self._ticks % COUNTER_TICKS == 0 and self._new:
            self.ticked.emit(Column.WAITING, Column.WAITING, COUNTER_ROLES)
        if self._ticks % PRUNE_TICKS == 0:
            self.prune_closed()

    def _toggle_blink(self) -> None:
        if self._flashing:
            self._blink_on = not self._blink_on
            self.ticked.emit(0, _LAST_COLUMN, BLINK_ROLES)
        elif self._blink_on:  # the last blinking alarm was acknowledged: unlit, once
            self._blink_on = False
            self.ticked.emit(0, _LAST_COLUMN, BLINK_ROLES)

    # -- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._alarms)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> Any:
        if role != _DISPLAY or orientation is not Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("Prio."), self.tr("Waiting"), self.tr("Type"), self.tr("Alarm"),
                  self.tr("State"), self.tr("Assigned to"), self.tr("Raised"), self.tr("No."))
        return titles[section] if 0 <= section < len(titles) else None

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        row = index.row()
        if role == SORT_ROLE:
            return self._keys[row] if 0 <= row < len(self._keys) else None
        if not 0 <= row < len(self._alarms):
            return None
        return self.cell(self._alarms[row], index.column(), role)

    def cell(self, a: Alarm, col: int, role: int) -> Any:
        """One cell's data for a role: the same for this model, its proxy and the painter."""
        if role == _DISPLAY:
            return self.text(a, col)
        if role == ALARM_ROLE:
            return a
        if role == Qt.ItemDataRole.BackgroundRole:
            return self.background(a, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.foreground(a, col)
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if self.is_bold(a, col) else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            align = ALIGNMENT.get(col)
            return None if align is None else int(align)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(a, col)
        if role == FLASH_ROLE:
            return a.id in self._flashing and self._blink_on
        if role == OVERDUE_ROLE:
            return self.is_overdue(a)
        if role == SORT_ROLE:
            return self.key_of(a.id)
        return None

    def text(self, a: Alarm, col: int) -> str:
        match col:
            case Column.PRIORITY:
                return priority_label(a.priority) + (" ▲" if a.escalated else "")
            case Column.WAITING:
                return elapsed(self.waiting_s(a)) if a.state is AlarmState.NEW else "—"
            case Column.TYPE:
                return self.type_label(a.type)
            case Column.TITLE:
                # how many times the source reported it (retransmissions not counted)
                title = alarm_title(a)
                return title if a.occurrences <= 1 else f"{title}  (×{a.occurrences})"
            case Column.STATE:
                return alarm_state_label(a.state)
            case Column.ASSIGNED:
                return self.callsign(a.assigned_to)
            case Column.RAISED:
                return local_time(a.raised_at)
            case Column.ID:
                return a.id
        return ""

    def background(self, a: Alarm, col: int) -> QBrush | None:
        if col == Column.PRIORITY:
            return _PRIORITY_FILL_BRUSH[a.priority]
        if col == Column.WAITING and self.is_overdue(a):
            return _OVERDUE_FILL_BRUSH
        if self._blink_on and a.id in self._flashing:
            return _FLASH_BRUSH[a.priority]
        return None

    def foreground(self, a: Alarm, col: int) -> QBrush | None:
        if col == Column.PRIORITY:
            return _PRIORITY_TEXT_BRUSH[a.priority]
        if col == Column.WAITING and self.is_overdue(a):
            return _OVERDUE_TEXT_BRUSH
        return None

    def is_bold(self, a: Alarm, col: int) -> bool:
        return col in (Column.PRIORITY, Column.WAITING) or a.state is AlarmState.NEW

    def _tooltip(self, a: Alarm, col: int) -> str | None:
        if col == Column.WAITING and a.state is AlarmState.NEW:
            return self.tr("Unacknowledged for {0} (escalates after {1})").format(
                elapsed(self.waiting_s(a)), elapsed(self.threshold_s(a.type)))
        if col == Column.PRIORITY and a.escalated:
            return self.tr("Escalated: left unacknowledged past its threshold")
        if col == Column.TITLE:
            return alarm_title(a)
        return None
