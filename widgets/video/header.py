"""The tile header's two texts and who gives way: the camera's name wins the space.

Seen at 1366×768: names cut to "Erott…" and "Etelä…" (two tiles looked the same) while
"Playing · 9 fps" kept its width. Now the status shortens first (to the fps, then to
nothing: the dot keeps the state's colour, the tooltip the words), and a name that
still does not fit is cut in the middle, keeping its start and its end; when that still
reads like another tile's name, it shows its head and then the part where the two
differ ("Kai…Aleksanteri…" beside "Kai…Unioninkatu").
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

ELLIPSIS = "…"


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _distinguishing_cut(fm: QFontMetrics, name: str, form: str, clash: Sequence[str],
                        width: int) -> str:
    """`name`'s head, then the part where it differs from the names in `clash`:
    "Kai…Aleksanteri…" beside "Kai…Unioninkatu"."""
    split = max(_common_prefix(name, o) for o in clash)
    head = name[:min(len(form.split(ELLIPSIS, 1)[0]), split, 4)]
    return fm.elidedText(head + ELLIPSIS + name[split:].lstrip(), Qt.TextElideMode.ElideRight,
                         width)


def elide_name(fm: QFontMetrics, name: str, width: int, others: Sequence[str] = ()) -> str:
    """`name` cut to `width` pixels: whole if it fits, else cut in the middle; where that
    reads like another of the wall's names (`others`) cut the same way, the head and the
    part where they differ. Every tile computes the same cuts for the same names and
    width, so two tiles agree on who shows what; with very little room (a few letters)
    names alike at both ends may still read the same."""
    names = sorted({name, *others})
    forms = {n: fm.elidedText(n, Qt.TextElideMode.ElideMiddle, width) for n in names}
    if forms[name] == name:
        return name
    for _round in range(3):
        groups: dict[str, list[str]] = {}
        for n in names:
            groups.setdefault(forms[n], []).append(n)
        clashes = [g for g in groups.values() if len(g) > 1]
        if not clashes:
            break
        for group in clashes:
            for n in group:
                forms[n] = _distinguishing_cut(fm, n, forms[n], [o for o in group if o != n],
                                               width)
    return forms[name]


class NameLabel(QLabel):
    """The camera's name, never widening the tile; cut as `elide_name` says."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(10)
        self._others: tuple[str, ...] = ()
        # the cut is worked out once per name, width, font and other names, not per paint
        # (a playing tile's header repaints with every fps change, beside up to 24 others)
        self._cut: tuple[tuple[str, int, str, tuple[str, ...]], str] | None = None

    def set_others(self, names: Sequence[str]) -> None:
        """The names on the other tiles of the wall (a cut name must not read like them)."""
        others = tuple(names)
        if others != self._others:
            self._others = others
            self.update()

    def full_width(self) -> int:
        """Pixels the whole name needs."""
        return QFontMetrics(self.font()).horizontalAdvance(self.text()) + 2

    def shown_text(self) -> str:
        """What the operator reads at the label's current width."""
        key = (self.text(), self.width(), self.font().key(), self._others)
        if self._cut is None or self._cut[0] != key:
            shown = elide_name(QFontMetrics(self.font()), self.text(), self.width(),
                               self._others)
            self._cut = (key, shown)
        return self._cut[1]

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        align = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.drawText(self.rect(), int(align), self.shown_text())


class StatusLabel(QLabel):
    """The tile's state and fps, in the longest of its forms that leaves the name whole
    (full, short, none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._forms: tuple[str, ...] = ("",)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)

    def set_forms(self, forms: Sequence[str]) -> None:
        """The texts to choose from, longest first ("" is always the last resort)."""
        self._forms = (*[f for f in forms if f], "")

    def fit(self, room: int, name_width: int, spacing: int) -> None:
        """Take the longest form that fits in `room` beside a name of `name_width`."""
        fm = QFontMetrics(self.font())
        for form in self._forms:
            width = fm.horizontalAdvance(form) + 2 if form else 0
            if not form or name_width + spacing + width <= room:
                break
        if form != self.text():
            self.setText(form)
        if self.width() != width or self.minimumWidth() != width:
            self.setFixedWidth(width)
        self.setVisible(bool(form))
