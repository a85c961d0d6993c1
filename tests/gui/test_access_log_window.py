"""The chief's access-log window (issue 11: "a chief views, filters and exports the log, CSV
and a printable PDF, from the console"): on a real runtime and its SQLite journal, the rows
newest first in the site's time, filters, pages read as the chief scrolls, exports of the
whole search (logged before any file is written; no log, no file), and the menu entry only
for those who may read it. An operator's runtime refuses the log: the window says so."""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.core.access import Role, User
from app.core.access_log_csv import CSV_COLUMNS
from app.core.model import OperatorAction
from app.core.site import Site
from app.services.runtime import Runtime
from app.ui.access_log_export import AccessLogExport
from app.ui.access_log_model import LogState
from app.ui.i18n import apply_language
from app.ui.services import ConsoleRuntime
from tests.gui.conftest import main_window
from tests.integration.journal_faults import SmallDisk
from tests.room.room_rig import Room
from widgets.access_log_window import AccessLogWindow

SITE = Site.model_validate({"site": {"name": "Ville-sur-Test",
                                     "operator_timezone": "Europe/Paris"},
                            "map": {"center": [48.85, 2.35]}})
CHIEF = User("chef.durand", "Claire Durand", Role.CHIEF)
OPERATOR = User("op.martin", "Paul Martin", Role.OPERATOR)
T0 = datetime(2026, 7, 14, 10, 0, tzinfo=UTC)  # 12:00 in Paris (summer time)


def act(minutes: int, who: User, action: str, target: str, detail: str = "",
        **more: object) -> OperatorAction:
    return OperatorAction(T0 + timedelta(minutes=minutes), who.login, action, target, detail,
                          user_name=who.name, role=who.role.value, workstation="poste-2",
                          **more)  # type: ignore[arg-type]


def some_rows() -> list[OperatorAction]:
    """Oldest first, as they were written."""
    return [
        act(0, OPERATOR, "bodycam_live_view", "camera:bc-pm11", "alarm 12",
            purpose="safety", cameras=("bc-pm11",)),
        act(5, OPERATOR, "acknowledged", "alarm:12"),
        act(30, CHIEF, "export", "camera:cam-gare", "=HYPERLINK(\"x\")", purpose="judicial",
            recipients=("OPJ Lefèvre",), cameras=("cam-gare",),
            range_start=T0 - timedelta(hours=2), range_end=T0 - timedelta(hours=1)),
        act(60, OPERATOR, "some_future_act", "alarm:13", "written as is"),
    ]


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    rt = Runtime(SITE, {}, tmp_path / "journal.sqlite")
    rt.sign_in_as_demo(CHIEF)
    rt.journal.store(actions=some_rows())
    yield rt
    rt.stop()


def open_window(qtbot: QtBot, runtime: ConsoleRuntime, size: tuple[int, int] = (1300, 700),
                page_rows: int | None = None) -> AccessLogWindow:
    w = AccessLogWindow(SITE, runtime)
    qtbot.addWidget(w)
    if page_rows is not None:
        w.model.page_rows = page_rows
    w.resize(*size)
    w.move(0, 0)
    w.show()
    qtbot.waitExposed(w)
    w.search()
    wait_read(qtbot, w)
    return w


def wait_read(qtbot: QtBot, w: AccessLogWindow) -> None:
    qtbot.waitUntil(lambda: w.model.state not in (LogState.IDLE, LogState.LOADING),
                    timeout=20_000)


def shown(w: AccessLogWindow, column: int) -> list[str]:
    m = w.table.model()
    return [m.index(r, column).data() for r in range(m.rowCount())]


def shown_acts(w: AccessLogWindow) -> list[str]:
    """The act column, without the console's own sign-in and log-reading rows."""
    return [a for a in shown(w, 4) if a not in ("signed in", "access log viewed")]


