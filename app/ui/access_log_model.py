"""The access log as a Qt table, a page at a time.

Three years of log never fit a window: the model asks the runtime for one page (newest
first), and the next one only when the view scrolls to the end or the chief asks for more
(`fetchMore`, `before_id`). Every read runs off the GUI thread (the runtime's future); its
result comes back through a queued signal, tagged with the search it answers, so a page of
an older search arriving late is dropped. A refusal (the person may not read the log) is
kept as plain words for the window, not raised.
"""

from __future__ import annotations

import contextlib
import logging
from concurrent.futures import Future
from dataclasses import replace
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.core.access import Permission, allowed
from app.core.access_log import AccessLogQuery
from app.core.audit_chain import AuditRow
from app.services.gate import Refused
from app.services.room_commands import CommandRefused
from app.ui.access_log_words import column_titles, row_cells, site_zone, utc_text
from app.ui.services import ConsoleRuntime

log = logging.getLogger(__name__)

PAGE_ROWS = 200
TIME_COLUMN = 0
DETAIL_COLUMN = 9

Index = QModelIndex | QPersistentModelIndex


class LogState(Enum):
    IDLE = "idle"  # nothing asked yet
    LOADING = "loading"
    READY = "ready"  # a page is shown; more may be fetched
    COMPLETE = "complete"  # every row of the search is shown
    REFUSED = "refused"  # the person may not read the log
    FAILED = "failed"  # the log could not be read


def may_read_access_log(runtime: ConsoleRuntime) -> bool:
    """Whether the person signed in may read the log (the console hides what the service
    would refuse anyway; app.core.access says who may)."""
    session = runtime.session
    return session is not None and allowed(session.user.role, Permission.READ_ACCESS_LOG)


def is_refusal(exc: BaseException) -> bool:
    """The gate's no (one console) or the service's (a seat), as opposed to a log that
    cannot be read."""
    return isinstance(exc, Refused | CommandRefused)


class AccessLogModel(QAbstractTableModel):
    state_changed = Signal()
    _page_read = Signal(int, object, object)  # search number, rows, exception (any thread)

    def __init__(self, runtime: ConsoleRuntime, timezone: str, parent: QObject | None = None,
                 *, page_rows: int = PAGE_ROWS) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.zone = site_zone(timezone)
        self.page_rows = page_rows
        self.rows: list[AuditRow] = []
        self._cells: list[list[str]] = []
        self.query: AccessLogQuery | None = None
        self.state = LogState.IDLE
        self.problem = ""  # the refusal or the failure, in the words that came with it
        self._search = 0
        self._page_read.connect(self._on_page, Qt.ConnectionType.QueuedConnection)

    # -- searching --------------------------------------------------------------------------
    def search(self, query: AccessLogQuery) -> None:
        """A new search: the rows shown so far go, its first page is asked for."""
        self._search += 1
        self.beginResetModel()
        self.rows, self._cells = [], []
        self.query = replace(query, before_id=None, limit=self.page_rows)
        self.endResetModel()
        self._ask(self.query)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008 (Qt's API)
        return not parent.isValid() and self.state is LogState.READY and bool(self.rows)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent) and self.query is not None:
            self._ask(replace(self.query, before_id=self.rows[-1].id))

    def _ask(self, query: AccessLogQuery) -> None:
        self._set_state(LogState.LOADING)
        search = self._search
        try:
            future = self.runtime.read_access_log(query)
        except Exception as exc:  # a seat that cannot send: said, not raised
            self._on_page(search, None, exc)
            return
        future.add_done_callback(lambda f: self._deliver(search, f))

    def _deliver(self, search: int, future: Future[list[AuditRow]]) -> None:
        """On the runtime's thread: hand the page to the GUI thread."""
        exc = future.exception()
        with contextlib.suppress(RuntimeError):  # the window (and this model) closed meanwhile
            self._page_read.emit(search, None if exc else future.result(), exc)

    def _on_page(self, search: int, rows: list[AuditRow] | None,
                 exc: BaseException | None) -> None:
        if search != self._search:
            return  # an older search's page
        if exc is not None or rows is None:
            if exc is not None and not is_refusal(exc):
                log.warning("the access log could not be read: %s", exc)
            self.problem = str(exc) if exc is not None else ""
            self._set_state(LogState.REFUSED if exc is not None and is_refusal(exc)
                            else LogState.FAILED)
            return
        if rows:
            first = len(self.rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self.rows.extend(rows)
            self._cells.extend(row_cells(r, self.zone) for r in rows)
            self.endInsertRows()
        self.problem = ""
        full = self.query is not None and len(rows) >= self.query.page_size
        self._set_state(LogState.READY if full else LogState.COMPLETE)

    def _set_state(self, state: LogState) -> None:
        self.state = state
        self.state_changed.emit()

    # -- the table --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(column_titles())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._cells):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == TIME_COLUMN:
                return utc_text(self.rows[index.row()].action.time)
            text = self._cells[index.row()][index.column()]
            return text if len(text) > 40 else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            titles = column_titles()
            return titles[section] if 0 <= section < len(titles) else None
        return None

    def retranslate(self) -> None:
        """The language changed: acts, roles and titles are said again."""
        self._cells = [row_cells(r, self.zone) for r in self.rows]
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, self.columnCount() - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)
