"""One FFmpeg of the export (a master's stream copy, a working copy's encode): started as a
child that dies with its thread, fed on stdin, its progress read from `-progress pipe:1`,
killed at once when the chief cancels.

Runs on the export's worker thread, never the GUI thread. `progress` and `cancel` are
seen from the caller's thread only (a polling loop), so the export's progress callback
is never called from a reader thread it does not know about. Whatever the child wrote
(`outputs`) is deleted when it fails or is cancelled: no half file stays in a package.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path

from app.core.evidence import EvidenceCancelled, EvidenceError
from app.services.recorder.ffmpeg import child_options, redact

POLL_S = 0.05
STDERR_LINES = 12
PROGRESS_ARGS = ("-nostats", "-progress", "pipe:1", "-stats_period", "0.25")

Progress = Callable[[float], None]


class _Child:
    """The running FFmpeg and what its pipes said so far."""

    def __init__(self, args: Sequence[str], stdin: bytes | None) -> None:
        options = child_options(os.getpid())
        self.proc = subprocess.Popen(
            list(args), stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options)  # type: ignore[call-overload]
        self.out_us = 0
        self.stderr: deque[str] = deque(maxlen=STDERR_LINES)
        self._threads = [threading.Thread(target=self._read_progress, daemon=True),
                         threading.Thread(target=self._read_stderr, daemon=True)]
        if stdin is not None:
            self._threads.append(threading.Thread(target=self._feed, args=(stdin,),
                                                  daemon=True))
        for t in self._threads:
            t.start()

    def _feed(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        with contextlib.suppress(OSError):  # the child died or was killed: nothing to feed
            self.proc.stdin.write(data)
        with contextlib.suppress(OSError):
            self.proc.stdin.close()

    def _read_progress(self) -> None:
        assert self.proc.stdout is not None
        for raw in self.proc.stdout:
            key, _, value = raw.decode("utf-8", "replace").strip().partition("=")
            if key == "out_time_us" and value.lstrip("-").isdigit():
                self.out_us = max(self.out_us, int(value))

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        for raw in self.proc.stderr:
            line = raw.decode("utf-8", "replace").rstrip()
            if line:
                self.stderr.append(line)

    def ended(self, wait_s: float) -> bool:
        try:
            self.proc.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            return False
        return True

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        self.join()

    def join(self) -> None:
        """Wait for the pipes' readers, then close the pipes."""
        for t in self._threads:
            t.join(timeout=5)
        for pipe in (self.proc.stdout, self.proc.stderr, self.proc.stdin):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def run(args: Sequence[str], *, expected_s: float, progress: Progress,
        cancel: threading.Event, outputs: Sequence[Path], stdin: bytes | None = None,
        what: str = "FFmpeg") -> None:
    """Run FFmpeg `args` (which must include PROGRESS_ARGS) to its end. `expected_s`: the
    media seconds it will write (progress = written / expected). Raises EvidenceCancelled
    when `cancel` is set (the child killed, `outputs` deleted), EvidenceError with FFmpeg's
    last lines when it fails (`outputs` deleted too)."""
    try:
        child = _Child(args, stdin)
    except OSError as e:
        raise EvidenceError(f"{what}: FFmpeg cannot start ({args[0]}): {e}") from e
    reported = -1.0
    try:
        while not child.ended(POLL_S):  # the end seen at once, a cancel within POLL_S
            if cancel.is_set():
                child.kill()
                _remove(outputs)
                raise EvidenceCancelled(what)
            done = min(1.0, child.out_us / 1e6 / expected_s) if expected_s > 0 else 0.0
            if done > reported:
                reported = done
                progress(done)
        child.join()
    except BaseException:
        child.kill()
        _remove(outputs)
        raise
    if child.proc.returncode != 0:
        _remove(outputs)
        said = redact("\n".join(child.stderr)) or "(FFmpeg said nothing)"
        raise EvidenceError(f"{what}: FFmpeg failed (exit {child.proc.returncode}):\n{said}")
    if reported < 1.0:
        progress(1.0)


def _remove(paths: Sequence[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)