def choose_file(qtbot: QtBot, w: AccessLogWindow, button: object, path: Path) -> None:
    """Click the export button, type the file's path in the dialog, press Save."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    qtbot.waitUntil(lambda: w.file_dialog is not None and w.file_dialog.isVisible(),
                    timeout=10_000)
    dialog = w.file_dialog
    assert isinstance(dialog, QFileDialog)
    name = dialog.findChild(QLineEdit, "fileNameEdit")
    assert name is not None
    name.setText(str(path))
    qtbot.keyClick(name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)


def wait_export(qtbot: QtBot, w: AccessLogWindow) -> None:
    """Until the window has said how it went and the export's thread has ended."""
    qtbot.waitUntil(lambda: w.export_job is None and not AccessLogExport._running,
                    timeout=60_000)


def test_a_chief_reads_the_log_newest_first_in_the_sites_time(
        qtbot: QtBot, runtime: Runtime) -> None:
    w = open_window(qtbot, runtime)
    assert w.model.state is LogState.COMPLETE
    assert shown_acts(w) == ["some_future_act", "export", "alarm acknowledged",
                             "live body-cam viewing"]  # unknown acts as written
    times = [t for t, a in zip(shown(w, 0), shown(w, 4), strict=True)
             if a not in ("signed in", "access log viewed")]
    assert times == ["14/07/2026 13:00:00", "14/07/2026 12:30:00", "14/07/2026 12:05:00",
                     "14/07/2026 12:00:00"]  # stored UTC, shown in Paris (UTC+2)
    row = shown(w, 4).index("export")
    assert [w.model.index(row, c).data() for c in (1, 2, 3, 6, 7, 8)] == [
        "chef.durand (Claire Durand)",
        "shift chief", "poste-2", "judicial", "cam-gare",
        "14/07/2026 10:00:00 → 14/07/2026 11:00:00"]
    assert "recipients: OPJ Lefèvre" in w.model.index(row, 9).data()
    assert w.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole) == "14/07/2026 10:30:00 UTC"
    assert "all that this search matches" in w.count_label.text()
    # reading the log is itself logged (by the runtime), as the chief
    viewed = [a for a in runtime.journal.actions() if a.action == "access_log_viewed"]
    assert viewed
    assert viewed[-1].actor == "chef.durand"


def test_filters_narrow_the_search_enter_searches(qtbot: QtBot, runtime: Runtime) -> None:
    w = open_window(qtbot, runtime)
    qtbot.keyClicks(w.login_edit, "op.martin")
    qtbot.keyClick(w.login_edit, Qt.Key.Key_Return)
    wait_read(qtbot, w)
    assert set(shown(w, 1)) == {"op.martin (Paul Martin)"}
    assert shown_acts(w) == ["some_future_act", "alarm acknowledged", "live body-cam viewing"]
    w.act_combo.setCurrentIndex(w.act_combo.findData("acknowledged"))
    qtbot.mouseClick(w.search_button, Qt.MouseButton.LeftButton)
    wait_read(qtbot, w)
    assert shown(w, 5) == ["alarm:12"]
    w.login_edit.clear()
    w.act_combo.setCurrentIndex(0)
    w.camera_edit.setText("bc-pm11")
    qtbot.keyClick(w.camera_edit, Qt.Key.Key_Return)
    wait_read(qtbot, w)
    assert shown_acts(w) == ["live body-cam viewing"]
    # a time range typed in the site's time: 12:00 to 12:10 in Paris holds two rows
    w.camera_edit.clear()
    w.from_check.setChecked(True)
    w.to_check.setChecked(True)
    w.from_edit.setDateTime(w.from_edit.dateTime().fromString("14/07/2026 12:00",
                                                              "dd/MM/yyyy HH:mm"))
    w.to_edit.setDateTime(w.to_edit.dateTime().fromString("14/07/2026 12:10",
                                                          "dd/MM/yyyy HH:mm"))
    qtbot.keyClick(w.to_edit, Qt.Key.Key_Return)
    wait_read(qtbot, w)
    assert shown(w, 4) == ["alarm acknowledged", "live body-cam viewing"]


