"""A room as real processes: `csu-console serve` on a site with a DC-09 receiver and the
room's PostgreSQL journal, seats as processes (tests/room/seat_child.py) whose lines are
collected, and a DC-09 panel that resends what was not acknowledged, as panels do."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from tests.conftest import REPO
from tests.integration.alarm_adapters.dc09_sender import Sender, cid
from tests.unit.cli_run import CODE, site_file
from tests.waiting import poll_until, port_open, wait_until

START_S = 60.0


def room_site(tmp_path: Path, port: int) -> Path:
    return site_file(tmp_path, f"""
[[adapters]]
kind = "sia_dc09"
name = "panels"
listen = "127.0.0.1"
port = {port}
accounts = [{{ account = "1234", building = "Mairie", zones = {{ "5" = "Hall" }} }}]
""")


class Lines:
    """A child's standard output, line by line, kept as it comes."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._lock = threading.Lock()
        self.done = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        try:
            for line in self.proc.stdout:
                with self._lock:
                    self.lines.append(line.rstrip("\n"))
        finally:
            self.done.set()

    def all(self) -> list[str]:
        with self._lock:
            return list(self.lines)

    def wait(self, pred: object, timeout: float = START_S, what: str = "") -> str:
        def found() -> str | None:
            return next((ln for ln in self.all() if pred(ln)), None)  # type: ignore[operator]
        return wait_until(found, timeout, what or str(pred))


class SeatProcess:
    def __init__(self, url: str, user: str, env: dict[str, str]) -> None:
        self.user = user
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.room.seat_child", url, user], cwd=REPO,
            env={**os.environ, **env}, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True)
        self.out = Lines(self.proc)

    def ready(self) -> SeatProcess:
        self.out.wait(lambda ln: ln == "READY", START_S, f"seat {self.user} ready")
        return self

    def alarms(self) -> dict[str, tuple[str, str, str]]:
        """alarm id -> (source id, state, last actor), the latest shown."""
        shown: dict[str, tuple[str, str, str, int]] = {}
        for ln in self.out.all():
            if ln.startswith("ALARM "):
                _, aid, sid, state, actor, _new, rev = ln.split()
                if aid not in shown or int(rev) >= shown[aid][3]:
                    shown[aid] = (sid, state, actor, int(rev))
        return {k: v[:3] for k, v in shown.items()}

    def by_source(self) -> dict[str, tuple[str, str, str]]:
        return {sid: (aid, state, actor) for aid, (sid, state, actor) in self.alarms().items()}

    def ack(self, alarm_id: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"ack {alarm_id}\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._close_pipes()

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(10)
        self._close_pipes()

    def _close_pipes(self) -> None:
        self.out.done.wait(10)
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None and not pipe.closed:
                pipe.close()


class ServiceProcess:
    def __init__(self, site: Path, url: str, tmp_path: Path, env: dict[str, str]) -> None:
        self.log_file = tmp_path / "service.log"
        self.err = (tmp_path / "service.err").open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CODE, "serve", "--site", str(site), "--journal", url,
             "--log-file", str(self.log_file)], cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), **env}, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=self.err, text=True, start_new_session=True)

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8") if self.log_file.exists() else ""

    def wait_log(self, text: str, timeout: float = START_S) -> None:
        wait_until(lambda: text in self.log() or self.proc.poll() is not None, timeout,
                   f"{text!r} in the service's log")
        assert text in self.log(), self.log()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.err.close()
        return self.proc.returncode


class Panel:
    """A DC-09 panel with events to deliver: each is sent until the receiver ACKs it (a
    NAK, a silence or a dropped connection: sent again after a pause, on a new connection)."""

    def __init__(self, port: int, account: str = "1234") -> None:
        self.port = port
        self.account = account
        self.sender: Sender | None = None
        self.acked: list[int] = []  # zones (one per event) the receiver acknowledged
        self.seq = 0

    def deliver(self, zone: int, deadline_s: float = 90.0) -> None:
        end = time.monotonic() + deadline_s
        while time.monotonic() < end:
            self.seq = self.seq % 9999 + 1
            try:
                if self.sender is None:
                    self.sender = Sender(self.port, self.account)
                _raw, answer = self.sender.send(self.seq, "ADM-CID", cid(self.account, 130, zone))
            except Exception:
                answer = ""
            if answer == "ACK":
                self.acked.append(zone)
                return
            if self.sender is not None:
                self.sender.close()
                self.sender = None
            # sent again at once on a new connection once the receiver takes one (a NAK
            # comes at the pace of the service's retries, which is the panel's pace here)
            poll_until(lambda: port_open(self.port), max(0.0, end - time.monotonic()))
        raise AssertionError(f"zone {zone} was never acknowledged")

    def close(self) -> None:
        if self.sender is not None:
            self.sender.close()
