"""One incident opened for replay, step by step, none of it on the GUI thread:

1. the consultation is logged (its purpose, cameras and range: CSI R241-14); refused or not
   logged, and nothing is shown (`refused` says why in plain words);
2. the journal's past over the range is read (`ReplayHistory`);
3. each camera's source is chosen (the console's recordings, else a VMS that records it).

Then `ready`: the window builds its wall, map and desk on `history` and `sources`.
"""

from __future__ import annotations

import concurrent.futures
import enum
import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from app.core.incident import Bookmark, Incident
from app.core.recording import Gap, Playable, ReplaySource
from app.services.consultation import Consultation
from app.services.evidence.export import ExportResult, Progress
from app.services.evidence.request import ExportRequest
from app.services.replay_history import ReplayHistory
from app.services.replay_sources import ReplaySources
from app.ui.futures import hand_over

log = logging.getLogger(__name__)


class ReplayRuntime(Protocol):
    """What replay asks of the console's runtime (`Runtime`)."""

    def consult_recordings(self, consultation: Consultation) -> Future[Any]: ...
    def replay_history(self, start: datetime, end: datetime,
                       officers: Sequence[str] | None = None) -> Future[ReplayHistory]: ...
    def replay_sources(self, local: ReplaySource | None, grant: Any = None
                       ) -> ReplaySources: ...
    def incidents(self) -> Future[list[Incident]]: ...
    def save_incident(self, incident: Incident) -> Future[int]: ...
    def add_bookmark(self, bookmark: Bookmark) -> Future[int]: ...
    def bookmarks(self, incident_id: int) -> Future[list[Bookmark]]: ...
    def export_evidence(self, request: ExportRequest, progress: Progress,
                        cancel: threading.Event) -> Future[ExportResult]: ...


def can_replay(runtime: object) -> bool:
    """This runtime replays (one console's own; a seat of a room does not yet)."""
    return all(hasattr(runtime, name) for name in ("consult_recordings", "replay_history",
                                                   "replay_sources", "save_incident"))


class Phase(enum.Enum):
    IDLE = "idle"
    LOGGING = "logging"  # the consultation is being logged
    LOADING = "loading"  # the journal's past and the sources
    READY = "ready"
    REFUSED = "refused"  # refused, or the log could not be written: nothing shown


class ReplaySession(QObject):
    ready = Signal()
    refused = Signal(str)
    _arrived = Signal(str, object, object)  # step, result, exception (from another thread)

    def __init__(self, runtime: ReplayRuntime, incident: Incident, purpose: str,
                 reference: str = "", local: ReplaySource | None = None,
                 parent: QObject | None = None, words: str = "") -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.incident = incident
        self.consultation = Consultation(incident.cameras, incident.start, incident.end,
                                         purpose, reference, incident.id, words)
        self.local = local
        self.phase = Phase.IDLE
        self.problem = ""
        self.history: ReplayHistory | None = None
        self.sources: dict[str, ReplaySource | None] = {}
        self.grant: object = None  # a seat's grant to the room's recordings
        # per camera: what is recorded (spans) and the holes, for the timeline's lanes
        self.coverage: dict[str, tuple[list[Playable], list[Gap]]] = {}
        self._pending: set[str] = set()
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=1,
                                                           thread_name_prefix="replay-plan")
        self._arrived.connect(self._on_arrived)

    def start(self) -> None:
        self.phase = Phase.LOGGING
        try:
            fut: Future[Any] = self.runtime.consult_recordings(self.consultation)
        except Exception as exc:  # could not even be asked
            self._refuse(exc)
            return
        self._watch("consulted", fut)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _watch(self, step: str, fut: Future[Any]) -> None:
        self._pending.add(step)
        hand_over(fut, self._arrived, step)

    def _on_arrived(self, step: str, result: object, exc: BaseException | None) -> None:
        self._pending.discard(step)
        if self.phase is Phase.REFUSED:
            return
        if exc is not None:
            self._refuse(exc)
            return
        if step == "consulted":
            self.grant = result
            self.phase = Phase.LOADING
            i = self.incident
            # both awaited before either can arrive (a done future calls back at once)
            self._pending |= {"history", "sources"}
            self._watch("history", self.runtime.replay_history(i.start, i.end,
                                                               list(i.officers) or None))
            self._watch("sources", self._pool.submit(self._plan))
            return
        if step == "history":
            assert isinstance(result, ReplayHistory)
            self.history = result
        elif step == "sources":
            assert isinstance(result, dict)
            self.sources = result
        if not self._pending:
            self.phase = Phase.READY
            self.ready.emit()

    def _plan(self) -> dict[str, ReplaySource | None]:
        """Each camera's source, and what it holds over the range (the network or the
        disk: on this worker thread)."""
        sources = self.runtime.replay_sources(self.local, self.grant)
        i = self.incident
        chosen: dict[str, ReplaySource | None] = {}
        for cam in i.cameras:
            try:
                source, held = sources.pick(cam, i.start, i.end)
                chosen[cam] = source
                if source is not None:
                    self.coverage[cam] = (held, source.gaps(cam, i.start, i.end))
            except Exception as exc:  # the tile says it; the timeline shows no lane
                chosen.setdefault(cam, None)
                log.warning("replay: what was recorded of %s cannot be listed: %s", cam, exc)
        return chosen

    def _refuse(self, exc: BaseException) -> None:
        self.phase = Phase.REFUSED
        self.problem = str(exc) or type(exc).__name__
        log.warning("replay of incident %s not shown: %s", self.incident.id, self.problem)
        self.refused.emit(self.problem)