def test_pages_are_read_as_the_chief_scrolls_and_asks_for_more(
        qtbot: QtBot, runtime: Runtime) -> None:
    runtime.journal.store(actions=[act(100 + i, OPERATOR, "note", f"alarm:{i}", f"note {i}")
                                   for i in range(120)])
    w = open_window(qtbot, runtime, page_rows=50)
    assert w.model.rowCount() == 50
    assert w.model.state is LogState.READY
    assert w.more_button.isEnabled()
    assert "more are read as you scroll down" in w.count_label.text()
    w.table.scrollToBottom()  # the view asks the model for the next page
    qtbot.waitUntil(lambda: w.model.rowCount() == 100, timeout=20_000)
    wait_read(qtbot, w)
    qtbot.mouseClick(w.more_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.model.state is LogState.COMPLETE, timeout=20_000)
    ids = [r.id for r in w.model.rows]
    assert ids == sorted(ids, reverse=True)
    assert len(set(ids)) == len(ids)
    assert len(ids) == len(list(runtime.journal.audit_rows()))
    assert not w.more_button.isEnabled()
    # one "viewed" row per search, not per page
    assert sum(a.action == "access_log_viewed" for a in runtime.journal.actions()) == 1


def test_csv_export_writes_the_whole_search_logged_first(
        qtbot: QtBot, runtime: Runtime, tmp_path: Path) -> None:
    runtime.journal.store(actions=[act(100 + i, OPERATOR, "note", f"alarm:{i}", f"note {i}")
                                   for i in range(70)])
    w = open_window(qtbot, runtime, page_rows=50)
    assert w.model.rowCount() == 50  # a page shown; the export writes every row
    out = tmp_path / "journal-export.csv"
    choose_file(qtbot, w, w.csv_button, out)
    wait_export(qtbot, w)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: a spreadsheet reads accents
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == CSV_COLUMNS
    data = [dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows[1:]]
    # the export's own row is in the file it names: logged before the file was written
    # (newest first: only the reading it asked for, logged by the runtime, is newer)
    assert [d["action"] for d in data[:2]] == ["access_log_viewed", "access_log_exported"]
    assert data[1]["target"] == f"file:{out}"
    assert data[1]["login"] == "chef.durand"
    assert "csv" in data[1]["detail"]
    assert len(data) == len(list(runtime.journal.audit_rows()))
    export = next(d for d in data if d["action"] == "export")
    assert export["detail"] == "'=HYPERLINK(\"x\")"  # no formula run by a spreadsheet
    assert export["recipients"] == "OPJ Lefèvre"
    assert export["time_utc"] == "2026-07-14T10:30:00+00:00"
    assert f"{len(data)} row(s) written to {out}" in w.export_label.text()


def test_pdf_export_is_a_printable_a4_landscape_document(
        qtbot: QtBot, runtime: Runtime, tmp_path: Path) -> None:
    runtime.journal.store(actions=[act(100 + i, OPERATOR, "note", f"alarm:{i}",
                                       f"a longer note on alarm {i}, as operators write them")
                                   for i in range(150)])
    w = open_window(qtbot, runtime)
    w.login_edit.setText("op.martin")
    w.search()
    wait_read(qtbot, w)
    out = tmp_path / "journal.pdf"
    choose_file(qtbot, w, w.pdf_button, out)
    wait_export(qtbot, w)
    assert out.read_bytes().startswith(b"%PDF")
    doc = QPdfDocument()
    assert doc.load(str(out)) == QPdfDocument.Error.None_
    pages = doc.pageCount()
    assert pages >= 3  # 153 rows do not fit one page
    size = doc.pagePointSize(0)
    assert size.width() > size.height()  # landscape
    assert abs(size.width() - 842) < 3
    assert abs(size.height() - 595) < 3
    first = doc.getAllText(0).text()
    assert "Access log — Ville-sur-Test" in first
    assert "Exported by chef.durand (Claire Durand)" in first
    assert "UTC" in first
    assert "Search: login op.martin" in first
    assert "153 row(s)" in first
    assert f"Page 1 / {pages}" in first
    last = doc.getAllText(pages - 1).text()
    assert f"Page {pages} / {pages}" in last
    assert "Time" in last
    assert "Person" in last
    assert "bc-pm11" in last  # the oldest row (the body-cam viewing), on the last page
    for page in range(pages):  # no row cut across two pages: each name whole on its page
        text = doc.getAllText(page).text()
        assert text.count("op.martin (Paul") == text.count("Martin)") > 0
    logged = [a for a in runtime.journal.actions() if a.action == "access_log_exported"]
    assert [a.target for a in logged] == [f"file:{out}"]
    image = doc.render(0, size.toSize() * 2)
    image.save(str(tmp_path / "page1.png"))
    doc.close()


