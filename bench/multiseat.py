"""A room of seats: three console windows on one service and its PostgreSQL journal, under an
alarm storm, side by side with the single-process SQLite console in the same run.

What runs (all on this machine):
- a private PostgreSQL (tests/servers/postgres.py, fsync on);
- the room's service: a real `Runtime` on the room's postgresql:// journal IN THIS PROCESS
  (what `csu-console serve` runs, without its adapters), fed by a feeder thread posting
  `AlarmReported` with `hub.post_durable` at a fixed rate; the source's ACK time is when
  the durable future completes (when a DC-09 panel would get its ACK);
- `--seats` seats, each its own process (bench/multiseat_seat.py): the whole console window
  on a `SeatRuntime`, shown, which stamps when each alarm reaches it, acknowledges every
  10th alarm in turn with the other seats (the desk's own acknowledge, when the row shows),
  and measures its GUI lag;
- the reference, before the room: the single-process console (`Runtime` on SQLite, the
  feeder inside it, its own window), the same rates, alone on the machine.

Printed per rate, per console: source ACK → the seat's GUI thread (bridge) and → the desk's
row, p50/p99; an acknowledgement on one seat (the click) → the others (their bridge), p50/p99;
alarms lost (acknowledged to the source, and missing from a seat's desk or from the journal
after the catch-up); GUI lag p50/p99/max and the GUI thread's busy share.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python -m bench.multiseat \
        [--seconds 30] [--rates 200,2000] [--seats 3]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.multiseat_feed import Feed

REPO = Path(__file__).resolve().parent.parent
START_S = 120.0  # a window ready (map loaded, attached), at most this long
CATCH_UP_S = 60.0  # after a phase's feed, how long the consoles may take to show it all
ACKS_GRACE_S = 10.0  # after the catch-up, how long acknowledgements may take to reach all
PASSWORD = "the bench seats' long password"  # their accounts, made at start


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))] if s else float("nan")


class Console:
    """A console window process (a seat, or the SQLite reference) and its lines."""

    def __init__(self, name: str, argv: list[str], folder: Path, env: dict[str, str]) -> None:
        self.name = name
        self.out_file = folder / f"{name}.json"
        self.err = (folder / f"{name}.err").open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bench.multiseat_seat", "--out", str(self.out_file),
             "--user", name, *argv], cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO),
                 "XDG_CONFIG_HOME": str(folder / name), **env},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, text=True)
        self.seen = 0
        self.ready = threading.Event()
        self.fed: dict[str, tuple[int, int]] = {}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            verb, *rest = line.split()
            if verb == "READY":
                self.ready.set()
            elif verb == "SEEN":
                self.seen = int(rest[0])
            elif verb == "FED":
                self.fed[rest[0]] = (int(rest[1]), int(rest[2]))

    def tell(self, line: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()

    def finish(self) -> dict[str, Any]:
        """Stop it; what it saw."""
        try:
            self.tell("stop")
            self.proc.wait(120)
        except (subprocess.TimeoutExpired, BrokenPipeError, OSError):
            self.proc.kill()
            self.proc.wait(10)
        self._reader.join(10)
        self.err.close()
        if not self.out_file.exists():
            raise RuntimeError(f"{self.name} wrote no figures (exit {self.proc.returncode}); "
                               f"see {self.err.name}")
        data: dict[str, Any] = json.loads(self.out_file.read_text())
        return data


def wait_for(cond: Any, timeout_s: float) -> bool:
    end = time.monotonic() + timeout_s
    while not cond():
        if time.monotonic() > end:
            return False
        time.sleep(0.1)  # the poll interval of a bounded wait
    return True


def grab_screen(target: Path) -> None:
    """The X server's picture (the seats' windows as shown), with ffmpeg's x11grab."""
    result = subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "x11grab", "-i", os.environ["DISPLAY"],
         "-frames:v", "1", str(target)], capture_output=True, text=True, check=False,
        timeout=60)
    if result.returncode:
        print(f"--screenshot: ffmpeg failed: {result.stderr.strip()}", file=sys.stderr)


def display_cpu() -> float:
    """CPU seconds used so far by the X server of $DISPLAY (its pid from /tmp/.X<n>-lock);
    0 when it cannot be read."""
    number = os.environ.get("DISPLAY", ":").split(":")[-1].split(".")[0]
    try:
        pid = int(Path(f"/tmp/.X{number}-lock").read_text().strip())
        return sum(int((t / "schedstat").read_text().split()[0]) / 1e9
                   for t in Path(f"/proc/{pid}/task").iterdir())
    except (OSError, ValueError, IndexError):
        return 0.0


