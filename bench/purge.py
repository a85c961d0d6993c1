"""The retention purge of a month of positions (1 Hz, 50 officers: ~130 M rows), its time and
what it costs the console meanwhile, on both journal backends, next to a reference without
the purge in the same run.

What runs (all on this machine):
- the journal: a private PostgreSQL (tests/servers/postgres.py, fsync on) loaded with COPY,
  or an SQLite file loaded with executemany in big transactions; `--days` days of positions
  for `--officers` officers, one a second each, all older than the retention, so the purge
  destroys every one of them (its real job once a month of data sits past its 30 days);
- in this process, as in the one console: a Qt event loop whose 5 ms timer's lateness is
  the GUI lag (bench/lag.py's LagProbe), and an "alarm path" thread that stores one alarm
  every 50 ms (`save_alarm`, durable) and times each write;
- the reference: the same loop and alarm writes for `--reference` seconds, no purge; then
  the purge (`journal.purge(Kind.POSITIONS, ...)`, 10,000 rows per transaction) in its own
  thread, as the retention runner does, with the loop and the writes going on.

Printed per backend: rows loaded and how long, the purge's time and rows/s, then the GUI
lag p50/p99/max and the alarm write p50/p99/max, the reference beside the purge.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.purge [--days 1] [--officers 50]
        [--backends postgresql,sqlite] [--reference 10]
"""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)  # the purge's "now"
ALARM_EVERY_S = 0.05
LOAD_BATCH = 200_000  # rows per COPY block / SQLite transaction


def body(officer: str, t: str) -> str:
    return ('{"fix":{"officer_id":"' + officer + '","position":[48.85,2.35],"time":"' + t
            + '","heading_deg":90.0,"speed_mps":1.4,"accuracy_m":null}}')


def rows_of(days: int, officers: int, cutoff: datetime) -> tuple[datetime, int]:
    """The first second of the data and its row count: `days` days ending an hour before
    the retention's cutoff."""
    start = cutoff - timedelta(hours=1) - timedelta(days=days)
    return start, days * 86_400 * officers


def seconds(start: datetime, days: int) -> Callable[[], object]:
    """Every second of the range, as (datetime, its ISO text)."""
    def gen():  # type: ignore[no-untyped-def]
        for s in range(days * 86_400):
            t = start + timedelta(seconds=s)
            yield t, t.isoformat()
    return gen


def load_postgres(url: str, password: str, days: int, officers: int, cutoff: datetime
                  ) -> tuple[int, float]:
    import psycopg

    start, total = rows_of(days, officers, cutoff)
    t0 = time.perf_counter()
    names = [f"o{i}" for i in range(officers)]
    n = 0
    with psycopg.connect(url, password=password, autocommit=False) as conn:
        with conn.cursor() as cur, cur.copy(
                "COPY events (id, ts, kind, subject, body) FROM STDIN") as copy:
            buf = io.StringIO()
            for _, iso in seconds(start, days)():  # type: ignore[attr-defined]
                for o in names:
                    n += 1
                    buf.write(f"{n}\t{iso}\tposition\t{o}\t{body(o, iso)}\n")
                if n % LOAD_BATCH < officers:
                    copy.write(buf.getvalue())
                    buf = io.StringIO()
            copy.write(buf.getvalue())
        conn.execute("SELECT setval('feed', %s)", (n + 1,))
        conn.commit()
        conn.execute("ANALYZE events")
        conn.commit()
    assert n == total
    return n, time.perf_counter() - t0


def load_sqlite(path: Path, days: int, officers: int, cutoff: datetime) -> tuple[int, float]:
    import sqlite3

    start, total = rows_of(days, officers, cutoff)
    t0 = time.perf_counter()
    names = [f"o{i}" for i in range(officers)]
    db = sqlite3.connect(str(path), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    batch: list[tuple[str, str, str]] = []
    n = 0

    def flush() -> None:
        db.execute("BEGIN")
        db.executemany("INSERT INTO events (ts, kind, body) VALUES (?, 'position', ?)", batch)
        db.execute("COMMIT")
        batch.clear()

    for _, iso in seconds(start, days)():  # type: ignore[attr-defined]
        for o in names:
            batch.append((iso, body(o, iso)))  # type: ignore[arg-type]
        n += officers
        if len(batch) >= LOAD_BATCH:
            flush()
    if batch:
        flush()
    db.close()
    assert n == total
    return n, time.perf_counter() - t0


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))] if s else float("nan")


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    lag: list[float] = field(default_factory=list)
    writes: list[float] = field(default_factory=list)
    destroyed: int = 0