def test_no_log_row_no_file(qtbot: QtBot, tmp_path: Path) -> None:
    """The law's log fails closed: a journal that cannot write refuses the export."""
    disk = SmallDisk(tmp_path / "disk")
    rt = Runtime(SITE, {}, disk.path / "journal.sqlite")
    try:
        rt.sign_in_as_demo(CHIEF)
        rt.journal.store(actions=some_rows())
        w = open_window(qtbot, rt)
        assert w.model.state is LogState.COMPLETE
        disk.fill()
        out = tmp_path / "refused.csv"
        choose_file(qtbot, w, w.csv_button, out)
        wait_export(qtbot, w)
        assert not out.exists()
        text = w.export_label.text()
        assert "Not exported" in text
        assert "No file was written" in text
    finally:
        rt.stop()
        disk.unmount()


def test_a_file_that_cannot_be_written_is_said(qtbot: QtBot, runtime: Runtime) -> None:
    w = open_window(qtbot, runtime)
    choose_file(qtbot, w, w.csv_button, Path("/proc/access-log.csv"))
    wait_export(qtbot, w)
    assert "The file could not be written" in w.export_label.text()
    assert w.csv_button.isEnabled()  # the chief may choose another folder


def test_an_operator_is_refused_in_plain_words(qtbot: QtBot, runtime: Runtime) -> None:
    runtime.sign_in_as_demo(OPERATOR)
    w = open_window(qtbot, runtime)
    assert w.model.state is LogState.REFUSED
    assert w.problem_label.isVisible()
    assert w.problem_label.text() == ("You may not read the access log: it is kept for shift "
                                      "chiefs and administrators")
    assert "the role 'operator' may not do this" in w.problem_label.toolTip()
    assert w.model.rowCount() == 0
    assert not w.csv_button.isEnabled()
    assert not w.pdf_button.isEnabled()
    refused = [a for a in runtime.journal.actions() if a.action == "refused"]
    assert refused
    assert refused[-1].target == "access_log"


def console_menu_acts(qtbot: QtBot, menu: object) -> list[str]:
    """What the Console menu offers once opened, as the person sees it."""
    menu.popup(QPoint(0, 0))  # type: ignore[attr-defined]
    qtbot.waitUntil(menu.isVisible, timeout=5000)  # type: ignore[attr-defined]
    texts = [a.text() for a in menu.actions()  # type: ignore[attr-defined]
             if a.isVisible() and not a.isSeparator()]
    menu.hide()  # type: ignore[attr-defined]
    return texts


def test_the_menu_offers_the_log_to_a_chief_not_to_an_operator(
        qtbot: QtBot, tmp_path: Path) -> None:
    with main_window(SITE, tmp_path / "op.sqlite") as w:  # signed in as an operator
        menu = w.quit_guard.menu
        assert console_menu_acts(qtbot, menu) == ["&Quit"]
    rt = Runtime(SITE, {}, tmp_path / "chief.sqlite")
    rt.sign_in_as_demo(CHIEF)
    rt.journal.store(actions=some_rows())
    with main_window(SITE, tmp_path / "chief.sqlite", runtime=rt) as w:
        menu = w.quit_guard.menu
        assert console_menu_acts(qtbot, menu) == ["&Replay…", "Access &log…", "&Quit"]
        w.access_log.action.trigger()
        log_window = w.access_log.window
        assert log_window is not None
        qtbot.waitExposed(log_window)
        wait_read(qtbot, log_window)
        assert "export" in shown_acts(log_window)
        assert QApplication.activeModalWidget() is None  # non-modal: the console goes on
        # another person at this console (an operator signs in): the entry goes and the
        # window with what it read, as soon as the menu is opened
        rt.sign_in_as_demo(OPERATOR)
        assert console_menu_acts(qtbot, menu) == ["&Quit"]
        qtbot.waitUntil(lambda: w.access_log.window is None, timeout=5000)


