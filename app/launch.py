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

from app.core.access import User
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


def _runtime(site: Site, override: str | None, default: Path) -> Runtime | SeatRuntime:
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
            return Runtime(site, discover(), where)
        log.info("a seat of the room whose journal is %s", where)
        return SeatRuntime(site, where, journal_password(site))
    except (JournalCannotOpen, JournalCannotReach, JournalUrlError, SecretMissing) as exc:
        raise CannotStart(str(exc)) from exc
    except OSError as exc:  # e.g. the journal's folder cannot be made
        raise CannotStart(f"the journal cannot be opened: {exc}") from exc


def run(site: Site, args: argparse.Namespace) -> int:
    _prepare_environment()
    from PySide6 import QtWebEngineWidgets  # noqa: F401 - must load before the QApplication

    from maps.scheme import prepare_web_engine

    prepare_web_engine()  # the map's mbtiles: scheme and compositing, before the QApplication
    from PySide6.QtCore import QCoreApplication, QEvent, QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication

    from app.core.territory import Territory
    from app.ui.bridge import HubBridge
    from app.ui.i18n import apply_language, chosen_language
    from app.ui.settings import APP, ORG, journal_path
    from app.ui.style import apply_style
    from app.ui.visibility import Visibility
    from app.ui.world import World
    from widgets.main_window import MainWindow

    QApplication.setOrganizationName(ORG)
    QApplication.setApplicationName(APP)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_style(app)
    apply_language(args.lang or chosen_language(), remember=args.lang is None)

    try:
        runtime = _runtime(site, args.journal, journal_path(site.site.name))
    except CannotStart as exc:
        log.critical("%s", exc)
        sys.stderr.write(f"csu-console cannot start: {exc}\n")
        return 1
    world = World()
    bridge = HubBridge(runtime.hub, world)  # subscribed now: what the start says waits in it
    runtime.start()
    user = _who_signs_in(site, runtime)
    if user is None:  # the sign-in was closed: nobody works here, nothing was shown
        bridge.stop()
        runtime.stop()
        return 0
    bridge.visibility = Visibility(user, Territory.of_site(site))
    window = MainWindow(site, runtime, bridge, lock_after_s=site.auth.lock_after_s,
                        unlock=runtime.unlock)
    bridge.start()
    window.show_restored()

    if args.quit_after is not None:
        def finish() -> None:
            if args.screenshot:
                screen = QGuiApplication.primaryScreen()
                shot = screen.grabWindow(0)  # the X server's picture: native video included
                if not shot.save(args.screenshot):
                    log.error("could not write the screenshot %s", args.screenshot)
                else:
                    log.info("screenshot %s (%dx%d)", args.screenshot, shot.width(), shot.height())
            window.close()
            app.quit()

        QTimer.singleShot(int(args.quit_after * 1000), finish)
    try:
        return app.exec()
    finally:
        bridge.stop()
        window.shutdown()
        runtime.stop()
        # Delete the window now: left to interpreter exit, Qt may free the map's web
        # profile before its page ("Release of profile requested ...").
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _who_signs_in(site: Site, runtime: Runtime | SeatRuntime) -> User | None:
    """The packaged demo's operator on the demo (no prompt; a seat of a demo room signs in
    with the demo account its service made); anyone else signs in (None: they closed it)."""
    from widgets.sign_in_dialog import ask_user, wait_for

    from app.services.demo_session import DEMO_OPERATOR, DEMO_PASSWORD, is_packaged_demo

    if is_packaged_demo(site):
        if isinstance(runtime, Runtime):
            runtime.sign_in_as_demo(DEMO_OPERATOR)
            return DEMO_OPERATOR
        user = wait_for(runtime.sign_in(DEMO_OPERATOR.login, DEMO_PASSWORD), 30)
        if user is not None:
            return user
        log.error("the demo room's service did not sign the demo operator in: asking")
    return ask_user(runtime.sign_in, site.site.name)
