"""Owns the alarm book on one thread: source reports and operator commands are applied in
order, stored durably, then announced.

Order of every change: apply → `journal.save_alarm` (synchronous=FULL) → audit row for an
operator action → `AlarmChanged` on the hub → write-back to the source for an
acknowledgement. So nothing is shown, nor acknowledged upstream, that is not on disk.
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from app.core.events import AlarmChanged, AlarmReported
from app.core.hub import Hub, only
from app.core.journal import Journal
from app.core.model import Alarm, AlarmState, AlarmType, utc_now
from app.services.alarm_book import AlarmBook, Command, InvalidTransition

log = logging.getLogger(__name__)

AckWriteBack = Callable[[Alarm, str], None]
Threshold = Callable[[AlarmType], float]

RECENT_CLOSED = timedelta(hours=12)
MAX_REPORTS_PER_BATCH = 500


class AlarmService:
    def __init__(
        self,
        hub: Hub,
        journal: Journal,
        escalation_threshold_s: Threshold,
        on_acknowledged: AckWriteBack | None = None,
        clock: Callable[[], datetime] = utc_now,
        tick_s: float = 1.0,
    ) -> None:
        self._hub = hub
        self._journal = journal
        self._threshold = escalation_threshold_s
        self._on_ack = on_acknowledged
        self._clock = clock
        self._tick = tick_s
        self._reports = hub.subscribe("alarm-service", only(AlarmReported))
        self._commands: queue.SimpleQueue[
            tuple[Command, concurrent.futures.Future[Alarm]] | None
        ] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="alarm-service", daemon=True)
        restored = journal.load_alarms()
        self.book = AlarmBook(restored)
        self._restored = restored
        self.processed_reports = 0
        self._retry: list[AlarmReported] = []

    # -- lifecycle ------------------------------------------------------------------------
    def start(self) -> None:
        """Announce the alarms restored from the journal, then start taking reports."""
        now = self._clock()
        for alarm in self._restored:
            if alarm.is_open or now - alarm.raised_at < RECENT_CLOSED:
                self._hub.post(AlarmChanged(alarm, is_new=False))
        self._restored = []
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._commands.put(None)
        self._reports.wake()
        self._thread.join(5)
        self._hub.unsubscribe(self._reports)

    def submit(self, cmd: Command) -> concurrent.futures.Future[Alarm]:
        """Queue an operator command from any thread. The future fails with
        InvalidTransition when the command does not apply."""
        fut: concurrent.futures.Future[Alarm] = concurrent.futures.Future()
        self._commands.put((cmd, fut))
        self._reports.wake()
        return fut

    # -- the thread -----------------------------------------------------------------------
    def _run(self) -> None:
        next_tick = self._clock()
        while not self._stop.is_set():
            self._reports.wait(self._tick)
            if self._retry:
                retry, self._retry = self._retry, []
                self._on_reports(retry)
            reports = self._reports.drain(MAX_REPORTS_PER_BATCH)
            if reports:
                self._on_reports([r for r in reports if isinstance(r, AlarmReported)])
            self._drain_commands()
            now = self._clock()
            if now >= next_tick:
                self._escalate(now)
                next_tick = now + timedelta(seconds=self._tick)

    def _store_and_announce(self, alarm: Alarm, is_new: bool) -> None:
        self._journal.save_alarm(alarm)
        self._hub.post(AlarmChanged(alarm, is_new=is_new))

    def _on_reports(self, reports: list[AlarmReported]) -> None:
        """Apply a batch of reports, store the changes in ONE durable transaction, then
        announce them. If storing fails, nothing is announced and the book is rolled back
        so the reports are retried, never shown unsaved."""
        now = self._clock()
        changed: dict[str, tuple[Alarm, bool]] = {}
        snapshot = self.book.snapshot()
        for report in reports:
            try:
                result = self.book.report(report, now)
            except Exception:
                log.exception("alarm report %s/%s rejected", report.source, report.source_id)
                continue
            if result is not None:
                alarm, is_new = result
                was_new = changed.get(alarm.id, (alarm, False))[1]
                changed[alarm.id] = (alarm, is_new or was_new)
        try:
            self._journal.save_alarms([a for a, _ in changed.values()])
        except Exception:
            log.exception("%d alarm reports could not be stored; retrying", len(reports))
            self.book.restore(snapshot)
            self._retry.extend(reports)
            return
        self._hub.settle(reports)  # durable now: a source may be acknowledged
        self.processed_reports += len(reports)
        for alarm, is_new in changed.values():
            self._hub.post(AlarmChanged(alarm, is_new=is_new))

    def _drain_commands(self) -> None:
        while True:
            try:
                item = self._commands.get_nowait()
            except queue.Empty:
                return
            if item is None:
                return
            cmd, fut = item
            before = self.book.by_id.get(cmd.alarm_id)
            try:
                alarm = self.book.apply(cmd, self._clock())
                self._store_and_announce(alarm, False)
                step = alarm.history[-1]
                self._journal.audit(cmd.actor, step.action, f"alarm:{alarm.id}", step.detail,
                                    step.time)
            except InvalidTransition as exc:
                fut.set_exception(exc)
                continue
            except Exception as exc:
                log.exception("operator command %r failed", cmd)
                fut.set_exception(exc)
                continue
            fut.set_result(alarm)
            if before is not None and before.state is AlarmState.NEW:
                self._write_back(alarm, cmd.actor)  # acknowledged now, explicitly or implied

    def _write_back(self, alarm: Alarm, actor: str) -> None:
        if self._on_ack is None:
            return
        try:
            self._on_ack(alarm, actor)
        except Exception:
            log.exception("acknowledgement write-back for alarm %s failed", alarm.id)

    def _escalate(self, now: datetime) -> None:
        for alarm in self.book.due_for_escalation(now, self._threshold):
            try:
                self._store_and_announce(self.book.mark_escalated(alarm.id, now), False)
            except Exception:
                log.exception("escalation of alarm %s failed", alarm.id)
