"""Where `csu-console serve` writes its log: standard error (journald, WinSW or the
installer's terminal) and a rotating file, so a service that ran for months keeps a bounded
history an installer can send. No secret is ever logged: only names of secrets are known
here, and the adapters log their systems by address, never with credentials."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from app.core.bundled import log_origin

LOG_FILE_BYTES = 10 * 1024 * 1024
LOG_FILE_COUNT = 5  # service.log + 5 older ones: at most 60 MB
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JOURNALD_FORMAT = "%(levelname)s %(name)s: %(message)s"  # journald stamps each line itself
FILE_ONLY = {"file_only": True}  # `extra=` of a line already said plainly on standard error


class _NotFileOnly(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, "file_only", False)


class _NotSinkStateLines(logging.Filter):
    """The service logs each adapter's state from the hub, rate-bounded, with its counters
    (app/cli/status_log.py); the adapter sink's own state line would say it a second time."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "app.core.adapter" and record.funcName == "status")


def start_logging(log_file: Path, who: str = "csu-console serve",
                  service: bool = True) -> Path | None:
    """Log to standard error and to `log_file` (rotated). Returns the file in use, or None
    when it cannot be opened (said on standard error; the service runs on without it).
    `who`: the program named in that message; `service`: the service logs adapter states
    itself (app/cli/status_log.py), a console keeps the adapters' own state lines."""
    root = logging.getLogger()
    for handler in list(root.handlers):  # main()'s basicConfig: replaced by ours
        root.removeHandler(handler)
    handlers: list[logging.Handler] = []
    if sys.stderr is not None:  # None in a windowed build (pythonw): the file only
        stderr = logging.StreamHandler(sys.stderr)
        stderr.setFormatter(logging.Formatter(
            JOURNALD_FORMAT if os.environ.get("JOURNAL_STREAM") else FORMAT))
        stderr.addFilter(_NotFileOnly())
        handlers.append(stderr)
    in_use: Path | None = log_file
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        to_file = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=LOG_FILE_BYTES, backupCount=LOG_FILE_COUNT, encoding="utf-8")
        to_file.setFormatter(logging.Formatter(FORMAT))
        handlers.append(to_file)
    except OSError as exc:
        in_use = None
        if sys.stderr is not None:
            sys.stderr.write(f"{who}: cannot write the log file {log_file} "
                             f"({exc.strerror or exc}); logging to standard error only\n")
    for handler in handlers:
        if service:
            handler.addFilter(_NotSinkStateLines())
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    log_origin()  # a bundle says which libvlc and FFmpeg it uses
    return in_use
