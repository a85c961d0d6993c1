"""The tile header's name cut: look-alike names stay apart, the status gives way first."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from widgets.video.header import StatusLabel, elide_name

STREETS = ("Eteläesplanadi", "Eteläinen Makasiinikatu", "Erottajankatu", "Kaivokatu",
           "Pohjoisesplanadi")
CORNERS = ("Rautatientori", "Simonkatu", "Mannerheimintie", "Aleksanterinkatu", "Unioninkatu")
NAMES = [f"{s} × {c}" for s in STREETS for c in CORNERS]


def bold() -> QFontMetrics:
    font = QFont(QApplication.font())
    font.setBold(True)
    return QFontMetrics(font)


def test_look_alike_names_read_apart(qapp: QApplication) -> None:
    fm = bold()
    for width in (110, 140, 200):
        cuts = [elide_name(fm, n, width, [o for o in NAMES if o != n]) for n in NAMES]
        assert len(set(cuts)) == len(NAMES), (width, cuts)
        assert all(fm.horizontalAdvance(c) <= width for c in cuts)
    whole = elide_name(fm, "Kaivokatu", 200, NAMES)
    assert whole == "Kaivokatu"


def test_the_status_gives_way_to_the_name(qtbot: QtBot) -> None:
    label = StatusLabel()
    qtbot.addWidget(label)
    label.set_forms(["Playing · 9 fps", "9 fps"])
    fm = QFontMetrics(label.font())
    full = fm.horizontalAdvance("Playing · 9 fps") + 2
    label.fit(room=100 + 6 + full, name_width=100, spacing=6)
    assert label.text() == "Playing · 9 fps"
    label.fit(room=100 + 6 + full - 1, name_width=100, spacing=6)
    assert label.text() == "9 fps"
    label.fit(room=100, name_width=100, spacing=6)
    assert label.text() == ""
    assert label.isHidden()
