"""Evidence exports a room's service runs for its seats (the service has the recordings).

A seat asks for an export (room kind EXPORT): the service judges and logs it as it would
its own, starts it, and answers at once with the export's number. The seat then asks for
its progress (EXPORT_STATUS) about twice a second, and may cancel it (EXPORT_CANCEL). Only
the person who asked may follow or cancel it. The package is written in the service's
export folder ([export] folder: a share the chiefs can reach), and the status gives its
path there.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from app.core.evidence import EvidenceCancelled, EvidenceError, utc_text
from app.services.evidence.export import ExportResult, Progress
from app.services.evidence.request import ExportRequest
from app.services.gate import Refused, Session

KEEP = 16  # finished exports remembered per service (their status read once or twice)

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
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def begin(self, session: Session, request: ExportRequest) -> int:
        run = _Export(session.user.login)

        def progress(fraction: float, step: str) -> None:
            run.fraction, run.step = fraction, step

        with self._lock:
            number = next(self._numbers)
            self._runs[number] = run
            done = [n for n, r in self._runs.items() if r.future is not None
                    and r.future.done()]
            for n in done[:-KEEP]:
                del self._runs[n]
        run.future = self._start(session, request, progress, run.cancel)
        return number

    def _own(self, session: Session, number: int) -> _Export:
        run = self._runs.get(number)
        if run is None or run.owner != session.user.login:
            raise Refused(f"no export number {number} of yours on this service")
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
