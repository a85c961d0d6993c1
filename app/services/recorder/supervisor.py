"""One camera's recording: a thread that runs FFmpeg, indexes each segment it completes,
restarts it when it stops, and says every change of state.

- FFmpeg exits (camera down, refused, stream ended): a gap CAMERA_UNREACHABLE from the last
  recorded instant, then a new run after a capped exponential backoff with jitter.
- The segment being written stops growing for `stall_s` (FFmpeg can hang for ever on a
  camera that stopped sending without closing): FFmpeg is killed, gap WATCHDOG, restart.
- At start, runs that never ended (the recorder was killed) are indexed from what they
  left: the rest of their list and the trailing partial segment; gap RECORDER_DOWN from
  their last picture to the first picture of the new run.
- The disk keeper can stop it (DISK_FULL) and let it go again.
A gap stays open until the next run's first picture closes it.
"""

from __future__ import annotations

import logging
import os
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from app.core.events import RecordingStateChanged
from app.core.journal import JournalStore, JournalUnavailable
from app.core.model import utc_now
from app.core.recording import Gap, GapReason, RecordingRun, RecordingState, Segment
from app.core.retry import backoff_delay
from app.core.secrets import SecretMissing, get_secret
from app.services.recorder.ffmpeg import anchor_of, child_options, command, redact
from app.services.recorder.segments import RunFiles, utc

log = logging.getLogger(__name__)

POLL_S = 1.0  # how often the supervisor looks at FFmpeg, its list and its file
STOP_WAIT_S = 5.0  # a stopped FFmpeg closes its segment within this, else it is killed
BACKOFF_CAP_S = 30.0
TAIL_LINES = 12  # FFmpeg's last log lines kept to say why it stopped


@dataclass(frozen=True, slots=True)
class Target:
    """What to record for one camera, and where."""

    camera: str
    url: str  # never with a password in it (the site file's URL)
    storage: str  # the storage folder (absolute)
    username: str | None = None
    password_secret: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    ffmpeg: str
    segment_s: int = 10
    stall_s: float = 10.0
    io_timeout_s: float = 5.0


def with_credentials(url: str, username: str, password: str) -> str:
    from urllib.parse import quote, urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    auth = f"{quote(username, safe='')}:{quote(password, safe='')}@"
    return urlunsplit((parts.scheme, auth + host, parts.path, parts.query, parts.fragment))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return -1


def run_folder(storage: str, camera: str, now: datetime) -> Path:
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in camera) or "camera"
    return Path(storage) / safe / now.strftime("%Y%m%dT%H%M%S.%fZ")


