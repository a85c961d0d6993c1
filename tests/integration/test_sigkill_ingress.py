"""Killed mid-burst, then restarted: no alarm a source was told is stored is lost, and
none is raised twice, whatever the sources send again. Real ingresses (signed webhook
requests over HTTP, DC-09 frames from dc09-spt), a real child process, a real SIGKILL, the
senders retrying what was not acknowledged and more, as real ones do. (Tried from outside:
3 SIGKILLs mid-burst of 1,000 webhook + 1,000 DC-09 alarms lost nothing and duplicated
nothing; this keeps it so.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import requests

from app.adapters.http_ingress.auth import signed_headers
from app.core.journal import Journal
from app.core.secrets import set_secret
from tests.conftest import REPO
from tests.integration.adapters.conftest import free_port
from tests.integration.alarm_adapters.dc09_sender import Dc09Msg, cid
from tests.waiting import wait_until

N = 300  # alarms per source
SECRET = "sigkill-webhook-secret"


@contextmanager
def console(journal: Path, web: int, dc09: int) -> Iterator[subprocess.Popen[str]]:
    with subprocess.Popen(
            [sys.executable, "-m", "tests.integration.sigkill_child", str(journal), str(web),
             str(dc09), "sigkill-webhook"], cwd=REPO, stdout=subprocess.PIPE, text=True) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline().strip() == "READY"
            yield child
        finally:
            child.kill()
            child.wait(10)


class Sources:
    """A webhook sender and a DC-09 panel, each sending its N alarms in order and keeping
    what was acknowledged; `frames` are kept so that a retransmission is the same bytes."""

    def __init__(self, web: int, dc09: int) -> None:
        self.web, self.dc09 = web, dc09
        self.acked: set[str] = set()
        self.lock = threading.Lock()
        self.panel = Dc09Msg("1234")
        self.frames = {seq: self.panel.dc09block(seq, "ADM-CID", cid("1234", 130, seq)).encode()
                       for seq in range(1, N + 1)}

    def _ack(self, what: str) -> None:
        with self.lock:
            self.acked.add(what)

    def webhook(self, ids: range) -> None:
        session = requests.Session()
        for i in ids:
            body = json.dumps({"id": f"w{i}", "type": "gunshot",
                               "time": datetime.now(UTC).isoformat()}).encode()
            try:
                r = session.post(f"http://127.0.0.1:{self.web}/alarms", data=body, timeout=10,
                                 headers={"Content-Type": "application/json",
                                          **signed_headers(body, SECRET)})
            except requests.RequestException:
                return  # the console is gone
            if r.status_code == 202:
                self._ack(f"w{i}")

    def panel_burst(self, seqs: range) -> None:
        import socket

        try:
            sock = socket.create_connection(("127.0.0.1", self.dc09), timeout=10)
        except OSError:
            return
        with sock:
            for seq in seqs:
                try:
                    sock.sendall(self.frames[seq])
                    answer = b""
                    while not answer.endswith(b"\r"):
                        chunk = sock.recv(1024)
                        if not chunk:
                            return
                        answer += chunk
                except OSError:
                    return
                if self.panel.dc09answer(seq, answer.decode())[0] == "ACK":
                    self._ack(f"d{seq}")

    def burst(self, web_ids: range, seqs: range) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.webhook, args=(web_ids,)),
                   threading.Thread(target=self.panel_burst, args=(seqs,))]
        for t in threads:
            t.start()
        return threads


def test_a_console_killed_mid_burst_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    set_secret("sigkill-webhook", SECRET)
    journal = tmp_path / "journal.sqlite"
    web, dc09 = free_port(), free_port()
    src = Sources(web, dc09)
    with console(journal, web, dc09) as child:
        threads = src.burst(range(1, N + 1), range(1, N + 1))
        wait_until(lambda: len(src.acked) >= N // 2, 60, "half the alarms acknowledged")
        os.kill(child.pid, signal.SIGKILL)  # mid-burst
        for t in threads:
            t.join(30)
    acked_before_kill = set(src.acked)
    assert N // 2 <= len(acked_before_kill) < 2 * N

    before = Journal(journal)
    stored = {a.source_id for a in before.load_alarms()}
    before.close()
    missing = {a for a in acked_before_kill
               if (a if a[0] == "w" else f"1234/130/area1/zone{int(a[1:])}") not in stored}
    assert not missing, f"acknowledged, then lost: {sorted(missing)[:10]}"

    # Restarted: both sources send everything again from the start (what was acknowledged
    # too: a sender cannot always know), the panel its very same frames.
    with console(journal, web, dc09):
        for t in src.burst(range(1, N + 1), range(1, N + 1)):
            t.join(120)
    assert len(src.acked) == 2 * N
    after = Journal(journal)
    try:
        alarms = after.load_alarms()
    finally:
        after.close()
    keys = [a.source_id for a in alarms]
    assert len(keys) == len(set(keys)), "an alarm was raised twice"
    assert len(alarms) == 2 * N
    repeated = [a for a in alarms if a.occurrences > 1]
    assert not repeated, f"a retransmission was counted as a new occurrence: {repeated[:3]}"
