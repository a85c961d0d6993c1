"""The access log printed: an A4 landscape PDF a chief can hand over or file.

Each page carries the site's name, who exported it, when (the site's time and UTC), the
search, the number of rows and its page number; the table's header row repeats on every
page. Qt lays it out (QTextDocument over a QPdfWriter): no second PDF library to ship, and
the text stays text (searchable, sharp when printed). Callable off the GUI thread (painting
on a QPdfWriter and QTextDocument are supported there).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QFont,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
    QTextOption,
)

from app.core.audit_chain import AuditRow
from app.ui.access_log_words import column_titles, local_text, row_cells, utc_text

DPI = 96  # layout units: a point is 4/3 of them, as on screen
FONT_PT = 7.5
HEAD_H = 64  # the header's height on each page, in layout units
FOOT_H = 22
# share of the width per column (time, person, role, workstation, act, target, purpose,
# cameras, range, detail): the detail, the range and who get the room
WIDTHS = (9, 11, 6, 7, 10, 10, 7, 8, 12, 20)


@dataclass(frozen=True, slots=True)
class PrintHeader:
    site: str
    exported_by: str  # "login (name)"
    at: datetime  # when, UTC
    search: str  # the search, in the chief's words
    zone: tzinfo  # the site's time zone


def write_pdf(rows: Sequence[AuditRow], path: str, header: PrintHeader) -> int:
    """Writes the PDF; returns its page count. OSError when the file cannot be written."""
    writer = QPdfWriter(path)
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape,
                                     QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter))
    writer.setTitle(QCoreApplication.translate("AccessLogPdf", "Access log — {0}").format(
        header.site))
    writer.setCreator("CSU Console")
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(QCoreApplication.translate(
            "AccessLogPdf", "the file cannot be opened for writing"))
    try:
        return _paint(painter, writer, rows, header)
    finally:
        painter.end()


def _paint(painter: QPainter, writer: QPdfWriter, rows: Sequence[AuditRow],
           header: PrintHeader) -> int:
    page = writer.pageLayout().paintRectPixels(DPI)
    width, body_h = float(page.width()), float(page.height() - HEAD_H - FOOT_H)
    doc = _table(rows, header, writer)
    doc.setPageSize(QSizeF(width, body_h))
    pages = doc.pageCount()
    for i in range(pages):
        if i:
            writer.newPage()
        _head(painter, width, header, len(rows))
        painter.save()
        painter.translate(0, HEAD_H - i * body_h)
        doc.drawContents(painter, QRectF(0, i * body_h, width, body_h))
        painter.restore()
        _foot(painter, width, float(page.height()), header, i + 1, pages)
    return pages


def _table(rows: Sequence[AuditRow], header: PrintHeader, writer: QPdfWriter) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    font = QFont("DejaVu Sans")
    font.setPointSizeF(FONT_PT)
    doc.setDefaultFont(font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    doc.setDefaultTextOption(option)
    doc.setDocumentMargin(0)
    head = "".join(f'<th width="{w}%" align="left" bgcolor="#d9d9d9">{html.escape(t)}</th>'
                   for t, w in zip(column_titles(), WIDTHS, strict=True))
    body: list[str] = []
    for n, row in enumerate(rows):
        shade = ' bgcolor="#f2f2f2"' if n % 2 else ""
        cells = "".join(f"<td>{html.escape(c)}</td>" for c in row_cells(row, header.zone))
        body.append(f"<tr{shade}>{cells}</tr>")
    if not rows:
        none = QCoreApplication.translate("AccessLogPdf", "No row matches this search.")
        body.append(f'<tr><td colspan="{len(WIDTHS)}">{html.escape(none)}</td></tr>')
    doc.setHtml('<table width="100%" border="0.5" cellspacing="0" cellpadding="2" '
                'style="border-collapse: collapse; border-color: #808080">'
                f"<thead><tr>{head}</tr></thead>{''.join(body)}</table>")
    return doc


def _head(painter: QPainter, width: float, header: PrintHeader, count: int) -> None:
    title = QFont("DejaVu Sans")
    title.setPointSizeF(12)
    title.setBold(True)
    painter.setFont(title)
    name = QCoreApplication.translate("AccessLogPdf", "Access log — {0}").format(header.site)
    painter.drawText(QRectF(0, 0, width, 20), Qt.AlignmentFlag.AlignLeft, name)
    small = QFont("DejaVu Sans")
    small.setPointSizeF(8)
    painter.setFont(small)
    when = QCoreApplication.translate("AccessLogPdf", "Exported by {0} on {1} ({2})").format(
        header.exported_by, local_text(header.at, header.zone), utc_text(header.at))
    painter.drawText(QRectF(0, 22, width, 14), Qt.AlignmentFlag.AlignLeft, when)
    what = QCoreApplication.translate(
        "AccessLogPdf", "Search: {0} — {1} row(s), newest first").format(header.search, count)
    painter.drawText(QRectF(0, 37, width, 14), Qt.AlignmentFlag.AlignLeft, what)
    painter.drawLine(0, HEAD_H - 8, int(width), HEAD_H - 8)


def _foot(painter: QPainter, width: float, page_h: float, header: PrintHeader, page: int,
          pages: int) -> None:
    small = QFont("DejaVu Sans")
    small.setPointSizeF(8)
    painter.setFont(small)
    box = QRectF(0, page_h - FOOT_H + 6, width, FOOT_H - 6)
    left = QCoreApplication.translate("AccessLogPdf", "{0} — access log, {1}").format(
        header.site, local_text(header.at, header.zone))
    painter.drawText(box, Qt.AlignmentFlag.AlignLeft, left)
    number = QCoreApplication.translate("AccessLogPdf", "Page {0} / {1}").format(page, pages)
    painter.drawText(box, Qt.AlignmentFlag.AlignRight, number)
