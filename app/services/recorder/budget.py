"""Each storage folder held to its budget, the operator told before anything is deleted.

Every check (every `every_s`), per folder, from the index (no disk scan):
- past `warn_at` of the budget: said at once, with when deletion should start at the rate
  it fills ("storage D:/rec 92 % full: oldest recordings deleted from about 14:20");
- past the budget: the oldest segments that no hold keeps are destroyed (files, then rows
  with the register's and the access log's rows) down to 95 % of it;
- nothing left to delete (all held): the folder's cameras stop recording (state DISK_FULL,
  a gap DISK_FULL) until space returns (a hold lifted, the budget raised), checked again
  at every run.
The folder's health travels as an `AdapterStatus` named "recordings" (or "recordings
(<folder's name>)"), which the status bar and the adapters panel already show and a room's
seats already receive.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from app.core.events import AdapterStatus, Event
from app.core.journal import JournalStore
from app.core.model import utc_now
from app.services.recorder.purge import destroy
from app.services.recorder.supervisor import Supervisor

log = logging.getLogger(__name__)

EVERY_S = 10.0
DOWN_TO = 0.95  # a purge for the budget frees down to this share of it
BATCH = 200
SAY_STEP = 5  # percent of the budget


@dataclass(frozen=True, slots=True)
class Folder:
    """A storage folder as the keeper holds it: its absolute path (as the index names it)."""

    path: str
    budget_gb: float
    warn_at: float = 0.9

    @property
    def budget_bytes(self) -> int:
        return int(self.budget_gb * 1_000_000_000)


def status_name(folder: Folder) -> str:
    """Short, for the status bar (the path is in its detail): "recordings", or with the
    folder's own name when it is not called so ("recordings (disque-2)")."""
    name = Path(folder.path).name
    return "recordings" if name.lower() in ("recordings", "enregistrements", "") \
        else f"recordings ({name})"


@dataclass
class _Seen:
    used: int
    at: datetime


class DiskKeeper:
    def __init__(self, journal: JournalStore, folders: Sequence[Folder],
                 supervisors: Callable[[str], list[Supervisor]], post: Callable[[Event], None],
                 clock: Callable[[], datetime] = utc_now, every_s: float = EVERY_S) -> None:
        self._journal = journal
        self._folders = list(folders)
        self._supervisors = supervisors  # those writing into a folder (its path)
        self._post = post
        self._clock = clock
        self._every = every_s
        self._seen: dict[str, _Seen] = {}
        self._said: dict[str, tuple[str, int]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.full: set[str] = set()  # folders whose cameras are stopped

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name="recorder-disk")
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)

    def _run(self) -> None:
        """A first check at once (a full folder stops its cameras within a second of the
        start), then every `every_s`; on this thread, never the caller's (the GUI's)."""
        self.check()
        while not self._stop.wait(self._every):
            self.check()

    def check(self) -> None:
        for folder in self._folders:
            try:
                self.check_folder(folder)
            except Exception:  # tried again at the next check; never stops the recorder
                log.exception("recordings: the check of %s failed", folder.path)

    def check_folder(self, folder: Folder) -> None:
        now = self._clock()
        used = self._journal.storage_used(folder.path)
        budget = folder.budget_bytes
        share = used / budget
        if share >= folder.warn_at and folder.path not in self.full:
            self._say(folder, "retrying", f"storage {folder.path} {share:.0%} full: "
                      f"{self._when_deleting(folder, used, now)}", share)
        if used > budget:
            used = self._free(folder, used, now)
        if used > budget:
            detail = (f"storage {folder.path} full ({used / budget:.0%} of its budget) and "
                      f"every recording in it is held: recording stopped until space returns")
            self._say(folder, "failed", detail, 1.0)
            if folder.path not in self.full:
                self.full.add(folder.path)
                for sup in self._supervisors(folder.path):
                    sup.disk_full(detail)
            return
        if folder.path in self.full:
            self.full.discard(folder.path)
            for sup in self._supervisors(folder.path):
                sup.disk_ok()
        if used / budget < folder.warn_at:
            self._say(folder, "running", f"storage {folder.path} {used / budget:.0%} full",
                      used / budget)
        seen = self._seen.get(folder.path)
        if seen is None or used < seen.used:  # the rate is measured since the last purge
            self._seen[folder.path] = _Seen(used, now)

    def _when_deleting(self, folder: Folder, used: int, now: datetime) -> str:
        budget = folder.budget_bytes
        if used >= budget:
            return "oldest recordings are being deleted"
        seen = self._seen.get(folder.path)
        rate = (used - seen.used) / max((now - seen.at).total_seconds(), 1e-3) \
            if seen is not None else 0.0
        if rate <= 0:
            return "oldest recordings deleted once it is full"
        when = (now + timedelta(seconds=(budget - used) / rate)).astimezone()
        return f"oldest recordings deleted from about {when:%H:%M}"

    def _free(self, folder: Folder, used: int, now: datetime) -> int:
        """Destroy the oldest unheld segments down to DOWN_TO of the budget."""
        target = int(folder.budget_bytes * DOWN_TO)
        rule = (f"disk budget of the storage folder {folder.path} ({folder.budget_gb:g} GB,"
                f" site file [[recording.storage]])")
        while used > target:
            batch = self._journal.deletable_segments(folder.path, BATCH)
            chosen, freed = [], 0
            for seg in batch:
                if used - freed <= target:
                    break
                chosen.append(seg)
                freed += seg.size
            if not chosen:
                break
            if destroy(self._journal, chosen, rule, now) == 0:
                break
            log.warning("recordings: %d segment(s) of %s deleted for its budget (%d bytes)",
                        len(chosen), folder.path, freed)
            used = self._journal.storage_used(folder.path)
        return used

    def _say(self, folder: Folder, state: str, detail: str, share: float) -> None:
        """Said when the state changes or the folder fills by another SAY_STEP: not at
        every segment."""
        key = (state, int(share * 100) // SAY_STEP)
        if self._said.get(folder.path) == key:
            return
        self._said[folder.path] = key
        log.log(logging.WARNING if state != "running" else logging.INFO, "recordings: %s",
                detail)
        self._post(AdapterStatus(status_name(folder), state, detail, self._clock()))
