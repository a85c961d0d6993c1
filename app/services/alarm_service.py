"""Owns the alarm book on one thread: source reports and operator commands are applied in
order, stored durably, then announced.

Order of every change: compute the next state (the book is not touched) → `journal.store`
(synchronous=FULL; the alarm with the reports that changed it, or with the operator's audit
row, in one transaction) → commit to the book → `AlarmChanged` on the hub → write-back to
the source for an acknowledgement. Durable first, then memory, then the screen: nothing is
shown, nor acknowledged upstream, that is not on disk, and a failed write leaves memory and
journal in agreement.

While the journal cannot write (a full disk, a file locked by another program), nothing is
lost: reports wait (their sources are told "not stored" and send again), operator commands
and escalations wait in order, writes are retried with the house's backoff, and a
`JournalStatus` on the hub tells the operator what waits and why.
"""

from __future__ import annotations

import concurrent.futures
import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from app.core.events import AlarmChanged, AlarmReported, JournalStatus
from app.core.hub import Hub, only
from app.core.journal import JournalStore, JournalUnavailable
from app.core.model import Alarm, AlarmState, AlarmType, OperatorAction, utc_now
from app.core.retry import backoff_delay
from app.services.alarm_book import AlarmBook, Command, InvalidTransition, Locate, Plan

log = logging.getLogger(__name__)

AckWriteBack = Callable[[Alarm, str], None]
Threshold = Callable[[AlarmType], float]

RECENT_CLOSED = timedelta(hours=12)
RESTORE_CLOSED = timedelta(hours=24)  # closed alarms a restart loads (> RECENT_CLOSED)
MAX_REPORTS_PER_BATCH = 500
MAX_COMMANDS_PER_BATCH = 200
MAX_WAITING_REPORTS = 20_000  # kept while the journal cannot write (oldest dropped first)
RETRY_FIRST_S = 0.25
RETRY_CAP_S = 5.0
STATUS_EVERY_S = 1.0  # while failing, the waiting counts are re-announced at most this often
# In a storm, a batch of reports is gathered while they keep coming (one more within
# GATHER_STEP_S), for at most STORE_GAP_S after the last commit: a commit's fixed cost (a sync
# to disk; on a room's database round trips and a NOTIFY to every seat) is paid per batch,
# and committing as fast as possible made batches of a few alarms (over twice the CPU per
# alarm at 2,000/s, bench/multiseat.py). A lone alarm, or sources that wait for their ACK
# before sending again (DC-09 panels), are stored at once.
STORE_GAP_S = 0.01
GATHER_STEP_S = 0.0005

Pending = tuple[Command, "concurrent.futures.Future[Alarm]"]


def _nowhere(_r: AlarmReported) -> None:
    return None


