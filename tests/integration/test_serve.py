"""`csu-console serve` as an installer runs it: a real process with no display, a real DC-09
panel (dc09-spt frames, AES with the key from the keyring) that gets its ACK, the alarm in
the journal file, the log file saying what runs, and a clean stop on SIGTERM or SIGINT.
Each child asserts at exit that Qt was never imported (tests/unit/cli_run.CODE)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.core.journal import Journal
from app.core.model import AlarmType
from app.core.secrets import set_secret
from tests.conftest import REPO
from tests.integration.adapters.conftest import free_port
from tests.integration.alarm_adapters.dc09_sender import Sender, cid
from tests.integration.journal_faults import locked_by_another_process
from tests.unit.cli_run import CODE, csu, site_file
from tests.waiting import port_open, wait_until

KEY = bytes.fromhex("8f1e6a0c55d2b7e94a3c1d0e2f6b7a98")  # never to be seen in a log
START_S = 60.0  # a loaded 2-core machine imports the adapters slowly
STOP_S = 30.0  # SIGTERM to exit: adapters stopped, the journal closed


@dataclass
class Service:
    proc: subprocess.Popen[str]
    log_file: Path
    stderr_file: Path
    journal: Path

    def log(self) -> str:
        return self.log_file.read_text(encoding="utf-8") if self.log_file.exists() else ""

    def stderr(self) -> str:
        return self.stderr_file.read_text(encoding="utf-8")

    def wait_log(self, text: str, timeout: float = START_S) -> None:
        wait_until(lambda: text in self.log() or self.proc.poll() is not None, timeout,
                   f"{text!r} in the service's log")
        assert text in self.log(), f"the service ended ({self.proc.returncode}):\n" \
                                   f"{self.stderr()}"

    def stop(self, sig: signal.Signals) -> int:
        self.proc.send_signal(sig)
        return self.proc.wait(STOP_S)


@contextmanager
def serving(tmp_path: Path, site: Path) -> Iterator[Service]:
    journal, log_file = tmp_path / "journal.sqlite", tmp_path / "logs" / "service.log"
    stderr_file = tmp_path / "stderr.txt"
    with stderr_file.open("w", encoding="utf-8") as err, subprocess.Popen(
            [sys.executable, "-c", CODE, "serve", "--site", str(site), "--journal",
             str(journal), "--log-file", str(log_file)],
            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=err, text=True,
            start_new_session=True) as proc:  # no terminal, as under systemd or WinSW
        try:
            yield Service(proc, log_file, stderr_file, journal)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(STOP_S)


def dc09_site(tmp_path: Path, port: int) -> Path:
    set_secret("serve-dc09-key", KEY.hex())
    return site_file(tmp_path, f"""
[[adapters]]
kind = "sia_dc09"
name = "panels"
listen = "127.0.0.1"
port = {port}
key_secret = "serve-dc09-key"
accounts = [{{ account = "1234", building = "Mairie", zones = {{ "5" = "Hall" }} }}]

