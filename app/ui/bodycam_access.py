"""The widgets' one door to the body-cam rule (`app.services.bodycam_policy`).

A request names the camera, how the operator reached it and, when it comes from an alarm,
that alarm. The policy decides whether a reason must be asked (the widget asks it: a
dialog is a widget's job); the viewing is then logged durably off the GUI thread, and only
once the log row is stored is `on_allowed` called on the GUI thread to show the picture.
When it cannot be logged, nothing is shown and `refused` says why.
"""

from __future__ import annotations

import concurrent.futures
import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from app.core.model import Alarm, Camera
from app.services.bodycam_policy import BodyCamRefused, Decision
from app.services.console_runtime import ConsoleRuntime
from app.ui.labels import journal_problem_label

log = logging.getLogger(__name__)

__all__ = ["AskReason", "BodyCamAccess", "Decision"]

AskReason = Callable[[Camera], str | None]  # the operator's reason, or None: cancelled


class BodyCamAccess(QObject):
    refused = Signal(str)  # a sentence for the operator
    _done = Signal(object, object, object)  # (future, on_allowed, camera), to the GUI thread

    def __init__(self, runtime: ConsoleRuntime, operator: Callable[[], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runtime = runtime
        self._operator = operator
        self.pending = 0
        self._done.connect(self._finish, Qt.ConnectionType.QueuedConnection)

    def decide(self, camera: Camera, alarm: Alarm | None = None) -> Decision:
        """Judged on the alarm service's alarms as they are now: `alarm` only says which
        alarm the operator came from (the copy a widget holds may be older)."""
        return self._runtime.bodycams.decide(camera, alarm.id if alarm is not None else None)

    def request(self, camera: Camera, via: str, on_allowed: Callable[[], object],
                ask: AskReason, alarm: Alarm | None = None) -> bool:
        """Show `camera` through `on_allowed` if the law allows it. A fixed camera is shown
        at once; a body camera once its viewing is logged. False: refused or cancelled
        (nothing will be shown); True: shown, or on its way once logged."""
        decision = self.decide(camera, alarm)
        if not decision.is_body:
            on_allowed()
            return True
        reason = ""
        if decision.must_ask:
            reason = (ask(camera) or "").strip()
            if not reason:
                log.info("body cam %s not opened: no reason given", camera.id)
                return False
        fut = self._runtime.open_bodycam(decision, self._operator(), via, reason)
        self.pending += 1
        fut.add_done_callback(lambda f: self._hand_over(f, on_allowed, camera))
        return True

    def _hand_over(self, fut: concurrent.futures.Future[None], on_allowed: Callable[[], object],
                   camera: Camera) -> None:
        try:
            self._done.emit(fut, on_allowed, camera)
        except RuntimeError:  # this object is gone (window closing): nothing to show
            log.debug("body cam %s logged after its window closed", camera.id)

    def _finish(self, fut: concurrent.futures.Future[None], on_allowed: Callable[[], object],
                camera: Camera) -> None:
        self.pending -= 1
        exc = fut.exception()
        if exc is None:
            on_allowed()
            return
        log.error("body cam %s not opened: %s", camera.id, exc)
        if isinstance(exc, BodyCamRefused) and exc.kind == "no_reason":
            text = self.tr("%1 was not opened: no reason was given (CSI L241-2).")
        else:
            detail = exc.detail if isinstance(exc, BodyCamRefused) else str(exc)
            text = self.tr("%1 was not opened: the access log cannot be written (%2). A body "
                           "camera is shown only once its viewing is logged (CSI R241-14).")
            text = text.replace("%2", journal_problem_label(detail))
        self.refused.emit(text.replace("%1", camera.name))