@dataclass
class Row:
    """One console's figures for one phase."""

    console: str
    rate: float
    to_seat: list[float] = field(default_factory=list)  # ms, source ACK -> bridge
    to_desk: list[float] = field(default_factory=list)  # ms, source ACK -> desk row
    ack_others: list[float] = field(default_factory=list)  # ms, a click elsewhere -> here
    acks_missing: int = 0  # clicked elsewhere, never seen acknowledged here
    lost: int = 0
    lags: list[float] = field(default_factory=list)
    busy: float = 0.0
    cpu_wait: float = 0.0


@dataclass
class Phase:
    tag: str
    rate: float
    seconds: float
    start: float = 0.0
    end: float = 0.0  # everything shown everywhere (or the catch-up gave up)
    acked: dict[str, float] = field(default_factory=dict)
    posted: dict[str, float] = field(default_factory=dict)
    refused: int = 0
    caught_up: bool = True
    journal_missing: int = 0
    cpu: dict[str, float] = field(default_factory=dict)  # this process's threads, postgres


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=30.0, help="seconds of storm per rate")
    ap.add_argument("--rates", default="200,2000", help="alarms per second, one phase each")
    ap.add_argument("--seats", type=int, default=3, help="seat windows in the room")
    ap.add_argument("--ack-every", type=int, default=10,
                    help="every Nth alarm is acknowledged, by each seat in turn (0: none)")
    ap.add_argument("--no-reference", action="store_true",
                    help="skip the single-process SQLite console")
    ap.add_argument("--screenshot", metavar="PNG",
                    help="grab the X screen (ffmpeg x11grab) once the last phase is shown")
    args = ap.parse_args()
    if not os.environ.get("DISPLAY"):
        print("no DISPLAY: run it under xvfb-run (see the docstring)", file=sys.stderr)
        return 2
    folder = Path(tempfile.mkdtemp(prefix="csu-multiseat-"))
    rates = [float(r) for r in args.rates.split(",")]
    load_before = os.getloadavg()
    ref_phases: list[Phase] = []
    ref_data: dict[str, Any] | None = None
    if not args.no_reference:
        ref_phases, ref_data = run_reference(args, rates, folder)
    room_phases, seats, journal_total = run_room(args, rates, folder)
    load_after = os.getloadavg()

    rows: list[Row] = []
    for k, rate in enumerate(rates):
        if ref_data is not None:
            rows.append(figures("sqlite console", ref_phases[k], ref_data, [ref_data], rate))
        for data in seats:
            rows.append(figures(data["user"], room_phases[k], data, seats, rate))
    report(args, rates, rows, ref_phases, ref_data, room_phases, seats, journal_total,
           load_before, load_after, folder)
    lost = sum(r.lost for r in rows) + sum(p.journal_missing for p in room_phases + ref_phases)
    return 0 if lost == 0 else 1


def run_reference(args: argparse.Namespace, rates: list[float],
                  folder: Path) -> tuple[list[Phase], dict[str, Any]]:
    """The single-process console alone: the feeder inside it, one phase per rate."""
    ref = Console("sqlite", ["--sqlite", "--ack-every", str(args.ack_every)], folder, {})
    phases: list[Phase] = []
    try:
        if not wait_for(ref.ready.is_set, START_S):
            raise RuntimeError(f"the SQLite console did not start; see {ref.err.name}")
        for k, rate in enumerate(rates):
            ph = Phase(f"ref{k}", rate, args.seconds)
            ph.start = time.time()
            before = ref.seen
            ref.tell(f"begin {ph.tag}")
            x0 = display_cpu()
            ref.tell(f"feed {rate:g} {args.seconds:g} {ph.tag}")
            wait_for(lambda ph=ph: ph.tag in ref.fed, args.seconds + CATCH_UP_S + 120)
            stored = ref.fed.get(ph.tag, (0, 0))[0]
            ph.caught_up = wait_for(lambda b=before, n=stored: ref.seen - b >= n, CATCH_UP_S)
            ph.end = time.time()
            ref.tell(f"end {ph.tag}")
            ph.cpu = {"Xvfb (display)": display_cpu() - x0}
            phases.append(ph)
    finally:
        data = ref.finish()
    for ph, feed in zip(phases, data["feeds"], strict=True):
        ph.acked, ph.posted, ph.refused = feed["acked"], feed["posted"], len(feed["refused"])
        journal = set(data["journal"])
        ph.journal_missing = sum(1 for sid in ph.acked if sid not in journal)
    return phases, data