def test_at_a_seat_the_service_reads_and_logs_for_a_chief_and_refuses_an_operator(
        qtbot: QtBot, room: Room, tmp_path: Path) -> None:
    """A seat of a room (its own database role cannot read the log): the room's service
    reads it for a chief, logs the export as the chief, and refuses an operator."""
    service = room.start_service()
    service.journal.store(actions=some_rows())
    chief = room.seat("chef", role=Role.CHIEF).seat
    w = open_window(qtbot, chief)
    assert w.model.state is LogState.COMPLETE
    assert "export" in shown_acts(w)
    out = tmp_path / "seat.csv"
    choose_file(qtbot, w, w.csv_button, out)
    wait_export(qtbot, w)
    assert "row(s) written" in w.export_label.text()
    logged = [r.action for r in service.journal.audit_rows()
              if r.action.action == "access_log_exported"]
    assert [(a.actor, a.target) for a in logged] == [("chef", f"file:{out}")]
    assert f"file:{out}" in out.read_text(encoding="utf-8-sig")  # logged before written

    operator = room.seat("amartin").seat
    refused = open_window(qtbot, operator)
    assert refused.model.state is LogState.REFUSED
    assert "kept for shift chiefs" in refused.problem_label.text()
    assert "the role 'operator' may not do this" in refused.problem_label.toolTip()


def test_an_export_is_cancelled_from_its_progress(qtbot: QtBot, runtime: Runtime,
                                                   tmp_path: Path) -> None:
    """The runtime's journal thread is busy (a slow disk): the progress shows, Cancel stops
    the export before it reads; the export stays in the log as asked, no file is written."""
    w = open_window(qtbot, runtime)
    busy = threading.Event()
    runtime._audit_io.submit(busy.wait, 30)  # the journal's one writer, held
    out = tmp_path / "cancelled.csv"
    try:
        choose_file(qtbot, w, w.csv_button, out)
        qtbot.waitUntil(lambda: w.progress is not None and w.progress.isVisible(),
                        timeout=10_000)
        assert w.progress is not None
        cancel = w.progress.findChild(QPushButton)
        assert cancel is not None
        assert not w.csv_button.isEnabled()  # one export at a time
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    finally:
        busy.set()
    wait_export(qtbot, w)
    assert w.export_label.text() == "Export cancelled: no file was written."
    assert not out.exists()
    assert w.csv_button.isEnabled()


@pytest.fixture(params=["en", "fr"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    apply_language(request.param, remember=False)
    try:
        yield request.param
    finally:
        apply_language("en", remember=False)


def test_the_window_fits_a_control_room_laptop(qtbot: QtBot, runtime: Runtime,
                                              language: str) -> None:
    """At 1366×768, in English and in French: the filters, Search and the export buttons
    whole on the screen, the rows readable (the window opens within the screen)."""
    w = open_window(qtbot, runtime, size=(1366, 730))
    assert w.minimumSizeHint().width() <= 1366
    assert w.frameGeometry().width() <= 1366
    for button in (w.search_button, w.more_button, w.csv_button, w.pdf_button):
        assert button.isVisible()
        assert button.visibleRegion().boundingRect() == button.rect()
        assert w.rect().contains(QRect(button.mapTo(w, QPoint(0, 0)), button.size()))
    assert (w.csv_button.text() == "Exporter en &CSV…") == (language == "fr")
    assert w.model.index(0, 0).data().count("/") == 2  # a date on every row
    assert w.table.viewport().height() > 8 * w.table.rowHeight(0)
