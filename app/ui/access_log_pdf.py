"""The access log printed: an A4 landscape PDF a chief can hand over or file.

Each page carries the site's name, who exported it, when (the site's time and UTC), the
search, the number of rows and its page number; the table's header row repeats on every
page and a row is never cut across two pages (a reader must not take half a row for a
whole one). Qt paints it (QPainter on a QPdfWriter): no second PDF library to ship, and the
text stays text (searchable, sharp when printed). Callable off the GUI thread (painting on a
QPdfWriter is supported there).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from app.core.audit_chain import AuditRow
from app.ui.access_log_words import column_titles, local_text, row_cells, utc_text

DPI = 96  # layout units: a point is 4/3 of them, as on screen
FONT = "DejaVu Sans"
FONT_PT = 7.5
HEAD_H = 64  # the header's height on each page, in layout units
FOOT_H = 22
PAD = 2.0  # inside each cell
# share of the width per column (time, person, role, workstation, act, target, purpose,
# cameras, range, detail): the detail, the range and who get the room
WIDTHS = (9, 11, 6, 7, 10, 10, 7, 8, 12, 20)
WRAP = (int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)
        | int(Qt.TextFlag.TextWordWrap))  # at word boundaries, else anywhere (a hash)
HEAD_SHADE, ROW_SHADE, RULE = QColor("#d9d9d9"), QColor("#f2f2f2"), QColor("#a0a0a0")


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


def _font(points: float, bold: bool = False) -> QFont:
    font = QFont(FONT)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def _paint(painter: QPainter, writer: QPdfWriter, rows: Sequence[AuditRow],
           header: PrintHeader) -> int:
    page = writer.pageLayout().paintRectPixels(DPI)
    width, height = float(page.width()), float(page.height())
    font, bold = _font(FONT_PT), _font(FONT_PT, bold=True)
    widths = [width * w / sum(WIDTHS) for w in WIDTHS]
    titles = column_titles()
    title_h = _row_height(QFontMetricsF(bold, writer), widths, titles)
    cells = [row_cells(row, header.zone) for row in rows] or [
        [QCoreApplication.translate("AccessLogPdf", "No row matches this search.")]
        + [""] * (len(WIDTHS) - 1)]
    metrics = QFontMetricsF(font, writer)
    heights = [_row_height(metrics, widths, c) for c in cells]
    pages = _pages(heights, height - HEAD_H - FOOT_H - title_h)
    for number, (first, end) in enumerate(pages, start=1):
        if number > 1:
            writer.newPage()
        _head(painter, width, header, len(rows))
        painter.setFont(bold)
        y = _draw_row(painter, widths, titles, float(HEAD_H), title_h, HEAD_SHADE)
        painter.setFont(font)
        for i in range(first, end):
            y = _draw_row(painter, widths, cells[i], y, heights[i], ROW_SHADE if i % 2 else None)
        _foot(painter, width, height, header, number, len(pages))
    return len(pages)


def _row_height(metrics: QFontMetricsF, widths: Sequence[float], cells: Sequence[str]) -> float:
    """The height of a row whose cells wrap inside their columns."""
    tallest = max(metrics.boundingRect(QRectF(0, 0, w - 2 * PAD, 1e6), WRAP, text).height()
                  for w, text in zip(widths, cells, strict=True))
    return max(tallest, metrics.height()) + 2 * PAD


def _pages(heights: Sequence[float], room: float) -> list[tuple[int, int]]:
    """(first, end) row numbers of each page: a row is never cut across two pages (one
    taller than a whole page gets a page of its own)."""
    pages: list[tuple[int, int]] = []
    first, used = 0, 0.0
    for i, h in enumerate(heights):
        if used + h > room and i > first:
            pages.append((first, i))
            first, used = i, 0.0
        used += h
    pages.append((first, len(heights)))
    return pages


def _draw_row(painter: QPainter, widths: Sequence[float], cells: Sequence[str], y: float,
              height: float, shade: QColor | None) -> float:
    """One row at `y`, its cells wrapped in their columns; returns where the next starts."""
    total = sum(widths)
    if shade is not None:
        painter.fillRect(QRectF(0, y, total, height), shade)
    painter.setPen(QPen(RULE, 0.5))
    painter.drawLine(QPointF(0, y + height), QPointF(total, y + height))
    painter.setPen(QColor("#000000"))
    x = 0.0
    for w, text in zip(widths, cells, strict=True):
        painter.drawText(QRectF(x + PAD, y + PAD, w - 2 * PAD, height - 2 * PAD), WRAP, text)
        x += w
    return y + height


def _head(painter: QPainter, width: float, header: PrintHeader, count: int) -> None:
    painter.setFont(_font(12, bold=True))
    name = QCoreApplication.translate("AccessLogPdf", "Access log — {0}").format(header.site)
    painter.drawText(QRectF(0, 0, width, 20), Qt.AlignmentFlag.AlignLeft, name)
    painter.setFont(_font(8))
    when = QCoreApplication.translate("AccessLogPdf", "Exported by {0} on {1} ({2})").format(
        header.exported_by, local_text(header.at, header.zone), utc_text(header.at))
    painter.drawText(QRectF(0, 22, width, 14), Qt.AlignmentFlag.AlignLeft, when)
    what = QCoreApplication.translate(
        "AccessLogPdf", "Search: {0} — {1} row(s), newest first").format(header.search, count)
    painter.drawText(QRectF(0, 37, width, 14), Qt.AlignmentFlag.AlignLeft, what)
    painter.setPen(QPen(QColor("#000000"), 1.0))
    painter.drawLine(QPointF(0, HEAD_H - 8), QPointF(width, HEAD_H - 8))


def _foot(painter: QPainter, width: float, page_h: float, header: PrintHeader, page: int,
          pages: int) -> None:
    painter.setFont(_font(8))
    box = QRectF(0, page_h - FOOT_H + 6, width, FOOT_H - 6)
    left = QCoreApplication.translate("AccessLogPdf", "{0} — access log, {1}").format(
        header.site, local_text(header.at, header.zone))
    painter.drawText(box, Qt.AlignmentFlag.AlignLeft, left)
    number = QCoreApplication.translate("AccessLogPdf", "Page {0} / {1}").format(page, pages)
    painter.drawText(box, Qt.AlignmentFlag.AlignRight, number)
