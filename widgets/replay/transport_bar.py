"""The replay's transport: play/pause, a frame back or forward, the speed (1/8x to 16x,
forwards and backwards), the instant shown (local time, to the millisecond) and "bookmark
here". It only asks (signals): the replay window's clock decides and tells it back
(`set_playing`, `set_speed`, `set_time`). Its buttons take no focus, so space, the arrows
and J/K/L stay with the window, which owns them.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QWidget,
)

from app.ui.labels import key_name

FORWARD = (Fraction(1, 8), Fraction(1, 4), Fraction(1, 2), Fraction(1), Fraction(2),
           Fraction(4), Fraction(8), Fraction(16))
SPEEDS = tuple(-s for s in reversed(FORWARD)) + FORWARD  # -16x ... -1/8x, 1/8x ... 16x


def speed_label(rate: float) -> str:
    """ "1x", "1/8x", "-2x": backwards is said with a minus sign, never by a colour alone."""
    f = Fraction(rate).limit_denominator(64)
    sign = "-" if f < 0 else ""
    f = abs(f)
    words = str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
    return f"{sign}{words}x"


def instant_label(t: datetime) -> str:
    """The instant in local time, to the millisecond: "01/12/2026 14:03:22.123"."""
    local = t.astimezone()
    return f"{local:%d/%m/%Y %H:%M:%S}.{local.microsecond // 1000:03d}"


class TransportBar(QWidget):
    play_pause_requested = Signal()
    step_requested = Signal(int)  # -1 a frame back, +1 a frame forward
    speed_requested = Signal(float)  # one of SPEEDS, negative backwards
    bookmark_requested = Signal()
    export_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replayTransport")
        style = self.style()
        self.back = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekBackward),
                                 self.tr("One frame back (%1)").replace("%1", key_name("Left")))
        self.play = self._button(style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay),
                                 self.tr("Play (%1)").replace("%1", key_name("Space")))
        self.forward = self._button(
            style.standardIcon(QStyle.StandardPixmap.SP_MediaSeekForward),
            self.tr("One frame forward (%1)").replace("%1", key_name("Right")))
        self.speed = QComboBox(self)
        self.speed.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.speed.setToolTip(self.tr("Speed: negative plays backwards (J slower or "
                                      "backwards, K pause, L faster)"))
        for s in SPEEDS:
            self.speed.addItem(speed_label(float(s)), float(s))
        self.speed.setCurrentIndex(SPEEDS.index(Fraction(1)))
        self.instant = QLabel(self)
        self.instant.setObjectName("replayInstant")
        mono = QFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        mono.setPointSizeF(mono.pointSizeF() * 1.2)
        self.instant.setFont(mono)
        self.instant.setToolTip(self.tr("The instant shown, in local time"))
        self.instant.setText("--/--/---- --:--:--.---")
        self.bookmark = QToolButton(self)
        self.bookmark.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.bookmark.setText(self.tr("Bookmark here"))
        self.bookmark.setToolTip(self.tr("Note this instant, with a few words"))
        self.export = QToolButton(self)
        self.export.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.export.setText(self.tr("Export…"))
        self.export.setToolTip(self.tr("Export this incident as signed evidence (Ctrl+E)"))
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        for w in (self.back, self.play, self.forward, self.speed):
            row.addWidget(w)
        row.addSpacing(12)
        row.addWidget(self.instant)
        row.addStretch(1)
        row.addWidget(self.bookmark)
        row.addWidget(self.export)
        self.back.clicked.connect(lambda: self.step_requested.emit(-1))
        self.forward.clicked.connect(lambda: self.step_requested.emit(1))
        self.play.clicked.connect(self.play_pause_requested.emit)
        self.bookmark.clicked.connect(self.bookmark_requested.emit)
        self.export.clicked.connect(self.export_requested.emit)
        self.speed.activated.connect(lambda i: self.speed_requested.emit(self.speed.itemData(i)))
        self._playing = False

    def _button(self, icon: QIcon, tip: str) -> QToolButton:
        b = QToolButton(self)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        b.setIcon(icon)
        b.setToolTip(tip)
        b.setAccessibleName(tip)
        return b

    # -- what the clock says -----------------------------------------------------------

    def set_playing(self, playing: bool) -> None:
        if playing != self._playing:  # the window says it at every tick of its clock
            self._show_playing(playing)

    def _show_playing(self, playing: bool) -> None:
        self._playing = playing
        pixmap = QStyle.StandardPixmap.SP_MediaPause if playing \
            else QStyle.StandardPixmap.SP_MediaPlay
        self.play.setIcon(self.style().standardIcon(pixmap))
        tip = self.tr("Pause (%1)") if playing else self.tr("Play (%1)")
        tip = tip.replace("%1", key_name("Space"))
        self.play.setToolTip(tip)
        self.play.setAccessibleName(tip)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._show_playing(self._playing)  # its tooltip in the new language
        super().changeEvent(event)

    def is_playing(self) -> bool:
        return self._playing

    def set_speed(self, rate: float) -> None:
        """Shows `rate` (the nearest offered speed) without asking for it again."""
        nearest = min(range(len(SPEEDS)), key=lambda i: abs(float(SPEEDS[i]) - rate))
        self.speed.setCurrentIndex(nearest)

    def set_time(self, t: datetime) -> None:
        self.instant.setText(instant_label(t))
