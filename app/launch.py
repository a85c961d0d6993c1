"""Starts the Qt console for a loaded site: the only module that sees every layer.

It sits beside `app.main` (outside the layer stack) because building the window means
importing `widgets`, which `app.ui` may never do.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import Any

from app.core.access import User
from app.core.events import AlarmChanged, CameraAnnounced, Event, OfficerAnnounced
from app.core.registry import discover
from app.core.site import Site
from app.services.runtime import Runtime
from app.services.seat_runtime import SeatRuntime

log = logging.getLogger(__name__)


def _prepare_environment() -> None:
    # QtWebEngine's sandbox refuses to run as root (installers often are, CI always is).
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
        if "--no-sandbox" not in flags:
            os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --no-sandbox").strip()


class CannotStart(Exception):
    """The console cannot start on this journal: plain words for the installer."""


def _runtime(site: Site, override: str | None,
             default: Path) -> tuple[Runtime | SeatRuntime, str]:
    """One console's own runtime (adapters in it) on an SQLite journal; a seat of the room
    (everything through the room's service) on a shared PostgreSQL journal."""
    from app.core.journal_recovery import JournalCannotOpen
    from app.core.journal_url import JournalUrlError
    from app.core.secrets import SecretMissing
    from app.store.connection import JournalCannotReach
    from app.store.opening import journal_location, journal_password

    try:
        where = journal_location(site, override, default)
        if not where.shared:
            return Runtime(site, discover(), where), str(where)
        log.info("a seat of the room whose journal is %s", where)
        return SeatRuntime(site, where, journal_password(site)), str(where)
    except (JournalCannotOpen, JournalCannotReach, JournalUrlError, SecretMissing) as exc:
        raise CannotStart(str(exc)) from exc
    except OSError as exc:  # e.g. the journal's folder cannot be made
        raise CannotStart(f"the journal cannot be opened: {exc}") from exc


def start_qt(args: argparse.Namespace) -> Any:
    """The QApplication, made once, styled, in the chosen language: the welcome and the
    set-up assistant come before the console's window, in the same application."""
    _prepare_environment()
    from PySide6 import QtWebEngineWidgets  # noqa: F401 - must load before the QApplication
    from PySide6.QtWidgets import QApplication

    from maps.scheme import prepare_web_engine

    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    prepare_web_engine()  # the map's mbtiles: scheme and compositing, before the QApplication
    from app.ui.i18n import apply_language, chosen_language
    from app.ui.settings import APP, ORG
    from app.ui.style import apply_style

    QApplication.setOrganizationName(ORG)
    QApplication.setApplicationName(APP)
    app = QApplication(sys.argv)
    apply_style(app)
    apply_language(args.lang or chosen_language(), remember=args.lang is None)
    return app


def run(site: Site, args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer

    from app.core.territory import Territory
    from app.ui.bridge import HubBridge
    from app.ui.diagnostics import Facts
    from app.ui.settings import journal_path
    from app.ui.visibility import Visibility
    from app.ui.world import World
    from widgets.main_window import MainWindow

    app = start_qt(args)
    try:
        runtime, journal_where = _runtime(site, args.journal, journal_path(site.site.name))
    except CannotStart as exc:
        log.critical("%s", exc)
        sys.stderr.write(f"csu-console cannot start: {exc}\n")
        return 1
    log_file = getattr(args, "log_in_use", None)
    facts = Facts(site_path=site.source_path, journal=journal_where,
                  log_file=str(log_file) if log_file else "")
    world = World()
    bridge = HubBridge(runtime.hub, world)  # subscribed now: what the start says waits in it
    runtime.start()
    user = _who_signs_in(site, runtime)
    if user is None:  # the sign-in was closed: nobody works here, nothing was shown
        bridge.stop()
        runtime.stop()
        return 0
    window: MainWindow | None = None
    first = True
    try:
        while True:
            bridge.visibility = Visibility(user, Territory.of_site(site))
            window = MainWindow(site, runtime, bridge, lock_after_s=site.auth.lock_after_s,
                                unlock=runtime.unlock, facts=facts)
            if not first:  # a later window: what was said before it existed
                bridge.dispatch(_snapshot(runtime))
            bridge.start()
            window.show_restored()
            after: list[User] = []

            def switch(u: User, after: list[User] = after) -> None:
                after.append(u)
                app.quit()

            window.territory_changed.connect(switch)
            if args.quit_after is not None and first:
                QTimer.singleShot(int(args.quit_after * 1000),
                                  lambda: _finish(args.screenshot, app))
            first = False
            code = app.exec()
            if not after:
                return code
            # a person of other communes signed in: their window, on their territory only
            log.info("switch user to %s: a window for their communes", after[0].login)
            user = after[0]
            bridge.stop()
            _drop_window(window)
            window = None
            world = World()
            bridge = HubBridge(runtime.hub, world)
    finally:
        bridge.stop()
        if window is not None:
            _drop_window(window)
        runtime.stop()


def _snapshot(runtime: Runtime | SeatRuntime) -> list[Event]:
    """What a new window must know that was said before it existed: the cameras, the
    officers and the alarms (positions come with the next fixes)."""
    events: list[Event] = [CameraAnnounced(c) for c in runtime.cameras.values()]
    events += [OfficerAnnounced(o) for o in runtime.officers.values()]
    events += [AlarmChanged(a) for a in runtime.current_alarms()]
    return events


def _finish(screenshot: str | None, app: Any) -> None:
    from PySide6.QtGui import QGuiApplication

    if screenshot:
        shot = QGuiApplication.primaryScreen().grabWindow(0)  # the X server's picture:
        if not shot.save(screenshot):                         # native video included
            log.error("could not write the screenshot %s", screenshot)
        else:
            log.info("screenshot %s (%dx%d)", screenshot, shot.width(), shot.height())
    for w in app.topLevelWidgets():
        if w.objectName() == "main-window":
            w.close()
    app.quit()


def _drop_window(window: Any) -> None:
    """Shut a window down and delete it now: left to interpreter exit, Qt may free the
    map's web profile before its page ("Release of profile requested ...")."""
    from PySide6.QtCore import QCoreApplication, QEvent

    window.shutdown()
    window.hide()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _who_signs_in(site: Site, runtime: Runtime | SeatRuntime) -> User | None:
    """The packaged demo's user on the demo (no prompt; a seat of a demo room signs in
    with the demo account its service made); anyone else signs in (None: they closed it)."""
    from app.services.demo_session import (
        DEMO_PASSWORD,
        DEMO_USER,
        close_earlier_runs,
        is_packaged_demo,
    )
    from widgets.sign_in_dialog import ask_user, wait_for

    if is_packaged_demo(site):
        if isinstance(runtime, Runtime):
            runtime.sign_in_as_demo(DEMO_USER)
            runtime.export_key_on_demand = True  # the demo's first export makes its key
            close_earlier_runs(runtime)
            return DEMO_USER
        user = wait_for(runtime.sign_in(DEMO_USER.login, DEMO_PASSWORD), 30)
        if user is not None:
            return user
        log.error("the demo room's service did not sign the demo user in: asking")
    return ask_user(runtime.sign_in, site.site.name)