class AlarmPath:
    """One durable alarm write every ALARM_EVERY_S, timed (the alarm service's path)."""

    def __init__(self, journal: object) -> None:
        self.journal = journal
        self.times: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="alarm-path", daemon=True)
        self._seq = 0

    def _run(self) -> None:
        from tests.unit.test_journal import alarm

        base = 1_000_000
        while not self._stop.wait(ALARM_EVERY_S):
            self._seq += 1
            a = alarm(base + self._seq)
            t0 = time.perf_counter()
            self.journal.save_alarm(a)  # type: ignore[attr-defined]
            self.times.append((time.perf_counter() - t0) * 1000)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> list[float]:
        self._stop.set()
        self._thread.join()
        return self.times


def run_phase(name: str, journal: object, work: Callable[[], int] | None,
              reference_s: float) -> Phase:
    """The Qt loop and the alarm path, for `reference_s` (no work) or until `work` ends."""
    from PySide6.QtCore import QCoreApplication, QTimer

    from bench.lag import LagProbe

    app = QCoreApplication.instance() or QCoreApplication([])
    ph = Phase(name)
    probe = LagProbe(5)
    writer = AlarmPath(journal)
    done = threading.Event()
    result: list[int] = []

    def run_work() -> None:
        try:
            if work is not None:
                result.append(work())
        finally:
            done.set()

    t0 = time.perf_counter()
    probe.start()
    writer.start()
    worker = threading.Thread(target=run_work, name="retention", daemon=True)
    if work is not None:
        worker.start()
    stopper = QTimer()
    stopper.setInterval(20)
    stopper.timeout.connect(lambda: (
        app.quit() if (done.is_set() if work is not None
                       else time.perf_counter() - t0 >= reference_s) else None))
    stopper.start()
    app.exec()
    stopper.stop()
    probe.stop()
    ph.seconds = time.perf_counter() - t0
    ph.writes = writer.stop()
    ph.lag = list(probe.samples)
    ph.destroyed = result[0] if result else 0
    return ph


def bench_backend(backend: str, args: argparse.Namespace) -> list[str]:
    from app.core.retention import Kind, RetentionConfig

    cfg = RetentionConfig()
    cutoff = NOW - cfg.keep(Kind.POSITIONS)
    folder = Path(tempfile.mkdtemp(prefix=f"csu-purge-{backend}-"))
    server = None
    try:
        if backend == "postgresql":
            from app.core.journal_url import parse_journal_url
            from app.store.opening import open_store
            from tests.servers.postgres import PostgresServer

            server = PostgresServer(folder)
            server.start()
            url = server.create_database("purge")
            journal, _ = open_store(parse_journal_url(url), server.password, create=True)
            loaded, load_s = load_postgres(url, server.password, args.days, args.officers,
                                           cutoff)
        else:
            from app.core.journal import Journal

            path = folder / "journal.sqlite"
            Journal(path).close()  # the schema
            loaded, load_s = load_sqlite(path, args.days, args.officers, cutoff)
            journal = Journal(path)
        size_before = disk_use(folder)
        try:
            ref = run_phase("reference", journal, None, args.reference)
            pur = run_phase("purge", journal, lambda: journal.purge(
                Kind.POSITIONS, cutoff, cfg.rule(Kind.POSITIONS), NOW), args.reference)
            left = journal.count_events("position")
        finally:
            journal.close()
        lines = [f"{backend}: {loaded:,} positions ({args.days} day(s) x {args.officers} "
                 f"officers at 1 Hz) loaded in {load_s:.0f} s; on disk {size_before / 1e9:.1f} GB",
                 f"{backend}: purge destroyed {pur.destroyed:,} in {pur.seconds:.1f} s "
                 f"({pur.destroyed / pur.seconds:,.0f} rows/s); {left} left",
                 f"{'':<12} {'s':>6} {'lag p50':>8} {'p99':>6} {'max':>6} {'alarm write p50':>16}"
                 f" {'p99':>6} {'max':>7} {'writes':>7}"]
        for ph in (ref, pur):
            lines.append(f"{ph.name:<12} {ph.seconds:>6.1f} {pct(ph.lag, 50):>8.1f} "
                         f"{pct(ph.lag, 99):>6.1f} {max(ph.lag, default=0):>6.1f} "
                         f"{pct(ph.writes, 50):>16.1f} {pct(ph.writes, 99):>6.1f} "
                         f"{max(ph.writes, default=0):>7.1f} {len(ph.writes):>7}")
        return lines
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def disk_use(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--days", type=int, default=1, help="days of positions (30: the month)")
    ap.add_argument("--officers", type=int, default=50)
    ap.add_argument("--backends", default="postgresql,sqlite")
    ap.add_argument("--reference", type=float, default=10.0,
                    help="seconds of the reference phase (no purge)")
    args = ap.parse_args()
    sys.path.insert(0, str(REPO))
    out: list[str] = []
    for backend in args.backends.split(","):
        lines = bench_backend(backend.strip(), args)
        for line in lines:
            print(line, flush=True)
        out += lines
    print("lag: how late a 5 ms Qt timer fires in this process (ms); alarm write: one durable"
          f" save_alarm every {ALARM_EVERY_S * 1000:.0f} ms from another thread (ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