[[adapters]]
kind = "demo"
name = "simulation"
enabled = false
""")


def test_serve_takes_a_panel_alarm_into_its_journal_and_stops_cleanly_on_sigterm(
        tmp_path: Path) -> None:
    port = free_port()
    site = dc09_site(tmp_path, port)
    with serving(tmp_path, site) as service:
        service.wait_log("adapter panels: running")
        assert port_open(port)
        panel = Sender(port, "1234", key=KEY)
        try:
            _raw, answer = panel.send(1, "ADM-CID", cid("1234", 130, 5))
        finally:
            panel.close()
        assert answer == "ACK"  # given only once the alarm is stored
        assert service.stop(signal.SIGTERM) == 0, service.stderr()

    log = service.log()
    lines = log.splitlines()
    for said in ("csu-console", "serve starting", f"site 'Test' from {site}",
                 f"journal {service.journal}", "adapter panels: kind sia_dc09, enabled",
                 "adapter simulation: kind demo, disabled", f"log file {service.log_file}",
                 "adapter simulation: disabled", "stopping (SIGTERM)"):
        assert said in log, f"{said!r} not in the log:\n{log}"
    assert lines[-1].endswith("stopped cleanly; exit 0")
    # each state change said once (the sink's own "starting -> running" line is not repeated)
    assert log.count("adapter panels: running") == 1
    assert "-> running" not in log
    assert KEY.hex() not in log + service.stderr()
    assert "Traceback" not in service.stderr()
    # standard error carries the same lines (journald, WinSW's log)
    assert "adapter panels: kind sia_dc09, enabled" in service.stderr()

    journal = Journal(service.journal)
    try:
        (alarm,) = journal.load_alarms()
    finally:
        journal.close()
    assert alarm.type is AlarmType.INTRUSION
    assert alarm.title == "Burglary — Mairie — Hall"


def test_ctrl_c_stops_it_cleanly_too(tmp_path: Path) -> None:
    site = site_file(tmp_path, '[[adapters]]\nkind = "demo"\nname = "off"\nenabled = false\n')
    with serving(tmp_path, site) as service:
        service.wait_log("serving;")
        assert service.stop(signal.SIGINT) == 0, service.stderr()
    assert "stopping (SIGINT)" in service.log()
    assert service.log().splitlines()[-1].endswith("stopped cleanly; exit 0")
    assert "Traceback" not in service.stderr()


def test_the_journal_failing_and_recovering_is_in_the_log(tmp_path: Path) -> None:
    """Another program holds the journal's write lock (a real SQLite lock, the service's
    writes time out), then lets it go: the log says both, once each."""
    port = free_port()
    with serving(tmp_path, dc09_site(tmp_path, port)) as service:
        service.wait_log("adapter panels: running")
        with locked_by_another_process(service.journal):
            service.wait_log("journal: NOT storing — another program holds the journal file")
        service.wait_log("journal: storing again")
        assert service.stop(signal.SIGTERM) == 0, service.stderr()
    log = service.log()
    assert log.count("journal: NOT storing") == 1
    assert log.count("journal: storing again") == 1


def test_a_wrong_site_file_exits_1_with_plain_words(tmp_path: Path) -> None:
    site = site_file(tmp_path, '[[adapters]]\nkind = "sia_dc09"\nname = "p"\nport = "many"\n')
    log_file = tmp_path / "service.log"
    done = csu("serve", "--site", str(site), "--log-file", str(log_file), timeout=START_S)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"cannot open the site file {site}:\n  - ")
    assert 'adapters "p".port' in done.stderr
    assert "Traceback" not in done.stderr
    assert "the site file" in log_file.read_text(encoding="utf-8")  # the log file says it too


def test_a_journal_that_cannot_be_opened_exits_1_with_plain_words(tmp_path: Path) -> None:
    site = site_file(tmp_path, "")
    (tmp_path / "a-file").write_text("not a folder")
    journal = tmp_path / "a-file" / "journal.sqlite"
    done = csu("serve", "--site", str(site), "--journal", str(journal),
               "--log-file", str(tmp_path / "service.log"), timeout=START_S)
    assert done.returncode == 1, done.stderr
    assert f"csu-console serve cannot start: the journal {journal} cannot be opened" \
        in done.stderr
    assert "Traceback" not in done.stderr


def test_a_log_file_that_cannot_be_written_is_said_and_the_service_runs_on(
        tmp_path: Path) -> None:
    site = site_file(tmp_path, "")
    (tmp_path / "a-file").write_text("not a folder")
    log_file = tmp_path / "a-file" / "service.log"
    done = csu("serve", "--site", str(site), "--journal", str(tmp_path / "journal.sqlite"),
               "--log-file", str(log_file), "--quit-after", "0.5", timeout=START_S)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"csu-console serve: cannot write the log file {log_file} "
                                  "(File exists); logging to standard error only\n")
    assert "log file none (standard error only)" in done.stderr
    assert done.stderr.rstrip().endswith("stopped cleanly; exit 0")
