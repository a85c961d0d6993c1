"""The chief's access-log window: search the log, read it newest first, export what the
search matches as CSV or as a printable PDF.

Reading and exporting run off the GUI thread (app.ui's model and export job); this window
only lays out the filters, the table and the words. Who may read the log is the service's
decision (a refusal is shown in plain words); Console > Access log… is only offered to those
it would allow (`AccessLogEntry`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTime
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.access_log import AccessLogQuery
from app.core.model import utc_now
from app.core.site import Site
from app.ui.access_log_export import AccessLogExport, Failure, Format
from app.ui.access_log_model import (
    DETAIL_COLUMN,
    TIME_COLUMN,
    AccessLogModel,
    LogState,
    may_read_access_log,
)
from app.ui.access_log_pdf import PrintHeader
from app.ui.access_log_words import KNOWN_ACTS, act_label, local_text, refusal_label
from app.ui.services import ConsoleRuntime

ERROR_STYLE = "color: #c62828; font-weight: bold;"


class AccessLogWindow(QWidget):
    def __init__(self, site: Site, runtime: ConsoleRuntime, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("access-log-window")
        self.site = site
        self.runtime = runtime
        self.model = AccessLogModel(runtime, site.site.operator_timezone, self)
        self.export_job: AccessLogExport | None = None
        self.progress: QProgressDialog | None = None
        self.file_dialog: QFileDialog | None = None

        self.from_check, self.from_edit = QCheckBox(self), self._date_edit(days_ago=7)
        self.to_check, self.to_edit = QCheckBox(self), self._date_edit(days_ago=0)
        self.from_check.toggled.connect(self.from_edit.setEnabled)
        self.to_check.toggled.connect(self.to_edit.setEnabled)
        self.login_edit = QLineEdit(self)
        self.act_combo = QComboBox(self)
        self.camera_edit = QLineEdit(self)
        self.text_edit = QLineEdit(self)
        for edit in (self.login_edit, self.camera_edit, self.text_edit):
            edit.setClearButtonEnabled(True)
        self.search_button = QPushButton(self)
        self.search_button.clicked.connect(self.search)

        self.count_label = QLabel(self)
        self.count_label.setObjectName("access-log-count")
        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("access-log-problem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(ERROR_STYLE)
        self.problem_label.hide()
        self.order_label = QLabel(self)
        self.order_label.setWordWrap(True)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        head = self.table.horizontalHeader()
        # sorted by time only, newest first: the log is read that way, a page at a time
        head.setSortIndicatorShown(True)
        head.setSortIndicator(TIME_COLUMN, Qt.SortOrder.DescendingOrder)
        head.setSectionsClickable(False)
        head.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        head.setStretchLastSection(True)
        self.more_button = QPushButton(self)
        self.more_button.clicked.connect(lambda: self.model.fetchMore())
        self.csv_button = QPushButton(self)
        self.csv_button.clicked.connect(lambda: self.ask_file(Format.CSV))
        self.pdf_button = QPushButton(self)
        self.pdf_button.clicked.connect(lambda: self.ask_file(Format.PDF))
        self.export_label = QLabel(self)
        self.export_label.setObjectName("access-log-export")
        self.export_label.setWordWrap(True)

        self._lay_out()
        self.model.state_changed.connect(self._show_state)
        self.model.modelReset.connect(self._show_state)
        self.model.rowsInserted.connect(self._sized_once)
        self._sized = False
        self.retranslate()
        self.resize(1200, 640)

    def _date_edit(self, days_ago: int) -> QDateTimeEdit:
        edit = QDateTimeEdit(self)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        day = QDateTime.currentDateTime().addDays(-days_ago)
        edit.setDateTime(QDateTime(day.date(), QTime(0, 0) if days_ago else QTime(23, 59)))
        edit.setEnabled(False)
        return edit

    def _lay_out(self) -> None:
        grid = QGridLayout()
        self.from_label, self.to_label = QLabel(self), QLabel(self)
        self.login_label, self.act_label = QLabel(self), QLabel(self)
        self.camera_label, self.text_label = QLabel(self), QLabel(self)
        for label, buddy in ((self.from_label, self.from_edit), (self.to_label, self.to_edit),
                             (self.login_label, self.login_edit),
                             (self.act_label, self.act_combo),
                             (self.camera_label, self.camera_edit),
                             (self.text_label, self.text_edit)):
            label.setBuddy(buddy)
        grid.addWidget(self.from_label, 0, 0)
        grid.addWidget(self.from_check, 0, 1)
        grid.addWidget(self.from_edit, 0, 2)
        grid.addWidget(self.to_label, 0, 3)
        grid.addWidget(self.to_check, 0, 4)
        grid.addWidget(self.to_edit, 0, 5)
        grid.addWidget(self.act_label, 0, 6)
        grid.addWidget(self.act_combo, 0, 7)
        grid.addWidget(self.login_label, 1, 0)
        grid.addWidget(self.login_edit, 1, 1, 1, 2)
        grid.addWidget(self.camera_label, 1, 3)
        grid.addWidget(self.camera_edit, 1, 4, 1, 2)
        grid.addWidget(self.text_label, 1, 6)
        grid.addWidget(self.text_edit, 1, 7)
        grid.addWidget(self.search_button, 0, 8, 2, 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(5, 1)
        grid.setColumnStretch(7, 1)
        status = QHBoxLayout()
        status.addWidget(self.count_label)
        status.addStretch(1)
        status.addWidget(self.order_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.more_button)
        buttons.addWidget(self.export_label, 1)
        buttons.addWidget(self.csv_button)
        buttons.addWidget(self.pdf_button)
        column = QVBoxLayout(self)
        column.addLayout(grid)
        column.addWidget(self.problem_label)
        column.addLayout(status)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Access log — {0}").format(self.site.site.name))
        self.from_label.setText(self.tr("&From"))
        self.to_label.setText(self.tr("&To"))
        self.from_check.setToolTip(self.tr("Only rows from this time on"))
        self.to_check.setToolTip(self.tr("Only rows up to this time"))
        self.login_label.setText(self.tr("&Login"))
        self.login_edit.setPlaceholderText(self.tr("anyone (exact login)"))
        self.act_label.setText(self.tr("&Act"))
        chosen = self.act_combo.currentData() or ""
        self.act_combo.clear()
        self.act_combo.addItem(self.tr("any act"), "")
        for act in sorted(KNOWN_ACTS, key=act_label):
            self.act_combo.addItem(act_label(act), act)
        self.act_combo.setCurrentIndex(max(0, self.act_combo.findData(chosen)))
        self.camera_label.setText(self.tr("&Camera"))
        self.camera_edit.setPlaceholderText(self.tr("any camera (its id)"))
        self.text_label.setText(self.tr("T&ext"))
        self.text_edit.setPlaceholderText(self.tr("in the detail, target or name"))
        self.search_button.setText(self.tr("&Search"))
        self.order_label.setText(self.tr(
            "Newest first. The log is read a page at a time, so it is sorted by time only."))
        self.more_button.setText(self.tr("&More"))
        self.csv_button.setText(self.tr("Export &CSV…"))
        self.pdf_button.setText(self.tr("Export &PDF…"))
        self.model.retranslate()
        self._show_state()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter searches, from any filter (the line edits and date fields pass it on)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.search()
            return
        super().keyPressEvent(event)

    # -- searching --------------------------------------------------------------------------
    def query(self) -> AccessLogQuery:
        """The filters as a search: the dates typed in the site's time, asked in UTC."""
        zone = self.model.zone
        start = _utc(self.from_edit.dateTime(), zone) if self.from_check.isChecked() else None
        end = _utc(self.to_edit.dateTime(), zone) if self.to_check.isChecked() else None
        if end is not None:
            end += timedelta(seconds=59, microseconds=999_999)  # "to 14:05" includes 14:05
        return AccessLogQuery(start=start, end=end, login=self.login_edit.text().strip(),
                              action=str(self.act_combo.currentData() or ""),
                              camera=self.camera_edit.text().strip(),
                              text=self.text_edit.text().strip())

    def search(self) -> None:
        self._sized = False
        self.export_label.clear()
        self.model.search(self.query())

    def search_words(self, query: AccessLogQuery) -> str:
        """The search as the printed page says it."""
        zone = self.model.zone
        parts: list[str] = []
        if query.start is not None:
            parts.append(self.tr("from {0}").format(local_text(query.start, zone)))
        if query.end is not None:
            parts.append(self.tr("to {0}").format(local_text(query.end, zone)))
        if query.login:
            parts.append(self.tr("login {0}").format(query.login))
        if query.action:
            parts.append(self.tr("act “{0}”").format(act_label(query.action)))
        if query.camera:
            parts.append(self.tr("camera {0}").format(query.camera))
        if query.text:
            parts.append(self.tr("text “{0}”").format(query.text))
        return ", ".join(parts) if parts else self.tr("the whole log")

    def _show_state(self) -> None:
        state, n = self.model.state, self.model.rowCount()
        match state:
            case LogState.LOADING:
                text = self.tr("Reading the access log…")
            case LogState.READY:
                text = self.tr("%n row(s) shown; more are read as you scroll down.", "", n)
            case LogState.COMPLETE:
                text = self.tr("%n row(s): all that this search matches.", "", n)
            case _:
                text = ""
        self.count_label.setText(text)
        if state is LogState.REFUSED:
            self._problem(self.tr("You may not read the access log: {0}").format(
                refusal_label(self.model.problem)))
            self.problem_label.setToolTip(self.model.problem)  # the service's own words
        elif state is LogState.FAILED:
            self._problem(self.tr("The access log cannot be read now: {0}").format(
                self.model.problem))
        else:
            self.problem_label.hide()
        self.more_button.setEnabled(self.model.canFetchMore())
        searched = state in (LogState.READY, LogState.COMPLETE)
        idle = self.export_job is None
        self.csv_button.setEnabled(searched and idle)
        self.pdf_button.setEnabled(searched and idle)

    def _problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.show()

    def _sized_once(self) -> None:
        """Columns fitted to the first page of a search (not at every page: they would jump
        under the chief's eyes)."""
        if self._sized:
            return
        self._sized = True
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount()):
            if col != DETAIL_COLUMN:
                self.table.setColumnWidth(col, min(self.table.columnWidth(col), 260))

    # -- exporting --------------------------------------------------------------------------
    def ask_file(self, kind: Format) -> None:
        """The file to write, then the export (the dialog is Qt's own, the same on every
        system, and left open to the window: the console keeps running meanwhile)."""
        if self.model.query is None or self.export_job is not None:
            return
        stamp = datetime.now(self.model.zone).strftime("%Y%m%d-%H%M")
        dialog = QFileDialog(self, self.tr("Export the access log"))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix(kind.value)
        dialog.setNameFilter(self.tr("CSV files (*.csv)") if kind is Format.CSV
                             else self.tr("PDF files (*.pdf)"))
        dialog.selectFile(f"access-log-{stamp}.{kind.value}")
        dialog.fileSelected.connect(lambda path: self.export(path, kind))
        dialog.finished.connect(dialog.deleteLater)
        self.file_dialog = dialog
        dialog.open()

    def export(self, path: str, kind: Format) -> None:
        """Everything the current search matches, to `path` (all its pages, read off the
        GUI thread; logged before the file is written)."""
        query, session = self.model.query, self.runtime.session
        if query is None or self.export_job is not None:
            return
        user = session.user if session is not None else None
        login = user.login if user is not None else ""
        who = f"{login} ({user.name})" if user is not None and user.name else login
        words = self.search_words(query)
        at = utc_now()
        zone = self.model.zone
        job = AccessLogExport(self.runtime, query, path, kind, login,
                              lambda _n: PrintHeader(self.site.site.name, who, at, words, zone))
        job.progress.connect(self._exported_so_far)
        job.written.connect(self._export_done)
        job.failed.connect(self._export_failed)
        job.cancelled.connect(self._export_cancelled)
        self.export_job = job
        self.export_label.setStyleSheet("")
        self.export_label.setText(self.tr("Exporting to {0}…").format(path))
        progress = QProgressDialog(self.tr("Reading the access log for the export…"),
                                   self.tr("Cancel"), 0, 0, self)
        progress.setWindowTitle(self.tr("Export the access log"))
        progress.setMinimumDuration(500)
        progress.canceled.connect(job.cancel)
        self.progress = progress
        self._show_state()
        job.start_export()

    def _exported_so_far(self, rows: int) -> None:
        if self.progress is not None:
            self.progress.setLabelText(self.tr("%n row(s) read…", "", rows))

    def _export_done(self, path: str, rows: int) -> None:
        self._end_export()
        self.export_label.setText(self.tr("%n row(s) written to {0}.", "", rows).format(path))

    def _export_failed(self, failure: Failure, words: str) -> None:
        self._end_export()
        match failure:
            case Failure.REFUSED:
                text = self.tr("Not exported: you may not read the access log ({0}).")
                words = refusal_label(words)
            case Failure.UNREADABLE:
                text = self.tr("Not exported: the access log cannot be read now ({0}).")
            case Failure.NOT_LOGGED:
                text = self.tr("Not exported: the export could not be written to the access "
                               "log, and the law requires it first ({0}). No file was "
                               "written.")
            case _:
                text = self.tr("The file could not be written ({0}). The export is in the "
                               "access log; choose another folder and export again.")
        self.export_label.setStyleSheet(ERROR_STYLE)
        self.export_label.setText(text.format(words))

    def _export_cancelled(self) -> None:
        self._end_export()
        self.export_label.setText(self.tr("Export cancelled: no file was written."))

    def _end_export(self) -> None:
        if self.progress is not None:
            self.progress.reset()
            self.progress.deleteLater()
            self.progress = None
        self.export_job = None
        self._show_state()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.export_job is not None:
            self.export_job.cancel()  # stops between pages; a logged export still writes
        super().closeEvent(event)


