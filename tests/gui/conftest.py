"""Shared GUI fixtures: a shown video wall, and the whole main window on a given site."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.access import Role, User
from app.core.journal import JournalStore
from app.core.model import OperatorAction
from app.core.recording_config import RecordingConfig
from app.core.registry import AdapterEntry, discover
from app.core.site import Site, load_site
from app.core.territory import Territory
from app.main import demo_site_path
from app.services.console_runtime import ConsoleRuntime
from app.services.runtime import Runtime
from app.ui.bridge import HubBridge
from app.ui.visibility import Visibility
from app.ui.world import World
from widgets.main_window import MainWindow
from widgets.video import VideoWall

# who the tests' consoles are signed in as: an operator of every commune
TEST_OPERATOR = User("operateur", "Opérateur de test", Role.OPERATOR)
OP_MARTIN = User("op.martin", "Paul Martin", Role.OPERATOR)  # whose name the logs are checked for
SESSION_ACTIONS = frozenset({"signed_in", "signed_out", "session_locked", "unlocked"})


def acts(journal: JournalStore) -> list[OperatorAction]:
    """The access log's rows of what was done (not who signed in: each test console is)."""
    return [a for a in journal.actions() if a.action not in SESSION_ACTIONS]


@pytest.fixture
def wall(qtbot: QtBot) -> Iterator[VideoWall]:
    w = VideoWall(watchdog_ms=250)
    qtbot.addWidget(w)
    w.move(0, 0)
    w.resize(960, 600)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.shutdown()


@contextmanager
def main_window(site: Site, journal: Path,
                adapters: Mapping[str, AdapterEntry] | None = None, *,
                seat_id: str = "", runtime: ConsoleRuntime | None = None,
                user: User | None = None, **window_options: Any) -> Iterator[MainWindow]:
    """The console's window on `site` (its adapters started only when `adapters` names
    their kinds: by default the registry is empty), muted, shown; closed and deleted at
    the end, the runtime stopped. Every step of the clean-up runs even when the start-up or
    an earlier step failed. `seat_id`: the runtime says which seat of a room it is, as the
    seat runtime does (the room's events are then posted on its hub by the test).
    `runtime`: a runtime of the test's own (a real seat of a room) instead of one console's.
    `user`: who is signed in (the window shows their territory only, as the console's
    launcher does); by default an operator of every commune.
    `window_options`: MainWindow's own keywords (e.g. the lock after inactivity)."""
    if runtime is None:
        runtime = Runtime(site, dict(adapters or {}), journal)
        runtime.sign_in_as_demo(user or TEST_OPERATOR)  # the gate lets them act
    if seat_id:
        setattr(runtime, "seat_id", seat_id)  # noqa: B010 (what SeatRuntime carries)
    visibility = Visibility(user, Territory.of_site(site)) if user is not None else None
    bridge = HubBridge(runtime.hub, World(), visibility=visibility)
    with ExitStack() as cleanup:
        cleanup.callback(runtime.stop)  # callbacks run last-registered first
        w = MainWindow(site, runtime, bridge, **window_options)
        cleanup.callback(delete_now, w)
        cleanup.callback(w.shutdown)
        cleanup.callback(bridge.stop)
        cleanup.callback(w.close)
        w.alarms.alerter.set_muted(True)
        bridge.start()
        runtime.start()
        w.show_restored()
        yield w


@contextmanager
def demo_window(journal: Path, *, record: bool = False,
                **window_options: Any) -> Iterator[MainWindow]:
    """The console on the demo site with its real adapter (town, camera server, alarms).
    `record`: the demo's three recorders run too; off by default, as the suite runs
    dozens of demo consoles on two cores and their FFmpegs are load no other test checks
    (tests/gui/test_demo_records.py proves the demo records)."""
    adapters = discover()
    site = load_site(demo_site_path(), adapters)
    if not record:
        site = site.model_copy(update={"recording": RecordingConfig()})
    with main_window(site, journal, adapters, **window_options) as w:
        yield w


def deliver_posted() -> None:
    """Run now what is already asked of Qt (layout passes, deferred closes and deletes):
    what a test checks next is then settled, without a fixed wait."""
    QApplication.sendPostedEvents()
    QApplication.processEvents()


def delete_now(w: MainWindow) -> None:
    """Now, not at interpreter exit: Qt may free the map's profile before its page."""
    w.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