class Supervisor:
    def __init__(self, target: Target, journal: JournalStore, settings: Settings,
                 announce: Callable[[RecordingStateChanged], None],
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.target = target
        self._journal = journal
        self._settings = settings
        self._announce = announce
        self._clock = clock
        self._stop = threading.Event()
        self._disk_full = threading.Event()
        self._disk_detail = ""
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._gap_id: int | None = None
        self._pending: list[Segment] = []  # indexed when the journal can write again
        self._secrets: tuple[str, ...] = ()
        self.state = RecordingState.OFF
        self.detail = ""
        self.runs = 0  # FFmpeg processes started
        self.ffmpeg_pid: int | None = None

    @property
    def camera(self) -> str:
        return self.target.camera

    # -- control (any thread) -------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._main, daemon=True,
                                        name=f"recorder-{self.camera}")
        self._thread.start()

    def stop(self, timeout: float = STOP_WAIT_S + 5) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def disk_full(self, detail: str) -> None:
        """The storage folder cannot take more: stop FFmpeg, say so, wait for `disk_ok`."""
        self._disk_detail = detail
        self._disk_full.set()

    def disk_ok(self) -> None:
        if self._disk_full.is_set():
            self._disk_full.clear()
            self._wake.set()

    # -- the thread ---------------------------------------------------------------------------
    def _main(self) -> None:
        try:
            self._recover()
        except Exception:  # never leave the camera unrecorded for a recovery that failed
            log.exception("recorder %s: recovery of the previous runs failed", self.camera)
        attempts = 0
        while not self._stop.is_set():
            if self._disk_full.is_set():
                self._say(RecordingState.DISK_FULL, self._disk_detail)
                self._open_gap(GapReason.DISK_FULL, self._disk_detail)
                self._wake.wait()
                self._wake.clear()
                continue
            try:
                url = self._url()
            except SecretMissing as exc:
                self._say(RecordingState.ERROR, str(exc))
                self._open_gap(GapReason.CAMERA_UNREACHABLE, str(exc))
                attempts += 1
                self._pause(backoff_delay(attempts, cap_s=BACKOFF_CAP_S))
                continue
            try:
                reason, detail, recorded = self._one_run(url)
            except FileNotFoundError as exc:  # no FFmpeg where the config says
                self._say(RecordingState.ERROR, f"FFmpeg cannot be started: {exc}")
                self._pause(BACKOFF_CAP_S)
                continue
            except Exception as exc:
                log.exception("recorder %s: a run failed", self.camera)
                reason, detail, recorded = GapReason.CAMERA_UNREACHABLE, redact(
                    str(exc), self._secrets), False
            if reason is GapReason.STOPPED or reason is GapReason.DISK_FULL:
                continue
            attempts = 0 if recorded else attempts + 1
            self._say(RecordingState.GAP, detail)
            if reason is GapReason.CAMERA_UNREACHABLE:
                self._pause(backoff_delay(max(1, attempts), cap_s=BACKOFF_CAP_S))
        self._flush()
        self._say(RecordingState.OFF, "recording stopped")

    def _pause(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _url(self) -> str:
        t = self.target
        if t.username and t.password_secret:
            password = get_secret(t.password_secret)  # on this thread: never the GUI's
            self._secrets = (password,)
            return with_credentials(t.url, t.username, password)
        return t.url

    def _say(self, state: RecordingState, detail: str = "") -> None:
        if (state, detail) == (self.state, self.detail):
            return
        self.state, self.detail = state, detail
        log.info("recorder %s: %s%s", self.camera, state.value, f" ({detail})" if detail else "")
        self._announce(RecordingStateChanged(self.camera, state.value, detail, self._clock()))

    # -- the journal (a failure is logged; segments wait for the next try) ------------------
    def _index(self, segments: list[Segment]) -> None:
        self._pending += segments
        self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        try:
            self._journal.add_segments(self._pending)
            self._pending = []
        except JournalUnavailable as exc:
            log.warning("recorder %s: %d segment(s) wait for the journal: %s", self.camera,
                        len(self._pending), exc)

    def _open_gap(self, reason: GapReason, detail: str, start: datetime | None = None) -> None:
        """A gap from `start` (else the last recorded instant, else now) until the next
        first picture; nothing if one is open already (it started earlier)."""
        if self._gap_id is not None:
            return
        begin = start or self._journal.last_recorded(self.camera) or self._clock()
        try:
            self._gap_id = self._journal.add_gap(Gap(self.camera, begin, None, reason, detail))
        except JournalUnavailable as exc:
            log.warning("recorder %s: the gap (%s) cannot be written: %s", self.camera,
                        reason.value, exc)

    def _close_gap(self, end: datetime) -> None:
        if self._gap_id is None:
            return
        try:
            self._journal.close_gap(self._gap_id, end)
            self._gap_id = None
        except JournalUnavailable as exc:
            log.warning("recorder %s: the gap cannot be closed yet: %s", self.camera, exc)

    def _recover(self) -> None:
        """Index what runs cut short by a crash left; gap RECORDER_DOWN from their end."""
        runs = self._journal.unfinished_runs(self.camera)
        last: datetime | None = None
        for run in runs:
            files = RunFiles(run)
            left = files.leftovers()
            self._index(left)
            self._journal.end_run(run.id, files.last_end or run.started)
            log.warning("recorder %s: run %d was cut short; %d segment(s) recovered "
                        "(%d partial)", self.camera, run.id, len(left),
                        sum(s.partial for s in left))
            if files.last_end is not None:
                last = max(last or files.last_end, files.last_end)
        open_gaps = self._journal.open_gaps(self.camera)
        if open_gaps:  # a gap the previous recorder had opened goes on until we record
            self._gap_id = open_gaps[0].id
        elif runs:
            self._open_gap(GapReason.RECORDER_DOWN, "the recorder was not running",
                           start=last or runs[-1].started)

    def _one_run(self, url: str) -> tuple[GapReason, str, bool]:
        """One FFmpeg from start to exit: (why it ended, in words, whether it recorded)."""
        s = self._settings
        now = self._clock()
        folder = run_folder(self.target.storage, self.camera, now)
        folder.mkdir(parents=True, exist_ok=True)
        run = RecordingRun(self.camera, str(folder), self.target.storage, now)
        files = RunFiles(replace(run, id=self._journal.start_run(run)))
        tail: deque[str] = deque(maxlen=TAIL_LINES)
        anchor: list[float] = []
        args = command(s.ffmpeg, url, folder, s.segment_s, s.io_timeout_s)
        log.info("recorder %s: starting FFmpeg into %s: %s", self.camera, folder,
                 redact(" ".join(args), self._secrets))
        proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, errors="replace",
                                **child_options(os.getpid()))  # type: ignore[call-overload]
        self.runs += 1
        self.ffmpeg_pid = proc.pid
        reader = threading.Thread(target=self._read_log, args=(proc, tail, anchor),
                                  daemon=True, name=f"recorder-{self.camera}-log")
        reader.start()
        reason, detail = self._watch(proc, files, anchor, tail)
        if proc.poll() is None:
            proc.terminate()  # FFmpeg closes its segment and its list line on SIGTERM
            try:
                proc.wait(STOP_WAIT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        reader.join(STOP_WAIT_S)
        self.ffmpeg_pid = None
        self._index(files.leftovers())
        try:
            self._journal.end_run(files.run.id, self._clock())
        except JournalUnavailable as exc:  # recovered as a cut-short run at the next start
            log.warning("recorder %s: run end not written: %s", self.camera, exc)
        self._open_gap(reason, detail, start=files.last_end)
        return reason, detail, files.last_end is not None

    def _watch(self, proc: subprocess.Popen[str], files: RunFiles, anchor: list[float],
               tail: deque[str]) -> tuple[GapReason, str]:
        s = self._settings
        started = last_growth = time.monotonic()
        size = -1
        while True:
            if self._stop.wait(POLL_S):
                return GapReason.STOPPED, "recording stopped"
            if self._disk_full.is_set():
                return GapReason.DISK_FULL, self._disk_detail
            if anchor and files.run.anchor is None:
                first = utc(anchor[0])
                files.run = replace(files.run, anchor=first)
                self._journal.set_run_anchor(files.run.id, first)
                self._close_gap(first)
                self._say(RecordingState.RECORDING)
            self._index(files.completed())
            if proc.poll() is not None:
                said = " / ".join(tail) or f"FFmpeg exited with code {proc.returncode}"
                return GapReason.CAMERA_UNREACHABLE, f"the stream stopped: {said}"[:400]
            now = time.monotonic()
            grown = _size(files.current())
            if grown != size:
                size, last_growth = grown, now
            if files.run.anchor is None:
                if now - started > s.io_timeout_s + s.stall_s:
                    proc.kill()
                    return GapReason.CAMERA_UNREACHABLE, "the stream did not open"
            elif now - last_growth > s.stall_s:
                log.warning("recorder %s: no data for %.0f s: FFmpeg restarted", self.camera,
                            now - last_growth)
                proc.kill()
                return GapReason.WATCHDOG, f"no data for {s.stall_s:g} s: FFmpeg restarted"

    def _read_log(self, proc: subprocess.Popen[str], tail: deque[str],
                  anchor: list[float]) -> None:
        assert proc.stderr is not None
        for raw in proc.stderr:
            line = redact(raw.rstrip(), self._secrets)
            if not anchor and (value := anchor_of(line)) is not None:
                anchor.append(value)
            if line and not line.startswith(("  ", "Stream mapping", "[segment")):
                tail.append(line)
        proc.stderr.close()
