"""`csu-console serve --site FILE`: the console's service, without Qt and without a display.

It runs what a console runs below its window (adapters, alarm service, journal writer), so
that a room of several workstations has one process listening to the town's systems and
one journal. It is what an installer runs as a systemd unit or a Windows service
(packaging/systemd, packaging/windows): it logs to standard error and to a rotating file,
says on start what it runs, and stops cleanly on SIGTERM, SIGINT or Ctrl+Break.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import time
from pathlib import Path
from types import FrameType

from app.cli.service_log import FILE_ONLY
from app.cli.status_log import StatusLog
from app.core.journal_recovery import JournalCannotOpen
from app.core.journal_url import JournalLocation, JournalUrlError
from app.core.registry import discover
from app.core.secrets import SecretMissing
from app.core.site import Site
from app.core.user_paths import journal_path
from app.core.version import console_version
from app.services.demo_session import ensure_demo_account, is_packaged_demo
from app.services.room_service import ServiceRefused
from app.services.runtime import Runtime
from app.store.connection import JournalCannotReach
from app.store.opening import journal_location, journal_password

log = logging.getLogger("app.service")

STOP_SIGNALS = ("SIGTERM", "SIGINT", "SIGBREAK")  # SIGBREAK: Ctrl+Break, Windows only
POLL_S = 0.2  # how soon a stop request is seen (a signal handler only notes it)


def journal_of(site: Site, args: argparse.Namespace) -> JournalLocation:
    """The journal this service writes: `--journal`, else the site file's `[journal] url`
    (a room's PostgreSQL), else the site's default file for this user (the one a console
    on this site would open). JournalUrlError when the URL is wrong."""
    return journal_location(site, args.journal, journal_path(site.site.name))


def build_runtime(site: Site, journal: JournalLocation) -> Runtime:
    """The one place the service builds its runtime (the room's password from the keyring)."""
    return Runtime(site, discover(), journal, journal_password(site))


class StopRequest:
    """Notes the first stop signal. The handler only sets an attribute: locks, logging or
    an Event in a signal handler can deadlock with the main thread it interrupts."""

    def __init__(self) -> None:
        self.reason: str | None = None

    def install(self) -> None:
        for name in STOP_SIGNALS:
            if hasattr(signal, name):
                signal.signal(getattr(signal, name), self._note)

    def _note(self, signum: int, _frame: FrameType | None) -> None:
        if self.reason is None:
            self.reason = signal.Signals(signum).name

    def wait(self, limit_s: float | None) -> str:
        """Until a stop signal or `limit_s` (--quit-after); why it ended."""
        deadline = None if limit_s is None else time.monotonic() + limit_s
        while self.reason is None:
            if deadline is not None and time.monotonic() >= deadline:
                return f"--quit-after {limit_s:g}"
            time.sleep(POLL_S)  # interrupted by a signal, whose handler runs at once
        return self.reason


def say_what_runs(site: Site, site_path: str, journal: str, log_file: Path | None) -> None:
    log.info("csu-console %s serve starting (pid %d)", console_version(), os.getpid())
    log.info("site %r from %s", site.site.name, Path(site_path).resolve())
    log.info("journal %s", journal)
    if not site.adapters:
        log.warning("the site file names no adapter: nothing will come in")
    for cfg in site.adapters:
        log.info("adapter %s: kind %s, %s", cfg.name, cfg.kind,
                 "enabled" if cfg.enabled else "disabled")
    log.info("log file %s", log_file if log_file is not None else "none (standard error only)")


def cmd_serve(site: Site, site_path: str, args: argparse.Namespace,
              log_file: Path | None) -> int:
    """Run until stopped; 0 after a clean stop, 1 when it cannot start."""
    stop = StopRequest()
    stop.install()  # before the adapters listen: a stop during start-up is not lost
    try:
        journal = journal_of(site, args)
    except JournalUrlError as exc:
        return _cannot_start(str(exc))
    say_what_runs(site, site_path, str(journal), log_file)  # a URL never holds a password
    if not journal.shared:
        log.warning("the journal is this service's own file: no seat can attach to it "
                    "(name the room's PostgreSQL under [journal] url in the site file)")
    try:
        runtime = build_runtime(site, journal)
    except (JournalCannotOpen, JournalCannotReach, SecretMissing, OSError) as exc:
        return _cannot_start(str(exc) if not isinstance(exc, OSError) or isinstance(
            exc, JournalCannotOpen) else (
            f"the journal {journal} cannot be opened: {exc.strerror or exc}"
            f"{f' ({exc.filename})' if exc.filename else ''}"))
    statuses = StatusLog(runtime.hub)
    statuses.start()
    try:
        if is_packaged_demo(site) and journal.shared:  # a demo room: its seats sign in
            ensure_demo_account(runtime.journal)
            runtime.export_key_on_demand = True  # the demo's first export makes its key
        try:
            runtime.start()
        except ServiceRefused as exc:
            return _cannot_start(str(exc))
        log.info("serving; stop with SIGTERM or Ctrl+C")
        reason = stop.wait(args.quit_after)
        log.info("stopping (%s): adapters, then the journal", reason)
    except Exception:
        log.exception("the service failed")
        return 1
    finally:
        runtime.stop()
        statuses.stop()
    log.info("stopped cleanly; exit 0")
    return 0


def _cannot_start(why: str) -> int:
    sys.stderr.write(f"csu-console serve cannot start: {why}\n")
    log.critical("not started: %s", why, extra=FILE_ONLY)
    return 1
