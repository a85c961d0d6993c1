"""The access log as CSV: one writer for `csu-console audit export` and the chief's window,
so both files read the same (times in UTC, ISO 8601; the row's hash, to check against the
chain). Open the file as UTF-8 with a BOM (`ENCODING`) so that a spreadsheet reads the
accents right."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime
from typing import TextIO

from app.core.audit_chain import AuditRow

ENCODING = "utf-8-sig"
CSV_COLUMNS = ("id", "time_utc", "login", "name", "role", "workstation", "action", "target",
               "purpose", "recipients", "cameras", "range_start_utc", "range_end_utc",
               "detail", "hash")


def write_csv(rows: Iterable[AuditRow], out: TextIO) -> int:
    """Writes the header and `rows`; returns how many rows."""
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    count = 0
    for row in rows:
        a = row.action
        w.writerow([row.id, iso_time(a.time), *map(cell, (
            a.actor, a.user_name, a.role, a.workstation, a.action, a.target, a.purpose,
            "; ".join(a.recipients), "; ".join(a.cameras))), iso_time(a.range_start),
            iso_time(a.range_end), cell(a.detail), row.hash])
        count += 1
    return count


def iso_time(t: datetime | None) -> str:
    """A time as the CSV writes it: ISO 8601 to the second, with its offset ("" if none)."""
    return t.isoformat(timespec="seconds") if t else ""


def cell(text: str) -> str:
    """Text a spreadsheet would run as a formula (typed by a user: a note, a recipient) is
    written as text (OWASP's CSV injection advice: a leading apostrophe)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