def run_room(args: argparse.Namespace, rates: list[float],
             folder: Path) -> tuple[list[Phase], list[dict[str, Any]], int]:
    """PostgreSQL, the service in this process, the seats as processes."""
    from app.core.access import Role
    from app.core.journal_url import parse_journal_url
    from app.services.accounts import Accounts
    from app.services.runtime import Runtime
    from bench.alarm_ingest import bench_site
    from bench.lag import CpuByThread
    from tests.servers.postgres import PostgresServer

    server = PostgresServer(Path(tempfile.mkdtemp(prefix="csu-multiseat-pg-")))
    server.start()
    seats: list[Console] = []
    phases: list[Phase] = []
    service: Runtime | None = None
    try:
        url = server.create_database("room")
        service = Runtime(bench_site(None), {}, parse_journal_url(url), server.password)
        service.start()
        for s in range(args.seats):  # each seat's operator has an account, as in a room
            Accounts(service.journal, "bench", "bench").add(
                f"seat{s + 1}", f"Seat {s + 1}", Role.OPERATOR, ["*"], PASSWORD)
            seats.append(Console(f"seat{s + 1}", [
                "--journal", url, "--slot", str(s), "--seats", str(args.seats),
                "--ack-every", str(args.ack_every)], folder,
                {**server.env(), "CSU_BENCH_PASSWORD": PASSWORD}))
        if not wait_for(lambda: all(c.ready.is_set() for c in seats), START_S):
            raise RuntimeError(f"a seat did not start; see {folder}/seat*.err")
        for k, rate in enumerate(rates):
            ph = Phase(f"room{k}", rate, args.seconds)
            feed = Feed(ph.tag, rate, args.seconds)
            before = [c.seen for c in seats]
            for c in seats:
                c.tell(f"begin {ph.tag}")
            ph.start = time.time()
            here, x0 = CpuByThread(), display_cpu()
            feed.start(service.hub).join()
            feed.wait_settled(120)
            n = len(feed.acked_ids())
            ph.caught_up = wait_for(lambda b=before, n=n: all(
                c.seen - b0 >= n for c, b0 in zip(seats, b, strict=True)), CATCH_UP_S)
            ph.end = time.time()
            ph.cpu = {k: v for k, v in here.since_start().items()
                      if not k.startswith(("process python", "process QtWebEngine"))}
            ph.cpu["feeder"] = feed.cpu_s
            ph.cpu["Xvfb (display)"] = display_cpu() - x0
            for c in seats:
                c.tell(f"end {ph.tag}")
            wait_for(lambda: False, min(ACKS_GRACE_S, 2.0))  # the last clicks travel
            ph.acked, ph.posted, ph.refused = dict(feed.acked), feed.posted, len(feed.refused)
            phases.append(ph)
        if args.screenshot:
            grab_screen(Path(args.screenshot))
        wait_for(lambda: False, ACKS_GRACE_S)
        journal = {a.source_id for a in service.journal.load_alarms()}
        for ph in phases:
            ph.journal_missing = sum(1 for sid in ph.acked if sid not in journal)
        journal_total = len(journal)
    finally:
        data = [c.finish() for c in seats]
        if service is not None:
            service.stop()
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)  # the server's data: hundreds of MB
    return phases, data, journal_total


def figures(name: str, ph: Phase, mine: dict[str, Any], everyone: list[dict[str, Any]],
            rate: float) -> Row:
    row = Row(name, rate)
    bridge, desk = mine["bridge_at"], mine["desk_at"]
    for sid, t_ack in ph.acked.items():
        if sid in bridge:
            row.to_seat.append((bridge[sid] - t_ack) * 1000)
        if sid in desk:
            row.to_desk.append((desk[sid] - t_ack) * 1000)
    in_model = set(mine["in_model"])
    row.lost = sum(1 for sid in ph.acked if sid not in in_model)
    for other in everyone:
        if other is mine:
            continue
        for sid, clicked in other["my_acks"].items():
            if not sid.startswith(ph.tag + "-"):
                continue
            seen = mine["acked_seen"].get(sid)
            if seen is None:
                row.acks_missing += 1
            else:
                row.ack_others.append((seen[0] - clicked) * 1000)
    row.lags = [ms for t, ms in mine["lag"] if ph.start <= t <= ph.end]
    cpu = [c for c in mine["cpu"] if ph.start <= c[0] <= ph.end]
    if len(cpu) >= 2:
        wall = cpu[-1][0] - cpu[0][0]
        row.busy = (cpu[-1][1] - cpu[0][1]) / wall
        row.cpu_wait = (cpu[-1][2] - cpu[0][2]) / wall
    return row