def _utc(value: QDateTime, zone: tzinfo) -> datetime:
    """A date and time typed in the site's time zone, in UTC."""
    d, t = value.date(), value.time()
    local = datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=zone)
    return local.astimezone(UTC)


class AccessLogEntry(QObject):
    """Console > Access log…: offered only to a person whose role may read the log (the
    service refuses the others anyway), checked each time the menu opens (shifts change
    hands on the same console)."""

    def __init__(self, site: Site, runtime: ConsoleRuntime, menu: QMenu, before: QAction,
                 parent: QWidget) -> None:
        super().__init__(parent)
        self.site = site
        self.runtime = runtime
        self._parent = parent
        self.window: AccessLogWindow | None = None
        self.action = QAction(parent)
        self.action.setObjectName("access-log")
        self.action.triggered.connect(self.open)
        self.separator = menu.insertSeparator(before)
        menu.insertAction(self.separator, self.action)
        menu.aboutToShow.connect(self.sync)
        self.sync()
        self.retranslate()

    def sync(self) -> None:
        shown = may_read_access_log(self.runtime)
        self.action.setVisible(shown)
        self.separator.setVisible(shown)
        if not shown:
            self.forget()

    def retranslate(self) -> None:
        self.action.setText(self.tr("Access &log…"))

    def open(self) -> None:
        """The window (one; raised when already open), searching the whole log. Closing it
        deletes it: the rows read do not outlive it (the next person at this console)."""
        if self.window is None:
            window = AccessLogWindow(self.site, self.runtime, self._parent)
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            window.destroyed.connect(self._gone)
            self.window = window
            window.search()
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()

    def forget(self) -> None:
        """Close the window and drop what it read: for the session's lock and for a change
        of person at this console (the next one may not read the log)."""
        if self.window is not None:
            self.window.close()

    def _gone(self) -> None:
        self.window = None
