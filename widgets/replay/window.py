"""An incident replayed beside the live console (which keeps running): the incident's
cameras in a wall of their own, the officers' tracks on the same map the live window uses,
the alarm desk as it stood at that instant with the operators' acts appearing as they
happened, and one timeline under them. One clock drives all of it (DESIGN.md: replay is
the journal fed through the same models, not a second program).

Keys (the window owns them, the timeline and the transport bar only ask):
Space play/pause · Left/Right one picture back/forward (of the focused tile's camera) ·
J/K/L backwards/pause/forwards, faster on each press · Home/End the incident's start/end ·
B a bookmark here · +/- zoom the timeline.

Nothing here runs before the consultation is logged: the window is built from a
`ReplaySession` that is READY (app/ui/replay_session.py).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from app.core.hub import Hub
from app.core.incident import Bookmark, Incident
from app.core.recording import Gap, Playable
from app.core.site import Site
from app.ui.alarm_model import AlarmTableModel
from app.ui.bridge import HubBridge
from app.ui.futures import hand_over
from app.ui.replay_feed import ReplayFeed
from app.ui.replay_lanes import bookmark_marks, lanes, marks
from app.ui.replay_session import ReplayRuntime, ReplaySession
from app.ui.replay_video import (
    RATES,
    CameraPlayback,
    ClockState,
    Key,
    Move,
    ReplayClock,
    after_key,
    apply,
    faster,
    slower,
)
from app.ui.timeline_model import Mark
from app.ui.visibility import Visibility
from app.ui.world import World
from widgets.alarms import AlarmDesk
from widgets.map_dock import MapFeed, make_map_view
from widgets.replay.bookmark_dialog import ask_bookmark
from widgets.replay.export_dialog import ExportDialog, open_export
from widgets.replay.timeline import TimelineView
from widgets.replay.transport_bar import TransportBar
from widgets.replay.wall import ReplayWall

log = logging.getLogger(__name__)

CLOCK_MS = 33  # the timeline's cursor and the transport's instant: at most 30 a second
REPLAY_STALE_S = 1e9  # positions are as old as the replay's clock: never "stale" there


class _Nothing:
    """The source of a camera nobody recorded: the tile says so."""

    name = "nothing"

    def playables(self, camera: str, start: datetime, end: datetime) -> list[Playable]:
        return []

    def gaps(self, camera: str, start: datetime, end: datetime) -> list[Gap]:
        return []


class ReplayWindow(QMainWindow):
    closed = Signal()
    _bookmarked = Signal(object, object)  # list[Bookmark] read, exception
    _bookmark_saved = Signal(object, object, object)  # Bookmark, its id, exception

    def __init__(self, site: Site, runtime: ReplayRuntime, session: ReplaySession,
                 live: World, visibility: Visibility | None, cache_dir: Path,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert session.history is not None, "the session is READY"
        self.setObjectName("replay-window")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.site = site
        self.runtime = runtime
        self.session = session
        self.incident: Incident = session.incident
        i = self.incident
        self.clock = ReplayClock(i.start, i.end)
        # the replay's own world and bridge: the same map and desk code as the live window
        self.world = World(cameras=dict(live.cameras), officers=dict(live.officers))
        self.bridge = HubBridge(Hub(), self.world, visibility=visibility, parent=self)
        self.feed = ReplayFeed(session.history, self.clock, self.bridge, parent=self)

        names = {c: (live.cameras[c].name if c in live.cameras else c) for c in i.cameras}
        self.playbacks = [CameraPlayback(session.sources.get(c) or _Nothing(), c, self.clock)
                          for c in i.cameras]
        self.wall = ReplayWall(self)
        self.wall.set_playbacks(self.playbacks, [names[c] for c in i.cameras], self.clock)

        quiet = site.model_copy(update={"map": site.map.model_copy(
            update={"stale_after_s": REPLAY_STALE_S})})
        self.map = make_map_view(quiet, cache_dir)
        self.map_feed = MapFeed(self.map, self.bridge, quiet)
        self.alarm_model = AlarmTableModel(site, self.world, clock=self.clock.position,
                                           parent=self)
        self.alarm_model.attach(self.bridge)
        self.desk = AlarmDesk(self.alarm_model, None, site, self.world, self.bridge, self,
                              sound=False)
        self.feed.reset.connect(self._on_reset)
        self._select_after_reset = ""  # an alarm mark clicked: selected after the seek

        self.timeline = TimelineView(self)
        self.timeline.set_range(i.start, i.end)
        self.timeline.set_tracks(lanes(i.cameras, names, session.coverage))
        self.bookmarks: list[Bookmark] = []
        self._marks: list[Mark] = marks(session.history, ())
        self.timeline.set_marks(self._marks)
        self.timeline.seek_requested.connect(self.seek)  # a mark clicked too
        self.timeline.mark_activated.connect(self._show_mark)
        self.transport = TransportBar(self)
        self.transport.play_pause_requested.connect(lambda: self.key(Key.SPACE))
        self.transport.step_requested.connect(self.step)
        self.transport.speed_requested.connect(self.set_rate)
        self.transport.bookmark_requested.connect(self.bookmark_here)
        self.transport.export_requested.connect(self.export_evidence)
        self.export_dialog: ExportDialog | None = None
        self._bookmarked.connect(self._on_bookmarked)
        self._bookmark_saved.connect(self._on_bookmark_saved)

        # left: the wall over the transport and the timeline; right: the map over the
        # desk, its detail under the queue (a 1366-pixel screen leaves the wall room)
        self.desk.splitter.setOrientation(Qt.Orientation.Vertical)
        side = QSplitter(Qt.Orientation.Vertical, self)
        side.addWidget(self.map)
        side.addWidget(self.desk)
        left = QWidget(self)
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.wall, 1)
        column.addWidget(self.transport)
        column.addWidget(self.timeline)
        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(left)
        top.addWidget(side)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        self._top = top
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(top, 1)
        self.setCentralWidget(body)

        self._keys()
        self._shown: ClockState | None = None
        self._tick = QTimer(self)
        self._tick.setObjectName("replay-clock")
        self._tick.setInterval(CLOCK_MS)
        self._tick.timeout.connect(self._show_clock)
        self._tick.start()
        self.feed.start()
        self._show_clock()
        self.retranslate()
        self.statusBar().showMessage(self.tr("Consultation logged in the access log: %1")
                                     .replace("%1", session.consultation.words
                                              or session.consultation.purpose))
        self._ask_bookmarks()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Replay — %1").replace("%1", self.incident.title))

    def showEvent(self, event: QShowEvent) -> None:
        """The wall takes three fifths of the width (the map and the desk need less), and
        the window the keyboard: the chief's next key is for the replay."""
        super().showEvent(event)
        QTimer.singleShot(0, self, self._share_width)  # not once the window is gone
        QTimer.singleShot(0, self, self._take_keys)

    def _take_keys(self) -> None:
        """The keyboard to the timeline, not to the desk's search field (the first field
        in the window): a line edit eats Space, J/K/L as text and Ctrl+E as "end of
        line", and the chief's keys would do nothing."""
        self.activateWindow()
        self.timeline.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def _share_width(self) -> None:
        width = self._top.width()  # laid out by now
        self._top.setSizes([width * 3 // 5, width - width * 3 // 5])

    def _show_mark(self, mark: Mark) -> None:
        """A clicked alarm or act: its alarm selected in the desk once the desk shows the
        mark's instant (the timeline seeks: the feed resets the desk on its next tick)."""
        if mark.key.startswith("alarm:"):
            self._select_after_reset = mark.key.removeprefix("alarm:")

    # -- the clock ---------------------------------------------------------------------------
    def seek(self, t: datetime) -> None:
        self.clock.seek(t)

    def step(self, direction: int) -> None:
        """One picture of the focused tile's camera back (-1) or forward (+1), paused."""
        apply(self.clock, Move(False, self.clock.rate, 1 if direction > 0 else -1),
              self.wall.focused_playback())

    def set_rate(self, rate: float) -> None:
        if rate not in RATES:  # faster/slower at either end of the ladder
            return
        self.clock.set_rate(rate)
        self.clock.play()

    def key(self, key: Key, k_held: bool = False) -> None:
        apply(self.clock, after_key(key, self.clock.playing, self.clock.rate, k_held),
              self.wall.focused_playback())

    def _keys(self) -> None:
        def bind(sequence: str | QKeySequence.StandardKey, slot: object) -> None:
            shortcut = QShortcut(QKeySequence(sequence), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slot)

        bind("Space", lambda: self.key(Key.SPACE))
        bind("J", lambda: self.key(Key.J))
        bind("K", lambda: self.key(Key.K))
        bind("L", lambda: self.key(Key.L))
        bind("Left", lambda: self.step(-1))
        bind("Right", lambda: self.step(1))
        bind("Home", lambda: self.seek(self.incident.start))
        bind("End", lambda: self.seek(self.incident.end))
        bind("B", self.bookmark_here)
        bind("Ctrl+E", self.export_evidence)
        bind("Shift+Up", lambda: self.set_rate(faster(self.clock.rate)))
        bind("Shift+Down", lambda: self.set_rate(slower(self.clock.rate)))
        bind("+", lambda: self.timeline.zoom(0.5))
        bind("-", lambda: self.timeline.zoom(2.0))

    def _show_clock(self) -> None:
        state = self.clock.state()
        if state == self._shown:
            return  # paused: nothing to tell the timeline and the transport again
        self._shown = state
        self.timeline.set_position(state.position)
        self.transport.set_time(state.position)
        self.transport.set_playing(state.playing)
        self.transport.set_speed(state.rate)

    def _on_reset(self, gone_officers: list[str], gone_alarms: list[str],
                  alarms: list[object]) -> None:
        """After a jump: the map forgets who is not placed at the new instant (their trail
        with them) and the alarms not raised yet; the desk shows the alarms as they stood."""
        if gone_officers:
            self.map.remove_officers(gone_officers)
        if gone_alarms:
            self.map.remove_alarms(gone_alarms)
        self.alarm_model.set_alarms(alarms)  # type: ignore[arg-type]
        if self._select_after_reset:
            self.desk.queue.select_alarm(self._select_after_reset)
            self._select_after_reset = ""

    # -- bookmarks ---------------------------------------------------------------------------
    def export_evidence(self) -> ExportDialog:
        """The export dialog over this incident's range, its cameras and officers ticked
        (one at a time: a second press shows the open one)."""
        if self.export_dialog is not None:
            self.export_dialog.raise_()
            self.export_dialog.activateWindow()
            return self.export_dialog
        history = self.session.history
        assert history is not None
        dialog = open_export(self.runtime, self.incident, self.world,
                             list(self.incident.officers) or sorted(history.tracks), self)
        dialog.finished.connect(self._export_closed)
        self.export_dialog = dialog
        return dialog

    def _export_closed(self) -> None:
        self.export_dialog = None

    def bookmark_here(self) -> None:
        at = self.clock.position()
        note = ask_bookmark(at, self)
        if note is None or not self.incident.id:
            return
        bookmark = Bookmark(self.incident.id, at, note, "")
        hand_over(self.runtime.add_bookmark(bookmark), self._bookmark_saved, bookmark)

    def _on_bookmark_saved(self, bookmark: Bookmark, bookmark_id: int | None,
                           exc: BaseException | None) -> None:
        self._on_bookmarked([replace(bookmark, id=bookmark_id or 0)], exc)

    def _ask_bookmarks(self) -> None:
        if self.incident.id:
            hand_over(self.runtime.bookmarks(self.incident.id), self._bookmarked)

    def _on_bookmarked(self, bookmarks: list[Bookmark] | None, exc: BaseException | None
                       ) -> None:
        if exc is not None or bookmarks is None:
            log.warning("replay: bookmarks not saved or read: %s", exc)
            self.statusBar().showMessage(self.tr("The bookmark was not saved: %1")
                                         .replace("%1", str(exc)), 10_000)
            return
        self.bookmarks += bookmarks
        self._marks = sorted([*self._marks, *bookmark_marks(bookmarks)], key=lambda m: m.at)
        self.timeline.set_marks(self._marks)

    # -- closing -----------------------------------------------------------------------------
    def shown_times(self) -> dict[str, datetime | None]:
        return self.wall.shown_times()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._tick.stop()
        self.feed.stop()
        self.wall.stop()
        self.clock.pause()
        for playback in self.playbacks:
            playback.close()
        self.bridge.stop()
        self.session.close()
        self.closed.emit()
        super().closeEvent(event)