def _ms(values: list[float]) -> str:
    if not values:
        return f"{'-':>6} {'-':>6}"
    return f"{statistics.median(values):>6.0f} {pct(values, 99):>6.0f}"


def _split(cpu: dict[str, float], ph: Phase, top: int = 6) -> str:
    wall = max(ph.end - ph.start, 1e-6)
    best = sorted(cpu.items(), key=lambda kv: -kv[1])[:top]
    total = sum(cpu.values())
    return (f"total {100 * total / wall:.0f}%: "
            + ", ".join(f"{name} {100 * sec / wall:.0f}%" for name, sec in best))


def report(args: argparse.Namespace, rates: list[float], rows: list[Row],
           ref_phases: list[Phase], ref_data: dict[str, Any] | None,
           room_phases: list[Phase], seats: list[dict[str, Any]],
           journal_total: int, load_before: tuple[float, float, float],
           load_after: tuple[float, float, float], folder: Path) -> None:
    print(f"a room of {args.seats} seats and a service on PostgreSQL, beside the single-process "
          f"SQLite console; {args.seconds:g} s per rate; every {args.ack_every}th alarm "
          f"acknowledged (by each seat in turn); {os.cpu_count()} CPUs, load average "
          f"{load_before[0]:.2f} before, {load_after[0]:.2f} after")
    print("to seat = source ACK (durably stored) -> the console's GUI thread (bridge); to desk ="
          " -> its row in the desk; ack->here = a click on another seat -> seen acknowledged"
          " here; ms")
    print(f"{'rate/s':>6} {'console':<15} {'sent':>6} {'lost':>4} {'to seat p50':>11} {'p99':>6}"
          f" {'to desk p50':>11} {'p99':>6} {'ack->here p50':>13} {'p99':>6} {'missing':>7}"
          f" {'lag p50':>7} {'p99':>6} {'max':>6} {'GUI busy':>8} {'CPU wait':>8}")
    for r in rows:
        phs = ref_phases if r.console == "sqlite console" else room_phases
        ph = phs[rates.index(r.rate)]
        others = _ms(r.ack_others) if r.console != "sqlite console" else f"{'-':>6} {'-':>6}"
        print(f"{r.rate:>6.0f} {r.console:<15} {len(ph.acked):>6} {r.lost:>4} "
              f"{_ms(r.to_seat):>18} {_ms(r.to_desk):>18} {others:>20} {r.acks_missing:>7} "
              f"{statistics.median(r.lags) if r.lags else 0:>7.1f} {pct(r.lags, 99):>6.1f} "
              f"{max(r.lags, default=0):>6.1f} {r.busy * 100:>7.1f}% {r.cpu_wait * 100:>7.1f}%")
    print("per phase: posted -> source ACK p50/p99 ms; refused (not stored); caught up;"
          " journal missing (acknowledged to the source, not in the journal)")
    for ph in ref_phases + room_phases:
        acks = [(ph.acked[s] - ph.posted[s]) * 1000 for s in ph.acked if s in ph.posted]
        print(f"  {ph.tag:<6} {ph.rate:>6.0f}/s  source ACK {_ms(acks)}  refused {ph.refused}"
              f"  {'caught up' if ph.caught_up else 'NOT caught up'} in "
              f"{ph.end - ph.start:.0f} s  journal missing {ph.journal_missing}")
    print("where the CPU went, % of one CPU over the phase (threads; child processes):")
    consoles = ([("sqlite console", ref_data, ref_phases)] if ref_data is not None else []) \
        + [(d["user"], d, room_phases) for d in seats]
    for k, rate in enumerate(rates):
        if room_phases:
            ph = room_phases[k]
            print(f"  {rate:>6.0f}/s  service process, its postgres, the display: "
                  f"{_split(ph.cpu, ph)}")
        for name, data, phs in consoles:
            ph = phs[k]
            cpu = dict(data["phase_cpu"].get(ph.tag, {}))
            if phs is ref_phases:
                cpu.update(ph.cpu)  # its display
            print(f"  {rate:>6.0f}/s  {name}: {_split(cpu, ph)}")
    errors = sum(len(d["ack_errors"]) for d in seats)
    print(f"room journal holds {journal_total} alarms; seats' acknowledgements refused: "
          f"{errors}; logs in {folder}")


if __name__ == "__main__":
    sys.exit(main())
