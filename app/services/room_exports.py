"""Evidence exports a room's service runs for its seats (the service has the recordings).

A seat asks for an export (room kind EXPORT): the service judges and logs it as it would
its own, starts it, and answers at once with the export's number. The seat then asks for
its progress (EXPORT_STATUS) about twice a second, and may cancel it (EXPORT_CANCEL). Only
the person who asked may follow or cancel it. The package is written in the service's
export folder ([export] folder: a share the chiefs can reach), and the status gives its
path there.

An export's number is never given twice, not even by the next service after a restart: a
seat still asking about an export of the service that stopped is told it is unknown, never
shown another export's status. A service that stops cancels its running exports and waits
for them, so that each removes what it half wrote and is logged while the journal is open.
"""

from __future__ import annotations

import contextlib
import itertools
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from app.core.evidence import EvidenceCancelled, EvidenceError, utc_text
from app.services.evidence.export import ExportResult, Progress
from app.services.evidence.request import ExportRequest
from app.services.gate import Refused, Session

KEEP = 16  # finished exports remembered per service (their status read once or twice)
UNKNOWN = "no export number"  # the refusal of a number not known, or not the asker's
STOP_WAIT_S = 30.0  # a cancelled export ends in about a second (its FFmpeg is killed)

Start = Callable[[Session, ExportRequest, Progress, threading.Event], Future[ExportResult]]


@dataclass
class _Export:
    owner: str
    cancel: threading.Event = field(default_factory=threading.Event)
    fraction: float = 0.0
    step: str = "queued"
    future: Future[ExportResult] | None = None


class RoomExports:
    def __init__(self, start: Start) -> None:
        self._start = start
        self._runs: dict[int, _Export] = {}
        # from a random start: this service's numbers are not the last one's
        self._numbers = itertools.count(secrets.randbelow(1 << 40) + 1)
        self._lock = threading.Lock()
        self._stopped = False

    def begin(self, session: Session, request: ExportRequest) -> int:
        run = _Export(session.user.login)

        def progress(fraction: float, step: str) -> None:
            run.fraction, run.step = fraction, step

        with self._lock:
            if self._stopped:
                raise Refused("the console service is stopping: nothing was exported")
            run.future = self._start(session, request, progress, run.cancel)
            number = next(self._numbers)
            self._runs[number] = run
            done = [n for n, r in self._runs.items() if r.future is not None
                    and r.future.done()]
            for n in done[:-KEEP]:
                del self._runs[n]
        return number

    def stop(self) -> None:
        """Cancel the running exports and wait for them to end (each removes what it half
        wrote and logs how it ended); no new export begins."""
        with self._lock:
            self._stopped = True
            running = [r.future for r in self._runs.values()
                       if r.future is not None and not r.future.done()]
            for r in self._runs.values():
                r.cancel.set()
        deadline = time.monotonic() + STOP_WAIT_S
        for f in running:
            with contextlib.suppress(Exception):
                f.exception(timeout=max(0.0, deadline - time.monotonic()))

    def _own(self, session: Session, number: int) -> _Export:
        run = self._runs.get(number)
        if run is None or run.owner != session.user.login:
            raise Refused(f"{UNKNOWN} {number} of yours on this service")
        return run

    def cancel(self, session: Session, number: int) -> None:
        self._own(session, number).cancel.set()

    def status(self, session: Session, number: int) -> dict[str, Any]:
        """{"fraction", "step", "state": running|done|cancelled|failed|refused, ...}."""
        run = self._own(session, number)
        f = run.future
        out: dict[str, Any] = {"fraction": run.fraction, "step": run.step, "state": "running"}
        if f is None or not f.done():
            return out
        exc = f.exception()
        if exc is None:
            r = f.result()
            out.update(state="done", folder=str(r.folder),
                       zip=str(r.zip) if r.zip is not None else "",
                       manifest=r.manifest.to_bytes().decode("utf-8"),
                       timestamped=utc_text(r.timestamped) if r.timestamped else "",
                       warnings=list(r.warnings))
        elif isinstance(exc, EvidenceCancelled):
            out.update(state="cancelled", error=str(exc))
        elif isinstance(exc, Refused):
            out.update(state="refused", error=str(exc))
        else:
            out.update(state="failed", error=str(exc) if isinstance(exc, EvidenceError)
                       else f"{type(exc).__name__}: {exc}")
        return out