class AlarmService:
    def __init__(
        self,
        hub: Hub,
        journal: JournalStore,
        escalation_threshold_s: Threshold,
        on_acknowledged: AckWriteBack | None = None,
        clock: Callable[[], datetime] = utc_now,
        tick_s: float = 1.0,
        locate: Locate = _nowhere,
    ) -> None:
        self._hub = hub
        self._journal = journal
        self._threshold = escalation_threshold_s
        self._on_ack = on_acknowledged
        self._clock = clock
        self._tick = tick_s
        self._locate = locate
        self._reports = hub.subscribe("alarm-service", only(AlarmReported))
        self._commands: queue.SimpleQueue[Pending | None] = queue.SimpleQueue()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="alarm-service", daemon=True)
        # open alarms, and those closed in the last day (the queue shows the last
        # RECENT_CLOSED of them): never every alarm ever (a year is tens of thousands).
        # Numbers go on from the journal's highest, not from what was loaded.
        restored = journal.load_alarms(changed_since=clock() - RESTORE_CLOSED)
        self.book = AlarmBook(restored, seq=journal.next_alarm_seq() - 1)
        self._restored = restored
        self.processed_reports = 0
        self.retransmissions = 0
        self.lost_reports = 0  # pushed out of the waiting list in a very long outage
        # what waits for the journal, in arrival order
        self._waiting_reports: deque[AlarmReported] = deque()
        self._waiting_commands: deque[Pending] = deque()
        self._failures = 0
        self._retry_at = 0.0  # time.monotonic() before which no write is attempted
        self._stored_at = 0.0  # time.monotonic() of the last report batch committed
        self._singly = 0  # commands to store one by one (a batch failed: find which one)
        self._announced: tuple[bool, str, int, int] = (True, "", 0, 0)
        self._announced_at = 0.0

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
        """Queue an operator command from any thread. The future completes once the change
        is stored (it waits while the journal cannot write), or fails with
        InvalidTransition when the command does not apply."""
        fut: concurrent.futures.Future[Alarm] = concurrent.futures.Future()
        self._commands.put((cmd, fut))
        self._reports.wake()
        return fut

    @property
    def waiting(self) -> tuple[int, int]:
        """(reports, operator actions) waiting for the journal."""
        return len(self._waiting_reports), len(self._waiting_commands)

    # -- the thread -----------------------------------------------------------------------
    def _run(self) -> None:
        next_tick = time.monotonic()
        while not self._stop.is_set():
            self._reports.wait(self._tick)
            self._gather()
            self._take_reports()
            self._take_commands()
            if time.monotonic() >= self._retry_at:
                self._store_reports()
                self._store_commands()
                if time.monotonic() >= next_tick:
                    self._escalate(self._clock())
                    next_tick = time.monotonic() + self._tick
            self._announce_status()

    def _gather(self) -> None:
        """Wait while reports keep coming, up to STORE_GAP_S after the last commit."""
        end = self._stored_at + STORE_GAP_S
        count = len(self._reports)
        while count and time.monotonic() < end and not self._stop.is_set():
            self._stop.wait(GATHER_STEP_S)
            now = len(self._reports)
            if now == count:
                return  # the sources wait for their ACK, or the storm paused
            count = now

    def _failed(self) -> None:
        self._failures += 1
        self._retry_at = time.monotonic() + backoff_delay(
            self._failures, first_s=RETRY_FIRST_S, cap_s=RETRY_CAP_S)

    def _succeeded(self) -> None:
        self._failures = 0
        self._retry_at = 0.0

    # -- reports --------------------------------------------------------------------------
    def _take_reports(self) -> None:
        for r in self._reports.drain():
            if isinstance(r, AlarmReported):
                self._waiting_reports.append(r)
        while len(self._waiting_reports) > MAX_WAITING_REPORTS:
            dropped = self._waiting_reports.popleft()
            self.lost_reports += 1
            self._hub.settle([dropped], JournalUnavailable("the journal is failing"))
            if self.lost_reports == 1 or self.lost_reports % 1000 == 0:
                log.error("%d alarm report(s) could not be kept while the journal fails; "
                          "sources that were not acknowledged will send them again",
                          self.lost_reports)

    def _store_reports(self) -> None:
        while self._waiting_reports:
            n = min(MAX_REPORTS_PER_BATCH, len(self._waiting_reports))
            batch = [self._waiting_reports[i] for i in range(n)]
            if not self._store_batch(batch):
                return
            for _ in range(n):
                self._waiting_reports.popleft()
            if self._waiting_reports:  # a backlog: the operators' acts do not wait behind it
                self._take_commands()
                self._store_commands()

    def _plan(self, reports: list[AlarmReported]) -> tuple[Plan, list[AlarmReported]]:
        """The batch's changes; a report the book cannot take (a bug) is refused alone."""
        now = self._clock()
        try:
            return self.book.plan_reports(reports, now, self._locate), reports
        except Exception:
            good: list[AlarmReported] = []
            for r in reports:
                try:
                    self.book.plan_reports([*good, r], now, self._locate)
                except Exception as exc:
                    log.exception("alarm report %s/%s refused", r.source, r.source_id)
                    self._hub.settle([r], exc)
                    continue
                good.append(r)
            return self.book.plan_reports(good, now, self._locate), good

    def _store_batch(self, reports: list[AlarmReported]) -> bool:
        """Store the alarms a batch changes together with the reports themselves (every
        report is journaled, retransmissions included: nothing disappears silently),
        then commit, settle and announce. False: the journal failed, nothing changed."""
        plan, good = self._plan(reports)
        try:
            self._journal.store(alarms=plan.alarms, events=good)
        except Exception as exc:
            if not isinstance(exc, JournalUnavailable):
                log.exception("%d alarm reports could not be stored", len(good))
            self._hub.settle(good, exc)  # sources are not acknowledged: they send again
            self._failed()
            return False
        self._succeeded()
        self._stored_at = time.monotonic()
        self.book.commit(plan.alarms, plan)
        self._hub.settle(good)  # durable now: a source may be acknowledged
        self.processed_reports += len(good)
        self.retransmissions += plan.retransmissions
        for change in plan.changes.values():
            self._hub.post(AlarmChanged(change.alarm, is_new=change.is_new,
                                        occurred=change.occurred))
        return True

    # -- operator commands ----------------------------------------------------------------
    def _take_commands(self) -> None:
        while True:
            try:
                item = self._commands.get_nowait()
            except queue.Empty:
                return
            if item is None:
                return
            cmd, fut = item
            if not self._waiting_commands:
                try:  # refuse at once what cannot apply (e.g. already closed)
                    self.book.preview(cmd, self._clock())
                except InvalidTransition as exc:
                    fut.set_exception(exc)
                    continue
            self._waiting_commands.append(item)

    def _store_commands(self) -> None:
        """The waiting commands, in order, stored in batches (one transaction each): in a
        room every command's own commit kept the alarm thread from the reports (200
        acknowledgements a second in bench/multiseat.py)."""
        while self._waiting_commands:
            batch = self._next_commands()
            if batch and not self._commit_commands(batch):
                return

    def _next_commands(self) -> list[tuple[Command, concurrent.futures.Future[Alarm],
                                           Alarm | None, Alarm]]:
        """Waiting commands previewed, in order, up to the first on an alarm already in the
        batch (it goes in the next one: it must see this one's result). Those that do not
        apply are refused now."""
        batch: list[tuple[Command, concurrent.futures.Future[Alarm], Alarm | None, Alarm]] = []
        touched: set[str] = set()
        limit = 1 if self._singly else MAX_COMMANDS_PER_BATCH
        while self._waiting_commands and len(batch) < limit:
            cmd, fut = self._waiting_commands[0]
            if cmd.alarm_id in touched:
                break
            before = self.book.by_id.get(cmd.alarm_id)
            self._waiting_commands.popleft()
            try:
                alarm = self.book.preview(cmd, self._clock())
            except InvalidTransition as exc:
                fut.set_exception(exc)
                continue
            touched.add(cmd.alarm_id)
            batch.append((cmd, fut, before, alarm))
        if batch and self._singly:
            self._singly -= 1
        return batch

    def _commit_commands(self, batch: list[tuple[Command, concurrent.futures.Future[Alarm],
                                                 Alarm | None, Alarm]]) -> bool:
        """Store a batch; False: the journal cannot write, the batch waits, in order."""
        actions = []
        for cmd, _fut, _before, alarm in batch:
            step = alarm.history[-1]
            actions.append(OperatorAction(step.time, cmd.actor, step.action,
                                          f"alarm:{alarm.id}", step.detail))
        try:
            self._journal.store(alarms=[a for *_x, a in batch], actions=actions)
        except Exception as exc:
            if isinstance(exc, JournalUnavailable):
                for cmd, fut, _before, _alarm in reversed(batch):
                    self._waiting_commands.appendleft((cmd, fut))
                self._failed()
                return False
            if len(batch) > 1:  # one of them cannot be stored: each alone, to find it
                for cmd, fut, _before, _alarm in reversed(batch):
                    self._waiting_commands.appendleft((cmd, fut))
                self._singly = len(batch)
                return True
            cmd, fut = batch[0][:2]
            log.exception("operator command %r could not be stored", cmd)
            fut.set_exception(exc)
            return True
        self._succeeded()
        self.book.commit([a for *_x, a in batch])
        for cmd, fut, before, alarm in batch:
            self._hub.post(AlarmChanged(alarm, is_new=False))
            fut.set_result(alarm)
            if before is not None and before.state is AlarmState.NEW:
                self._write_back(alarm, cmd.actor)  # acknowledged now, explicitly or implied
        return True

    def _write_back(self, alarm: Alarm, actor: str) -> None:
        if self._on_ack is None:
            return
        try:
            self._on_ack(alarm, actor)
        except Exception:
            log.exception("acknowledgement write-back for alarm %s failed", alarm.id)

    # -- escalation -----------------------------------------------------------------------
    def _escalate(self, now: datetime) -> None:
        """Escalations are stored (all of this tick's in one transaction) before they are
        shown; those that cannot be stored stay due (the book is unchanged) and are tried
        again at the next tick."""
        due = self.book.due_for_escalation(now, self._threshold)
        if not due:
            return
        alarms = [self.book.escalation(a.id, now) for a in due]
        try:
            self._journal.store(alarms=alarms)
        except JournalUnavailable:
            self._failed()
            return
        except Exception:
            log.exception("%d escalation(s) could not be stored", len(alarms))
            self._failed()
            return
        self._succeeded()
        self.book.commit(alarms)
        for alarm in alarms:
            self._hub.post(AlarmChanged(alarm, is_new=False))

    # -- telling the operator ---------------------------------------------------------------
    def _announce_status(self) -> None:
        health = self._journal.health
        escalations = 0 if health.ok else len(
            self.book.due_for_escalation(self._clock(), self._threshold))
        state = (health.ok, health.problem, len(self._waiting_reports),
                 len(self._waiting_commands) + escalations)
        if state == self._announced:
            return
        now = time.monotonic()
        if state[:2] == self._announced[:2] and now - self._announced_at < STATUS_EVERY_S:
            return  # only the counts moved: at most once a second
        self._announced, self._announced_at = state, now
        self._hub.post(JournalStatus(ok=health.ok, problem=health.problem, since=health.since,
                                     waiting_reports=state[2], waiting_actions=state[3]))
