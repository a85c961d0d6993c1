"""Writing out what a search of the access log matches: every page, not only those shown.

Off the GUI thread (a worker thread reads the pages through the runtime, one at a time, and
writes the file), with progress and a cancel between pages. The law's log comes first, as
in `csu-console audit export`: the export is logged ("access_log_exported", the file, the
search, the format) before anything is read or written; if that row cannot be written, no
file is (what the law requires fails closed). An export cancelled afterwards stays in the
log as asked, with no file.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QCoreApplication, QThread, Signal, SignalInstance

from app.core.access_log import PAGE_MAX, AccessLogQuery, describe
from app.core.access_log_csv import ENCODING, write_csv
from app.core.audit_chain import AuditRow
from app.ui.access_log_model import is_refusal
from app.ui.access_log_pdf import PrintHeader, write_pdf
from app.ui.services import ConsoleRuntime

log = logging.getLogger(__name__)

WAIT_S = 120.0  # for one page or the log row: a service that answers nothing is a failure
EXPORTED = "access_log_exported"


class Format(Enum):
    CSV = "csv"
    PDF = "pdf"


class Failure(Enum):
    REFUSED = "refused"  # the person may not read the log
    UNREADABLE = "unreadable"  # the log could not be read
    NOT_LOGGED = "not_logged"  # the export could not be logged: no file
    NOT_WRITTEN = "not_written"  # the file could not be written


class AccessLogExport(QThread):
    """One export, run by `start()` on its own thread: a QThread, whose event dispatcher
    Qt's text layout needs. Signals come from that thread (connected widgets get them queued
    on the GUI thread). A running export keeps itself alive (`_running`) until its thread
    ends, even if its window is closed and deleted meanwhile."""

    _running: ClassVar[set[AccessLogExport]] = set()
    _quit_hooked: ClassVar[bool] = False
    progress = Signal(int)  # rows read so far
    written = Signal(str, int)  # the file, rows written
    failed = Signal(object, str)  # Failure, the words that came with it
    cancelled = Signal()

    def __init__(self, runtime: ConsoleRuntime, query: AccessLogQuery, path: str,
                 kind: Format, login: str, header: Callable[[int], PrintHeader]) -> None:
        """`header(rows)`: the printed page's header (PDF), made once the rows are known."""
        super().__init__()
        self.runtime = runtime
        self.query = replace(query, before_id=None, limit=PAGE_MAX)
        self.path = path
        self.kind = kind
        self.login = login
        self._header = header
        self._cancel = threading.Event()
        self.setObjectName("access-log-export")
        self.finished.connect(lambda: AccessLogExport._running.discard(self))

    def start_export(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not AccessLogExport._quit_hooked:
            app.aboutToQuit.connect(AccessLogExport.stop_all)
            AccessLogExport._quit_hooked = True
        AccessLogExport._running.add(self)
        self.start()

    def cancel(self) -> None:
        self._cancel.set()

    @classmethod
    def stop_all(cls, timeout_s: float = 10.0) -> None:
        """At quit: every running export cancelled and awaited (bounded), so that no thread
        outlives its QThread (Qt aborts the process then). One writing its file finishes."""
        for job in list(cls._running):
            job.cancel()
        for job in list(cls._running):
            if not job.wait(int(timeout_s * 1000)):
                log.warning("an access log export to %s did not stop in time", job.path)

    def run(self) -> None:
        try:
            if not self._logged():
                return
            rows = self._read_all()
            if rows is None:
                self._emit(self.cancelled)
                return
            self._write(rows)
        except _Stopped:
            pass
        except Exception as exc:  # never a silent thread death: said in the window
            log.exception("the access log export failed")
            self._emit(self.failed, Failure.NOT_WRITTEN, str(exc))

    def _read_all(self) -> list[AuditRow] | None:
        rows: list[AuditRow] = []
        query = self.query
        while True:
            if self._cancel.is_set():
                return None
            try:
                page = self.runtime.read_access_log(query).result(timeout=WAIT_S)
            except Exception as exc:
                self._emit(self.failed, Failure.REFUSED if is_refusal(exc)
                           else Failure.UNREADABLE, str(exc) or type(exc).__name__)
                raise _Stopped from exc
            rows.extend(page)
            self._emit(self.progress, len(rows))
            if len(page) < query.page_size:
                return rows
            query = replace(query, before_id=page[-1].id)

    def _logged(self) -> bool:
        """The law's log first: no row, no file."""
        q = self.query
        when = "".join(f"; {word} {t.isoformat(timespec='seconds')}" for word, t in (
            ("from", q.start), ("to", q.end)) if t is not None)
        detail = f"{describe(q)}{when}; {self.kind.value}"
        try:
            self.runtime.audit(self.login, EXPORTED, f"file:{self.path}", detail
                               ).result(timeout=WAIT_S)
        except Exception as exc:
            log.error("the access log export to %s could not be logged: %s", self.path, exc)
            self._emit(self.failed, Failure.NOT_LOGGED, str(exc) or type(exc).__name__)
            return False
        return True

    def _write(self, rows: list[AuditRow]) -> None:
        try:
            if self.kind is Format.CSV:
                with Path(self.path).open("w", encoding=ENCODING, newline="") as f:
                    write_csv(rows, f)
            else:
                write_pdf(rows, self.path, self._header(len(rows)))
        except OSError as exc:
            self._emit(self.failed, Failure.NOT_WRITTEN, exc.strerror or str(exc))
            return
        self._emit(self.written, self.path, len(rows))

    def _emit(self, signal: SignalInstance, *args: object) -> None:
        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
            signal.emit(*args)


class _Stopped(Exception):
    """Reading stopped; its failure was already said."""
