"""Opening the journal when its file is damaged: the console still starts and takes alarms.

A journal that cannot be opened or checked (random bytes, an overwritten page, a read-only
file, a newer schema) is moved aside untouched, with its WAL, as
`<name>.damaged-<UTC time>.sqlite`; a new journal is opened at the usual place, and what can
still be read from the damaged copy (alarms, audit rows, events; row by row past a bad page)
is copied into it. `Recovery` says all of it in plain words, for the log and for a notice the
operator cannot miss. The damaged file is never written: the salvage reads a scratch copy.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from app.core.journal import SCHEMA_VERSION, Journal, explain
from app.core.model import utc_now

log = logging.getLogger(__name__)

TABLES: dict[str, tuple[str, ...]] = {
    "alarms": ("seq", "id", "source", "source_id", "state", "raised_at", "updated_at", "body"),
    "audit": ("id", "ts", "actor", "action", "target", "detail"),
    "events": ("id", "ts", "kind", "body"),
}
CHUNK = 500
MAX_BAD_ROWS = 20_000  # unreadable rows skipped before a table is given up


class JournalCannotOpen(Exception):
    """Not even a new journal can be opened (the folder is not writable): plain words."""


@dataclass(frozen=True, slots=True)
class Recovery:
    problem: str  # what was wrong, in plain words
    damaged: Path  # where the damaged file now is (untouched)
    journal: Path  # the journal in use from now on
    alarms: int = 0
    audit: int = 0
    events: int = 0
    lost_rows: int = 0  # rows that could not be read

    def describe(self) -> str:
        saved = (f"{self.alarms} alarm(s), {self.audit} audit row(s) and {self.events} "
                 f"event(s) were recovered from it")
        if self.lost_rows:
            saved += f"; {self.lost_rows} unreadable row(s) could not be"
        return (f"The journal could not be used ({self.problem}). It was kept aside, "
                f"untouched, as {self.damaged}; a new journal was opened at {self.journal}. "
                f"{saved}.")


DAMAGED = "the journal file is damaged"


def inspect(path: Path) -> str | None:
    """What is wrong with the file at `path`, read without writing a byte of it; None when
    it looks sound (or cannot be judged read-only: opening it for writing decides then)."""
    if not path.exists():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            return (f"the journal was written by a newer console (schema {version}, this "
                    f"one knows {SCHEMA_VERSION})")
        problems = [str(r[0]) for r in db.execute("PRAGMA quick_check").fetchall()
                    if r[0] != "ok"]
        if problems:
            log.error("journal %s: quick_check: %s", path, "; ".join(problems[:5]))
            return DAMAGED
        return None
    except sqlite3.Error as exc:
        return DAMAGED if explain(exc) == DAMAGED else None
    finally:
        db.close()


def open_journal(path: Path | str) -> tuple[Journal, Recovery | None]:
    """The journal at `path`, checked; or, if it is damaged, a new one with what could
    be saved, and what happened. The check reads only: a damaged file is never written."""
    path = Path(path)
    problem = inspect(path)
    if problem is None:
        try:
            return Journal(path), None
        except sqlite3.Error as exc:
            problem = explain(exc)
    log.error("journal %s cannot be used: %s", path, problem)
    stamp = utc_now().strftime("%Y%m%dT%H%M%SZ")
    aside = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    fresh = path
    try:
        _move_with_wal(path, aside)
    except OSError as exc:  # e.g. a read-only folder: leave it, open a new file beside it
        log.error("journal %s cannot be moved aside (%s): it stays where it is", path, exc)
        aside, fresh = path, path.with_name(f"{path.stem}.new-{stamp}{path.suffix}")
    try:
        journal = Journal(fresh)
    except (sqlite3.Error, OSError) as exc:
        raise JournalCannotOpen(
            f"the journal {path} cannot be used ({problem}) and no new journal can be "
            f"opened at {fresh}: {exc}. Free space or fix the folder's permissions, or "
            f"start with --journal pointing to a writable place.") from exc
    counts = salvage(aside, journal)
    recovery = Recovery(problem, aside, fresh, *counts)
    log.error("%s", recovery.describe())
    return journal, recovery


def _move_with_wal(path: Path, aside: Path) -> None:
    for suffix in ("-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            os.replace(side, str(aside) + suffix)
    if path.exists():
        os.replace(path, aside)


def salvage(damaged: Path, into: Journal) -> tuple[int, int, int, int]:
    """(alarms, audit rows, events, unreadable rows) copied from a scratch copy of
    `damaged` into `into`."""
    if not damaged.exists():
        return 0, 0, 0, 0
    with tempfile.TemporaryDirectory(prefix="csu-salvage-") as tmp:
        copy = Path(tmp) / "copy.sqlite"
        shutil.copyfile(damaged, copy)
        wal = Path(str(damaged) + "-wal")
        if wal.exists():
            shutil.copyfile(wal, str(copy) + "-wal")
        try:
            db = sqlite3.connect(str(copy))
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            log.warning("nothing can be read from the damaged journal: %s", explain(exc))
            return 0, 0, 0, 0
        counts: dict[str, int] = {}
        lost = 0
        try:
            for table, cols in TABLES.items():
                saved = 0
                batch: list[tuple[object, ...]] = []
                for row in _readable_rows(db, table, cols, bad := [0]):
                    batch.append(row)
                    if len(batch) >= CHUNK:
                        saved += _insert(into, table, cols, batch)
                        batch = []
                saved += _insert(into, table, cols, batch)
                counts[table] = saved
                lost += bad[0]
        finally:
            db.close()
    return counts.get("alarms", 0), counts.get("audit", 0), counts.get("events", 0), lost


def _readable_rows(db: sqlite3.Connection, table: str, cols: tuple[str, ...],
                   bad: list[int]) -> Iterator[tuple[object, ...]]:
    """Every row that can still be read, in rowid order; a bad page costs only its rows."""
    select = f"SELECT rowid, {', '.join(cols)} FROM {table}"
    try:
        top = db.execute(f"SELECT MAX(rowid) FROM {table}").fetchone()[0] or 0
    except sqlite3.Error:
        return
    last = 0
    while last < top and bad[0] < MAX_BAD_ROWS:
        try:
            rows = db.execute(f"{select} WHERE rowid > ? ORDER BY rowid LIMIT {CHUNK}",
                              (last,)).fetchall()
        except sqlite3.Error:
            rows = None
        if rows is not None:
            if not rows:
                return
            for row in rows:
                yield tuple(row[1:])
            last = int(rows[-1][0])
            continue
        # a bad page in this range: row by row, skipping what cannot be read
        end = min(top, last + CHUNK)
        for rowid in range(last + 1, end + 1):
            try:
                row = db.execute(f"{select} WHERE rowid = ?", (rowid,)).fetchone()
            except sqlite3.Error:
                bad[0] += 1
                continue
            if row is not None:
                yield tuple(row[1:])
        last = end


def _insert(journal: Journal, table: str, cols: tuple[str, ...],
            rows: list[tuple[object, ...]]) -> int:
    return journal.insert_rows(table, cols, rows)
