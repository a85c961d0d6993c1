"""The rows the alarm desk shows: `AlarmTableModel`'s alarms filtered and in the queue's order
(open first, then priority 1 first, then oldest first, then by number).

Why not a QSortFilterProxyModel: with a Python `lessThan` and `filterAcceptsRow` it makes
one Python call per comparison and per row, so re-filtering a desk of 60,000 alarms took
seconds and every batch cost n·log n calls into Python. Here the rows are two Python lists
kept sorted on the key the model precomputes per alarm (`sort_key`, one string): a filter
change is one pass over the alarms and one sort in C; a batch from the model is merged with
`bisect` and announced as one `beginInsertRows` per run of neighbouring new rows (the new
alarms of a storm land at the end of their priority's group: a few runs), or, when they
make many runs or some rows must move (an escalation), appended in one insertion and put
in place by one layout change that carries the selection along.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.core.model import Alarm, AlarmState, AlarmType
from app.ui.alarm_model import OPEN_STATES, AlarmTableModel, Column, _spans

Index = QModelIndex | QPersistentModelIndex

_NEW = AlarmState.NEW
# A layout change that only re-sorts rows says so: the column header then keeps its
# measured size instead of asking the model every header text and font again.
_PARENTS, _HINT = "QList<QPersistentModelIndex>", "QAbstractItemModel::LayoutChangeHint"
_ROWS_SORTED = QAbstractItemModel.LayoutChangeHint.VerticalSortHint
MAX_RUNS = 8  # more runs of new rows than this in one batch: one insertion + one layout change


class AlarmFilterProxy(QAbstractTableModel):
    """Open alarms first, then priority 1 first, then oldest first; filters by type, state,
    priority and free text. The order stays live: an alarm that changes moves at once."""

    filters_changed = Signal()
    settled = Signal()  # after every change of rows (a batch, a filter): the rows are final

    def __init__(self, source: AlarmTableModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._types: frozenset[AlarmType] | None = None  # None: every type
        self._states: frozenset[AlarmState] = OPEN_STATES
        self._max_priority = 4
        self._text = ""
        # The rows: sort keys ascending, and the alarm shown in each. A shown alarm's row is
        # found by bisecting its key, which the model passes along when the key changes.
        self._keys: list[str] = []
        self._rows: list[Alarm] = []
        self._shown_new = 0  # rows whose alarm is unacknowledged (to count the hidden ones)
        self._fill()
        source.applied.connect(self._on_applied)
        source.modelReset.connect(self._rebuild)
        source.ticked.connect(self._on_ticked)
        source.headerDataChanged.connect(self.headerDataChanged)

    # -- filters --------------------------------------------------------------------------
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
        self._types = None if types is None else frozenset(types)
        self._refilter()

    def set_states(self, states: Iterable[AlarmState]) -> None:
        self._states = frozenset(states)
        self._refilter()

    def set_max_priority(self, priority: int) -> None:
        self._max_priority = max(1, min(4, priority))
        self._refilter()

    def set_text(self, text: str) -> None:
        self._text = text.strip().casefold()
        self._refilter()

    def is_default(self) -> bool:
        """True when the filters show every open alarm (nothing new can be hidden)."""
        return (self._types is None and self._states >= OPEN_STATES
                and self._max_priority == 4 and not self._text)

    def accepts(self, a: Alarm) -> bool:
        return self._acceptor()(a)

    def _acceptor(self) -> Callable[[Alarm], bool]:
        """The filter as one closure over locals: it runs once per alarm on a refilter."""
        states, top, types, text = self._states, self._max_priority, self._types, self._text
        if types is None and not text:
            return lambda a: a.state in states and a.priority <= top
        if not text:
            assert types is not None
            return lambda a: a.state in states and a.priority <= top and a.type in types
        hays, hay = self._source.haystacks(), self._source.haystack
        return lambda a: (a.state in states and a.priority <= top
                          and (types is None or a.type in types)
                          and text in (hays.get(a.id) or hay(a)))

    def _refilter(self) -> None:
        self._rebuild()
        self.filters_changed.emit()

    # -- reading --------------------------------------------------------------------------
    def sourceModel(self) -> AlarmTableModel:
        return self._source

    def alarm_at(self, row: int) -> Alarm | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, alarm_id: str) -> int | None:
        key = self._source.key_of(alarm_id)
        return None if key is None else self._row_of_key(key)

    def _row_of_key(self, key: str) -> int | None:
        row = bisect_left(self._keys, key)
        return row if row < len(self._keys) and self._keys[row] == key else None

    def nearest_row(self, alarm_id: str) -> int:
        """Its row if shown, else the row it would have (the filters hiding it)."""
        key = self._source.key_of(alarm_id)
        return 0 if key is None else bisect_left(self._keys, key)

    def hidden_new_count(self) -> int:
        """Unacknowledged alarms the filters hide (counted as rows come and go: no scan)."""
        return self._source.new_count() - self._shown_new

    def mapFromSource(self, index: Index) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        row = self.row_of(self._source.alarm_at(index.row()).id)
        return QModelIndex() if row is None else self.index(row, index.column())

    def mapToSource(self, index: Index) -> QModelIndex:
        a = self.alarm_at(index.row()) if index.isValid() else None
        row = None if a is None else self._source.row_of(a.id)
        return QModelIndex() if row is None else self._source.index(row, index.column())

    # -- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self._source.headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not 0 <= row < len(self._rows):
            return None
        return self._source.cell(self._rows[row], index.column(), role)

    # -- following the model --------------------------------------------------------------
    def _fill(self) -> None:
        keys, alarms = self._source.keyed()
        accept = self._acceptor()
        rows = [i for i, a in enumerate(alarms) if accept(a)]
        rows.sort(key=keys.__getitem__)
        self._keys = [keys[i] for i in rows]
        self._rows = [alarms[i] for i in rows]
        self._shown_new = sum(1 for a in self._rows if a.state is _NEW)

    def _rebuild(self) -> None:
        self.beginResetModel()
        self._fill()
        self.endResetModel()
        self.settled.emit()

    def _find(self, key: str) -> int:
        row = self._row_of_key(key)
        assert row is not None, "a shown alarm is missing from its row"
        return row

    def _on_ticked(self, first: int, last: int, roles: list[int]) -> None:
        # Time-driven repaints (the counter, the blink): no row moves, nothing re-filters.
        # The desk's table repaints only the cells it shows (see widgets.alarms.table).
        if self._rows:
            self.dataChanged.emit(self.index(0, first), self.index(len(self._rows) - 1, last),
                                  roles)

    def _on_applied(self, added: list[Alarm], changed: list[Alarm], old_keys: list[str],
                    removed_keys: list[str]) -> None:
        accept = self._acceptor()
        leaving: list[int] = []  # rows whose alarm is no longer shown
        moving: list[tuple[int, Alarm]] = []  # shown, still shown, its key changed (escalated)
        entering = [a for a in added if accept(a)]
        updated: list[Alarm] = []  # shown, in place
        for a, old in zip(changed, old_keys, strict=True):
            row = self._row_of_key(old)
            shown = accept(a)
            if row is None:
                if shown:
                    entering.append(a)
                continue
            self._shown_new += (a.state is _NEW) - (self._rows[row].state is _NEW)
            self._rows[row] = a
            if not shown:
                leaving.append(row)
            elif self._key(a) != old:
                moving.append((row, a))
            else:
                updated.append(a)
        for old in removed_keys:
            row = self._row_of_key(old)
            if row is not None:
                leaving.append(row)
        if not (leaving or moving or entering or updated):
            return
        self._shown_new += sum(1 for a in entering if a.state is _NEW)
        if leaving:
            moving = self._remove_rows(leaving, moving)
        if moving or entering:
            self._place(entering, moving)
        if updated:
            for lo, hi in _spans([self._find(self._key(a)) for a in updated]):
                self.dataChanged.emit(self.index(lo, 0), self.index(hi, len(Column) - 1))
        self.settled.emit()

    def _remove_rows(self, rows: list[int],
                     moving: list[tuple[int, Alarm]]) -> list[tuple[int, Alarm]]:
        """Remove `rows`; returns `moving` with its row numbers after the removal."""
        for start, end in reversed(_spans(rows, gap=1)):
            self.beginRemoveRows(QModelIndex(), start, end)
            self._shown_new -= sum(1 for a in self._rows[start:end + 1] if a.state is _NEW)
            del self._keys[start:end + 1]
            del self._rows[start:end + 1]
            self.endRemoveRows()
        gone = sorted(rows)
        return [(row - bisect_left(gone, row), a) for row, a in moving]

    def _runs(self, keyed: list[tuple[str, Alarm]]) -> list[tuple[int, list[tuple[str, Alarm]]]]:
        """New rows (sorted) grouped by the row they go before in the current order."""
        runs: list[tuple[int, list[tuple[str, Alarm]]]] = []
        for item in keyed:
            at = bisect_left(self._keys, item[0])
            if runs and runs[-1][0] == at:
                runs[-1][1].append(item)
            else:
                runs.append((at, [item]))
        return runs

    def _key(self, a: Alarm) -> str:
        key = self._source.key_of(a.id)
        assert key is not None, "an alarm the model does not hold"
        return key

    def _place(self, entering: list[Alarm], moving: list[tuple[int, Alarm]]) -> None:
        keyed = sorted(((self._key(a), a) for a in entering), key=lambda p: p[0])
        runs = self._runs(keyed) if not moving else []
        if not moving and len(runs) <= MAX_RUNS:
            offset = 0
            for at, run in runs:
                first = at + offset
                self.beginInsertRows(QModelIndex(), first, first + len(run) - 1)
                self._keys[first:first] = [k for k, _ in run]
                self._rows[first:first] = [a for _, a in run]
                self.endInsertRows()
                offset += len(run)
            return
        # Many runs, or rows that move: the new rows go in at the end in one insertion, then
        # one layout change puts them and the moving rows in order, the selection with them.
        body = len(self._rows)
        if keyed:
            self.beginInsertRows(QModelIndex(), body, body + len(keyed) - 1)
            self._keys.extend(k for k, _ in keyed)
            self._rows.extend(a for _, a in keyed)
            self.endInsertRows()
        self.layoutAboutToBeChanged[_PARENTS, _HINT].emit([], _ROWS_SORTED)  # type: ignore[index]
        persistent = self.persistentIndexList()
        held = [(self._key(self._rows[i.row()]), i.column()) for i in persistent]
        del self._keys[body:]
        del self._rows[body:]
        for row in sorted((row for row, _ in moving), reverse=True):  # bottom up
            del self._keys[row]
            del self._rows[row]
        extra = sorted(keyed + [(self._key(a), a) for _, a in moving], key=lambda p: p[0])
        self._merge(extra)
        self.changePersistentIndexList(
            persistent, [self.index(self._find(key), col) for key, col in held])
        self.layoutChanged[_PARENTS, _HINT].emit([], _ROWS_SORTED)  # type: ignore[index]

    def _merge(self, extra: list[tuple[str, Alarm]]) -> None:
        """Sorted `extra` into the sorted rows: slices copied at C speed, one bisect each."""
        keys, rows = self._keys, self._rows
        new_keys: list[str] = []
        new_rows: list[Alarm] = []
        prev = 0
        for k, a in extra:
            at = bisect_left(keys, k, prev)
            new_keys += keys[prev:at]
            new_rows += rows[prev:at]
            new_keys.append(k)
            new_rows.append(a)
            prev = at
        new_keys += keys[prev:]
        new_rows += rows[prev:]
        self._keys, self._rows = new_keys, new_rows
